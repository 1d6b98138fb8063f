"""What one write costs as a much-cited entity's evidence grows: N one-document batches, each
citing country:CN and country:JP, as a feed of news about one dispute would. Prints the mean write
time per hundred writes along the way, and the time to read the entity back.

    .venv/bin/python -m bench.hub_evidence --writes 4000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.common import reproduce
from graph.embedded import EmbeddedStore
from graph.model.records import Batch, Entity, Evidence
from ingest.readers import read_text


def _batch(i: int) -> Batch:
    text = f"China announced measure number {i} against Japan today."
    document = read_text(text, source=f"hub-{i}")

    def cited(quote: str) -> list[Evidence]:
        start = text.index(quote)
        return [Evidence(document_id=document.id, quote=quote, start=start, end=start + len(quote), extractor="bench", confidence=0.9)]

    return Batch(
        documents=[document],
        entities=[
            Entity(id="country:CN", type="Country", names={"en": "China"}, evidence=cited("China")),
            Entity(id="country:JP", type="Country", names={"en": "Japan"}, evidence=cited("Japan")),
        ],
        relations=[],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=4000)
    args = parser.parse_args(argv)
    n = max(args.writes, 200)
    with EmbeddedStore(Path(tempfile.mkdtemp(prefix="tradegraph-hub-")) / "hub.db") as store:
        seconds = []
        for i in range(n):
            batch = _batch(i)
            started = time.perf_counter()
            store.upsert(batch)
            seconds.append(time.perf_counter() - started)
        for at in (0, n // 4, n // 2, 3 * n // 4, n - 100):
            window = seconds[at : at + 100]
            print(f"  writes {at:>6}-{at + 100:<6} {1000 * sum(window) / len(window):8.2f} ms each")
        started = time.perf_counter()
        store.entity("country:CN")
        print(f"  reading country:CN with its {n} pieces of evidence: {1000 * (time.perf_counter() - started):.1f} ms")
    reproduce(f".venv/bin/python -m bench.hub_evidence --writes {args.writes}")


if __name__ == "__main__":
    main()
