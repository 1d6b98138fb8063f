import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateTicks, dayNumber, dayToIso, dodge, shapePath, stackLabels, timeDomain, timeScale, MARKER_SHAPES } from '../../../../app/static/js/timeline.mjs';
import { MEASURE_TYPE_LABELS } from '../../../../app/static/js/format.mjs';

test('dates are days, with no time zone in between', () => {
  assert.equal(dayToIso(dayNumber('2025-10-09')), '2025-10-09');
  assert.equal(dayNumber('2025-11-01') - dayNumber('2025-10-09'), 23);
  assert.equal(dayNumber(null), null);
  const x = timeScale(dayNumber('2025-10-01'), dayNumber('2025-10-31'), 0, 300);
  assert.ok(x(dayNumber('2025-10-09')) < x(dayNumber('2025-11-01') - 1));
});

test('the domain covers every date, padded', () => {
  const [d0, d1] = timeDomain([dayNumber('2025-10-09'), dayNumber('2025-11-01'), null]);
  assert.ok(d0 < dayNumber('2025-10-09') && d1 > dayNumber('2025-11-01'));
  assert.equal(timeDomain([null]), null);
});

test('ticks step by days, weeks or months and say the year once', () => {
  const weekly = dateTicks(dayNumber('2025-10-07'), dayNumber('2025-11-04'), 6);
  assert.ok(weekly.length >= 3 && weekly.length <= 6);
  assert.match(weekly[0].text, /2025$/);
  assert.doesNotMatch(weekly[1].text, /2025/);
  const monthly = dateTicks(dayNumber('2018-01-01'), dayNumber('2025-12-31'), 8);
  assert.ok(monthly.length <= 8 && monthly.length >= 2);
});

test('labels stack without overlapping, and leader lines only pass labels further right', () => {
  const items = [{ x: 0, width: 100 }, { x: 50, width: 100 }, { x: 120, width: 50 }, { x: 400, width: 10 }];
  const rows = stackLabels(items);
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < items.length; j++) {
      if (i === j || rows[i] !== rows[j]) continue;
      const [a, b] = [items[i], items[j]];
      assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x, `${i} and ${j} overlap in row ${rows[i]}`);
    }
  }
  // A label's leader line at x crosses the rows below it; nothing there may start before x.
  for (let i = 0; i < items.length; i++) {
    for (let j = 0; j < items.length; j++) {
      if (rows[j] < rows[i]) assert.ok(!(items[j].x < items[i].x && items[j].x + items[j].width > items[i].x), `leader of ${i} crosses ${j}`);
    }
  }
  assert.equal(rows[3], 0);
});

test('same-day markers are spread around the day; every measure type has a shape', () => {
  assert.deepEqual(dodge(1, 10), [0]);
  assert.deepEqual(dodge(2, 10), [-5, 5]);
  for (const type of Object.keys(MEASURE_TYPE_LABELS)) {
    assert.ok(MARKER_SHAPES[type], type);
    assert.match(shapePath(MARKER_SHAPES[type], 8), /^M.*Z$/);
  }
});
