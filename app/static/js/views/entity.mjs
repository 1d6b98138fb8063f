// One entity: its names in every language, aliases, attributes, neighbours (graph and list) and
// evidence; a link to the same node in Neo4j Browser when the store is Neo4j.
import { h, clear, announce } from '../dom.mjs';
import { call, getJson, seg } from '../api.mjs';
import { apiPath } from '../state.mjs';
import { combobox } from '../combobox.mjs';
import { displayName, formatShare, LANGUAGE_LABELS, locateSpan, neo4jBrowserLink, neo4jCypher, relationLabel } from '../format.mjs';
import { apiBox, csvFileName, emptyBox, errorBox, href, loading, nameParts, typeBadge, viewHead } from '../ui.mjs';
import { drawGraph, graphControls, legend } from '../graph.mjs';
import { openEntityEvidence, openRelationEvidence, uniqueEvidence, fetchDocument } from '../evidence.mjs';
import { collectEntities, edgeId } from '../paths.mjs';
import { radial } from '../layout.mjs';
import { csvDownload, entityActionHref, factsList, inspector, measureFacts } from './shared.mjs';

export const title = 'Entity';

export function render(root, state, ctx) {
  root.append(viewHead('An entity and its surroundings', 'Any country, organisation, firm, person, measure, commodity or product: its names, what it is linked to, and where the graph learnt it.'));
  const picker = combobox({ label: 'Entity', value: state.id || '', placeholder: 'e.g. 中方, Boeing, F-35', required: true });
  const form = h('form', { class: 'query-form', 'aria-label': 'Entity query' }, picker.el,
    h('div', { class: 'field field-submit' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Show entity')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!picker.value()) return picker.input.focus();
    ctx.navigate({ view: 'entity', id: picker.value() });
  });
  root.append(form);
  const out = h('div', { class: 'view-body' });
  root.append(out);
  if (!state.id) {
    out.append(h('p', { class: 'muted' }, 'Type a name in any language above, or use the search box at the top.'));
    return null;
  }

  const main = call(`v1/entities/${seg(state.id)}`, {});
  out.append(loading('Looking it up…'));
  let graph = null;
  main.promise.then(async (detail) => {
    if (!ctx.current()) return;
    const entity = detail.entity;
    const ref = { id: entity.id, type: entity.type, names: entity.names, name: displayName(entity) };
    picker.setValue(ref);
    ctx.setTitle(displayName(entity));
    const aroundPath = apiPath(`v1/entities/${seg(entity.id)}/neighbors`, {});
    const [around, config] = await Promise.all([getJson(aroundPath).catch(() => ({ nodes: [], edges: [], truncated: false })), ctx.config]);
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path, aroundPath]));
    const entities = collectEntities(new Map([[entity.id, ref]]), around.nodes);
    announce(`${displayName(entity)}: ${around.edges.length} relations`);

    // Header: names, aliases, actions.
    const names = Object.entries(entity.names || {});
    const actions = [];
    if (entity.type === 'Commodity' || entity.type === 'Product') actions.push(h('a', { class: 'btn btn-primary btn-small', href: href({ view: 'dependents', commodity: entity.id }) }, 'What depends on it'));
    if (entity.type === 'Measure') actions.push(h('a', { class: 'btn btn-primary btn-small', href: href({ view: 'measure', id: entity.id }) }, 'What it hits'));
    if (entity.type === 'Country') {
      const rival = around.edges.find((e) => e.type === 'NEGOTIATES_WITH')?.target;
      const other = rival && rival !== entity.id ? rival : around.edges.find((e) => e.type === 'NEGOTIATES_WITH' && e.target === entity.id)?.source;
      if (other) actions.push(h('a', { class: 'btn btn-small', href: href({ view: 'escalation', a: entity.id, b: other }) }, `Escalation with ${displayName(entities.get(other) || { id: other })}`));
    }
    // A country's or a bloc's (an organisation countries are members of) measures both ways.
    const bloc = entity.type === 'Organization' && around.edges.some((e) => e.type === 'MEMBER_OF' && e.target === entity.id && e.source.startsWith('country:'));
    if (entity.type === 'Country' || bloc) actions.push(h('a', { class: 'btn btn-small', href: href({ view: 'country', id: entity.id }), 'data-link': 'country' }, 'Jurisdiction page'));
    if (entity.evidence?.length) {
      const b = h('button', { type: 'button', class: 'btn btn-small' }, 'Read the source');
      b.addEventListener('click', () => openEntityEvidence(ref, entity.evidence));
      actions.push(b);
    }
    const neo4j = neo4jBox(config, entity.id);
    out.append(h('section', { class: 'panel entity-card', 'aria-labelledby': 'entity-name' },
      h('p', { class: 'kicker' }, typeBadge(entity.type), ' ', h('code', { class: 'id' }, entity.id)),
      h('h2', { id: 'entity-name' }, nameParts(ref)),
      factsList([
        ['Names', h('ul', { class: 'inline-list' }, names.map(([lang, text]) => h('li', {}, h('span', { lang }, text), h('span', { class: 'muted small' }, ` ${LANGUAGE_LABELS[lang] || lang}`))))],
        ['Aliases', entity.aliases?.length ? h('ul', { class: 'inline-list' }, entity.aliases.map((a) => h('li', { lang: /[\u2e80-\u9fff]/.test(a) ? 'zh' : 'en' }, a))) : h('span', { class: 'muted' }, 'none')],
        ...Object.entries(entity.attributes || {}).map(([k, v]) => [k.replaceAll('_', ' '), typeof v === 'object' ? JSON.stringify(v) : String(v)]),
        ...(entity.measure ? measureFacts({ measure: entity.measure, conflicts: detail.conflicts }) : []),
        ['Relations', relationCounts(detail.relations)],
      ]),
      actions.length ? h('p', { class: 'actions' }, actions.map((a) => [a, ' '])) : null,
      neo4j));

    // Neighbours: graph and grouped list.
    if (!around.edges.length) {
      out.append(emptyBox('No neighbours', 'Nothing in the graph is linked to this entity.'));
    } else {
      // Neighbours grouped by how they are linked, so the ring reads in sections.
      const linkOf = new Map();
      for (const e of around.edges) {
        const other = e.source === entity.id ? e.target : e.source;
        if (!linkOf.has(other)) linkOf.set(other, `${e.source === entity.id ? 'out' : 'in'}:${e.type}`);
      }
      const sorted = [...around.nodes].sort((p, q) => (linkOf.get(p.id) || '').localeCompare(linkOf.get(q.id) || '') || p.id.localeCompare(q.id));
      const nodes = sorted.map((n) => ({ id: n.id, entity: n, classes: n.id === entity.id ? 'center' : '' }));
      if (!nodes.some((n) => n.id === entity.id)) nodes.push({ id: entity.id, entity: ref, classes: 'center' });
      const edges = around.edges.map((e) => ({ id: edgeId(e), source: e.source, target: e.target, type: e.type, share: e.share, relation: e }));
      const canvas = h('div', { class: 'graph-canvas', id: 'entity-graph' });
      const info = inspector();
      out.append(h('div', { class: 'result-grid' },
        h('section', { class: 'panel panel-graph', 'aria-labelledby': 'nb-graph-title' },
          h('div', { class: 'panel-head' }, h('h2', { id: 'nb-graph-title' }, 'Neighbours'), h('p', { class: 'hint' }, edges.length <= 8 ? 'Click a line for its evidence, a node to select it.' : 'Colours show the relation (see the legend); point at a line for its label, click it for its evidence.')),
          h('div', { class: 'graph-frame' }, canvas, graphControls(() => graph)),
          legend({ types: [...new Set(nodes.map((n) => n.entity.type))], relations: [...new Set(edges.map((e) => e.type))] }),
          info.el),
        h('section', { class: 'panel panel-table', 'aria-labelledby': 'nb-list-title' },
          h('div', { class: 'panel-head' }, h('h2', { id: 'nb-list-title' }, 'Relations'), around.truncated ? h('p', { class: 'hint' }, 'The API cut this list short.') : null,
            h('p', { class: 'actions' }, csvDownload(csvFileName('relations', [entity.id]), () => relationsCsv(entity.id, around.edges, entities)))),
          neighbourList(entity.id, around.edges, entities))));
      graph = drawGraph(canvas, {
        nodes, edges, positions: radial(nodes.map((n) => n.id), entity.id), edgeLabels: edges.length <= 8,
        description: `${displayName(entity)} and its ${nodes.length - 1} neighbours; the list beside it holds the same relations.`,
        onEdge: (edge) => openRelationEvidence(edge.relation, entities),
        onNode: (node) => { graph.focus(node.id); info.show(node, entities); },
      });
    }
    if (entity.evidence?.length) out.append(evidencePanel(entity.evidence));
  }).catch((error) => {
    if (!ctx.current()) return;
    clear(out);
    out.append(apiBox([main.path]), errorBox(error, { retarget: (c) => href({ view: 'entity', id: c.id }) }));
  });
  return () => graph?.destroy();
}

