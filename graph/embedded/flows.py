"""Trade flows in the embedded store: SQLite tables in the store's own database file (the contract
is graph/flows.py).

The tables are written through a connection of their own: the graph's writer lock is not held
through an eleven-million-row load, and WAL lets the graph's readers go on meanwhile.

Speed, for an eleven-million-row year: rows arrive as plain tuples (no object per row) and go
into an unindexed temporary table in one ``executemany``; one ``INSERT ... SELECT`` sorted by the
table's key then appends them to ``trade_flows``, a table clustered on (product, year, dataset,
importer, exporter), with its two secondary indexes dropped and built again afterwards when the
load is large. The derivation asks for shares already aggregated (:meth:`FlowStore.shares`,
window and ``GROUP BY`` queries over a few hundred products at a time), never for the rows.

"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.flows import LOOSE, Flow, FlowFile, FlowQuery, FlowRow, FlowStore, FlowTotal, Share, hs_range
from graph.model.errors import StoreUnavailableError

__all__ = ["SqliteFlows"]

#: Rows per page when reading flows back.
LOAD_CHUNK = 20_000
#: A load of at least this many rows drops the secondary indexes and builds them again after:
#: one sort each instead of millions of random B-tree inserts.
REINDEX_ROWS = 200_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trade_datasets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS trade_files (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, name TEXT NOT NULL, dataset INTEGER NOT NULL,
    rows INTEGER NOT NULL, derived_share REAL, derived_min_value REAL
);
CREATE TABLE IF NOT EXISTS trade_flows (
    hs6 TEXT NOT NULL, year INTEGER NOT NULL, dataset INTEGER NOT NULL, importer TEXT NOT NULL, exporter TEXT NOT NULL,
    value_usd REAL NOT NULL, quantity REAL, file INTEGER NOT NULL, line INTEGER NOT NULL,
    PRIMARY KEY (hs6, year, dataset, importer, exporter)
) WITHOUT ROWID;
"""

#: Secondary indexes, by name: dropped and built again around a large load.
_INDEXES = {
    "trade_flows_exporter": "CREATE INDEX IF NOT EXISTS trade_flows_exporter ON trade_flows (exporter, hs6)",
    "trade_flows_importer": "CREATE INDEX IF NOT EXISTS trade_flows_importer ON trade_flows (importer, hs6)",
}

_STAGE = """
CREATE TEMP TABLE IF NOT EXISTS trade_stage (
    year INTEGER, exporter TEXT, importer TEXT, hs6 TEXT, value_usd REAL, quantity REAL, line INTEGER
)
"""

_GROUPS = "CREATE TEMP TABLE IF NOT EXISTS trade_groups (hs6 TEXT, year INTEGER, side TEXT, country TEXT)"

# ``WHERE true`` keeps SQLite from reading ON CONFLICT as a join constraint; ordered by the
# table's key (then line, so the last of two rows with the same key wins), the rows append.
_MERGE = """
INSERT INTO trade_flows (hs6, year, dataset, importer, exporter, value_usd, quantity, file, line)
SELECT hs6, year, ?, importer, exporter, value_usd, quantity, ?, line FROM temp.trade_stage WHERE true
ORDER BY hs6, year, importer, exporter, line
ON CONFLICT (hs6, year, dataset, importer, exporter)
DO UPDATE SET value_usd = excluded.value_usd, quantity = excluded.quantity, file = excluded.file, line = excluded.line
"""

