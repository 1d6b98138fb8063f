#!/usr/bin/env node
// Drives Neo4j Browser as a person would, in Debian's headless chromium (playwright-core, no
// browser download): open /browser/, connect with the given credentials, wait for the server's
// post-connect `:style` command, run one query, wait for its graph, save a screenshot.
//
// What it reports is the graph Browser holds, never what the drawing happens to show: each drawn
// node's labels, name and fill and each relationship's type and full caption (the data d3 binds
// to the SVG elements), and the label and type counts of Browser's own overview panel with their
// colours. A caption cut short on a short edge (`RETALIAT…`) or a layout still moving changes
// none of it. Waits are for that data, each with a budget meant for a busy machine.
//
// Input: one JSON document on stdin
//   {"browserUrl", "boltUrl" ("bolt://127.0.0.1:7687"), "user", "password",
//    "runs": [{"name", "query", "expect": {"names": ["F-35 fighter", ...], "types": ["DEPENDS_ON"]},
//              "screenshot": "/abs/path.png"}],
//    "timeoutMs": 120000 (each wait), "chromium": "/usr/bin/chromium"}
// Output: one JSON document on stdout
//   {"ok", "error", "styleFrame", "styleText" (the style Browser reports after the post-connect
//    command), "runs": [{"name", "nodes": [{"name", "labels", "fill"}],
//    "relationships": [{"type", "caption"}], "overview": {"labels": {label: {"count", "color"}},
//    "types": {type: {"count", "color"}}}, "settled"}],
//    "timings": {...}, "blockedRequests": [...], "consoleErrors": [...]}
// Every request that is not to 127.0.0.1 is aborted (Browser asks a font CDN and telemetry).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const input = JSON.parse(readFileSync(0, 'utf8'));
const timeout = input.timeoutMs ?? 120000;
const SETTLE_MS = 30000; // the most a screenshot waits for the force layout to come to rest
const started = Date.now();
const timings = {};
const mark = (name) => { timings[name] = Date.now() - started; };
const out = { ok: false, error: null, styleFrame: false, styleText: '', runs: [], timings,
  blockedRequests: [], consoleErrors: [] };

/** The graph a result frame holds: d3's data on the SVG elements, and the overview panel. */
function readGraph(root) {
  const fillOf = (g) => ((g.querySelector('circle.b-outline') ?? g.querySelector('circle'))?.getAttribute('fill') ?? '').toUpperCase();
  const hex = (rgb) => `#${(rgb.match(/\d+/g) ?? []).slice(0, 3).map((v) => Number(v).toString(16).padStart(2, '0')).join('').toUpperCase()}`;
  const chips = (kind) => Object.fromEntries([...root.querySelectorAll(`[data-testid^="property-details-overview-${kind}-"]`)].map((el) => {
    const key = el.dataset.testid.slice(`property-details-overview-${kind}-`.length);
    const count = Number((el.textContent.match(/\((\d+)\)\s*$/) ?? [])[1]);
    return [key, { count, color: hex(getComputedStyle(el).backgroundColor) }];
  }));
  return {
    nodes: [...root.querySelectorAll('svg g.node')].map((g) => ({
      name: g.__data__?.propertyMap?.name ?? null, labels: g.__data__?.labels ?? [], fill: fillOf(g),
    })),
    relationships: [...root.querySelectorAll('svg g.relationship')].map((g) => ({
      type: g.__data__?.type ?? null, caption: g.__data__?.caption ?? null,
    })),
    overview: { labels: chips('node-label'), types: chips('relationship-type') },
  };
}

/**
 * Wait, for the screenshot only, until the force layout is at rest: no node moved over ten
 * animation frames in a row. Gives up after SETTLE_MS and says so; no check depends on it.
 */
async function settle(page, frameElement) {
  try {
    await page.waitForFunction(async (root) => {
      const where = () => [...root.querySelectorAll('svg g.node')].map((g) => g.getAttribute('transform')).join(';');
      const before = where();
      for (let i = 0; i < 10; i++) await new Promise((done) => requestAnimationFrame(done));
      return where() === before;
    }, frameElement, { timeout: SETTLE_MS });
    return true;
  } catch {
    return false;
  }
}

const profile = mkdtempSync(join(tmpdir(), 'neo4j-browser-check-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: input.chromium ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    deviceScaleFactor: 1,
    timeout,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(timeout);
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:') {
      return route.continue();
    }
    out.blockedRequests.push(url.origin);
    return route.abort();
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') out.consoleErrors.push(m.text().slice(0, 300)); });
  mark('launched');

  await page.goto(input.browserUrl);
  await page.getByTestId('boltaddress').waitFor();
  mark('connectForm');
  const bolt = new URL(input.boltUrl);
  await page.getByTestId('bolt-scheme-select').selectOption(`${bolt.protocol}//`);
  await page.getByTestId('boltaddress').fill(bolt.host);
  await page.getByTestId('username').fill(input.user);
  await page.getByTestId('password').fill(input.password);
  await page.getByTestId('connect').click();
  await page.getByText('You are connected as user').first().waitFor();
  mark('connected');

  // browser.post_connect_cmd runs `:style {...}` right after the connection: its frame shows
  // the style sheet Browser now uses.
  const styleFrame = page.getByTestId('frame').filter({ hasText: ':style {' });
  await styleFrame.first().waitFor();
  out.styleFrame = true;
  out.styleText = (await styleFrame.first().getByTestId('frameContents').innerText()).slice(0, 5000);
  mark('styleApplied');

  const frames = page.getByTestId('frame');

  for (const run of input.runs) {
    // one query at a time, alone on the page
    while (await frames.count() > 0) {
      await frames.first().getByTitle('Close', { exact: true }).click();
    }
    const result = { name: run.name, nodes: [], relationships: [], overview: {}, settled: false };
    out.runs.push(result);
    await page.locator('.monaco-editor').first().click();
    await page.keyboard.insertText(run.query);
    await page.getByTestId('editor-Run').click();
    const frame = frames.first();
    const expect = { names: [], types: [], ...run.expect };
    await frame.locator('svg g.node').first().waitFor();
    const frameElement = await frame.elementHandle();
    // every expected node and relationship type in the graph and in the overview panel
    await page.waitForFunction(({ root, names, types }) => {
      const drawn = new Set([...root.querySelectorAll('svg g.node')].map((g) => g.__data__?.propertyMap?.name));
      const typed = new Set([...root.querySelectorAll('svg g.relationship')].map((g) => g.__data__?.type));
      const listed = (type) => root.querySelector(`[data-testid="property-details-overview-relationship-type-${type}"]`);
      return names.every((n) => drawn.has(n)) && types.every((t) => typed.has(t) && listed(t));
    }, { root: frameElement, names: expect.names, types: expect.types });
    mark(`data:${run.name}`);
    Object.assign(result, await frame.evaluate(readGraph));
    if (run.screenshot) {
      result.settled = await settle(page, frameElement);
      mark(`settled:${run.name}`);
      const box = await frame.boundingBox();
      const height = Math.min(900, Math.ceil(box.y + box.height + 12));
      await page.screenshot({ path: run.screenshot, clip: { x: 0, y: 0, width: 1400, height } });
      mark(`screenshot:${run.name}`);
    }
  }
  out.ok = true;
} catch (err) {
  out.error = String(err?.stack ?? err).slice(0, 2000);
  if (input.failureScreenshot && context) {
    await context.pages()[0]?.screenshot({ path: input.failureScreenshot }).catch(() => {});
  }
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  mark('closed');
}
process.stdout.write(`${JSON.stringify(out)}\n`);
