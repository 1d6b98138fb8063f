// "Which measures…?": every measure of GET /v1/measures with its filters (imposer, target, type,
// MAST chapter, status, dates, covered good or HS code, text), a page at a time in the API's order
// (date, latest first, rate or name: `sort`), a CSV download of the
// same call, and the count of measures per month for the whole filter (GET /v1/measures/counts,
// counted by the server: no paging, no cap), split by nothing, by type or by imposer, drawn as a
// bar chart beside its table; and a world map of the measures each country imposed or received
// (GET /v1/measures/counts?by=imposer|target), with the same numbers as a list of links.
import { h, append, clear, announce } from '../dom.mjs';
import { call } from '../api.mjs';
import { apiPath, readableCall, SORTS } from '../state.mjs';
import { combobox } from '../combobox.mjs';
import { formatDate, formatMagnitude, measureTypeLabel, statusLabel, MEASURE_TYPE_LABELS, STATUS_LABELS } from '../format.mjs';
import { apiBox, asOfBadge, asOfField, csvFileName, csvLink, emptyBox, errorBox, href, loading, nameParts, viewHead } from '../ui.mjs';
import { actorNames, conflictNote, failedParam, pageRange, pager } from './shared.mjs';
import { chartLibraries, monthChart } from '../charts.mjs';
import { alpha2, countryHref, MAP_SIDES, shapeIds, sideTotals, worldMap, worldShapes } from '../worldmap.mjs';

export const title = 'Measures';

const PAGE = 50; // measures a page unless the URL says otherwise
export const SPLITS = { '': 'None', type: 'Type', imposer: 'Imposer' }; // `by` of the month counts

// The filters of /v1/measures, which /v1/measures/counts takes too; `sort` orders the list only.
// `as_of` reads them as the graph stood that day (the API's name, so a shared link reads like the call).
const FILTERS = ['imposer', 'target', 'type', 'mast', 'status', 'since', 'until', 'covers', 'q', 'as_of'];

// The list's orders: the select's labels and the table caption's words ('' is the API's default, date).
export const SORT_LABELS = { '': 'Date, earliest first', '-date': 'Date, latest first', rate: 'Rate, lowest first', '-rate': 'Rate, highest first', name: 'Name' };
const ORDER_WORDS = {
  '': 'in date order (undated last)', '-date': 'latest first (undated last)', rate: 'by rate, lowest first (no rate last)',
  '-rate': 'by rate, highest first (no rate last)', name: 'by name',
};

// Which pager link had the focus when the page changed, to give it back once the new page is drawn.
let refocus = null;
// Which select (the split, the map's side) had the focus when it changed the view, to give it back once redrawn.
let refocusSelect = null;

/** The filters of a state as the API's query parameters (no page, no order: what the counts take too). */
export function filterParams(state) {
  const params = {};
  for (const key of FILTERS) if (state[key]) params[key] = state[key];
  return params;
}

/** The list's call: the filters, the order when not the default, and the page. */
export function listParams(state, limit) {
  return { ...filterParams(state), sort: SORTS.includes(state.sort) ? state.sort : undefined, offset: state.offset, limit };
}

/**
 * The MAST chapter select's options from /explorer/config's `mast_chapters` ({chapter, title}),
 * "Any" first; a chapter in the URL the server does not list stays, so the select shows what is asked.
 */
export function mastOptions(chapters, chosen) {
  const options = [{ value: '', text: 'Any' }, ...(chapters || []).map((c) => ({ value: c.chapter, text: `${c.chapter} – ${c.title}` }))];
  if (chosen && !options.some((o) => o.value === chosen)) options.push({ value: chosen, text: chosen });
  return options.map((o) => ({ ...o, selected: o.value === (chosen || '') }));
}

/**
 * The rows of a /v1/measures/counts answer as a table: months (in the answer's order, undated —
 * month null — last) by groups (in the order first met; [null] when not split), each cell a count
 * (0 where the answer has no row), each row with its total.
 */
export function countsTable(answer) {
  const months = [];
  const groups = [];
  const cells = new Map();
  for (const { month, group, count } of answer.data) {
    const m = month ?? null;
    const g = group ?? null;
    if (!months.includes(m)) months.push(m);
    if (!groups.includes(g)) groups.push(g);
    cells.set(`${m}\u0000${g}`, (cells.get(`${m}\u0000${g}`) || 0) + count);
  }
  const ordered = [...months.filter((m) => m !== null).sort(), ...months.filter((m) => m === null)];
  const rows = ordered.map((month) => {
    const counts = groups.map((g) => cells.get(`${month}\u0000${g}`) || 0);
    return { month, counts, total: counts.reduce((a, b) => a + b, 0) };
  });
  return { groups, rows, total: answer.total };
}

