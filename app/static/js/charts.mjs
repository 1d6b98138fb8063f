// Charts drawn with Observable Plot, vendored from npm into app/static/vendor with d3 (Plot's UMD
// build reads d3 from a global) and topojson-client (for the world map). They are classic scripts,
// not modules, so they are loaded on first use as same-origin <script src> elements, which the
// page's policy (script-src 'self') allows; every view that never draws a chart loads none of them.
//
// Plot puts a <style> element into every SVG (and legend) it makes. The page's
// Content-Security-Policy (style-src 'self', no 'unsafe-inline') would refuse it as it enters the
// document and report a violation in the console. Plot builds its figures detached from the
// document, so `detachedPlot` removes those elements before anything is shown, and explorer.css
// holds the same rules for the class name every chart here gives Plot (`tg-plot`). Element styles
// Plot sets from script (CSSOM) are not governed by style-src.

const SCRIPTS = ['d3.min.js', 'plot.umd.min.js', 'topojson-client.min.js'];
export const PLOT_CLASS = 'tg-plot';

let loading = null;

/** {d3, Plot, topojson}, once their scripts have run (in order: Plot needs d3 first). */
export function chartLibraries() {
  loading ??= SCRIPTS.reduce((ready, file) => ready.then(() => script(new URL(`../vendor/${file}`, import.meta.url))), Promise.resolve())
    .then(() => ({ d3: globalThis.d3, Plot: globalThis.Plot, topojson: globalThis.topojson }));
  loading.catch(() => { loading = null; }); // a failed load is tried again by the next view
  return loading;
}

function script(url) {
  return new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = url.href;
    el.addEventListener('load', resolve, { once: true });
    el.addEventListener('error', () => reject(new Error(`Could not load ${url.pathname}`)), { once: true });
    document.head.append(el);
  });
}

/**
 * What Plot made, without its <style> elements (see the top of this file), each of its drawings
 * an image named `label` (unless Plot named it): the table beside every chart here is its
 * accessible form, so the marks inside lose the names Plot gives them ("bar", "rule"…: an
 * aria-label on a group with no role, which axe-core reports as a serious fault).
 */
export function detachedPlot(node, label) {
  for (const style of node.querySelectorAll('style')) style.remove();
  for (const part of node.querySelectorAll('svg [aria-label]')) part.removeAttribute('aria-label');
  for (const svg of [node, ...node.querySelectorAll('svg')].filter((el) => el.localName === 'svg')) {
    svg.setAttribute('role', 'img');
    if (!svg.getAttribute('aria-label')) svg.setAttribute('aria-label', label);
  }
  return node;
}

/** Every month from the first to the last ("2025-08", "2025-09", …), so empty months show as gaps. */
export function monthRange(months) {
  const dated = months.filter(Boolean).sort();
  if (!dated.length) return [];
  const out = [];
  let [year, month] = dated[0].split('-').map(Number);
  const last = dated[dated.length - 1];
  for (;;) {
    const m = `${year}-${String(month).padStart(2, '0')}`;
    out.push(m);
    if (m >= last) return out;
    month += 1;
    if (month > 12) { month = 1; year += 1; }
  }
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const monthLabel = (m) => `${MONTH_NAMES[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`;

/**
 * The bars of a month table (countsTable in views/measures.mjs): one per month and group with a
 * measure, dated months only (undated measures stay in the table, the chart has no place for them).
 */
export function monthBars(table) {
  const bars = [];
  for (const row of table.rows) {
    if (row.month === null) continue;
    row.counts.forEach((count, i) => { if (count) bars.push({ month: row.month, group: table.groups[i], count }); });
  }
  return bars;
}

/**
 * Measures per month as bars, stacked by group when split, drawn by Plot. `groupLabel` names a
 * group for the legend and the tooltips. Each bar carries data-month, data-group and data-count.
 */
export function monthChart(Plot, table, { split, groupLabel, what }) {
  const bars = monthBars(table);
  const months = monthRange(bars.map((b) => b.month));
  const every = Math.max(1, Math.ceil(months.length / 12)); // at most a dozen month labels
  const highest = Math.max(1, ...table.rows.filter((r) => r.month !== null).map((r) => r.total));
  const title = (b) => `${monthLabel(b.month)}${split ? `, ${groupLabel(b.group)}` : ''}: ${b.count} ${b.count === 1 ? 'measure' : 'measures'}`;
  const label = `Bar chart of ${what} per month; the table beside it gives the same numbers`;
  const figure = Plot.plot({
    className: PLOT_CLASS,
    ariaLabel: label,
    width: 640,
    height: 260,
    marginLeft: 44,
    x: { type: 'band', domain: months, label: null, padding: 0.25, ticks: months.filter((_, i) => i % every === 0), tickFormat: monthLabel },
    y: { grid: true, label: 'Measures', tickFormat: 'd', nice: true, ticks: Math.min(5, highest) }, // whole numbers only
    color: split ? { legend: true, domain: table.groups, tickFormat: groupLabel, scheme: 'tableau10' } : undefined,
    marks: [
      Plot.barY(bars, { x: 'month', y: 'count', fill: split ? 'group' : '#1d4ed8', title, inset: 1 }),
      Plot.ruleY([0]),
    ],
  });
  // Plot draws the bars in the order of their data: each gets its numbers, for tools and tests.
  const rects = figure.querySelectorAll('g[aria-label="bar"] rect');
  if (rects.length === bars.length) {
    rects.forEach((rect, i) => {
      rect.dataset.month = bars[i].month;
      rect.dataset.group = bars[i].group ?? '';
      rect.dataset.count = String(bars[i].count);
    });
  }
  figure.classList.add('month-chart');
  return detachedPlot(figure, label);
}
