// "How is the US–China dispute escalating?": two actors, their measures on a timeline (one lane per
// side), retaliation arrows, each measure's lifecycle and the cumulative index beneath, and the
// measures in a table. The API pages the measures (100 by default); the summary counts every
// measure, whatever the page. With an "as of" day the whole view is the dispute as it stood then.
import { h, append, clear, announce } from '../dom.mjs';
import { call } from '../api.mjs';
import { apiPath } from '../state.mjs';
import { combobox } from '../combobox.mjs';
import { displayName, formatDate, formatMagnitude, formatNumber, measureTypeLabel, stageLabel, statusLabel } from '../format.mjs';
import { apiBox, asOfBadge, asOfField, csvFileName, csvLink, emptyBox, errorBox, href, loading, nameParts, viewHead } from '../ui.mjs';
import { openEntityEvidence, openRelationEvidence } from '../evidence.mjs';
import { placeLifecycles, renderTimeline, timelineLegend, SIDE_COLORS } from '../timeline.mjs';
import { collectEntities } from '../paths.mjs';
import { conflictNote, entityList, factsList, failedParam, measureFacts, pageRange, pager } from './shared.mjs';

export const title = 'Escalation';

// Which pager link had the focus when the page changed, to give it back once the new page is drawn
// (other navigations move focus to the heading).
let refocus = null;

