// Dependents with their paths, shared by the dependents and measure views: the table (each step
// of each path is a button that opens its evidence) and the graph elements of the paths.
import { h } from './dom.mjs';
import { displayName, formatShare, relationLabel } from './format.mjs';
import { nameParts, typeBadge, exposureBar, entityHref } from './ui.mjs';
import { openRelationEvidence } from './evidence.mjs';

export const edgeId = (step) => `${step.source}|${step.type}|${step.target}`;

/** Every entity reference in a dependents-like answer, by id. */
export function collectEntities(into, ...lists) {
  for (const list of lists) {
    for (const item of list || []) {
      if (!item) continue;
      const entity = item.entity && item.entity.id ? item.entity : item;
      if (entity.id && !into.has(entity.id)) into.set(entity.id, entity);
    }
  }
  return into;
}

/** One path as a line of names joined by relation buttons. */
export function pathLine(steps, entities) {
  const name = (id) => entities.get(id) || { id, name: id };
  const parts = [h('a', { href: entityHref(steps[0].source), class: 'path-node' }, displayName(name(steps[0].source)))];
  for (const step of steps) {
    let text = relationLabel(step.type);
    if (step.share !== null && step.share !== undefined) text += ` ${formatShare(step.share)}`;
    if (step.origin) text += ` · from ${displayName(name(step.origin))}`;
    const button = h('button', {
      type: 'button', class: `rel-chip rel-${step.type.toLowerCase()}`, 'data-edge': edgeId(step),
      'aria-label': `${text}: evidence that ${displayName(name(step.source))} ${relationLabel(step.type)} ${displayName(name(step.target))}`,
    }, text, h('span', { 'aria-hidden': 'true', class: 'rel-arrow' }, ' →'));
    button.addEventListener('click', () => openRelationEvidence(step, entities));
    parts.push(' ', button, ' ', h('a', { href: entityHref(step.target), class: 'path-node' }, displayName(name(step.target))));
  }
  return h('p', { class: 'path' }, parts);
}

/**
 * A table of dependents [{entity, hops, exposure, paths}] with their paths.
 * onFocus(id) is called when a row is chosen (to highlight it in the graph).
 */
export function dependentsTable(items, entities, { caption, onFocus } = {}) {
  const table = h('table', { class: 'data-table dependents-table' },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Dependent'), h('th', { scope: 'col' }, 'Exposure'), h('th', { scope: 'col', class: 'num' }, 'Hops'))));
  for (const item of items) {
    const id = item.entity.id;
    const focus = h('button', { type: 'button', class: 'btn btn-quiet btn-small focus-node', 'aria-label': `Show in graph: ${displayName(item.entity)}` }, 'Show in graph');
    focus.addEventListener('click', () => onFocus?.(id));
    const body = h('tbody', { class: 'dependent', dataset: { id } },
      h('tr', { class: 'dependent-main' },
        h('th', { scope: 'row' }, h('span', { class: 'dep-name' }, nameParts(item.entity, { link: true })), ' ', typeBadge(item.entity.type), onFocus ? [' ', focus] : null),
        h('td', {}, exposureBar(item.exposure)),
        h('td', { class: 'num' }, String(item.hops))),
      h('tr', { class: 'dependent-paths' },
        h('td', { colspan: 3 },
          h('span', { class: 'visually-hidden' }, `${item.paths.length === 1 ? 'Path' : 'Paths'}: `),
          item.paths.map((p) => h('div', { class: 'path-row' },
            pathLine(p.steps, entities),
            item.paths.length > 1 ? h('span', { class: 'path-exposure' }, `path exposure ${formatShare(p.exposure)}`) : null)))));
    table.append(body);
  }
  return h('div', { class: 'table-scroll' }, table);
}

/** The rows of a dependents table as CSV columns (csvDownload): each path written
 * `product:f-35 -DEPENDS_ON-> commodity:ndfeb-magnets`, several joined by "; ". */
export function dependentsCsv(items) {
  const pathText = (steps) => [steps[0].source, ...steps.map((st) => `-${st.type}-> ${st.target}`)].join(' ');
  return {
    header: ['entity.id', 'entity.name', 'entity.type', 'exposure', 'hops', 'paths'],
    rows: items.map((d) => [d.entity.id, displayName(d.entity), d.entity.type, d.exposure, d.hops, d.paths.map((p) => pathText(p.steps)).join('; ')]),
  };
}

/** Graph nodes and edges for paths, merged into the given maps (ids → node spec / edge spec). */
export function addPaths(items, entities, nodes, edges, { classes = '' } = {}) {
  for (const item of items) {
    for (const path of item.paths) {
      for (const step of path.steps) {
        for (const id of [step.source, step.target]) {
          if (!nodes.has(id)) nodes.set(id, { id, entity: entities.get(id) || { id, name: id, type: 'Commodity' } });
        }
        const eid = edgeId(step);
        if (!edges.has(eid)) edges.set(eid, { id: eid, source: step.source, target: step.target, type: step.type, share: step.share, relation: step });
      }
    }
    const node = nodes.get(item.entity.id) || { id: item.entity.id, entity: item.entity };
    Object.assign(node, { entity: item.entity, exposure: item.exposure, showExposure: true, classes: [node.classes, classes].filter(Boolean).join(' ') });
    nodes.set(item.entity.id, node);
  }
}

