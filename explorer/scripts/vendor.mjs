// Copies the front-end libraries of the explorer and of the API's reference pages (/docs: Swagger
// UI, /redoc: ReDoc) from node_modules (pinned by package-lock.json) into app/static/vendor, with
// their licences and a manifest of versions and SHA-256 digests of the copies.
//
//   npm ci && npm run vendor     after changing a version in package.json
//   npm run check                 exit 1 when app/static/vendor differs from node_modules
//
// The copies are committed, so `make run` serves them without Node; tests/app/browser/test_vendor.py
// checks the manifest against package-lock.json and the files against the manifest.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, '..');
const vendor = join(project, '..', 'app', 'static', 'vendor');

// package name → files to copy (source path inside the package → name under app/static/vendor)
export const LIBRARIES = {
  cytoscape: {
    'dist/cytoscape.esm.min.mjs': 'cytoscape.esm.min.mjs',
    LICENSE: 'cytoscape.LICENSE.txt',
  },
  'swagger-ui-dist': {
    'swagger-ui-bundle.js': 'swagger-ui-bundle.js',
    'swagger-ui-bundle.js.LICENSE.txt': 'swagger-ui-bundle.js.LICENSE.txt',
    'swagger-ui.css': 'swagger-ui.css',
    LICENSE: 'swagger-ui.LICENSE.txt',
    NOTICE: 'swagger-ui.NOTICE.txt',
  },
  // The Measures view's chart and map: Plot's UMD build reads d3 from a global, so both are
  // classic scripts (loaded same-origin by app/static/js/charts.mjs when the view first draws).
  '@observablehq/plot': {
    'dist/plot.umd.min.js': 'plot.umd.min.js',
    LICENSE: 'plot.LICENSE.txt',
  },
  d3: {
    'dist/d3.min.js': 'd3.min.js',
    LICENSE: 'd3.LICENSE.txt',
  },
  'topojson-client': {
    'dist/topojson-client.min.js': 'topojson-client.min.js',
    LICENSE: 'topojson-client.LICENSE.txt',
  },
  // Natural Earth's countries at 1:110m as TopoJSON; each country's id is its ISO 3166-1 numeric code.
  'world-atlas': {
    'countries-110m.json': 'countries-110m.json',
    LICENSE: 'world-atlas.LICENSE.txt',
  },
  // The graph names countries by ISO 3166-1 alpha-2 (country:CN), the atlas by numeric code (156):
  // this maintained table ([alpha-2, alpha-3, numeric, ...] rows) links them, rather than one typed by hand.
  'i18n-iso-countries': {
    'codes.json': 'iso3166-codes.json',
    LICENSE: 'i18n-iso-countries.LICENSE.txt',
  },
  redoc: {
    'bundles/redoc.standalone.js': 'redoc.standalone.js',
    'bundles/redoc.standalone.js.LICENSE.txt': 'redoc.standalone.js.LICENSE.txt',
    LICENSE: 'redoc.LICENSE.txt',
  },
};

// The only change made to a copy: ReDoc draws its logo from a CDN, which the pages' policy refuses
// (and which would be a request to another host); an empty SVG takes its place. Each text must
// occur exactly once, so an upgrade that moves it stops the copy instead of passing it by.
export const EDITS = {
  'redoc.standalone.js': [
    ['"https://cdn.redoc.ly/redoc/logo-mini.svg"', `"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"`],
  ],
};

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The bytes to write for a copy: the package's file with its EDITS made. */
function copyOf(from, to) {
  const bytes = readFileSync(from);
  const edits = EDITS[to];
  if (!edits) return bytes;
  let text = bytes.toString('utf8');
  for (const [find, replace] of edits) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${to}: expected ${find} once, found it ${count} times`);
    text = text.replace(find, () => replace);
  }
  return Buffer.from(text, 'utf8');
}

function plan() {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
  const manifest = {};
  const copies = [];
  for (const [name, files] of Object.entries(LIBRARIES)) {
    const dir = join(project, 'node_modules', name);
    const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const locked = lock.packages[`node_modules/${name}`];
    if (!locked || locked.version !== installed.version) {
      throw new Error(`${name}: node_modules has ${installed.version}, the lockfile ${locked?.version}; run npm ci`);
    }
    const entry = { version: installed.version, license: installed.license, resolved: locked.resolved, integrity: locked.integrity, files: {} };
    for (const [from, to] of Object.entries(files)) {
      const bytes = copyOf(join(dir, from), to);
      copies.push([bytes, join(vendor, to)]);
      entry.files[to] = sha256(bytes);
      if (EDITS[to]) entry.edits = { ...entry.edits, [to]: EDITS[to] };
    }
    manifest[name] = entry;
  }
  return { manifest, copies };
}

const { manifest, copies } = plan();
const manifestText = JSON.stringify(manifest, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const stale = copies.filter(([bytes, to]) => !existsSync(to) || sha256(bytes) !== sha256(readFileSync(to))).map(([, to]) => to);
  const manifestPath = join(vendor, 'manifest.json');
  if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== manifestText) stale.push(manifestPath);
  if (stale.length) {
    console.error(`app/static/vendor is out of date (run npm run vendor):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log('app/static/vendor matches node_modules and package-lock.json');
} else {
  mkdirSync(vendor, { recursive: true });
  for (const [bytes, to] of copies) writeFileSync(to, bytes);
  writeFileSync(join(vendor, 'manifest.json'), manifestText);
  console.log(`vendored ${Object.keys(manifest).join(', ')} into app/static/vendor`);
}