export function render(root, state, ctx) {
  root.append(viewHead('How a dispute is escalating',
    'Pick two actors. Each side’s measures are drawn on its own lane by date; arrows show which measure answered which, and the line beneath adds up how intense the dispute has become.'));
  const a = combobox({ label: 'First actor', value: state.a || '', placeholder: 'e.g. 美国 or United States', required: true });
  const b = combobox({ label: 'Second actor', value: state.b || '', placeholder: 'e.g. 中方 or China', required: true });
  const since = h('input', { type: 'date', id: 'esc-since', value: state.since || '' });
  const until = h('input', { type: 'date', id: 'esc-until', value: state.until || '' });
  const asOf = asOfField('esc-as-of', state.as_of);
  const form = h('form', { class: 'query-form', 'aria-label': 'Escalation query' },
    a.el, b.el,
    h('div', { class: 'field field-date' }, h('label', { for: 'esc-since', class: 'field-label' }, 'Since'), since),
    h('div', { class: 'field field-date' }, h('label', { for: 'esc-until', class: 'field-label' }, 'Until'), until),
    asOf.el,
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show escalation')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!a.value()) return a.input.focus();
    if (!b.value()) return b.input.focus();
    ctx.navigate({
      view: 'escalation', a: a.value(), b: b.value(), since: since.value || undefined, until: until.value || undefined,
      as_of: asOf.input.value || undefined, limit: state.limit,
    });
  });
  append(root, [asOfBadge(state), form]);
  const out = h('div', { class: 'view-body' });
  root.append(out);
  if (!state.a || !state.b) {
    out.append(h('div', { class: 'examples' }, h('h2', {}, 'Try'), h('ul', {},
      h('li', {}, h('a', { href: href({ view: 'escalation', a: '美国', b: '中国' }) }, 'United States (美国) and China (中国)')),
      h('li', {}, h('a', { href: href({ view: 'escalation', a: '美国', b: '中国', as_of: '2025-10-15' }) }, 'The same, as it stood on 15 October 2025')))));
    return null;
  }

  const params = { a: state.a, b: state.b, since: state.since, until: state.until, as_of: state.as_of, offset: state.offset, limit: state.limit };
  const main = call('v1/escalation', params);
  // The same call as CSV (a row per measure of the page), for a spreadsheet.
  const csv = apiPath('v1/escalation', { ...params, format: 'csv' });
  // Links to other measure and escalation views keep the view's day.
  const measureHref = (id) => href({ view: 'measure', id, as_of: state.as_of });
  const onDay = state.as_of ? ` as of ${formatDate(state.as_of)}` : '';
  out.append(loading('Reading the measures…'));
  let observer = null;
  main.promise.then((answer) => {
    if (!ctx.current()) return;
    a.setValue(answer.a);
    b.setValue(answer.b);
    ctx.setTitle(`Escalation: ${displayName(answer.a)} – ${displayName(answer.b)}${onDay}`);
    clear(out);
    out.append(apiBox([main.path]));
    const paged = answer.count > answer.data.length || answer.offset > 0;
    announce(`${answer.count} measures between ${displayName(answer.a)} and ${displayName(answer.b)}${onDay}${paged && answer.data.length ? `; showing ${answer.offset + 1} to ${answer.offset + answer.data.length}` : ''}`);
    if (!answer.data.length && answer.count) {
      out.append(emptyBox('Past the last measure', `There are ${answer.count} measures between them; this page starts after the last.`),
        h('p', { class: 'actions' }, h('a', { class: 'btn btn-small', href: href({ ...state, offset: undefined }) }, 'First page')));
      return;
    }
    if (!answer.data.length) {
      out.append(emptyBox('No measures between them', `The graph holds no measure that ${displayName(answer.a)} imposed on ${displayName(answer.b)} or the other way round${state.since || state.until ? ' in these dates' : ''}${state.as_of ? `, as it stood on ${formatDate(state.as_of)}` : ''}.`));
      return;
    }
    // Where each measure and each event of its lifecycle sits in time (timeline.mjs): the table,
    // the plot and the list of undated measures all read it.
    const lives = placeLifecycles(answer.data, answer.index, { until: answer.until });
    const undated = answer.data.filter((m) => !lives.get(m.entity.id).day);
    const entities = collectEntities(new Map(), [answer.a, answer.b], answer.data, answer.data.flatMap((m) => [...m.imposers, ...m.targets, ...m.covers]));
    const sum = answer.summary;
    // The latest step may be on another page: then only its id is known here.
    const latest = sum.latest ? answer.data.find((m) => m.entity.id === sum.latest) || { entity: { id: sum.latest }, date: null, elsewhere: true } : null;
    const side = (key) => (key === 'a' ? answer.a : answer.b);
    out.append(h('ul', { class: 'stat-cards', 'aria-label': 'Summary' },
      h('li', {}, h('span', { class: 'stat-value' }, String(sum.measures)), h('span', { class: 'stat-label' }, 'measures')),
      h('li', {}, h('span', { class: 'stat-value' }, h('span', { class: 'side-a' }, String(sum.by_a)), ' / ', h('span', { class: 'side-b' }, String(sum.by_b))),
        h('span', { class: 'stat-label' }, `by ${displayName(answer.a)} / by ${displayName(answer.b)}`)),
      h('li', {}, h('span', { class: 'stat-value' }, `${sum.in_force} / ${sum.threatened}`), h('span', { class: 'stat-label' }, 'in force / threatened')),
      h('li', {}, h('span', { class: 'stat-value' }, formatNumber(sum.index, 1)), h('span', { class: 'stat-label' }, state.as_of ? `escalation index on ${formatDate(state.as_of)}` : 'escalation index now')),
      latest ? h('li', { class: 'stat-wide' }, h('span', { class: 'stat-label' }, 'Latest step'), h('a', { href: measureHref(latest.entity.id), class: 'stat-link' }, displayName(latest.entity)), h('span', { class: 'stat-label' }, latest.elsewhere ? 'on a later page' : latest.date ? formatDate(latest.date) : 'undated')) : null));
    const pages = paged ? pager(answer, state, ctx, { onPage: (name) => { refocus = name; }, note: 'The summary above counts them all.' }) : null;
    if (pages) out.append(pages);
    const { index, base } = pageIndex(answer, lives);

    const plotBox = h('div', { class: 'timeline-scroll', tabindex: '-1' });
    const details = h('section', { class: 'panel panel-details', 'aria-labelledby': 'details-title', id: 'measure-details' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'details-title' }, 'Measure'), h('p', { class: 'hint' }, 'Choose a marker above or a row below to see a measure here.')));
    let selected = null;
    const draw = () => {
      clear(plotBox).append(renderTimeline({ ...answer, index }, {
        width: plotBox.clientWidth || 960,
        indexBase: base,
        lifecycles: lives,
        asOf: state.as_of,
        selected,
        onSelect: (m) => select(m, true),
        onLink: (link) => openRelationEvidence(link, entities),
        onEvent: (m, seg) => openEntityEvidence(m.entity, seg.evidence ? [seg.evidence] : [], [
          ['Event', stageLabel(seg.stage)],
          ['Date', seg.datedBy === 'document' ? `${formatDate(seg.from)} (no date in the source: the publication date of its report)` : formatDate(seg.from)],
          ['Then', `${statusLabel(seg.status)} ${seg.to ? `until ${formatDate(seg.to)}` : state.as_of ? `still on ${formatDate(state.as_of)}` : 'to this day'}`],
        ]),
      }));
    };
    const select = (m, fromPlot = false) => {
      selected = m.entity.id;
      draw();
      showDetails(details, m, side(m.side), entities, measureHref);
      out.querySelectorAll('tr.is-focused').forEach((r) => r.classList.remove('is-focused'));
      out.querySelector(`tr[data-measure="${CSS.escape(m.entity.id)}"]`)?.classList.add('is-focused');
      if (fromPlot) {
        plotBox.querySelector(`g.marker[data-measure="${CSS.escape(m.entity.id)}"]`)?.focus();
        details.scrollIntoView({ block: 'nearest' });
      }
    };

    out.append(h('section', { class: 'panel panel-timeline', 'aria-labelledby': 'timeline-title' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'timeline-title' }, 'Measures by date'),
        h('p', { class: 'hint' }, 'Each marker is a measure; Tab moves between them and Enter shows one. The red arrow runs from a retaliation to the measure it answers. Beneath, each measure’s lifecycle: a bar from each event to the next.',
          paged ? ' The index line covers this page’s dates, starting from the level reached before them.' : null)),
      plotBox, undated.length ? undatedList(undated, (m) => select(m)) : null, timelineLegend(answer, { lifecycles: lives, asOf: state.as_of })));

    const table = h('table', { class: 'data-table measures-table' },
      h('caption', {}, 'Measures in date order (undated last); a date in italics is the publication date of the report, as the source gives none'),
      h('thead', {}, h('tr', {}, ['Date', 'Imposed by', 'Measure', 'Type', 'Status', 'Magnitude', 'Intensity', 'Answers'].map((t, i) => h('th', { scope: 'col', class: i === 6 ? 'num' : null }, t)))),
      h('tbody', {}, answer.data.map((m) => {
        const row = h('tr', { 'data-measure': m.entity.id, 'data-side': m.side, 'data-conflict': m.conflict ? 'true' : null },
          h('td', { class: 'nowrap' }, dateCell(m, lives.get(m.entity.id)), m.measure?.effective && m.measure.effective !== m.date ? h('div', { class: 'muted small' }, `effective ${formatDate(m.measure.effective)}`) : null),
          h('td', {}, h('span', { class: `side-dot side-${m.side}`, 'aria-hidden': 'true' }), displayName(side(m.side))),
          h('th', { scope: 'row' }, h('a', { href: measureHref(m.entity.id) }, nameParts(m.entity)), m.conflict ? conflictNote(m.conflicts, { unit: m.measure?.unit }) : null),
          h('td', {}, measureTypeLabel(m.measure?.measure_type)),
          h('td', {}, h('span', { class: `status status-${m.measure?.status}` }, statusLabel(m.measure?.status))),
          h('td', {}, formatMagnitude(m.measure) || '–'),
          h('td', { class: 'num' }, formatNumber(m.intensity, 2)),
          h('td', {}, m.retaliates_against.length ? m.retaliates_against.map((id) => h('a', { href: measureHref(id), class: 'small' }, displayName(entities.get(id) || { id }))) : '–'));
        // Links, buttons and the "sources disagree" note do their own thing, not select the row.
        row.addEventListener('click', (e) => { if (!e.target.closest('a, button, details')) select(m); });
        return row;
      })));
    out.append(details,
      h('section', { class: 'panel panel-table', 'aria-labelledby': 'measures-title' }, h('div', { class: 'panel-head' }, h('h2', { id: 'measures-title' }, paged ? `Measures ${pageRange(answer)}` : 'All measures'),
        h('p', { class: 'actions' }, csvLink(csv, csvFileName('escalation', [state.a, state.b, state.since, state.until, state.as_of], answer)))), h('div', { class: 'table-scroll' }, table)));
    draw();
    // The link used may be gone (the last page has no "next"): then its neighbour.
    if (pages && refocus) (pages.querySelector(`[data-page="${refocus}"]`) || pages.querySelector('a'))?.focus();
    refocus = null;
    let lastWidth = plotBox.clientWidth;
    observer = new ResizeObserver(() => {
      if (Math.abs(plotBox.clientWidth - lastWidth) < 8) return;
      lastWidth = plotBox.clientWidth;
      draw();
    });
    observer.observe(plotBox);
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path]), errorBox(error, { retarget: (c) => href({ ...state, [failedParam(error, state, ['a', 'b'])]: c.id }) }));
  });
  return () => observer?.disconnect();
}

