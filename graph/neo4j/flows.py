"""Trade flows in Neo4j: one ``:TradeFlow`` node per flow, and a ``:TradeFile`` node per file loaded.

Why nodes and not aggregate properties on the graph's relations: the API reads flows by any mix
of exporter, importer, HS prefix and year, and the impact of a measure sums them by year; a node
per flow with a uniqueness constraint on its key and an index per filter answers each of those
with an index seek, and loads in ``UNWIND $rows ... MERGE`` batches at the speed of the key
constraint. The nodes carry no ``Entity`` label and no relationships, so no graph query, count
or export meets them; Browser users can still ``MATCH (f:TradeFlow {hs6: '850511'})``.

A flow's key is ``dataset|hs6|year|importer|exporter``: ordered by key, one dataset's flows come
product by product, year by year, which is the order the derivation reads them in.

Loading is in batches, not one transaction (eleven million rows would not fit one server
transaction): ingest/trade.py checks every row of a file before the first batch is sent
(``atomic_load`` is False), and the ``:TradeFile`` node that makes a reload a no-op is written
after the last batch, so an interrupted load is finished by loading the file again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from neo4j.exceptions import ServiceUnavailable

import neo4j
from graph.flows import LOOSE, Flow, FlowFile, FlowQuery, FlowRow, FlowStore, FlowTotal, Share, hs_range
from graph.model.errors import StoreUnavailableError

__all__ = ["Neo4jFlows", "all_statements"]

BATCH = 5_000

SCHEMA = [
    "CREATE CONSTRAINT trade_flow_key IF NOT EXISTS FOR (f:TradeFlow) REQUIRE f.key IS UNIQUE",
    "CREATE CONSTRAINT trade_file_sha256 IF NOT EXISTS FOR (t:TradeFile) REQUIRE t.sha256 IS UNIQUE",
    "CREATE INDEX trade_flow_exporter IF NOT EXISTS FOR (f:TradeFlow) ON (f.exporter, f.hs6)",
    "CREATE INDEX trade_flow_importer IF NOT EXISTS FOR (f:TradeFlow) ON (f.importer, f.hs6)",
    "CREATE INDEX trade_flow_product IF NOT EXISTS FOR (f:TradeFlow) ON (f.hs6)",
]

LOAD_FLOWS = """
UNWIND $rows AS row
MERGE (f:TradeFlow {key: row.key})
SET f.dataset = row.dataset, f.year = row.year, f.exporter = row.exporter, f.importer = row.importer,
    f.hs6 = row.hs6, f.value_usd = row.value_usd, f.quantity = row.quantity, f.file = row.file, f.line = row.line
"""

RECORD_FILE = """
MERGE (t:TradeFile {sha256: $sha256})
SET t.name = $name, t.dataset = $dataset, t.rows = $rows, t.derived_share = null, t.derived_min_value = null
"""

KNOWN_FILE = """
MATCH (t:TradeFile {sha256: $sha256})
RETURN t.sha256 AS sha256, t.name AS name, t.dataset AS dataset, t.rows AS rows, t.derived_share AS derived_share,
       t.derived_min_value AS derived_min_value
"""

MARK_DERIVED = "MATCH (t:TradeFile {sha256: $sha256}) SET t.derived_share = $share, t.derived_min_value = $min_value"

# The candidates of graph/flows.py's FlowStore.shares: flows against their importer's total, and
# exporters' sums against the world's, for a list of products; ordered by the caller.
SHARES = """
MATCH (f:TradeFlow) WHERE f.hs6 IN $products AND f.dataset = $dataset
WITH f.hs6 AS hs6, f.year AS year, f.importer AS importer, collect([f.exporter, f.value_usd]) AS flows, sum(f.value_usd) AS total
UNWIND flows AS flow
WITH hs6, year, importer, flow, total, size(flows) AS n
WHERE flow[1] > 0 AND flow[1] >= $min_value AND flow[1] >= $min_share * total
RETURN hs6, year, 'D' AS kind, importer AS country, flow[0] AS origin, flow[1] AS value_usd, total AS total_usd, n AS rows
UNION ALL
MATCH (f:TradeFlow) WHERE f.hs6 IN $products AND f.dataset = $dataset
WITH f.hs6 AS hs6, f.year AS year, f.exporter AS exporter, sum(f.value_usd) AS value, count(f) AS k
WITH hs6, year, collect([exporter, value]) AS exporters, sum(value) AS total, sum(k) AS n
UNWIND exporters AS e
WITH hs6, year, e, total, n
WHERE e[1] > 0 AND e[1] >= $min_value AND e[1] >= $min_share * total
RETURN hs6, year, 'S' AS kind, e[0] AS country, '' AS origin, e[1] AS value_usd, total AS total_usd, n AS rows
"""

LINES = """
UNWIND $groups AS g
MATCH (f:TradeFlow) WHERE f.hs6 = g[0] AND f.year = g[1] AND f.dataset = $dataset
  AND ((g[2] = 'exporter' AND f.exporter = g[3]) OR (g[2] = 'importer' AND f.importer = g[3]))
