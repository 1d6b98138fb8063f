// A jurisdiction's page: a country or a bloc (GET /v1/countries/{id}/profile): the measures it
// imposed and those aimed at it, by year and type; the counterparts it meets most; what others
// depend on it for (its leverage) and what it depends on. For a bloc, `members=true` counts its
// member states' measures in with its own (each measure once). Every table downloads as CSV.
import { h, clear, announce } from '../dom.mjs';
import { call, seg } from '../api.mjs';
import { combobox } from '../combobox.mjs';
import { displayName, formatShare, measureTypeLabel } from '../format.mjs';
import { apiBox, asOfBadge, asOfField, csvFileName, emptyBox, errorBox, exposureBar, href, loading, nameParts, typeBadge, viewHead } from '../ui.mjs';
import { actorHref, csvDownload, entityActionHref, entityList } from './shared.mjs';

export const title = 'Jurisdiction';

// Whether the members box had the focus when it changed the view, to give it back once redrawn.
let refocusMembers = false;

/**
 * The profile's counts by year and type ([{year, measure_type, count}]) as a table: years in
 * order, undated (null) last; a column per type, by name; each row with its total. The cells add up to the measures counted, since each
 * measure has one type and one year.
 */
export function yearTypeTable(counts) {
  const types = [...new Set(counts.map((c) => c.measure_type))].sort();
  const years = [...new Set(counts.map((c) => c.year ?? null))];
  const ordered = [...years.filter((y) => y !== null).sort((a, b) => a - b), ...years.filter((y) => y === null)];
  const cell = new Map(counts.map((c) => [`${c.year ?? null}|${c.measure_type}`, c.count]));
  const rows = ordered.map((year) => {
    const byType = types.map((t) => cell.get(`${year}|${t}`) || 0);
    return { year, counts: byType, total: byType.reduce((a, b) => a + b, 0) };
  });
  return { types, rows, total: rows.reduce((a, r) => a + r.total, 0) };
}

/** Whether the jurisdiction may have member states to count in: an organisation (a bloc; the API
 * counts the countries that are MEMBER_OF it, none for an agency). */
const mayHaveMembers = (entity) => entity.type === 'Organization';

export function render(root, state, ctx) {
  root.append(viewHead('A jurisdiction',
    'A country or a bloc: the measures it imposed and those aimed at it, by year and type, the counterparts it meets most, what others depend on it for and what it depends on.'));
  const picker = combobox({ label: 'Country or bloc', types: ['Country', 'Organization'], value: state.id || '', placeholder: 'e.g. 中国, United States, G7', required: true });
  const members = h('input', { type: 'checkbox', id: 'country-members', name: 'members', checked: state.members === 'true' });
  const asOf = asOfField('country-as-of', state.as_of);
  const form = h('form', { class: 'query-form', 'aria-label': 'Jurisdiction query' }, picker.el, asOf.el,
    h('div', { class: 'field field-inline field-check' }, members,
      h('label', { for: 'country-members', class: 'field-label' }, 'Count a bloc’s member states in')),
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show jurisdiction')));
  const next = () => ({ view: 'country', id: picker.value() || state.id, members: members.checked ? 'true' : undefined, as_of: asOf.input.value || undefined });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!picker.value()) return picker.input.focus();
    ctx.navigate(next());
  });
  // The switch applies at once when a jurisdiction is shown, keeping the keyboard focus on it.
  members.addEventListener('change', () => {
    if (!state.id) return;
    refocusMembers = true;
    ctx.navigate(next(), { focus: false });
  });
  root.append(...[asOfBadge(state), form].filter(Boolean));
  if (refocusMembers) members.focus();
  refocusMembers = false;
  const out = h('div', { class: 'view-body' });
  root.append(out);
  if (!state.id) {
    out.append(h('div', { class: 'examples' }, h('h2', {}, 'Try'), h('ul', {},
      [['country:CN', 'China (中国)'], ['country:US', 'the United States'], ['org:g7', 'the G7 with its member states', 'true']].map(([id, text, all]) =>
        h('li', {}, h('a', { href: href({ view: 'country', id, members: all }) }, text))))));
    return null;
  }

  const withMembers = state.members === 'true';
  const main = call(`v1/countries/${seg(state.id)}/profile`, { members: withMembers ? 'true' : undefined, as_of: state.as_of });
  out.append(loading('Reading its measures…'));
  main.promise.then((answer) => {
    if (!ctx.current()) return;
    const entity = answer.entity;
    picker.setValue(entity);
    ctx.setTitle(`${displayName(entity)}${answer.members.length ? ' and its members' : ''}`);
    clear(out);
    out.append(apiBox([main.path]));
    announce(`${displayName(entity)}: ${answer.imposed_total} measures imposed, ${answer.received_total} received`);
    const fileArgs = [entity.id, withMembers ? 'members' : null];
    out.append(headCard(answer, withMembers),
      h('div', { class: 'result-grid country-measures' },
        measuresPanel('imposed', 'Measures it imposed', answer.imposed, answer.imposed_total, fileArgs),
        measuresPanel('received', 'Measures aimed at it', answer.received, answer.received_total, fileArgs)),
      counterpartsPanel(answer, fileArgs),
      h('div', { class: 'result-grid country-dependence' },
        leveragePanel(answer, fileArgs),
        dependenciesPanel(answer, fileArgs)));
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path]), errorBox(error, { retarget: (c) => href({ ...state, id: c.id }) }));
  });
  return null;
}

