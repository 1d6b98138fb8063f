"""When a relation holds: one interval (``valid_from`` / ``valid_to``) or several disjoint ones.

Sources disagree or tell a relation that stopped and started again (an exclusion granted, lapsed
and granted anew). Collapsing such intervals into one would claim the relation held in the gap,
so a relation with more than one keeps them all in its ``periods`` attribute, as ISO 8601 time
intervals (``2018-07-06/2020-05-31``; ``..`` for an open end, as ISO 8601-2 writes it), and its
``valid_from`` / ``valid_to`` are then their envelope. An attribute rather than a field of its
own: both stores, the exports and the sync already carry attributes as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

__all__ = ["Period", "PERIODS", "parse_periods", "format_periods", "union", "holds_on"]

#: The attribute that holds a relation's intervals when it has several.
PERIODS = "periods"

Period = tuple[dt.date | None, dt.date | None]
_OPEN = ".."


def _end(text: str, what: str) -> dt.date | None:
    if text == _OPEN:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{what} {text!r} is not YYYY-MM-DD or '..'") from None


def parse_periods(values: object) -> list[Period]:
    """``["2018-07-06/2020-05-31", "2022-01-01/.."]`` as periods; a clear error otherwise."""
    if not isinstance(values, list) or not values:
        raise ValueError("periods is a non-empty list of 'start/end' intervals")
    periods = []
    for value in values:
        if not isinstance(value, str) or value.count("/") != 1:
            raise ValueError(f"period {value!r} is not 'start/end' (YYYY-MM-DD or '..' each)")
        start, end = (_end(part, side) for part, side in zip(value.split("/"), ("start", "end"), strict=True))
        if start and end and end < start:
            raise ValueError(f"period {value!r} ends before it starts")
        periods.append((start, end))
    return periods


def format_periods(periods: Iterable[Period]) -> list[str]:
    return [f"{start.isoformat() if start else _OPEN}/{end.isoformat() if end else _OPEN}" for start, end in periods]


def union(periods: Iterable[Period]) -> list[Period]:
    """The days of all ``periods`` as the fewest disjoint periods, in order: overlapping or
    touching periods join, a gap of at least a day keeps them apart."""
    ordered = sorted(periods, key=lambda p: p[0] or dt.date.min)
    joined: list[Period] = []
    for start, end in ordered:
        if joined:
            last_start, last_end = joined[-1]
            if last_end is None or start is None or start <= last_end + dt.timedelta(days=1):
                joined[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
                continue
        joined.append((start, end))
    return joined


def holds_on(periods: Iterable[Period], day: dt.date) -> bool:
    return any((start is None or start <= day) and (end is None or day <= end) for start, end in periods)
