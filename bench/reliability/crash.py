"""kill -9 during ``tradegraph ingest``: N trials at random moments of the write phase of a folder
ingest, and M trials at random moments inside one big write transaction.

    python -m bench.reliability.crash --trials 20 --in-transaction 10

Each trial checks: integrity_check ok; the store equals the state after some whole number of
files; each document all there or absent; a store opened before the kill catches up exactly; the
ingest run again completes to the full reference. With --large, more kills while ingesting into a
copy of the 100k-relation bench store (bench/data, generated once), whose index snapshot must then
serve exactly what a rebuild from SQLite serves. Exit status 1 when any trial fails."""

from __future__ import annotations

import argparse
import shutil
import sys

from bench.reliability.common import save, show, workdir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20, help="kills in the write phase of a folder ingest")
    parser.add_argument("--in-transaction", type=int, default=10, help="kills inside one big write transaction")
    parser.add_argument("--docs", type=int, default=16, help="relation documents in the folder")
    parser.add_argument("--relations", type=int, default=2000, help="relations per document")
    parser.add_argument("--big", type=int, default=10_000, help="relations in the big transaction")
    parser.add_argument("--large", type=int, default=10, help="kills while ingesting into a copy of the 100k-relation bench store")
    parser.add_argument("--seed", type=int, default=20251024)
    parser.add_argument("--keep", action="store_true", help="keep the stores and logs")
    args = parser.parse_args(argv)

    from bench.harness.crash import run_crash_trials

    folder = workdir("crash")
    report = run_crash_trials(
        args.trials,
        folder,
        docs=args.docs,
        relations=args.relations,
        in_transaction_trials=args.in_transaction,
        big_relations=args.big,
        seed=args.seed,
        with_texts=True,
        resume_every=1,
    )
    if args.large:
        from bench.common import ensure_db
        from bench.harness.large_store import run_large_store_crash_trials

        large = run_large_store_crash_trials(args.large, ensure_db(100_000), folder / "large", docs=8, relations=3000, seed=args.seed)
        large.pop("trials_detail")
        report["large_store"] = large
        report["trials"] += args.large
        report["ok"] = report["ok"] and large["ok"]
    report["command"] = "python -m bench.reliability.crash " + " ".join(argv if argv is not None else sys.argv[1:])
    out = save("crash", report)
    keys = [
        "trials", "seconds", "ok",
        "write_phase.trials", "write_phase.killed", "write_phase.killed_between_first_and_last_file",
        "write_phase.in_transaction_share_of_write_phase", "write_phase.integrity_ok", "write_phase.matched_a_prefix",
        "write_phase.partial_documents", "write_phase.readers_caught_up", "write_phase.resumed_to_full",
        "in_transaction.trials", "in_transaction.transaction_s", "in_transaction.killed_inside_a_write_transaction",
        "in_transaction.killed_with_uncommitted_pages_in_wal", "in_transaction.integrity_ok",
        "in_transaction.matched_a_prefix", "in_transaction.partial_documents", "in_transaction.readers_caught_up",
        "in_transaction.resumed_to_full",
        "large_store.trials", "large_store.base_relations", "large_store.killed_mid_corpus", "large_store.integrity_ok",
        "large_store.partial_documents", "large_store.snapshot_equals_rebuild",
    ]
    show(report, keys)
    print(f"\nwritten to {out}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
