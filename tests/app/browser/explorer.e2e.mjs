// End-to-end checks of the explorer page and of the API's reference pages (/docs, /redoc) in
// headless Chromium (Debian's, driven by playwright-core with executablePath; no browser is
// downloaded). Run by tests/app/browser/test_explorer_e2e.py against a live server on the seed graph;
// it writes a JSON report that the pytest tests read, one check per test, with every request and
// every Content-Security-Policy violation the pages reported, and screenshots of every view.
//
// Nothing here depends on timing or on where a drawing puts things: checks wait for data to
// appear (elements, attributes, counts), and every wait has a budget meant to hold on a busy
// 2-core machine (WAIT_MS each, CHECK_TIMEOUT_MS for a whole check).
//
// Two suites, one per server: `main` (the default) on the seed graph with no API token, `review`
// (SUITE=review) on a server with a token (REVIEW_TOKEN) and the review facts beside the seeds
// (tests/app/browser/review_facts), where the review page decides and so changes the graph.
//
//   BASE_URL=http://127.0.0.1:8000/ CHROMIUM=/usr/bin/chromium REPORT=/tmp/r.json SHOTS=/tmp/shots \
//   [FAILURE_SHOTS=dir] [CHECKS=search,dependents,...] [NEO4J_BROWSER_URL=...] [SUITE=review REVIEW_TOKEN=...] \
//   node tests/app/browser/explorer.e2e.mjs
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const explorerDir = process.env.EXPLORER_DIR || resolve(here, '..', '..', '..', 'explorer');
const require = createRequire(join(explorerDir, 'package.json'));
const { chromium } = require('playwright-core');

const BASE = new URL(process.env.BASE_URL || 'http://127.0.0.1:8000/');
const SHOTS = process.env.SHOTS || null;
const FAILURE_SHOTS = process.env.FAILURE_SHOTS || SHOTS;
const REPORT = process.env.REPORT || null;
const ONLY = process.env.CHECKS ? new Set(process.env.CHECKS.split(',')) : null;
const SUITE = process.env.SUITE || 'main';
const REVIEW_TOKEN = process.env.REVIEW_TOKEN || '';
const WAIT = Number(process.env.WAIT_MS || 45000);
const CHECK_TIMEOUT = Number(process.env.CHECK_TIMEOUT_MS || 150000);
const EXPECTED_ERRORS = [/Failed to load resource: the server responded with a status of 404/];

const report = { base: BASE.href, checks: [], requests: [], console: [], cspViolations: [], screenshots: [] };

const url = (query = '') => new URL(query, BASE).href;
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function shot(page, name) {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  report.screenshots.push(path);
}

/**
 * Where an edge of a Cytoscape graph is drawn, in page coordinates, once the drawing has stopped
 * moving (the graph refits when its frame settles): the same point on five samples in a row, each
 * taken after the browser has drawn two more frames, however long that takes on a busy machine.
 * Null when the graph has no such edge.
 */
async function edgePoint(page, containerSelector, edgeId) {
  await page.locator(containerSelector).scrollIntoViewIfNeeded();
  await page.waitForFunction((sel) => document.querySelector(sel)?._cy, containerSelector);
  const handle = await page.waitForFunction(async ({ sel, id }) => {
    const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const where = () => {
      const el = document.querySelector(sel);
      const edge = el._cy.$id(id);
      if (edge.empty()) return 'none';
      const m = edge.renderedMidpoint();
      const r = el.getBoundingClientRect();
      return `${Math.round(r.left + m.x)},${Math.round(r.top + m.y)}`;
    };
    const first = where();
    for (let i = 0; i < 5; i++) {
      await frames();
      if (where() !== first) return false;
    }
    return first;
  }, { sel: containerSelector, id: edgeId });
  const point = await handle.jsonValue();
  if (point === 'none') return null;
  const [x, y] = point.split(',').map(Number);
  return { x, y };
}

/** Type into a combobox and wait until the suggestions are those for the whole text. */
async function typeAndWait(page, box, text) {
  await box.fill('');
  await box.pressSequentially(text, { delay: 20 });
  const list = await box.getAttribute('aria-controls');
  await page.locator(`#${list}`).and(page.locator(`[data-query="${text}"]`)).waitFor();
}

/** Scroll so that an element sits just under the sticky top bar. */
async function scrollTo(page, selector) {
  await page.evaluate((sel) => {
    const bar = document.querySelector('.topbar').getBoundingClientRect();
    const top = document.querySelector(sel).getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, top - (getComputedStyle(document.querySelector('.topbar')).position === 'sticky' ? bar.height : 0) - 12);
  }, selector);
}

async function graphIds(page, containerSelector) {
  await page.waitForFunction((sel) => document.querySelector(sel)?._cy, containerSelector);
  return page.evaluate((sel) => document.querySelector(sel)._cy.nodes().map((n) => n.id()), containerSelector);
}

const checks = [];
const check = (name, fn, options = {}) => checks.push({ name, fn, ...options });

// ---------------------------------------------------------------------------------------------

check('home', async (page) => {
  await page.goto(url('./'));
  await page.getByRole('heading', { level: 1 }).waitFor();
  const cards = await page.locator('.question-card h2 a').allTextContents();
  assert(cards.length === 3, `three question cards, got ${cards.length}`);
  await page.locator('.home-stats .stat-value').first().waitFor();
  await page.locator('.recent-list li').first().waitFor();
  await shot(page, 'home');
});

check('search', async (page) => {
  await page.goto(url('./'));
  const box = page.getByRole('combobox', { name: 'Search the graph' });
  for (const [query, expected] of [['稀土', 'rare earths'], ['rare earths', 'rare earths'], ['中方', 'China'], ['Boeing', 'Boeing']]) {
    await typeAndWait(page, box, query);
    const option = page.getByRole('option').filter({ hasText: expected }).first();
    await option.waitFor();
    assert(await box.getAttribute('aria-expanded') === 'true', `the list is announced as expanded for ${query}`);
  }
  await typeAndWait(page, box, '稀土');
  const first = page.getByRole('option').first();
  await first.waitFor();
  const firstText = await first.textContent();
  assert(firstText.includes('rare earths') && firstText.includes('稀土'), `the first suggestion for 稀土 is rare earths with its Chinese name, got ${firstText}`);
  await shot(page, 'search');
  await box.press('ArrowDown');
  assert((await box.getAttribute('aria-activedescendant')) !== null, 'ArrowDown makes an option active');
  await box.press('Enter');
  await page.waitForURL(/view=entity&id=commodity:rare-earths/);
  await page.locator('#entity-name').filter({ hasText: 'rare earths' }).waitFor();
});

check('dependents', async (page) => {
  await page.goto(url('?view=dependents&commodity=稀土&origin=中国'));
  const table = page.locator('.dependents-table');
  await table.waitFor();
  const names = await page.locator('.dependents-table tbody.dependent').evaluateAll((rows) => rows.map((r) => r.dataset.id));
  for (const id of ['product:f-35', 'product:aegis-radar']) assert(names.includes(id), `the table lists ${id} (got ${names})`);
  await page.locator('.dependents-table').getByText('F-35 fighter').first().waitFor();
  await page.locator('.dependents-table').getByText('Aegis radar system').first().waitFor();
  await scrollTo(page, '.summary');
  const nodes = await graphIds(page, '#dependents-graph');
  for (const id of ['product:f-35', 'product:aegis-radar', 'commodity:rare-earths']) assert(nodes.includes(id), `the graph draws ${id}`);
  const label = await page.evaluate(() => document.querySelector('#dependents-graph')._cy.$id('product:f-35').data('label'));
  assert(label.includes('exposure 100%'), `the F-35 node shows its exposure (label ${JSON.stringify(label)})`);
  const api = await page.locator('.api-link').first().getAttribute('href');
  assert(api.startsWith('v1/dependents?'), `the API link is the call behind the view (${api})`);
  const answer = await page.evaluate(async (href) => (await fetch(href)).json(), api);
  assert(answer.data.some((d) => d.entity.id === 'product:f-35'), 'the API link answers with the same dependents');
  await shot(page, 'dependents');
});

check('dependents-edge-evidence', async (page) => {
  await page.goto(url('?view=dependents&commodity=稀土&origin=中国'));
  await page.locator('.dependents-table').waitFor();
  const point = await edgePoint(page, '#dependents-graph', 'product:f-35|DEPENDS_ON|commodity:ndfeb-magnets');
  assert(point, 'the F-35 → NdFeB magnets edge is drawn');
  await page.mouse.click(point.x, point.y);
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const quote = '均 100% 依赖中国供应';
  await dialog.locator('blockquote').filter({ hasText: quote }).waitFor();
  const mark = dialog.locator('.context-text mark');
  await mark.waitFor();
  assert((await mark.textContent()).includes('F-35 战斗机发动机所需的钕铁硼永磁体'), 'the quoted span is highlighted in the document text');
  await dialog.getByText('美方接连遭受稀土').first().waitFor();
  assert((await dialog.locator('blockquote').getAttribute('lang')) === 'zh', 'the quote is marked as Chinese');
  await shot(page, 'evidence');
  // The whole document, with the span highlighted, at its own URL.
  await dialog.getByRole('link', { name: 'Open the whole document' }).first().click();
  await page.waitForURL(/view=document&id=doc:[0-9a-f]{16}&start=\d+&end=\d+/);
  await page.locator('.document-text mark').filter({ hasText: '钕铁硼永磁体' }).waitFor();
  await shot(page, 'document');
  // Keyboard: the same relation from the table, Enter on its button, Escape closes.
  await page.goBack();
  await page.locator('.dependents-table').waitFor();
  const chip = page.locator('.dependents-table button.rel-chip[data-edge="product:aegis-radar|DEPENDS_ON|commodity:dysprosium"]');
  await chip.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').locator('blockquote').filter({ hasText: '镝元素' }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
});

check('escalation', async (page) => {
  await page.goto(url('?view=escalation&a=美国&b=中国'));
  const rare = page.locator('g.marker[data-measure="measure:cn-2025-10-09-rare-earth-export-controls"]');
  const tariff = page.locator('g.marker[data-measure="measure:us-2025-11-01-tariff-155"]');
  await rare.waitFor();
  await tariff.waitFor();
  assert(await rare.getAttribute('data-date') === '2025-10-09', 'the rare-earth controls are dated 2025-10-09');
  assert(await rare.getAttribute('data-side') === 'b' && await tariff.getAttribute('data-side') === 'a', 'one lane per side');
  // Where the page put each marker (its transform, set from the date and the side), not where text
  // and shapes happen to end up on screen.
  const at = async (loc) => (await loc.getAttribute('transform')).match(/translate\(([-\d.]+),([-\d.]+)\)/).slice(1).map(Number);
  const [[rx, ry], [tx, ty]] = [await at(rare), await at(tariff)];
  assert(rx < tx, 'the rare-earth controls are placed before the 155% tariff threat');
  assert(ry > ty, 'China’s lane is below the United States’ lane');
  assert(await tariff.getAttribute('data-status') === 'threatened' && await rare.getAttribute('data-status') === 'in_force', 'statuses carried');
  const dash = (loc) => loc.locator('path').last().getAttribute('stroke-dasharray');
  assert(await dash(tariff) && !(await dash(rare)), 'a threat is drawn dashed, a measure in force solid');
  await page.locator('svg.timeline text.tail-label').filter({ hasText: 'effective 1 Nov' }).waitFor();
  const arrow = page.locator('g.retaliation[data-source="measure:us-2025-10-23-software-export-controls"][data-target="measure:cn-2025-10-09-rare-earth-export-controls"]');
  await arrow.waitFor();
  assert(await arrow.locator('path.retaliation-line').getAttribute('marker-end'), 'the retaliation is an arrow');
  assert(await page.locator('svg.timeline path.index-index').count() === 1, 'the cumulative index is drawn');
  const order = await page.locator('.measures-table tbody tr').evaluateAll((rows) => rows.map((row) => row.dataset.measure));
  assert(order.indexOf('measure:cn-2025-10-09-rare-earth-export-controls') < order.indexOf('measure:us-2025-11-01-tariff-155'), 'the table is in date order');
  await page.locator('.measures-table').getByText('effective 1 Nov 2025').waitFor();
  await scrollTo(page, '.stat-cards');
  await shot(page, 'escalation');
  // The arrow opens the quote that says which measure answered which.
  await arrow.locator('text.retaliation-label').click();
  await page.getByRole('dialog').locator('blockquote').filter({ hasText: '10 月 9 日中方稀土管制令出台后' }).waitFor();
  await page.keyboard.press('Escape');
  // Keyboard: Tab to a marker, Enter shows the measure.
  await tariff.focus();
  await page.keyboard.press('Enter');
  await page.locator('#measure-details').getByText('US threat of a 155% tariff on Chinese goods').first().waitFor();
  await page.locator('#measure-details').getByText('100% → 155%').waitFor();
});

