"""From trade flows to graph relations, and the whole import of one flows file.

For each product and year of a dataset:

- SUPPLIES exporter -> good, share = the exporter's part of world exports of the good;
- DEPENDS_ON importer -> good with origin = exporter, share = the exporter's part of the
  importer's imports of the good;

each made only when the share is at least ``min_share`` AND the value behind it (the exporter's
exports, or the flow) is at least ``min_value`` USD, between countries with an ISO alpha-2 code.
Both bars keep the graph navigable: a BACI year has a million importer-product pairs, nearly
each with a supplier above a quarter of it, most of them worth a few thousand dollars; every flow
stays queryable as data. A relation carries the newest year's figures (``year``, ``value_usd``,
``source`` = the dataset) and cites every year it was found in. The citation is a document per
dataset, product and year that lists, line by line, the rows behind each relation (file and
line) and the totals its share was computed from; each relation's evidence is its line there.
The same flows give the same documents, so importing again changes nothing.

The store does the arithmetic (``FlowStore.shares``: sums by exporter, importer, product and
year in the database, a few hundred products per query); Python sees only the candidates that
pass the bars, checks each exactly, and asks for the lines they cite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from graph.flows import FlowFile, Share
from graph.model.enums import RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.store import GraphStore, WriteSummary
from ingest.trade import TradeFile, file_sha256, open_trade_file
from ingest.trade_goods import hs_goods, hs_id

__all__ = ["DEFAULT_MIN_SHARE", "DEFAULT_MIN_VALUE_USD", "EXTRACTOR", "TradeResult", "derive", "ingest_trade_file"]

EXTRACTOR = "trade-flows"
DEFAULT_MIN_SHARE = 0.25
#: A relation needs at least this much trade behind it (USD, one year): ten million dollars keeps
#: the goods a country's industry or a trade dispute is about (the test file's magnets, gallium's
#: tens of millions) and leaves out the long tail of small flows, which make most of a BACI year.
DEFAULT_MIN_VALUE_USD = 10_000_000.0
#: Relations per write: each write is one transaction; a re-run finishes an interrupted derivation.
BATCH_RELATIONS = 5_000
#: Products per aggregation query: bounded memory on both sides, few round trips.
PRODUCTS_PER_QUERY = 250
MAX_LINES_CITED = 25

#: (hs6, year, "exporter" or "importer", country): the flows a citation names.
_Group = tuple[str, int, str, str]


@dataclass
class TradeResult:
    """What importing one flows file did."""

    rows: int = 0
    loaded: bool = False
    summary: WriteSummary = field(default_factory=WriteSummary)


def _usd(value: float) -> str:
    return f"{value:,.0f} USD"


def _lines(rows: list[tuple[str, str, int]]) -> str:
    """``file lines 2, 5, 9`` per file, the first MAX_LINES_CITED lines and how many more."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for _, name, line in sorted(rows, key=lambda r: (r[1], r[2])):
        by_file[name].append(line)
    parts = []
    for name, lines in sorted(by_file.items()):
        shown = ", ".join(str(n) for n in lines[:MAX_LINES_CITED])
        more = f" and {len(lines) - MAX_LINES_CITED} more" if len(lines) > MAX_LINES_CITED else ""
        parts.append(f"{name} line{'s' if len(lines) > 1 else ''} {shown}{more}")
    return "; ".join(parts)