/** Name, type, members counted, and where to go from here. */
function headCard(answer, withMembers) {
  const { entity } = answer;
  const id = entity.id;
  const counted = answer.members.length
    ? h('p', { class: 'country-members' }, `Counted with its ${answer.members.length} member ${answer.members.length === 1 ? 'state' : 'states'}: `,
      entityList(answer.members, { link: actorHref }))
    : mayHaveMembers(entity) && !withMembers ? h('p', { class: 'hint' }, 'Only its own measures; tick the box above to count a bloc’s member states in.') : null;
  return h('section', { class: 'panel country-card', 'aria-labelledby': 'country-name', 'data-id': id, 'data-members': String(withMembers) },
    h('p', { class: 'kicker' }, typeBadge(entity.type), ' ', h('code', { class: 'id' }, id)),
    h('h2', { id: 'country-name' }, nameParts(entity)),
    h('p', { class: 'summary', 'data-imposed': answer.imposed_total, 'data-received': answer.received_total },
      h('strong', {}, `${answer.imposed_total} ${answer.imposed_total === 1 ? 'measure' : 'measures'} imposed`), ', ',
      h('strong', {}, `${answer.received_total} aimed at it`), '.'),
    counted,
    h('p', { class: 'actions' },
      h('a', { class: 'btn btn-small', href: href({ view: 'measures', imposer: id }), 'data-link': 'imposed' }, 'Measures it imposed'), ' ',
      h('a', { class: 'btn btn-small', href: href({ view: 'measures', target: id }), 'data-link': 'received' }, 'Measures aimed at it'), ' ',
      h('a', { class: 'btn btn-small', href: href({ view: 'entity', id }), 'data-link': 'entity' }, 'Entity view')),
    answer.members.length ? h('p', { class: 'hint' }, 'The Measures view lists the bloc’s own measures; its members’ are on their own pages.') : null);
}

/** A panel with a heading, a Download CSV button and its table (or a note when there is none). */
function panel(key, heading, hint, download, body) {
  return h('section', { class: 'panel panel-table', 'aria-labelledby': `${key}-title`, id: `country-${key}` },
    h('div', { class: 'panel-head' }, h('h2', { id: `${key}-title` }, heading),
      hint ? h('p', { class: 'hint' }, hint) : null,
      download ? h('p', { class: 'actions' }, download) : null),
    body);
}

