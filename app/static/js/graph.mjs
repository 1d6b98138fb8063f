// Graph drawings with Cytoscape.js (vendored from npm, served by the app): nodes shaped and coloured
// by entity type, dependents filled by exposure, edges labelled with their relation; a tap on an
// edge opens its evidence. Positions come from layout.mjs (a layered layout) or Cytoscape's own.
import cytoscape from '../vendor/cytoscape.esm.min.mjs';
import { h } from './dom.mjs';
import { displayName, exposureColor, exposureTextColor, formatShare, otherNames, relationLabel, TYPE_LABELS, truncate } from './format.mjs';

export const TYPE_STYLE = {
  Country: { shape: 'ellipse', fill: '#dbeafe', line: '#1d4ed8' },
  Organization: { shape: 'round-octagon', fill: '#ede9fe', line: '#6d28d9' },
  Firm: { shape: 'round-rectangle', fill: '#dcfce7', line: '#15803d' },
  Person: { shape: 'ellipse', fill: '#fce7f3', line: '#be185d' },
  Measure: { shape: 'diamond', fill: '#fee2e2', line: '#b91c1c' },
  Commodity: { shape: 'round-hexagon', fill: '#fef3c7', line: '#b45309' },
  Product: { shape: 'round-rectangle', fill: '#cffafe', line: '#0e7490' },
};

export const EDGE_STYLE = {
  DEPENDS_ON: { color: '#be123c', style: 'solid', width: 2.6 },
  SELLS_TO: { color: '#0f766e', style: 'dashed', width: 2 },
  IS_A: { color: '#64748b', style: 'solid', width: 1.6 },
  MADE_FROM: { color: '#64748b', style: 'dashed', width: 1.6 },
  SUPPLIES: { color: '#b45309', style: 'solid', width: 1.8 },
  IMPOSES: { color: '#1d4ed8', style: 'solid', width: 2 },
  TARGETS: { color: '#7c3aed', style: 'solid', width: 2 },
  COVERS: { color: '#b45309', style: 'solid', width: 2 },
  RETALIATES_AGAINST: { color: '#dc2626', style: 'solid', width: 3 },
};
const EDGE_DEFAULT = { color: '#94a3b8', style: 'solid', width: 1.5 };

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif';

/** The label drawn under a node: English name, own names, then an optional line (exposure). */
export function nodeLabel(entity, extra) {
  const lines = [truncate(displayName(entity), 34)];
  const native = otherNames(entity).map((n) => n.text).join(' · ');
  if (native) lines.push(truncate(native, 30));
  if (extra) lines.push(extra);
  return lines.join('\n');
}

export function edgeLabel(edge) {
  let text = relationLabel(edge.type);
  if (edge.share !== null && edge.share !== undefined) text += ` · ${formatShare(edge.share)}`;
  return text;
}

