"""What one document looks like to the rules: its sentences, the names and cues in each.

Built once per document: two automaton passes (names, cues) and a handful of regexes, then hits
are bucketed by sentence so that every rule works on short lists.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from graph.enums import EntityType
from ingest.extract.matcher import Hit
from ingest.extract.text import Span, clauses
from ingest.lexicon import LexEntry

__all__ = ["Mention", "Sentence", "ACTOR_TYPES", "GOODS_TYPES", "COORDINATION"]

ACTOR_TYPES = frozenset({EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON})
GOODS_TYPES = frozenset({EntityType.COMMODITY, EntityType.PRODUCT})
COORDINATION = re.compile(r"^\s*(?:[、,，&/]|与|和|及|以及|and|,\s*and|or)\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Mention:
    """A lexicon entity named at ``start:end``; ``pair`` marks one side of a word like 中美."""

    start: int
    end: int
    entity_id: str
    type: EntityType
    surface: str
    lang: str
    pair: bool = False


@dataclass
class Sentence:
    """One sentence with its mentions and cue hits, in text order."""

    index: int
    span: Span
    language: str | None
    mentions: list[Mention] = field(default_factory=list)
    cues: list[Hit] = field(default_factory=list)
    clause_spans: list[Span] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.span[0]

    @property
    def end(self) -> int:
        return self.span[1]

    def clause_of(self, position: int) -> Span:
        starts = [s for s, _ in self.clause_spans]
        i = max(0, bisect.bisect_right(starts, position) - 1)
        return self.clause_spans[i] if self.clause_spans else self.span

    def cues_of(self, kind: str, value: str | None = None) -> list[Hit]:
        return [h for h in self.cues if h.kind == kind and (value is None or h.value == value)]

    @property
    def has_measure_cue(self) -> bool:
        return any(h.kind == "measure" for h in self.cues)

    def has_trade_signal(self) -> bool:
        return any(h.kind == "measure" or (h.kind == "cue" and h.value in {"depends", "supplies", "negotiates", "trade", "share_of"}) for h in self.cues)


def bucket(
    text: str,
    spans: list[Span],
    language: str | None,
    mentions: list[Mention],
    cues: list[Hit],
) -> list[Sentence]:
    """Sentences with the mentions and cues that fall inside each."""
    sentences = [Sentence(i, span, language, clause_spans=clauses(text, span, language)) for i, span in enumerate(spans)]
    starts = [s for s, _ in spans]

    def owner(position: int) -> Sentence | None:
        i = bisect.bisect_right(starts, position) - 1
        if i >= 0 and position < spans[i][1]:
            return sentences[i]
        return None

    for m in mentions:
        s = owner(m.start)
        if s is not None and m.end <= s.end:
            s.mentions.append(m)
    for h in cues:
        s = owner(h.start)
        if s is not None:
            s.cues.append(h)
    for s in sentences:
        s.cues.sort(key=lambda h: (h.start, -h.end))
    return sentences


def home_of(entry: LexEntry | None) -> str | None:
    if entry is None:
        return None
    if entry.type is EntityType.COUNTRY:
        return entry.id
    return entry.country

