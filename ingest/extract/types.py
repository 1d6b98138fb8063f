"""The data each stage of the rule extractor hands to the next.

The extractor runs in named stages (see ``rules.py`` and docs/extraction.md); what passes between
two stages is one of the types below, so a stage can be read, tested and timed on its own:

- ``Source``: the document prepared for reading (simplified script, dateline blanked, its day);
- ``Mentions``: the names found in it (``Mention``), lexicon and open vocabulary (``Found``);
- ``Sentence``: one sentence with its names and cue words;
- ``MeasureMention``: one group of trigger words with what its sentence says about it;
- ``MeasureDraft``: one real-world act, folded from its mentions;
- ``Relations``: every relation and cited entity, as makings of evidence, per measure its id.

The last stage turns ``Relations`` into a :class:`~graph.model.Batch`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from graph.model.enums import EntityType, MeasureStatus
from graph.model.records import Document
from ingest.extract.matcher import Hit
from ingest.extract.text import Span
from ingest.extract.values import DateMention
from ingest.lexicon import LexEntry

__all__ = [
    "ACTOR_TYPES", "GOODS_TYPES", "COORDINATION", "DUTY_TYPES", "STATUS_RANK",
    "Source", "Mention", "Found", "Mentions", "Sentence", "MeasureMention", "MeasureDraft", "Relations",
]

ACTOR_TYPES = frozenset({EntityType.COUNTRY, EntityType.ORGANIZATION, EntityType.PERSON})
GOODS_TYPES = frozenset({EntityType.COMMODITY, EntityType.PRODUCT})
COORDINATION = re.compile(r"^\s*(?:[、,，&/]|与|和|及|以及|and|,\s*and|or)\s*$", re.I)
DUTY_TYPES = frozenset({"tariff", "anti_dumping", "countervailing_duty", "safeguard", "port_fee"})
STATUS_RANK = {"threatened": 0, "announced": 1, "in_force": 2, "suspended": 3, "lifted": 4}


@dataclass(frozen=True)
class Source:
    """A document as the rules read it: the stage ``source.py`` makes it.

    ``text`` is the document's text in simplified script with the dateline blanked, the same
    length as ``document.text`` so that every span means the same place in both (evidence quotes
    are cut from the original); ``folded`` is it case-folded for the automata; ``reference`` the
    day relative dates are read against (None when unknown)."""

    document: Document
    text: str
    folded: str
    language: str | None
    reference: date | None


class Mention(NamedTuple):
    """A lexicon entity named at ``start:end``; ``pair`` marks one side of a word like 中美."""

    start: int
    end: int
    entity_id: str
    type: EntityType
    surface: str
    lang: str
    pair: bool = False


@dataclass
class Found:
    """What one document names beyond the lexicon.

    ``mentions`` point at ``entries`` (lexicon entries that live for this document only);
    ``dropped`` are lexicon mentions a longer new name swallows (the 美国 of 美国海关及边境保护局),
    ``embedded`` maps such a name to (length of its country prefix, country), as the lexicon's
    own names are mapped; ``based`` gives, per new entity whose home the text states, the span
    that states it (``Malaysia's Primary Industries Minister Teresa Kok``)."""

    mentions: list[Mention] = field(default_factory=list)
    entries: dict[str, LexEntry] = field(default_factory=dict)
    dropped: set[tuple[int, int]] = field(default_factory=set)
    embedded: dict[str, tuple[int, str]] = field(default_factory=dict)
    based: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Mentions:
    """The names of one document, from the stage ``mentions.py``: every mention in text order
    (lexicon and open vocabulary), the spans names take (cue words inside a longer name are not
    cues), and what the text named beyond the lexicon."""

    mentions: list[Mention]
    spans: list[tuple[int, int]]
    found: Found


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
        """The clause holding ``position`` (the sentence itself when it has no clauses)."""
        if not self.clause_spans:
            return self.span
        i = bisect.bisect_right(self._clause_starts, position) - 1
        return self.clause_spans[i if i > 0 else 0]

    def cues_of(self, kind: str, value: str | None = None) -> list[Hit]:
        """The sentence's cue hits of a kind (and value), in text order."""
        return self._by_kind.get((kind, value), _NONE)

    def has(self, kind: str, value: str | None = None) -> bool:
        """Whether the sentence has a cue hit of a kind (and value): the gate before each rule."""
        return (kind, value) in self._by_kind

    @property
    def has_measure_cue(self) -> bool:
        """Whether any measure trigger is in the sentence."""
        return ("measure", None) in self._by_kind

    def has_trade_signal(self) -> bool:
        """Whether the sentence speaks of trade at all (a trigger, a dependency, supply, talks,
        trade or share word); a sentence without one yields nothing."""
        by = self._by_kind
        return ("measure", None) in by or any(("cue", v) in by for v in _TRADE_SIGNALS)


@dataclass(eq=False)
class MeasureMention:
    """One group of trigger words in one sentence and what the sentence says about it."""

    sentence: Sentence
    start: int
    end: int
    measure_type: str
    lang: str
    imposers: list[Mention] = field(default_factory=list)
    targets: list[Mention] = field(default_factory=list)
    goods: list[Mention] = field(default_factory=list)
    status: str | None = None
    hypothetical: bool = False
    dates: list[tuple[DateMention, str]] = field(default_factory=list)  # (date, announced|effective)
    rate: float | None = None
    previous_rate: float | None = None
    amount: tuple[float, str] | None = None
    legal_reference: str | None = None
    measure: "MeasureDraft | None" = None
    inferred_imposer: bool = False
    context_year: int | None = None  # year of the latest dated measure before it in the text
    subordinate: bool = False  # inside an "after …" clause: an earlier act, not the sentence's news
    plural: bool = False  # "both duties", "上述措施": names several measures at once
    prefix: str = ""  # the sentence's words before the trigger
    fresh: bool = False  # written as a new act ("hit back with", "a further"): never an earlier measure


@dataclass(eq=False)
class MeasureDraft:
    """A measure as the document describes it, built up mention by mention."""

    country: str | None
    measure_type: str
    imposers: dict[str, Mention] = field(default_factory=dict)
    targets: dict[str, Mention] = field(default_factory=dict)
    goods: dict[str, Mention] = field(default_factory=dict)
    statuses: list[str] = field(default_factory=list)
    announced: date | None = None
    effective: date | None = None
    ended: date | None = None
    precision: dict[str, str] = field(default_factory=dict)  # role -> "month" for month-only dates
    context_year: int | None = None
    rate: float | None = None
    previous_rate: float | None = None
    amount: tuple[float, str] | None = None
    legal_reference: str | None = None
    mentions: list[MeasureMention] = field(default_factory=list)

    @property
    def status(self) -> str:
        """The status most mentions state (lifted, then suspended, win over any count; ties go to
        the later stage of a measure's life)."""
        if not self.statuses:
            return MeasureStatus.ANNOUNCED.value
        if "lifted" in self.statuses:
            return "lifted"
        if "suspended" in self.statuses:
            return "suspended"
        counts = Counter(self.statuses)
        return max(counts, key=lambda s: (counts[s], STATUS_RANK[s]))

    @property
    def year(self) -> int | None:
        """The year the measure is dated in, else the year of the measure named before it."""
        for value in (self.announced, self.effective):
            if value:
                return value.year
        return self.context_year


@dataclass
class Relations:
    """What the relation stage read from one document, before model objects are built.

    ``ids`` gives each measure draft its id; ``entity_evidence`` maps an entity id to the makings
    of its evidence, ``(start, end, rule)`` → ``(start, end, rule, confidence)``; ``relations``
    maps ``(source, type, target, origin)`` to its share and the makings of its evidence."""

    ids: dict[MeasureDraft, str]
    entity_evidence: dict[str, dict[tuple[int, int, str], tuple[int, int, str, float]]]
    relations: dict[tuple, dict]
