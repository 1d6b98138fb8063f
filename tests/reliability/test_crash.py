"""kill -9 during ``tradegraph ingest``: afterwards the store opens, PRAGMA integrity_check is ok,
its content equals what the ingest had committed after some whole number of files (every document
is wholly present, with all its evidence, or absent), a store opened before the kill catches up
with exactly that, and running the ingest again completes it. The short version of
``bench/reliability/crash.py`` (20 trials and more there)."""

from __future__ import annotations

import json

from bench.harness.crash import run_crash_trials


def test_kill_9_during_ingest_loses_nothing_and_leaves_no_half_document(tmp_path):
    report = run_crash_trials(
        3,
        tmp_path,
        docs=5,
        relations=1500,
        with_texts=False,
        in_transaction_trials=2,
        big_relations=10_000,
        resume_every=2,
        seed=11,
    )
    summary = json.dumps(report, indent=1)
    for part in (report["write_phase"], report["in_transaction"]):
        assert part["failed"] == [], summary
        assert part["integrity_ok"] == part["trials"], summary
        assert part["matched_a_prefix"] == part["trials"], summary
        assert part["partial_documents"] == 0, summary
        assert part["readers_caught_up"] == part["trials"], summary
        assert part["resumed_to_full"] == part["resumed"] >= 1, summary
    # the in-transaction trials really killed a writer between BEGIN IMMEDIATE and COMMIT
    assert report["in_transaction"]["killed_inside_a_write_transaction"] >= 1, summary
    assert report["ok"]
