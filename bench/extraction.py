"""Extraction throughput on one core: documents/s and MB/s of zh and en text.

    .venv/bin/python -m bench.extraction [--seconds 5] [--slice 0.25]
    .venv/bin/python -m bench.extraction --against /tmp/before [--pairs 50]

Each text is ``ingest.readers.read_text``-ed and ``ingest.extract.default_extractor().extract``-ed
repeatedly (the extractor is compiled once, before timing, as a running process would have it).
Texts: the seed article (seeds/000_a76c9cf03c257c19.txt, zh, ~8 KB: the "seed-size document") and
tests/eval/*.md grouped by language. Baseline in the same run: ``read_text`` alone (normalising and
hashing the text), the floor under any extractor.

The machine is shared, so the two are timed in alternating short slices (extraction, then
baseline, over and over for ``--seconds``) and each is reported as its best slice and its median
slice; the ratio is taken between best slices and between medians, so a burst of someone else's
load hits both sides alike.

``--against DIR`` compares this checkout with another one (``git archive <commit> | tar -x -C
DIR``): one worker process per checkout, each importing its own ``ingest``, timed in alternating
0.2 s slices, and reports the median ratio of adjacent slices, which the machine's load cancels
out of far better than two runs one after the other.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from bench.common import ROOT, reproduce, save
from ingest.extract import default_extractor
from ingest.readers import read_text

SEED = ROOT / "seeds" / "000_a76c9cf03c257c19.txt"


def _rate(fn, seconds: float) -> float:
    """Calls of ``fn`` per second over one slice of about ``seconds``."""
    n = 0
    start = time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n / elapsed


def _interleaved(fn, base, seconds: float, slice_s: float) -> tuple[list[float], list[float]]:
    """Rates of ``fn`` and ``base`` in alternating slices for ``seconds`` in all."""
    rates, base_rates = [], []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or not rates:
        rates.append(_rate(fn, slice_s))
        base_rates.append(_rate(base, slice_s / 2))
    return rates, base_rates


def _texts(root: Path) -> dict[str, list[tuple[str, str]]]:
    groups: dict[str, list[tuple[str, str]]] = {"seed (zh)": [(SEED.name, (root / "seeds" / SEED.name).read_text(encoding="utf-8"))], "zh": [], "en": []}
    for path in sorted((root / "tests" / "eval").glob("*.md")):
        if path.name.startswith("seed_"):
            continue
        groups["zh" if path.name.startswith("zh_") else "en"].append((path.name, path.read_text(encoding="utf-8")))
    return groups


def _worker(root: Path, group: str) -> None:
    """One side of ``--against``: for each line on stdin, a 0.2 s slice of read_text + extract."""
    texts = _texts(root)[group]
    extractor = default_extractor()
    for name, text in texts:
        extractor.extract(read_text(text, source=name))
    for _line in sys.stdin:
        rate = _rate(lambda: [extractor.extract(read_text(text, source=name)) for name, text in texts], 0.2)
        print(rate * len(texts), flush=True)


def _against(other: Path, pairs: int) -> dict:
    import subprocess

    results = {}
    for group in ("seed (zh)", "zh", "en"):
        sides = {}
        for side, root in (("this", ROOT), ("other", other)):
            # run this file as a script with the checkout's root first on the path, so that
            # ``ingest`` is that checkout's own
            env = {**os.environ, "PYTHONPATH": str(root)}
            sides[side] = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--worker", group, "--root", str(root)],
                cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            )
        rates: dict[str, list[float]] = {"this": [], "other": []}
        for _ in range(pairs):
            for side, process in sides.items():
                process.stdin.write("go\n")
                process.stdin.flush()
                rates[side].append(float(process.stdout.readline()))
        for process in sides.values():
            process.stdin.close()
            process.wait()
        ratios = [a / b for a, b in zip(rates["this"], rates["other"])]
        q1, median, q3 = statistics.quantiles(ratios, n=4)
        results[group] = {
            "this_median_documents_per_s": round(statistics.median(rates["this"]), 1),
            "other_median_documents_per_s": round(statistics.median(rates["other"]), 1),
            "ratio_median": round(median, 3), "ratio_quartiles": [round(q1, 3), round(q3, 3)], "pairs": pairs,
        }
        print(f"  {group:<10} this {statistics.median(rates['this']):7.1f} documents/s, other {statistics.median(rates['other']):7.1f} "
              f"(medians); this/other per adjacent pair: median {median:.2f}, quartiles {q1:.2f}–{q3:.2f}", flush=True)
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0, help="per group, extraction and baseline slices together")
    parser.add_argument("--slice", type=float, default=0.25, help="seconds of one extraction slice (a baseline slice is half)")
    parser.add_argument("--against", type=Path, help="another checkout to compare with, slice by slice")
    parser.add_argument("--pairs", type=int, default=50, help="with --against: slices per side and group")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.root, args.worker)
        return {}
    if args.against:
        command = f".venv/bin/python -m bench.extraction --against {args.against} --pairs {args.pairs}"
        results = _against(args.against.resolve(), args.pairs)
        save("extraction_against", {"results": results, "command": command, "other": str(args.against)})
        reproduce(command)
        return results
    extractor = default_extractor()
    groups = _texts(ROOT)
    extractor.extract(read_text(groups["seed (zh)"][0][1]))  # warm caches
    results = {}
    for group, texts in groups.items():
        size = sum(len(t.encode("utf-8")) for _, t in texts)

        def run_all(texts=texts) -> None:
            for name, text in texts:
                extractor.extract(read_text(text, source=name))

        def read_all(texts=texts) -> None:
            for name, text in texts:
                read_text(text, source=name)

        rates, base_rates = _interleaved(run_all, read_all, args.seconds, args.slice)
        best, median = max(rates) * len(texts), statistics.median(rates) * len(texts)
        base_best, base_median = max(base_rates) * len(texts), statistics.median(base_rates) * len(texts)
        results[group] = {
            "documents": len(texts), "bytes": size, "slices": len(rates),
            "documents_per_s": round(best, 1), "mb_per_s": round(best * size / len(texts) / 1e6, 3),
            "median_documents_per_s": round(median, 1), "median_mb_per_s": round(median * size / len(texts) / 1e6, 3),
            "read_text_only_documents_per_s": round(base_best), "median_read_text_only_documents_per_s": round(base_median),
            "ratio_vs_read_text": round(best / base_best, 4), "median_ratio_vs_read_text": round(median / base_median, 4),
        }
        print(f"  {group:<10} {len(texts)} docs, {size / 1000:.1f} KB: best {best:7.1f} documents/s {best * size / len(texts) / 1e6:6.3f} MB/s, "
              f"median {median:7.1f}/s   (read_text alone: best {base_best:,.0f}/s, median {base_median:,.0f}/s; "
              f"ratio {best / base_best:.3f} best, {median / base_median:.3f} median; {len(rates)} slices)", flush=True)
    command = f".venv/bin/python -m bench.extraction --seconds {args.seconds:g}"
    save("extraction", {"results": results, "command": command})
    reproduce(command)
    return results


if __name__ == "__main__":
    main()