check('escalation-pages', async (page) => {
  // Four measures a page (the seed graph has six between the United States and China): the
  // summary counts all six on every page, the pager moves by keyboard and keeps the focus.
  const RARE = 'measure:cn-2025-10-09-rare-earth-export-controls';
  const SOFTWARE = 'measure:us-2025-10-23-software-export-controls';
  const rows = () => page.locator('.measures-table tbody tr').evaluateAll((r) => r.map((x) => x.dataset.measure));
  await page.goto(url('?view=escalation&a=US&b=CN&limit=4'));
  const pager = page.getByRole('navigation', { name: 'Pages of measures' });
  await pager.getByText('Measures 1–4 of 6').waitFor();
  assert(await page.locator('.stat-cards .stat-value').first().textContent() === '6', 'the summary counts every measure, not the page');
  const first = await rows();
  assert(first.length === 4 && first[0] === RARE && first.includes(SOFTWARE), `the first page is the first four in date order (${first})`);
  await page.locator(`g.retaliation[data-source="${SOFTWARE}"][data-target="${RARE}"]`).waitFor();
  assert(await pager.locator('[data-page="previous"]').count() === 0, 'no previous page on the first');
  const next = pager.getByRole('link', { name: 'Next 2 →' });
  assert((await next.getAttribute('href')).includes('offset=4'), 'the next page has its own URL');
  await next.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/offset=4&limit=4/);
  await pager.getByText('Measures 5–6 of 6').waitFor();
  const second = await rows();
  assert(second.length === 2 && !second.includes(RARE), `the second page holds the last two (${second})`);
  assert(await page.locator('.stat-cards .stat-value').first().textContent() === '6', 'the second page counts all six too');
  assert(await page.locator('g.retaliation').count() === 0, 'no arrow to a measure that is not drawn');
  assert(await page.locator('svg.timeline path.index-index').count() === 1, 'the index line is drawn for the page');
  assert(await page.evaluate(() => document.activeElement?.dataset.page === 'previous'), 'the focus stays on the pager (the last page has no next)');
  await page.keyboard.press('Enter');
  await pager.getByText('Measures 1–4 of 6').waitFor();
  assert(!page.url().includes('offset='), 'back on the first page');
  assert(await page.evaluate(() => document.activeElement?.dataset.page === 'next'), 'the focus is on the pager again');
  // The whole answer fits the default page: no pager.
  await page.goto(url('?view=escalation&a=US&b=CN'));
  await page.locator('.measures-table').waitFor();
  assert(await page.getByRole('navigation', { name: 'Pages of measures' }).count() === 0, 'no pager when every measure is on the page');
});

// --- Time (#20): dated views and lifecycles -----------------------------------------------------

const TARIFF = 'measure:us-2025-11-01-tariff-155';
const RARE_EARTHS = 'measure:cn-2025-10-09-rare-earth-export-controls';
const SOYBEANS = 'measure:cn-2025-us-soybean-purchase-halt';
const STAGES = ['threatened', 'announced', 'in_force', 'extended', 'suspended', 'lifted', 'expired'];

/** Every call the page makes to the API from now on, as URLs (the test's own fetches too: take a
 * copy before making any). */
function apiCalls(page) {
  const calls = [];
  const api = new URL('v1/', BASE).pathname;
  page.on('request', (request) => {
    const u = new URL(request.url());
    if (u.pathname.startsWith(api)) calls.push(u);
  });
  return calls;
}

/** The same API call the page makes, answered to the test (same origin, so the page fetches it). */
const apiAnswer = (page, path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

/**
 * The lifecycle intervals an escalation answer gives one measure, as "stage|from|to|dated-by":
 * each event at its own date, an undated one at the day the index moved for it (a change of that
 * measure and stage `dated_by: document`, its report's publication date), in the order they
 * happened; each interval runs to the next event, the last one is open ("").
 */
function expectedSegments(answer, id) {
  const m = answer.data.find((d) => d.entity.id === id);
  const reported = answer.index.flatMap((p) => p.changes.filter((c) => c.measure === id && c.dated_by === 'document').map((c) => ({ stage: c.stage, date: p.date })));
  const placed = [];
  for (const event of m.measure.events) {
    let { date } = event;
    let by = 'source';
    if (!date) {
      const i = reported.findIndex((r) => r.stage === event.stage);
      if (i >= 0) date = reported.splice(i, 1)[0].date;
      by = 'document';
    }
    if (date) placed.push({ stage: event.stage, date, by });
  }
  placed.sort((p, q) => p.date.localeCompare(q.date) || STAGES.indexOf(p.stage) - STAGES.indexOf(q.stage));
  return placed.map((e, i) => `${e.stage}|${e.date}|${placed[i + 1]?.date ?? ''}|${e.by}`);
}

/** The lifecycle bars the page drew for one measure, as "stage|from|to|dated-by". */
const drawnSegments = (page, id) => page.locator(`svg.timeline g.life-segment[data-measure="${id}"]`)
  .evaluateAll((gs) => gs.map((g) => `${g.dataset.stage}|${g.dataset.from}|${g.dataset.to}|${g.dataset.datedBy}`));

/** The drawn bars and index points match the answer: one bar per lifecycle interval, one point per index day. */
async function assertLifecyclesMatch(page, answer) {
  let bars = 0;
  for (const m of answer.data) {
    const expected = expectedSegments(answer, m.entity.id);
    const drawn = await drawnSegments(page, m.entity.id);
    assert(JSON.stringify(drawn) === JSON.stringify(expected), `${m.entity.id}: the bars are the lifecycle of the answer\n drawn    ${drawn.join(', ')}\n expected ${expected.join(', ')}`);
    bars += expected.length;
  }
  assert(bars > answer.data.length, `more than one bar for some measure (${bars} bars for ${answer.data.length} measures)`);
  assert(await page.locator('svg.timeline g.life-segment').count() === bars, 'no bar for anything else');
  const points = await page.locator('svg.timeline circle.index-point').evaluateAll((cs) => cs.map((c) => `${c.dataset.date}=${c.dataset.index}`));
  const wanted = answer.index.map((p) => `${p.date}=${p.index}`);
  assert(JSON.stringify(points) === JSON.stringify(wanted), `the index steps at each event day of the answer\n drawn    ${points}\n expected ${wanted}`);
}

check('escalation-as-of', async (page) => {
  const calls = apiCalls(page);
  await page.goto(url('?view=escalation&a=美国&b=中国&as_of=2025-10-15'));
  await page.locator('.measures-table').waitFor();
  const sent = calls.filter((u) => u.pathname.endsWith('/v1/escalation'));
  assert(sent.length === 1 && sent[0].searchParams.get('as_of') === '2025-10-15', `the page asked for the escalation as of 2025-10-15 (${sent.map(String)})`);
  assert(await page.locator('.as-of-badge[data-as-of="2025-10-15"]').count() === 1, 'the view is marked as dated');
  assert(await page.locator('#esc-as-of').inputValue() === '2025-10-15', 'the date is in the form');
  const apiLink = await page.locator('.api-link').first().getAttribute('href');
  assert(new URL(apiLink, BASE).searchParams.get('as_of') === '2025-10-15', `the API link is the dated call (${apiLink})`);
  const rows = () => page.locator('.measures-table tbody tr').evaluateAll((r) => r.map((x) => x.dataset.measure));
  const early = await rows();
  const dated = await apiAnswer(page, apiLink);
  const today = await apiAnswer(page, 'v1/escalation?a=US&b=CN');
  assert(today.data.some((m) => m.entity.id === TARIFF), 'today the graph holds the 155% tariff threat');
  assert(!early.includes(TARIFF), `on 15 October there was no 155% tariff threat yet (rows ${early})`);
  assert(JSON.stringify(early) === JSON.stringify(dated.data.map((m) => m.entity.id)), 'the table lists the dated answer');
  assert(await page.locator(`svg.timeline g.marker[data-measure="${TARIFF}"]`).count() === 0, 'nor does the timeline draw it');
  await page.locator('svg.timeline g.as-of-line[data-as-of="2025-10-15"]').waitFor();
  await assertLifecyclesMatch(page, dated);

  // A new day from the form: a new URL, a new call, the threat is there and only threatened.
  await page.locator('#esc-as-of').fill('2025-10-24');
  await page.getByRole('button', { name: 'Show escalation' }).click();
  await page.waitForURL(/as_of=2025-10-24/);
  const tariff = page.locator(`svg.timeline g.marker[data-measure="${TARIFF}"]`);
  await tariff.waitFor();
  await page.locator('.as-of-badge[data-as-of="2025-10-24"]').waitFor();
  const later = calls.filter((u) => u.pathname.endsWith('/v1/escalation') && u.searchParams.get('as_of') === '2025-10-24');
  assert(later.length === 1, 'the page asked for the escalation as of 2025-10-24');
  const answer = await apiAnswer(page, 'v1/escalation?a=US&b=CN&as_of=2025-10-24');
  assert(answer.data.find((m) => m.entity.id === TARIFF)?.measure.status === 'threatened', 'the API has the tariff threatened on 24 October');
  assert(await tariff.getAttribute('data-status') === 'threatened', 'the page shows it threatened');
  assert((await rows()).includes(TARIFF), 'the table lists it');
  const threat = await drawnSegments(page, TARIFF);
  assert(JSON.stringify(threat) === JSON.stringify(['threatened|2025-10-23||source']), `one open "threatened" bar from 23 October (${threat})`);
  await assertLifecyclesMatch(page, answer);
  await scrollTo(page, '.as-of-badge');
  await shot(page, 'escalation-as-of');
  // The link to a measure keeps the day.
  const link = await page.locator(`.measures-table tr[data-measure="${TARIFF}"] th a`).getAttribute('href');
  assert(new URLSearchParams(link.split('?')[1]).get('as_of') === '2025-10-24', `links to a measure keep the day (${link})`);
  // Back to today: no badge, no date sent.
  await page.locator('.as-of-badge a').click();
  await page.waitForURL((u) => u.searchParams.get('view') === 'escalation' && !u.searchParams.has('as_of'));
  await page.locator('.measures-table').waitFor();
  assert(await page.locator('.as-of-badge').count() === 0, 'today’s view is not marked as dated');
  const last = calls.filter((u) => u.pathname.endsWith('/v1/escalation')).at(-1);
  assert(!last.searchParams.has('as_of'), `today’s call sends no as_of (${last})`);
});

check('timeline-lifecycle', async (page) => {
  await page.goto(url('?view=escalation&a=美国&b=中国'));
  await page.locator('svg.timeline g.life-segment').first().waitFor();
  const apiLink = await page.locator('.api-link').first().getAttribute('href');
  const answer = await apiAnswer(page, apiLink);
  await assertLifecyclesMatch(page, answer);
  // Announced on 9 October (the source says), in force by 24 October (its report's date, as the
  // source gives none): two bars, the second still open.
  const rare = await drawnSegments(page, RARE_EARTHS);
  assert(JSON.stringify(rare) === JSON.stringify(['announced|2025-10-09|2025-10-24|source', 'in_force|2025-10-24||document']), `the rare-earth controls' lifecycle (${rare})`);
  // The soybean halt has no date of its own: it sits at its report's date, which is an index day,
  // not after the last date of the answer.
  const soy = page.locator(`svg.timeline g.marker[data-measure="${SOYBEANS}"]`);
  const reportDay = answer.index.find((p) => p.changes.some((c) => c.measure === SOYBEANS && c.dated_by === 'document'))?.date;
  assert(reportDay && answer.data.find((m) => m.entity.id === SOYBEANS).date === null, 'the API gives the soybean halt no date, and places its event on a report’s day');
  assert(await soy.getAttribute('data-date') === reportDay && await soy.getAttribute('data-dated-by') === 'document', `the soybean halt sits at its report's date ${reportDay}`);
  const lastDay = [...answer.index.map((p) => p.date), ...answer.data.flatMap((m) => m.measure.events.map((e) => e.date).filter(Boolean))].sort().at(-1);
  const markerDays = await page.locator('svg.timeline g.marker').evaluateAll((gs) => gs.map((g) => g.dataset.date));
  assert(markerDays.length === answer.data.length && markerDays.every((d) => d && d <= lastDay), `every marker has a day, none after ${lastDay} (${markerDays})`);
  assert(await page.locator('.undated-list li').count() === 0, 'no measure is left without a day');
  // A bar opens the quote of the event that starts it.
  const announced = answer.data.find((m) => m.entity.id === RARE_EARTHS).measure.events.find((e) => e.stage === 'announced');
  await page.locator(`svg.timeline g.life-segment[data-measure="${RARE_EARTHS}"][data-stage="announced"]`).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').locator('blockquote').filter({ hasText: announced.evidence.quote.slice(0, 12) }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
  await page.evaluate(() => {
    document.activeElement?.blur(); // no focus ring in the picture
    const bar = document.querySelector('.topbar').getBoundingClientRect().height;
    const top = document.querySelector('svg.timeline g.lifecycles').getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, top - bar - 48);
  });
  await shot(page, 'timeline-lifecycle');
});

