// "What depends on Chinese rare earths?": a commodity (and an origin), the graph of dependency paths
// from the commodity's taxonomy to the products, firms and countries that rely on it, and a table.
// With an "as of" day, only the relations that held on that day.
import { h, append, clear, announce } from '../dom.mjs';
import { call, getJson } from '../api.mjs';
import { apiPath } from '../state.mjs';
import { combobox } from '../combobox.mjs';
import { displayName, formatDate } from '../format.mjs';
import { apiBox, asOfBadge, asOfField, csvFileName, csvLink, emptyBox, errorBox, href, loading, nameParts, viewHead } from '../ui.mjs';
import { drawGraph, graphControls, legend } from '../graph.mjs';
import { layered, ranksTowardRoots } from '../layout.mjs';
import { openRelationEvidence } from '../evidence.mjs';
import { addPaths, collectEntities, dependentsTable, edgeId } from '../paths.mjs';
import { failedParam, inspector } from './shared.mjs';

export const title = 'Dependents';
const MAX_IDS = 100; // /v1/subgraph takes at most 100 ids

const EXAMPLES = [
  { commodity: '稀土', origin: '中国', text: 'rare earths (稀土) from China (中国)' },
  { commodity: 'dysprosium', origin: 'China', text: 'dysprosium from China' },
  { commodity: 'NdFeB magnets', text: 'NdFeB magnets, from anywhere' },
];

