"""A BACI-sized year imported into an embedded store: time, rows/s, peak memory, store growth.

The year is generated on the fly into a temporary folder in BACI's published format (a
``BACI_HS17_Y2023_V999999.csv`` of ``t,i,j,k,v,q`` rows plus its country and product code files):
about 200 countries and 5,000 products, country sizes Zipf-distributed so that shares range from
negligible to dominant, product lists per country pair sorted as BACI sorts them. Then two child
processes read it, each measured alone (time and peak RSS):

- the baseline: read and parse every row with the csv module (int and float per field);
- the import: ``ingest_trade_file`` into a fresh embedded store (flows stored, relations derived
  at the default bars, or ``--min-share`` / ``--min-value``).

    nice -n 10 python -m bench.trade                # 11,000,000 rows
    nice -n 10 python -m bench.trade --rows 1000000 # a quick run
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PY, ROOT, machine, reproduce, save
from ingest.trade_derive import DEFAULT_MIN_SHARE, DEFAULT_MIN_VALUE_USD

COUNTRIES = 200
PRODUCTS = 5_000
YEAR = 2023
#: Mean flow, thousands of USD (BACI writes values in thousands).
MEAN_FLOW_THOUSANDS = 2_000.0
PRODUCT_SIGMA = 1.2
FLOW_SIGMA = 2.2
# Numeric codes that BACI's country file maps to real ISO alpha-2 codes are taken from pycountry.


def _countries() -> list[tuple[int, str, str, str]]:
    import pycountry

    found = sorted((int(c.numeric), c.name, c.alpha_2, c.alpha_3) for c in pycountry.countries)
    return found[:COUNTRIES]


def _products(rng: random.Random) -> list[str]:
    codes = sorted(rng.sample(range(10_100, 970_000), PRODUCTS))
    return [str(c) for c in codes]  # written as BACI writes them: no leading zero


def generate(folder: Path, rows: int, seed: int = 19) -> Path:
    """Write the code files and a flows file of about ``rows`` rows; return the flows file.

    Shaped like a BACI year: country sizes are Zipf-distributed, a pair of countries trades a
    number of products in proportion to the product of their sizes, and a flow's value is
    heavy-tailed: the square root of the pair's weight, times a per-product factor
    (lognormal, sigma 1.2: some goods are traded in bulk), times a lognormal draw (sigma 2.2),
    scaled so that the mean flow is about 2 million USD (BACI's 2022 year: about 11 million
    rows, 24 trillion USD; median flow tens of thousands of USD)."""
    rng = random.Random(seed)
    countries = _countries()
    products = _products(rng)
    with (folder / "country_codes_V999999.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["country_code", "country_name", "country_iso2", "country_iso3"])
        w.writerows(countries)
    with (folder / "product_codes_HS17_V999999.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "description"])
        w.writerows((code.zfill(6), f"generated product {code.zfill(6)}") for code in products)
    size = [1 / (rank + 1) ** 0.9 for rank in range(COUNTRIES)]
    rng.shuffle(size)
    pairs = [(a, b) for a in range(COUNTRIES) for b in range(COUNTRIES) if a != b]
    weight = [size[a] * size[b] for a, b in pairs]
    scale = rows / sum(weight)
    for _ in range(30):  # the largest pairs trade every product: scale the rest up to make ``rows``
        scale *= rows / sum(min(PRODUCTS, w * scale) for w in weight)
    counts = [min(PRODUCTS, int(w * scale + rng.random())) for w in weight]
    bulk = [rng.lognormvariate(0.0, PRODUCT_SIGMA) for _ in products]
    # Expected value of all rows = base * sum(n * sqrt(w)) * mean(bulk) * exp(sigma^2 / 2).
    expected = sum(n * w**0.5 for n, w in zip(counts, weight, strict=True)) * (sum(bulk) / len(bulk)) * math.exp(FLOW_SIGMA**2 / 2)
    base = MEAN_FLOW_THOUSANDS * sum(counts) / expected
    path = folder / f"BACI_HS17_Y{YEAR}_V999999.csv"
    with path.open("w", newline="") as f:
        f.write("t,i,j,k,v,q\n")
        for (a, b), w, n in zip(pairs, weight, counts, strict=True):
            if not n:
                continue
            i, j, pair = countries[a][0], countries[b][0], base * w**0.5
            lines = []
            for p in sorted(rng.sample(range(PRODUCTS), n)):
                v = pair * bulk[p] * rng.lognormvariate(0.0, FLOW_SIGMA)
                q = "" if rng.random() < 0.02 else f"{v / rng.uniform(0.5, 20):.3f}"
                lines.append(f"{YEAR},{i},{j},{products[p]},{v:.3f},{q}\n")
            f.writelines(lines)
    return path


def _baseline(path: Path) -> dict:
    """Read and parse every row with the csv module: the floor any importer stands on."""
    start = time.perf_counter()
    n = 0
    with path.open(newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for t, i, j, k, v, q in reader:
            int(t), int(i), int(j), int(k), float(v), float(q) if q else None
            n += 1
    return {"rows": n, "seconds": round(time.perf_counter() - start, 2)}


def _import(path: Path, db: Path, min_share: float, min_value: float) -> dict:
    from graph.embedded import EmbeddedStore
    from ingest.trade_derive import ingest_trade_file

    marks: dict[str, float] = {}
    store = EmbeddedStore(db)
    flows = store.flows  # the tables exist before the clock starts: growth is what the import adds
    load = flows.load

    def timed_load(*args: object) -> int:
        written = load(*args)  # type: ignore[arg-type]
        marks["stored"] = time.perf_counter()
        marks["peak_rss_stored"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return written

    flows.load = timed_load  # type: ignore[method-assign]
    empty = _db_bytes(db)
    start = time.perf_counter()
    result = ingest_trade_file(store, path, min_share=min_share, min_value=min_value)
    seconds = time.perf_counter() - start
    counts = store.counts()
    bars = _candidates_by_value(db, min_share)
    store.close()
    stored = marks.get("stored", start) - start
    return {
        "rows": result.rows,
        "seconds": round(seconds, 2),
        "read_and_store_s": round(stored, 2),
        "derive_s": round(seconds - stored, 2),
        "peak_rss_after_store_bytes": int(marks.get("peak_rss_stored", 0)),
        "depends_on_candidates_by_min_value": bars,
        "relations": counts.relations,
        "relations_by_type": counts.relations_by_type,
        "entities": counts.entities,
        "documents": counts.documents,
        "store_bytes_before": empty,
        "store_bytes_after": _db_bytes(db),
    }


VALUE_BARS = (0, 1_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000)


def _candidates_by_value(db: Path, min_share: float) -> dict[str, int]:
    """How many flows are at least ``min_share`` of their importer's imports, at each minimum
    value of VALUE_BARS (before the ISO-country check): what choosing the value bar decides."""
    import sqlite3

    with sqlite3.connect(db) as con:
        row = con.execute(
            "SELECT " + ", ".join(f"sum(f.value_usd >= {bar})" for bar in VALUE_BARS) + " FROM ("
            "SELECT hs6, year, dataset, importer, sum(value_usd) AS total FROM trade_flows GROUP BY hs6, year, dataset, importer) t "
            "JOIN trade_flows f ON f.hs6 = t.hs6 AND f.year = t.year AND f.dataset = t.dataset AND f.importer = t.importer "
            "WHERE f.value_usd > 0 AND f.value_usd >= ? * t.total",
            (min_share,),
        ).fetchone()
    return {f"{bar:,}": int(n or 0) for bar, n in zip(VALUE_BARS, row, strict=True)}


def _values(path: Path) -> dict:
    """How the generated values are spread (USD): what the minimum trade value bites on."""
    values = []
    with path.open(newline="") as f:
        reader = csv.reader(f)
        next(reader)
        values = sorted(float(row[4]) * 1000 for row in reader)
    n = len(values)
    return {
        "total_usd": round(sum(values)), "mean_usd": round(sum(values) / n), "median_usd": round(values[n // 2]),
        "p90_usd": round(values[int(n * 0.9)]), "p99_usd": round(values[int(n * 0.99)]), "max_usd": round(values[-1]),
        "share_of_rows_at_least_10m": round(sum(v >= 10_000_000 for v in values) / n, 4),
    }


def _db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def _child(*args: str) -> dict:
    """Run one measured step in a child process: its own peak RSS is the step's."""
    out = subprocess.run([PY, "-m", "bench.trade", *args], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=11_000_000)
    parser.add_argument("--min-share", type=float, default=DEFAULT_MIN_SHARE)
    parser.add_argument("--min-value", type=float, default=DEFAULT_MIN_VALUE_USD)
    parser.add_argument("--step", choices=["baseline", "import", "values"], help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        if args.step == "baseline":
            result = _baseline(args.path)
        elif args.step == "values":
            result = _values(args.path)
        else:
            result = _import(args.path, args.db, args.min_share, args.min_value)
        result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps(result))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-trade-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = generate(folder, args.rows)
        generated_s = time.perf_counter() - started
        file_bytes = path.stat().st_size
        print(f"generated {file_bytes / 1e6:,.0f} MB in {generated_s:.0f} s", file=sys.stderr, flush=True)
        baseline = _child("--step", "baseline", "--path", str(path))
        imported = _child(
            "--step", "import", "--path", str(path), "--db", str(folder / "store.db"),
            "--min-share", str(args.min_share), "--min-value", str(args.min_value),
        )
        values = _child("--step", "values", "--path", str(path))
    rows = imported["rows"]
    payload = {
        "rows_asked": args.rows,
        "rows": rows,
        "file_mb": round(file_bytes / 1e6, 1),
        "generate_s": round(generated_s, 1),
        "min_share": args.min_share,
        "min_value_usd": args.min_value,
        "values": {k: v for k, v in values.items() if k != "peak_rss_bytes"},
        "baseline": {**baseline, "rows_per_s": round(baseline["rows"] / baseline["seconds"])},
        "import": {**imported, "rows_per_s": round(rows / imported["seconds"])},
        "ratio_import_to_baseline_time": round(imported["seconds"] / baseline["seconds"], 2),
        "ratio_read_and_store_to_baseline_time": round(imported["read_and_store_s"] / baseline["seconds"], 2),
        "store_growth_bytes_per_row": round((imported["store_bytes_after"] - imported["store_bytes_before"]) / rows, 1),
        "load_at_start": machine()["load_1m_at_start"],
        "cpu_count": os.cpu_count(),
    }
    out = save(f"trade-{round(rows / 1_000_000)}m" if rows >= 950_000 else f"trade-{rows}", payload)
    print(json.dumps(payload, indent=2))
    print(f"wrote {out}")
    reproduce(f"nice -n 10 python -m bench.trade --rows {args.rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