check('timeline-undated', async (page) => {
  // An answer in which the soybean halt's event has neither a date nor a report to date it (the
  // seed always has one): the API cannot place it, so its index has no change for it.
  await page.route((u) => u.pathname.endsWith('/v1/escalation'), async (route) => {
    const response = await route.fetch();
    const json = await response.json();
    for (const m of json.data) {
      if (m.entity.id === SOYBEANS) m.measure.events = m.measure.events.map(({ stage }) => ({ stage, date: null }));
    }
    for (const p of json.index) {
      p.changes = p.changes.filter((c) => c.measure !== SOYBEANS);
      p.measures = p.measures.filter((id) => id !== SOYBEANS);
    }
    await route.fulfill({ response, json });
  });
  await page.goto(url('?view=escalation&a=美国&b=中国'));
  await page.locator('svg.timeline g.marker').first().waitFor();
  await page.locator(`.undated-list li[data-measure="${SOYBEANS}"]`).waitFor();
  assert(await page.locator(`svg.timeline [data-measure="${SOYBEANS}"]`).count() === 0, 'a measure with no day is not drawn on the time axis');
  const markerDays = await page.locator('svg.timeline g.marker').evaluateAll((gs) => gs.map((g) => g.dataset.date));
  assert(markerDays.length === 5 && markerDays.every((d) => d && d <= '2025-10-24'), `the other five keep their days (${markerDays})`);
  // It is still a measure of the view: the list selects it.
  await page.locator(`.undated-list li[data-measure="${SOYBEANS}"] button`).click();
  await page.locator(`.measures-table tr.is-focused[data-measure="${SOYBEANS}"]`).waitFor();
});

check('measure-as-of', async (page) => {
  const calls = apiCalls(page);
  const listed = () => page.locator('.data-table tbody tr').evaluateAll((r) => r.map((x) => `${x.dataset.measure}=${x.dataset.status}`));
  // The list of measures, on two days.
  await page.goto(url('?view=measure&as_of=2025-10-15'));
  await page.locator('.data-table tbody tr').first().waitFor();
  assert(calls.some((u) => u.pathname.endsWith('/v1/measures') && u.searchParams.get('as_of') === '2025-10-15'), 'the list was asked for as of 2025-10-15');
  const early = await listed();
  assert(early.length > 0 && !early.some((r) => r.startsWith(`${TARIFF}=`)), `no 155% tariff threat on 15 October (${early})`);
  await page.locator('.as-of-badge[data-as-of="2025-10-15"]').waitFor();
  await page.goto(url('?view=measure&as_of=2025-10-24'));
  await page.locator(`.data-table tbody tr[data-measure="${TARIFF}"]`).waitFor();
  assert((await listed()).includes(`${TARIFF}=threatened`), 'on 24 October the tariff is listed, threatened');
  // The measure itself on a day before it: a message that says so, and a way to today.
  await page.goto(url(`?view=measure&id=${TARIFF}&as_of=2025-10-15`));
  const message = page.getByRole('status').filter({ has: page.locator('a.btn') });
  await message.waitFor();
  const today = await message.locator('a.btn').getAttribute('href');
  const params = new URLSearchParams(today.split('?')[1]);
  assert(params.get('id') === TARIFF && !params.has('as_of'), `the message links to the measure today (${today})`);
  assert(await page.locator('#measure-name').count() === 0, 'no measure card for a day it did not exist');
  // On a day it stood: every API call of the view carries the day, the card lists its lifecycle.
  const before = calls.length;
  await page.goto(url(`?view=measure&id=${TARIFF}&as_of=2025-10-24`));
  await page.locator('#measure-name').waitFor();
  await page.locator('.lifecycle-list li[data-stage="threatened"][data-date="2025-10-23"]').waitFor();
  const viewCalls = calls.slice(before);
  assert(viewCalls.length >= 2 && viewCalls.every((u) => u.searchParams.get('as_of') === '2025-10-24'), `every call of the view is dated: ${viewCalls.map((u) => u.pathname + u.search).join(' ')}`);
  await page.locator('.as-of-badge[data-as-of="2025-10-24"]').waitFor();
  const escalation = await page.locator('.measure-card a.btn', { hasText: 'Escalation' }).getAttribute('href');
  assert(new URLSearchParams(escalation.split('?')[1]).get('as_of') === '2025-10-24', `the escalation link keeps the day (${escalation})`);
}, { expectErrors: true });

check('dependents-as-of', async (page) => {
  const calls = apiCalls(page);
  await page.goto(url('?view=dependents&commodity=稀土&origin=中国'));
  await page.locator('.dependents-table').waitFor();
  await page.locator('#dep-as-of').fill('2025-10-15');
  await page.getByRole('button', { name: 'Show dependents' }).click();
  await page.waitForURL(/as_of=2025-10-15/);
  await page.locator('.summary[data-as-of="2025-10-15"]').waitFor();
  await page.locator('.as-of-badge[data-as-of="2025-10-15"]').waitFor();
  const dated = calls.filter((u) => u.searchParams.get('as_of') === '2025-10-15').map((u) => u.pathname.split('/v1/')[1]);
  assert(dated.includes('dependents') && dated.includes('subgraph'), `the dependents and the taxonomy were asked for as of 2025-10-15 (${dated})`);
  const shown = await page.locator('.dependents-table tbody.dependent').evaluateAll((rows) => rows.map((r) => r.dataset.id).sort());
  const apiLink = await page.locator('.api-link').first().getAttribute('href');
  assert(new URL(apiLink, BASE).searchParams.get('as_of') === '2025-10-15', 'the API link is the dated call');
  const answer = await apiAnswer(page, apiLink);
  assert(JSON.stringify(shown) === JSON.stringify(answer.data.map((d) => d.entity.id).sort()), 'the table lists the dated answer');
  // The shared link reproduces the dated view.
  const other = await page.context().newPage();
  const otherCalls = apiCalls(other);
  await other.goto(page.url());
  await other.locator('.summary[data-as-of="2025-10-15"]').waitFor();
  assert(otherCalls.some((u) => u.pathname.endsWith('/v1/dependents') && u.searchParams.get('as_of') === '2025-10-15'), 'the shared link asks for the same day');
  await other.close();
});

check('measure', async (page) => {
  await page.goto(url('?view=measure&id=measure:cn-2025-10-09-rare-earth-export-controls'));
  await page.locator('#measure-name').filter({ hasText: 'rare-earth export controls' }).waitFor();
  const rows = await page.locator('.dependents-table tbody.dependent').evaluateAll((r) => r.map((x) => x.dataset.id));
  for (const id of ['product:f-35', 'product:aegis-radar']) assert(rows.includes(id), `the measure hits ${id}`);
  const nodes = await graphIds(page, '#impact-graph');
  for (const id of ['country:CN', 'measure:cn-2025-10-09-rare-earth-export-controls', 'commodity:rare-earths', 'product:f-35']) assert(nodes.includes(id), `the impact graph draws ${id}`);
  const point = await edgePoint(page, '#impact-graph', 'measure:cn-2025-10-09-rare-earth-export-controls|TARGETS|country:US');
  assert(point, 'the TARGETS edge is drawn');
  await scrollTo(page, '.panel-graph');
  await shot(page, 'measure');
});

check('entity', async (page) => {
  await page.goto(url('?view=entity&id=中方'));
  await page.locator('#entity-name').filter({ hasText: 'China' }).waitFor();
  await page.locator('.entity-card [lang="zh"]').filter({ hasText: '中国' }).first().waitFor();
  await page.locator('.neighbour-list').first().waitFor();
  const nodes = await graphIds(page, '#entity-graph');
  assert(nodes.includes('country:US') && nodes.includes('country:CN'), 'the neighbours graph draws China and the United States');
  const neo4j = await page.locator('[data-neo4j="browser"]').count();
  if (process.env.NEO4J_BROWSER_URL) {
    const href = await page.locator('[data-neo4j="browser"]').getAttribute('href');
    assert(href.startsWith(process.env.NEO4J_BROWSER_URL) && href.includes('cmd=edit') && href.includes('country%3ACN'), `a Neo4j Browser link to the node (${href})`);
    await page.getByText('Neo4j store').waitFor();
  } else {
    assert(neo4j === 0, 'no Neo4j Browser link on the embedded store');
  }
  await shot(page, 'entity');
});

check('unknown-entity', async (page) => {
  for (const query of ['?view=entity&id=Narnia', '?view=dependents&commodity=Narnia&origin=中国', '?view=escalation&a=美国&b=Narnia', '?view=measure&id=Narnia']) {
    await page.goto(url(query));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.textContent();
    assert(text.includes('Narnia') && /Nothing in the graph is called/.test(text), `a clear message for ${query}: ${text}`);
    assert(await page.getByRole('heading', { level: 1 }).count() === 1, 'the page keeps its heading and form');
  }
  await page.goto(url('?view=entity&id=Narnia'));
  await page.getByRole('alert').waitFor();
  await shot(page, 'unknown');
}, { expectErrors: true });

check('shareable-urls', async (page) => {
  await page.goto(url('?view=dependents'));
  await typeAndWait(page, page.getByRole('combobox', { name: 'Commodity or product' }), 'dysprosium');
  await page.getByRole('option').filter({ hasText: 'dysprosium' }).first().click();
  await typeAndWait(page, page.getByRole('combobox', { name: 'Supplied by (optional)' }), 'China');
  await page.getByRole('option').filter({ hasText: 'China' }).first().click();
  await page.getByRole('button', { name: 'Show dependents' }).click();
  await page.waitForURL(/view=dependents&commodity=commodity:dysprosium&origin=country:CN/);
  await page.locator('.dependents-table tbody.dependent[data-id="product:aegis-radar"]').waitFor();
  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  await other.locator('.dependents-table tbody.dependent[data-id="product:aegis-radar"]').waitFor();
  await other.close();
  // Back and forward move between views without losing them.
  await page.getByRole('link', { name: 'Escalation', exact: true }).click();
  await page.waitForURL(/view=escalation/);
  await page.goBack();
  await page.locator('.dependents-table tbody.dependent[data-id="product:aegis-radar"]').waitFor();
  // Every view links to the API call behind it.
  for (const query of ['?view=escalation&a=US&b=CN', '?view=entity&id=Boeing', '?view=measure&id=measure:us-2025-11-01-tariff-155']) {
    await page.goto(url(query));
    const link = page.locator('.api-link').first();
    await link.waitFor();
    const href = await link.getAttribute('href');
    const status = await page.evaluate(async (h) => (await fetch(h)).status, href);
    assert(status === 200, `${query}: the API link ${href} answers 200`);
  }
});

check('keyboard', async (page) => {
  await page.goto(url('./'));
  await page.keyboard.press('Tab');
  assert(await page.evaluate(() => document.activeElement.classList.contains('skip-link')), 'the first Tab reaches the skip link');
  await page.keyboard.press('/');
  assert(await page.evaluate(() => document.activeElement.getAttribute('role') === 'combobox'), '"/" jumps to the search box');
  await typeAndWait(page, page.getByRole('combobox', { name: 'Search the graph' }), 'Boeing');
  await page.getByRole('option').filter({ hasText: 'Boeing' }).first().waitFor();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/view=entity&id=firm:boeing/);
  await page.locator('#entity-name').filter({ hasText: 'Boeing' }).waitFor();
  assert(await page.evaluate(() => document.activeElement.tagName === 'H1'), 'focus moves to the new view’s heading');
  await page.keyboard.press('Escape');
});

check('phone', async (page) => {
  for (const [query, name, ready] of [
    ['?view=dependents&commodity=稀土&origin=中国', 'phone-dependents', '.dependents-table'],
    ['?view=escalation&a=美国&b=中国', 'phone-escalation', 'svg.timeline'],
    ['?view=measures', 'phone-measures', '#measures-months .months-table'],
  ]) {
    await page.goto(url(query));
    await page.locator(ready).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 1, `${name}: the page fits the phone's width (overflow ${overflow}px)`);
    await page.evaluate((sel) => window.scrollTo(0, document.querySelector(sel).getBoundingClientRect().top + window.scrollY - 8), '.query-form');
    await shot(page, name);
  }
}, { viewport: { width: 390, height: 844 }, mobile: true });


// --- Measures (#22): every measure by filter, CSV downloads, counts by month ---------------------

/** The data rows of a CSV text (RFC 4180: quoted fields may hold commas, quotes and newlines). */
function csvRows(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return { header: rows[0] || [], data: rows.slice(1) };
}

