// A small layered (Sugiyama-style) layout for the dependency and impact graphs: every node gets a
// column (its rank, left to right), nodes in a column are ordered to cut crossings by a few
// barycentre sweeps, then spread evenly. Deterministic; pure (unit-tested under node).

/**
 * @param {string[]} ids nodes, in the preferred order within a column (ties keep it)
 * @param {{source: string, target: string}[]} edges
 * @param {Map<string, number>} rank column of each node (missing → 0)
 * @param {{gapX?: number, gapY?: number, sweeps?: number, vertical?: boolean}} options gapX between
 *   columns, gapY between nodes of a column; vertical swaps the axes
 * @returns {Map<string, {x: number, y: number}>}
 */
export function layered(ids, edges, rank, { gapX = 220, gapY = 96, sweeps = 4, vertical = false } = {}) {
  const columns = new Map();
  for (const id of ids) {
    const r = rank.get(id) ?? 0;
    if (!columns.has(r)) columns.set(r, []);
    columns.get(r).push(id);
  }
  const order = [...columns.keys()].sort((a, b) => a - b);
  const neighbours = new Map(ids.map((id) => [id, []]));
  for (const { source, target } of edges) {
    if (!neighbours.has(source) || !neighbours.has(target) || source === target) continue;
    neighbours.get(source).push(target);
    neighbours.get(target).push(source);
  }
  const position = new Map();
  const place = () => {
    for (const r of order) columns.get(r).forEach((id, i) => position.set(id, i - (columns.get(r).length - 1) / 2));
  };
  place();
  const sweep = (cols) => {
    for (const r of cols) {
      const col = columns.get(r);
      const keyed = col.map((id, i) => {
        const ns = neighbours.get(id).filter((n) => (rank.get(n) ?? 0) !== r);
        const bary = ns.length ? ns.reduce((s, n) => s + position.get(n), 0) / ns.length : position.get(id);
        return { id, bary, i };
      });
      keyed.sort((a, b) => a.bary - b.bary || a.i - b.i);
      columns.set(r, keyed.map((k) => k.id));
      columns.get(r).forEach((id, i) => position.set(id, i - (col.length - 1) / 2));
    }
  };
  for (let s = 0; s < sweeps; s++) sweep(s % 2 === 0 ? order : [...order].reverse());
  const out = new Map();
  for (const [i, r] of order.entries()) {
    for (const id of columns.get(r)) {
      // vertical: columns become rows (top to bottom), for narrow screens
      out.set(id, vertical ? { x: position.get(id) * gapY, y: i * gapX } : { x: i * gapX, y: position.get(id) * gapY });
    }
  }
  return out;
}

/**
 * Columns for paths read from the far end: each path is a list of steps {source, target} from a
 * dependent to the asked good; the good is column `base`, each step back one more. A node on
 * several paths takes its furthest column, so every edge points one way.
 */
export function ranksFromPaths(paths, base = 0, into = new Map()) {
  for (const steps of paths) {
    if (!steps.length) continue;
    const chain = [steps[0].source, ...steps.map((s) => s.target)];
    const n = chain.length - 1;
    chain.forEach((id, j) => {
      const r = base + (n - j);
      if ((into.get(id) ?? -Infinity) < r) into.set(id, r);
    });
  }
  return into;
}

/**
 * Longest-path columns in a graph whose edges point towards the roots (IS_A, MADE_FROM,
 * DEPENDS_ON all do): a root keeps its column, every other node sits one past the furthest node it
 * points to. `roots` is a list (column 0) or a Map of id → column. Cycles stop at ids.length passes.
 */
export function ranksTowardRoots(ids, edges, roots) {
  const rank = roots instanceof Map ? new Map(roots) : new Map(roots.map((r) => [r, 0]));
  const fixed = new Set(rank.keys());
  const limit = ids.length + Math.max(0, ...rank.values()) + 1;
  for (let pass = 0; pass <= ids.length; pass++) {
    let changed = false;
    for (const { source, target } of edges) {
      if (!rank.has(target) || fixed.has(source)) continue;
      const r = rank.get(target) + 1;
      if ((rank.get(source) ?? -1) < r && r <= limit) {
        rank.set(source, r);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return rank;
}

/**
 * A star: `center` at the origin, the other ids around it in the order given (so neighbours linked
 * the same way sit together). Past `perRing` nodes they alternate between two radii, so labels of
 * adjacent nodes do not collide.
 */
export function radial(ids, center, { spacing = 96, minRadius = 180, perRing = 12 } = {}) {
  const others = ids.filter((id) => id !== center);
  const out = new Map([[center, { x: 0, y: 0 }]]);
  const n = others.length;
  if (!n) return out;
  const two = n > perRing;
  const radius = Math.max(minRadius, (n * spacing) / (2 * Math.PI) / (two ? 1.6 : 1));
  others.forEach((id, i) => {
    const angle = -Math.PI / 2 + (i * 2 * Math.PI) / n;
    const r = two && i % 2 ? radius * 1.42 : radius;
    out.set(id, { x: Math.round(r * Math.cos(angle) * 1.25), y: Math.round(r * Math.sin(angle)) });
  });
  return out;
}