export function render(root, state, ctx) {
  root.append(viewHead('Measures',
    'Every trade measure in the graph, in date order or as sorted. Narrow them down by who imposed them, whom they target, their type, MAST chapter and status, their dates, the goods they cover (by name or HS code) and words in their names; download the same list as CSV.'));
  const imposer = combobox({ label: 'Imposed by', value: state.imposer || '', placeholder: 'e.g. 中国 or United States' });
  const target = combobox({ label: 'Targeting', value: state.target || '', placeholder: 'e.g. 美国 or China' });
  const covers = combobox({ label: 'Covering (good or HS code)', types: ['Commodity', 'Product'], value: state.covers || '', placeholder: 'e.g. 稀土, soybeans or 1201' });
  const select = (id, name, labels, value) => h('select', { id, name },
    h('option', { value: '' }, 'Any'),
    Object.entries(labels).map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
  const type = select('ms-type', 'type', MEASURE_TYPE_LABELS, state.type);
  const status = select('ms-status', 'status', STATUS_LABELS, state.status);
  const mast = h('select', { id: 'ms-mast', name: 'mast' });
  const fillMast = (chapters) => mast.replaceChildren(...mastOptions(chapters, mast.value || state.mast)
    .map((o) => h('option', { value: o.value, selected: o.selected }, o.text)));
  fillMast([]);
  // The chapters and their titles are the ontology's, as the server gives them (no copy here).
  ctx.config.then((config) => fillMast(config.mast_chapters)).catch(() => {});
  const sort = select('ms-sort', 'sort', Object.fromEntries(Object.entries(SORT_LABELS).filter(([v]) => v)), state.sort);
  sort.firstChild.textContent = SORT_LABELS[''];
  const text = h('input', { type: 'search', id: 'ms-q', name: 'q', value: state.q || '', placeholder: 'e.g. 稀土 or tariff', maxlength: 300 });
  const since = h('input', { type: 'date', id: 'ms-since', value: state.since || '' });
  const until = h('input', { type: 'date', id: 'ms-until', value: state.until || '' });
  const asOf = asOfField('ms-as-of', state.as_of);
  const form = h('form', { class: 'query-form', 'aria-label': 'Measures filter' },
    imposer.el, target.el,
    h('div', { class: 'field' }, h('label', { for: 'ms-type', class: 'field-label' }, 'Type'), type),
    h('div', { class: 'field' }, h('label', { for: 'ms-mast', class: 'field-label' }, 'MAST chapter'), mast),
    h('div', { class: 'field' }, h('label', { for: 'ms-status', class: 'field-label' }, 'Status'), status),
    h('div', { class: 'field field-date' }, h('label', { for: 'ms-since', class: 'field-label' }, 'Since'), since),
    h('div', { class: 'field field-date' }, h('label', { for: 'ms-until', class: 'field-label' }, 'Until'), until),
    covers.el,
    h('div', { class: 'field' }, h('label', { for: 'ms-q', class: 'field-label' }, 'Name contains'), text),
    h('div', { class: 'field' }, h('label', { for: 'ms-sort', class: 'field-label' }, 'Order'), sort),
    asOf.el,
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show measures')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // A new filter starts at the first page; the page size stays.
    ctx.navigate({
      view: 'measures', imposer: imposer.value() || undefined, target: target.value() || undefined, type: type.value || undefined,
      mast: mast.value || undefined, status: status.value || undefined, since: since.value || undefined, until: until.value || undefined,
      covers: covers.value() || undefined, q: text.value.trim() || undefined, sort: sort.value || undefined,
      as_of: asOf.input.value || undefined, limit: state.limit, by: state.by, map: state.map,
    });
  });
  append(root, [asOfBadge(state), form]);
  const out = h('div', { class: 'view-body' });
  root.append(out);

  const filters = filterParams(state);
  const limit = state.limit || String(PAGE);
  const main = call('v1/measures', listParams(state, limit));
  const csv = apiPath('v1/measures', { ...listParams(state, limit), format: 'csv' });
  const by = state.by || undefined;
  const counted = call('v1/measures/counts', { ...filters, by });
  counted.promise.catch(() => {}); // shown (or not) once the list is drawn
  const side = state.map === 'target' ? 'target' : 'imposer';
  const mapped = call('v1/measures/counts', { ...filters, by: side });
  mapped.promise.catch(() => {});
  out.append(loading('Reading the measures…'));
  main.promise.then((answer) => {
    if (!ctx.current()) return;
    const described = describe(filters);
    ctx.setTitle(`Measures${described ? ` ${described}` : ''}`);
    clear(out);
    out.append(apiBox([main.path]));
    const shown = answer.data.length;
    announce(`${answer.count} measures${described ? ` ${described}` : ''}${shown ? `; showing ${answer.offset + 1} to ${answer.offset + shown}` : ''}`);
    out.append(h('p', { class: 'summary', 'data-count': answer.count }, h('strong', {}, `${answer.count} ${answer.count === 1 ? 'measure' : 'measures'}`), described ? ` ${described}.` : ' in the graph.'));
    if (!shown && answer.count) {
      out.append(emptyBox('Past the last measure', `There are ${answer.count} measures for this filter; this page starts after the last.`),
        h('p', { class: 'actions' }, h('a', { class: 'btn btn-small', href: href({ ...state, offset: undefined }) }, 'First page')));
      return;
    }
    if (!shown) {
      out.append(emptyBox('No measures', 'No measure in the graph matches every filter given.'));
      return;
    }
    const pages = pager(answer, state, ctx, { onPage: (name) => { refocus = name; } });
    const table = h('table', { class: 'data-table measures-list' },
      h('caption', {}, `Measures ${pageRange(answer)}, ${ORDER_WORDS[SORTS.includes(state.sort) ? state.sort : '']}; each name opens the measure`),
      h('thead', {}, h('tr', {}, ['Date', 'Measure', 'Type', 'Status', 'Imposed by', 'Targets', 'Rate', 'Sources'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, answer.data.map((m) => {
        const link = h('a', { href: href({ view: 'measure', id: m.entity.id, as_of: state.as_of }) }, nameParts(m.entity));
        const row = h('tr', { 'data-measure': m.entity.id, 'data-date': m.date || '', 'data-conflict': m.conflict ? 'true' : null },
          h('td', { class: 'nowrap' }, m.date ? formatDate(m.date) : 'undated'),
          h('th', { scope: 'row' }, link),
          h('td', {}, measureTypeLabel(m.measure?.measure_type)),
          h('td', {}, h('span', { class: `status status-${m.measure?.status}` }, statusLabel(m.measure?.status))),
          h('td', {}, actorNames(m.imposers)),
          h('td', {}, actorNames(m.targets)),
          h('td', {}, formatMagnitude(m.measure) || '–'),
          h('td', {}, m.conflict ? conflictNote(m.conflicts, { unit: m.measure?.unit }) : h('span', { class: 'muted' }, 'agree')));
        // A click anywhere on the row opens the measure, as its link does (links and notes act alone).
        row.addEventListener('click', (e) => { if (!e.target.closest('a, button, details')) link.click(); });
        return row;
      })));
    const months = h('section', { class: 'panel panel-table', 'aria-labelledby': 'months-title', id: 'measures-months' },
      monthsHead(state, ctx), loading('Counting the measures…'));
    const countries = h('section', { class: 'panel panel-table', 'aria-labelledby': 'countries-title', id: 'measures-countries' },
      countriesHead(state, ctx), loading('Counting the measures per country…'));
    out.append(pages,
      h('section', { class: 'panel panel-table', 'aria-labelledby': 'measures-title' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'measures-title' }, `Measures ${pageRange(answer)}`),
          h('p', { class: 'actions' }, csvLink(csv, csvFileName('measures', Object.entries(filters).flat(), answer)))),
        h('div', { class: 'table-scroll' }, table)),
      months, countries);
    if (refocus) (pages.querySelector(`[data-page="${refocus}"]`) || pages.querySelector('a'))?.focus();
    refocus = null;
    const settled = (panel) => { // the redrawn select gets the focus back
      const select = refocusSelect && panel.querySelector(`#${refocusSelect}`);
      if (select) { select.focus(); refocusSelect = null; }
    };
    counted.promise.then((result) => {
      if (!ctx.current()) return;
      append(clear(months), [monthsHead(state, ctx), monthCounts(result, by, counted.path, filters, ctx)]);
      settled(months);
    }).catch((error) => {
      if (!ctx.current()) return;
      clear(months).append(monthsHead(state, ctx), errorBox(error));
      settled(months);
    });
    mapped.promise.then((result) => {
      if (!ctx.current()) return;
      append(clear(countries), [countriesHead(state, ctx), countryCounts(result, side, mapped.path, filters, ctx)]);
      settled(countries);
    }).catch((error) => {
      if (!ctx.current()) return;
      clear(countries).append(countriesHead(state, ctx), errorBox(error));
      settled(countries);
    });
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path]), errorBox(error, { retarget: (c) => href({ ...state, [failedParam(error, state, ['imposer', 'target', 'covers'])]: c.id }) }));
  });
  return null;
}

