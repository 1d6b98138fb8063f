#!/usr/bin/env node
// Offline Cypher linter for tradegraph, built on Neo4j's own front end
// (@neo4j-cypher/language-support: the ANTLR grammar plus Neo4j's semantic
// analysis compiled to JavaScript). No server is needed.
//
// stdin  (one JSON document):
//   {
//     "statements": [{"name": "upsert_countries", "query": "UNWIND $rows AS row ..."}],
//     "labels": ["Country", ...],            // optional, see below
//     "relationshipTypes": ["EXPORTS", ...], // optional, see below
//     "propertyKeys": ["id", "name", ...],   // optional: warns on properties read but never known
//     "parameters": {"rows": [], ...},       // optional: names of the parameters the caller binds
//     "checkFunctions": false,               // optional: also flag unknown functions (see below)
//     "extraFunctions": ["apoc.text.join"]   // optional: names accepted on top of the built-ins
//   }
// stdout (one JSON document):
//   {
//     "linter": {"package": "@neo4j-cypher/language-support", "version": "...", "cypherVersion": "CYPHER 5"},
//     "results": [{"name": "...", "diagnostics": [{
//        "severity": "error"|"warning"|"information"|"hint",
//        "message": "...",
//        "offsets": {"start": 0, "end": 5},                 // UTF-16 indices into "query", end exclusive
//        "range": {"start": {"line": 0, "character": 0},  // 0-based, LSP style
//                  "end":   {"line": 0, "character": 5}},
//        "deprecated": true|false,                         // deprecation/removal (tag or message based)
//        "source": "neo4j" | "cypher-lint"                 // "cypher-lint": checks added by this script
//     }]}]
//   }
// Exit status: 0 whenever linting ran (whatever it found); 2 on unusable input.
//
// Semantics: every statement is analysed as Cypher 5 (the language of Neo4j
// 5.26) by setting the schema's defaultLanguage to 'CYPHER 5'. Statement text
// is never rewritten, so offsets map straight onto the caller's strings. A
// statement that itself starts with `CYPHER 25` is still analysed as Cypher 25
// by the package; this script adds an error for it, since 5.26 has no Cypher 25.
//
// Schema checks done by the package, and what turns them on:
//   * parameters: every `$name` not present as a key of "parameters" is an
//     error ("Parameter $name is not defined."). Keys are bare names, no `$`.
//     Values are ignored (any JSON value, including null, counts as defined);
//     an array of names is accepted too. Without "parameters", every `$x` is an error.
//   * labels / relationship types: only checked when BOTH "labels" and
//     "relationshipTypes" are given (the package skips the check otherwise);
//     unknown ones in read patterns become warnings. Labels written by
//     CREATE/MERGE/SET are not checked.
//   * propertyKeys: properties read from nodes/relationships that are not in the
//     list (and not written anywhere in the same statement) become warnings.
//     (This script drops the package's false positive on map variables used
//     inside a pattern's property map, e.g. `MATCH (a {id: row.src})`.)
//   * checkFunctions: the package only looks functions up when given a function
//     catalogue. With checkFunctions=true this script passes the catalogue of
//     Neo4j built-in Cypher 5 functions that ships inside the package (plus
//     "extraFunctions"), so e.g. `coalese(...)` or the removed `distance(...)`
//     become errors. Off by default: plugin functions (APOC, GDS) would be
//     flagged unless listed in "extraFunctions". A listed name the package
//     knows (it ships APOC/GDS signatures) is checked against that signature;
//     any other listed name accepts any arguments.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  lintCypherQuery,
  parseStatementsStrs,
  testData,
} from '@neo4j-cypher/language-support';

const CYPHER_VERSION = 'CYPHER 5';
const PACKAGE = '@neo4j-cypher/language-support';

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const DEPRECATED_TAG = 2; // vscode-languageserver-types DiagnosticTag.Deprecated
const DEPRECATION_TEXT =
  /\bdeprecated\b|\bno longer supported\b|\bwill change in a future version\b|\bwill be removed\b/i;

class InputError extends Error {}

// The package's semantic analysis (Neo4j's Java front end compiled to JS)
// returns no end position for a diagnostic in a query holding a character
// outside the BMP (e.g. an emoji in a string literal); the package then drops
// ALL semantic diagnostics of that statement without a word. Each such
// character is two UTF-16 units, so replacing it by two private-use BMP
// characters keeps every offset identical and gives the analysis what it handles.
const ASTRAL = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
const ASTRAL_STAND_IN = '\uE000\uE000';

