"""Bilateral trade flows kept as data beside the graph: the contract both stores expose as
``store.flows``, and its SQLite implementation for the embedded store.

Flows are rows (dataset, year, exporter, importer, HS6 product, value in USD, quantity in tonnes,
and the file and line they were read from), far too many to be graph relations: a BACI year holds
about eleven million. The graph gets the few relations derived from them (ingest/trade_derive.py);
the rows stay queryable here, by exporter, importer, HS prefix and year.

A file is loaded whole or not at all and recorded by its SHA-256, so loading it again is refused
before anything is read or written (``FlowStore.known_file``). The SQLite tables live in the
store's own database file, written through a connection of their own: the graph's writer lock is
not held through an eleven-million-row load, and WAL lets the graph's readers go on meanwhile.
"""

from __future__ import annotations

import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreUnavailableError

__all__ = ["Flow", "FlowFile", "FlowQuery", "FlowTotal", "FlowStore", "SqliteFlows", "hs_range"]

#: Rows per executemany call while loading: large enough to amortise the call, small enough to
#: keep memory flat.
LOAD_CHUNK = 20_000


@dataclass(frozen=True, slots=True)
class Flow:
    """One bilateral flow: ``exporter`` sold ``value_usd`` of HS6 product ``hs6`` to ``importer``
    in ``year``. Countries are ISO 3166 alpha-2 codes where the dataset maps them to one, else the
    code the dataset gives (BACI's alpha-3 for areas such as "Other Asia, nes")."""

    dataset: str
    year: int
    exporter: str
    importer: str
    hs6: str
    value_usd: float
    quantity: float | None
    file: str
    line: int


@dataclass(frozen=True)
class FlowFile:
    """A flows file as recorded once loaded: its content hash is what makes a reload a no-op."""

    sha256: str
    name: str
    dataset: str
    rows: int = 0
    derived_share: float | None = None


@dataclass(frozen=True)
class FlowQuery:
    """Which flows to read; every filter is optional. ``hs`` is a prefix of 2 to 6 digits."""

    exporter: str | None = None
    importer: str | None = None
    hs: str | None = None
    year: int | None = None
    dataset: str | None = None


@dataclass(frozen=True)
class FlowTotal:
    """The value of the flows matching a query in one year of one dataset."""

    dataset: str
    year: int
    value_usd: float
    rows: int


def hs_range(prefix: str) -> tuple[str, str]:
    """The half-open range of 6-digit codes that start with ``prefix`` (``85`` -> 850000..860000),
    so a prefix match is an index range scan."""
    low = prefix.ljust(6, "0")
    high = str(int(prefix) + 1).zfill(len(prefix)).ljust(6, "0") if prefix.strip("9") else "999999~"
    return low, high


class FlowStore(ABC):
    """What a store offers for trade flows. Both stores give the same answers."""

    #: True when :meth:`load` is one transaction (a bad row met half way leaves nothing); a
    #: store without it gets rows that were checked whole before the first write.
    atomic_load: bool = True

    @abstractmethod
    def known_file(self, sha256: str) -> FlowFile | None:
        """The file with this content hash, when loaded before."""

    @abstractmethod
    def load(self, file: FlowFile, rows: Iterable[Flow]) -> int:
        """Store ``rows`` and record ``file``; a flow already held (same dataset, year, exporter,
        importer, product) takes the new values. Returns the rows written."""

    @abstractmethod
    def mark_derived(self, sha256: str, min_share: float) -> None:
        """Record that the graph relations of this file's flows were made at ``min_share``."""

    @abstractmethod
    def scan(self, dataset: str, hs6: Iterable[str] | None = None) -> Iterator[Flow]:
        """Every flow of ``dataset`` (of the products ``hs6``, when given) ordered by product,
        then year: what the derivation reads one product at a time."""

    @abstractmethod
    def products(self, dataset: str, sha256: str) -> list[str]:
        """The HS6 products the file with this hash holds flows of (in this dataset), sorted."""

    @abstractmethod
    def find(self, query: FlowQuery, *, offset: int = 0, limit: int = 100) -> tuple[list[Flow], int]:
        """One page of flows matching ``query``, largest value first, and how many match."""

    @abstractmethod
    def totals(self, exporter: str, importer: str | None, hs_prefixes: Iterable[str]) -> list[FlowTotal]:
        """The value ``exporter`` sold (to ``importer``, or to anyone when None) of products
        starting with any of ``hs_prefixes``, by dataset and year, oldest first."""

    def close(self) -> None:  # noqa: B027 - optional for stores with nothing to release
        """Release connections."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS trade_datasets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS trade_files (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL, dataset INTEGER NOT NULL,
    rows INTEGER NOT NULL, derived_share REAL
);
CREATE TABLE IF NOT EXISTS trade_flows (
    dataset INTEGER NOT NULL, year INTEGER NOT NULL, exporter TEXT NOT NULL, importer TEXT NOT NULL,
    hs6 TEXT NOT NULL, value_usd REAL NOT NULL, quantity REAL, file INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS trade_flows_key ON trade_flows (exporter, importer, hs6, year, dataset);
CREATE INDEX IF NOT EXISTS trade_flows_product ON trade_flows (dataset, hs6, year);
CREATE INDEX IF NOT EXISTS trade_flows_importer ON trade_flows (importer, hs6);
"""

_UPSERT = """
INSERT INTO trade_flows (dataset, year, exporter, importer, hs6, value_usd, quantity, file, line)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (exporter, importer, hs6, year, dataset)
DO UPDATE SET value_usd = excluded.value_usd, quantity = excluded.quantity, file = excluded.file, line = excluded.line
"""