/** "imposed by 中国, tariffs, since 1 Oct 2025": the filters in words. */
function describe(f) {
  const parts = [];
  if (f.imposer) parts.push(`imposed by ${f.imposer}`);
  if (f.target) parts.push(`targeting ${f.target}`);
  if (f.type) parts.push(`of type ${measureTypeLabel(f.type).toLowerCase()}`);
  if (f.mast) parts.push(`in MAST chapter ${f.mast}`);
  if (f.status) parts.push(`${statusLabel(f.status).toLowerCase()}`);
  if (f.since) parts.push(`since ${formatDate(f.since)}`);
  if (f.until) parts.push(`until ${formatDate(f.until)}`);
  if (f.covers) parts.push(`covering ${f.covers}`);
  if (f.q) parts.push(`named with “${f.q}”`);
  return parts.join(', ');
}

/** The month counts' heading, with the split (none / type / imposer) as a select kept in the URL. */
function monthsHead(state, ctx) {
  const select = h('select', { id: 'ms-by', name: 'by' },
    Object.entries(SPLITS).map(([v, text]) => h('option', { value: v, selected: v === (state.by || '') }, text)));
  select.addEventListener('change', () => { refocusSelect = 'ms-by'; ctx.navigate({ ...state, by: select.value || undefined }, { focus: false }); });
  return h('div', { class: 'panel-head' }, h('h2', { id: 'months-title' }, 'Measures per month'),
    h('div', { class: 'field field-inline' }, h('label', { for: 'ms-by', class: 'field-label' }, 'Split by'), select));
}

