// Copies the explorer's front-end libraries from node_modules (pinned by package-lock.json) into
// app/static/vendor, with their licences and a manifest of versions and SHA-256 digests.
//
//   npm ci && npm run vendor     after changing a version in package.json
//   npm run check                 exit 1 when app/static/vendor differs from node_modules
//
// The copies are committed, so `make run` serves them without Node; tests/browser/test_vendor.py
// checks the manifest against package-lock.json and the files against the manifest.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
};

const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

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
      copies.push([join(dir, from), join(vendor, to)]);
      entry.files[to] = sha256(join(dir, from));
    }
    manifest[name] = entry;
  }
  return { manifest, copies };
}

const { manifest, copies } = plan();
const manifestText = JSON.stringify(manifest, null, 2) + '\n';
if (process.argv.includes('--check')) {
  const stale = copies.filter(([from, to]) => !existsSync(to) || sha256(from) !== sha256(to)).map(([, to]) => to);
  const manifestPath = join(vendor, 'manifest.json');
  if (!existsSync(manifestPath) || readFileSync(manifestPath, 'utf8') !== manifestText) stale.push(manifestPath);
  if (stale.length) {
    console.error(`app/static/vendor is out of date (run npm run vendor):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log('app/static/vendor matches node_modules and package-lock.json');
} else {
  mkdirSync(vendor, { recursive: true });
  for (const [from, to] of copies) copyFileSync(from, to);
  writeFileSync(join(vendor, 'manifest.json'), manifestText);
  console.log(`vendored ${Object.keys(manifest).join(', ')} into app/static/vendor`);
}