function relationCounts(relations) {
  const rows = [];
  for (const [type, n] of Object.entries(relations?.out || {})) rows.push([relationLabel(type), n]);
  for (const [type, n] of Object.entries(relations?.in || {})) rows.push([relationLabel(type, true), n]);
  if (!rows.length) return h('span', { class: 'muted' }, 'none');
  return h('ul', { class: 'count-chips' }, rows.map(([k, n]) => h('li', {}, k, ' ', h('strong', {}, String(n)))));
}

/** The relations of the list as CSV columns (csvDownload), in the list's order: one row per
 * relation touching the entity, `out` from it or `in` to it. */
function relationsCsv(id, edges, entities) {
  const rows = [];
  for (const e of edges) {
    const out = e.source === id;
    if (!out && e.target !== id) continue;
    const other = entities.get(out ? e.target : e.source) || { id: out ? e.target : e.source };
    rows.push([out ? 'out' : 'in', e.type, other.id, displayName(other), other.type, e.share, e.origin]);
  }
  const order = (r) => `${r[0]}:${r[1]}`;
  const groups = [...new Set(rows.map(order))];
  rows.sort((p, q) => groups.indexOf(order(p)) - groups.indexOf(order(q)));
  return { header: ['direction', 'type', 'entity.id', 'entity.name', 'entity.type', 'share', 'origin'], rows };
}

