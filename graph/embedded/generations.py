"""What a snapshot holds: one generation of the in-memory index and one SQLite read transaction
at the same data version.

The store publishes a new :class:`Generation` after each commit (its own, or another process's
that it caught up with); a published generation is never changed (graph.embedded.compact_index,
graph.embedded.name_index), so a reader holds one without a lock for as long as it likes. The
writer builds the next one beside it, sharing what did not change. Slots that a generation stops
using are reused only once no older generation is held: :class:`Pins` says which versions are.

Rows come from a read transaction on a connection of the snapshot's own
(:class:`ReadConnections`): in WAL mode it sees the database as it was when it began, whatever
commits after, and it neither waits for a writer nor makes one wait.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from graph.embedded.compact_index import CompactGraph
from graph.embedded.name_index import NameIndex

__all__ = ["Generation", "Pins", "ReadConnections"]


@dataclass(frozen=True)
class Generation:
    """The index at one data version: the graph's shape and the names. Read-only."""

    version: int
    graph: CompactGraph
    names: NameIndex

    def __post_init__(self) -> None:
        self.graph.seal()


class Pins:
    """The data versions that open snapshots hold, counted (a version can be held many times)."""

    def __init__(self) -> None:
        self._held: Counter[int] = Counter()
        self._lock = threading.Lock()

    def hold(self, version: int) -> None:
        with self._lock:
            self._held[version] += 1

    def release(self, version: int) -> None:
        with self._lock:
            self._held[version] -= 1
            if not self._held[version]:
                del self._held[version]

    def oldest(self, current: int) -> int:
        """The oldest version anyone can still read: the oldest held, or ``current`` (the
        published one, which the next snapshot will take)."""
        with self._lock:
            return min(self._held, default=current)


class ReadConnections:
    """A small pool of read-only SQLite connections to one file, for snapshots.

    A snapshot takes one for as long as it is held; at most ``KEEP`` idle ones are kept open for
    the next snapshots, the others are closed when given back."""

    KEEP = 4

    def __init__(self, path: Path) -> None:
        self._path = path
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    def take(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        db = sqlite3.connect(self._path, check_same_thread=False, isolation_level=None, timeout=30)
        db.execute("PRAGMA query_only = ON")
        return db

    def give(self, db: sqlite3.Connection) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self.KEEP:
                self._idle.append(db)
                return
        db.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for db in idle:
            db.close()