/** A CSV link's answer as the page gets it: content type and its rows. */
async function csvOf(page, href) {
  const got = await page.evaluate(async (p) => {
    const r = await fetch(p);
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, href);
  return { ...got, ...csvRows(got.text) };
}

const shownMeasures = (page) => page.locator('.measures-list tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.measure));

check('measures', async (page) => {
  // Filtered by an imposer's Chinese name: the rows are the API's answer to the same query.
  await page.goto(url('?view=measures&imposer=中国'));
  await page.locator('.measures-list tbody tr').first().waitFor();
  const api = await page.locator('.api-link').first().getAttribute('href');
  const params = new URL(api, BASE).searchParams;
  assert(new URL(api, BASE).pathname.endsWith('/v1/measures') && params.get('imposer') === '中国', `the API call carries the filter (${api})`);
  const answer = await apiAnswer(page, api);
  assert(answer.count > 0 && answer.data.every((m) => m.imposers.some((e) => e.id === 'country:CN')), 'the seed graph has measures China imposed');
  const shown = await shownMeasures(page);
  assert(JSON.stringify(shown) === JSON.stringify(answer.data.map((m) => m.entity.id)), `the rows are the API's, in its order (${shown} vs ${answer.data.map((m) => m.entity.id)})`);
  assert(shown.includes(RARE_EARTHS), 'the rare-earth export controls are listed');
  const dates = await page.locator('.measures-list tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.date));
  assert(JSON.stringify(dates) === JSON.stringify(answer.data.map((m) => m.date || '')), 'each row has its measure’s date');
  assert(await page.locator('.measures-list caption').count() === 1 && await page.locator('.measures-list thead th[scope="col"]').count() === 8, 'a caption and eight column headers');
  // The form shows the filter; a type picked there narrows the list and goes into the URL.
  assert(await page.getByRole('combobox', { name: 'Imposed by' }).inputValue() === '中国', 'the imposer field shows the filter');
  await page.getByLabel('Type').selectOption('export_control');
  await page.getByRole('button', { name: 'Show measures' }).click();
  await page.waitForURL(/view=measures&imposer=.*&type=export_control/);
  await page.locator('.measures-list tbody tr').first().waitFor();
  await page.waitForFunction(() => new URL(document.querySelector('.api-link')?.href || location.href).searchParams.get('type') === 'export_control');
  const typed = await apiAnswer(page, await page.locator('.api-link').first().getAttribute('href'));
  assert(typed.data.length && typed.data.every((m) => m.measure.measure_type === 'export_control'), 'the API answers export controls only');
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(typed.data.map((m) => m.entity.id)), 'the rows are the typed answer');
  // A row's name opens the measure view.
  await page.locator(`.measures-list tr[data-measure="${RARE_EARTHS}"] th a`).click();
  await page.waitForURL(new RegExp(`view=measure&id=${RARE_EARTHS}`));
  await page.locator('.dependents-table').waitFor();
});

check('measures-pages', async (page) => {
  // Two a page: the pager moves the offset in the URL, and each page is the API's.
  const all = await (async () => {
    await page.goto(url('?view=measures&limit=2'));
    await page.locator('.measures-list tbody tr').first().waitFor();
    return apiAnswer(page, 'v1/measures?limit=1000');
  })();
  assert(all.count > 2, `the seed graph has more than two measures (${all.count})`);
  const pager = page.getByRole('navigation', { name: 'Pages of measures' });
  await pager.getByText(`Measures 1–2 of ${all.count}`).waitFor();
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(all.data.slice(0, 2).map((m) => m.entity.id)), 'the first page is the first two in date order');
  const next = pager.locator('[data-page="next"]');
  await next.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/view=measures&offset=2&limit=2/);
  await pager.getByText(`Measures 3–4 of ${all.count}`).waitFor();
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(all.data.slice(2, 4).map((m) => m.entity.id)), 'the second page is the next two');
  assert(await page.evaluate(() => document.activeElement?.dataset.page === 'next'), 'the keyboard focus stays on the pager');
  await pager.locator('[data-page="previous"]').click();
  await page.waitForURL((u) => new URL(u).searchParams.get('offset') === null && new URL(u).searchParams.get('limit') === '2');
  await pager.getByText(`Measures 1–2 of ${all.count}`).waitFor();
  // Reloading a page's URL shows the same page.
  await page.goto(url('?view=measures&offset=2&limit=2'));
  await pager.getByText(`Measures 3–4 of ${all.count}`).waitFor();
  // The month counts are the API's /v1/measures/counts for the whole filter, not this page.
  await page.locator('#measures-months .months-table').waitFor();
  const counted = await apiAnswer(page, 'v1/measures/counts');
  assertCountsShown(await shownCounts(page), counted);
  assert(counted.total === all.count, `the API counts every measure of the filter (${counted.total} of ${all.count})`);
  await shot(page, 'measures');
});

check('measures-filters', async (page) => {
  // MAST chapter, text and order from the URL: the rows are the API's answer to the same query.
  await page.goto(url('?view=measures&mast=P&q=export&sort=-date'));
  await page.locator('.measures-list tbody tr').first().waitFor();
  const api = await page.locator('.api-link').first().getAttribute('href');
  const params = new URL(api, BASE).searchParams;
  assert(params.get('mast') === 'P' && params.get('q') === 'export' && params.get('sort') === '-date', `the API call carries the chapter, the text and the order (${api})`);
  const answer = await apiAnswer(page, 'v1/measures?mast=P&q=export&sort=-date');
  assert(answer.count > 1 && answer.data.every((m) => m.mast_chapter === 'P'), `the seed graph has export-related measures named with "export" (${answer.count})`);
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(answer.data.map((m) => m.entity.id)), 'the rows are the API\u2019s, latest first');
  const dates = answer.data.map((m) => m.date).filter(Boolean);
  assert(JSON.stringify(dates) === JSON.stringify([...dates].sort().reverse()), 'the API answers latest first');
  // The chapter select lists the server's chapters with their titles, the asked one chosen.
  const config = await apiAnswer(page, 'explorer/config');
  await page.waitForFunction((n) => document.querySelectorAll('#ms-mast option').length === n, config.mast_chapters.length + 1);
  const options = await page.locator('#ms-mast option').evaluateAll((os) => os.map((o) => [o.value, o.textContent, o.selected]));
  assert(JSON.stringify(options.slice(1).map(([v]) => v)) === JSON.stringify(config.mast_chapters.map((c) => c.chapter)), 'one option per chapter the server lists');
  const chosen = options.find(([, , selected]) => selected);
  assert(chosen[0] === 'P' && chosen[1].includes(config.mast_chapters.find((c) => c.chapter === 'P').title), `chapter P is chosen, with its title (${chosen})`);
  assert(await page.getByLabel('Name contains').inputValue() === 'export' && await page.getByLabel('Order').inputValue() === '-date', 'the form shows the text and the order');
  // The month counts and the map take the same filters, not the order.
  await page.locator('#measures-months .months-table').waitFor();
  for (const link of ['#measures-months .counts-api-link', '#measures-countries .countries-api-link']) {
    await page.locator(link).waitFor();
    const call = new URL(await page.locator(link).getAttribute('href'), BASE).searchParams;
    assert(call.get('mast') === 'P' && call.get('q') === 'export' && !call.has('sort'), `${link} carries the filters and no sort`);
  }
  const counted = await apiAnswer(page, 'v1/measures/counts?mast=P&q=export');
  assertCountsShown(await shownCounts(page), counted);
  assert(counted.total === answer.count, `the counts are the listed measures (${counted.total} vs ${answer.count})`);
  // The form: text in traditional Chinese and the highest rate first go into the URL.
  await page.getByLabel('MAST chapter').selectOption('');
  await page.getByLabel('Name contains').fill('稀土管製');
  await page.getByLabel('Order').selectOption('-rate');
  await page.getByRole('button', { name: 'Show measures' }).click();
  await page.waitForURL((u) => new URL(u).searchParams.get('q') === '稀土管製' && new URL(u).searchParams.get('sort') === '-rate' && !new URL(u).searchParams.has('mast'));
  await page.waitForFunction(() => new URL(document.querySelector('.api-link')?.href || location.href).searchParams.get('q') === '稀土管製');
  const named = await apiAnswer(page, `v1/measures?q=${encodeURIComponent('稀土管製')}&sort=-rate`);
  assert(named.data.some((m) => m.entity.id === RARE_EARTHS), 'the traditional spelling finds the rare-earth export controls');
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(named.data.map((m) => m.entity.id)), 'the rows are the API\u2019s for the text');
  // Covering an HS code: the goods classified under it (soybeans are 1201.90).
  await page.goto(url('?view=measures&covers=12&sort=name'));
  await page.locator('.measures-list tbody tr').first().waitFor();
  const coded = await apiAnswer(page, 'v1/measures?covers=12&sort=name');
  assert(coded.data.some((m) => m.entity.id === SOYBEANS), 'covers=12 finds the soybean purchase halt');
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(coded.data.map((m) => m.entity.id)), 'the rows are the API\u2019s for the code');
  assert((await page.locator('.measures-list caption').textContent()).includes('by name'), 'the caption says the order');
});

/** The month counts shown, as "month|group|count" for every cell that is not 0 (no total column). */
const shownCounts = (page) => page.locator('#measures-months .months-table tbody tr').evaluateAll((rows) => rows.flatMap((r) => [...r.querySelectorAll('td')]
  .filter((td) => td.dataset.group !== 'total' && Number(td.textContent) !== 0)
  .map((td) => `${r.dataset.month}|${td.dataset.group}|${Number(td.textContent)}`)).sort());

/** The cells shown are the rows of a /v1/measures/counts answer, and add up to its total. */
function assertCountsShown(cells, answer) {
  const expected = answer.data.filter((r) => r.count).map((r) => `${r.month ?? 'undated'}|${r.group ?? ''}|${r.count}`).sort();
  assert(JSON.stringify(cells) === JSON.stringify(expected), `the month counts are the API's (${JSON.stringify(cells)} vs ${JSON.stringify(expected)})`);
  const sum = cells.reduce((n, c) => n + Number(c.split('|')[2]), 0);
  assert(sum === answer.total, `the month counts add up to the API's total (${sum} vs ${answer.total})`);
}

check('measures-counts', async (page) => {
  // The month counts are one call to /v1/measures/counts with the view's filters.
  await page.goto(url('?view=measures&imposer=中国'));
  await page.locator('#measures-months .months-table').waitFor();
  const call = new URL(await page.locator('#measures-months .counts-api-link').getAttribute('href'), BASE);
  assert(call.pathname.endsWith('/v1/measures/counts') && call.searchParams.get('imposer') === '中国' && !call.searchParams.get('by'), `the counts call carries the filter (${call})`);
  const none = await apiAnswer(page, 'v1/measures/counts?imposer=中国');
  assert(none.by === 'none', 'not split');
  assertCountsShown(await shownCounts(page), none);
  const listed = Number(await page.locator('.summary[data-count]').getAttribute('data-count'));
  assert(none.total === listed, `the counts' total is the list's count (${none.total} vs ${listed})`);
  // Split by type: the URL says so, the columns are the API's groups, each month has its total.
  const split = page.getByLabel('Split by');
  await split.focus();
  await split.selectOption('type');
  await page.waitForURL((u) => new URL(u).searchParams.get('by') === 'type' && new URL(u).searchParams.get('imposer') === '中国');
  await page.locator('#measures-months [data-by="type"]').waitFor();
  const typed = await apiAnswer(page, 'v1/measures/counts?imposer=中国&by=type');
  assert(typed.by === 'type' && typed.data.every((r) => r.group), 'the API splits by type');
  assertCountsShown(await shownCounts(page), typed);
  assert(typed.total === listed, 'the split counts the same measures');
  const columns = await page.locator('#measures-months .months-table thead th[data-group]').evaluateAll((ths) => ths.map((th) => th.dataset.group));
  assert(JSON.stringify(columns.filter((g) => g !== 'total').sort()) === JSON.stringify([...new Set(typed.data.map((r) => r.group))].sort()) && columns.includes('total'), `a column per type and a total (${columns})`);
  const totals = await page.locator('#measures-months .months-table tbody tr').evaluateAll((rows) => rows.map((r) => [r.dataset.month, Number(r.querySelector('td[data-group="total"]').textContent)]));
  for (const [month, n] of totals) {
    const want = typed.data.filter((r) => (r.month ?? 'undated') === month).reduce((a, r) => a + r.count, 0);
    assert(n === want, `${month}: total ${n}, the API's ${want}`);
  }
  assert(await page.evaluate(() => document.activeElement?.id === 'ms-by'), 'the keyboard focus stays on the split');
  // Reloading the URL keeps the split.
  await page.reload();
  await page.locator('#measures-months [data-by="type"]').waitFor();
  assert(await page.getByLabel('Split by').inputValue() === 'type', 'the select shows the split');
  // The CSV link: the same call with format=csv, a row per row of the JSON.
  const href = await page.locator('#measures-months a.counts-csv-link').getAttribute('href');
  const q = new URL(href, BASE);
  assert(q.pathname.endsWith('/v1/measures/counts') && q.searchParams.get('format') === 'csv' && q.searchParams.get('imposer') === '中国' && q.searchParams.get('by') === 'type', `the CSV link carries the filter, the split and format=csv (${href})`);
  const csv = await csvOf(page, href);
  assert(csv.status === 200 && csv.type.startsWith('text/csv'), `the CSV answers text/csv (${csv.status} ${csv.type})`);
  assert(csv.data.length === typed.data.length, `a CSV row per count (${csv.data.length} vs ${typed.data.length})`);
  const countAt = csv.header.indexOf('count');
  assert(countAt >= 0 && csv.data.reduce((n, r) => n + Number(r[countAt]), 0) === typed.total, 'the CSV counts add up to the total');
});

/** A side's measures over every month of a /v1/measures/counts?by=imposer|target answer, by id. */
function sideTotals(answer) {
  const totals = {};
  for (const r of answer.data) totals[r.group] = (totals[r.group] || 0) + r.count;
  return totals;
}

/** The shaded countries of the map, "id|count|href", sorted. */
const shadedCountries = (page) => page.locator('#countries-map a.map-link').evaluateAll((links) => links
  .map((a) => `${a.dataset.country}|${a.dataset.count}|${a.getAttribute('href')}`).sort());

/** The list beside the map, "id|count|href" (href empty when the row has no link), sorted. */
const listedCountries = (page) => page.locator('#measures-countries .countries-table tbody tr').evaluateAll((rows) => rows
  .map((r) => `${r.dataset.country}|${Number(r.querySelector('td.num').textContent)}|${r.querySelector('a')?.getAttribute('href') ?? ''}`).sort());

