"""Another process writing the server's SQLite file: it ingests the synthetic corpus's files one
by one and removes their documents again, for a number of seconds (pausing after each write; no
pause is a churn of a hundred or more commits a second), then ingests them all so the final state
is known. It writes ``{"ops": writes, "cycles": rounds}`` to the log file.

    python -m bench.harness.writer STORE.db FILES_JSON SECONDS LOG DOC_IDS_JSON PAUSE_S
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest_paths


def _ingest(store: EmbeddedStore, path: str) -> None:
    for result in ingest_paths(store, [Path(path)]):
        if result.status == "rejected":
            raise SystemExit(f"rejected {path}: {result.error}")


def main(argv: list[str] | None = None) -> int:
    db, files_json, seconds_s, log, doc_ids_json, pause_s = argv if argv is not None else sys.argv[1:]
    files, doc_ids = json.loads(files_json), json.loads(doc_ids_json)
    seconds, pause = float(seconds_s), float(pause_s)
    deadline = time.monotonic() + seconds
    ops = 0
    with EmbeddedStore(db) as store, open(log, "w") as out:
        cycle = 0
        while time.monotonic() < deadline:
            for path in files:
                _ingest(store, path)
                ops += 1
                time.sleep(pause)
            for doc in doc_ids:
                store.remove_document(doc)
                ops += 1
                time.sleep(pause)
            cycle += 1
        # end with everything in, so the final state is known
        for path in files:
            ingest_paths(store, [Path(path)])
            ops += 1
        out.write(json.dumps({"ops": ops, "cycles": cycle}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
