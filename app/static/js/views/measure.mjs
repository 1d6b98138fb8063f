// "What does this measure hit?": who imposed it, whom it targets, what it covers, and who depends
// on the covered goods (in the targeted countries first), as a graph and as tables. With an "as of"
// day, the measure (or the list of measures) as it stood then.
import { h, append, clear, announce } from '../dom.mjs';
import { call, getJson, seg } from '../api.mjs';
import { apiPath } from '../state.mjs';
import { combobox } from '../combobox.mjs';
import { displayName, formatDate, measureTypeLabel, statusLabel } from '../format.mjs';
import { apiBox, asOfBadge, asOfField, csvFileName, csvLink, emptyBox, errorBox, href, loading, nameParts, viewHead } from '../ui.mjs';
import { drawGraph, graphControls, legend } from '../graph.mjs';
import { layered, ranksTowardRoots } from '../layout.mjs';
import { openEntityEvidence, openRelationEvidence } from '../evidence.mjs';
import { addPaths, collectEntities, dependentsCsv, dependentsTable, edgeId } from '../paths.mjs';
import { actorHref, actorNames, conflictNote, csvDownload, entityList, factsList, inspector, measureFacts } from './shared.mjs';

export const title = 'Measure';

export function render(root, state, ctx) {
  root.append(viewHead('What a measure hits',
    'Pick a measure: the goods it covers, the countries it targets, and everyone downstream who depends on those goods — first in the targeted countries, then elsewhere.'));
  // Not `required`: with no measure picked, the form shows the list of measures on the chosen day.
  const picker = combobox({ label: 'Measure', types: ['Measure'], value: state.id || '', placeholder: 'e.g. 稀土管制 or rare-earth export controls' });
  const asOf = asOfField('measure-as-of', state.as_of);
  const form = h('form', { class: 'query-form', 'aria-label': 'Measure query' }, picker.el, asOf.el,
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show impact')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // Nothing picked and the day unchanged: there is nothing new to show.
    if (!picker.value() && asOf.input.value === (state.as_of || '')) return picker.input.focus();
    ctx.navigate({ view: 'measure', id: picker.value() || undefined, depth: picker.value() ? state.depth : undefined, as_of: asOf.input.value || undefined });
  });
  append(root, [asOfBadge(state), form]);
  const out = h('div', { class: 'view-body' });
  root.append(out);
  if (!state.id) {
    listMeasures(out, ctx, state.as_of);
    return null;
  }

  const dated = { as_of: state.as_of };
  const main = call(`v1/measures/${seg(state.id)}/impact`, { max_depth: state.depth, ...dated });
  const measureHref = (other) => href({ view: 'measure', id: other, as_of: state.as_of });
  out.append(loading('Tracing the impact…'));
  let graph = null;
  main.promise.then(async (answer) => {
    if (!ctx.current()) return;
    const item = answer.measure;
    const id = item.entity.id;
    picker.setValue(item.entity);
    ctx.setTitle(`${displayName(item.entity)}${state.as_of ? ` as of ${formatDate(state.as_of)}` : ''}`);
    // The measure's own relations, with their evidence, for the edges around it.
    const aroundPath = apiPath(`v1/entities/${seg(id)}/neighbors`, dated);
    const around = await getJson(aroundPath).catch(() => ({ nodes: [], edges: [] }));
    if (!ctx.current()) return;
    const entities = collectEntities(new Map(), [item.entity, answer.origin], item.imposers, item.targets, item.covers, answer.hits, answer.elsewhere, around.nodes);
    // Names of the goods in between (on the paths, not in the answer's lists).
    const calls = [main.path, aroundPath];
    const unnamed = [...new Set([...answer.hits, ...answer.elsewhere].flatMap((d) => d.paths.flatMap((p) => p.steps.flatMap((st) => [st.source, st.target]))))].filter((x) => !entities.has(x));
    if (unnamed.length) {
      const namesPath = apiPath('v1/subgraph', { ids: unnamed.slice(0, 100).join(','), depth: 0, ...dated }); // at most 100 ids
      calls.push(namesPath);
      const named = await getJson(namesPath).catch(() => ({ nodes: [] }));
      if (!ctx.current()) return;
      collectEntities(entities, named.nodes);
    }
    clear(out);
    out.append(apiBox(calls));
    announce(`${answer.hits.length} hit, ${answer.elsewhere.length} elsewhere`);

    // Header card.
    const evidence = h('button', { type: 'button', class: 'btn btn-small' }, 'Read the source');
    evidence.addEventListener('click', () => openEntityEvidence(item.entity, item.evidence, measureFacts(item)));
    const chain = [];
    for (const other of item.retaliates_against) chain.push(['Retaliates against', h('a', { href: measureHref(other) }, displayName(entities.get(other) || { id: other }))]);
    for (const other of item.answered_by) chain.push(['Answered by', h('a', { href: measureHref(other) }, displayName(entities.get(other) || { id: other }))]);
    const m = item.measure || {};
    out.append(h('section', { class: 'panel measure-card', 'aria-labelledby': 'measure-name' },
      h('p', { class: 'kicker' }, `${measureTypeLabel(m.measure_type)} · ${statusLabel(m.status)}${state.as_of ? ` as of ${formatDate(state.as_of)}` : ''}${item.date ? ` · ${formatDate(item.date)}` : ''}`),
      h('h2', { id: 'measure-name' }, nameParts(item.entity)),
      h('div', { class: 'measure-card-grid' },
        factsList(measureFacts(item)),
        factsList([['Imposed by', entityList(item.imposers, { link: actorHref })], ['Targets', entityList(item.targets, { link: actorHref })], ['Covers', entityList(item.covers)], ...chain])),
      h('p', { class: 'actions' }, evidence, ' ', h('a', { class: 'btn btn-small', href: href({ view: 'entity', id }) }, 'Entity view'),
        item.imposers[0] && item.targets[0] ? [' ', h('a', { class: 'btn btn-small', href: href({ view: 'escalation', a: item.imposers[0].id, b: item.targets[0].id, as_of: state.as_of }) }, `Escalation: ${displayName(item.imposers[0])} – ${displayName(item.targets[0])}`)] : null)));

    // Graph: imposers → measure → covered goods and targets → dependents.
    const nodes = new Map();
    const edges = new Map();
    nodes.set(id, { id, entity: item.entity, classes: 'center' });
    const rel = (type, source, target) => around.edges.find((e) => e.type === type && e.source === source && e.target === target) || { source, type, target, share: null, evidence: [] };
    const addEdge = (r) => edges.set(edgeId(r), { id: edgeId(r), source: r.source, target: r.target, type: r.type, share: r.share, relation: r });
    const ranks = new Map([[id, 1]]);
    for (const e of item.imposers) {
      nodes.set(e.id, { id: e.id, entity: e });
      ranks.set(e.id, 0);
      addEdge(rel('IMPOSES', e.id, id));
    }
    for (const e of item.covers) {
      nodes.set(e.id, { id: e.id, entity: e });
      ranks.set(e.id, 2);
      addEdge(rel('COVERS', id, e.id));
    }
    addPaths(answer.hits, entities, nodes, edges, { classes: 'hit' });
    addPaths(answer.elsewhere, entities, nodes, edges, { classes: 'elsewhere' });
    for (const e of item.targets) {
      if (!nodes.has(e.id)) nodes.set(e.id, { id: e.id, entity: e });
      addEdge(rel('TARGETS', id, e.id));
    }
    const ids = [...nodes.keys()];
    const pathEdges = [...edges.values()].filter((e) => e.type !== 'IMPOSES' && e.type !== 'COVERS' && e.type !== 'TARGETS');
    const rank = ranksTowardRoots(ids, pathEdges, ranks);
    for (const e of item.targets) if (!rank.has(e.id) || rank.get(e.id) < 2) rank.set(e.id, 2);
    for (const nid of ids) if (!rank.has(nid)) rank.set(nid, 3);
    const narrow = window.matchMedia('(max-width: 760px)').matches;
    const positions = layered(ids, [...edges.values()], rank, narrow ? { gapX: 120, gapY: 130, vertical: true } : { gapX: 185, gapY: 88 });

    const canvas = h('div', { class: 'graph-canvas', id: 'impact-graph' });
    const info = inspector({ asOf: state.as_of });
    const onFocus = (nid) => { graph?.focus(nid); info.show(nodes.get(nid), entities); };
    const tables = h('div', { class: 'tables' });
    if (answer.hits.length) {
      tables.append(h('div', { class: 'impact-hits' }, h('h3', {}, `Hit in the targeted ${item.targets.length === 1 ? 'country' : 'countries'} (${answer.hits.length})`),
        h('p', { class: 'actions' }, csvDownload(csvFileName('impact-hits', [id, state.as_of]), () => dependentsCsv(answer.hits))),
        dependentsTable(answer.hits, entities, { caption: 'Dependents that are, or are based in, a targeted country', onFocus })));
    }
    if (answer.elsewhere.length) {
      tables.append(h('div', { class: 'impact-elsewhere' }, h('h3', {}, `Elsewhere (${answer.elsewhere.length})`),
        h('p', { class: 'actions' }, csvDownload(csvFileName('impact-elsewhere', [id, state.as_of]), () => dependentsCsv(answer.elsewhere))),
        dependentsTable(answer.elsewhere, entities, { caption: 'Other dependents of the covered goods', onFocus })));
    }
    if (!answer.hits.length && !answer.elsewhere.length) {
      tables.append(emptyBox('No dependents recorded', 'Nothing in the graph depends on the goods this measure covers.'));
    }
    const types = [...new Set([...nodes.values()].map((n) => n.entity.type))];
    const relations = [...new Set([...edges.values()].map((e) => e.type))];
    out.append(h('div', { class: 'result-stack' },
      h('section', { class: 'panel panel-graph', 'aria-labelledby': 'impact-graph-title' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'impact-graph-title' }, 'Impact'), h('p', { class: 'hint' }, 'Imposers on the left, then the measure, what it covers and targets, then who depends on it. Click a line for its evidence.')),
        h('div', { class: 'graph-frame' }, canvas, graphControls(() => graph)),
        legend({ types, relations, exposure: answer.hits.length + answer.elsewhere.length > 0 }),
        info.el),
      h('section', { class: 'panel panel-table', 'aria-labelledby': 'impact-table-title' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'impact-table-title' }, 'Who it hits'),
          answer.origin ? h('p', { class: 'hint' }, 'Covered goods read as supplied by ', nameParts(answer.origin), '.') : null),
        tables)));
    graph = drawGraph(canvas, {
      nodes: [...nodes.values()], edges: [...edges.values()], positions,
      description: `Impact graph of ${displayName(item.entity)}: ${answer.hits.length} dependents hit in the targeted countries, ${answer.elsewhere.length} elsewhere.`,
      onEdge: (edge) => openRelationEvidence(edge.relation, entities),
      onNode: (node) => onFocus(node.id),
    });
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    // A measure that exists today but not on the view's day is "not found" by the API: say why.
    if (state.as_of && error?.status === 404) {
      out.append(apiBox([main.path]), h('div', { class: 'message message-empty', role: 'status' },
        h('h2', {}, `Not in the graph as of ${formatDate(state.as_of)}`),
        h('p', {}, 'Nothing in the graph went by that name on that day. A measure enters the graph with the first event of its lifecycle, so this one may not have happened yet.'),
        h('p', { class: 'actions' }, h('a', { class: 'btn btn-small', href: href({ ...state, as_of: undefined }) }, 'Look it up today'))));
      return;
    }
    out.append(apiBox([main.path]), errorBox(error, { retarget: (c) => href({ view: c.type === 'Measure' ? 'measure' : 'entity', id: c.id, as_of: state.as_of }) }));
  });
  return () => graph?.destroy();
}