RETURN g AS grp, CASE g[2] WHEN 'exporter' THEN f.importer ELSE f.exporter END AS other, f.file AS file, f.line AS line
ORDER BY file, line
"""

FILE_PRODUCTS = """
MATCH (t:TradeFile {sha256: $sha256})
MATCH (f:TradeFlow) WHERE f.key STARTS WITH $prefix AND f.file = t.name
RETURN DISTINCT f.hs6 AS hs6 ORDER BY hs6
"""

SCAN_PAGE = """
MATCH (f:TradeFlow)
WHERE f.key STARTS WITH $prefix AND f.key > $after AND ($products IS NULL OR f.hs6 IN $products)
RETURN f.key AS key, f.dataset AS dataset, f.year AS year, f.exporter AS exporter, f.importer AS importer,
       f.hs6 AS hs6, f.value_usd AS value_usd, f.quantity AS quantity, f.file AS file, f.line AS line
ORDER BY f.key
LIMIT $limit
"""

_FILTER = """
MATCH (f:TradeFlow)
WHERE ($exporter IS NULL OR f.exporter = $exporter) AND ($importer IS NULL OR f.importer = $importer)
  AND ($year IS NULL OR f.year = $year) AND ($dataset IS NULL OR f.dataset = $dataset)
  AND ($low IS NULL OR (f.hs6 >= $low AND f.hs6 < $high))
"""

COUNT_FLOWS = _FILTER + "RETURN count(f) AS count"

FIND_FLOWS = (
    _FILTER
    + """RETURN f.dataset AS dataset, f.year AS year, f.exporter AS exporter, f.importer AS importer, f.hs6 AS hs6,
       f.value_usd AS value_usd, f.quantity AS quantity, f.file AS file, f.line AS line
ORDER BY value_usd DESC, year, exporter, importer, hs6, dataset
SKIP $offset LIMIT $limit
"""
)

TOTALS = """
MATCH (f:TradeFlow)
WHERE f.exporter = $exporter AND ($importer IS NULL OR f.importer = $importer)
  AND any(r IN $ranges WHERE f.hs6 >= r[0] AND f.hs6 < r[1])
