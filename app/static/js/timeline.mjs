// The escalation timeline, plain SVG: one lane per side, a marker per measure at its date (shape by
// measure type, size and colour by intensity, filled when in force and hollow-dashed when only
// threatened), a dashed tail to the effective date, arrows for RETALIATES_AGAINST, and the
// cumulative escalation index as a step line beneath. Scale and placement helpers are pure.
import { s, h } from './dom.mjs';
import {
  displayName, formatDate, formatNumber, intensityColor, intensityRadius, measureTypeLabel, otherNames,
  statusLabel, textWidth, truncate, MEASURE_TYPE_LABELS, STATUS_LABELS,
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

export function markerIcon(shape, status, intensity, r = 7) {
  const size = r * 2 + 8;
  return s('svg', { class: 'legend-icon', width: size, height: size, viewBox: `${-size / 2} ${-size / 2} ${size} ${size}`, 'aria-hidden': 'true' },
    s('path', { d: shapePath(shape, r), ...statusStyle(status, intensity) }));
}

/** The legend under the plot, in HTML so it wraps on a phone. */
export function timelineLegend(answer) {
  const types = [...new Set(answer.data.map((m) => m.measure?.measure_type || 'other'))];
  const statuses = Object.keys(STATUS_LABELS).filter((st) => answer.data.some((m) => m.measure?.status === st));
  const group = (title, items) => h('div', { class: 'legend-group' }, h('span', { class: 'legend-title' }, title), h('ul', { class: 'legend' }, items));
  return h('div', { class: 'timeline-legend', 'aria-label': 'Legend' },
    group('Measure type', types.map((t) => h('li', {}, markerIcon(MARKER_SHAPES[t] || 'circle', 'in_force', 5), MEASURE_TYPE_LABELS[t] || t))),
    group('Status', statuses.map((st) => h('li', {}, markerIcon('circle', st, 5), statusLabel(st)))),
    group('Intensity (size and colour)', [2, 5, 8].map((v) => h('li', {}, markerIcon('circle', 'in_force', v, intensityRadius(v) * 0.7), String(v)))),
    group('Links', [
      h('li', {}, s('svg', { class: 'legend-icon', width: 34, height: 14, viewBox: '0 0 34 14', 'aria-hidden': 'true' },
        s('path', { d: 'M2,7H26', stroke: '#dc2626', 'stroke-width': 2 }), s('path', { d: 'M24,2L32,7L24,12Z', fill: '#dc2626' })), 'retaliates against'),
      h('li', {}, s('svg', { class: 'legend-icon', width: 34, height: 14, viewBox: '0 0 34 14', 'aria-hidden': 'true' },
        s('path', { d: 'M2,7H28', stroke: '#475569', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' }), s('circle', { cx: 30, cy: 7, r: 3, fill: '#fff', stroke: '#475569', 'stroke-width': 1.5 })), 'until effective date'),
    ]));
}

/**
 * Draw the timeline of an escalation answer.
 * `indexBase` is the index point the line starts from ({index, index_a, index_b}; zeros when
 * absent): on a page of a longer escalation, the level reached before the page's first date.
 * @returns {SVGSVGElement}
 */
export function renderTimeline(answer, { width = 960, onSelect, onLink, selected, indexBase = null } = {}) {
  const W = Math.max(600, Math.round(width));
  const measures = answer.data;
  const dated = measures.filter((m) => m.date);
  const undated = measures.filter((m) => !m.date);
  const ML = W < 760 ? 124 : 168;
  const MR = undated.length ? 132 : 44;
  const x0 = ML + 16;
  const x1 = W - MR;
  const domain = timeDomain(measures.flatMap((m) => [dayNumber(m.date), dayNumber(m.measure?.effective), dayNumber(m.measure?.ended)]))
    || [dayNumber('2000-01-01'), dayNumber('2000-01-02')];
  const x = timeScale(domain[0], domain[1], x0, x1);
  const undatedX = x1 + MR / 2 + 6;
  const ROW = 17;
  const FONT = 12;

  // Marker x: the date, dodged when several measures of one side share a day.
  const place = new Map();
  for (const side of ['a', 'b']) {
    const groups = new Map();
    for (const m of measures.filter((mm) => mm.side === side)) {
      const key = m.date || 'undated';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(m);
    }
    for (const [key, group] of groups) {
      const spacing = Math.max(...group.map((m) => intensityRadius(m.intensity))) * 2 + 4;
      const offsets = dodge(group.length, spacing);
      group.forEach((m, i) => {
        const base = key === 'undated' ? undatedX : x(dayNumber(m.date));
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
  const indexTop = axisY + 62;
  const indexH = 132;
  const H = indexTop + indexH + 34;

  const svg = s('svg', {
    class: 'timeline', width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'group',
    'aria-label': `Timeline of ${measures.length} measures between ${displayName(answer.a)} and ${displayName(answer.b)}, with the cumulative escalation index`,
  });
  svg.append(s('defs', {},
    s('marker', { id: 'arrow-retaliation', viewBox: '0 0 10 10', refX: 8.5, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0L10,5L0,10Z', fill: '#dc2626' }))));

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
  const ticks = dated.length ? dateTicks(domain[0], domain[1], Math.max(3, Math.floor((x1 - x0) / 90))) : [];
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
  if (undated.length) {
    svg.append(s('g', { class: 'undated', 'aria-hidden': 'true' },
      s('line', { x1: x1 + 22, x2: x1 + 22, y1: top + 4, y2: axisY, stroke: '#94a3b8', 'stroke-dasharray': '3 4' }),
      s('text', { x: undatedX, y: axisY + 16, class: 'tick', 'text-anchor': 'middle' }, 'undated')));
  }

  const laneY = (m) => (m.side === 'a' ? yA : yB);

  // Tails to the effective date.
  const tails = s('g', { class: 'tails' });
  for (const m of dated) {
    const eff = dayNumber(m.measure?.effective);
    const start = dayNumber(m.date);
    if (eff === null || eff <= start) continue;
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

  // Markers.
  const markers = s('g', { class: 'markers' });
  const ordered = [...dated, ...undated];
  for (const m of ordered) {
    const p = place.get(m.entity.id);
    const y = laneY(m);
    const type = m.measure?.measure_type || 'other';
    const status = m.measure?.status;
    const when = m.date ? formatDate(m.date) : 'undated';
    const aria = `${when}: ${displayName(m.entity)}. ${measureTypeLabel(type)}, ${statusLabel(status).toLowerCase()}, intensity ${formatNumber(m.intensity, 2)}`;
    const g = s('g', {
      class: 'marker' + (selected === m.entity.id ? ' selected' : ''), role: 'button', tabindex: 0, 'aria-label': aria,
      transform: `translate(${p.x.toFixed(1)},${y.toFixed(1)})`,
      'data-measure': m.entity.id, 'data-date': m.date || '', 'data-side': m.side, 'data-status': status || '', 'data-type': type,
    },
    s('title', {}, `${displayName(m.entity)}\n${when} · ${measureTypeLabel(type)} · ${statusLabel(status)} · intensity ${formatNumber(m.intensity, 2)}`),
    s('circle', { r: p.r + 6, class: 'marker-focus', fill: 'none' }),
    s('path', { d: shapePath(MARKER_SHAPES[type] || 'circle', p.r), ...statusStyle(status, m.intensity) }));
    const activate = () => onSelect?.(m);
    g.addEventListener('click', activate);
    g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); activate(); } });
    markers.append(g);
  }
  svg.append(markers);

  // The cumulative index beneath, on the same date axis.
  const index = answer.index || [];
  const chart = s('g', { class: 'index-chart' });
  const base = { index: 0, index_a: 0, index_b: 0, ...indexBase };
  const values = [base, ...index].flatMap((p) => [p.index, p.index_a, p.index_b]);
  const vmax = Math.max(1, ...values);
  const vmin = Math.min(0, ...values);
  const niceMax = niceCeil(vmax);
  const y = (v) => indexTop + indexH - ((v - vmin) / (niceMax - vmin)) * indexH;
  chart.append(s('text', { x: 14, y: indexTop - 16, class: 'chart-title' }, 'Cumulative escalation index'),
    s('text', { x: 14, y: indexTop + 2, class: 'chart-sub' }, 'running sum'),
    s('text', { x: 14, y: indexTop + 16, class: 'chart-sub' }, 'of intensities'));
  for (const v of [vmin, niceMax / 2, niceMax].filter((v, i, arr) => arr.indexOf(v) === i)) {
    chart.append(
      s('line', { x1: x0 - 10, x2: x1 + 10, y1: y(v), y2: y(v), stroke: v === 0 ? '#94a3b8' : '#e2e8f0' }),
      s('text', { x: x0 - 16, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, formatNumber(v, 1)),
    );
  }
  const step = (key) => {
    if (!index.length) return '';
    let d = `M${x0 - 10},${y(base[key])}`;
    let prev = base[key];
    for (const p of index) {
      const px = x(dayNumber(p.date));
      d += `H${px.toFixed(1)}V${y(p[key]).toFixed(1)}`;
      prev = p[key];
    }
    return d + `H${x1 + 10}` + (prev === undefined ? '' : '');
  };
  const series = [
    ['index_a', SIDE_COLORS.a, 1.8, '5 3', displayName(answer.a)],
    ['index_b', SIDE_COLORS.b, 1.8, '5 3', displayName(answer.b)],
    ['index', '#111827', 2.8, null, 'both sides'],
  ];
  for (const [key, colour, widthPx, dash, name] of series) {
    chart.append(s('path', { d: step(key), fill: 'none', stroke: colour, 'stroke-width': widthPx, 'stroke-dasharray': dash, class: `index-line index-${key}` }, s('title', {}, `Index: ${name}`)));
  }
  for (const p of index) {
    const px = x(dayNumber(p.date));
    chart.append(s('circle', { cx: px, cy: y(p.index), r: 4, fill: '#111827', class: 'index-point', 'data-date': p.date },
      s('title', {}, `${formatDate(p.date)}: index ${formatNumber(p.index, 2)} (${p.delta >= 0 ? '+' : ''}${formatNumber(p.delta, 2)}); ${displayName(answer.a)} ${formatNumber(p.index_a, 2)}, ${displayName(answer.b)} ${formatNumber(p.index_b, 2)}`)));
  }
  if (index.length) {
    const last = index[index.length - 1];
    chart.append(s('text', { x: x1 + 14, y: y(last.index) + 4, class: 'index-value' }, formatNumber(last.index, 1)));
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

