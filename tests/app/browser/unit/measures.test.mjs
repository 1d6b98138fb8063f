import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseState, stateToQuery } from '../../../../app/static/js/state.mjs';
import { countByMonth, filterParams } from '../../../../app/static/js/views/measures.mjs';

test('the measures view keeps every filter and the page in the URL', () => {
  const query = '?view=measures&imposer=中国&target=country:US&type=tariff&status=in_force&since=2025-01-01&until=2025-12-31&covers=1201&offset=50&limit=50';
  const state = parseState(query);
  assert.deepEqual(state, {
    view: 'measures', imposer: '中国', target: 'country:US', type: 'tariff', status: 'in_force', since: '2025-01-01', until: '2025-12-31', covers: '1201', offset: '50', limit: '50',
  });
  assert.deepEqual(parseState(stateToQuery(state)), state);
  assert.deepEqual(parseState('?view=measures&since=last-week&offset=-3'), { view: 'measures' });
  // The API's filters, without the page.
  assert.deepEqual(filterParams(state), { imposer: '中国', target: 'country:US', type: 'tariff', status: 'in_force', since: '2025-01-01', until: '2025-12-31', covers: '1201' });
});

test('measures are counted by the month of their date, undated apart', () => {
  const got = countByMonth([{ date: '2025-10-23' }, { date: '2025-10-09' }, { date: '2025-09-30' }, { date: null }, { date: '2026-01-01' }]);
  assert.deepEqual(got, { months: [['2025-09', 1], ['2025-10', 2], ['2026-01', 1]], undated: 1 });
  assert.deepEqual(countByMonth([]), { months: [], undated: 0 });
});