RETURN f.dataset AS dataset, f.year AS year, sum(f.value_usd) AS value_usd, count(f) AS rows
ORDER BY year, dataset
"""


def all_statements() -> list[tuple[str, str]]:
    """(name, statement) for every statement this module sends, for the Cypher linter."""
    found = [(f"trade_schema[{i}]", s) for i, s in enumerate(SCHEMA)]
    return found + [(name, value) for name, value in sorted(globals().items()) if name.isupper() and isinstance(value, str) and not name.startswith("_")]


def _node(dataset: str, file: str, row: FlowRow) -> dict[str, Any]:
    """The properties of a flow's node; its key orders one dataset's flows by product and year."""
    year, exporter, importer, hs6, value_usd, quantity, line = row
    return {
        "key": f"{dataset}|{hs6}|{year}|{importer}|{exporter}", "dataset": dataset, "year": year, "exporter": exporter,
        "importer": importer, "hs6": hs6, "value_usd": value_usd, "quantity": quantity, "file": file, "line": line,
    }


def _flow(row: dict[str, Any]) -> Flow:
    return Flow(
        row["dataset"], row["year"], row["exporter"], row["importer"], row["hs6"], row["value_usd"], row["quantity"], row["file"], row["line"]
    )


class Neo4jFlows(FlowStore):
    """Flows as ``:TradeFlow`` nodes, through the store's driver."""

    atomic_load = False

    def __init__(self, driver: neo4j.Driver, database: str, timeout_s: float) -> None:
        self._driver = driver
        self._database = database
        self._timeout_s = timeout_s
        self._schema_ready = False

    def _run(self, statement: str, *, write: bool = False, **parameters: Any) -> list[dict[str, Any]]:
        if not self._schema_ready:
            self._schema_ready = True
            for schema in SCHEMA:
                self._run(schema, write=True)
        timeout = max(self._timeout_s, 120.0) if write else self._timeout_s
        try:
            records, _, _ = self._driver.execute_query(
                neo4j.Query(statement, timeout=timeout),
                parameters_=parameters,
                database_=self._database,
                routing_=neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ,
            )
        except ServiceUnavailable as e:
            raise StoreUnavailableError(f"Neo4j is unavailable: {e}") from e
        return [r.data() for r in records]

    def known_file(self, sha256: str) -> FlowFile | None:
        rows = self._run(KNOWN_FILE, sha256=sha256)
        return FlowFile(**rows[0]) if rows else None

    def load(self, file: FlowFile, rows: Iterable[FlowRow]) -> int:
        written = 0
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(_node(file.dataset, file.name, row))
            if len(batch) >= BATCH:
                self._run(LOAD_FLOWS, write=True, rows=batch)
                written += len(batch)
                batch = []
        if batch:
            self._run(LOAD_FLOWS, write=True, rows=batch)
            written += len(batch)
        self._run(RECORD_FILE, write=True, sha256=file.sha256, name=file.name, dataset=file.dataset, rows=written)
        return written

    def mark_derived(self, sha256: str, min_share: float, min_value: float) -> None:
        self._run(MARK_DERIVED, write=True, sha256=sha256, share=min_share, min_value=min_value)

    def shares(self, dataset: str, products: list[str], min_share: float, min_value: float) -> list[Share]:
        if not products:
            return []
        rows = self._run(SHARES, dataset=dataset, products=list(products), min_share=min_share * (1 - LOOSE), min_value=min_value)
        found = [Share(r["hs6"], r["year"], r["kind"], r["country"], r["origin"], r["value_usd"], r["total_usd"], r["rows"]) for r in rows]
        return sorted(found)

    def lines(self, dataset: str, groups: list[tuple[str, int, str, str]]) -> dict[tuple[str, int, str, str], list[tuple[str, str, int]]]:
        found: dict[tuple[str, int, str, str], list[tuple[str, str, int]]] = {group: [] for group in groups}
        for start in range(0, len(groups), BATCH):
            for r in self._run(LINES, dataset=dataset, groups=[list(g) for g in groups[start : start + BATCH]]):
                found[tuple(r["grp"])].append((r["other"], r["file"], r["line"]))  # type: ignore[index]
        return found

    def products(self, dataset: str, sha256: str) -> list[str]:
        return [r["hs6"] for r in self._run(FILE_PRODUCTS, sha256=sha256, prefix=f"{dataset}|")]

    def scan(self, dataset: str, hs6: Iterable[str] | None = None) -> Iterator[Flow]:
        products = None if hs6 is None else sorted(set(hs6))
        after = ""
        while True:
            page = self._run(SCAN_PAGE, prefix=f"{dataset}|", after=after, products=products, limit=BATCH)
            yield from (_flow(row) for row in page)
            if len(page) < BATCH:
                return
            after = page[-1]["key"]

    def find(self, query: FlowQuery, *, offset: int = 0, limit: int = 100) -> tuple[list[Flow], int]:
        low, high = hs_range(query.hs) if query.hs else (None, None)
        params = {
            "exporter": query.exporter, "importer": query.importer, "year": query.year, "dataset": query.dataset, "low": low, "high": high,
        }
        count = self._run(COUNT_FLOWS, **params)[0]["count"]
        rows = self._run(FIND_FLOWS, offset=offset, limit=limit, **params)
        return [_flow(row) for row in rows], count

    def totals(self, exporter: str, importer: str | None, hs_prefixes: Iterable[str]) -> list[FlowTotal]:
        ranges = [list(hs_range(p)) for p in sorted(set(hs_prefixes))]
        if not ranges:
            return []
        rows = self._run(TOTALS, exporter=exporter, importer=importer, ranges=ranges)
        return [FlowTotal(r["dataset"], r["year"], round(r["value_usd"], 2), r["rows"]) for r in rows]
