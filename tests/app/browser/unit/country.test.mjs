import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseState, stateToQuery } from '../../../../app/static/js/state.mjs';
import { yearTypeTable } from '../../../../app/static/js/views/country.mjs';

test('a jurisdiction page keeps its id and whether a bloc counts its members in the URL', () => {
  assert.deepEqual(parseState('?view=country&id=country:CN'), { view: 'country', id: 'country:CN' });
  const bloc = parseState('?view=country&id=org:eu&members=true');
  assert.deepEqual(bloc, { view: 'country', id: 'org:eu', members: 'true' });
  assert.equal(stateToQuery(bloc), '?view=country&id=org:eu&members=true');
  // Only "true" counts the members in; anything else is left out, as is the default.
  assert.deepEqual(parseState('?view=country&id=org:eu&members=yes'), { view: 'country', id: 'org:eu' });
  assert.deepEqual(parseState('?view=country&id=org:eu&members=false'), { view: 'country', id: 'org:eu' });
  assert.equal(stateToQuery({ view: 'country', id: '中国', members: undefined }), '?view=country&id=%E4%B8%AD%E5%9B%BD');
});

test('the profile\u2019s counts by year and type become years by types, undated last, with totals', () => {
  const table = yearTypeTable([
    { year: 2025, measure_type: 'tariff', count: 2 },
    { year: null, measure_type: 'purchase_suspension', count: 1 },
    { year: 2024, measure_type: 'export_control', count: 1 },
    { year: 2025, measure_type: 'export_control', count: 3 },
  ]);
  assert.deepEqual(table, {
    types: ['export_control', 'purchase_suspension', 'tariff'],
    rows: [
      { year: 2024, counts: [1, 0, 0], total: 1 },
      { year: 2025, counts: [3, 0, 2], total: 5 },
      { year: null, counts: [0, 1, 0], total: 1 },
    ],
    total: 7,
  });
  assert.deepEqual(yearTypeTable([]), { types: [], rows: [], total: 0 });
});
