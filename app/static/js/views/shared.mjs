// Pieces several views use: the node inspector under a graph, measure facts, which parameter a
// "not found" answer was about, links to a jurisdiction's page, tables downloaded as CSV.
import { h, clear } from '../dom.mjs';
import {
  conflictFieldLabel, conflictValueText, displayName, formatDate, formatMagnitude, formatNumber, formatShare, measureTypeLabel, stageLabel, statusLabel,
  LANGUAGE_LABELS, STATUS_AFTER,
} from '../format.mjs';
import { href, nameParts, typeBadge } from '../ui.mjs';
import { fetchDocument } from '../evidence.mjs';

/** The line under a graph that says what is selected and where to go from it. Its links keep the
 * view's day (`asOf`) where the view they lead to takes one. */
export function inspector({ asOf } = {}) {
  const el = h('div', { class: 'inspector', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Nothing selected.'));
  return {
    el,
    show(node, entities) {
      if (!node) return;
      const entity = entities?.get(node.id) || node.entity;
      clear(el);
      const actions = [h('a', { class: 'btn btn-small', href: entityActionHref(entity, asOf) }, entity.type === 'Measure' ? 'Measure view' : 'Entity view')];
      if (entity.type === 'Commodity' || entity.type === 'Product') actions.push(h('a', { class: 'btn btn-small', href: href({ view: 'dependents', commodity: entity.id, as_of: asOf }) }, 'What depends on it'));
      el.append(h('p', {},
        h('span', { class: 'inspector-name' }, nameParts(entity)), ' ', typeBadge(entity.type),
        node.showExposure ? h('span', { class: 'inspector-exposure' }, ` exposure ${formatShare(node.exposure)}`) : null,
        ' ', actions));
    },
  };
}

export function entityActionHref(entity, asOf) {
  return entity.type === 'Measure' || entity.id.startsWith('measure:') ? href({ view: 'measure', id: entity.id, as_of: asOf }) : href({ view: 'entity', id: entity.id });
}

/** Which of the state's parameters a 404/409 answer names ("no entity is called 'X'"). */
export function failedParam(error, state, keys) {
  const detail = error?.problem?.detail || '';
  const named = /'(.*)'/.exec(detail)?.[1];
  return keys.find((k) => state[k] && (state[k] === named || detail.includes(state[k]))) || keys[0];
}

/** Definition-list rows for a measure's own facts. */
export function measureFacts(item) {
  const m = item.measure || {};
  const rows = [
    ['Type', `${measureTypeLabel(m.measure_type)}${item.mast_chapter ? ` (UNCTAD MAST chapter ${item.mast_chapter})` : ''}`],
    ['Status', h('span', { class: `status status-${m.status}` }, statusLabel(m.status))],
  ];
  if (m.announced) rows.push(['Announced', formatDate(m.announced)]);
  if (m.effective) rows.push(['Effective', formatDate(m.effective)]);
  if (m.ended) rows.push(['Ended', formatDate(m.ended)]);
  if (m.events?.length) rows.push(['Lifecycle', lifecycleList(m.events)]);
  const magnitude = formatMagnitude(m);
  if (magnitude) rows.push(['Magnitude', magnitude]);
  if (m.legal_reference) rows.push(['Legal reference', m.legal_reference]);
  // Beside the values shown, not instead of them: the choice rule picked one (docs/model.md).
  if (item.conflicts?.length) rows.push(['Disputed', conflictNote(item.conflicts, { unit: m.unit, open: true })]);
  if (item.intensity !== undefined && item.intensity !== null) rows.push(['Intensity', h('span', { title: 'base score of the measure type × weight of its status (docs/intensity.md)' }, formatNumber(item.intensity, 2))]);
  return rows;
}

/** A measure's lifecycle events as the API lists them (in date order, undated last). */
export function lifecycleList(events) {
  return h('ol', { class: 'lifecycle-list' }, events.map((e) => h('li', { 'data-stage': e.stage, 'data-date': e.date || '' },
    h('span', { class: `status status-${STATUS_AFTER[e.stage] || e.stage}` }, stageLabel(e.stage)), ' ',
    e.date ? formatDate(e.date) : h('span', { class: 'muted' }, 'no date in the source'))));
}

/** Where an imposer or a target leads: a country to its jurisdiction page, anything else to its
 * own view. */
export function actorHref(entity) {
  return entity.type === 'Country' ? href({ view: 'country', id: entity.id }) : entityActionHref(entity);
}

/** Imposers or targets as comma-separated names, countries linking to their jurisdiction page;
 * "–" for none. */
export function actorNames(entities) {
  if (!entities?.length) return '–';
  return entities.map((e, i) => [i ? ', ' : '', e.type === 'Country' ? h('a', { href: actorHref(e), class: 'actor-link' }, displayName(e)) : displayName(e)]);
}

/** Entities as a comma list of links; `link` says where each leads (its own view by default). */
export function entityList(list, { link = entityActionHref } = {}) {
  if (!list?.length) return h('span', { class: 'muted' }, 'none recorded');
  return h('ul', { class: 'inline-list comma-list' }, list.map((e) => h('li', {}, h('a', { href: link(e), title: e.type }, nameParts(e)))));
}

export function factsList(rows) {
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}


/**
 * "Sources disagree": each date or value of a measure its sources state differently (the API's
 * `conflicts`), every value with the quotes of the sources that state it and a link to each in its
 * document. A <details> element, so it takes one line in a table and opens with Enter or a click;
 * `open` for the measure's own facts. The value the measure shows (the choice rule's) is marked.
 * Null when the sources agree.
 */
export function conflictNote(conflicts, { unit, open = false } = {}) {
  if (!conflicts?.length) return null;
  const fields = conflicts.map((c) => conflictFieldLabel(c.field, c.stage).toLowerCase()).join(', ');
  return h('details', { class: 'conflicts', open, 'data-fields': conflicts.map((c) => c.field).join(' ') },
    h('summary', {}, h('span', { class: 'conflict-mark', 'aria-hidden': 'true' }, '⚠'), ' Sources disagree', h('span', { class: 'conflict-fields' }, `: ${fields}`)),
    h('ul', { class: 'conflict-list' }, conflicts.map((c) => h('li', { class: 'conflict', 'data-field': c.field, 'data-stage': c.stage || '' },
      h('span', { class: 'conflict-field' }, conflictFieldLabel(c.field, c.stage)),
      h('ul', { class: 'conflict-values' }, c.values.map((v) => {
        const shown = String(v.value) === String(c.chosen);
        return h('li', { class: 'conflict-value', 'data-value': String(v.value), 'data-chosen': String(shown) },
          h('strong', {}, conflictValueText(c.field, v.value, unit)),
          shown ? h('span', { class: 'muted' }, ' (shown)') : null,
          v.evidence?.length
            ? h('ul', { class: 'conflict-quotes' }, v.evidence.map(conflictQuote))
            : h('span', { class: 'muted' }, ' no quote recorded'));
      }))))));
}

/** One source's words for a disputed value, and where they are. */
function conflictQuote(e) {
  const quote = h('q', { class: 'conflict-quote' }, e.quote);
  const link = h('a', { href: href({ view: 'document', id: e.document_id, start: e.start, end: e.end }) }, e.document_id);
  fetchDocument(e.document_id).then((doc) => {
    if (doc.language) quote.setAttribute('lang', doc.language);
    link.textContent = doc.title || doc.id;
    if (doc.title && doc.language) link.setAttribute('lang', doc.language);
    if (doc.published) link.after(` · ${formatDate(doc.published)}`);
    link.title = `The source document${doc.language ? `, in ${LANGUAGE_LABELS[doc.language] || doc.language}` : ''}, with the quote highlighted`;
  }).catch(() => {});
  return h('li', { 'data-document': e.document_id }, quote, ' ', h('span', { class: 'conflict-source' }, '— ', link));
}

export function pageRange(answer) {
  return `${answer.offset + 1}–${answer.offset + answer.data.length} of ${answer.count}`;
}

/** Previous / next links for a paged list of measures. They are links (shareable, middle-click opens
 * a tab); a plain click changes the page in place: ``onPage(name)`` lets the view keep the keyboard
 * focus on the pager. ``note`` follows the status line. */
export function pager(answer, state, ctx, { onPage, note = '' }) {
  const { offset, limit, count } = answer;
  const end = offset + answer.data.length;
  const at = (start) => ({ ...state, offset: start > 0 ? String(start) : undefined });
  const link = (name, text, start) => {
    const a = h('a', { class: 'btn btn-small', href: href(at(start)), rel: name === 'next' ? 'next' : 'prev', 'data-page': name }, text);
    a.addEventListener('click', (e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      onPage(name);
      ctx.navigate(at(start), { focus: false });
    });
    return a;
  };
  return h('nav', { class: 'pager actions', 'aria-label': 'Pages of measures' },
    h('p', { class: 'pager-status' }, `Measures ${pageRange(answer)}, in date order.${note ? ` ${note}` : ''}`),
    offset > 0 ? link('previous', `← Previous ${Math.min(limit, offset)}`, Math.max(0, offset - limit)) : null,
    end < count ? link('next', `Next ${Math.min(limit, count - end)} →`, end) : null);
}

// --- CSV made in the page ----------------------------------------------------------------------
// A table that a list endpoint answers links to that endpoint's `format=csv` (ui.mjs `csvLink`).
// The others (a profile's tables, an entity's relations, a measure's dependents, the review's
// decisions) are built from answers that are not lists: their CSV is made here, from the rows the
// table shows, in the API's dialect (RFC 4180, CRLF line ends, UTF-8, no byte-order mark).

/** One field: empty for null, `true`/`false`, numbers as JavaScript writes them; quoted (quotes
 * doubled) when it holds a comma, a quote or a line break. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV text of a header and its rows (arrays of values), each line ended by CRLF. */
export function csvText(header, rows) {
  return [header, ...rows].map((row) => row.map(csvField).join(',') + '\r\n').join('');
}

/**
 * A button that downloads a table built in the page as `filename` (see csvFileName). `table()`
 * gives `{header, rows}` when pressed. The file is a Blob behind an object URL, clicked through a
 * detached link with `download`: a download is no fetch, so the page's Content-Security-Policy
 * (default-src 'none', connect-src 'self') needs no widening, and a table of any size fits (a
 * data: URL in the DOM would not).
 */
export function csvDownload(filename, table) {
  const button = h('button', { type: 'button', class: 'btn btn-small csv-download', 'data-filename': filename }, 'Download CSV');
  button.addEventListener('click', () => {
    const { header, rows } = table();
    const url = URL.createObjectURL(new Blob([csvText(header, rows)], { type: 'text/csv;charset=utf-8' }));
    h('a', { href: url, download: filename }).click();
    // The download has read the Blob long before this; revoking at once can cancel it in some
    // browsers, so the URL is let go a minute later.
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  });
  return button;
}