const countryLink = (id) => `?view=country&id=${id}`;

check('measures-chart-map', async (page) => {
  // The chart: a bar per dated month and type, whose numbers are the API's counts for the filter.
  await page.goto(url('?view=measures&imposer=中国&by=type'));
  await page.locator('#months-chart rect[data-count]').first().waitFor();
  const typed = await apiAnswer(page, 'v1/measures/counts?imposer=中国&by=type');
  const bars = await page.locator('#months-chart rect[data-count]').evaluateAll((rects) => rects.map((r) => ({
    key: `${r.dataset.month}|${r.dataset.group}|${r.dataset.count}`, title: r.querySelector('title')?.textContent || '', count: r.dataset.count,
  })));
  const expected = typed.data.filter((r) => r.month && r.count).map((r) => `${r.month}|${r.group}|${r.count}`).sort();
  assert(JSON.stringify(bars.map((b) => b.key).sort()) === JSON.stringify(expected), `the bars are the API's dated counts (${bars.map((b) => b.key)} vs ${expected})`);
  assert(bars.every((b) => b.title.endsWith(`: ${b.count} ${b.count === '1' ? 'measure' : 'measures'}`)), 'each bar says its count');
  assertCountsShown(await shownCounts(page), typed); // the table beside the chart holds the same numbers
  assert(await page.locator('#months-chart svg[aria-label]').count() > 0, 'the chart has an accessible name');
  assert(await page.locator('#main style').count() === 0, 'no <style> element of Plot reached the page');
  await scrollTo(page, '#measures-months');
  await shot(page, 'measures-chart');

  // The map, measures imposed (the default): the shaded countries and their counts are the API's
  // per-country counts over the whole filter, each a link to its jurisdiction page.
  await page.goto(url('?view=measures'));
  await page.locator('#countries-map a.map-link').first().waitFor();
  const imposed = sideTotals(await apiAnswer(page, 'v1/measures/counts?by=imposer'));
  const imposers = Object.entries(imposed).filter(([id]) => id.startsWith('country:'));
  assert(imposers.length >= 2, `the seeds have measures of several imposing countries (${JSON.stringify(imposed)})`);
  const want = (entries) => entries.map(([id, n]) => `${id}|${n}|${countryLink(id)}`).sort();
  assert(JSON.stringify(await shadedCountries(page)) === JSON.stringify(want(imposers)), `the shaded countries are the API's imposers (${await shadedCountries(page)})`);
  assert(JSON.stringify(await listedCountries(page)) === JSON.stringify(want(Object.entries(imposed))), 'the list beside the map gives the same numbers and links');
  const call = new URL(await page.locator('#measures-countries .countries-api-link').getAttribute('href'), BASE);
  assert(call.searchParams.get('by') === 'imposer', `the map counts by imposer (${call})`);
  const china = page.locator('#countries-map a.map-link[data-country="country:CN"]');
  assert((await china.getAttribute('aria-label')) === `China: ${imposed['country:CN']} measures imposed`, `a shaded country has an accessible name with its count (${await china.getAttribute('aria-label')})`);

  // Received, by keyboard: map=target in the URL, the focus kept, the API's targets shaded, with the filter.
  await page.goto(url('?view=measures&imposer=美国'));
  await page.locator('#countries-map a.map-link').first().waitFor();
  const side = page.getByLabel('Count measures');
  await side.focus();
  await side.selectOption('target');
  await page.waitForURL((u) => new URL(u).searchParams.get('map') === 'target' && new URL(u).searchParams.get('imposer') === '美国');
  await page.locator('#measures-countries [data-side="target"]').waitFor();
  await page.locator('#countries-map a.map-link').first().waitFor();
  assert(await page.evaluate(() => document.activeElement?.id === 'ms-map'), 'the keyboard focus stays on the map\'s select');
  const received = sideTotals(await apiAnswer(page, 'v1/measures/counts?imposer=美国&by=target'));
  const targets = Object.entries(received).filter(([id]) => id.startsWith('country:'));
  assert(targets.length >= 1 && !received['country:US'], `the US's measures target others (${JSON.stringify(received)})`);
  assert(JSON.stringify(await shadedCountries(page)) === JSON.stringify(want(targets)), `the shaded countries are the API's targets (${await shadedCountries(page)})`);
  assert(JSON.stringify(await listedCountries(page)) === JSON.stringify(want(Object.entries(received))), 'the list gives the targets\' numbers');
  const listed = Number(await page.locator('.summary[data-count]').getAttribute('data-count'));
  assert(Number(await page.locator('#measures-countries [data-side]').getAttribute('data-total')) === listed, 'the map counts every measure of the filter');
  const csv = new URL(await page.locator('#measures-countries a.countries-csv-link').getAttribute('href'), BASE);
  assert(csv.searchParams.get('format') === 'csv' && csv.searchParams.get('by') === 'target' && csv.searchParams.get('imposer') === '美国', `the map's CSV link carries the filter, the side and format=csv (${csv})`);
  await scrollTo(page, '#measures-countries');
  await shot(page, 'measures-map');

  // A shaded country is reached by Tab after the panel's links, and Enter opens its page.
  await page.locator('#measures-countries .countries-api-link').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement?.closest('a.map-link')?.dataset.country || null);
  assert(focused && received[focused], `Tab reaches a shaded country (focused: ${focused})`);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => new URL(u).searchParams.get('view') === 'country' && new URL(u).searchParams.get('id') === focused);
});

check('csv-links', async (page) => {
  // The measures page: the CSV link is the same call with format=csv, and as many rows as the JSON.
  await page.goto(url('?view=measures&imposer=中国&type=export_control'));
  await page.locator('.measures-list tbody tr').first().waitFor();
  const link = page.locator('a.csv-link');
  const href = await link.getAttribute('href');
  const q = new URL(href, BASE);
  assert(q.pathname.endsWith('/v1/measures') && q.searchParams.get('format') === 'csv', `the CSV link asks the list endpoint for CSV (${href})`);
  assert(q.searchParams.get('imposer') === '中国' && q.searchParams.get('type') === 'export_control', `the CSV link carries the filters (${href})`);
  assert((await link.getAttribute('download') || '').endsWith('.csv'), 'the link downloads a .csv file');
  const json = await apiAnswer(page, await page.locator('.api-link').first().getAttribute('href'));
  const csv = await csvOf(page, href);
  assert(csv.status === 200 && csv.type.startsWith('text/csv'), `the CSV link answers text/csv (${csv.status} ${csv.type})`);
  const idAt = csv.header.indexOf('entity.id');
  assert(csv.data.length === json.data.length, `as many CSV rows as JSON items (${csv.data.length} vs ${json.data.length})`);
  assert(JSON.stringify(csv.data.map((r) => r[idAt])) === JSON.stringify(json.data.map((m) => m.entity.id)), 'the same measures in the same order');
  // The escalation and dependents tables have one too, with their own view's arguments.
  for (const [query, ready, endpoint, keys] of [
    ['?view=escalation&a=美国&b=中国', '.measures-table', '/v1/escalation', { a: '美国', b: '中国' }],
    ['?view=dependents&commodity=稀土&origin=中国', '.dependents-table', '/v1/dependents', { commodity: '稀土', origin: '中国' }],
  ]) {
    await page.goto(url(query));
    await page.locator(ready).waitFor();
    const other = await page.locator('a.csv-link').getAttribute('href');
    const u = new URL(other, BASE);
    assert(u.pathname.endsWith(endpoint) && u.searchParams.get('format') === 'csv', `${query}: the CSV link calls ${endpoint} with format=csv (${other})`);
    for (const [k, v] of Object.entries(keys)) assert(u.searchParams.get(k) === v, `${query}: the CSV link carries ${k}=${v} (${other})`);
    u.searchParams.delete('format');
    const answer = await apiAnswer(page, u.href);
    const rows = await csvOf(page, other);
    assert(rows.type.startsWith('text/csv') && rows.data.length === answer.data.length, `${query}: the CSV has a row per item (${rows.data.length} vs ${answer.data.length})`);
  }
});


// --- Jurisdiction pages (#22): a country's or a bloc's profile, CSV made in the page -------------

/** Press a "Download CSV" button made in the page (views/shared.mjs csvDownload) and read the file
 * the browser saved: its name and rows. */
async function downloaded(page, button, { keyboard = false } = {}) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    keyboard ? button.focus().then(() => page.keyboard.press('Enter')) : button.click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  return { name: download.suggestedFilename(), text, ...csvRows(text) };
}

/** A year-by-type table of the country page as "year|type|count" for every cell that is not 0. */
const yearTypeCells = (page, key) => page.locator(`#country-${key} tbody tr`).evaluateAll((rows) => rows.flatMap((r) => [...r.querySelectorAll('td')]
  .filter((td) => td.dataset.type !== 'total' && Number(td.textContent) !== 0)
  .map((td) => `${r.dataset.year}|${td.dataset.type}|${Number(td.textContent)}`)).sort());
const profileCells = (counts) => counts.map((c) => `${c.year ?? 'undated'}|${c.measure_type}|${c.count}`).sort();