function packageVersion() {
  try {
    const require = createRequire(import.meta.url);
    const entry = require.resolve(PACKAGE); // dist/cjs/index.cjs
    let dir = dirname(entry);
    for (let i = 0; i < 6; i += 1) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if (pkg.name === PACKAGE) return pkg.version;
      } catch {
        // keep walking up
      }
      dir = dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

function readStdin() {
  try {
    return readFileSync(0, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read stdin: ${err.message}`);
  }
}

function stringList(doc, key) {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new InputError(`"${key}" must be an array of strings`);
  }
  return value;
}

function parseInput(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`stdin is not valid JSON: ${err.message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new InputError('input must be a JSON object');
  }
  if (!Array.isArray(doc.statements)) {
    throw new InputError('"statements" must be an array');
  }
  const statements = doc.statements.map((s, i) => {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) {
      throw new InputError(`statements[${i}] must be an object with "name" and "query"`);
    }
    if (typeof s.name !== 'string') {
      throw new InputError(`statements[${i}].name must be a string`);
    }
    if (typeof s.query !== 'string') {
      throw new InputError(`statements[${i}].query must be a string`);
    }
    return { name: s.name, query: s.query };
  });

  let parameters;
  if (doc.parameters === undefined || doc.parameters === null) {
    parameters = {};
  } else if (Array.isArray(doc.parameters)) {
    if (!doc.parameters.every((p) => typeof p === 'string')) {
      throw new InputError('"parameters" must be an object or an array of names');
    }
    parameters = Object.fromEntries(doc.parameters.map((p) => [p.replace(/^\$/, ''), true]));
  } else if (typeof doc.parameters === 'object') {
    // The package treats a parameter as declared when its value !== undefined;
    // JSON has no undefined, but normalise anyway so null is safe everywhere.
    parameters = Object.fromEntries(
      Object.entries(doc.parameters).map(([k, v]) => [k, v === null ? true : v]),
    );
  } else {
    throw new InputError('"parameters" must be an object or an array of names');
  }

  if (
    doc.checkFunctions !== undefined &&
    doc.checkFunctions !== null &&
    typeof doc.checkFunctions !== 'boolean'
  ) {
    throw new InputError('"checkFunctions" must be a boolean');
  }

  return {
    statements,
    labels: stringList(doc, 'labels'),
    relationshipTypes: stringList(doc, 'relationshipTypes'),
    propertyKeys: stringList(doc, 'propertyKeys'),
    parameters,
    checkFunctions: doc.checkFunctions === true,
    extraFunctions: stringList(doc, 'extraFunctions') ?? [],
  };
}

function functionCatalogue(extraFunctions) {
  const all = testData?.mockSchema?.functions?.[CYPHER_VERSION];
  if (!all) {
    throw new Error(`${PACKAGE} does not ship a ${CYPHER_VERSION} function catalogue`);
  }
  const catalogue = {};
  for (const [name, fn] of Object.entries(all)) {
    if (fn.isBuiltIn) catalogue[name] = fn;
  }
  for (const name of extraFunctions) {
    if (catalogue[name]) continue;
    // Plugin functions the package knows (it ships APOC and GDS signatures)
    // keep their real signature; any other name accepts 0..32 arguments of any
    // type, since the analysis checks calls against argumentDescription.
    catalogue[name] = all[name] ?? {
      name,
      category: '',
      description: '',
      signature: `${name}(...) :: ANY`,
      isBuiltIn: false,
      argumentDescription: Array.from({ length: 32 }, (_, i) => ({
        name: `arg${i}`,
        description: '',
        type: 'ANY',
        isDeprecated: false,
        default: 'DEFAULT_VALUE=null',
      })),
      returnDescription: 'ANY',
      aggregating: false,
      isDeprecated: false,
    };
  }
  return catalogue;
}

function buildSchema(input) {
  const schema = {
    defaultLanguage: CYPHER_VERSION,
    parameters: input.parameters,
  };
  if (input.labels) schema.labels = input.labels;
  if (input.relationshipTypes) schema.relationshipTypes = input.relationshipTypes;
  if (input.propertyKeys) schema.propertyKeys = input.propertyKeys;
  if (input.checkFunctions) {
    schema.functions = { [CYPHER_VERSION]: functionCatalogue(input.extraFunctions) };
  }
  return schema;
}

// Position (LSP style) of a UTF-16 offset in text.
function positionAt(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}

function toolDiagnostic(query, severity, message, start, end) {
  return {
    severity,
    message,
    offsets: { start, end },
    range: { start: positionAt(query, start), end: positionAt(query, end) },
    deprecated: false,
    source: 'cypher-lint',
  };
}

const LEADING_COMMENTS = String.raw`^(?:\s+|//[^\n]*(?:\n|$)|/\*[\s\S]*?\*/)*`;
const CYPHER25_PREFIX = new RegExp(`${LEADING_COMMENTS}(CYPHER\\s+25)\\b`, 'i');

function strip(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/;/g, ' ')
    .trim();
}

function extraChecks(query) {
  const out = [];
  if (strip(query) === '') {
    out.push(toolDiagnostic(query, 'error', 'Empty statement.', 0, query.length));
    return out;
  }
  const m = CYPHER25_PREFIX.exec(query);
  if (m) {
    const start = m.index + m[0].length - m[1].length;
    out.push(
      toolDiagnostic(
        query,
        'error',
        `Statement selects ${m[1].toUpperCase()}; Neo4j 5.26 only runs Cypher 5 (it was linted as Cypher 25).`,
        start,
        start + m[1].length,
      ),
    );
  }
  let pieces = [];
  try {
    pieces = parseStatementsStrs(query).filter((p) => strip(p) !== '');
  } catch {
    pieces = [];
  }
  if (pieces.length > 1) {
    out.push(
      toolDiagnostic(
        query,
        'error',
        `Query holds ${pieces.length} statements separated by ';'; a driver runs one statement per call.`,
        0,
        query.length,
      ),
    );
  }
  return out;
}

// Put the query's own characters back where a message quotes a stand-in.
function restoreAstral(message, query, offsets) {
  if (!message.includes('\uE000')) return message;
  const from = Math.max(0, offsets.start - 1);
  const to = Math.max(offsets.end + 1, offsets.start + 2);
  const originals = query.slice(from, to).match(ASTRAL) ?? [];
  let i = 0;
  return message.replace(/\uE000\uE000|\uE000/g, () => originals[i++] ?? '\uFFFD');
}

function convert(d, query) {
  const severity = SEVERITY[d.severity] ?? String(d.severity ?? 'error');
  const deprecated =
    (Array.isArray(d.tags) && d.tags.includes(DEPRECATED_TAG)) || DEPRECATION_TEXT.test(d.message);
  return {
    severity,
    message: restoreAstral(d.message, query, d.offsets),
    offsets: { start: d.offsets.start, end: d.offsets.end },
    range: {
      start: { line: d.range.start.line, character: d.range.start.character },
      end: { line: d.range.end.line, character: d.range.end.character },
    },
    deprecated,
    source: 'neo4j',
  };
}

// The package's property-key check attributes `row.src` inside a pattern's
// property map, as in `MATCH (a:Country {id: row.src})`, to the node `a`, and
// warns that `src` is not a known property key although `row` is a map (e.g.
// an UNWIND row). Drop such a warning when the text right before the property
// is `<variable>.` and the symbol table says that variable is not a node or
// relationship.
const PROPERTY_WARNING = / is not present in the database\. Make sure you didn't misspell it/;
const NOT_PROPERTY = /^(Label|Relationship type|Label or relationship type|Function|Procedure) /;
const OWNER_BEFORE_DOT = /(`[^`]+`|[\p{L}_][\p{L}\p{N}_]*)\s*\.\s*$/u;

function isMisattributedPropertyWarning(d, query, symbols) {
  if (d.severity !== 2 || !PROPERTY_WARNING.test(d.message) || NOT_PROPERTY.test(d.message)) {
    return false;
  }
  const m = OWNER_BEFORE_DOT.exec(query.slice(0, d.offsets.start));
  if (!m) return false;
  const owner = m[1].replace(/^`|`$/g, '');
  const types = symbols.filter((s) => s.variable === owner).flatMap((s) => s.types ?? []);
  if (types.length === 0) return false;
  return !types.every((t) => t === 'Node' || t === 'Relationship');
}

function lintOne(statement, schema) {
  const extra = extraChecks(statement.query);
  let diagnostics = [];
  if (statement.query.length > 0) {
    const text = statement.query.replace(ASTRAL, ASTRAL_STAND_IN);
    const { diagnostics: raw, symbolTables } = lintCypherQuery(text, schema, {
      consoleCommandsEnabled: false,
    });
    const symbols = (symbolTables ?? []).flat();
    diagnostics = raw
      .filter((d) => !isMisattributedPropertyWarning(d, statement.query, symbols))
      .map((d) => convert(d, statement.query));
  }
  return { name: statement.name, diagnostics: extra.concat(diagnostics) };
}

function main() {
  let input;
  try {
    input = parseInput(readStdin());
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`cypher-lint: bad input: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const schema = buildSchema(input);
  const results = input.statements.map((s) => lintOne(s, schema));
  const output = {
    linter: { package: PACKAGE, version: packageVersion(), cypherVersion: CYPHER_VERSION },
    results,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`cypher-lint: internal error: ${err?.stack ?? err}\n`);
  process.exit(1);
}
