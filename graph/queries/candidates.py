"""The review queue's two lists: entities that may be one thing, and facts read with little confidence.

Many reports name one firm, one agency or one government action in many ways (English and
Chinese, Traditional and Simplified script, with and without "Co., Ltd."), and an extractor can
mint two ids for what a person would see at once is one thing. Nothing here merges anything: these
queries only *propose*, with a score and the reasons behind it, so that a reviewer decides (and the
decision is recorded, undoably, by the review endpoints). A merge proposed wrongly costs a
reviewer a click; a merge made wrongly corrupts every answer that walks through the node, which
is why the score is explained signal by signal rather than being a bare number.

Both lists are pure functions of a :class:`~graph.store.GraphReader`, so they give the same answer
on either store and can be run on a snapshot. docs/review.md describes the scoring.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from itertools import combinations
from typing import NamedTuple

from pydantic import Field

from graph.hs import HS_ID_PREFIX, hs_code_of
from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Entity, Evidence, Relation
from graph.names import normalize_name
from graph.queries.common import Answer, EntityRef, check_limit, ref
from graph.queries.deadline import NO_DEADLINE, Deadline
from graph.store import Direction, GraphReader

__all__ = [
    "MAX_BLOCK",
    "MAX_LIMIT",
    "MEASURE_WINDOW_DAYS",
    "WEIGHTS",
    "CandidateReason",
    "DuplicateCandidate",
    "FactKind",
    "LowConfidenceFact",
    "Signal",
    "duplicate_candidates",
    "low_confidence_facts",
]

#: The most either list answers with at once: a review queue is read a page at a time.
MAX_LIMIT = 1000
#: A name key or HS code shared by more entities than this is treated as a common word, not a
#: name: comparing every pair in it would be quadratic and each pair would say little.
MAX_BLOCK = 100
#: Two measures more than this many days apart are two actions, however alike.
MEASURE_WINDOW_DAYS = 30
#: How many entities are read per store call: bounds memory on a large store.
_CHUNK = 5000


class Signal(StrEnum):
    """Why two entities may be one: the machine-readable part of a reason."""

    SAME_NAME = "same_name"
    NAME_IS_ALIAS = "name_is_alias"
    SHARED_ALIAS = "shared_alias"
    SAME_NAME_BUT_SUFFIX = "same_name_but_suffix"
    SAME_HS_CODE = "same_hs_code"
    SAME_HOME_COUNTRY = "same_home_country"
    DIFFERENT_HOME_COUNTRY = "different_home_country"
    SAME_IMPOSER_AND_TYPE = "same_imposer_and_type"
    SHARED_TARGETS = "shared_targets"
    SHARED_GOODS = "shared_goods"
    CLOSE_DATES = "close_dates"
    SAME_RATE = "same_rate"


#: Each signal's weight. Positive weights combine as independent pieces of evidence (noisy-or:
#: ``1 - prod(1 - w)``), so the score stays in [0, 1] and a second signal adds less than the first;
#: a negative weight then scales the result down (``score * (1 + w)``). ``close_dates`` is
#: scaled by how close the dates are (full weight on the same day, none at the window's edge).
WEIGHTS: dict[Signal, float] = {
    Signal.SAME_NAME: 0.9,
    Signal.NAME_IS_ALIAS: 0.8,
    Signal.SAME_NAME_BUT_SUFFIX: 0.7,
    Signal.SHARED_ALIAS: 0.5,
    Signal.SAME_HS_CODE: 0.5,
    Signal.SAME_HOME_COUNTRY: 0.2,
    Signal.DIFFERENT_HOME_COUNTRY: -0.5,
    Signal.SAME_IMPOSER_AND_TYPE: 0.4,
    Signal.SHARED_GOODS: 0.3,
    Signal.SHARED_TARGETS: 0.2,
    Signal.CLOSE_DATES: 0.3,
    Signal.SAME_RATE: 0.2,
}

#: Words a firm's name may carry or drop ("Huawei", "Huawei Technologies Co., Ltd."): Latin ones
#: as whole trailing words (compared width- and case-folded), Chinese ones as trailing characters of
#: the folded name (so Traditional spellings count too).
_LATIN_SUFFIXES = frozenset(
    (
        "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc",
        "group", "holding", "holdings", "technologies", "technology", "tech", "ag", "sa", "se", "gmbh",
        "nv", "bv", "kk", "spa", "oyj", "ab", "pte", "pty", "international",
    )
)
_CJK_SUFFIXES = tuple(
    sorted(
        {normalize_name(word) for word in ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团", "控股", "公司", "科技", "技术", "股份")},
        key=len,
        reverse=True,
    )
)
_WORDS = re.compile(r"[\s,.()（），、&]+")


class CandidateReason(Answer):
    """One signal behind a candidate pair, with its weight in the score."""

    signal: Signal = Field(description="what the two entities have in common (or not): same_name, name_is_alias, shared_alias, same_name_but_suffix, same_hs_code, same_home_country, different_home_country; for measures same_imposer_and_type, shared_targets, shared_goods, close_dates, same_rate")
    weight: float = Field(description="the signal's part in the score: positive ones combine as 1 - prod(1 - w), a negative one scales the result by 1 + w (docs/review.md)")
    detail: str = Field(description="what was matched: the folded name, the HS code, the country ids, the number of days...")


class DuplicateCandidate(Answer):
    """Two entities of one type that may be the same thing, best first in the review queue."""

    type: EntityType = Field(description="the type both entities have")
    a: EntityRef = Field(description="the entity whose id sorts first")
    b: EntityRef = Field(description="the entity whose id sorts second")
    score: float = Field(ge=0.0, le=1.0, description="0 to 1: how likely the two are one thing, from the reasons")
    reasons: list[CandidateReason] = Field(description="every signal that counted, strongest first")


class FactKind(StrEnum):
    """What a low-confidence fact is: an entity or a relation."""

    ENTITY = "entity"
    RELATION = "relation"


class LowConfidenceFact(Answer):
    """An entity or relation whose best evidence is below the confidence asked for."""

    kind: FactKind = Field(description="entity or relation")
    subject: str = Field(description="the entity's id, or the relation's key (source|TYPE|target|origin)")
    type: str = Field(description="the entity type (Firm...) or relation type (DEPENDS_ON...)")
    label: str = Field(description="for reading: the entity's display name, or the relation as 'source name TYPE target name'")
    confidence: float = Field(ge=0.0, le=1.0, description="the highest confidence among its evidence pieces (docs/extraction.md, 'Confidence')")
    evidence: list[Evidence] = Field(description="every piece of evidence it has, each with its own confidence")


# -- duplicate candidates ------------------------------------------------------------------------

#: A reason while scoring: (signal, weight, detail). Models are built for the answer's pairs only:
#: a large store can have many more pairs than a page shows.
_Reason = tuple[Signal, float, str]
#: A scored pair while scoring: (score, a, b, type, reasons).
_Pair = tuple[float, str, str, EntityType, list[_Reason]]


def duplicate_candidates(
    reader: GraphReader,
    *,
    entity_type: EntityType | None = None,
    limit: int = 100,
    deadline: Deadline = NO_DEADLINE,
) -> list[DuplicateCandidate]:
    """Pairs of entities of one type that may be one thing, best score first (then by ids).

    Pairs are drawn only from blocks (entities sharing a folded name key or an HS code; measures
    sharing an imposer, a measure type and a target or covered good), never from all pairs, so a
    store of 10^5 entities costs a pass over its names and not 10^10 comparisons. Signals that can
    only support a pair (the home country) are read for the pairs found and never create one."""
    check_limit(limit, field="limit", low=1, high=MAX_LIMIT)
    types = [entity_type] if entity_type is not None else list(EntityType)
    best: list[_Pair] = []
    for kind in types:
        deadline.check()
        pairs = _measure_pairs(reader, deadline) if kind is EntityType.MEASURE else _named_pairs(reader, kind, deadline)
        best = heapq.nsmallest(limit, [*best, *pairs], key=lambda p: (-p[0], p[1], p[2]))
    named = {i: ref(e) for i, e in reader.entities({i for p in best for i in p[1:3]}).items()} if best else {}
    return [
        DuplicateCandidate(
            type=kind,
            a=named[a],
            b=named[b],
            score=score,
            reasons=[CandidateReason(signal=signal, weight=weight, detail=detail) for signal, weight, detail in reasons],
        )
        for score, a, b, kind, reasons in best
        if a in named and b in named  # both still there: a reader that is no snapshot may see a removal
    ]


def _score(reasons: list[_Reason]) -> float:
    """Noisy-or of the positive weights, scaled down by the negative ones; rounded so that equal
    evidence gives equal scores and ties fall to the ids."""
    missing = 1.0
    for _, weight, _ in reasons:
        if weight > 0:
            missing *= 1.0 - weight
    score = 1.0 - missing
    for _, weight, _ in reasons:
        if weight < 0:
            score *= 1.0 + weight
    return round(min(1.0, max(0.0, score)), 4)


def _reason(signal: Signal, detail: str, scale: float = 1.0) -> _Reason:
    return (signal, round(WEIGHTS[signal] * scale, 4), detail)


def _pair(kind: EntityType, a: str, b: str, reasons: list[_Reason]) -> _Pair:
    reasons = sorted(reasons, key=lambda r: (-r[1], r[0].value))
    return (_score(reasons), a, b, kind, reasons)


def _entities_of(reader: GraphReader, kind: EntityType, deadline: Deadline) -> Iterator[Entity]:
    """Every entity of ``kind`` without evidence, a chunk per store call."""
    ids = reader.entity_ids(kind)
    for start in range(0, len(ids), _CHUNK):
        deadline.check()
        chunk = ids[start : start + _CHUNK]
        found = reader.entities(chunk, evidence=False)
        yield from (found[i] for i in chunk if i in found)


def _core(name: str) -> str | None:
    """A firm's name without its corporate suffixes, folded ("Huawei Technologies Co., Ltd." →
    "huawei", "华为技术有限公司" → "华为"), or None when it has none to drop. What is left must
    still be a name: three Latin letters or two Chinese characters at least."""
    words = [w for w in _WORDS.split(name.strip()) if w]
    dropped = False
    while len(words) > 1 and unicodedata.normalize("NFKC", words[-1]).casefold() in _LATIN_SUFFIXES:
        words.pop()
        dropped = True
    if not dropped and name.isascii():
        return None  # the common case, decided without folding
    folded = normalize_name(" ".join(words))
    stripping = not folded.isascii()
    while stripping:
        stripping = False
        for suffix in _CJK_SUFFIXES:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 2:
                folded, dropped, stripping = folded[: -len(suffix)], True, True
                break
    if not dropped or len(folded) < (3 if folded.isascii() else 2):
        return None
    return folded


class _Keys:
    """What one entity is called, folded: its names, its aliases (those that are not also names)
    and, for a firm, its names and aliases without corporate suffixes. A bare HS code given as an
    alias is not a name: the HS code signal counts it."""

    __slots__ = ("aliases", "cores", "hs", "names")

    def __init__(self, entity: Entity) -> None:
        self.names = {k for n in entity.names.values() if (k := normalize_name(n)) and hs_code_of(n) is None}
        self.aliases = {k for n in entity.aliases if (k := normalize_name(n)) and hs_code_of(n) is None} - self.names
        self.cores: set[str] = set()
        if entity.type is EntityType.FIRM:
            self.cores = {c for n in [*entity.names.values(), *entity.aliases] if (c := _core(n))}
        code = entity.attributes.get("hs")
        # A code's own entity is what goods are classified under, never a duplicate of them.
        self.hs = str(code) if code is not None and not entity.id.startswith(HS_ID_PREFIX) else None

    def blocks(self) -> set[str]:
        found = {f"n:{k}" for k in self.names | self.aliases | self.cores}
        if self.hs is not None:
            found.add(f"hs:{self.hs}")
        return found


def _name_reasons(a: _Keys, b: _Keys) -> list[_Reason]:
    reasons = []
    if same := a.names & b.names:
        reasons.append(_reason(Signal.SAME_NAME, min(same)))
    if crossed := (a.names & b.aliases) | (a.aliases & b.names):
        reasons.append(_reason(Signal.NAME_IS_ALIAS, min(crossed)))
    if shared := a.aliases & b.aliases:
        reasons.append(_reason(Signal.SHARED_ALIAS, min(shared)))
    all_a, all_b = a.names | a.aliases, b.names | b.aliases
    # A core that equals a full name counts too: "Huawei" against "Huawei Technologies Co., Ltd.".
    if not reasons and (cored := (a.cores & (b.cores | all_b)) | (b.cores & all_a)):
        reasons.append(_reason(Signal.SAME_NAME_BUT_SUFFIX, min(cored)))
    if a.hs is not None and a.hs == b.hs:
        reasons.append(_reason(Signal.SAME_HS_CODE, a.hs))
    return reasons


def _named_pairs(reader: GraphReader, kind: EntityType, deadline: Deadline) -> list[_Pair]:
    keys: dict[str, _Keys] = {}
    blocks: dict[str, list[str]] = defaultdict(list)
    for entity in _entities_of(reader, kind, deadline):
        mine = _Keys(entity)
        keys[entity.id] = mine
        for block in mine.blocks():
            blocks[block].append(entity.id)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            pairs.update(combinations(sorted(members), 2))  # ids are unique: never a pair with itself
    if not pairs:
        return []
    deadline.check()
    homes = _homes(reader, {i for pair in pairs for i in pair})
    found = []
    for a, b in pairs:
        reasons = _name_reasons(keys[a], keys[b])
        if not reasons:
            continue
        home_a, home_b = homes.get(a, set()), homes.get(b, set())
        if home_a & home_b:
            reasons.append(_reason(Signal.SAME_HOME_COUNTRY, ",".join(sorted(home_a & home_b))))
        elif home_a and home_b:
            reasons.append(_reason(Signal.DIFFERENT_HOME_COUNTRY, f"{','.join(sorted(home_a))} / {','.join(sorted(home_b))}"))
        found.append(_pair(kind, a, b, reasons))
    return found


def _homes(reader: GraphReader, ids: set[str]) -> dict[str, set[str]]:
    """Where each of ``ids`` is based (BASED_IN targets that are countries)."""
    homes: dict[str, set[str]] = defaultdict(set)
    for link in reader.links(ids, Direction.OUT, [RelationType.BASED_IN]):
        if link.source in ids and link.target.startswith("country:"):
            homes[link.source].add(link.target)
    return homes


class _Measure(NamedTuple):
    """What the measure rule reads of a measure."""

    day: dt.date
    measure_type: str
    rate: float | None


def _measure_pairs(reader: GraphReader, deadline: Deadline) -> list[_Pair]:
    """Measures that may be one government action reported twice: the same imposer and measure
    type, a target or a covered good in common, and timeline dates at most
    ``MEASURE_WINDOW_DAYS`` apart. A measure with no date cannot be placed and is never proposed.

    Blocks are (imposer, type, target or good), each swept in date order; a measure meets at most
    the ``MAX_BLOCK`` next ones of its block within the window, so a burst of thousands of
    same-day records by one imposer costs a bounded number of pairs."""
    measures = {
        e.id: _Measure(e.measure.timeline_date, e.measure.measure_type.value, e.measure.rate)
        for e in _entities_of(reader, EntityType.MEASURE, deadline)
        if e.measure is not None and e.measure.timeline_date is not None
    }
    if len(measures) < 2:
        return []
    deadline.check()
    imposers: dict[str, set[str]] = defaultdict(set)
    ends: dict[tuple[str, RelationType], set[str]] = defaultdict(set)
    for link in reader.links(measures, Direction.BOTH, [RelationType.IMPOSES, RelationType.TARGETS, RelationType.COVERS]):
        if link.type is RelationType.IMPOSES and link.target in measures:
            imposers[link.target].add(link.source)
        elif link.type is not RelationType.IMPOSES and link.source in measures:
            ends[(link.source, link.type)].add(link.target)
    blocks: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for measure_id, who in imposers.items():
        hit = ends.get((measure_id, RelationType.TARGETS), set()) | ends.get((measure_id, RelationType.COVERS), set())
        for imposer in who:
            for end in hit:
                blocks[(imposer, measures[measure_id].measure_type, end)].append(measure_id)
    window = dt.timedelta(days=MEASURE_WINDOW_DAYS)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        members.sort(key=lambda i: (measures[i].day, i))
        for n, first in enumerate(members):
            day = measures[first].day
            for second in members[n + 1 : n + 1 + MAX_BLOCK]:
                if measures[second].day - day > window:
                    break
                pairs.add((min(first, second), max(first, second)))
    deadline.check()
    found = []
    for a, b in pairs:
        reasons = _measure_reasons(a, b, measures, imposers, ends)
        if reasons:
            found.append(_pair(EntityType.MEASURE, a, b, reasons))
    return found


def _measure_reasons(
    a: str,
    b: str,
    measures: dict[str, _Measure],
    imposers: dict[str, set[str]],
    ends: dict[tuple[str, RelationType], set[str]],
) -> list[_Reason]:
    """The reasons two measures of one block may be one."""
    empty: set[str] = set()
    first, second = measures[a], measures[b]
    targets = ends.get((a, RelationType.TARGETS), empty) & ends.get((b, RelationType.TARGETS), empty)
    goods = ends.get((a, RelationType.COVERS), empty) & ends.get((b, RelationType.COVERS), empty)
    days = abs((first.day - second.day).days)
    if not (targets or goods) or first.measure_type != second.measure_type or days > MEASURE_WINDOW_DAYS:
        return []
    shared = imposers[a] & imposers[b]
    reasons = [_reason(Signal.SAME_IMPOSER_AND_TYPE, f"{','.join(sorted(shared))} {first.measure_type}")]
    if targets:
        reasons.append(_reason(Signal.SHARED_TARGETS, ",".join(sorted(targets))))
    if goods:
        reasons.append(_reason(Signal.SHARED_GOODS, ",".join(sorted(goods))))
    closeness = 1.0 - days / (MEASURE_WINDOW_DAYS + 1)
    reasons.append(_reason(Signal.CLOSE_DATES, f"{days} days", closeness))
    if first.rate is not None and first.rate == second.rate:
        reasons.append(_reason(Signal.SAME_RATE, f"{first.rate:g}"))
    return reasons


# -- low-confidence facts ------------------------------------------------------------------------


def low_confidence_facts(
    reader: GraphReader,
    *,
    threshold: float = 0.5,
    limit: int = 100,
    deadline: Deadline = NO_DEADLINE,
) -> list[LowConfidenceFact]:
    """Entities and relations whose best evidence is below ``threshold``, lowest first (then
    entities before relations, then by id or key).

    A fact counts at its *best* reading: one confident source is enough to keep it off the queue,
    however many weak ones also state it. A fact with no evidence has no confidence to judge and
    is not listed. This reads every fact's evidence once (no store keeps an index by confidence),
    keeping only the ``limit`` lowest."""
    check_limit(limit, field="limit", low=1, high=MAX_LIMIT)
    if not 0.0 <= threshold <= 1.0:
        raise InvalidDataError("must be between 0 and 1", field="threshold")
    lowest = heapq.nsmallest(limit, _weak_facts(reader, threshold, deadline), key=lambda fact: fact[0])
    entity_ids: set[str] = set()
    for _, fact, _ in lowest:
        entity_ids |= {fact.source, fact.target} if isinstance(fact, Relation) else {fact.id}
    names = {i: e.name for i, e in reader.entities(entity_ids).items()} if entity_ids else {}
    answer = []
    for (confidence, _, subject), fact, evidence in lowest:
        if isinstance(fact, Relation):
            kind, type_ = FactKind.RELATION, fact.type.value
            label = f"{names.get(fact.source, fact.source)} {type_} {names.get(fact.target, fact.target)}"
        else:
            assert fact.type is not None
            kind, type_, label = FactKind.ENTITY, fact.type.value, names.get(subject, fact.name)
        answer.append(
            LowConfidenceFact(kind=kind, subject=subject, type=type_, label=label, confidence=confidence, evidence=evidence)
        )
    return answer


def _weak_facts(
    reader: GraphReader, threshold: float, deadline: Deadline
) -> Iterator[tuple[tuple[float, int, str], Entity | Relation, list[Evidence]]]:
    """(sort key, fact, its evidence) for every fact whose best evidence is below ``threshold``."""
    sources: tuple[tuple[int, Callable[[], Iterable[Entity | Relation]]], ...] = (
        (0, reader.iter_entities),
        (1, reader.iter_relations),
    )
    for kind, facts in sources:
        for n, fact in enumerate(facts()):
            if n % _CHUNK == 0:
                deadline.check()
            if not fact.evidence:
                continue
            best = max(e.confidence for e in fact.evidence)
            if best < threshold:
                subject = fact.id if isinstance(fact, Entity) else fact.key
                yield (best, kind, subject), fact, sorted(fact.evidence, key=lambda e: e.key)
