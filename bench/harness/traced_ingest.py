"""``tradegraph ingest FOLDER`` as the CLI runs it (ingest_paths over one store), with SQLite's
statement trace printing when each write transaction begins and commits, so that a kill can be
aimed at a random moment *inside* a transaction.

    python -m bench.harness.traced_ingest STORE.db FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest_paths


def trace(statement: str) -> None:
    """Print the statements that open and close a write transaction, at once."""
    word = statement.strip().split(" ", 1)[0].upper()
    if statement.strip().upper().startswith("BEGIN IMMEDIATE") or word == "COMMIT" or word == "ROLLBACK":
        sys.stdout.write(statement.strip().upper() + "\n")
        sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    db, folder = argv if argv is not None else sys.argv[1:]
    with EmbeddedStore(db) as store:
        store._db.set_trace_callback(trace)
        ingest_paths(store, [Path(folder)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