/** The page's tables are the profile answer: counts both ways, counterparts, leverage, dependencies. */
async function assertProfileShown(page, answer) {
  for (const key of ['imposed', 'received']) {
    const total = answer[`${key}_total`];
    if (!answer[key].length) continue;
    const cells = await yearTypeCells(page, key);
    assert(JSON.stringify(cells) === JSON.stringify(profileCells(answer[key])), `${key}: the cells are the API's (${cells} vs ${profileCells(answer[key])})`);
    const sum = cells.reduce((n, c) => n + Number(c.split('|')[2]), 0);
    assert(sum === total, `${key}: the cells add up to the API's total (${sum} vs ${total})`);
  }
  const summary = page.locator('.country-card .summary');
  assert(Number(await summary.getAttribute('data-imposed')) === answer.imposed_total && Number(await summary.getAttribute('data-received')) === answer.received_total, 'the summary gives the API\u2019s totals');
  const counterparts = await page.locator('#country-counterparts tbody tr').evaluateAll((rows) => rows.map((r) => `${r.dataset.id}|${r.querySelector('[data-count="imposed_on"]').textContent}|${r.querySelector('[data-count="received_from"]').textContent}`));
  const expected = answer.counterparts.map((c) => `${c.entity.id}|${c.imposed_on}|${c.received_from}`);
  assert(JSON.stringify(counterparts) === JSON.stringify(expected), `the counterparts are the API's, in its order (${counterparts} vs ${expected})`);
  const links = await page.locator('#country-counterparts a.counterpart-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert(JSON.stringify(links) === JSON.stringify(answer.counterparts.map((c) => `?view=country&id=${c.entity.id}`)), `each counterpart links to its own page (${links})`);
  const leverage = await page.locator('#country-leverage tbody tr').evaluateAll((rows) => rows.map((r) => `${r.dataset.dependent}|${r.dataset.on}|${r.dataset.exposure}`));
  const levExpected = (answer.leverage?.data || []).map((d) => `${d.dependent.id}|${d.on.id}|${d.exposure ?? ''}`);
  assert(JSON.stringify(leverage) === JSON.stringify(levExpected), `the leverage rows are the API's (${leverage} vs ${levExpected})`);
  const deps = await page.locator('#country-dependencies .dependencies-table tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
  assert(JSON.stringify(deps) === JSON.stringify(answer.dependencies.data.map((d) => d.entity.id)), `the dependencies are the API's (${deps})`);
}

check('country', async (page) => {
  // Opened by URL with a Chinese name: the page asks the profile endpoint and shows its answer.
  await page.goto(url('?view=country&id=中国'));
  await page.locator('#country-counterparts table').waitFor();
  const api = await page.locator('.api-link').first().getAttribute('href');
  assert(new URL(api, BASE).pathname.endsWith('/v1/countries/%E4%B8%AD%E5%9B%BD/profile'), `the API call is the profile (${api})`);
  const china = await apiAnswer(page, api);
  assert(china.entity.id === 'country:CN' && china.imposed_total > 0 && china.received_total > 0, 'the seed graph has China imposing and receiving measures');
  await assertProfileShown(page, china);
  // Goods others rely on lead to what depends on them from China; the dependents lead to their own views.
  const onLinks = await page.locator('#country-leverage a.on-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const [i, d] of china.leverage.data.entries()) {
    const want = d.on.type === 'Commodity' || d.on.type === 'Product' ? `?view=dependents&commodity=${d.on.id}&origin=country:CN` : d.on.type === 'Country' ? `?view=country&id=${d.on.id}` : `?view=entity&id=${d.on.id}`;
    assert(onLinks[i] === want, `leverage row ${i}: ${onLinks[i]} vs ${want}`);
  }
  // The measures it imposed: the Measures view filtered to it as imposer lists as many as the profile counts.
  const imposedLink = page.locator('.country-card a[data-link="imposed"]');
  assert(await imposedLink.getAttribute('href') === '?view=measures&imposer=country:CN', 'a link to the measures it imposed');
  assert(await page.locator('.country-card a[data-link="received"]').getAttribute('href') === '?view=measures&target=country:CN', 'and to those aimed at it');

  // Download CSV (made in the page): the file is the table, cell for cell.
  const imposed = await downloaded(page, page.locator('#country-imposed button.csv-download'));
  assert(imposed.name.endsWith('.csv') && imposed.name.startsWith('country-imposed-country_CN'), `a .csv file named after the table (${imposed.name})`);
  const types = await page.locator('#country-imposed thead th[data-type]').evaluateAll((ths) => ths.map((th) => th.dataset.type));
  assert(JSON.stringify(imposed.header) === JSON.stringify(['year', ...types]), `the CSV header is the table's columns (${imposed.header})`);
  const shownRows = await page.locator('#country-imposed tbody tr').evaluateAll((rows) => rows.map((r) => [r.dataset.year === 'undated' ? '' : r.dataset.year, ...[...r.querySelectorAll('td')].map((td) => td.textContent)]));
  assert(JSON.stringify(imposed.data) === JSON.stringify(shownRows), `the CSV rows are the table's (${JSON.stringify(imposed.data)} vs ${JSON.stringify(shownRows)})`);
  // By keyboard too: Enter on the counterparts' button, which Tab reaches from the heading.
  const button = page.locator('#country-counterparts button.csv-download');
  await page.locator('h1').focus();
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await button.evaluate((b) => b === document.activeElement);
  }
  assert(reached, 'Tab reaches the counterparts\u2019 Download CSV button');
  const counterparts = await downloaded(page, button, { keyboard: true });
  assert(JSON.stringify(counterparts.header) === JSON.stringify(['entity.id', 'entity.name', 'entity.type', 'imposed_on', 'received_from']), `the counterparts' CSV header (${counterparts.header})`);
  assert(JSON.stringify(counterparts.data) === JSON.stringify(china.counterparts.map((c) => [c.entity.id, c.entity.names?.en || c.entity.name, c.entity.type, String(c.imposed_on), String(c.received_from)])), `the counterparts' CSV rows are the API's (${JSON.stringify(counterparts.data)})`);
  const leverage = await downloaded(page, page.locator('#country-leverage button.csv-download'));
  assert(JSON.stringify(leverage.data.map((r) => `${r[0]}|${r[3]}|${r[6]}`)) === JSON.stringify(china.leverage.data.map((d) => `${d.dependent.id}|${d.on.id}|${d.exposure ?? ''}`)), 'the leverage CSV has the rows shown');
  await page.locator('h1').focus();
  await scrollTo(page, '.country-card');
  await shot(page, 'country');

  // A counterpart opens its own page, which is that country's profile.
  const other = china.counterparts[0].entity.id;
  await page.locator(`#country-counterparts tr[data-id="${other}"] a.counterpart-link`).click();
  await page.waitForURL(new RegExp(`view=country&id=${other}`));
  await page.locator(`.country-card[data-id="${other}"]`).waitFor();
  await page.locator('#country-counterparts table').waitFor();
  await assertProfileShown(page, await apiAnswer(page, `v1/countries/${other}/profile`));
  // And the measures link: the Measures view filtered to China as imposer counts what the profile counts.
  await page.goBack();
  await page.locator('.country-card[data-id="country:CN"]').waitFor();
  await imposedLink.click();
  await page.waitForURL(/view=measures&imposer=country:CN/);
  await page.locator('.summary[data-count]').waitFor();
  assert(Number(await page.locator('.summary[data-count]').getAttribute('data-count')) === china.imposed_total, 'the Measures view lists the measures the profile counts');

  // A bloc: the G7 alone imposes nothing here; with its member states counted in (the switch, by
  // keyboard), the counts are the API's members=true answer, and the URL says so.
  await page.goto(url('?view=country&id=org:g7'));
  await page.locator('.country-card[data-members="false"]').waitFor();
  const alone = await apiAnswer(page, 'v1/countries/org:g7/profile');
  const all = await apiAnswer(page, 'v1/countries/org:g7/profile?members=true');
  assert(all.imposed_total !== alone.imposed_total && all.members.length > 0, `counting the members in changes the counts (${alone.imposed_total} → ${all.imposed_total})`);
  await assertProfileShown(page, alone);
  const box = page.getByLabel('Count a bloc’s member states in');
  await box.focus();
  await page.keyboard.press('Space');
  await page.waitForURL((u) => new URL(u).searchParams.get('members') === 'true' && new URL(u).searchParams.get('id') === 'org:g7');
  await page.locator('.country-card[data-members="true"]').waitFor();
  await page.locator('#country-imposed table').waitFor();
  assert(await page.evaluate(() => document.activeElement?.id === 'country-members'), 'the keyboard focus stays on the switch');
  const call = new URL(await page.locator('.api-link').first().getAttribute('href'), BASE);
  assert(call.searchParams.get('members') === 'true', `the call counts the members in (${call})`);
  await assertProfileShown(page, all);
  const members = await page.locator('.country-members a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert(JSON.stringify(members) === JSON.stringify(all.members.map((m) => `?view=country&id=${m.id}`)), `the members counted are listed, each linking to its page (${members})`);
  // A reload keeps it; the switch back drops it.
  await page.reload();
  await page.locator('.country-card[data-members="true"]').waitFor();
  assert(await page.getByLabel('Count a bloc’s member states in').isChecked(), 'the switch shows the state');
  await page.getByLabel('Count a bloc’s member states in').uncheck();
  await page.waitForURL((u) => new URL(u).searchParams.get('members') === null);
  await page.locator('.country-card[data-members="false"]').waitFor();
});

check('measures-as-of', async (page) => {
  // The measures as they stood on 2025-10-15: the badge, the list, the month counts and the map all
  // ask for that day, and the rows are the dated answer, without the measures that came later.
  await page.goto(url('?view=measures&as_of=2025-10-15'));
  await page.locator('.as-of-badge[data-as-of="2025-10-15"]').waitFor();
  await page.locator('.measures-list tbody tr').first().waitFor();
  await page.locator('#measures-months .months-table').first().waitFor();
  await page.locator('#measures-countries a.map-link').first().waitFor();
  const calls = await page.locator('.api-link, .counts-api-link, .countries-api-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const api = calls.map((c) => new URL(c, BASE));
  assert(api.some((u) => u.pathname.endsWith('/v1/measures')) && api.some((u) => u.pathname.endsWith('/v1/measures/counts')), `the list and the counts are called (${calls})`);
  assert(api.every((u) => u.searchParams.get('as_of') === '2025-10-15'), `every call carries the day (${calls})`);
  const dated = await apiAnswer(page, calls.find((c) => new URL(c, BASE).pathname.endsWith('/v1/measures')));
  const today = await apiAnswer(page, 'v1/measures');
  assert(dated.count > 0 && dated.count < today.count, `fewer measures on 2025-10-15 (${dated.count} vs ${today.count})`);
  assert(JSON.stringify(await shownMeasures(page)) === JSON.stringify(dated.data.map((m) => m.entity.id)), 'the rows are the dated answer');
  const rowLink = await page.locator('.measures-list tbody tr th a').first().getAttribute('href');
  assert(new URL(rowLink, BASE).searchParams.get('as_of') === '2025-10-15', `a row opens the measure on that day (${rowLink})`);
});

check('country-as-of', async (page) => {
  // A dated jurisdiction page: the badge says the day, the profile call carries it and the tables
  // are the dated answer, which differs from today's (the 155% tariff threat came later).
  await page.goto(url('?view=country&id=中国&as_of=2025-10-15'));
  await page.locator('.as-of-badge[data-as-of="2025-10-15"]').waitFor();
  await page.locator('#country-counterparts table').waitFor();
  const api = await page.locator('.api-link').first().getAttribute('href');
  assert(new URL(api, BASE).searchParams.get('as_of') === '2025-10-15', `the profile call carries the day (${api})`);
  const dated = await apiAnswer(page, api);
  const today = await apiAnswer(page, 'v1/countries/country:CN/profile');
  assert(dated.received_total < today.received_total, `fewer measures aimed at China on 2025-10-15 (${dated.received_total} vs ${today.received_total})`);
  await assertProfileShown(page, dated);
  assert(await page.locator('#country-as-of').inputValue() === '2025-10-15', 'the form shows the day');
  // Show today drops the day.
  await page.locator('.as-of-badge a').click();
  await page.waitForURL((u) => new URL(u).searchParams.get('as_of') === null && new URL(u).searchParams.get('view') === 'country');
  await page.locator('#country-counterparts table').waitFor();
  await assertProfileShown(page, today);
});

check('country-links', async (page) => {
  // The entity page of a country or a bloc links to its jurisdiction page; a firm's does not.
  for (const [query, id] of [['?view=entity&id=中方', 'country:CN'], ['?view=entity&id=G7', 'org:g7'], ['?view=entity&id=Boeing', null]]) {
    await page.goto(url(query));
    await page.locator('.neighbour-list').first().waitFor();
    const link = page.locator('.entity-card a[data-link="country"]');
    if (id) assert(await link.getAttribute('href') === `?view=country&id=${id}`, `${query}: a Jurisdiction page link`);
    else assert(await link.count() === 0, `${query}: no Jurisdiction page link`);
  }
  // The measures list: every country among the imposers and targets links to its page.
  await page.goto(url('?view=measures&imposer=中国'));
  await page.locator('.measures-list tbody tr').first().waitFor();
  const answer = await apiAnswer(page, await page.locator('.api-link').first().getAttribute('href'));
  const shown = await page.locator('.measures-list tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('a.actor-link')].map((a) => a.getAttribute('href')).join(' ')));
  const want = answer.data.map((m) => [...m.imposers, ...m.targets].filter((e) => e.type === 'Country').map((e) => `?view=country&id=${e.id}`).join(' '));
  assert(JSON.stringify(shown) === JSON.stringify(want), `imposers and targets link to their country pages (${JSON.stringify(shown)} vs ${JSON.stringify(want)})`);
  // A click on one opens it, not the measure.
  await page.locator('.measures-list a.actor-link').first().click();
  await page.waitForURL(/view=country&id=country:/);
  await page.locator('.country-card').waitFor();
  // The measure view: its imposers and targets, where countries, lead to their pages.
  await page.goto(url(`?view=measure&id=${RARE_EARTHS}`));
  await page.locator('#measure-name').waitFor();
  const impact = await apiAnswer(page, await page.locator('.api-link').first().getAttribute('href'));
  const facts = await page.locator('.measure-card a[href^="?view=country"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const countries = [...impact.measure.imposers, ...impact.measure.targets].filter((e) => e.type === 'Country').map((e) => `?view=country&id=${e.id}`);
  assert(countries.length && JSON.stringify(facts) === JSON.stringify(countries), `the measure's countries link to their pages (${facts} vs ${countries})`);
});

check('country-unknown', async (page) => {
  // A name nothing is called (404) and an entity that is no jurisdiction (422): a clear message each.
  await page.goto(url('?view=country&id=Narnia'));
  let alert = page.getByRole('alert');
  await alert.waitFor();
  let text = await alert.textContent();
  assert(text.includes('Narnia') && /Nothing in the graph is called/.test(text), `a clear message for an unknown id: ${text}`);
  assert(await page.getByRole('heading', { level: 1 }).count() === 1 && await page.getByRole('combobox', { name: 'Country or bloc' }).count() === 1, 'the page keeps its heading and form');
  await page.goto(url('?view=country&id=commodity:rare-earths'));
  alert = page.getByRole('alert');
  await alert.waitFor();
  text = await alert.textContent();
  assert(/expected Country or Organization/.test(text), `a clear message for an entity that is no country or bloc: ${text}`);
}, { expectErrors: [/status of 404/, /status of 422/] });

check('csv-downloads', async (page) => {
  // The measure's dependents (its impact answer, no list endpoint): CSV made in the page, a row per row.
  await page.goto(url(`?view=measure&id=${RARE_EARTHS}`));
  await page.locator('.impact-hits .dependents-table').waitFor();
  for (const part of ['hits', 'elsewhere']) {
    if (!await page.locator(`.impact-${part}`).count()) continue;
    const ids = await page.locator(`.impact-${part} tbody.dependent`).evaluateAll((rows) => rows.map((r) => r.dataset.id));
    const csv = await downloaded(page, page.locator(`.impact-${part} button.csv-download`));
    assert(csv.header[0] === 'entity.id' && JSON.stringify(csv.data.map((r) => r[0])) === JSON.stringify(ids), `${part}: the CSV rows are the table's (${csv.data.map((r) => r[0])} vs ${ids})`);
  }
  // The entity's relations: a row per relation listed, in the list's order.
  await page.goto(url('?view=entity&id=中方'));
  await page.locator('.neighbour-list').first().waitFor();
  const listed = await page.locator('.neighbour-list > li > a').evaluateAll((as) => as.map((a) => new URLSearchParams(a.getAttribute('href')).get('id')));
  const relations = await downloaded(page, page.locator('.panel-table button.csv-download'));
  assert(relations.header.join(',') === 'direction,type,entity.id,entity.name,entity.type,share,origin', `the relations' header (${relations.header})`);
  assert(JSON.stringify(relations.data.map((r) => r[2])) === JSON.stringify(listed), `the relations' CSV is the list (${relations.data.length} rows, ${listed.length} listed)`);
  assert(relations.data.some((r) => r[3] === 'United States'), 'names are written out');
  // The list of measures of the measure view is /v1/measures: its link is that call with format=csv.
  await page.goto(url('?view=measure'));
  await page.locator('#all-measures').waitFor();
  const href = await page.locator('a.csv-link').getAttribute('href');
  const q = new URL(href, BASE);
  assert(q.pathname.endsWith('/v1/measures') && q.searchParams.get('format') === 'csv' && q.searchParams.get('limit') === '200', `the list's CSV link (${href})`);
  const rows = await csvOf(page, href);
  const shown = await page.locator('section[aria-labelledby="all-measures"] tbody tr').count();
  assert(rows.type.startsWith('text/csv') && rows.data.length === shown, `a CSV row per measure listed (${rows.data.length} vs ${shown})`);
});


/** axe-core's serious and critical violations on one page of the explorer, once `ready` shows. */
async function seriousProblems(page, axe, query, ready) {
  await page.goto(url(query));
  await page.locator(ready).first().waitFor();
  await page.addScriptTag({ content: axe });
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${query}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
}

check('accessibility', async (page) => {
  const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const problems = [];
  for (const [query, ready] of [
    ['./', '.recent-list'],
    ['?view=dependents&commodity=稀土&origin=中国', '.dependents-table'],
    ['?view=escalation&a=美国&b=中国', 'svg.timeline'],
    ['?view=escalation&a=美国&b=中国&limit=4&offset=4', 'nav.pager'],
    ['?view=escalation&a=美国&b=中国&as_of=2025-10-24', 'svg.timeline g.life-segment'],
    ['?view=measure&as_of=2025-10-15', '.as-of-badge'],
    ['?view=measure&id=measure:cn-2025-10-09-rare-earth-export-controls', '.dependents-table'],
    ['?view=entity&id=中方', '.neighbour-list'],
    ['?view=measures&imposer=中国', '#measures-months .months-table'],
    ['?view=measures&limit=2&offset=2', '#measures-months .months-table'],
    ['?view=measures&imposer=中国&by=type', '#measures-months [data-by="type"]'],
    ['?view=measures&by=imposer', '#months-chart rect[data-count]'],
    ['?view=measures&map=target', '#countries-map a.map-link'],
    ['?view=measures&mast=P&q=export&sort=-rate', '#measures-months .months-table'],
    ['?view=country&id=中国', '#country-leverage table'],
    ['?view=country&id=org:g7&members=true', '.country-members'],
  ]) {
    problems.push(...await seriousProblems(page, axe, query, ready));
  }
  assert(!problems.length, `axe-core found serious problems:\n${problems.join('\n')}`);
}, { bypassCSP: true, record: false });

// --- Review (#21): the review page, and measures whose sources disagree --------------------------

const HUAWEI = 'firm:huawei';
const HUAWEI_TECH = 'firm:huawei-technologies';
const DOUBTFUL = 'firm:boeing|SUPPLIES|commodity:aircraft-parts|';
const DECISIONS = (u) => new URL(u).pathname.endsWith('/v1/review/decisions');

/** An API answer to the test itself (Node's fetch, not the page: not one of the page's requests). */
async function apiGet(path, init = {}) {
  const response = await fetch(url(path), { redirect: 'manual', ...init });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, location: response.headers.get('location'), text, json };
}

const review = async () => (await apiGet('v1/review')).json;
const decisionOf = (queue, kind, subject) => queue.decisions.find((d) => d.decision.kind === kind && d.decision.subject === subject);

/** The pairs the page lists, as "a|b", in its order. */
const pairsShown = (page) => page.locator('.review-pair').evaluateAll((items) => items.map((li) => `${li.dataset.a}|${li.dataset.b}`));

check('review-off', async (page) => {
  // This server has no API token: /explorer/config says so, the nav offers no review page, and
  // the review URL says why instead of drawing buttons that could only fail.
  const config = await apiGet('explorer/config');
  assert(config.json.writes_enabled === false, `no token, no writes (${config.text})`);
  const calls = apiCalls(page);
  await page.goto(url('./'));
  await page.locator('#backend-badge[data-backend]').waitFor(); // the page has read its config
  assert(await page.locator('.views-nav a').count() === 6, 'six views in the nav');
  assert(await page.locator('.views-nav a[data-view="review"]').count() === 0, 'no review link without a token');
  await page.goto(url('?view=review'));
  await page.locator('[data-review="disabled"]').waitFor();
  assert(await page.locator('#review-token').count() === 0, 'no token field');
  assert(!calls.some((u) => u.pathname.endsWith('/v1/review')), 'the queue was not asked for');
});

check('review-offered', async (page) => {
  // The server says writes are enabled, and only that: its answer holds no trace of the token.
  const config = await apiGet('explorer/config');
  assert(config.json.writes_enabled === true, `writes are enabled (${config.text})`);
  assert(REVIEW_TOKEN.length > 8 && !config.text.includes(REVIEW_TOKEN), '/explorer/config does not give the token away');
  await page.goto(url('./'));
  const link = page.locator('.views-nav a[data-view="review"]');
  await link.waitFor();
  await link.click();
  await page.waitForURL(/\?view=review$/);
  await page.locator('.review-pair').first().waitFor();
  assert(await link.getAttribute('aria-current') === 'page', 'the nav marks the review page as current');
  // The page lists the queue the API gives, in its order.
  const queue = await review();
  assert(queue.candidates.some((c) => c.a.id === HUAWEI && c.b.id === HUAWEI_TECH), 'the API proposes the Huawei pair');
  const wanted = queue.candidates.map((c) => `${c.a.id}|${c.b.id}`);
  assert(JSON.stringify(await pairsShown(page)) === JSON.stringify(wanted), `the pairs are the API's (${wanted})`);
  const facts = await page.locator('.review-fact').evaluateAll((items) => items.map((li) => li.dataset.subject));
  assert(JSON.stringify(facts) === JSON.stringify(queue.low_confidence.map((f) => f.subject)), `the doubtful facts are the API's (${facts})`);
}, { suite: 'review' });

check('review-pair', async (page) => {
  // Side by side: each entity's names in each language and the quotes of its own evidence, as
  // /v1/entities/{id} has them; the score and reasons the queue gives.
  await page.goto(url('?view=review'));
  const pair = page.locator(`.review-pair[data-a="${HUAWEI}"][data-b="${HUAWEI_TECH}"]`);
  await pair.waitFor();
  const candidate = (await review()).candidates.find((c) => c.a.id === HUAWEI && c.b.id === HUAWEI_TECH);
  assert(Number(await pair.locator('.pair-score').getAttribute('data-score')) === candidate.score, 'the score is the API\'s');
  const signals = await pair.locator('.pair-reasons li').evaluateAll((lis) => lis.map((li) => li.dataset.signal));
  assert(JSON.stringify(signals) === JSON.stringify(candidate.reasons.map((r) => r.signal)), `the reasons are the API's (${signals})`);
  for (const [id, side] of [[HUAWEI, 'a'], [HUAWEI_TECH, 'b']]) {
    const card = pair.locator(`.review-card[data-id="${id}"]`);
    await card.locator('.review-quotes blockquote').first().waitFor();
    assert(await card.getAttribute('data-side') === side, `${id} is side ${side}`);
    const { entity } = (await apiGet(`v1/entities/${id}`)).json;
    const seen = new Set();
    const quotes = entity.evidence.filter((e) => !seen.has(`${e.document_id}|${e.start}|${e.end}`) && seen.add(`${e.document_id}|${e.start}|${e.end}`)).slice(0, 4).map((e) => e.quote);
    const shown = await card.locator('.review-quotes blockquote').allTextContents();
    assert(quotes.length > 0 && JSON.stringify(shown) === JSON.stringify(quotes), `${id}: the quotes of its evidence (${shown})`);
    const names = await card.locator('.card-names li').evaluateAll((lis) => lis.map((li) => `${li.dataset.lang}=${li.querySelector('[lang]').textContent}`).sort());
    const wanted = Object.entries(entity.names).map(([lang, text]) => `${lang}=${text}`).sort();
    assert(JSON.stringify(names) === JSON.stringify(wanted), `${id}: every name, with its language (${names})`);
  }
  for (const action of ['merge-b-into-a', 'merge-a-into-b', 'distinct']) {
    assert(await pair.locator(`button[data-decide="${action}"]`).count() === 1, `a ${action} button`);
  }
}, { suite: 'review' });

check('review-decide', async (page) => {
  const posts = [];
  page.on('request', async (request) => {
    if (request.method() === 'POST' && DECISIONS(request.url())) posts.push({ auth: (await request.allHeaders()).authorization, body: request.postDataJSON() });
  });
  const urls = [];
  page.on('request', (request) => urls.push(request.url()));
  const before = await review();
  assert(before.decisions.length === 0, 'no decision yet on this server');
  await page.goto(url('?view=review'));
  const pair = page.locator(`.review-pair[data-a="${HUAWEI}"][data-b="${HUAWEI_TECH}"]`);
  const fact = page.locator(`.review-fact[data-subject="${DOUBTFUL}"]`);
  await pair.waitFor();
  await fact.waitFor();
  const posted = () => page.waitForResponse((r) => r.request().method() === 'POST' && DECISIONS(r.url()));

  // No token yet: the page says so and sends nothing.
  await pair.locator('button[data-decide="merge-b-into-a"]').click();
  await pair.locator('.decision-error [role="alert"]').waitFor();
  assert(posts.length === 0, 'nothing is sent without a token');

  // A wrong token: the API's 401, said beside the button; nothing recorded.
  await page.locator('#review-token').fill('not-the-token');
  await page.getByRole('button', { name: 'Use this token' }).click();
  await page.locator('#review-token-state[data-token="set"]').waitFor();
  let answer = posted();
  await fact.locator('button[data-decide="reject"]').click();
  assert((await answer).status() === 401, 'a wrong token is refused');
  await fact.locator('.decision-error [role="alert"][data-status="401"]').waitFor();
  assert((await review()).decisions.length === 0, 'nothing was recorded');

  // The right token, kept for the tab only.
  await page.locator('#review-token').fill(REVIEW_TOKEN);
  await page.getByRole('button', { name: 'Use this token' }).click();
  const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('tradegraph.review.token'), local: localStorage.length, field: document.querySelector('#review-token').value }));
  assert(stored.session === REVIEW_TOKEN && stored.local === 0 && stored.field === '', `the token is in sessionStorage only, the field emptied (${JSON.stringify({ ...stored, session: stored.session === REVIEW_TOKEN })})`);

  // A decision the API does not accept (the merge rewritten on its way to name a country): its
  // 422, said in the page; nothing recorded.
  await page.route((u) => DECISIONS(u.href), async (route) => {
    await route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), into: 'country:CN' }) });
  }, { times: 1 });
  answer = posted();
  await pair.locator('button[data-decide="merge-b-into-a"]').click();
  assert((await answer).status() === 422, 'the API refuses a merge of a firm into a country');
  await pair.locator('.decision-error [role="alert"][data-status="422"]').waitFor();
  assert((await review()).decisions.length === 0, 'nothing was recorded');

  // Reject the doubtful fact, with a reason of the reviewer's own.
  const reason = 'Test: the report only says it might happen';
  await fact.locator('.reason-input').fill(reason);
  answer = posted();
  await fact.locator('button[data-decide="reject"]').click();
  assert((await answer).status() === 201, 'the rejection is recorded');
  await fact.waitFor({ state: 'detached' });
  let queue = await review();
  const rejected = decisionOf(queue, 'reject', DOUBTFUL);
  assert(rejected?.in_force && rejected.decision.reason === reason, `the API has the rejection in force, with the reason (${JSON.stringify(queue.decisions)})`);
  assert(!queue.low_confidence.some((f) => f.subject === DOUBTFUL), 'the fact is gone from the queue');
  const row = page.locator(`.review-decision[data-id="${rejected.decision.id}"]`);
  assert(await row.getAttribute('data-in-force') === 'true', 'the page lists the rejection as standing');
  assert(await page.locator('.review-result').getAttribute('data-decision') === rejected.decision.id, 'the page says what it recorded');
  assert(await page.evaluate(() => document.activeElement?.classList.contains('review-result')), 'focus moves to the result');

  // Undo it: the fact is back.
  answer = posted();
  await row.locator('button[data-decide="undo"]').click();
  assert((await answer).status() === 201, 'the undo is recorded');
  await fact.waitFor();
  await page.locator(`.review-decision[data-id="${rejected.decision.id}"][data-in-force="false"]`).waitFor();
  queue = await review();
  assert(decisionOf(queue, 'reject', DOUBTFUL).in_force === false, 'the API has the rejection taken back');
  assert(decisionOf(queue, 'undo', rejected.decision.id)?.in_force, 'and the undo standing');
  assert(queue.low_confidence.some((f) => f.subject === DOUBTFUL), 'the fact is in the queue again');
  await page.locator(`.review-decision[data-kind="undo"][data-subject="${rejected.decision.id}"]`).waitFor();

  // The picture: the result line, then the pair side by side with its buttons.
  await pair.locator('.review-card[data-quotes]').nth(1).waitFor();
  await page.evaluate(() => document.activeElement?.blur());
  await scrollTo(page, '.api-box');
  await shot(page, 'review');

  // Same entity: merge B into A. The pair leaves the page and the queue; B's id now redirects.
  answer = posted();
  await pair.locator('button[data-decide="merge-b-into-a"]').click();
  assert((await answer).status() === 201, 'the merge is recorded');
  await pair.waitFor({ state: 'detached' });
  queue = await review();
  const merged = decisionOf(queue, 'merge', HUAWEI_TECH);
  assert(merged?.in_force && merged.decision.into === HUAWEI, `the API has ${HUAWEI_TECH} merged into ${HUAWEI} (${JSON.stringify(queue.decisions)})`);
  assert(!queue.candidates.some((c) => [c.a.id, c.b.id].includes(HUAWEI_TECH)), 'the pair is no longer proposed');
  assert(JSON.stringify(await pairsShown(page)) === JSON.stringify(queue.candidates.map((c) => `${c.a.id}|${c.b.id}`)), 'the page lists the queue as it is now');
  const moved = await apiGet(`v1/entities/${HUAWEI_TECH}`);
  assert(moved.status === 301 && moved.location?.endsWith(`/v1/entities/${HUAWEI}`), `the merged-away id answers 301 to the kept one (${moved.status} ${moved.location})`);
  await page.locator(`.review-decision[data-id="${merged.decision.id}"][data-in-force="true"] button[data-decide="undo"]`).waitFor();
  // The decisions table downloads as CSV made in the page: a row per decision shown, in its order.
  const shownDecisions = await page.locator('.review-decision').evaluateAll((rows) => rows.map((r) => `${r.dataset.id}|${r.dataset.kind}|${r.dataset.inForce}`));
  const decisionsCsv = await downloaded(page, page.locator('.review-decisions button.csv-download'));
  const at = (k) => decisionsCsv.header.indexOf(k);
  assert(JSON.stringify(decisionsCsv.data.map((r) => `${r[at('id')]}|${r[at('kind')]}|${r[at('in_force')]}`)) === JSON.stringify(shownDecisions), `the decisions' CSV is the table (${decisionsCsv.data.length} rows, ${shownDecisions.length} shown)`);
  assert(decisionsCsv.data.every((r) => r[at('by')] && r[at('reason')] !== undefined), 'with who decided and why');

  // What went over the wire: the token in the Authorization header of each decision, never in a URL.
  // (The second is the one rewritten on its way: which body the request event shows is Playwright's.)
  const bodies = posts.map((p, i) => `${p.body.kind} ${p.body.subject}${p.body.into && i !== 1 ? ' ' + p.body.into : ''}`);
  assert(JSON.stringify(bodies) === JSON.stringify([`reject ${DOUBTFUL}`, `merge ${HUAWEI_TECH}`, `reject ${DOUBTFUL}`, `undo ${rejected.decision.id}`, `merge ${HUAWEI_TECH} ${HUAWEI}`]), `the decisions posted (${bodies})`);
  assert(posts[0].auth === 'Bearer not-the-token' && posts.slice(1).every((p) => p.auth === `Bearer ${REVIEW_TOKEN}`), 'each carried the token the reviewer entered');
  assert(!urls.some((u) => u.includes(REVIEW_TOKEN) || u.includes('not-the-token')) && !page.url().includes(REVIEW_TOKEN), 'no URL holds the token');

  // The token stays for the tab (a reload) until forgotten.
  await page.reload();
  await page.locator('#review-token-state[data-token="set"]').waitFor();
  await page.getByRole('button', { name: 'Forget the token' }).click();
  await page.locator('#review-token-state[data-token="unset"]').waitFor();
  assert(await page.evaluate(() => sessionStorage.getItem('tradegraph.review.token')) === null, 'forgotten');
}, { suite: 'review', expectErrors: [/status of 401/, /status of 422/] });

