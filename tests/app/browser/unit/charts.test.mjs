import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthBars, monthLabel, monthRange } from '../../../../app/static/js/charts.mjs';
import { alpha2, countryHref, shapeIds, sideTotals } from '../../../../app/static/js/worldmap.mjs';
import { countsTable } from '../../../../app/static/js/views/measures.mjs';

test('the chart\u2019s months run from the first to the last, empty ones included, across a year', () => {
  assert.deepEqual(monthRange(['2025-12', '2025-10', null, '2026-02']), ['2025-10', '2025-11', '2025-12', '2026-01', '2026-02']);
  assert.deepEqual(monthRange([null]), []);
  assert.equal(monthLabel('2025-10'), 'Oct 2025');
});

test('one bar per dated month and group with a measure; undated measures stay in the table only', () => {
  const table = countsTable({ by: 'type', data: [
    { month: '2025-10', group: 'tariff', count: 2 }, { month: '2025-10', group: 'export_control', count: 1 },
    { month: '2025-12', group: 'tariff', count: 1 }, { month: null, group: 'tariff', count: 4 },
  ], total: 8 });
  assert.deepEqual(monthBars(table), [
    { month: '2025-10', group: 'tariff', count: 2 }, { month: '2025-10', group: 'export_control', count: 1 },
    { month: '2025-12', group: 'tariff', count: 1 },
  ]);
});

test('the map adds up each side\u2019s months and finds its ISO numeric code', () => {
  const codes = [['CN', 'CHN', '156'], ['US', 'USA', '840'], ['SG', 'SGP', '702']];
  const answer = { by: 'target', total: 7, data: [
    { month: '2025-09', group: 'country:US', count: 1 }, { month: '2025-10', group: 'country:CN', count: 2 },
    { month: '2025-10', group: 'country:US', count: 2 }, { month: null, group: 'org:eu', count: 1 },
    { month: null, group: 'country:SG', count: 1 }, { month: null, group: null, count: 1 },
  ] };
  assert.deepEqual(sideTotals(answer, codes), [
    { id: 'country:US', count: 3, numeric: '840' }, { id: 'country:CN', count: 2, numeric: '156' },
    { id: 'country:SG', count: 1, numeric: '702' }, { id: 'org:eu', count: 1, numeric: null }, { id: null, count: 1, numeric: null },
  ]);
  assert.equal(alpha2('country:CN'), 'CN');
  assert.equal(alpha2('org:eu'), null);
  assert.equal(alpha2('firm:boeing'), null);
  assert.deepEqual(shapeIds({ objects: { countries: { geometries: [{ id: '156' }, { id: '840' }, {}] } } }), new Set(['156', '840']));
});

test('a country links to its jurisdiction page by entity id', () => {
  assert.equal(countryHref('country:CN'), '?view=country&id=country:CN');
  assert.equal(countryHref('org:eu'), '?view=country&id=org:eu');
});
