"""Bilateral trade flows kept as data beside the graph: the contract both stores expose as
``store.flows`` (the embedded store's is graph/embedded/flows.py, Neo4j's graph/neo4j/flows.py).

Flows are rows (dataset, year, exporter, importer, HS6 product, value in USD, quantity in tonnes,
and the file and line they were read from), far too many to be graph relations: a BACI year holds
about eleven million. The graph gets the few relations derived from them (ingest/trade_derive.py);
the rows stay queryable here, by exporter, importer, HS prefix and year.

A file is loaded whole or not at all and recorded by its SHA-256, so loading it again is refused
before anything is read or written (``FlowStore.known_file``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["LOOSE", "Flow", "FlowFile", "FlowQuery", "FlowRow", "FlowStore", "FlowTotal", "Share", "hs_range"]

#: One row as a flows file gives it: (year, exporter, importer, hs6, value_usd, quantity, line).
#: A tuple, not an object: eleven million of them pass through a load.
FlowRow = tuple[int, str, str, str, float, float | None, int]

#: How much (relatively) a store's query may let a share fall below the bar and still send it back to be checked exactly.
LOOSE = 1e-9


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
    derived_min_value: float | None = None


@dataclass(frozen=True, slots=True, order=True)
class Share:
    """A share found by :meth:`FlowStore.shares`: one candidate relation before the derivation's
    own checks. ``kind`` is ``"S"`` (exporter ``country`` of world exports) or ``"D"``
    (importer ``country`` of its imports, from ``origin``); ``value_usd`` of ``total_usd``,
    the total summed over ``rows`` rows."""

    hs6: str
    year: int
    kind: str
    country: str
    origin: str
    value_usd: float
    total_usd: float
    rows: int


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
    def load(self, file: FlowFile, rows: Iterable[FlowRow]) -> int:
        """Store ``rows`` and record ``file``; a flow already held (same dataset, year, exporter,
        importer, product) takes the new values. Returns the rows written."""

    @abstractmethod
    def mark_derived(self, sha256: str, min_share: float, min_value: float) -> None:
        """Record that the graph relations of this file's flows were made at these thresholds."""

    @abstractmethod
    def scan(self, dataset: str, hs6: Iterable[str] | None = None) -> Iterator[Flow]:
        """Every flow of ``dataset`` (of the products ``hs6``, when given) ordered by product,
        year, importer and exporter, a page at a time: for reading a dataset whole (the
        derivation does not: it asks for :meth:`shares`)."""

    @abstractmethod
    def products(self, dataset: str, sha256: str) -> list[str]:
        """The HS6 products the file with this hash holds flows of (in this dataset), sorted."""

    @abstractmethod
    def shares(self, dataset: str, products: list[str], min_share: float, min_value: float) -> list[Share]:
        """The candidate relations of ``dataset``'s flows of ``products``, ordered by product,
        year, kind, country and origin: exporters whose exports of a product in a year are at
        least ``min_value`` and ``min_share`` of the world's, and flows of at least ``min_value``
        and ``min_share`` of their importer's imports of the product. The store aggregates; the
        caller checks each candidate again (the comparison here is a little loose on purpose,
        so that rounding in the store's sums never drops a share that is exactly at the bar)."""

    @abstractmethod
    def lines(self, dataset: str, groups: list[tuple[str, int, str, str]]) -> dict[tuple[str, int, str, str], list[tuple[str, str, int]]]:
        """The rows behind each group (hs6, year, ``"exporter"`` or ``"importer"``, country): per
        group, (the other country, file name, line) of every flow of that country on that side,
        ordered by file and line. What a citation names."""

    @abstractmethod
    def find(self, query: FlowQuery, *, offset: int = 0, limit: int = 100) -> tuple[list[Flow], int]:
        """One page of flows matching ``query``, largest value first, and how many match."""

    @abstractmethod
    def totals(self, exporter: str, importer: str | None, hs_prefixes: Iterable[str]) -> list[FlowTotal]:
        """The value ``exporter`` sold (to ``importer``, or to anyone when None) of products
        starting with any of ``hs_prefixes``, by dataset and year, oldest first."""

    def close(self) -> None:
        """Release connections."""
