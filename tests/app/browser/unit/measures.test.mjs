import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseState, stateToQuery } from '../../../../app/static/js/state.mjs';
import { countsTable, filterParams, listParams, mastOptions } from '../../../../app/static/js/views/measures.mjs';

test('the measures view keeps every filter and the page in the URL', () => {
  const query = '?view=measures&imposer=中国&target=country:US&type=tariff&status=in_force&since=2025-01-01&until=2025-12-31&covers=1201&offset=50&limit=50';
  const state = parseState(query);
  assert.deepEqual(state, {
    view: 'measures', imposer: '中国', target: 'country:US', type: 'tariff', status: 'in_force', since: '2025-01-01', until: '2025-12-31', covers: '1201', offset: '50', limit: '50',
  });
  assert.deepEqual(parseState(stateToQuery(state)), state);
  assert.deepEqual(parseState('?view=measures&since=last-week&offset=-3'), { view: 'measures' });
  // The month counts' split: type or imposer; "none" (the default) and anything else are left out.
  assert.deepEqual(parseState('?view=measures&by=type'), { view: 'measures', by: 'type' });
  assert.deepEqual(parseState('?view=measures&by=imposer'), { view: 'measures', by: 'imposer' });
  assert.deepEqual(parseState('?view=measures&by=none'), { view: 'measures' });
  assert.deepEqual(parseState('?view=measures&by=target'), { view: 'measures' });
  assert.equal(stateToQuery({ view: 'measures', imposer: '中国', by: 'type' }), '?view=measures&imposer=%E4%B8%AD%E5%9B%BD&by=type');
  // The API's filters, without the page.
  assert.deepEqual(filterParams(state), { imposer: '中国', target: 'country:US', type: 'tariff', status: 'in_force', since: '2025-01-01', until: '2025-12-31', covers: '1201' });
});

test('the MAST chapter, the text and the order are in the URL; the counts get the filters, not the order', () => {
  const query = '?view=measures&type=tariff&mast=F&covers=8541.40&q=稀土管製&sort=-rate&offset=2&limit=2';
  const state = parseState(query);
  assert.deepEqual(state, { view: 'measures', type: 'tariff', mast: 'F', covers: '8541.40', q: '稀土管製', sort: '-rate', offset: '2', limit: '2' });
  assert.deepEqual(parseState(stateToQuery(state)), state);
  // Parameters in one order, so equal states give equal URLs.
  assert.equal(stateToQuery({ view: 'measures', sort: 'name', q: 'tariff', mast: 'P' }), '?view=measures&mast=P&q=tariff&sort=name');
  for (const sort of ['-date', 'rate', '-rate', 'name']) assert.deepEqual(parseState(`?view=measures&sort=${sort}`), { view: 'measures', sort });
  // date is the default and left out; an order or a chapter the API does not take is dropped.
  for (const bad of ['sort=date', 'sort=size', 'sort=-name', 'mast=p', 'mast=FP', 'mast=1', 'q=%20%20']) {
    assert.deepEqual(parseState(`?view=measures&${bad}`), { view: 'measures' }, bad);
  }
  assert.deepEqual(filterParams(state), { type: 'tariff', mast: 'F', covers: '8541.40', q: '稀土管製' });
  assert.deepEqual(listParams(state, '2'), { type: 'tariff', mast: 'F', covers: '8541.40', q: '稀土管製', sort: '-rate', offset: '2', limit: '2' });
  assert.equal(listParams({ view: 'measures' }, '50').sort, undefined);
});

test('the MAST chapter options are the server\u2019s chapters, Any first, the asked one selected', () => {
  const chapters = [{ chapter: 'E', title: 'Non-automatic import licensing, quotas, prohibitions' }, { chapter: 'P', title: 'Export-related measures' }];
  assert.deepEqual(mastOptions(chapters, 'P'), [
    { value: '', text: 'Any', selected: false },
    { value: 'E', text: 'E – Non-automatic import licensing, quotas, prohibitions', selected: false },
    { value: 'P', text: 'P – Export-related measures', selected: true },
  ]);
  assert.deepEqual(mastOptions(chapters, undefined).filter((o) => o.selected).map((o) => o.value), ['']);
  // Before the server's list arrives (or a letter it does not list): the asked letter is still shown.
  assert.deepEqual(mastOptions([], 'Q'), [{ value: '', text: 'Any', selected: false }, { value: 'Q', text: 'Q', selected: true }]);
});

test('the API\u2019s month counts become a table of months by groups, undated last', () => {
  // by=none: one column, the answer's counts.
  const none = countsTable({ by: 'none', data: [{ month: null, group: null, count: 1 }, { month: '2025-10', group: null, count: 3 }, { month: '2025-09', group: null, count: 2 }], total: 6 });
  assert.deepEqual(none, {
    groups: [null],
    rows: [{ month: '2025-09', counts: [2], total: 2 }, { month: '2025-10', counts: [3], total: 3 }, { month: null, counts: [1], total: 1 }],
    total: 6,
  });
  // by=type: a column per group, 0 where a month has none of a group, a total per month.
  const typed = countsTable({ by: 'type', data: [
    { month: '2025-10', group: 'tariff', count: 2 }, { month: '2025-10', group: 'export_control', count: 1 }, { month: '2025-11', group: 'tariff', count: 4 },
  ], total: 7 });
  assert.deepEqual(typed.groups, ['tariff', 'export_control']);
  assert.deepEqual(typed.rows, [{ month: '2025-10', counts: [2, 1], total: 3 }, { month: '2025-11', counts: [4, 0], total: 4 }]);
  assert.equal(typed.rows.reduce((n, r) => n + r.total, 0), typed.total);
  assert.deepEqual(countsTable({ by: 'none', data: [], total: 0 }), { groups: [], rows: [], total: 0 });
});

test('the map\u2019s side is in the URL: received is map=target, imposed (the default) is left out', () => {
  assert.deepEqual(parseState('?view=measures&map=target'), { view: 'measures', map: 'target' });
  assert.deepEqual(parseState('?view=measures&map=imposer'), { view: 'measures' });
  assert.deepEqual(parseState('?view=measures&map=elsewhere'), { view: 'measures' });
  assert.equal(stateToQuery({ view: 'measures', by: 'type', map: 'target' }), '?view=measures&by=type&map=target');
});

test('a day in the URL goes to the list and the counts alike', () => {
  const state = parseState('?view=measures&imposer=中国&as_of=2025-10-15&by=type');
  assert.deepEqual(state, { view: 'measures', imposer: '中国', as_of: '2025-10-15', by: 'type' });
  assert.deepEqual(filterParams(state), { imposer: '中国', as_of: '2025-10-15' });
  assert.deepEqual(listParams(state, '50'), { imposer: '中国', as_of: '2025-10-15', sort: undefined, offset: undefined, limit: '50' });
  assert.deepEqual(parseState('?view=measures&as_of=15.10.2025'), { view: 'measures' });
});