function groupLabel(by, group) {
  if (group === null) return by ? 'none' : 'Measures';
  return by === 'type' ? measureTypeLabel(group) : sideName(group);
}

const REGIONS = new Intl.DisplayNames(['en'], { type: 'region' });

/** A country by its English name ("country:CN" → "China", from the browser's ISO region names); other sides by id. */
export function sideName(id) {
  const code = alpha2(id);
  if (!code) return String(id);
  try { return REGIONS.of(code) || id; } catch { return id; }
}

/** The month counts: a bar chart (drawn once Plot is loaded) beside the table of the same numbers. */
function monthCounts(answer, by, path, filters, ctx) {
  const counts = countsTable(answer);
  const [hint, apiLine, table] = monthTable(counts, by, path, filters);
  const split = by && !(counts.groups.length === 1 && counts.groups[0] === null);
  const chart = h('div', { class: 'chart-slot', id: 'months-chart' });
  if (counts.rows.some((r) => r.month !== null)) {
    chartLibraries().then(({ Plot }) => {
      if (!ctx.current()) return;
      chart.append(monthChart(Plot, counts, { split, groupLabel: (g) => groupLabel(by, g), what: by ? `measures by ${by}` : 'measures' }));
    }).catch((error) => { if (ctx.current()) chart.append(errorBox(error)); });
  }
  return [hint, apiLine, h('div', { class: 'chart-and-table' }, chart, table)];
}

function monthTable({ groups, rows, total }, by, path, filters) {
  const split = by && !(groups.length === 1 && groups[0] === null);
  const csv = apiPath('v1/measures/counts', { ...filters, by, format: 'csv' });
  return [
    h('p', { class: 'hint', 'data-total': total, 'data-by': by || 'none' },
      `Counted by the API over all ${total} ${total === 1 ? 'measure' : 'measures'} of this filter${by ? `, by ${by}` : ''}. `,
      h('a', { href: csv, download: csvFileName('measures-per-month', [...Object.entries(filters).flat(), by]), class: 'btn btn-small counts-csv-link', type: 'text/csv' }, 'Download CSV')),
    h('p', { class: 'hint' }, 'API call: ', h('a', { href: path, class: 'counts-api-link', target: '_blank', rel: 'noopener' }, h('code', {}, `GET ${readableCall(path)}`))),
    rows.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact months-table' },
      h('caption', {}, `Measures per month${by ? ` and ${by}` : ''}, by each measure’s date (announced, else effective)`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Month'),
        groups.map((g) => h('th', { scope: 'col', class: 'num', 'data-group': g ?? '' }, groupLabel(by, g))),
        split ? h('th', { scope: 'col', class: 'num', 'data-group': 'total' }, 'Total') : null)),
      h('tbody', {}, rows.map((r) => h('tr', { 'data-month': r.month ?? 'undated' },
        h('th', { scope: 'row' }, r.month ?? 'Undated'),
        r.counts.map((n, i) => h('td', { class: 'num', 'data-group': groups[i] ?? '' }, String(n))),
        split ? h('td', { class: 'num', 'data-group': 'total' }, String(r.total)) : null))))) : emptyBox('No measures', 'Nothing to count for this filter.'),
  ];
}

