// The escalation timeline, plain SVG: one lane per side, a marker per measure at its date (shape by
// measure type, size and colour by intensity, filled when in force and hollow-dashed when only
// threatened), a dashed tail to a planned effective date, arrows for RETALIATES_AGAINST; beneath,
// each measure's lifecycle as bars from one event to the next (threatened, announced, in force,
// suspended, lifted), and the cumulative escalation index as a step line that moves at each
// event. Nothing is drawn at a made-up date: a measure with no day goes in a list beside the plot.
// Scale and placement helpers are pure.
import { s, h } from './dom.mjs';
import {
  displayName, formatDate, formatNumber, intensityColor, intensityRadius, measureTypeLabel, otherNames,
  stageLabel, statusLabel, textWidth, truncate, MEASURE_TYPE_LABELS, STAGE_LABELS, STATUS_AFTER, STATUS_LABELS,
} from './format.mjs';

export const SIDE_COLORS = { a: '#1d4ed8', b: '#0f766e' };

export const MARKER_SHAPES = {
  tariff: 'circle',
  export_control: 'square',
  import_ban: 'triangle-down',
  purchase_suspension: 'diamond',
  port_fee: 'hexagon',
  sanction: 'star',
  entity_list: 'cross',
  supply_cutoff: 'triangle-up',
  anti_dumping: 'pentagon',
  countervailing_duty: 'x',
  safeguard: 'octagon',
  investment_restriction: 'triangle-right',
  other: 'circle',
};

const DAY = 86400000;
const STAGE_ORDER = Object.keys(STAGE_LABELS);
const MAX_ROWS = 8;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-10-09" → days since 1970-01-01 (UTC, so no time zone shifts a date). */
export function dayNumber(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  return m ? Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY) : null;
}

