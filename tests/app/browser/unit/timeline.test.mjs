import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateTicks, dayNumber, dayToIso, dodge, placeLifecycles, segmentStyle, shapePath, stackLabels, timeDomain, timeScale, MARKER_SHAPES,
} from '../../../../app/static/js/timeline.mjs';
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

// An escalation answer's measure and index, as the API gives them (only the fields used).
const measure = (id, date, events) => ({ entity: { id }, date, measure: { events } });
const change = (measureId, stage, datedBy = 'source') => ({ measure: measureId, stage, delta: 1, dated_by: datedBy });

test('a lifecycle is one bar per event, to the next event; an undated event sits where the index placed it', () => {
  const quote = { document_id: 'doc:1', quote: '实施', start: 0, end: 2 };
  const data = [measure('m:rare', '2025-10-09', [
    { stage: 'announced', date: '2025-10-09' },
    { stage: 'in_force', date: null, evidence: quote },
  ])];
  const index = [
    { date: '2025-10-09', changes: [change('m:rare', 'announced')] },
    { date: '2025-10-24', changes: [change('m:rare', 'in_force', 'document')] },
  ];
  const life = placeLifecycles(data, index).get('m:rare');
  assert.equal(life.day, '2025-10-09');
  assert.deepEqual(life.segments.map((seg) => [seg.stage, seg.status, seg.from, seg.to, seg.datedBy]), [
    ['announced', 'announced', '2025-10-09', '2025-10-24', 'source'],
    ['in_force', 'in_force', '2025-10-24', null, 'document'],
  ]);
  assert.equal(life.segments[1].evidence, quote);
  assert.deepEqual(life.unplaced, []);
});

test('no made-up dates: a measure the index does not place has no day, its events none', () => {
  const data = [measure('m:soy', null, [{ stage: 'in_force', date: null }])];
  const life = placeLifecycles(data, [{ date: '2025-10-24', changes: [change('m:other', 'in_force', 'document')] }]).get('m:soy');
  assert.equal(life.day, null);
  assert.deepEqual(life.segments, []);
  assert.equal(life.unplaced.length, 1);
  // Placed by its report's date, it sits there and says so.
  const placed = placeLifecycles(data, [{ date: '2025-10-24', changes: [change('m:soy', 'in_force', 'document')] }]).get('m:soy');
  assert.deepEqual([placed.day, placed.datedBy], ['2025-10-24', 'document']);
});

test('events of one day keep the lifecycle order; an extension stays in force, an expiry ends it; the window ends at until', () => {
  const data = [measure('m:t', '2025-01-01', [
    { stage: 'in_force', date: '2025-01-01' },
    { stage: 'announced', date: '2025-01-01' },
    { stage: 'extended', date: '2025-06-01' },
    { stage: 'expired', date: '2025-12-31' },
  ])];
  const whole = placeLifecycles(data, []).get('m:t').segments;
  assert.deepEqual(whole.map((seg) => `${seg.stage}:${seg.status}:${seg.from}-${seg.to}`), [
    'announced:announced:2025-01-01-2025-01-01',
    'in_force:in_force:2025-01-01-2025-06-01',
    'extended:in_force:2025-06-01-2025-12-31',
    'expired:lifted:2025-12-31-null',
  ]);
  const windowed = placeLifecycles(data, [], { until: '2025-07-01' }).get('m:t').segments;
  assert.deepEqual(windowed.map((seg) => seg.stage), ['announced', 'in_force', 'extended']);
  assert.equal(windowed[2].to, null);
});

test('every status has a bar style of its own', () => {
  const looks = ['threatened', 'announced', 'in_force', 'suspended', 'lifted'].map((st) => JSON.stringify(segmentStyle(st)));
  assert.equal(new Set(looks).size, looks.length);
});