function showDetails(panel, m, actor, entities, measureHref) {
  clear(panel);
  const evidence = h('button', { type: 'button', class: 'btn btn-small' }, 'Read the source');
  evidence.addEventListener('click', () => openEntityEvidence(m.entity, m.evidence, measureFacts(m)));
  const retaliation = [];
  for (const id of m.retaliates_against) retaliation.push(['Retaliates against', h('a', { href: measureHref(id) }, displayName(entities.get(id) || { id }))]);
  for (const id of m.answered_by) retaliation.push(['Answered by', h('a', { href: measureHref(id) }, displayName(entities.get(id) || { id }))]);
  panel.append(
    h('div', { class: 'panel-head' },
      h('h2', { id: 'details-title' }, nameParts(m.entity)),
      h('p', { class: 'details-side' }, h('span', { class: `side-dot side-${m.side}`, style: { background: SIDE_COLORS[m.side] }, 'aria-hidden': 'true' }), 'Imposed by ', nameParts(actor))),
    h('div', { class: 'details-grid' },
      factsList(measureFacts(m)),
      factsList([['Imposers', entityList(m.imposers)], ['Targets', entityList(m.targets)], ['Covers', entityList(m.covers)], ...retaliation])),
    h('p', { class: 'actions' }, evidence, ' ', h('a', { class: 'btn btn-small', href: measureHref(m.entity.id) }, 'What it hits')));
}

