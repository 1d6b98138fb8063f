"""What the relation stage has read of one document so far, and how a reading is recorded.

Every rule family that works across sentences (a measure's own relations, retaliation, stated
homes) records through the same three methods, so one relation read twice gains evidence rather
than a copy, and every cited entity's evidence is kept once per (span, rule).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import cache

from graph.model.enums import EntityType, RelationType
from ingest.extract.confidence import rule_key
from ingest.extract.relations.base import RuleBase
from ingest.extract.types import Found, MeasureDraft, MeasureMention, Mention, Sentence

__all__ = ["Recorder"]


@cache
def _lexicon_rule(lang: str, etype: EntityType) -> str:
    """The rule name an entity cited by the lexicon gets (``rule:zh.lexicon.country``)."""
    return f"rule:{lang}.lexicon.{etype.value.lower()}"


class Recorder:
    """One document's relation stage: its inputs and the readings recorded so far."""

    def __init__(
        self, rules: RuleBase, text: str, sentences: list[Sentence], drafts: list[MeasureDraft],
        mentions: list[MeasureMention], reference: date | None, found: Found,
    ) -> None:
        self.rules = rules
        self.found = found
        # names the text itself gave a home can start a home-country rule too
        self.based_ids = rules.based_ids | {k for k, e in found.entries.items() if e.country}
        self.embedded = {**rules.embedded, **found.embedded} if found.embedded else rules.embedded
        self.text = text  # the simplified-script text the rules read (same length as doc.text)
        self.sentences = sentences
        self.drafts = drafts
        self.mentions = mentions
        self.reference = reference
        self.entity_evidence: dict[str, dict[tuple[int, int, str], tuple[int, int, str, float]]] = defaultdict(dict)
        self.relations: dict[tuple, dict] = {}
        self.ids: dict[MeasureDraft, str] = {}
        self.history: list[tuple[int, list[MeasureDraft]]] = []  # sentences that named measures, in order

    def evidence(self, start: int, end: int, rule: str, confidence: float) -> tuple[int, int, str, float]:
        """The makings of an Evidence; the batch stage builds each distinct one once."""
        return (start, end, rule, confidence)

    def cite_entity(self, m: Mention, rule: str | None = None, sentence: Sentence | None = None) -> None:
        """Cite an entity by the words naming it (or, given a sentence, by that sentence)."""
        if sentence is not None:
            start, end = sentence.span
        else:
            start, end = m.start, m.end
        rule = rule or _lexicon_rule(m.lang, m.type)
        cited = self.entity_evidence[m.entity_id]
        if (start, end, rule) not in cited:
            cited[(start, end, rule)] = (start, end, rule, 0.9)

    def add_relation(
        self, source: str, rtype: RelationType, target: str, start: int, end: int, rule: str, confidence: float,
        share: float | None = None, origin: str | None = None,
    ) -> None:
        """Record one reading of a relation; the same relation read again gains evidence, not a copy."""
        confidence = self.rules.confidence.get(rule_key(rule), confidence)  # as calibrated on the gold sets
        key = (source, rtype, target, origin)
        slot = self.relations.setdefault(key, {"share": share, "evidence": {}})
        if slot["share"] is None and share is not None:
            slot["share"] = share
        slot["evidence"].setdefault((start, end, rule), self.evidence(start, end, rule, confidence))
