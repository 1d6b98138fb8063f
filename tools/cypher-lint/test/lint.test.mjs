// Run with: npm test   (node --test)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LINT = fileURLToPath(new URL('../lint.mjs', import.meta.url));

function run(input) {
  const stdin = typeof input === 'string' ? input : JSON.stringify(input);
  const p = spawnSync(process.execPath, [LINT], { input: stdin, encoding: 'utf8' });
  return { status: p.status, stdout: p.stdout, stderr: p.stderr };
}

const SCHEMA = {
  labels: ['Country', 'Product'],
  relationshipTypes: ['EXPORTS'],
  propertyKeys: ['id', 'name', 'hs', 'value'],
  parameters: { rows: [] },
};

function lint(statements, extra = {}) {
  const r = run({ ...SCHEMA, ...extra, statements });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  return Object.fromEntries(out.results.map((x) => [x.name, x.diagnostics]));
}

const one = (query, extra) => lint([{ name: 'q', query }], extra).q;

test('reports package version and Cypher 5', () => {
  const out = JSON.parse(run({ statements: [] }).stdout);
  assert.deepEqual(out.linter, {
    package: '@neo4j-cypher/language-support',
    version: '2.0.0-next.38',
    cypherVersion: 'CYPHER 5',
  });
  assert.deepEqual(out.results, []);
});

test('clean MERGE/UNWIND with declared parameter', () => {
  const d = one(
    'UNWIND $rows AS row\nMERGE (c:Country {id: row.id})\nSET c.name = row.name\n' +
      'WITH c, row\nMATCH (p:Product {hs: row.hs})\nMERGE (c)-[e:EXPORTS]->(p)\nSET e.value = row.value',
  );
  assert.deepEqual(d, []);
});

test('constraint DDL passes', () => {
  assert.deepEqual(
    one('CREATE CONSTRAINT x IF NOT EXISTS FOR (n:Country) REQUIRE n.id IS UNIQUE'),
    [],
  );
});

test('undefined variable', () => {
  const d = one('MATCH (n) RETURN m');
  assert.equal(d.length, 1);
  assert.equal(d[0].severity, 'error');
  assert.match(d[0].message, /Variable `m` not defined/);
  assert.deepEqual(d[0].offsets, { start: 17, end: 18 });
});

test('syntax error', () => {
  const d = one('MATCH (n RETURN n');
  assert.equal(d[0].severity, 'error');
  assert.match(d[0].message, /^Invalid input 'RETURN'/);
});

test('undeclared parameter is an error', () => {
  const d = one('MATCH (n:Country {id: $cid}) RETURN n');
  assert.equal(d.length, 1);
  assert.equal(d[0].message, 'Parameter $cid is not defined.');
});

test('parameters may be given as a list of names', () => {
  assert.deepEqual(one('UNWIND $rows AS r RETURN r, $x', { parameters: ['rows', '$x'] }), []);
});

test('deprecations in Cypher 5 are warnings', () => {
  const d = lint([
    { name: 'id', query: 'MATCH (n:Country) RETURN id(n)' },
    {
      name: 'importingWith',
      query: 'MATCH (c:Country) CALL { WITH c RETURN c.id AS k } RETURN k',
    },
    { name: 'setFromNode', query: 'MATCH (n:Country)-[r:EXPORTS]->() SET n = r' },
  ]);
  for (const [name, pattern] of [
    ['id', /deprecated function.*'id'/],
    ['importingWith', /CALL subquery without a variable scope clause is deprecated/],
    ['setFromNode', /use of nodes or relationships for setting properties is deprecated/],
  ]) {
    assert.equal(d[name].length, 1, name);
    assert.equal(d[name][0].severity, 'warning', name);
    assert.equal(d[name][0].deprecated, true, name);
    assert.match(d[name][0].message, pattern, name);
  }
});

test('removed syntax is an error', () => {
  const d = one('MATCH (n:Country) WHERE exists(n.name) RETURN n');
  assert.equal(d[0].severity, 'error');
  assert.match(d[0].message, /no longer supported/);
});

test('lints Cypher 5, not Cypher 25 (GROUP BY is Cypher 25 only)', () => {
  const d = one('MATCH (n:Country) RETURN n.name AS x GROUP BY x');
  assert.ok(d.some((x) => x.severity === 'error' && /Invalid input 'GROUP'/.test(x.message)));
});

test('explicit CYPHER 25 prefix is flagged', () => {
  const d = one('CYPHER 25 MATCH (n:Country) RETURN n.name AS x GROUP BY x');
  assert.equal(d[0].source, 'cypher-lint');
  assert.equal(d[0].severity, 'error');
});

test('unknown labels, types, properties warn when the schema lists are given', () => {
  const d = one('MATCH (n:Contry)-[:EXPORT]->(p:Product) RETURN n.nmae');
  assert.deepEqual(
    d.map((x) => [x.severity, x.message.split(' ').slice(0, 3).join(' ')]),
    [
      ['warning', 'Label Contry is'],
      ['warning', 'Relationship type EXPORT'],
      ['warning', 'nmae is not'],
    ],
  );
});

test('map property inside a pattern property map is not a missing property key', () => {
  const d = one(
    'UNWIND $rows AS row MATCH (a:Country {id: row.src}) MATCH (b:Country {id: a.nmae}) RETURN a, b',
  );
  assert.equal(d.length, 1);
  assert.match(d[0].message, /^nmae is not present/);
});

test('ranges are 0-based line/character', () => {
  const d = one('MATCH (n)\nRETURN m');
  assert.deepEqual(d[0].range, { start: { line: 1, character: 7 }, end: { line: 1, character: 8 } });
  assert.deepEqual(d[0].offsets, { start: 17, end: 18 });
});

test('several statements in one query, empty query', () => {
  const d = lint([
    { name: 'multi', query: 'RETURN 1; RETURN 2;' },
    { name: 'empty', query: ' ' },
  ]);
  assert.match(d.multi[0].message, /2 statements/);
  assert.equal(d.empty[0].message, 'Empty statement.');
});

test('characters outside the BMP do not hide semantic errors', () => {
  const d = one("RETURN '\u{1F600}' AS x, y");
  assert.equal(d.length, 1);
  assert.match(d[0].message, /Variable `y` not defined/);
  assert.deepEqual(d[0].offsets, { start: 18, end: 19 });
});

test('checkFunctions flags unknown and removed functions', () => {
  const d = one('MATCH (n:Country) RETURN coalese(n.id, 1), toLower(n.name), apoc.x(1, 2)', {
    checkFunctions: true,
    extraFunctions: ['apoc.x'],
  });
  assert.equal(d.length, 1);
  assert.match(d[0].message, /^Function coalese is not present/);
});

test('bad input exits non-zero with a message', () => {
  for (const bad of ['', 'nope', '[]', '{}', '{"statements":[{"name":"a"}]}']) {
    const r = run(bad);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /cypher-lint: bad input/);
    assert.equal(r.stdout, '');
  }
});
