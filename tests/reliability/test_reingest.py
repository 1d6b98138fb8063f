"""Re-ingesting what the store holds already commits nothing.

A folder of overlapping articles (several per dispute, some disagreeing about a measure's date or
status, measures matched across articles) is ingested three times: after the first pass, the data
version and the JSON export do not move, and every file reports unchanged. A write that commits
nothing also leaves the answer cache and concurrent reads alone.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from bench.harness.articles import write_articles
from bench.harness.fingerprint import store_fingerprint
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from ingest.pipeline import ingest_paths
from tests.conftest import cli

ARTICLES = 30  # on 96681f3: 11 of them moved on a second pass, 1 adding a relation (coreference)


def test_the_same_folder_three_times_moves_nothing_after_the_first(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    files = write_articles(folder, ARTICLES)
    first = ingest_paths(store, [folder])
    assert [(r.path.name, r.error) for r in first if r.status == "rejected"] == []
    after_first = store_fingerprint(store)
    # On SQLite, what another process's reader watches: it moves only when a write commits.
    watcher = sqlite3.connect(store.path) if isinstance(store, EmbeddedStore) else None
    commits = watcher and watcher.execute("PRAGMA data_version").fetchone()[0]
    for _ in range(2):
        again = ingest_paths(store, [folder])
        moved = [(r.path.name, r.status, r.summary, r.error) for r in again if r.status != "unchanged"]
        assert moved == [], moved
        assert len(again) == len(files)
        assert store_fingerprint(store) == after_first
        if watcher:
            assert watcher.execute("PRAGMA data_version").fetchone()[0] == commits
    if watcher:
        watcher.close()


def test_the_cli_ingests_the_same_folder_three_times_and_moves_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "feed"
    write_articles(folder, ARTICLES)
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "cli.db")}

    def state() -> tuple[int, bytes]:
        stats = cli("stats", env=env, cwd=tmp_path)
        export = cli("export", "--format", "json", "--output", str(tmp_path / "export.json"), env=env, cwd=tmp_path)
        assert stats.returncode == 0 and export.returncode == 0, stats.stderr + export.stderr
        return json.loads(stats.stdout)["data_version"], (tmp_path / "export.json").read_bytes()

    first = cli("ingest", str(folder), env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    after_first = state()
    for _ in range(2):
        again = cli("ingest", "--verbose", str(folder), env=env, cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert f"0 added, 0 updated, {ARTICLES} unchanged" in again.stderr, again.stderr
        assert state() == after_first
