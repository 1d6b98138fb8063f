"""What one document looks like to the rules: its sentences, the names and cues in each.

Built once per document: two automaton passes (names, cues) and a handful of regexes, then hits
are bucketed by sentence so that every rule works on short lists.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from graph.enums import EntityType
from ingest.extract.matcher import Hit
from ingest.extract.text import Span, clauses_of
from ingest.lexicon import LexEntry

__all__ = ["Mention", "Sentence", "ACTOR_TYPES", "GOODS_TYPES", "COORDINATION"]

ACTOR_TYPES = frozenset({EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON})
GOODS_TYPES = frozenset({EntityType.COMMODITY, EntityType.PRODUCT})
COORDINATION = re.compile(r"^\s*(?:[、,，&/]|与|和|及|以及|and|,\s*and|or)\s*$", re.I)


class Mention(NamedTuple):
    """A lexicon entity named at ``start:end``; ``pair`` marks one side of a word like 中美."""

    start: int
    end: int
    entity_id: str
    type: EntityType
    surface: str
    lang: str
    pair: bool = False


_TRADE_SIGNALS = frozenset({"depends", "supplies", "negotiates", "trade", "share_of"})
_NONE: list = []


@dataclass(eq=False)
class Sentence:
    """One sentence with its mentions and cue hits, in text order.

    Rules ask the same questions of a sentence many times (which clause holds a position, which
    cues of a family it has), so the answers are indexed once, when the sentence is complete."""

    index: int
    span: Span
    language: str | None
    mentions: list[Mention] = field(default_factory=list)
    cues: list[Hit] = field(default_factory=list)
    clause_spans: list[Span] = field(default_factory=list)
    start: int = 0
    end: int = 0
    zh: bool = False
    _clause_starts: list[int] = field(default_factory=list, repr=False)
    _by_kind: dict = field(default_factory=dict, repr=False)
    memo: dict = field(default_factory=dict, repr=False)  # answers rules computed about this sentence

    def __post_init__(self) -> None:
        self.start, self.end = self.span
        self.zh = self.language in {"zh", "ja"}
        self._clause_starts = [s for s, _ in self.clause_spans]

    def index_cues(self) -> None:
        """Group the cue hits by (kind, value) and by kind; called once the cues are all in."""
        groups: dict = {}
        for h in self.cues:
            groups.setdefault((h.kind, h.value), []).append(h)
            groups.setdefault((h.kind, None), []).append(h)
        self._by_kind = groups

    def clause_of(self, position: int) -> Span:
        if not self.clause_spans:
            return self.span
        i = bisect.bisect_right(self._clause_starts, position) - 1
        return self.clause_spans[i if i > 0 else 0]

    def cues_of(self, kind: str, value: str | None = None) -> list[Hit]:
        return self._by_kind.get((kind, value), _NONE)

    def has(self, kind: str, value: str | None = None) -> bool:
        return (kind, value) in self._by_kind

    @property
    def has_measure_cue(self) -> bool:
        return ("measure", None) in self._by_kind

    def has_trade_signal(self) -> bool:
        by = self._by_kind
        return ("measure", None) in by or any(("cue", v) in by for v in _TRADE_SIGNALS)


def bucket(
    text: str,
    spans: list[Span],
    language: str | None,
    mentions: list[Mention],
    cues: list[Hit],
) -> list[Sentence]:
    """Sentences with the mentions and cues that fall inside each."""
    parts = clauses_of(text, spans, language)
    sentences = [Sentence(i, span, language, clause_spans=parts[i]) for i, span in enumerate(spans)]
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    where = bisect.bisect_right  # the sentence holding a position: the last one starting at or before it
    for m in mentions:
        i = where(starts, m.start) - 1
        if i >= 0 and m.start < ends[i] and m.end <= ends[i]:
            sentences[i].mentions.append(m)
    # one stable sort of all cues puts every sentence's cues in (start, longest first) order,
    # ties in the order found, as sorting each sentence's own list would
    for h in sorted(cues, key=_cue_order):
        i = where(starts, h.start) - 1
        if i >= 0 and h.start < ends[i]:
            sentences[i].cues.append(h)
    for s in sentences:
        s.index_cues()
    return sentences


def _cue_order(h: Hit) -> tuple[int, int]:
    return (h.start, -h.end)


def home_of(entry: LexEntry | None) -> str | None:
    if entry is None:
        return None
    if entry.type is EntityType.COUNTRY:
        return entry.id
    return entry.country