# Flows against their importer's total: the totals by (product, year, importer) first, then only
# the groups whose largest flow can pass both bars are joined back to their flows. Exporters
# against the world: sums by exporter, then the world's sum over them.
_SHARES = """
SELECT t.hs6, t.year, 'D', t.importer, f.exporter, f.value_usd, t.total, t.n FROM (
    SELECT hs6, year, dataset, importer, sum(value_usd) AS total, count(*) AS n, max(value_usd) AS top
    FROM trade_flows WHERE dataset = :dataset AND hs6 BETWEEN :low AND :high
    GROUP BY hs6, year, dataset, importer
) t JOIN trade_flows f ON f.hs6 = t.hs6 AND f.year = t.year AND f.dataset = t.dataset AND f.importer = t.importer
WHERE t.top > 0 AND t.top >= :min_value AND t.top >= :min_share * t.total
  AND f.value_usd > 0 AND f.value_usd >= :min_value AND f.value_usd >= :min_share * t.total
UNION ALL
SELECT hs6, year, 'S', exporter, '', value_usd, total, n FROM (
    SELECT hs6, year, exporter, sum(value_usd) AS value_usd,
           sum(sum(value_usd)) OVER w AS total, sum(count(*)) OVER w AS n
    FROM trade_flows WHERE dataset = :dataset AND hs6 BETWEEN :low AND :high
    GROUP BY hs6, year, exporter
    WINDOW w AS (PARTITION BY hs6, year)
) WHERE value_usd > 0 AND value_usd >= :min_value AND value_usd >= :min_share * total
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
            for statement in _INDEXES.values():
                self._db.execute(statement)
        except sqlite3.Error as e:
            raise StoreUnavailableError(f"cannot open the trade flows in {path}: {e}") from e
        self._lock = threading.RLock()

    def known_file(self, sha256: str) -> FlowFile | None:
        with self._lock:
            row = self._db.execute(
                "SELECT tf.sha256, tf.name, d.name, tf.rows, tf.derived_share, tf.derived_min_value FROM trade_files tf "
                "JOIN trade_datasets d ON d.id = tf.dataset WHERE tf.sha256 = ?",
                (sha256,),
            ).fetchone()
        return FlowFile(*row) if row else None

    def _dataset_id(self, name: str) -> int:
        self._db.execute("INSERT OR IGNORE INTO trade_datasets (name) VALUES (?)", (name,))
        return self._db.execute("SELECT id FROM trade_datasets WHERE name = ?", (name,)).fetchone()[0]

    def load(self, file: FlowFile, rows: Iterable[FlowRow]) -> int:
        with self._lock:
            self._db.execute(_STAGE)
            self._db.execute("DELETE FROM temp.trade_stage")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                dataset = self._dataset_id(file.dataset)
                self._db.execute("DELETE FROM trade_files WHERE sha256 = ?", (file.sha256,))
                file_id = self._db.execute(
                    "INSERT INTO trade_files (sha256, name, dataset, rows) VALUES (?, ?, ?, 0)", (file.sha256, file.name, dataset)
                ).lastrowid
                # One executemany over the whole iterator: sqlite3 pulls the rows one at a time.
                written = self._db.executemany(
                    "INSERT INTO temp.trade_stage (year, exporter, importer, hs6, value_usd, quantity, line) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                ).rowcount
                reindex = written >= REINDEX_ROWS
                if reindex:
                    for name in _INDEXES:
                        self._db.execute(f"DROP INDEX IF EXISTS {name}")
                self._db.execute(_MERGE, (dataset, file_id))
                if reindex:
                    for statement in _INDEXES.values():
                        self._db.execute(statement)
                self._db.execute("UPDATE trade_files SET rows = ? WHERE id = ?", (written, file_id))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._db.execute("DELETE FROM temp.trade_stage")
        return written

    def mark_derived(self, sha256: str, min_share: float, min_value: float) -> None:
        with self._lock:
            self._db.execute("UPDATE trade_files SET derived_share = ?, derived_min_value = ? WHERE sha256 = ?", (min_share, min_value, sha256))

    def products(self, dataset: str, sha256: str) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT f.hs6 FROM trade_flows f JOIN trade_files tf ON tf.id = f.file "
                "JOIN trade_datasets d ON d.id = f.dataset WHERE tf.sha256 = ? AND d.name = ? ORDER BY f.hs6",
                (sha256, dataset),
            ).fetchall()
        return [r[0] for r in rows]

    def scan(self, dataset: str, hs6: Iterable[str] | None = None) -> Iterator[Flow]:
        # Read in pages, so no cursor stays open between them.
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

    def shares(self, dataset: str, products: list[str], min_share: float, min_value: float) -> list[Share]:
        with self._lock:
            found = self._db.execute("SELECT id FROM trade_datasets WHERE name = ?", (dataset,)).fetchone()
            if found is None or not products:
                return []
            # A range is an index range scan; products in it that were not asked for are left out.
            wanted = set(products)
            rows = self._db.execute(
                _SHARES,
                {"dataset": found[0], "low": min(wanted), "high": max(wanted), "min_value": min_value, "min_share": min_share * (1 - LOOSE)},
            ).fetchall()
        return sorted(Share(*row) for row in rows if row[0] in wanted)

    def lines(self, dataset: str, groups: list[tuple[str, int, str, str]]) -> dict[tuple[str, int, str, str], list[tuple[str, str, int]]]:
        found: dict[tuple[str, int, str, str], list[tuple[str, str, int]]] = {group: [] for group in groups}
        with self._lock:
            ids = self._db.execute("SELECT id FROM trade_datasets WHERE name = ?", (dataset,)).fetchone()
            if ids is None or not groups:
                return found
            # The groups go into a temporary table and come back joined to their flows: one
            # statement per side, not one per group.
            self._db.execute(_GROUPS)
            self._db.execute("DELETE FROM temp.trade_groups")
            self._db.executemany("INSERT INTO temp.trade_groups VALUES (?, ?, ?, ?)", groups)
            for side, other in (("exporter", "importer"), ("importer", "exporter")):
                rows = self._db.execute(
                    f"SELECT g.hs6, g.year, g.country, f.{other}, tf.name, f.line FROM temp.trade_groups g "
                    f"JOIN trade_flows f ON f.hs6 = g.hs6 AND f.year = g.year AND f.dataset = ? AND f.{side} = g.country "
                    "JOIN trade_files tf ON tf.id = f.file WHERE g.side = ? ORDER BY tf.name, f.line",
                    (ids[0], side),
                ).fetchall()
                for hs6, year, country, partner, name, line in rows:
                    found[(hs6, year, side, country)].append((partner, name, line))
            self._db.execute("DELETE FROM temp.trade_groups")
        return found

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