/** With no measure picked: every measure (on the view's day, when it has one), newest first. */
function listMeasures(out, ctx, asOf) {
  const list = call('v1/measures', { limit: 200, as_of: asOf });
  out.append(loading('Loading the measures…'));
  list.promise.then((answer) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([list.path]));
    if (!answer.data.length) {
      out.append(asOf
        ? emptyBox(`No measures as of ${formatDate(asOf)}`, 'No measure in the graph had its first lifecycle event by that day.')
        : emptyBox('No measures yet', 'The graph holds no measures. Ingest a document or a facts file first.'));
      return;
    }
    // Newest first; undated last.
    const rows = [...answer.data].sort((p, q) => (p.date && q.date ? q.date.localeCompare(p.date) : p.date ? -1 : q.date ? 1 : 0));
    out.append(h('section', { class: 'panel', 'aria-labelledby': 'all-measures' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'all-measures' }, asOf ? `Measures as of ${formatDate(asOf)} (${answer.count})` : `All measures (${answer.count})`),
        h('p', { class: 'actions' }, csvLink(apiPath('v1/measures', { limit: 200, as_of: asOf, format: 'csv' }), csvFileName('measures', [asOf], answer)))),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table' },
        h('thead', {}, h('tr', {}, ['Date', 'Measure', 'Type', 'Status', 'Imposed by'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, rows.map((m) => h('tr', { 'data-measure': m.entity.id, 'data-status': m.measure?.status || '', 'data-conflict': m.conflict ? 'true' : null },
          h('td', { class: 'nowrap' }, m.date ? formatDate(m.date) : 'undated'),
          h('th', { scope: 'row' }, h('a', { href: href({ view: 'measure', id: m.entity.id, as_of: asOf }) }, nameParts(m.entity)),
            m.conflict ? conflictNote(m.conflicts, { unit: m.measure?.unit }) : null),
          h('td', {}, measureTypeLabel(m.measure?.measure_type)),
          h('td', {}, h('span', { class: `status status-${m.measure?.status}` }, statusLabel(m.measure?.status))),
          h('td', {}, actorNames(m.imposers)))))))));
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(errorBox(error));
  });
}