/** The map's heading, with whose measures it counts (imposed / received) as a select kept in the URL. */
function countriesHead(state, ctx) {
  const select = h('select', { id: 'ms-map', name: 'map' },
    Object.entries(MAP_SIDES).map(([v, text]) => h('option', { value: v, selected: v === (state.map || '') }, text)));
  select.addEventListener('change', () => { refocusSelect = 'ms-map'; ctx.navigate({ ...state, map: select.value || undefined }, { focus: false }); });
  return h('div', { class: 'panel-head' }, h('h2', { id: 'countries-title' }, 'Measures per country'),
    h('div', { class: 'field field-inline' }, h('label', { for: 'ms-map', class: 'field-label' }, 'Count measures'), select));
}

/** The map (drawn once d3, Plot and the shapes are loaded) beside the list of the same numbers. */
function countryCounts(answer, side, path, filters, ctx) {
  const what = side === 'target' ? 'measures received' : 'measures imposed';
  const total = answer.total;
  const csv = apiPath('v1/measures/counts', { ...filters, by: side, format: 'csv' });
  const head = [
    h('p', { class: 'hint', 'data-total': total, 'data-side': side },
      `Counted by the API over all ${total} ${total === 1 ? 'measure' : 'measures'} of this filter, every month added up; a measure of several ${side === 'target' ? 'targets' : 'imposers'} counts for each, a firm or an agency for its country. `,
      h('a', { href: csv, download: csvFileName('measures-per-country', [...Object.entries(filters).flat(), side]), class: 'btn btn-small countries-csv-link', type: 'text/csv' }, 'Download CSV')),
    h('p', { class: 'hint' }, 'API call: ', h('a', { href: path, class: 'countries-api-link', target: '_blank', rel: 'noopener' }, h('code', {}, `GET ${readableCall(path)}`))),
  ];
  if (!answer.data.length) return [...head, emptyBox('No measures', 'Nothing to count for this filter.')];
  const figure = h('div', { class: 'map-slot', id: 'countries-map' });
  const list = h('div', { class: 'countries-list' });
  Promise.all([chartLibraries(), worldShapes()]).then(([libraries, { atlas, codes }]) => {
    if (!ctx.current()) return;
    const rows = sideTotals(answer, codes);
    const drawn = shapeIds(atlas);
    const { svg, legend } = worldMap(libraries, atlas, rows, { name: sideName, what });
    figure.append(legend, svg, h('p', { class: 'hint' }, 'Blocs such as the EU have no shape of their own: they are in the list, not on the map, and their members are not shaded for them.'));
    list.append(countriesTable(rows, drawn, what, side));
  }).catch((error) => { if (ctx.current()) figure.append(errorBox(error)); });
  return [...head, h('div', { class: 'chart-and-table' }, figure, list)];
}

/** Every side counted, most measures first, each a link to its page, with whether the map shows it. */
function countriesTable(rows, drawn, what, side) {
  const where = (r) => {
    if (r.numeric && drawn.has(r.numeric)) return 'on the map';
    if (r.numeric) return 'too small for the map';
    if (r.id === null) return side === 'target' ? 'no target named' : 'no imposer named';
    if (r.id.startsWith('org:')) return 'a bloc: not drawn (its members are not shaded)';
    return 'not a country';
  };
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact countries-table' },
    h('caption', {}, `${what[0].toUpperCase()}${what.slice(1)} per country or bloc; each name opens its page`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Country or bloc'), h('th', { scope: 'col', class: 'num' }, 'Measures'), h('th', { scope: 'col' }, 'Map'))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-country': r.id ?? '', 'data-count': r.count, 'data-drawn': r.numeric && drawn.has(r.numeric) ? 'true' : 'false' },
      h('th', { scope: 'row' }, r.id && (alpha2(r.id) || r.id.startsWith('org:')) ? h('a', { href: countryHref(r.id) }, sideName(r.id)) : (r.id ?? '–')),
      h('td', { class: 'num' }, String(r.count)),
      h('td', { class: 'muted' }, where(r)))))));
}
