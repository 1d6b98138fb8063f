// Unit tests of the explorer's pure modules, run by `node --test` (no packages needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  displayName, otherNames, formatShare, formatDate, formatMagnitude, locateSpan, exposureColor,
  intensityRadius, neo4jBrowserLink, neo4jCypher, relationLabel, truncate, typeFromId,
} from '../../../../app/static/js/format.mjs';

const china = { id: 'country:CN', type: 'Country', name: 'China', names: { en: 'China', zh: '中国' } };

test('names: English first, the entity’s own names beside it', () => {
  assert.equal(displayName(china), 'China');
  assert.deepEqual(otherNames(china), [{ lang: 'zh', text: '中国' }]);
  assert.equal(displayName({ id: 'x:y', names: { zh: '稀土' } }), '稀土');
  assert.equal(displayName({ id: 'x:y' }), 'x:y');
  assert.deepEqual(otherNames({ id: 'a', names: { en: 'F-35', zh: 'F-35' } }), []);
});

test('shares, dates and magnitudes read as a person writes them', () => {
  assert.equal(formatShare(1), '100%');
  assert.equal(formatShare(0.35), '35%');
  assert.equal(formatShare(0.005), '0.5%');
  assert.equal(formatShare(null), 'unknown');
  assert.equal(formatDate('2025-10-09'), '9 Oct 2025');
  assert.equal(formatDate('2025-11-01', { year: false }), '1 Nov');
  assert.equal(formatDate(null), 'undated');
  assert.equal(formatMagnitude({ rate: 155, previous_rate: 100, unit: '%' }), '100% → 155%');
  assert.equal(formatMagnitude({ rate: null, amount: 1.5, unit: 'bn USD' }), '1.5 bn USD');
  assert.equal(formatMagnitude({}), '');
  assert.equal(relationLabel('RETALIATES_AGAINST'), 'retaliates against');
  assert.equal(relationLabel('RETALIATES_AGAINST', true), 'answered by');
  assert.equal(relationLabel('SELLS_TO'), 'sells to');
  assert.equal(relationLabel('SELLS_TO', true), 'buys from');
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(typeFromId('measure:x'), 'Measure');
});

test('a quote is found in its document even when the span is off', () => {
  const text = '第一句。F-35 战斗机依赖中国供应。第三句。';
  const quote = 'F-35 战斗机依赖中国供应';
  const exact = locateSpan(text, 4, 4 + quote.length, quote);
  assert.equal(exact.match, quote);
  assert.ok(exact.exact);
  const moved = locateSpan(text, 0, 3, quote);
  assert.equal(moved.match, quote);
  assert.equal(moved.start, 4);
  const missing = locateSpan(text, 100, 200, 'not there');
  assert.equal(missing.exact, false);
  assert.equal(missing.match, '');
});

test('exposure and intensity scales', () => {
  assert.equal(exposureColor(null), '#eef1f5');
  assert.notEqual(exposureColor(0), exposureColor(1));
  assert.ok(intensityRadius(7) > intensityRadius(2.44));
  assert.equal(intensityRadius(-3), intensityRadius(3));
});

test('the Neo4j Browser link puts a query for the node in the editor', () => {
  const link = new URL(neo4jBrowserLink('http://127.0.0.1:7474/browser/', 'country:CN'));
  assert.equal(link.searchParams.get('cmd'), 'edit');
  assert.equal(link.searchParams.get('arg'), neo4jCypher('country:CN'));
  assert.match(neo4jCypher("firm:o'neil"), /firm:o\\'neil/);
  assert.equal(neo4jBrowserLink(null, 'country:CN'), null);
});

test('disputed values read as the measure shows them', async () => {
  const { conflictFieldLabel, conflictValueText } = await import('../../../../app/static/js/format.mjs');
  assert.equal(conflictFieldLabel('rate', null), 'Rate');
  assert.equal(conflictFieldLabel('effective', 'in_force'), 'Effective (in force)');
  assert.equal(conflictFieldLabel('announced', 'announced'), 'Announced');
  assert.equal(conflictFieldLabel('announced', 'threatened'), 'Announced (threatened)');
  assert.equal(conflictValueText('rate', 130, '%'), '130%');
  assert.equal(conflictValueText('amount', 1.5, 'bn USD'), '1.5 bn USD');
  assert.equal(conflictValueText('effective', '2025-11-01', '%'), '1 Nov 2025');
  assert.equal(conflictValueText('legal_reference', 'No. 61', '%'), 'No. 61');
  assert.equal(conflictValueText('rate', null, '%'), 'none');
});