_SELECT = """
SELECT d.name, f.year, f.exporter, f.importer, f.hs6, f.value_usd, f.quantity, tf.name, f.line
FROM trade_flows f JOIN trade_datasets d ON d.id = f.dataset JOIN trade_files tf ON tf.id = f.file
"""


def _where(query: FlowQuery) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for column, value in (("f.exporter", query.exporter), ("f.importer", query.importer), ("f.year", query.year), ("d.name", query.dataset)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.hs:
        low, high = hs_range(query.hs)
        clauses.append("f.hs6 >= ? AND f.hs6 < ?")
        params += [low, high]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


class SqliteFlows(FlowStore):
    """Flows in the embedded store's SQLite file, through a connection of their own."""

    def __init__(self, path: Path) -> None:
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA cache_size=-131072")  # 128 MiB: the three indexes stay hot while loading
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"cannot open the trade flows in {path}: {e}") from e
        self._lock = threading.RLock()

    def known_file(self, sha256: str) -> FlowFile | None:
        with self._lock:
            row = self._db.execute(
                "SELECT tf.sha256, tf.name, d.name, tf.rows, tf.derived_share FROM trade_files tf "
                "JOIN trade_datasets d ON d.id = tf.dataset WHERE tf.sha256 = ?",
                (sha256,),
            ).fetchone()
        return FlowFile(*row) if row else None

    def _dataset_id(self, name: str) -> int:
        self._db.execute("INSERT OR IGNORE INTO trade_datasets (name) VALUES (?)", (name,))
        return self._db.execute("SELECT id FROM trade_datasets WHERE name = ?", (name,)).fetchone()[0]

    def load(self, file: FlowFile, rows: Iterable[Flow]) -> int:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                dataset = self._dataset_id(file.dataset)
                self._db.execute("DELETE FROM trade_files WHERE sha256 = ?", (file.sha256,))
                file_id = self._db.execute(
                    "INSERT INTO trade_files (sha256, name, dataset, rows) VALUES (?, ?, ?, 0)", (file.sha256, file.name, dataset)
                ).lastrowid
                written = 0
                chunk: list[tuple] = []
                for f in rows:
                    chunk.append((dataset, f.year, f.exporter, f.importer, f.hs6, f.value_usd, f.quantity, file_id, f.line))
                    if len(chunk) >= LOAD_CHUNK:
                        self._db.executemany(_UPSERT, chunk)
                        written += len(chunk)
                        chunk.clear()
                self._db.executemany(_UPSERT, chunk)
                written += len(chunk)
                self._db.execute("UPDATE trade_files SET rows = ? WHERE id = ?", (written, file_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return written

    def mark_derived(self, sha256: str, min_share: float) -> None:
        with self._lock:
            self._db.execute("UPDATE trade_files SET derived_share = ? WHERE sha256 = ?", (min_share, sha256))

    def products(self, dataset: str, sha256: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT f.hs6 FROM trade_flows f JOIN trade_files tf ON tf.id = f.file "
                "JOIN trade_datasets d ON d.id = f.dataset WHERE tf.sha256 = ? AND d.name = ? ORDER BY f.hs6",
                (sha256, dataset),
            ).fetchall()
        return [r[0] for r in rows]

    def scan(self, dataset: str, hs6: Iterable[str] | None = None) -> Iterator[Flow]:
        # A cursor of its own, read in pages: the derivation writes to the graph between pages.
        wanted = None if hs6 is None else sorted(set(hs6))
        after = ("", 0, "", "")
        while True:
            with self._lock:
                page = self._db.execute(
                    _SELECT + " WHERE d.name = ? AND (f.hs6, f.year, f.importer, f.exporter) > (?, ?, ?, ?)"
                    + ("" if wanted is None else f" AND f.hs6 IN ({','.join('?' * len(wanted))})")
                    + " ORDER BY f.hs6, f.year, f.importer, f.exporter LIMIT ?",
                    (dataset, *after, *(wanted or []), LOAD_CHUNK),
                ).fetchall()
            yield from (Flow(*row) for row in page)
            if len(page) < LOAD_CHUNK:
                return
            last = page[-1]
            after = (last[4], last[1], last[3], last[2])

    def find(self, query: FlowQuery, *, offset: int = 0, limit: int = 100) -> tuple[list[Flow], int]:
        where, params = _where(query)
        with self._lock:
            count = self._db.execute(
                "SELECT count(*) FROM trade_flows f JOIN trade_datasets d ON d.id = f.dataset" + where, params
            ).fetchone()[0]
            rows = self._db.execute(
                _SELECT + where + " ORDER BY f.value_usd DESC, f.year, f.exporter, f.importer, f.hs6, d.name LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [Flow(*row) for row in rows], count

    def totals(self, exporter: str, importer: str | None, hs_prefixes: Iterable[str]) -> list[FlowTotal]:
        prefixes = sorted(set(hs_prefixes))
        if not prefixes:
            return []
        ranges = [hs_range(p) for p in prefixes]
        clauses = " OR ".join("(f.hs6 >= ? AND f.hs6 < ?)" for _ in ranges)
        params: list[object] = [exporter]
        if importer is not None:
            params.append(importer)
        params += [bound for r in ranges for bound in r]
        statement = (
            "SELECT d.name, f.year, sum(f.value_usd), count(*) FROM trade_flows f JOIN trade_datasets d ON d.id = f.dataset "
            "WHERE f.exporter = ?" + (" AND f.importer = ?" if importer is not None else "") + f" AND ({clauses}) "
            "GROUP BY d.name, f.year ORDER BY f.year, d.name"
        )
        with self._lock:
            rows = self._db.execute(statement, params).fetchall()
        return [FlowTotal(name, year, round(value, 2), n) for name, year, value, n in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
