"""From trade flows to graph relations, and the whole import of one flows file.

For each product and year of a dataset:

- SUPPLIES exporter -> good, share = the exporter's part of world exports of the good;
- DEPENDS_ON importer -> good with origin = exporter, share = the exporter's part of the
  importer's imports of the good;

each made only when the share is at least ``min_share`` (the graph stays navigable; every flow
stays queryable as data), between countries with an ISO alpha-2 code. A relation carries the
newest year's figures (``year``, ``value_usd``, ``source`` = the dataset) and cites every year it
was found in. The citation is a document per dataset, product and year that lists, line by line,
the rows behind each relation (file and line) and the totals its share was computed from; each
relation's evidence is its line there. The same flows give the same documents, so importing again
changes nothing.
"""

from __future__ import annotations

import itertools
from functools import cache
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from graph.enums import RelationType
from graph.flows import Flow, FlowFile
from graph.model import Batch, Document, Entity, Evidence, Relation
from graph.store import GraphStore, WriteSummary
from ingest.trade import TradeFile, file_sha256, open_trade_file
from ingest.trade_goods import hs_goods, hs_id

__all__ = ["derive", "ingest_trade_file", "TradeResult", "EXTRACTOR", "DEFAULT_MIN_SHARE"]

EXTRACTOR = "trade-flows"
DEFAULT_MIN_SHARE = 0.25
#: Relations per write: each write is one transaction; a re-run finishes an interrupted derivation.
BATCH_RELATIONS = 5_000
MAX_LINES_CITED = 25


@dataclass
class TradeResult:
    """What importing one flows file did."""

    rows: int = 0
    loaded: bool = False
    summary: WriteSummary = field(default_factory=WriteSummary)


def _usd(value: float) -> str:
    return f"{value:,.0f} USD"


def _lines(flows: list[Flow]) -> str:
    """``file lines 2, 5, 9`` per file, the first MAX_LINES_CITED lines and how many more."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for f in sorted(flows, key=lambda f: (f.file, f.line)):
        by_file[f.file].append(f.line)
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


def _year_readings(dataset: str, hs6: str, year: int, flows: list[Flow], min_share: float) -> list[_Reading]:
    good = hs_id(hs6)
    readings: list[_Reading] = []
    world = sum(f.value_usd for f in flows)
    exports: dict[str, list[Flow]] = defaultdict(list)
    imports: dict[str, list[Flow]] = defaultdict(list)
    for f in flows:
        exports[f.exporter].append(f)
        imports[f.importer].append(f)
    for exporter, rows in sorted(exports.items()):
        value = sum(f.value_usd for f in rows)
        share = value / world if world else 0.0
        if share >= min_share and share > 0 and _is_country(exporter):
            line = (
                f"SUPPLIES {exporter}: exports of HS {hs6} in {year} {_usd(value)}, {share:.1%} of world exports "
                f"{_usd(world)} ({len(flows)} rows); {_lines(rows)}"
            )
            readings.append(_Reading({"source": f"country:{exporter}", "type": "SUPPLIES", "target": good, "share": round(share, 6),
                                      "attributes": {"year": year, "value_usd": round(value, 2), "world_value_usd": round(world, 2), "source": dataset}}, line))
    for importer, rows in sorted(imports.items()):
        total = sum(f.value_usd for f in rows)
        if not total or not _is_country(importer):
            continue
        for f in sorted(rows, key=lambda f: f.exporter):
            share = f.value_usd / total
            if share >= min_share and _is_country(f.exporter) and f.exporter != importer:
                line = (
                    f"DEPENDS_ON {importer} from {f.exporter}: imports of HS {hs6} in {year} {_usd(f.value_usd)} "
                    f"({f.file} line {f.line}), {share:.1%} of its imports {_usd(total)} ({_lines(rows)})"
                )
                readings.append(_Reading({"source": f"country:{importer}", "type": "DEPENDS_ON", "target": good, "origin": f"country:{f.exporter}",
                                          "share": round(share, 6), "attributes": {"year": year, "value_usd": round(f.value_usd, 2), "imports_value_usd": round(total, 2), "source": dataset}}, line))
    return readings


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
    dataset: str, hs6: str, flows: list[Flow], min_share: float, description: str | None, countries: dict[str, str], known: set[str]
) -> Batch:
    documents: list[Document] = []
    entities: list[Entity] = []
    newest: dict[str, tuple[int, dict]] = {}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    first_evidence: Evidence | None = None
    for year, rows in itertools.groupby(sorted(flows, key=lambda f: f.year), key=lambda f: f.year):
        readings = _year_readings(dataset, hs6, year, list(rows), min_share)
        if not readings:
            continue
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
        return Batch()
    goods, hierarchy = hs_goods(hs6, description, first_evidence, known)
    known.update(g.id for g in goods)
    relations = [_relation(r, evidence[key]) for key, (_, r) in newest.items()]
    return Batch(documents=documents, entities=[*entities, *goods], relations=[*hierarchy, *relations])


def derive(
    store: GraphStore,
    dataset: str,
    *,
    min_share: float,
    products: Iterable[str] | None = None,
    descriptions: dict[str, str] | None = None,
    countries: dict[str, str] | None = None,
) -> WriteSummary:
    """Make (or refresh) the relations of ``dataset``'s flows of ``products`` (all when None)."""
    summary = WriteSummary()
    known: set[str] = set()
    pending: list[Batch] = []
    size = 0

    def flush() -> None:
        nonlocal pending, size
        if pending:
            batch = Batch(
                documents=[d for b in pending for d in b.documents],
                entities=[e for b in pending for e in b.entities],
                relations=[r for b in pending for r in b.relations],
            )
            summary.add(store.upsert(batch))
        pending, size = [], 0

    for hs6, rows in itertools.groupby(store.flows.scan(dataset, products), key=lambda f: f.hs6):
        flows = list(rows)
        ends = {f"country:{c}" for f in flows for c in (f.exporter, f.importer) if _is_country(c)} | {hs_id(hs6)}
        known |= store.known(ends - known)
        batch = _product_batch(dataset, hs6, flows, min_share, (descriptions or {}).get(hs6), countries or {}, known)
        if batch.relations:
            pending.append(batch)
            size += len(batch.relations)
        if size >= BATCH_RELATIONS:
            flush()
    flush()
    return summary


def _country_names(source: TradeFile) -> dict[str, str]:
    return {code: name for code, name in source.countries.values()}


def ingest_trade_file(
    store: GraphStore, path: Path, *, min_share: float = DEFAULT_MIN_SHARE, progress: Callable[[int, int], None] | None = None
) -> TradeResult:
    """Load a flows file into ``store.flows`` and derive its relations. A file loaded and derived
    before at the same ``min_share`` is recognised by its hash and nothing is read or written."""
    if not 0.0 < min_share <= 1.0:
        from graph.errors import InvalidDataError

        raise InvalidDataError("must be above 0 and at most 1", field="min_share")
    source = open_trade_file(path)
    digest = file_sha256(path)
    known = store.flows.known_file(digest)
    if known is not None and known.derived_share == min_share:
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
    products = store.flows.products(source.dataset, digest)
    result.summary = derive(
        store, source.dataset, min_share=min_share, products=products if len(products) <= 2000 else None,
        descriptions=source.products, countries=_country_names(source),
    )
    store.flows.mark_derived(digest, min_share)
    return result