export function render(root, state, ctx) {
  root.append(viewHead('What depends on a commodity',
    'Pick a commodity and, if you like, the country that supplies it. You get every product, firm and country that relies on it, directly or through its inputs, with the share where known and the sentence that says so.'));
  const commodity = combobox({ label: 'Commodity or product', types: ['Commodity', 'Product'], value: state.commodity || '', placeholder: 'e.g. 稀土 or rare earths', required: true });
  const origin = combobox({ label: 'Supplied by (optional)', types: ['Country'], value: state.origin || '', placeholder: 'e.g. 中国 or China' });
  const depth = h('select', { id: 'dep-depth', name: 'depth' }, [1, 2, 3, 4, 5, 6].map((d) => h('option', { value: d, selected: String(d) === (state.depth || '4') }, String(d))));
  const asOf = asOfField('dep-as-of', state.as_of);
  const form = h('form', { class: 'query-form', 'aria-label': 'Dependents query' },
    commodity.el, origin.el,
    h('div', { class: 'field field-narrow' }, h('label', { for: 'dep-depth', class: 'field-label' }, 'Hops'), depth),
    asOf.el,
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show dependents')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!commodity.value()) return commodity.input.focus();
    ctx.navigate({
      view: 'dependents', commodity: commodity.value(), origin: origin.value() || undefined, depth: depth.value === '4' ? undefined : depth.value,
      as_of: asOf.input.value || undefined,
    });
  });
  append(root, [asOfBadge(state), form]);
  const out = h('div', { class: 'view-body' });
  root.append(out);
  if (!state.commodity) {
    out.append(h('div', { class: 'examples' }, h('h2', {}, 'Try'), h('ul', {},
      EXAMPLES.map((ex) => h('li', {}, h('a', { href: href({ view: 'dependents', commodity: ex.commodity, origin: ex.origin }) }, ex.text))))));
    return null;
  }

  const params = { commodity: state.commodity, origin: state.origin, max_depth: state.depth, as_of: state.as_of };
  const main = call('v1/dependents', params);
  out.append(loading('Finding dependents…'));
  let graph = null;
  main.promise.then(async (answer) => {
    if (!ctx.current()) return;
    commodity.setValue(answer.commodity);
    if (answer.origin) origin.setValue(answer.origin);
    ctx.setTitle(`Dependents of ${displayName(answer.commodity)}${state.as_of ? ` as of ${formatDate(state.as_of)}` : ''}`);
    const calls = [main.path];
    // The commodity's taxonomy (IS_A, MADE_FROM among what it includes), for the left of the graph.
    let taxonomy = { nodes: [], edges: [] };
    if (answer.includes.length > 1) {
      const path = apiPath('v1/subgraph', { ids: answer.includes.slice(0, MAX_IDS).map((e) => e.id).join(','), depth: 0, as_of: state.as_of });
      calls.push(path);
      taxonomy = await getJson(path).catch(() => taxonomy);
      if (!ctx.current()) return;
    }
    clear(out);
    out.append(apiBox(calls));
    const entities = collectEntities(new Map(), [answer.commodity, answer.origin], answer.includes, answer.data, taxonomy.nodes);
    const originText = answer.origin ? ['supplied by ', nameParts(answer.origin)] : ['from any supplier'];
    out.append(h('p', { class: 'summary', 'data-count': answer.count, 'data-as-of': state.as_of },
      h('strong', {}, `${answer.count} ${answer.count === 1 ? 'dependent' : 'dependents'}`), ' of ', nameParts(answer.commodity), ' ', originText,
      `, within ${answer.max_depth} ${answer.max_depth === 1 ? 'hop' : 'hops'}${state.as_of ? `, as of ${formatDate(state.as_of)}` : ''}.`,
      answer.includes.length > 1 ? [' Includes ', answer.includes.filter((e) => e.id !== answer.commodity.id).map((e, i) => [i ? ', ' : '', h('a', { href: href({ view: 'entity', id: e.id }) }, nameParts(e))]), '.'] : null));
    announce(`${answer.count} dependents found`);
    if (!answer.data.length) {
      out.append(emptyBox('Nothing depends on it here', `No product, firm or country in the graph depends on ${displayName(answer.commodity)}${answer.origin ? ` supplied by ${displayName(answer.origin)}` : ''} within ${answer.max_depth} hops${state.as_of ? ` as of ${formatDate(state.as_of)}` : ''}.`));
      return;
    }

    // Graph: the commodity and its taxonomy, then every path.
    const nodes = new Map();
    const edges = new Map();
    nodes.set(answer.commodity.id, { id: answer.commodity.id, entity: answer.commodity, classes: 'root' });
    for (const e of answer.includes) if (!nodes.has(e.id)) nodes.set(e.id, { id: e.id, entity: e });
    for (const rel of taxonomy.edges || []) {
      if (rel.type !== 'IS_A' && rel.type !== 'MADE_FROM') continue;
      edges.set(edgeId(rel), { id: edgeId(rel), source: rel.source, target: rel.target, type: rel.type, share: rel.share, relation: rel });
    }
    addPaths(answer.data, entities, nodes, edges);
    const ids = [...nodes.keys()];
    const rank = ranksTowardRoots(ids, [...edges.values()], [answer.commodity.id]);
    for (const id of ids) if (!rank.has(id)) rank.set(id, 1);
    const narrow = window.matchMedia('(max-width: 760px)').matches;
    const positions = layered(ids, [...edges.values()], rank, narrow ? { gapX: 120, gapY: 130, vertical: true } : { gapX: 185, gapY: 88 });

    const canvas = h('div', { class: 'graph-canvas', id: 'dependents-graph' });
    const info = inspector({ asOf: state.as_of });
    const table = dependentsTable(answer.data, entities, {
      caption: 'Dependents, most exposed first; each relation opens its evidence',
      onFocus: (id) => { graph?.focus(id); info.show(nodes.get(id), entities); },
    });
    const types = [...new Set([...nodes.values()].map((n) => n.entity.type))];
    const relations = [...new Set([...edges.values()].map((e) => e.type))];
    out.append(h('div', { class: 'result-grid' },
      h('section', { class: 'panel panel-graph', 'aria-labelledby': 'graph-title' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'graph-title' }, 'Dependency paths'), h('p', { class: 'hint' }, 'Click a line to read the sentence behind it; click a node for details.')),
        h('div', { class: 'graph-frame' }, canvas, graphControls(() => graph)),
        legend({ types, relations, exposure: true }),
        info.el),
      h('section', { class: 'panel panel-table', 'aria-labelledby': 'table-title' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'table-title' }, 'Dependents'), h('p', { class: 'hint' }, 'Exposure is the product of the known shares along a path.'),
          h('p', { class: 'actions' }, csvLink(apiPath('v1/dependents', { ...params, format: 'csv' }), csvFileName('dependents', [state.commodity, state.origin, state.as_of])))),
        table)));
    graph = drawGraph(canvas, {
      nodes: [...nodes.values()],
      edges: [...edges.values()],
      positions,
      description: `Dependency graph: ${answer.count} dependents of ${displayName(answer.commodity)}. The table beside it lists the same paths.`,
      onEdge: (edge) => openRelationEvidence(edge.relation, entities),
      onNode: (node) => {
        graph.focus(node.id);
        info.show(node, entities);
        const row = out.querySelector(`tbody.dependent[data-id="${CSS.escape(node.id)}"]`);
        out.querySelectorAll('tbody.dependent.is-focused').forEach((r) => r.classList.remove('is-focused'));
        if (row) {
          row.classList.add('is-focused');
          row.scrollIntoView({ block: 'nearest' });
        }
      },
    });
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path]), errorBox(error, {
      retarget: (c) => href({ ...state, [failedParam(error, state, ['commodity', 'origin'])]: c.id }),
    }));
  });
  return () => graph?.destroy();
}