/** The "sources disagree" notes under a locator, as data: field, stage, then each value with
 * whether it is the one shown and its quotes. */
const conflictsShown = (locator) => locator.locator('li.conflict').evaluateAll((items) => items.map((li) => ({
  field: li.dataset.field,
  stage: li.dataset.stage || null,
  values: [...li.querySelectorAll('li.conflict-value')].map((v) => ({
    value: v.dataset.value, chosen: v.dataset.chosen === 'true', quotes: [...v.querySelectorAll('.conflict-quote')].map((q) => q.textContent),
  })),
})));
const conflictsOf = (conflicts) => conflicts.map((c) => ({
  field: c.field,
  stage: c.stage,
  values: c.values.map((v) => ({ value: String(v.value), chosen: String(v.value) === String(c.chosen), quotes: v.evidence.map((e) => e.quote) })),
}));

check('review-conflicts', async (page) => {
  // The 155% tariff threat: the seed article says 155%, the review report 130%.
  const impact = (await apiGet(`v1/measures/${TARIFF}/impact`)).json;
  assert(impact.measure.conflict && impact.measure.conflicts.some((c) => c.field === 'rate' && c.values.length === 2), 'the API says the sources disagree on the rate');
  const wanted = JSON.stringify(conflictsOf(impact.measure.conflicts));
  await page.goto(url(`?view=measure&id=${TARIFF}`));
  const note = page.locator('.measure-card details.conflicts');
  await note.waitFor();
  assert(await note.getAttribute('open') !== null, 'open on the measure card');
  const card = JSON.stringify(await conflictsShown(note));
  assert(card === wanted, `the card lists each value with its quotes\n shown ${card}\n API   ${wanted}`);
  await note.locator('.conflict-quotes a[lang]').first().waitFor(); // the documents' titles came

  // The escalation table marks exactly the measures the API says are disputed.
  const escalation = (await apiGet('v1/escalation?a=US&b=CN')).json;
  await page.goto(url('?view=escalation&a=US&b=CN'));
  await page.locator('.measures-table tbody tr').first().waitFor();
  const marked = await page.locator('.measures-table tbody tr').evaluateAll((rows) => rows.map((r) => `${r.dataset.measure}=${r.dataset.conflict === 'true'}=${Boolean(r.querySelector('details.conflicts'))}`));
  const disputed = escalation.data.map((m) => `${m.entity.id}=${m.conflict}=${m.conflict}`);
  assert(JSON.stringify(marked) === JSON.stringify(disputed) && disputed.some((d) => d.endsWith('=true=true')), `a note on the disputed rows only\n shown ${marked}\n API   ${disputed}`);
  const row = page.locator(`.measures-table tr[data-measure="${TARIFF}"]`);
  const closed = row.locator('details.conflicts');
  assert(await closed.getAttribute('open') === null, 'closed in the table');
  await closed.locator('summary').focus();
  await page.keyboard.press('Enter');
  await closed.locator('li.conflict').first().waitFor();
  const inTable = JSON.stringify(await conflictsShown(closed));
  const tariff = escalation.data.find((m) => m.entity.id === TARIFF);
  assert(inTable === JSON.stringify(conflictsOf(tariff.conflicts)), `Enter opens it: each value with its quotes (${inTable})`);
  assert(await row.evaluate((r) => !r.classList.contains('is-focused')), 'opening the note does not select the row');

  // The list of measures too.
  await page.goto(url('?view=measure'));
  await page.locator(`.data-table tr[data-measure="${TARIFF}"][data-conflict="true"] details.conflicts`).waitFor();
  assert(await page.locator('.data-table details.conflicts').count() === 1, 'one disputed measure in the list');
}, { suite: 'review' });

