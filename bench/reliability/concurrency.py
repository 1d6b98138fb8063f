"""A live uvicorn server answers reading clients while another process ingests and removes
documents: failed requests, reads that saw part of a document, torn /v1/stats and exports,
latencies, and whether the server ends with exactly what the file holds.

    python -m bench.reliability.concurrency --seconds 120 --clients 4

Two runs: a churn (the writer commits as fast as it can, a hundred or more times a second) and a
steady ingest (a pause after each write). Exit status 1 when any read failed or saw half a
document (exports refused with a 503 while the graph kept changing are counted, not failed)."""

from __future__ import annotations

import argparse
import shutil
import sys

from bench.reliability.common import save, show, workdir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="length of each run")
    parser.add_argument("--clients", type=int, default=4, help="reading threads (each its own HTTP client)")
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--facts", type=int, default=5)
    parser.add_argument("--export-every", type=int, default=25, help="every n-th request of a client is an export")
    parser.add_argument("--steady-pause", type=float, default=0.05, help="pause after each write in the steady run")
    args = parser.parse_args(argv)

    from bench.harness.concurrency import run_concurrency

    runs = {}
    ok = True
    for name, pause in (("churn", 0.0), ("steady", args.steady_pause)):
        folder = workdir(f"concurrency-{name}")
        report = run_concurrency(
            folder,
            seconds=args.seconds,
            clients=args.clients,
            docs=args.docs,
            facts=args.facts,
            export_every=args.export_every,
            write_pause_s=pause,
        )
        runs[name] = report
        shutil.rmtree(folder, ignore_errors=True)
        print(f"\n[{name}]")
        show(report, ["seconds", "clients", "writes", "writes_per_s", "requests", "failed", "half_documents", "torn_stats",
                      "torn_exports", "exports_refused_503", "statuses", "requests_by_kind", "p50_ms", "p99_ms", "max_ms", "server_caught_up"])
        ok = ok and report["failed"] == 0 and report["half_documents"] == 0 and report["torn_stats"] == 0 and report["torn_exports"] == 0
        ok = ok and report["server_caught_up"]
    payload = {"runs": runs, "command": "python -m bench.reliability.concurrency " + " ".join(argv if argv is not None else sys.argv[1:])}
    out = save("concurrency", payload)
    print(f"\nwritten to {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