/** Relations grouped by type and direction; each has an evidence button. */
function neighbourList(id, edges, entities) {
  const groups = new Map();
  for (const e of edges) {
    const out = e.source === id;
    const other = out ? e.target : e.source;
    if (!out && e.target !== id) continue;
    const key = `${out ? 'out' : 'in'}:${e.type}`;
    if (!groups.has(key)) groups.set(key, { label: relationLabel(e.type, !out), items: [] });
    groups.get(key).items.push({ e, other });
  }
  const wrap = h('div', { class: 'neighbour-groups' });
  for (const { label, items } of groups.values()) {
    wrap.append(h('h3', {}, `${label[0].toUpperCase()}${label.slice(1)} (${items.length})`), h('ul', { class: 'neighbour-list' }, items.map(({ e, other }) => {
      const o = entities.get(other) || { id: other };
      const b = h('button', { type: 'button', class: 'btn btn-quiet btn-small', 'aria-label': `evidence that ${displayName(entities.get(e.source) || { id: e.source })} ${relationLabel(e.type)} ${displayName(o)}` }, 'evidence');
      b.addEventListener('click', () => openRelationEvidence(e, entities));
      const extra = [];
      if (e.share !== null && e.share !== undefined) extra.push(formatShare(e.share));
      if (e.origin) extra.push(`from ${displayName(entities.get(e.origin) || { id: e.origin })}`);
      return h('li', {}, h('a', { href: entityActionHref(o) }, nameParts(o)), ' ', typeBadge(o.type || ''), extra.length ? h('span', { class: 'muted small' }, ` ${extra.join(', ')}`) : null, ' ', b);
    })));
  }
  return wrap;
}

function evidencePanel(evidence) {
  const items = uniqueEvidence(evidence);
  const list = h('ol', { class: 'evidence-list' });
  for (const e of items) {
    const li = h('li', { class: 'evidence-item' }, h('blockquote', { class: 'quote' }, e.quote), h('p', { class: 'evidence-meta muted' }, e.document_id));
    list.append(li);
    fetchDocument(e.document_id).then((doc) => {
      const where = locateSpan(doc.text, e.start, e.end, e.quote);
      if (doc.language) li.querySelector('blockquote').setAttribute('lang', doc.language);
      const meta = li.querySelector('.evidence-meta');
      clear(meta).append(h('a', { href: href({ view: 'document', id: doc.id, start: where.start, end: where.end }) }, doc.title || doc.id), ` · characters ${where.start}–${where.end}`);
    }).catch(() => {});
  }
  return h('section', { class: 'panel', 'aria-labelledby': 'entity-evidence' }, h('h2', { id: 'entity-evidence' }, `Where the graph learnt it (${items.length})`), list);
}

function neo4jBox(config, id) {
  if (config?.backend !== 'neo4j') return null;
  const link = neo4jBrowserLink(config.neo4j_browser_url, id);
  if (link) {
    return h('p', { class: 'neo4j-link' }, h('a', { class: 'btn btn-small', href: link, target: '_blank', rel: 'noopener', 'data-neo4j': 'browser' }, 'Open in Neo4j Browser'),
      h('span', { class: 'muted small' }, ' the query is put in the editor; press Run'));
  }
  const copy = h('button', { type: 'button', class: 'btn btn-small' }, 'Copy the Cypher');
  copy.addEventListener('click', () => navigator.clipboard?.writeText(neo4jCypher(id)).then(() => { copy.textContent = 'Copied'; }).catch(() => {}));
  return h('div', { class: 'neo4j-link' },
    h('p', { class: 'small' }, 'In Neo4j Browser this node is: ', h('code', {}, neo4jCypher(id)), ' ', copy),
    h('p', { class: 'muted small' }, 'Set TRADEGRAPH_NEO4J_BROWSER_URL on the server to get a direct link.'));
}