function stylesheet() {
  const rules = [
    {
      selector: 'node',
      style: {
        label: 'data(label)', 'font-family': FONT, 'font-size': 12, color: '#1f2937', 'text-wrap': 'wrap', 'text-max-width': 170,
        'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-y': 6, 'line-height': 1.3,
        'text-background-color': '#ffffff', 'text-background-opacity': 0.88, 'text-background-padding': 2, 'text-background-shape': 'round-rectangle',
        width: 30, height: 30, 'border-width': 2, 'background-color': '#e5e7eb', 'border-color': '#6b7280',
        'overlay-padding': 6, 'min-zoomed-font-size': 6,
      },
    },
    ...Object.entries(TYPE_STYLE).map(([type, st]) => ({
      selector: `node[type = "${type}"]`,
      style: { shape: st.shape, 'background-color': st.fill, 'border-color': st.line },
    })),
    { selector: 'node[?exposed]', style: { 'background-color': 'data(fill)', 'border-width': 2.5, width: 36, height: 36 } },
    { selector: 'node[?exposureUnknown]', style: { 'background-color': '#ffffff', 'border-style': 'dashed', 'border-width': 2.5, width: 36, height: 36 } },
    { selector: 'node.root', style: { width: 46, height: 46, 'border-width': 4, 'font-weight': 'bold', 'font-size': 13 } },
    { selector: 'node.center', style: { width: 50, height: 50, 'border-width': 4, 'font-weight': 'bold', 'font-size': 13 } },
    { selector: 'node.dim', style: { opacity: 0.45 } },
    { selector: 'node:selected', style: { 'border-color': '#111827', 'border-width': 4, 'underlay-color': '#2563eb', 'underlay-opacity': 0.18, 'underlay-padding': 8 } },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 1.1, width: EDGE_DEFAULT.width,
        'line-color': EDGE_DEFAULT.color, 'target-arrow-color': EDGE_DEFAULT.color,
        label: 'data(label)', 'font-family': FONT, 'font-size': 10.5, color: '#374151',
        'text-background-color': '#ffffff', 'text-background-opacity': 0.92, 'text-background-padding': 2, 'text-background-shape': 'round-rectangle',
        'text-events': 'yes', 'overlay-padding': 8, 'min-zoomed-font-size': 7,
      },
    },
    ...Object.entries(EDGE_STYLE).map(([type, st]) => ({
      selector: `edge[type = "${type}"]`,
      style: { 'line-color': st.color, 'target-arrow-color': st.color, 'line-style': st.style, width: st.width },
    })),
    { selector: 'edge.quiet', style: { label: '' } },
    { selector: 'edge.quiet.focus, edge.quiet:selected, edge.quiet.hover', style: { label: 'data(label)' } },
    { selector: 'edge.dim', style: { opacity: 0.3 } },
    { selector: 'edge.focus', style: { width: 4.5, 'z-index': 10 } },
    { selector: 'edge:selected', style: { width: 5, 'underlay-color': '#2563eb', 'underlay-opacity': 0.2, 'underlay-padding': 4 } },
  ];
  return rules;
}

/**
 * Draw a graph.
 * @param {HTMLElement} container
 * @param {object} spec
 * @param {{id, entity, classes?, exposure?, showExposure?, extra?}[]} spec.nodes
 * @param {{id, source, target, type, share?, relation}[]} spec.edges relation: the full relation object
 * @param {Map<string,{x,y}>} [spec.positions] preset positions; else a concentric layout around spec.center
 */