function measuresPanel(key, heading, counts, total, fileArgs) {
  const table = yearTypeTable(counts);
  if (!table.rows.length) return panel(key, `${heading} (0)`, null, null, emptyBox('None', 'No measure in the graph.'));
  const download = csvDownload(csvFileName(`country-${key}`, fileArgs), () => ({
    header: ['year', ...table.types, 'total'],
    rows: table.rows.map((r) => [r.year, ...r.counts, r.total]),
  }));
  return panel(key, `${heading} (${total})`, 'By the year of each measure’s date (announced, else effective) and its type.', download,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact year-type-table', 'data-table': key, 'data-total': total },
      h('caption', {}, `${heading}, by year and type`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Year'),
        table.types.map((t) => h('th', { scope: 'col', class: 'num', 'data-type': t }, measureTypeLabel(t))),
        h('th', { scope: 'col', class: 'num', 'data-type': 'total' }, 'Total'))),
      h('tbody', {}, table.rows.map((r) => h('tr', { 'data-year': r.year ?? 'undated' },
        h('th', { scope: 'row' }, r.year === null ? 'Undated' : String(r.year)),
        r.counts.map((n, i) => h('td', { class: 'num', 'data-type': table.types[i] }, String(n))),
        h('td', { class: 'num', 'data-type': 'total' }, String(r.total))))))));
}

function counterpartsPanel(answer, fileArgs) {
  const id = answer.entity.id;
  const items = answer.counterparts;
  if (!items.length) return panel('counterparts', 'Counterparts', null, null, emptyBox('No counterparts', 'No measure in the graph runs between it and another country or bloc.'));
  const download = csvDownload(csvFileName('country-counterparts', fileArgs), () => ({
    header: ['entity.id', 'entity.name', 'entity.type', 'imposed_on', 'received_from'],
    rows: items.map((c) => [c.entity.id, displayName(c.entity), c.entity.type, c.imposed_on, c.received_from]),
  }));
  return panel('counterparts', 'Counterparts', 'The countries and blocs on the other side of its measures most often; each opens its own page.', download,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact counterparts-table' },
      h('caption', {}, 'Counterparts, most measures first'),
      h('thead', {}, h('tr', {}, ['Counterpart', 'Measures imposed on it', 'Measures received from it', ''].map((t, i) => h('th', { scope: 'col', class: i === 1 || i === 2 ? 'num' : null }, t || h('span', { class: 'visually-hidden' }, 'Escalation'))))),
      h('tbody', {}, items.map((c) => h('tr', { 'data-id': c.entity.id },
        h('th', { scope: 'row' }, h('a', { href: href({ view: 'country', id: c.entity.id }), class: 'counterpart-link' }, nameParts(c.entity)), ' ', typeBadge(c.entity.type)),
        h('td', { class: 'num', 'data-count': 'imposed_on' }, String(c.imposed_on)),
        h('td', { class: 'num', 'data-count': 'received_from' }, String(c.received_from)),
        h('td', {}, h('a', { href: href({ view: 'escalation', a: id, b: c.entity.id }), class: 'small' }, `Escalation with ${displayName(c.entity)}`))))))));
}

/** Where a good or a country relied on leads: a good to what depends on it (as supplied by this
 * country, when it is the supplier), a country to its page, anything else to its own view. */
function onLink(entity, origin) {
  if (entity.type === 'Commodity' || entity.type === 'Product') return href({ view: 'dependents', commodity: entity.id, origin });
  return actorHref(entity);
}