@cache
def _is_country(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


@dataclass
class _Reading:
    """One relation found in one year: what it says and the line of the citation document."""

    relation: dict
    line: str


def _passes(share: Share, min_share: float, min_value: float) -> bool:
    """The exact check of a candidate the store sent (its own comparison is loose)."""
    if not share.total_usd or share.value_usd < min_value or share.value_usd / share.total_usd < min_share:
        return False
    if share.kind == "S":
        return _is_country(share.country)
    return _is_country(share.country) and _is_country(share.origin) and share.origin != share.country


def _group(share: Share) -> _Group:
    return (share.hs6, share.year, "exporter" if share.kind == "S" else "importer", share.country)


def _reading(dataset: str, share: Share, rows: list[tuple[str, str, int]]) -> _Reading:
    """The relation a checked candidate makes, and its line in the citation document."""
    hs6, year, good = share.hs6, share.year, hs_id(share.hs6)
    ratio = share.value_usd / share.total_usd
    if share.kind == "S":
        line = (
            f"SUPPLIES {share.country}: exports of HS {hs6} in {year} {_usd(share.value_usd)}, {ratio:.1%} of world exports "
            f"{_usd(share.total_usd)} ({share.rows} rows); {_lines(rows)}"
        )
        return _Reading({"source": f"country:{share.country}", "type": "SUPPLIES", "target": good, "share": round(ratio, 6),
                         "attributes": {"year": year, "value_usd": round(share.value_usd, 2), "world_value_usd": round(share.total_usd, 2),
                                        "source": dataset}}, line)
    own = next(((name, n) for other, name, n in rows if other == share.origin), ("?", 0))
    line = (
        f"DEPENDS_ON {share.country} from {share.origin}: imports of HS {hs6} in {year} {_usd(share.value_usd)} "
        f"({own[0]} line {own[1]}), {ratio:.1%} of its imports {_usd(share.total_usd)} ({_lines(rows)})"
    )
    return _Reading({"source": f"country:{share.country}", "type": "DEPENDS_ON", "target": good, "origin": f"country:{share.origin}",
                     "share": round(ratio, 6), "attributes": {"year": year, "value_usd": round(share.value_usd, 2),
                                                              "imports_value_usd": round(share.total_usd, 2), "source": dataset}}, line)


def _citation(dataset: str, hs6: str, year: int, description: str | None, readings: list[_Reading]) -> tuple[Document, dict[str, Evidence]]:
    """The document listing the readings of one product and year, and the evidence of each line."""
    head = f"{dataset}, {year}, HS {hs6}" + (f" ({description})" if description else "") + ": relations derived from trade flows, values in US dollars."
    lines = [head, *(r.line for r in readings)]
    text = "\n".join(lines)
    document = Document(title=f"{dataset} · {year} · HS {hs6}", source=dataset, language="en", text=text)
    assert document.id is not None
    evidence: dict[str, Evidence] = {}
    start = 0
    for line in lines:
        # Built, not validated: the span is the line's own by construction (a BACI year cites a
        # million lines, and validating each one again was a third of the derivation's time).
        evidence[line] = Evidence.model_construct(
            document_id=document.id, quote=line, start=start, end=start + len(line), extractor=EXTRACTOR, confidence=1.0
        )
        start += len(line) + 1
    evidence["__head__"] = evidence[head]
    return document, evidence


def _relation(fields: dict, evidence: list[Evidence]) -> Relation:
    """A derived relation, built without validation: its ends are an ISO alpha-2 country (checked
    by ``_is_country``) and an ``hs-<digits>`` good, its share a ratio of non-negative values at
    most 1, so the model's checks could only repeat these, a million times for a BACI year."""
    return Relation.model_construct(
        source=fields["source"], type=RelationType(fields["type"]), target=fields["target"], share=min(fields["share"], 1.0),
        origin=fields.get("origin"), valid_from=None, valid_to=None, attributes=fields["attributes"], evidence=evidence,
    )


def _country(entity_id: str, countries: dict[str, str], evidence: Evidence) -> Entity:
    """A country the store does not hold yet: its ISO name, and the dataset's name as an alias."""
    code = entity_id.removeprefix("country:")
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or country.name
    aliases = [countries[code]] if countries.get(code) and countries[code] != name else []
    return Entity(id=entity_id, names={"en": name}, aliases=aliases, evidence=[evidence])


def _product_batch(
    hs6: str, years: dict[int, list[_Reading]], dataset: str, description: str | None, countries: dict[str, str], known: set[str]
) -> Batch:
    """The documents, new entities and relations of one product, over every year it has readings."""
    documents: list[Document] = []
    entities: list[Entity] = []
    newest: dict[str, tuple[int, dict]] = {}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    first_evidence: Evidence | None = None
    for year, readings in sorted(years.items()):
        document, cited = _citation(dataset, hs6, year, description, readings)
        documents.append(document)
        first_evidence = first_evidence or cited["__head__"]
        for reading in readings:
            r = reading.relation
            key = f"{r['source']}|{r['type']}|{r['target']}|{r.get('origin', '')}"
            evidence[key].append(cited[reading.line])
            if key not in newest or newest[key][0] < year:
                newest[key] = (year, r)
            for end in (r["source"], r.get("origin")):
                if end and end not in known:
                    entities.append(_country(end, countries, cited[reading.line]))
                    known.add(end)
    if first_evidence is None:
        return Batch.model_construct(documents=[], entities=[], relations=[])
    goods = hs_goods(hs6, description, first_evidence, known)
    known.update(g.id for g in goods.entities)
    relations = [_relation(r, evidence[key]) for key, (_, r) in newest.items()]
    # Built, not validated (as ``_relation``): pydantic would check every derived relation again.
    return Batch.model_construct(
        documents=[*documents, *goods.documents], entities=[*entities, *goods.entities], relations=[*goods.relations, *relations]
    )


def _readings(store: GraphStore, dataset: str, products: list[str], min_share: float, min_value: float) -> dict[str, dict[int, list[_Reading]]]:
    """product -> year -> readings (SUPPLIES by exporter, then DEPENDS_ON by importer and origin)
    for a few hundred products: the store's candidates, checked, with the lines they cite."""
    checked = [s for s in store.flows.shares(dataset, products, min_share, min_value) if _passes(s, min_share, min_value)]
    lines = store.flows.lines(dataset, sorted({_group(s) for s in checked}))
    found: dict[str, dict[int, list[_Reading]]] = defaultdict(lambda: defaultdict(list))
    for share in sorted(checked, key=lambda s: (s.hs6, s.year, s.kind != "S", s.country, s.origin)):
        found[share.hs6][share.year].append(_reading(dataset, share, lines[_group(share)]))
    return found


def derive(
    store: GraphStore,
    dataset: str,
    products: Iterable[str],
    *,
    min_share: float,
    min_value: float = DEFAULT_MIN_VALUE_USD,
    descriptions: dict[str, str] | None = None,
    countries: dict[str, str] | None = None,
) -> WriteSummary:
    """Make (or refresh) the relations of ``dataset``'s flows of ``products``."""
    summary = WriteSummary()
    known: set[str] = set()
    pending: list[Batch] = []
    size = 0

    def flush() -> None:
        nonlocal pending, size
        if pending:
            batch = Batch.model_construct(
                documents=[d for b in pending for d in b.documents],
                entities=[e for b in pending for e in b.entities],
                relations=[r for b in pending for r in b.relations],
            )
            summary.add(store.upsert(batch))
        pending, size = [], 0

    ordered = sorted(set(products))
    for start in range(0, len(ordered), PRODUCTS_PER_QUERY):
        found = _readings(store, dataset, ordered[start : start + PRODUCTS_PER_QUERY], min_share, min_value)
        ends = {r.relation[end] for years in found.values() for rs in years.values() for r in rs for end in ("source", "origin") if end in r.relation}
        known |= store.known((ends | {hs_id(hs6) for hs6 in found}) - known)
        for hs6, years in sorted(found.items()):
            batch = _product_batch(hs6, years, dataset, (descriptions or {}).get(hs6), countries or {}, known)
            pending.append(batch)
            size += len(batch.relations)
            if size >= BATCH_RELATIONS:
                flush()
    flush()
    return summary


def _country_names(source: TradeFile) -> dict[str, str]:
    return {code: name for code, name in source.countries.values()}


def ingest_trade_file(
    store: GraphStore,
    path: Path,
    *,
    min_share: float = DEFAULT_MIN_SHARE,
    min_value: float = DEFAULT_MIN_VALUE_USD,
    progress: Callable[[int, int], None] | None = None,
) -> TradeResult:
    """Load a flows file into ``store.flows`` and derive its relations. A file loaded and derived
    before at the same ``min_share`` and ``min_value`` is recognised by its hash and nothing is
    read or written; at other bars its relations are derived again, its rows not read again."""
    if not 0.0 < min_share <= 1.0:
        raise InvalidDataError("must be above 0 and at most 1", field="min_share")
    if not 0.0 <= min_value < float("inf"):
        raise InvalidDataError("must be a finite number of at least 0", field="min_value")
    source = open_trade_file(path)
    digest = file_sha256(path)
    known = store.flows.known_file(digest)
    if known is not None and known.derived_share == min_share and known.derived_min_value == min_value:
        return TradeResult(rows=known.rows)
    result = TradeResult()
    if known is None:
        if not store.flows.atomic_load:
            for _ in source.rows():  # every row checked before the first write
                pass
        result.rows = store.flows.load(FlowFile(digest, path.name, source.dataset), source.rows(progress))
        result.loaded = True
    else:
        result.rows = known.rows
    result.summary = derive(
        store, source.dataset, store.flows.products(source.dataset, digest), min_share=min_share, min_value=min_value,
        descriptions=source.products, countries=_country_names(source),
    )
    store.flows.mark_derived(digest, min_share, min_value)
    return result
