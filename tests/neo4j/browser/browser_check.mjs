#!/usr/bin/env node
// Drives Neo4j Browser as a person would, in Debian's headless chromium (playwright-core, no
// browser download): open /browser/, connect with the given credentials, wait for the server's
// post-connect `:style` command, run one query, wait for its graph, save a screenshot.
//
// Input: one JSON document on stdin
//   {"browserUrl", "boltUrl" ("bolt://127.0.0.1:7687"), "user", "password",
//    "runs": [{"name", "query", "expectTexts": ["F-35", ...], "screenshot": "/abs/path.png"}],
//    "timeoutMs": 45000 (each step), "chromium": "/usr/bin/chromium"}
// Output: one JSON document on stdout
//   {"ok", "error", "styleFrame", "styleText" (the style Browser reports after the post-connect
//    command), "runs": [{"name", "captions": [...], "nodeFills": {caption: fill}, "found": {...}}],
//    "timings": {...}, "blockedRequests": [...], "consoleErrors": [...]}
// Every request that is not to 127.0.0.1 is aborted (Browser asks a font CDN and telemetry).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const input = JSON.parse(readFileSync(0, 'utf8'));
const timeout = input.timeoutMs ?? 45000;
const started = Date.now();
const timings = {};
const mark = (name) => { timings[name] = Date.now() - started; };
const out = { ok: false, error: null, styleFrame: false, styleText: '', runs: [], timings,
  blockedRequests: [], consoleErrors: [] };

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
    const result = { name: run.name, captions: [], nodeFills: {}, found: {} };
    out.runs.push(result);
    await page.locator('.monaco-editor').first().click();
    await page.keyboard.insertText(run.query);
    await page.getByTestId('editor-Run').click();
    const frame = frames.first();
    const expected = run.expectTexts ?? [];
    // every expected caption, not only the first: under load Browser draws relationships' captions
    // well after the first node
    for (const text of expected.length ? expected : ['']) {
      await frame.locator('svg text', { hasText: text }).first().waitFor();
    }
    // the force layout settles within a couple of seconds: wait for it before reading or shooting
    await page.waitForTimeout(3000);
    mark(`drawn:${run.name}`);
    result.captions = await frame.locator('svg text').evaluateAll(
      (els) => els.map((e) => e.textContent.trim()).filter(Boolean));
    const joined = result.captions.join(' | ');
    for (const text of expected) result.found[text] = joined.includes(text);
    result.nodeFills = await frame.locator('svg g.node').evaluateAll((nodes) => {
      const fills = {};
      for (const node of nodes) {
        const circle = node.querySelector('circle.b-outline') ?? node.querySelector('circle');
        const caption = [...node.querySelectorAll('text')].map((t) => t.textContent.trim()).join(' ');
        if (circle && caption) fills[caption] = (circle.getAttribute('fill') ?? '').toUpperCase();
      }
      return fills;
    });
    if (run.screenshot) {
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