function leveragePanel(answer, fileArgs) {
  const lev = answer.leverage;
  const heading = 'What others depend on it for';
  if (!lev) return panel('leverage', heading, null, null, emptyBox('For countries only', 'Leverage is counted for a country: what others depend on it to supply, or to buy.'));
  if (!lev.data.length) return panel('leverage', `${heading} (0)`, null, null, emptyBox('Nothing recorded', 'Nothing in the graph depends on it.'));
  const id = answer.entity.id;
  const download = csvDownload(csvFileName('country-leverage', fileArgs), () => ({
    header: ['dependent.id', 'dependent.name', 'dependent.type', 'on.id', 'on.name', 'kind', 'exposure', 'hops'],
    rows: lev.data.map((d) => [d.dependent.id, displayName(d.dependent), d.dependent.type, d.on.id, displayName(d.on), d.kind, d.exposure, d.hops]),
  }));
  return panel('leverage', `${heading} (${lev.data.length} of ${lev.count})`, 'Its leverage: who relies on its goods, on it as a source or on it as a buyer, most exposed first.', download,
    h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact leverage-table' },
      h('caption', {}, 'Dependents of its supply or its market, most exposed first'),
      h('thead', {}, h('tr', {}, ['Dependent', 'Relies on', 'As', 'Exposure', 'Hops'].map((t) => h('th', { scope: 'col', class: t === 'Hops' ? 'num' : null }, t)))),
      h('tbody', {}, lev.data.map((d) => h('tr', { 'data-dependent': d.dependent.id, 'data-on': d.on.id, 'data-exposure': d.exposure ?? '' },
        h('th', { scope: 'row' }, h('a', { href: entityActionHref(d.dependent) }, nameParts(d.dependent)), ' ', typeBadge(d.dependent.type)),
        h('td', {}, h('a', { href: onLink(d.on, id), class: 'on-link' }, nameParts(d.on))),
        h('td', {}, d.kind === 'market' ? 'buyer' : 'supplier'),
        h('td', {}, exposureBar(d.exposure)),
        h('td', { class: 'num' }, String(d.hops))))))));
}

function dependenciesPanel(answer, fileArgs) {
  const deps = answer.dependencies;
  const heading = 'What it depends on';
  const parts = [];
  if (deps.data.length) {
    parts.push(h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact dependencies-table' },
      h('caption', {}, 'Goods it relies on, and who supplies them'),
      h('thead', {}, h('tr', {}, ['Relies on', 'Supplied by', 'Exposure', 'Hops'].map((t) => h('th', { scope: 'col', class: t === 'Hops' ? 'num' : null }, t)))),
      h('tbody', {}, deps.data.map((d) => h('tr', { 'data-id': d.entity.id, 'data-exposure': d.exposure ?? '' },
        h('th', { scope: 'row' }, h('a', { href: onLink(d.entity), class: 'on-link' }, nameParts(d.entity)), ' ', typeBadge(d.entity.type)),
        h('td', {}, d.suppliers.length ? d.suppliers.map((s, i) => [i ? ', ' : '',
          h('a', { href: actorHref(s.entity), 'data-supplier': s.entity.id }, displayName(s.entity)),
          s.share !== null && s.share !== undefined ? ` ${formatShare(s.share)}` : '']) : h('span', { class: 'muted' }, 'not recorded')),
        h('td', {}, exposureBar(d.exposure)),
        h('td', { class: 'num' }, String(d.hops))))))));
  }
  if (deps.markets.length) {
    parts.push(h('div', { class: 'table-scroll' }, h('table', { class: 'data-table compact markets-table' },
      h('caption', {}, 'Buyers it relies on, largest share first'),
      h('thead', {}, h('tr', {}, ['Buyer', 'Share of its sales'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, deps.markets.map((m) => h('tr', { 'data-id': m.buyer.id },
        h('th', { scope: 'row' }, h('a', { href: actorHref(m.buyer) }, nameParts(m.buyer))),
        h('td', {}, formatShare(m.share))))))));
  }
  if (!parts.length) return panel('dependencies', `${heading} (0)`, null, null, emptyBox('Nothing recorded', 'The graph records nothing it relies on.'));
  const download = csvDownload(csvFileName('country-dependencies', fileArgs), () => ({
    header: ['kind', 'entity.id', 'entity.name', 'entity.type', 'suppliers', 'share', 'exposure', 'hops'],
    rows: [
      ...deps.data.map((d) => ['supply', d.entity.id, displayName(d.entity), d.entity.type, d.suppliers.map((s) => s.entity.id).join('; '), null, d.exposure, d.hops]),
      ...deps.markets.map((m) => ['market', m.buyer.id, displayName(m.buyer), m.buyer.type, null, m.share, null, null]),
    ],
  }));
  return panel('dependencies', `${heading} (${deps.data.length + deps.markets.length})`, 'Goods it relies on (directly or through their inputs) and who supplies them; buyers it relies on.', download, parts);
}
