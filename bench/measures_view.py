"""The explorer's Measures view: its API calls at scale and the page in Chromium on the seed graph.

    .venv/bin/python -m bench.measures_view --size 100k [--pages 120] [--loads 15]

API part: one uvicorn process of the app (1 worker, loopback) on a generated store, asked one
request at a time by a real HTTP client, as the view asks when it opens (the first page of 50
measures, the month counts, the per-country counts of the map) and when it pages (a further page at
a random offset), unfiltered, filtered by imposer, and by a filter nobody asked before (each request
another ``until`` day). With the answer cache as served and with it off
(``TRADEGRAPH_ANSWER_CACHE_MB=0``: every request is answered afresh; the rows a filter keeps for its
pages while the data is unchanged, graph/queries/measures.py, stay on: the "new filter" family is
the read without them). The baseline, in the same run and the same client: a bare ASGI hello (bench/hello_app.py)
and the app's own ``/healthz``.

Browser part: the app on a store holding the seeds; Debian's Chromium (playwright-core from
explorer/node_modules) opens ``?view=measures`` and records when its rows, month counts, chart and
map are drawn (performance.now(), from the navigation's start), against the start page's first list
in the same browser: the view's time to interactive and its ratio to the start page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.api import Server
from bench.common import PY, ROOT, ensure_db, label, percentiles, reproduce, save, size_of

PAGE = 50  # the view's page size


def _timed_gets(client: httpx.Client, base: str, paths: list[str]) -> list[float]:
    out = []
    for path in paths:
        t = time.perf_counter()
        r = client.get(base + path)
        out.append(time.perf_counter() - t)
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:300]}")
    return out


def _new_days(rng: random.Random, n: int) -> list[str]:
    """``n`` different days from 2030 on: an ``until`` after every generated measure, so each
    filter lists every dated measure and none was asked before."""
    days = rng.sample(range(3650), n)
    return [(dt.date(2030, 1, 1) + dt.timedelta(days=d)).isoformat() for d in days]


def api_part(db: Path, pages: int, rng: random.Random) -> dict:
    results: dict[str, dict] = {}
    hello = Server("bench.hello_app:raw")
    try:
        hello.wait("/")
        with httpx.Client(timeout=60) as client:
            _timed_gets(client, hello.url, ["/"] * 50)
            results["raw ASGI hello"] = percentiles(_timed_gets(client, hello.url, ["/"] * pages))
    finally:
        hello.stop()
    env = {"TRADEGRAPH_DB_PATH": str(db), "TRADEGRAPH_BACKEND": "embedded"}
    for mode, extra in (("as served", {}), ("cache off", {"TRADEGRAPH_ANSWER_CACHE_MB": "0"})):
        app = Server("app.main:create_app", env={**env, **extra}, factory=True)
        try:
            app.wait("/readyz")
            with httpx.Client(timeout=60) as client:
                count = client.get(app.url + "/v1/measures?limit=1").json()["count"]
                # the countries and blocs imposing measures, as the map's counts name them
                imposers = sorted({row["group"] for row in client.get(app.url + "/v1/measures/counts?by=imposer").json()["data"] if row["group"]})
                last = max(0, (count - 1) // PAGE)
                opening = ["/v1/measures?limit=50", "/v1/measures/counts", "/v1/measures/counts?by=imposer"]
                families = {
                    "healthz": ["/healthz"] * pages,
                    "first page": ["/v1/measures?limit=50"] * pages,
                    "further page": [f"/v1/measures?limit=50&offset={PAGE * rng.randint(1, max(1, last))}" for _ in range(pages)],
                    "first page, by imposer": [f"/v1/measures?limit=50&imposer={rng.choice(imposers)}" for _ in range(pages)],
                    # a filter nobody asked before: every request reads the measures afresh (the
                    # rows a filter keeps for its pages do not help), as after a write
                    "first page, a new filter": [f"/v1/measures?limit=50&until={day}" for day in _new_days(rng, pages)],
                    "month counts": ["/v1/measures/counts"] * pages,
                    "map counts": ["/v1/measures/counts?by=imposer"] * pages,
                }
                _timed_gets(client, app.url, opening * 3)  # warm-up: the store's first reads
                for name, paths in families.items():
                    results[f"{name} ({mode})"] = percentiles(_timed_gets(client, app.url, paths))
                results[f"measures ({mode})"] = {"count": count, "pages": last + 1}
        finally:
            app.stop()
    return results


_BROWSER_SCRIPT = r"""
import { createRequire } from 'node:module';
import { join } from 'node:path';
const require = createRequire(join(process.env.EXPLORER_DIR, 'package.json'));
const { chromium } = require('playwright-core');
const base = process.env.BASE_URL;
const loads = Number(process.env.LOADS);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
const out = { start: [], measures: [], measures_rows: [] };
try {
  for (let i = 0; i < loads; i++) {
    for (const [name, query, ready] of [
      ['start', '', '.measure-list li, .latest-measures li, main li'],
      ['measures', '?view=measures', '#measures-countries a.map-link'],
    ]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(base + query, { waitUntil: 'commit' });
      if (name === 'measures') {
        await page.locator('.measures-list tbody tr').first().waitFor({ timeout: 60000 });
        out.measures_rows.push(await page.evaluate(() => performance.now()));
        await page.locator('#months-chart rect[data-count]').first().waitFor({ timeout: 60000 });
        await page.locator('#measures-months .months-table').first().waitFor({ timeout: 60000 });
      }
      await page.locator(ready).first().waitFor({ timeout: 60000 });
      out[name].push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
"""


def browser_part(loads: int) -> dict:
    node = shutil.which("node")
    chromium = os.environ.get("TRADEGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    explorer = ROOT / "explorer"
    if not node or not chromium or not (explorer / "node_modules" / "playwright-core").exists():
        return {"skipped": "needs node, Debian's chromium and explorer/node_modules (make test installs them)"}
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TRADEGRAPH_DB_PATH": str(Path(home) / "seed.db")}
        subprocess.run([str(Path(PY).with_name("tradegraph")), "ingest", str(ROOT / "seeds")], env=env, cwd=home, check=True,
                       stdout=subprocess.DEVNULL)
        app = Server("app.main:create_app", env={"TRADEGRAPH_DB_PATH": env["TRADEGRAPH_DB_PATH"], "TRADEGRAPH_BACKEND": "embedded"}, factory=True)
        try:
            app.wait("/readyz")
            script = Path(home) / "ready.mjs"
            script.write_text(_BROWSER_SCRIPT)
            run = subprocess.run([node, str(script)], env={**os.environ, "EXPLORER_DIR": str(explorer), "BASE_URL": app.url + "/",
                                                           "LOADS": str(loads), "CHROMIUM": chromium},
                                 capture_output=True, text=True, timeout=900, check=False)
            if run.returncode != 0:
                raise RuntimeError(run.stderr[-3000:])
            times = json.loads(run.stdout.strip().splitlines()[-1])
        finally:
            app.stop()
    return {name: percentiles([t / 1000 for t in samples]) for name, samples in times.items()}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="100k")
    parser.add_argument("--pages", type=int, default=120, help="requests per family")
    parser.add_argument("--loads", type=int, default=15, help="page loads per view in Chromium")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    n = size_of(args.size)
    db = ensure_db(n)
    rng = random.Random(args.seed)
    print(f"Measures view at {n:,} relations: API one request at a time, {args.pages} per family", flush=True)
    api = api_part(db, args.pages, rng)
    for name, r in api.items():
        if "p50_ms" in r:
            print(f"  {name:<36} p50 {r['p50_ms']:>8} ms   p95 {r['p95_ms']:>8}   p99 {r['p99_ms']:>8} ms", flush=True)
        else:
            print(f"  {name:<36} {r}", flush=True)
    print(f"Measures view in Chromium on the seed graph, {args.loads} loads per view", flush=True)
    browser = browser_part(args.loads)
    for name, r in browser.items():
        print(f"  {name:<36} {r}", flush=True)
    hello = api["raw ASGI hello"]
    ratios = {}
    for mode in ("as served", "cache off"):
        for family in ("first page", "further page", "first page, by imposer", "first page, a new filter", "month counts", "map counts"):
            r = api[f"{family} ({mode})"]
            key = f"{family} ({mode})"
            ratios[f"{key} p95 vs hello p95"] = round(r["p95_ms"] / hello["p95_ms"], 1)
            ratios[f"{key} p95 vs healthz p95"] = round(r["p95_ms"] / api[f"healthz ({mode})"]["p95_ms"], 1)
    if "measures" in browser:
        ratios["measures view ready p50 vs start page p50"] = round(browser["measures"]["p50_ms"] / browser["start"]["p50_ms"], 2)
    goals = {
        "API p95 under 200 ms (first and further pages, cache off)": all(
            api[f"{f} (cache off)"]["p95_ms"] < 200 for f in ("first page", "further page", "first page, by imposer", "first page, a new filter")),
        "interactive under 1 s on the seed graph (rows, p95)": browser.get("measures_rows", {}).get("p95_ms", 1e9) < 1000,
    }
    print("  ratios:", ratios)
    print("  goals:", goals)
    command = f".venv/bin/python -m bench.measures_view --size {args.size} --pages {args.pages} --loads {args.loads}"
    save(f"measures-view-{label(n)}", {"size": n, "api": api, "browser": browser, "ratios": ratios, "goals": goals, "command": command})
    reproduce(command)
    return api


if __name__ == "__main__":
    sys.exit(main() and 0)