export function drawGraph(container, { nodes, edges, positions, center, onEdge, onNode, description, edgeLabels = true }) {
  const elements = [];
  for (const n of nodes) {
    const exposureLine = n.showExposure ? (n.exposure === null || n.exposure === undefined ? 'exposure unknown' : `exposure ${formatShare(n.exposure)}`) : null;
    elements.push({
      group: 'nodes',
      data: {
        id: n.id, type: n.entity.type, label: nodeLabel(n.entity, n.extra || exposureLine),
        exposed: n.showExposure && n.exposure !== null && n.exposure !== undefined,
        exposureUnknown: n.showExposure && (n.exposure === null || n.exposure === undefined),
        fill: exposureColor(n.exposure), ink: exposureTextColor(n.exposure),
      },
      classes: n.classes || '',
      position: positions?.get(n.id) ? { ...positions.get(n.id) } : undefined,
    });
  }
  for (const e of edges) {
    elements.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, type: e.type, label: edgeLabel(e) }, classes: [e.classes, edgeLabels ? '' : 'quiet'].filter(Boolean).join(' ') });
  }
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', description || `Graph of ${nodes.length} entities and ${edges.length} relations; the table lists the same.`);
  const cy = cytoscape({
    container,
    elements,
    style: stylesheet(),
    layout: positions
      ? { name: 'preset', fit: true, padding: 36 }
      : {
        // The entity in the middle; its neighbours on one ring, or two alternating rings when many.
        name: 'concentric', fit: true, padding: 36, minNodeSpacing: 40, animate: false, levelWidth: () => 1,
        concentric: (node) => (node.id() === center ? 10 : nodes.length > 12 && nodeIndex.get(node.id()) % 2 ? 1 : 2),
      },
    minZoom: 0.25,
    maxZoom: 2.5,
    boxSelectionEnabled: false,
    autoungrabify: false,
    selectionType: 'single',
  });
  const fit = () => {
    cy.fit(undefined, 36);
    if (cy.zoom() > 1.35) {
      cy.zoom(1.35);
      cy.center();
    }
  };
  fit();
  const byId = new Map(edges.map((e) => [e.id, e]));
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  cy.on('tap', 'edge', (event) => onEdge?.(byId.get(event.target.id()), event.target));
  cy.on('tap', 'node', (event) => onNode?.(nodeById.get(event.target.id()), event.target));
  cy.on('mouseover', 'node, edge', (event) => {
    container.style.cursor = 'pointer';
    if (event.target.isEdge()) event.target.addClass('hover');
  });
  cy.on('mouseout', 'node, edge', (event) => {
    container.style.cursor = '';
    if (event.target.isEdge()) event.target.removeClass('hover');
  });
  // Refit when the frame changes size (first layout, window resized, phone rotated).
  let size = `${container.clientWidth}x${container.clientHeight}`;
  const observer = new ResizeObserver(() => {
    const now = `${container.clientWidth}x${container.clientHeight}`;
    if (now === size) return;
    size = now;
    cy.resize();
    fit();
  });
  observer.observe(container);
  container._cy = cy; // for the browser tests: where an edge is drawn, to click it
  return {
    cy,
    focus(id) {
      cy.elements().removeClass('dim focus');
      if (!id) return;
      const node = cy.$id(id);
      if (node.empty()) return;
      const keep = node.union(node.predecessors()).union(node.successors());
      cy.elements().not(keep).addClass('dim');
      keep.edges().addClass('focus');
      cy.$(':selected').unselect();
      node.select();
    },
    fit,
    destroy() {
      observer.disconnect();
      cy.destroy();
    },
  };
}

/** Zoom in / out / fit buttons for keyboard and touch users. */
export function graphControls(graph) {
  const button = (label, text, fn) => {
    const b = h('button', { type: 'button', class: 'btn btn-icon', 'aria-label': label, title: label }, text);
    b.addEventListener('click', fn);
    return b;
  };
  const zoom = (factor) => {
    const cy = graph().cy;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  };
  return h('div', { class: 'graph-controls' },
    button('Zoom in', '+', () => zoom(1.25)),
    button('Zoom out', '−', () => zoom(0.8)),
    button('Fit the graph to the frame', 'Fit', () => graph().fit()));
}

/** A legend for the node types and edge types on show, and the exposure scale when used. */
export function legend({ types = [], relations = [], exposure = false }) {
  const items = [];
  for (const type of types) {
    const st = TYPE_STYLE[type];
    if (!st) continue;
    items.push(h('li', {}, h('span', { class: `swatch swatch-${st.shape}`, style: { background: st.fill, borderColor: st.line }, 'aria-hidden': 'true' }), TYPE_LABELS[type]));
  }
  for (const type of relations) {
    const st = EDGE_STYLE[type] || EDGE_DEFAULT;
    items.push(h('li', {}, h('span', { class: 'swatch-line', style: { borderTopColor: st.color, borderTopStyle: st.style }, 'aria-hidden': 'true' }), relationLabel(type)));
  }
  if (exposure) {
    items.push(h('li', { class: 'legend-exposure' },
      h('span', { class: 'exposure-gradient', 'aria-hidden': 'true' }), 'exposure 0 → 100%'),
    h('li', {}, h('span', { class: 'swatch swatch-ellipse swatch-unknown', 'aria-hidden': 'true' }), 'exposure unknown'));
  }
  return h('ul', { class: 'legend', 'aria-label': 'Legend' }, items);
}
