"""The parts of the measure list's filter that are more than a comparison: free text over a
measure's names, goods by HS code, the MAST chapter, and the orders the list can be sorted in.

``graph.queries.measures.matching_measures`` applies them on every store alike: text and chapter
are read off the entity, goods by code from the covered goods' ``hs`` attribute (graph/hs.py).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from graph.hs import HS_ID_PREFIX, hs_code_of
from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.ontology import mast_chapters
from graph.model.records import Entity
from graph.names import fold_text, normalize_name
from graph.store import Direction, GraphStore

__all__ = ["MeasureSort", "check_mast", "code_of_goods", "covered_by_code", "sort_key", "text_matcher"]


class MeasureSort(StrEnum):
    """The order of a measure list: by date (undated last; ``-date`` latest first), by rate
    (measures without one last; ``-rate`` highest first), or by name; ties by date, then id."""

    DATE = "date"
    DATE_DESC = "-date"
    RATE = "rate"
    RATE_DESC = "-rate"
    NAME = "name"

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:
        # "-date" and "-rate" start with no letter: generators would name them VALUE_1, VALUE_3.
        schema = handler.resolve_ref_schema(handler(core_schema))
        schema["x-enum-varnames"] = [member.name for member in cls]
        return schema


def check_mast(mast: str | None) -> str | None:
    """The chapter letter, when the ontology maps a measure type to it; else an error naming ``mast``."""
    if mast is None:
        return None
    chapters = mast_chapters()
    if str(mast) not in chapters:
        raise InvalidDataError(f"{str(mast)[:20]!r} is no MAST chapter a measure type maps to: {', '.join(chapters)}", field="mast")
    return str(mast)


def code_of_goods(text: str | None) -> str | None:
    """The HS code a ``covers`` text names (``2805``, ``8541.40``, ``HS 8505 11``, or a code
    entity's id ``commodity:hs-850511``), or None for a good's name or id."""
    if not text:
        return None
    stripped = text.strip()
    if stripped.startswith(HS_ID_PREFIX):
        return hs_code_of(stripped.removeprefix(HS_ID_PREFIX))
    return None if ":" in stripped else hs_code_of(stripped)


def covered_by_code(store: GraphStore, code: str, measures: Iterable[str]) -> set[str]:
    """Those of ``measures`` covering a good whose HS code is ``code`` or under it: read from the
    ``hs`` attribute of what they cover (a good the lexicon classified, or a code entity itself)."""
    links = store.links(measures, Direction.OUT, [RelationType.COVERS])
    goods = store.entities({link.target for link in links})
    coded = set()
    for good_id, good in goods.items():
        value = good.attributes.get("hs")
        own = hs_code_of(value) if isinstance(value, str) else None
        if own is not None and own.startswith(code) and good.type in (EntityType.COMMODITY, EntityType.PRODUCT):
            coded.add(good_id)
    return {link.source for link in links if link.target in coded}


def searchable_texts(entity: Entity) -> tuple[str, ...]:
    """A measure's id, names in every language and aliases, folded as ``text_matcher`` compares
    them: worked out once per measure, not once per question."""
    return tuple(fold_text(t) for t in (entity.id, *entity.names.values(), *entity.aliases))


def text_matcher(q: str | None) -> Callable[[tuple[str, ...]], bool] | None:
    """Whether a measure's ``searchable_texts`` contain ``q``, folded alike (width, case,
    traditional or simplified Chinese, separators; ``tariffs`` finds ``tariff``)."""
    if q is None:
        return None
    wanted = {fold_text(q), normalize_name(q)} - {""}
    if not wanted:
        raise InvalidDataError("needs a letter or a digit", field="q")

    def matches(texts: tuple[str, ...]) -> bool:
        return any(w in f for w in wanted for f in texts)

    return matches


def _date(row: Any) -> tuple:
    return (row.date is None, row.date or dt.date.max)


def sort_key(sort: MeasureSort | str) -> Callable[[Any], tuple]:
    """The key ordering measure rows (``graph.queries.measures.MeasureRow``: id, name, rate,
    date) as ``sort`` says; anything else is an error naming ``sort``."""
    try:
        order = MeasureSort(sort)
    except ValueError:
        raise InvalidDataError(f"is one of {', '.join(MeasureSort)}", field="sort") from None
    if order is MeasureSort.DATE:
        return lambda r: (*_date(r), r.id)
    if order is MeasureSort.DATE_DESC:
        return lambda r: (r.date is None, -(r.date or dt.date.min).toordinal(), r.id)
    if order is MeasureSort.NAME:
        return lambda r: (unicodedata.normalize("NFKC", r.name).casefold(), *_date(r), r.id)
    sign = -1 if order is MeasureSort.RATE_DESC else 1
    return lambda r: (r.rate is None, sign * (r.rate or 0), *_date(r), r.id)