export function dayToIso(day) {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

export function timeScale(d0, d1, x0, x1) {
  const span = Math.max(1, d1 - d0);
  const f = (day) => x0 + ((day - d0) / span) * (x1 - x0);
  f.domain = [d0, d1];
  return f;
}

/** The day range to draw: every date and effective date, padded. */
export function timeDomain(days) {
  const known = days.filter((d) => d !== null && d !== undefined);
  if (!known.length) return null;
  let d0 = Math.min(...known);
  let d1 = Math.max(...known);
  const pad = Math.max(2, Math.round((d1 - d0) * 0.06));
  return [d0 - pad, d1 + pad];
}

/** Tick days between d0 and d1 at a step that gives at most maxTicks: days, weeks, months, years. */
export function dateTicks(d0, d1, maxTicks = 8) {
  const span = d1 - d0;
  for (const step of [1, 2, 7, 14]) {
    if (span / step <= maxTicks) {
      const ticks = [];
      // weeks start on Mondays (1970-01-01 was a Thursday: day 4 is a Monday)
      let first = step >= 7 ? d0 + ((4 - d0) % 7 + 7) % 7 : d0;
      if (step === 1 || step === 2) first = d0;
      for (let d = first; d <= d1; d += step) ticks.push(d);
      return label(ticks, false);
    }
  }
  for (const months of [1, 2, 3, 6, 12, 24, 60]) {
    const ticks = [];
    const start = new Date(d0 * DAY);
    let y = start.getUTCFullYear();
    let m = start.getUTCMonth() + 1;
    if (m > 11) { m = 0; y += 1; }
    m = Math.ceil(m / months) * months;
    for (;;) {
      y += Math.floor(m / 12);
      m %= 12;
      const day = Math.round(Date.UTC(y, m, 1) / DAY);
      if (day > d1) break;
      if (day >= d0) ticks.push(day);
      m += months;
    }
    if (ticks.length <= maxTicks) return label(ticks, true);
  }
  return label([d0, d1], false);
}

function label(days, monthly) {
  let lastYear = null;
  return days.map((day) => {
    const d = new Date(day * DAY);
    const year = d.getUTCFullYear();
    const text = monthly ? `${MONTHS[d.getUTCMonth()]}${year !== lastYear ? ' ' + year : ''}` : `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${year !== lastYear ? ' ' + year : ''}`;
    lastYear = year;
    return { day, text };
  });
}

/**
 * Put labels in rows so none overlaps and no leader line crosses a label: items [{x, width}]
 * (x is where the label starts, at its marker; leader lines run from the marker at x up through
 * the rows below the label). Going from the right, a label sits one row above every label that
 * starts within its reach, so the leaders it would cover are all shorter than its own row.
 * Returns the row of each item, in the order given.
 */
export function stackLabels(items, gap = 10) {
  const rows = new Array(items.length);
  const placed = [];
  const order = items.map((it, i) => i).sort((p, q) => items[q].x - items[p].x || q - p);
  for (const i of order) {
    const { x, width } = items[i];
    let row = 0;
    for (const j of placed) if (items[j].x < x + width + gap) row = Math.max(row, rows[j] + 1);
    rows[i] = row;
    placed.push(i);
  }
  return rows;
}

/** Horizontal offsets that keep markers on the same day apart: centred, `spacing` apart. */
export function dodge(count, spacing) {
  return Array.from({ length: count }, (_, i) => (i - (count - 1) / 2) * spacing);
}

function polygon(n, r, rotation = -Math.PI / 2) {
  const pts = [];
  for (let i = 0; i < n; i++) {
    const a = rotation + (i * 2 * Math.PI) / n;
    pts.push(`${(r * Math.cos(a)).toFixed(2)},${(r * Math.sin(a)).toFixed(2)}`);
  }
  return `M${pts.join('L')}Z`;
}

/** An SVG path for a marker shape of radius r centred on 0,0 (areas roughly equal to a circle's). */
export function shapePath(shape, r) {
  switch (shape) {
    case 'square': { const a = r * 0.89; return `M${-a},${-a}H${a}V${a}H${-a}Z`; }
    case 'diamond': return polygon(4, r * 1.2);
    case 'triangle-up': return polygon(3, r * 1.35);
    case 'triangle-down': return polygon(3, r * 1.35, Math.PI / 2);
    case 'triangle-right': return polygon(3, r * 1.35, 0);
    case 'pentagon': return polygon(5, r * 1.08);
    case 'hexagon': return polygon(6, r * 1.05, 0);
    case 'octagon': return polygon(8, r * 1.02, Math.PI / 8);
    case 'star': {
      const pts = [];
      for (let i = 0; i < 10; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const rr = i % 2 ? r * 0.62 : r * 1.3;
        pts.push(`${(rr * Math.cos(a)).toFixed(2)},${(rr * Math.sin(a)).toFixed(2)}`);
      }
      return `M${pts.join('L')}Z`;
    }
    case 'cross':
    case 'x': {
      const a = r * 1.15;
      const t = r * 0.42;
      const pts = [[-t, -a], [t, -a], [t, -t], [a, -t], [a, t], [t, t], [t, a], [-t, a], [-t, t], [-a, t], [-a, -t], [-t, -t]];
      const rot = shape === 'x' ? Math.PI / 4 : 0;
      const c = Math.cos(rot);
      const sn = Math.sin(rot);
      return `M${pts.map(([x, y]) => `${(x * c - y * sn).toFixed(2)},${(x * sn + y * c).toFixed(2)}`).join('L')}Z`;
    }
    default: return `M${-r},0A${r},${r} 0 1,0 ${r},0A${r},${r} 0 1,0 ${-r},0Z`;
  }
}

/** Fill, stroke and dash for a status: in force solid, announced half-filled, threatened hollow-dashed. */
export function statusStyle(status, intensity) {
  const colour = intensityColor(intensity);
  switch (status) {
    case 'in_force': return { fill: colour, 'fill-opacity': 1, stroke: '#1f2937', 'stroke-opacity': 0.55, 'stroke-width': 1.4 };
    case 'announced': return { fill: colour, 'fill-opacity': 0.4, stroke: colour, 'stroke-width': 2.2 };
    case 'threatened': return { fill: '#ffffff', 'fill-opacity': 1, stroke: colour, 'stroke-width': 2.6, 'stroke-dasharray': '4 2.5' };
    case 'suspended': return { fill: '#ffffff', 'fill-opacity': 1, stroke: '#6b7280', 'stroke-width': 2, 'stroke-dasharray': '1.5 2.5' };
    case 'lifted': return { fill: '#d1d5db', 'fill-opacity': 1, stroke: '#6b7280', 'stroke-width': 1.6 };
    default: return { fill: colour, stroke: '#1f2937', 'stroke-width': 1.2 };
  }
}

/**
 * Each measure's lifecycle on the time axis, from its events (`measure.events`) and the answer's
 * index (`index[].changes`). An event its source dates sits at that date. An undated one sits where
 * the API placed it, at the publication date of the document that reports it: the index has it as
 * a change of that measure and stage `dated_by: 'document'`. An event placed by neither stays off
 * the axis, and a measure with no placed event has no day: nothing is drawn at a made-up date.
 * Events after `until` (the answer's window) are left out, as the index leaves them out.
 *
 * Returns a Map from measure id to
 *  {day, datedBy, events, segments, unplaced}:
 *  - day: where the measure's marker sits: its own date, else its first placed event's, else null;
 *    datedBy says which ('source' or 'document');
 *  - events: the placed events in the order they happened, {stage, status, date, datedBy, evidence};
 *  - segments: one per placed event, from it to the next: {...event, from, to} (`to` null: the
 *    measure is still in that status at the end of the view);
 *  - unplaced: the events with no day.
 */
export function placeLifecycles(measures, index = [], { until = null } = {}) {
  // The days the API gave undated events, per measure, in the index's order.
  const reported = new Map();
  for (const point of index || []) {
    for (const change of point.changes || []) {
      if (change.dated_by !== 'document') continue;
      if (!reported.has(change.measure)) reported.set(change.measure, []);
      reported.get(change.measure).push({ stage: change.stage, date: point.date, used: false });
    }
  }
  const lives = new Map();
  for (const m of measures) {
    const id = m.entity.id;
    const events = [];
    const unplaced = [];
    for (const event of m.measure?.events || []) {
      let date = event.date || null;
      let datedBy = 'source';
      if (!date) {
        const slot = (reported.get(id) || []).find((r) => !r.used && r.stage === event.stage);
        if (slot) {
          slot.used = true;
          date = slot.date;
          datedBy = 'document';
        }
      }
      if (!date) {
        unplaced.push(event);
        continue;
      }
      if (until && date > until) continue;
      events.push({ stage: event.stage, status: STATUS_AFTER[event.stage] || event.stage, date, datedBy, evidence: event.evidence || null });
    }
    events.sort((p, q) => p.date.localeCompare(q.date) || STAGE_ORDER.indexOf(p.stage) - STAGE_ORDER.indexOf(q.stage));
    const segments = events.map((event, i) => ({ ...event, from: event.date, to: events[i + 1]?.date ?? null }));
    const day = m.date || events[0]?.date || null;
    const datedBy = m.date ? 'source' : events[0]?.datedBy || null;
    lives.set(id, { day, datedBy, events, segments, unplaced });
  }
  return lives;
}

/**
 * How a lifecycle bar looks in a status: height and SVG attributes. Each status differs in more
 * than colour (outline, hatching, fill, thickness), so the bars read in grey too.
 */
export function segmentStyle(status, hatch = 'url(#life-hatch)') {
  switch (status) {
    case 'threatened': return { height: 10, attrs: { fill: '#fff7ed', stroke: '#c2410c', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' } };
    case 'announced': return { height: 10, attrs: { fill: hatch, stroke: '#c2410c', 'stroke-width': 1.2 } };
    case 'in_force': return { height: 10, attrs: { fill: '#b91c1c', stroke: '#7f1d1d', 'stroke-width': 1 } };
    case 'suspended': return { height: 10, attrs: { fill: '#f3f4f6', stroke: '#4b5563', 'stroke-width': 1.5, 'stroke-dasharray': '1.5 2.5' } };
    case 'lifted': return { height: 4, attrs: { fill: '#6b7280', stroke: 'none' } };
    default: return { height: 10, attrs: { fill: '#e5e7eb', stroke: '#6b7280', 'stroke-width': 1 } };
  }
}

/** The diagonal hatching of an "announced" bar (a pattern, so it needs an id in the document). */
function hatchPattern(id) {
  return s('pattern', { id, patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)' },
    s('rect', { width: 6, height: 6, fill: '#ffedd5' }),
    s('line', { x1: 1.5, y1: 0, x2: 1.5, y2: 6, stroke: '#ea580c', 'stroke-width': 2.2 }));
}

function segmentIcon(status) {
  const { height, attrs } = segmentStyle(status, 'url(#life-hatch-legend)');
  return s('svg', { class: 'legend-icon', width: 34, height: 14, viewBox: '0 0 34 14', 'aria-hidden': 'true' },
    status === 'announced' ? s('defs', {}, hatchPattern('life-hatch-legend')) : null,
    s('rect', { x: 2, y: 7 - height / 2, width: 30, height, ...attrs }));
}

export function markerIcon(shape, status, intensity, r = 7) {
  const size = r * 2 + 8;
  return s('svg', { class: 'legend-icon', width: size, height: size, viewBox: `${-size / 2} ${-size / 2} ${size} ${size}`, 'aria-hidden': 'true' },
    s('path', { d: shapePath(shape, r), ...statusStyle(status, intensity) }));
}

/** The legend under the plot, in HTML so it wraps on a phone. */
export function timelineLegend(answer, { lifecycles = null, asOf = null } = {}) {
  const lives = lifecycles || placeLifecycles(answer.data, answer.index, { until: answer.until });
  const segments = [...lives.values()].flatMap((life) => life.segments);
  const types = [...new Set(answer.data.map((m) => m.measure?.measure_type || 'other'))];
  const statuses = Object.keys(STATUS_LABELS).filter((st) => answer.data.some((m) => m.measure?.status === st));
  const lifeStatuses = Object.keys(STATUS_LABELS).filter((st) => segments.some((seg) => seg.status === st));
  const group = (title, items) => h('div', { class: 'legend-group' }, h('span', { class: 'legend-title' }, title), h('ul', { class: 'legend' }, items));
  const line = (attrs, extra = null) => s('svg', { class: 'legend-icon', width: 34, height: 14, viewBox: '0 0 34 14', 'aria-hidden': 'true' }, s('path', attrs), extra);
  return h('div', { class: 'timeline-legend', 'aria-label': 'Legend' },
    group('Measure type', types.map((t) => h('li', {}, markerIcon(MARKER_SHAPES[t] || 'circle', 'in_force', 5), MEASURE_TYPE_LABELS[t] || t))),
    group('Status', statuses.map((st) => h('li', {}, markerIcon('circle', st, 5), statusLabel(st)))),
    group('Intensity (size and colour)', [2, 5, 8].map((v) => h('li', {}, markerIcon('circle', 'in_force', v, intensityRadius(v) * 0.7), String(v)))),
    segments.length ? group('Lifecycle bars', [
      ...lifeStatuses.map((st) => h('li', { 'data-legend-status': st }, segmentIcon(st), statusLabel(st))),
      h('li', {}, line({ d: 'M17,1V13', stroke: '#111827', 'stroke-width': 1.5 }), 'event dated by its source'),
      segments.some((seg) => seg.datedBy === 'document')
        ? h('li', {}, line({ d: 'M17,4V14', stroke: '#111827', 'stroke-width': 1.5 }, s('circle', { cx: 17, cy: 4, r: 3, fill: '#fff', stroke: '#111827', 'stroke-width': 1.5 })), 'undated event, at its report’s publication date')
        : null,
      (answer.index || []).some((p) => p.changes?.length && p.changes.every((c) => c.dated_by === 'document'))
        ? h('li', {}, s('svg', { class: 'legend-icon', width: 34, height: 14, viewBox: '0 0 34 14', 'aria-hidden': 'true' }, s('circle', { cx: 17, cy: 7, r: 4, fill: '#fff', stroke: '#111827', 'stroke-width': 1.5 })), 'index step on a report’s date only')
        : null,
    ]) : null,
    group('Links', [
      h('li', {}, line({ d: 'M2,7H26', stroke: '#dc2626', 'stroke-width': 2 }, s('path', { d: 'M24,2L32,7L24,12Z', fill: '#dc2626' })), 'retaliates against'),
      h('li', {}, line({ d: 'M2,7H28', stroke: '#475569', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }, s('circle', { cx: 30, cy: 7, r: 3, fill: '#fff', stroke: '#475569', 'stroke-width': 1.5 })), 'until a planned effective date'),
      asOf ? h('li', {}, line({ d: 'M17,0V14', stroke: '#7c3aed', 'stroke-width': 2, 'stroke-dasharray': '5 3' }), `the view’s day (${formatDate(asOf)})`) : null,
    ]));
}

/**
 * Draw the timeline of an escalation answer.
 * `indexBase` is the index point the line starts from ({index, index_a, index_b}; zeros when
 * absent): on a page of a longer escalation, the level reached before the page's first date.
 * `lifecycles` is placeLifecycles' answer (made here when not given); `asOf` the day the view
 * shows (YYYY-MM-DD), where lifecycles and the index line stop. Measures with no day are not
 * drawn (the caller lists them). `onEvent(measure, segment)` opens a lifecycle bar's evidence.
 * @returns {SVGSVGElement}
 */
export function renderTimeline(answer, { width = 960, onSelect, onLink, onEvent, selected, indexBase = null, lifecycles = null, asOf = null } = {}) {
  const W = Math.max(600, Math.round(width));
  const lives = lifecycles || placeLifecycles(answer.data, answer.index, { until: answer.until });
  const lifeOf = (m) => lives.get(m.entity.id);
  // Only measures with a day are drawn: an undated one would need a made-up date.
  const measures = answer.data.filter((m) => lifeOf(m)?.day);
  const index = answer.index || [];
  const ML = W < 760 ? 124 : 168;
  const MR = 44;
  const x0 = ML + 16;
  const x1 = W - MR;
  const asOfDay = dayNumber(asOf);
  const domain = timeDomain([
    ...measures.flatMap((m) => [dayNumber(lifeOf(m).day), ...lifeOf(m).events.map((e) => dayNumber(e.date)), dayNumber(m.measure?.effective), dayNumber(m.measure?.ended)]),
    ...index.map((p) => dayNumber(p.date)),
    asOfDay,
  ]) || [dayNumber('2000-01-01'), dayNumber('2000-01-02')];
  const x = timeScale(domain[0], domain[1], x0, x1);
  // Where "now" is drawn: the view's day when it has one, else the right end of the axis.
  const endX = asOfDay !== null ? x(asOfDay) : x1 + 10;
  const ROW = 17;
  const FONT = 12;

  // Marker x: the measure's day, dodged when several measures of one side share a day.
  const place = new Map();
  for (const side of ['a', 'b']) {
    const groups = new Map();
    for (const m of measures.filter((mm) => mm.side === side)) {
      const key = lifeOf(m).day;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(m);
    }
    for (const [key, group] of groups) {
      const spacing = Math.max(...group.map((m) => intensityRadius(m.intensity))) * 2 + 4;
      const offsets = dodge(group.length, spacing);
      group.forEach((m, i) => {
        const base = x(dayNumber(key));
        place.set(m.entity.id, { x: base + offsets[i], dateX: base, r: intensityRadius(m.intensity) });
      });
    }
  }

  // Labels: stacked in rows away from the markers (up for side a, down for side b).
  const labelRows = {};
  const labelText = (m) => truncate(displayName(m.entity), 44);
  for (const side of ['a', 'b']) {
    const items = measures.filter((m) => m.side === side).map((m) => {
      const text = labelText(m);
      const w = textWidth(text, FONT) + 6;
      const px = place.get(m.entity.id).x;
      const anchorEnd = px + w > x1 + MR - 8;
      return { m, x: anchorEnd ? px - w : px - 2, width: w + 2, anchorEnd };
    }).sort((p, q) => p.x - q.x);
    const rows = stackLabels(items);
    items.forEach((it, i) => { it.row = rows[i]; });
    // Past MAX_ROWS a label is left out (its marker keeps its tooltip; the table lists every one).
    labelRows[side] = items.filter((it) => it.row < MAX_ROWS);
  }
  const rowsA = Math.max(1, ...labelRows.a.map((i) => i.row + 1));
  const rowsB = Math.max(1, ...labelRows.b.map((i) => i.row + 1));
  const top = 8;
  const yA = top + 34 + rowsA * ROW + 20;
  const gap = 118;
  const yB = yA + gap;
  const axisY = yB + 30 + rowsB * ROW + 10;
  // The lifecycle bars: one row per measure with a placed event, side a's first.
  const lifeRows = ['a', 'b'].flatMap((side) => measures.filter((m) => m.side === side && lifeOf(m).segments.length));
  const LIFE_ROW = 27;
  const lifeTop = axisY + 58;
  const indexTop = (lifeRows.length ? lifeTop + lifeRows.length * LIFE_ROW : axisY) + 62;
  const indexH = 132;
  const H = indexTop + indexH + 34;

  const svg = s('svg', {
    class: 'timeline', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'group',
    'aria-label': `Timeline of ${measures.length} measures between ${displayName(answer.a)} and ${displayName(answer.b)}${asOf ? ` as of ${formatDate(asOf)}` : ''}, with each measure's lifecycle and the cumulative escalation index`,
  });
  svg.append(s('defs', {},
    s('marker', { id: 'arrow-retaliation', viewBox: '0 0 10 10', refX: 8.5, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0L10,5L0,10Z', fill: '#dc2626' })),
    hatchPattern('life-hatch')));

  // Lane bands and their names.
  const mid = (yA + yB) / 2;
  const bands = s('g', { class: 'lanes', 'aria-hidden': 'true' },
    s('rect', { x: 0, y: top, width: W, height: mid - top, fill: '#f5f8ff' }),
    s('rect', { x: 0, y: mid, width: W, height: axisY - mid, fill: '#f2faf8' }),
    s('rect', { x: 0, y: top, width: 4, height: mid - top, fill: SIDE_COLORS.a }),
    s('rect', { x: 0, y: mid, width: 4, height: axisY - mid, fill: SIDE_COLORS.b }),
    s('line', { x1: 0, x2: W, y1: mid, y2: mid, stroke: '#cbd5e1' }));
  svg.append(bands);
  const laneName = (actor, y, side, count) => {
    const g = s('g', { class: `lane-name lane-${side}` });
    g.append(s('text', { x: 14, y: y - 6, class: 'lane-title', fill: SIDE_COLORS[side] }, truncate(displayName(actor), ML < 150 ? 15 : 22)));
    const native = otherNames(actor).map((n) => n.text).join(' · ');
    let line = y + 10;
    if (native) {
      g.append(s('text', { x: 14, y: line, class: 'lane-native', lang: otherNames(actor)[0].lang }, truncate(native, 18)));
      line += 16;
    }
    g.append(s('text', { x: 14, y: line, class: 'lane-count' }, `${count} ${count === 1 ? 'measure' : 'measures'} imposed`));
    return g;
  };
  svg.append(laneName(answer.a, yA, 'a', measures.filter((m) => m.side === 'a').length));
  svg.append(laneName(answer.b, yB, 'b', measures.filter((m) => m.side === 'b').length));

  // Date grid and axis (repeated under the index plot).
  const ticks = measures.length ? dateTicks(domain[0], domain[1], Math.max(3, Math.floor((x1 - x0) / 90))) : [];
  const grid = s('g', { class: 'grid', 'aria-hidden': 'true' });
  for (const t of ticks) {
    const tx = x(t.day);
    grid.append(
      s('line', { x1: tx, x2: tx, y1: top, y2: indexTop + indexH, stroke: '#e2e8f0' }),
      s('text', { x: tx, y: axisY + 16, class: 'tick', 'text-anchor': 'middle' }, t.text),
      s('text', { x: tx, y: indexTop + indexH + 18, class: 'tick', 'text-anchor': 'middle' }, t.text),
    );
  }
  grid.append(s('line', { x1: x0 - 10, x2: x1 + 10, y1: axisY, y2: axisY, stroke: '#94a3b8' }));
  svg.append(grid);
  if (asOfDay !== null) {
    svg.append(s('g', { class: 'as-of-line', 'data-as-of': asOf, 'aria-hidden': 'true' },
      s('line', { x1: endX, x2: endX, y1: top, y2: indexTop + indexH, stroke: '#7c3aed', 'stroke-width': 2, 'stroke-dasharray': '5 3' }),
      s('text', { x: endX - 4, y: top + 14, class: 'as-of-label', 'text-anchor': 'end' }, `as of ${formatDate(asOf)}`)));
  }

  const laneY = (m) => (m.side === 'a' ? yA : yB);

  // Tails to a planned effective date: one a lifecycle event already shows (the measure took
  // force that day) needs none.
  const tails = s('g', { class: 'tails' });
  for (const m of measures) {
    const eff = dayNumber(m.measure?.effective);
    const start = dayNumber(lifeOf(m).day);
    if (eff === null || eff <= start) continue;
    if (lifeOf(m).events.some((e) => e.status === 'in_force' && dayNumber(e.date) === eff)) continue;
    const p = place.get(m.entity.id);
    const y = laneY(m);
    const xe = x(eff);
    tails.append(
      s('line', { x1: p.x + p.r, x2: xe - 4, y1: y, y2: y, stroke: '#475569', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }),
      s('circle', { cx: xe, cy: y, r: 4, fill: '#fff', stroke: '#475569', 'stroke-width': 1.5 }),
      s('text', { x: xe, y: y + (m.side === 'a' ? 18 : -10), class: 'tail-label', 'text-anchor': 'middle' }, `effective ${formatDate(m.measure.effective, { year: false })}`),
    );
  }
  svg.append(tails);

  // Labels with leader lines.
  const labels = s('g', { class: 'labels' });
  for (const side of ['a', 'b']) {
    for (const it of labelRows[side]) {
      const p = place.get(it.m.entity.id);
      const y = side === 'a' ? yA - p.r - 14 - it.row * ROW : yB + p.r + 24 + it.row * ROW;
      const textY = y;
      const lineFrom = side === 'a' ? yA - p.r - 2 : yB + p.r + 2;
      const lineTo = side === 'a' ? textY + 3 : textY - FONT + 1;
      labels.append(
        s('line', { x1: p.x, x2: p.x, y1: lineFrom, y2: lineTo, stroke: '#94a3b8', 'stroke-width': 1 }),
        s('text', { x: it.anchorEnd ? p.x - 3 : p.x + 3, y: textY, class: 'marker-label', 'text-anchor': it.anchorEnd ? 'end' : 'start' }, labelText(it.m)),
      );
    }
  }
  svg.append(labels);

  // Retaliation arrows: from the measure that retaliates to the one it answers.
  const byId = new Map(measures.map((m) => [m.entity.id, m]));
  const arrows = s('g', { class: 'retaliations' });
  for (const link of answer.links || []) {
    if (link.type !== 'RETALIATES_AGAINST') continue;
    const from = byId.get(link.source);
    const to = byId.get(link.target);
    if (!from || !to) continue;
    const pf = place.get(from.entity.id);
    const pt = place.get(to.entity.id);
    const yf = laneY(from);
    const yt = laneY(to);
    let d;
    let labelAt;
    if (from.side !== to.side) {
      const sf = from.side === 'a' ? 1 : -1; // leave towards the other lane
      const sy = yf + sf * (pf.r + 3);
      const ty = yt - sf * (pt.r + 4);
      d = `M${pf.x},${sy} C${pf.x},${mid} ${pt.x},${mid} ${pt.x},${ty}`;
      labelAt = [(pf.x + pt.x) / 2, mid];
    } else {
      const sf = from.side === 'a' ? 1 : -1;
      const depth = sf * 46;
      d = `M${pf.x},${yf + sf * (pf.r + 3)} C${pf.x},${yf + depth} ${pt.x},${yt + depth} ${pt.x},${yt + sf * (pt.r + 4)}`;
      labelAt = [(pf.x + pt.x) / 2, yf + depth * 0.8];
    }
    const label = `${displayName(from.entity)} retaliates against ${displayName(to.entity)}`;
    const g = s('g', { class: 'retaliation', role: 'button', tabindex: 0, 'aria-label': `${label}: show the evidence`, 'data-source': link.source, 'data-target': link.target },
      s('title', {}, label),
      s('path', { d, class: 'retaliation-hit', fill: 'none', stroke: 'transparent', 'stroke-width': 14 }),
      s('path', { d, class: 'retaliation-line', fill: 'none', stroke: '#dc2626', 'stroke-width': 2.2, 'marker-end': 'url(#arrow-retaliation)' }),
      s('text', { x: labelAt[0], y: labelAt[1] - 6, class: 'retaliation-label', 'text-anchor': 'middle' }, 'retaliates against'));
    const activate = () => onLink?.(link);
    g.addEventListener('click', activate);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
    arrows.append(g);
  }
  svg.append(arrows);

  // Markers. One whose day is its report's publication date (its source gives none) wears a
  // dotted ring, and its tooltip says so.
  const markers = s('g', { class: 'markers' });
  for (const m of measures) {
    const p = place.get(m.entity.id);
    const life = lifeOf(m);
    const y = laneY(m);
    const type = m.measure?.measure_type || 'other';
    const status = m.measure?.status;
    const reported = life.datedBy === 'document';
    const when = formatDate(life.day) + (reported ? ' (no date in the source: its report’s publication date)' : '');
    const aria = `${when}: ${displayName(m.entity)}. ${measureTypeLabel(type)}, ${statusLabel(status).toLowerCase()}, intensity ${formatNumber(m.intensity, 2)}`;
    const g = s('g', {
      class: 'marker' + (selected === m.entity.id ? ' selected' : ''), role: 'button', tabindex: 0, 'aria-label': aria,
      transform: `translate(${p.x.toFixed(1)},${y.toFixed(1)})`,
      'data-measure': m.entity.id, 'data-date': life.day, 'data-dated-by': life.datedBy, 'data-side': m.side, 'data-status': status || '', 'data-type': type,
    },
    s('title', {}, `${displayName(m.entity)}\n${when} · ${measureTypeLabel(type)} · ${statusLabel(status)} · intensity ${formatNumber(m.intensity, 2)}`),
    s('circle', { r: p.r + 6, class: 'marker-focus', fill: 'none' }),
    reported ? s('circle', { r: p.r + 3.5, class: 'marker-reported', fill: 'none', stroke: '#475569', 'stroke-width': 1.2, 'stroke-dasharray': '2 2' }) : null,
    s('path', { d: shapePath(MARKER_SHAPES[type] || 'circle', p.r), ...statusStyle(status, m.intensity) }));
    const activate = () => onSelect?.(m);
    g.addEventListener('click', activate);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
    markers.append(g);
  }
  svg.append(markers);

  // Lifecycles: per measure, a bar from each event to the next, in the status the event left it
  // in; the last runs to the view's day (or the end of the axis), with an open end.
  if (lifeRows.length) {
    const life = s('g', { class: 'lifecycles' },
      s('text', { x: 14, y: lifeTop - 22, class: 'chart-title' }, 'Lifecycle of each measure'),
      s('text', { x: 14, y: lifeTop - 8, class: 'chart-sub' }, 'a bar from each event to the next: Tab moves between them, Enter shows the quote'));
    let lastSide = null;
    lifeRows.forEach((m, i) => {
      const rowTop = lifeTop + i * LIFE_ROW;
      const barMid = rowTop + 18;
      const { segments } = lifeOf(m);
      life.append(s('rect', { x: 0, y: rowTop, width: 4, height: LIFE_ROW, fill: SIDE_COLORS[m.side], 'aria-hidden': 'true' }));
      if (m.side !== lastSide) {
        life.append(s('text', { x: 14, y: barMid + 4, class: 'life-side', fill: SIDE_COLORS[m.side] }, truncate(displayName(m.side === 'a' ? answer.a : answer.b), ML < 150 ? 15 : 22)));
        lastSide = m.side;
      }
      // The measure's name above its bars, from its first event (or ending at the right edge).
      const xs = x(dayNumber(segments[0].from));
      const name = truncate(displayName(m.entity), 80);
      const fits = xs + textWidth(name, 11.5) <= W - 8;
      life.append(s('text', { x: fits ? xs : W - 8, y: rowTop + 9, class: 'life-label', 'text-anchor': fits ? 'start' : 'end' }, name));
      for (const seg of segments) {
        const xa = x(dayNumber(seg.from));
        const xb = Math.max(xa + 3, seg.to ? x(dayNumber(seg.to)) : endX);
        const { height, attrs } = segmentStyle(seg.status);
        const reported = seg.datedBy === 'document';
        const dateText = formatDate(seg.from) + (reported ? ' (no date in the source: placed at its report’s publication date)' : '');
        const until = seg.to ? `until ${formatDate(seg.to)}` : asOf ? `still on ${formatDate(asOf)}` : 'to this day';
        const quote = seg.evidence?.quote ? `\n“${truncate(seg.evidence.quote, 240)}”` : '';
        const g = s('g', {
          class: 'life-segment', role: 'button', tabindex: 0,
          'aria-label': `${displayName(m.entity)}: ${stageLabel(seg.stage).toLowerCase()} on ${dateText}; ${statusLabel(seg.status).toLowerCase()} ${until}. Show the quote`,
          'data-measure': m.entity.id, 'data-stage': seg.stage, 'data-status': seg.status, 'data-from': seg.from, 'data-to': seg.to || '', 'data-dated-by': seg.datedBy,
        },
        s('title', {}, `${displayName(m.entity)}\n${stageLabel(seg.stage)}: ${dateText}\n${statusLabel(seg.status)} ${until}${quote}`),
        s('rect', { x: xa, y: barMid - height / 2, width: xb - xa, height, class: 'life-bar', ...attrs }),
        // The event: a tick where the bar starts; a hollow ring on it when the day is its report's.
        s('path', { d: `M${xa},${barMid - 8}V${barMid + 8}`, class: 'life-event', stroke: '#111827', 'stroke-width': 1.5 }),
        reported ? s('circle', { cx: xa, cy: barMid - 8, r: 3, class: 'life-event-reported', fill: '#fff', stroke: '#111827', 'stroke-width': 1.5 }) : null,
        seg.to ? null : s('path', { d: `M${xb + 2},${barMid - 4}L${xb + 6},${barMid}L${xb + 2},${barMid + 4}`, class: 'life-open', fill: 'none', stroke: '#475569', 'stroke-width': 1.5 }));
        const activate = () => onEvent?.(m, seg);
        g.addEventListener('click', activate);
        g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
        life.append(g);
      }
    });
    svg.append(life);
  }

  // The cumulative index beneath, on the same date axis: a step at each day with an event.
  const names = new Map(answer.data.map((m) => [m.entity.id, displayName(m.entity)]));
  const chart = s('g', { class: 'index-chart' });
  const base = { index: 0, index_a: 0, index_b: 0, ...indexBase };
  const values = [base, ...index].flatMap((p) => [p.index, p.index_a, p.index_b]);
  const vmax = Math.max(1, ...values);
  const vmin = Math.min(0, ...values);
  const niceMax = niceCeil(vmax);
  const y = (v) => indexTop + indexH - ((v - vmin) / (niceMax - vmin)) * indexH;
  chart.append(s('text', { x: 14, y: indexTop - 16, class: 'chart-title' }, 'Cumulative escalation index'),
    s('text', { x: 14, y: indexTop + 2, class: 'chart-sub' }, 'moved by each'),
    s('text', { x: 14, y: indexTop + 16, class: 'chart-sub' }, 'lifecycle event'));
  for (const v of [vmin, niceMax / 2, niceMax].filter((v, i, arr) => arr.indexOf(v) === i)) {
    chart.append(
      s('line', { x1: x0 - 10, x2: x1 + 10, y1: y(v), y2: y(v), stroke: v === 0 ? '#94a3b8' : '#e2e8f0' }),
      s('text', { x: x0 - 16, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, formatNumber(v, 1)),
    );
  }
  const step = (key) => {
    if (!index.length) return '';
    let d = `M${x0 - 10},${y(base[key])}`;
    for (const p of index) d += `H${x(dayNumber(p.date)).toFixed(1)}V${y(p[key]).toFixed(1)}`;
    return d + `H${endX.toFixed(1)}`;
  };
  const series = [
    ['index_a', SIDE_COLORS.a, 1.8, '5 3', displayName(answer.a)],
    ['index_b', SIDE_COLORS.b, 1.8, '5 3', displayName(answer.b)],
    ['index', '#111827', 2.8, null, 'both sides'],
  ];
  for (const [key, colour, widthPx, dash, name] of series) {
    chart.append(s('path', { d: step(key), fill: 'none', stroke: colour, 'stroke-width': widthPx, 'stroke-dasharray': dash, class: `index-line index-${key}` }, s('title', {}, `Index: ${name}`)));
  }
  // A point per day, hollow when every event of the day is placed at its report's date.
  for (const p of index) {
    const px = x(dayNumber(p.date));
    const changes = p.changes || [];
    const reported = changes.length > 0 && changes.every((c) => c.dated_by === 'document');
    const lines = changes.map((c) => `${names.get(c.measure) || c.measure}: ${stageLabel(c.stage).toLowerCase()} ${c.delta >= 0 ? '+' : ''}${formatNumber(c.delta, 2)}${c.dated_by === 'document' ? ' (undated: its report’s date)' : ''}`);
    chart.append(s('circle', {
      cx: px, cy: y(p.index), r: 4, fill: reported ? '#fff' : '#111827', stroke: '#111827', 'stroke-width': 1.5, class: 'index-point',
      'data-date': p.date, 'data-index': p.index, 'data-changes': changes.length,
    },
    s('title', {}, [`${formatDate(p.date)}: index ${formatNumber(p.index, 2)} (${p.delta >= 0 ? '+' : ''}${formatNumber(p.delta, 2)}); ${displayName(answer.a)} ${formatNumber(p.index_a, 2)}, ${displayName(answer.b)} ${formatNumber(p.index_b, 2)}`, ...lines].join('\n'))));
  }
  if (index.length) {
    const last = index[index.length - 1];
    chart.append(s('text', { x: Math.max(endX, x(dayNumber(last.date))) + 4, y: y(last.index) + 4, class: 'index-value' }, formatNumber(last.index, 1)));
  }
  // Inline key for the three lines.
  let kx = 240;
  for (const [, colour, widthPx, dash, name] of [...series].reverse()) {
    chart.append(s('line', { x1: kx, x2: kx + 22, y1: indexTop - 20, y2: indexTop - 20, stroke: colour, 'stroke-width': widthPx, 'stroke-dasharray': dash }));
    const text = truncate(name, 26);
    chart.append(s('text', { x: kx + 28, y: indexTop - 16, class: 'chart-key' }, text));
    kx += 28 + textWidth(text, 12) + 26;
  }
  svg.append(chart);
  return svg;
}

function niceCeil(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