check('review-accessibility', async (page) => {
  const axe = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const problems = [];
  for (const [query, ready] of [
    ['?view=review', '.review-card[data-quotes]'],
    [`?view=measure&id=${TARIFF}`, '.measure-card details.conflicts'],
    ['?view=escalation&a=US&b=CN', '.measures-table details.conflicts'],
  ]) {
    problems.push(...await seriousProblems(page, axe, query, ready));
  }
  assert(!problems.length, `axe-core found serious problems:\n${problems.join('\n')}`);
}, { suite: 'review', bypassCSP: true, record: false });

/** The operations of the server's OpenAPI document, as `METHOD path` and as operation ids. */
async function operations(page) {
  const spec = await page.evaluate(async () => (await fetch('openapi.json')).json());
  const ops = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, id: op.operationId })));
  assert(ops.length > 10, `the OpenAPI document lists the API's operations (${ops.length})`);
  return ops;
}

const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

check('api-docs', async (page) => {
  // Swagger UI, served from this server: only the real UI turns the document into operation blocks.
  await page.goto(url('docs'));
  await page.locator('.swagger-ui .opblock').first().waitFor();
  const wanted = (await operations(page)).map((o) => `${o.method} ${o.path}`);
  await page.waitForFunction((n) => document.querySelectorAll('.swagger-ui .opblock').length >= n, wanted.length);
  const drawn = await page.locator('.swagger-ui .opblock').evaluateAll((blocks) => blocks.map((b) => {
    const method = [...b.classList].find((c) => /^opblock-(get|post|put|patch|delete|head|options)$/.test(c)).slice(8);
    return `${method} ${b.querySelector('.opblock-summary-path').dataset.path}`;
  }));
  assert(sameSet(drawn, wanted), `one block per operation of the document:\n${drawn.join('\n')}`);
  await page.locator('.swagger-ui .opblock-summary-path[data-path="/v1/dependents"]').waitFor();
});

check('api-redoc', async (page) => {
  // ReDoc, served from this server: its rendered operation list, one section per operation id.
  await page.goto(url('redoc'));
  await page.locator('[data-section-id^="operation/"]').first().waitFor();
  const ops = await operations(page);
  const wanted = ops.map((o) => `operation/${o.id}`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-section-id^="operation/"]').length >= n, wanted.length);
  const drawn = await page.locator('[data-section-id^="operation/"]').evaluateAll((s) => s.map((x) => x.dataset.sectionId));
  assert(sameSet(drawn, wanted), `one section per operation of the document:\n${drawn.join('\n')}`);
  // Its search runs in a worker the page starts from a blob of ReDoc's own code.
  const dependents = ops.find((o) => o.method === 'get' && o.path === '/v1/dependents');
  await page.getByPlaceholder('Search...').fill('dependents');
  await page.locator(`[data-role="search:results"] [data-item-id$="operation/${dependents.id}"]`).waitFor();
});

// ---------------------------------------------------------------------------------------------

async function main() {
  // playwright-core starts Chromium with a fresh temporary profile (its own --user-data-dir).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    timeout: 120000,
  });
  report.browser = browser.version();
  try {
    for (const c of checks) {
      // Named checks run whatever their suite; otherwise the suite's checks.
      if (ONLY ? !ONLY.has(c.name) : (c.suite || 'main') !== SUITE) continue;
      const started = Date.now();
      const context = await browser.newContext({
        viewport: c.viewport || { width: 1280, height: 800 },
        deviceScaleFactor: 1,
        isMobile: Boolean(c.mobile),
        hasTouch: Boolean(c.mobile),
        locale: 'en-GB',
        bypassCSP: Boolean(c.bypassCSP),
        serviceWorkers: 'block',
      });
      context.setDefaultTimeout(WAIT);
      const errors = [];
      // Every violation a page reports (the browser also logs it as a console error).
      await context.exposeBinding('__cspViolation', (_, v) => {
        report.cspViolations.push({ check: c.name, ...v });
        errors.push(`CSP violation: ${v.directive} refused ${v.blocked}`);
      });
      await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, page: e.documentURI, sample: e.sample });
      }));
      context.on('request', (request) => {
        if (c.record !== false) report.requests.push({ check: c.name, url: request.url(), type: request.resourceType() });
      });
      context.on('console', (message) => {
        if (message.type() !== 'error') return;
        const text = message.text();
        report.console.push({ check: c.name, text });
        // expectErrors: true allows the usual 404s; a list names the errors a check provokes.
        const allowed = Array.isArray(c.expectErrors) ? c.expectErrors : c.expectErrors ? EXPECTED_ERRORS : [];
        if (!allowed.some((re) => re.test(text))) errors.push(text);
      });
      context.on('weberror', (error) => errors.push(`page error: ${error.error().message}`));
      const page = await context.newPage();
      let result = { name: c.name, ok: true };
      let timer = null;
      try {
        await Promise.race([
          c.fn(page),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT} ms`)), CHECK_TIMEOUT); }),
        ]);
        clearTimeout(timer);
        if (errors.length) throw new Error(`console errors: ${errors.join(' | ')}`);
      } catch (error) {
        clearTimeout(timer);
        result = { name: c.name, ok: false, error: String(error.stack || error) };
        if (FAILURE_SHOTS) {
          mkdirSync(FAILURE_SHOTS, { recursive: true });
          await page.screenshot({ path: join(FAILURE_SHOTS, `failed-${c.name}.png`) }).catch(() => {});
        }
      }
      result.ms = Date.now() - started;
      report.checks.push(result);
      process.stderr.write(`${result.ok ? 'ok  ' : 'FAIL'} ${c.name} (${result.ms} ms)${result.ok ? '' : '\n' + result.error}\n`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main()
  .catch((error) => {
    report.fatal = String(error.stack || error);
    process.stderr.write(`${report.fatal}\n`);
  })
  .finally(() => {
    const text = JSON.stringify(report, null, 2);
    if (REPORT) writeFileSync(REPORT, text);
    else process.stdout.write(text + '\n');
    process.exitCode = report.fatal || report.checks.some((c) => !c.ok) ? 1 : 0;
  });
