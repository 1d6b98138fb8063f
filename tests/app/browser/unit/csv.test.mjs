import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, csvText } from '../../../../app/static/js/views/shared.mjs';

test('a CSV field is quoted only when it holds a comma, a quote or a line break', () => {
  assert.equal(csvField('rare earths'), 'rare earths');
  assert.equal(csvField('Ministry of Economy, Trade and Industry'), '"Ministry of Economy, Trade and Industry"');
  assert.equal(csvField('the "Aegis" radar'), '"the ""Aegis"" radar"');
  assert.equal(csvField('line one\nline two'), '"line one\nline two"');
  assert.equal(csvField('a\r\nb'), '"a\r\nb"');
  assert.equal(csvField('稀土，镝'), '稀土，镝'); // a full-width comma is text, not a separator
  assert.equal(csvField('中国, 美国'), '"中国, 美国"');
});

test('empty, boolean and numeric values are written as the API writes them', () => {
  assert.equal(csvField(null), '');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(true), 'true');
  assert.equal(csvField(false), 'false');
  assert.equal(csvField(0), '0');
  assert.equal(csvField(0.35), '0.35');
  assert.equal(csvField(''), '');
});

test('a CSV text is the header and the rows, every line ended by CRLF', () => {
  const text = csvText(['entity.id', 'entity.name', 'exposure'], [
    ['product:f-35', 'F-35 fighter', 1],
    ['firm:boeing', '波音公司 "Boeing", Inc.', null],
    ['commodity:rare-earths', '稀土\n(rare earths)', 0.21],
  ]);
  assert.equal(text, 'entity.id,entity.name,exposure\r\n'
    + 'product:f-35,F-35 fighter,1\r\n'
    + 'firm:boeing,"波音公司 ""Boeing"", Inc.",\r\n'
    + 'commodity:rare-earths,"稀土\n(rare earths)",0.21\r\n');
  assert.equal(csvText(['a', 'b'], []), 'a,b\r\n');
});