/** A measure's day in the table: its date, else its report's (in italics), else "undated". */
function dateCell(m, life) {
  if (!life?.day) return 'undated';
  if (life.datedBy === 'document') return h('em', { title: 'No date in the source: the publication date of the report' }, formatDate(life.day));
  return formatDate(life.day);
}

/** The measures with no day at all, beside the plot rather than on it at a made-up date. */
function undatedList(measures, onSelect) {
  return h('div', { class: 'undated-measures' },
    h('h3', { id: 'undated-title' }, `Undated: not on the time axis (${measures.length})`),
    h('p', { class: 'hint' }, 'Neither their source nor the document that reports them gives a day, so they are not drawn at any date. They count in the summary, not in the index.'),
    h('ul', { class: 'undated-list', 'aria-labelledby': 'undated-title' }, measures.map((m) => {
      const button = h('button', { type: 'button', class: 'btn btn-small btn-quiet' }, displayName(m.entity));
      button.addEventListener('click', () => onSelect(m));
      return h('li', { 'data-measure': m.entity.id, 'data-side': m.side },
        h('span', { class: `side-dot side-${m.side}`, 'aria-hidden': 'true' }), button, ' ',
        h('span', { class: `status status-${m.measure?.status}` }, statusLabel(m.measure?.status)));
    })));
}


/** The index points within the page's dates, and the point before them (where the line starts),
 * so the line beneath the page's markers shares their date axis. A whole answer keeps them all. */
function pageIndex(answer, lives) {
  if (answer.offset === 0 && answer.count <= answer.data.length) return { index: answer.index, base: null };
  const dates = answer.data.flatMap((m) => lives.get(m.entity.id).events.map((e) => e.date)).sort();
  if (!dates.length) return { index: [], base: null };
  const [from, to] = [dates[0], dates[dates.length - 1]];
  const before = answer.index.filter((p) => p.date < from);
  return { index: answer.index.filter((p) => p.date >= from && p.date <= to), base: before[before.length - 1] || null };
}

