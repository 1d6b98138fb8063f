import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layered, radial, ranksFromPaths, ranksTowardRoots } from '../../../../app/static/js/layout.mjs';

// rare earths ← dysprosium ← Aegis; rare earths ← neodymium ← NdFeB ← F-35; US → rare earths
const edges = [
  { source: 'dy', target: 're' }, { source: 'nd', target: 're' }, { source: 'ndfeb', target: 'nd' },
  { source: 'aegis', target: 'dy' }, { source: 'f35', target: 'ndfeb' }, { source: 'us', target: 're' },
];
const ids = ['re', 'dy', 'nd', 'ndfeb', 'aegis', 'f35', 'us'];

test('columns follow the longest path to the root', () => {
  const rank = ranksTowardRoots(ids, edges, ['re']);
  assert.deepEqual(Object.fromEntries(rank), { re: 0, dy: 1, nd: 1, us: 1, ndfeb: 2, aegis: 2, f35: 3 });
  const fixed = ranksTowardRoots(ids, edges, new Map([['re', 2]]));
  assert.equal(fixed.get('f35'), 5);
  const cyclic = ranksTowardRoots(['a', 'b'], [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }], ['a']);
  assert.ok(cyclic.get('b') >= 1);
});

test('paths read from the far end give the same columns', () => {
  const rank = ranksFromPaths([[{ source: 'f35', target: 'ndfeb' }, { source: 'ndfeb', target: 'nd' }, { source: 'nd', target: 're' }]]);
  assert.deepEqual(Object.fromEntries(rank), { f35: 3, ndfeb: 2, nd: 1, re: 0 });
});

test('a layered layout puts every edge left to right and no two nodes on one spot', () => {
  const rank = ranksTowardRoots(ids, edges, ['re']);
  const pos = layered(ids, edges, rank, { gapX: 100, gapY: 50 });
  for (const { source, target } of edges) assert.ok(pos.get(source).x > pos.get(target).x, `${source} right of ${target}`);
  const spots = new Set([...pos.values()].map((p) => `${p.x},${p.y}`));
  assert.equal(spots.size, ids.length);
  const vertical = layered(ids, edges, rank, { gapX: 100, gapY: 50, vertical: true });
  for (const { source, target } of edges) assert.ok(vertical.get(source).y > vertical.get(target).y);
});

test('a star keeps the centre in the middle and the others apart', () => {
  const many = Array.from({ length: 20 }, (_, i) => `n${i}`);
  const pos = radial(['c', ...many], 'c');
  assert.deepEqual(pos.get('c'), { x: 0, y: 0 });
  const pts = many.map((id) => pos.get(id));
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) assert.ok(Math.hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y) > 40);
  }
});
