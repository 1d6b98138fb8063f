"""Trade flows as answers: the flows themselves (GET /v1/flows), and the trade a measure affects.

A measure's goods are read as HS codes through their ``hs`` attribute and the ``hs`` of every
good that IS_A one of them (transitively); a chapter or heading covers each subheading under it,
so codes are matched as prefixes. For an import-side measure the affected trade is the target's
exports of those goods to the imposer; for an export-side one (export control, supply cut-off,
entity list), the imposer's exports to the target; each also with the same exporter's exports of
those goods to the world, by year and dataset.
"""

from __future__ import annotations

import re

from pydantic import Field

from graph.flows import Flow, FlowQuery
from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError
from graph.queries.common import Answer, EntityRef, check_limit, refs, resolve
from graph.store import Direction, GraphStore

__all__ = ["flows", "affected_trade", "hs_codes_of", "FlowsAnswer", "AffectedTrade", "MAX_FLOWS"]

MAX_FLOWS = 1000
WIDENING_DEPTH = 8
_HS = re.compile(r"^\d{2}(\d{2}(\d{2})?)?$")


class TradeFlow(Answer):
    """One bilateral flow as the dataset gives it, with the file and line it was read from."""

    dataset: str = Field(description="the dataset, e.g. BACI HS17 V202401, or the plain CSV file's name")
    year: int
    exporter: str = Field(description="ISO 3166 alpha-2 code (alpha-3 for areas the dataset gives no alpha-2 for)", examples=["CN"])
    importer: str = Field(description="ISO 3166 alpha-2 code, as exporter", examples=["US"])
    hs6: str = Field(description="HS 6-digit product code", examples=["850511"])
    value_usd: float = Field(description="value in US dollars")
    quantity: float | None = Field(description="quantity in tonnes; null when the dataset gives none")
    file: str = Field(description="the file the flow was read from")
    line: int = Field(description="its line in that file (the header is line 1)")


class FlowsAnswer(Answer):
    """Trade flows matching the filters (GET /v1/flows), largest value first."""

    data: list[TradeFlow]
    count: int = Field(description="flows matching, before pagination")
    offset: int = Field(description="the offset asked for")
    limit: int = Field(description="the page size asked for")


def _country_code(store: GraphStore, text: str | None, field: str) -> str | None:
    """An ISO code for ``text``: a country's id, name or alias, or a code as the flows hold it."""
    if text is None:
        return None
    stripped = text.strip()
    if re.fullmatch(r"[A-Z]{2,3}", stripped) and not store.known([f"country:{stripped}"]):
        return stripped  # an area the graph has no country for (BACI's S19...): as the flows hold it
    return resolve(store, stripped, field=field, types=(EntityType.COUNTRY,)).removeprefix("country:")


def hs_prefix(text: str | None, field: str = "hs") -> str | None:
    """``8505.11`` or ``850511`` -> ``850511``; 2, 4 or 6 digits."""
    if text is None:
        return None
    code = text.strip().replace(".", "").replace(" ", "")
    if not _HS.match(code):
        raise InvalidDataError(f"{text[:20]!r} is not an HS code of 2, 4 or 6 digits", field=field)
    return code


def _as_answer(flow: Flow) -> TradeFlow:
    return TradeFlow(**{name: getattr(flow, name) for name in Flow.__slots__})


def flows(
    store: GraphStore,
    *,
    exporter: str | None = None,
    importer: str | None = None,
    hs: str | None = None,
    year: int | None = None,
    dataset: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> FlowsAnswer:
    """One page of the flows matching every filter given."""
    check_limit(limit, field="limit", low=1, high=MAX_FLOWS)
    check_limit(offset, field="offset", low=0, high=1_000_000)
    query = FlowQuery(
        exporter=_country_code(store, exporter, "exporter"),
        importer=_country_code(store, importer, "importer"),
        hs=hs_prefix(hs),
        year=year,
        dataset=dataset,
    )
    source = store.flows
    if source is None:
        return FlowsAnswer(data=[], count=0, offset=offset, limit=limit)
    found, count = source.find(query, offset=offset, limit=limit)
    return FlowsAnswer(data=[_as_answer(f) for f in found], count=count, offset=offset, limit=limit)


def hs_codes_of(store: GraphStore, goods: list[str]) -> list[str]:
    """The HS codes of ``goods`` and of every good that IS_A one of them, without codes that a
    shorter one in the list already covers."""
    seen = set(goods)
    frontier = list(goods)
    for _ in range(WIDENING_DEPTH):
        frontier = [r.source for r in store.links(frontier, Direction.IN, [RelationType.IS_A]) if r.source not in seen]
        if not frontier:
            break
        seen.update(frontier)
    codes = set()
    for entity in store.entities(seen).values():
        value = entity.attributes.get("hs")
        if isinstance(value, str):
            try:
                code = hs_prefix(value)
            except InvalidDataError:
                continue  # a code that is not 2, 4 or 6 digits matches no flow
            if code:
                codes.add(code)
    return sorted(c for c in codes if not any(c != o and c.startswith(o) for o in codes))


class TradeYear(Answer):
    """The affected trade in one year of one dataset."""

    year: int
    dataset: str = Field(description="the dataset the values come from")
    value_usd: float = Field(description="the exporter's exports of the covered goods to the importer, in US dollars")
    world_value_usd: float = Field(description="the exporter's exports of the covered goods to the world, in US dollars")
    rows: int = Field(description="flows summed into value_usd")


class AffectedTrade(Answer):
    """The trade a measure bears on, between one exporter and one importer, by year."""

    exporter: EntityRef = Field(description="whose exports the measure bears on: the target for an import-side measure, the imposer for an export-side one")
    importer: EntityRef
    hs: list[str] = Field(description="the HS codes the covered goods map to (prefixes: a chapter or heading covers its subheadings)")
    by_year: list[TradeYear] = Field(description="oldest first")


def affected_trade(store: GraphStore, imposers: list[str], targets: list[str], goods: list[str], *, export_side: bool) -> list[AffectedTrade]:
    """The value of the trade a measure covering ``goods`` bears on, per exporter and importer."""
    source = store.flows
    countries = [i for i in imposers if i.startswith("country:")], [t for t in targets if t.startswith("country:")]
    codes = hs_codes_of(store, goods) if source is not None else []
    if source is None or not codes:
        return []
    pairs = [(i, t) for i in countries[0] for t in countries[1]] if export_side else [(t, i) for i in countries[0] for t in countries[1]]
    named = refs(store, {c for pair in pairs for c in pair})
    found = []
    for exporter, importer in sorted(set(pairs)):
        code = exporter.removeprefix("country:")
        world = {(t.dataset, t.year): t.value_usd for t in source.totals(code, None, codes)}
        by_year = [
            TradeYear(year=t.year, dataset=t.dataset, value_usd=t.value_usd, world_value_usd=world.get((t.dataset, t.year), t.value_usd), rows=t.rows)
            for t in source.totals(code, importer.removeprefix("country:"), codes)
        ]
        if by_year:
            found.append(AffectedTrade(exporter=named[exporter], importer=named[importer], hs=codes, by_year=by_year))
    return found
