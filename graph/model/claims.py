"""Which value stands when sources disagree: the choice rule, in one place.

Several documents report the same measure with different dates or rates. Every value is kept
with the words that state it (a measure's ``claims`` and ``events``, graph/model/records.py), and
answers show each disputed value with its sources (graph/queries/conflicts.py); this module only
decides which one is shown as *the* value. The rule, in order:

1. curated over extracted: a value a curator stated (extractor ``curated``) beats any read by a rule;
2. the most cited: the value the most distinct documents state;
3. the latest: the value the most recent reading brought.

``TRADEGRAPH_CHOICE_RULE`` reorders or drops the first two (``curated,cited``, the default;
``cited,curated``; ``latest`` alone is the store's behaviour before values had sources); the
latest always decides what is still tied.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable
from typing import NamedTuple

__all__ = ["Candidate", "choose", "choice_rule", "CRITERIA"]

CRITERIA = ("curated", "cited")


class Candidate(NamedTuple):
    """One source's statement of a value: who stated it and when it arrived (higher is later)."""

    value: Hashable
    curated: bool
    document_id: str | None
    arrival: int


def choice_rule() -> tuple[str, ...]:
    """The criteria before "latest", from ``TRADEGRAPH_CHOICE_RULE``; a bad name is an error
    naming the variable (read at each choice, so a test or a server sets it once)."""
    raw = os.environ.get("TRADEGRAPH_CHOICE_RULE", "curated,cited")
    names = tuple(n.strip() for n in raw.split(",") if n.strip() and n.strip() != "latest")
    unknown = [n for n in names if n not in CRITERIA]
    if unknown:
        raise ValueError(f"TRADEGRAPH_CHOICE_RULE: unknown criteria {unknown}; use some of {', '.join(CRITERIA)}, latest")
    return names


def choose(candidates: Iterable[Candidate]) -> Hashable:
    """The value that stands among ``candidates`` (at least one) by the rule above."""
    by_value: dict[Hashable, list[Candidate]] = {}
    for candidate in candidates:
        by_value.setdefault(candidate.value, []).append(candidate)
    rule = choice_rule()

    def rank(value: Hashable) -> tuple:
        stated = by_value[value]
        keys = {
            "curated": any(c.curated for c in stated),
            "cited": len({c.document_id for c in stated}),
        }
        return (*(keys[name] for name in rule), max(c.arrival for c in stated))

    return max(by_value, key=rank)
