"""Extraction throughput on one core: documents/s and MB/s of zh and en text.

    .venv/bin/python -m bench.extraction [--seconds 5]

Each text is ``ingest.readers.read_text``-ed and ``ingest.extract.default_extractor().extract``-ed
repeatedly for a fixed time (the extractor is compiled once, before timing, as a running process
would have it). Texts: the seed article (seeds/000_a76c9cf03c257c19.txt, zh, ~8 KB: the
"seed-size document") and tests/eval/*.md grouped by language. Baseline in the same run:
``read_text`` alone (normalising and hashing the text), the floor under any extractor.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.common import ROOT, reproduce, save
from ingest.extract import default_extractor
from ingest.readers import read_text

SEED = ROOT / "seeds" / "000_a76c9cf03c257c19.txt"


def _rate(fn, seconds: float) -> tuple[int, float]:
    n = 0
    start = time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n, elapsed


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    extractor = default_extractor()
    groups: dict[str, list[tuple[str, str]]] = {"seed (zh)": [(SEED.name, SEED.read_text(encoding="utf-8"))], "zh": [], "en": []}
    for path in sorted((ROOT / "tests" / "eval").glob("*.md")):
        if path.name.startswith("seed_"):
            continue
        lang = "zh" if path.name.startswith("zh_") else "en"
        groups[lang].append((path.name, path.read_text(encoding="utf-8")))
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

        rounds, elapsed = _rate(run_all, args.seconds)
        base_rounds, base_elapsed = _rate(read_all, min(args.seconds, 2.0))
        docs_s = rounds * len(texts) / elapsed
        mb_s = rounds * size / elapsed / 1e6
        read_docs_s = base_rounds * len(texts) / base_elapsed
        results[group] = {"documents": len(texts), "bytes": size, "documents_per_s": round(docs_s, 1), "mb_per_s": round(mb_s, 3),
                          "read_text_only_documents_per_s": round(read_docs_s), "ratio_vs_read_text": round(docs_s / read_docs_s, 4)}
        print(f"  {group:<10} {len(texts)} docs, {size / 1000:.1f} KB: {docs_s:8.1f} documents/s  {mb_s:6.3f} MB/s   "
              f"(read_text alone {read_docs_s:,.0f} documents/s)", flush=True)
    command = f".venv/bin/python -m bench.extraction --seconds {args.seconds:g}"
    save("extraction", {"results": results, "command": command})
    reproduce(command)
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
