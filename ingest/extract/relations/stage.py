"""Stage 5, relations: every relation a document states, from its sentences and measure drafts.

This module runs the rules, sentence by sentence in text order; ``record.py`` keeps what they
read (see ``types.Relations``). The rules themselves live by relation, one module per family
(``base.py`` holds what they share, ``rules.py`` joins the sentence-level ones):

- IMPOSES, TARGETS, COVERS (a measure's own): ``measures.py``
- RETALIATES_AGAINST: ``retaliation.py``
- DEPENDS_ON, SELLS_TO, SUPPLIES, MADE_FROM: ``trade.py`` (buyer or supply: ``market.py``)
- MEMBER_OF, BASED_IN: ``affiliation.py``
- OPPOSES, SUPPORTS, NEGOTIATES_WITH: ``stances.py``

Sentences with no trade signal (no trigger, dependency, supply, talks or trade word) yield
nothing at all, so headlines about football in a scraped page leave no trace in the graph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from graph.model.enums import EntityType
from ingest.extract.relations.affiliation import StatedHomes
from ingest.extract.relations.base import RelationDraft
from ingest.extract.relations.measures import AFFECTED, AFFECTED_WORDS, MeasureRelations
from ingest.extract.relations.retaliation import RetaliationRules
from ingest.extract.relations.rules import RelationRules
from ingest.extract.types import Found, MeasureDraft, MeasureMention, Relations, Sentence

__all__ = ["RelationRules", "relate"]

_WEAK_SIGNALS = {"opposes", "supports", "retaliation"}
_MADE_FROM_HINT = re.compile(r"是(?:制造|生产|制作)|used (?:to make|in making|for)|goes into", re.I)


def relate(
    rules: RelationRules, text: str, sentences: list[Sentence], drafts: list[MeasureDraft],
    mentions: list[MeasureMention], reference: date | None, found: Found,
) -> Relations:
    """Every relation the document states, and every entity cited, with the makings of evidence."""
    return _RelationStage(rules, text, sentences, drafts, mentions, reference, found).run()


class _RelationStage(MeasureRelations, RetaliationRules, StatedHomes):
    """One document's run of the relation rules, with what they have read so far."""

    def __init__(
        self, rules: RelationRules, text: str, sentences: list[Sentence], drafts: list[MeasureDraft],
        mentions: list[MeasureMention], reference: date | None, found: Found,
    ) -> None:
        super().__init__(rules, text, sentences, drafts, mentions, reference, found)
        # the hint has no anchors or lookarounds: absent from the text, it is absent from every sentence
        self.made_from_hint = _MADE_FROM_HINT.search(self.text) is not None
        self.affected_hint = any(w in self.text for w in AFFECTED_WORDS) and AFFECTED.search(self.text) is not None

    def run(self) -> Relations:
        """Measures first (their ids key the other relations), then each sentence in order."""
        signal = {s.index for s in self.sentences if s.has_trade_signal()}
        # "market" is too common a word to signal trade alone: only where it names one's buyer
        signal |= {s.index for s in self.sentences if s.has("cue", "market") and self.rules.markets(self.text, s)}
        if self.drafts:
            signal |= {s.index for s in self.sentences if any(s.has("cue", value) for value in _WEAK_SIGNALS)}
        for s in self.sentences:
            if s.index in signal:
                for m in s.mentions:
                    self.cite_entity(m)
        self._measures()
        by_sentence: dict[int, list[MeasureDraft]] = defaultdict(list)
        for draft in self.drafts:
            if draft in self.ids:
                for mm in draft.mentions:
                    if draft not in by_sentence[mm.sentence.index]:
                        by_sentence[mm.sentence.index].append(draft)
        seen: list[MeasureDraft] = []
        here_of: dict[int, list[MeasureMention]] = defaultdict(list)
        for mm in self.mentions:
            if mm.measure is not None and mm.measure in self.ids:
                here_of[mm.sentence.index].append(mm)
        for s in self.sentences:
            here = here_of.get(s.index, [])
            if s.index in signal:
                self._sentence_relations(s, here, seen)
            elif self.drafts and any(m.entity_id in self.rules.member_ids or m.type is EntityType.ORGANIZATION for m in s.mentions):
                # "China's foreign ministry spokesman Geng Shuang said…", "美国国务卿蓬佩奥则…": in a
                # text about measures, who speaks for which body, and from where, is a fact even
                # where the sentence has no trade word
                if any(m.entity_id in self.rules.member_ids for m in s.mentions):
                    people = {m.entity_id for m in s.mentions if m.type is EntityType.PERSON}
                    drafts = [d for d in self.rules.membership(self.text, s) if d.source in people]  # not a bloc's members
                    if people & self.based_ids:
                        drafts += [d for d in self.rules.based_in(self.text, s, self.embedded) if d.source in people]
                    self._add_drafts(s, drafts)
                else:
                    self._add_drafts(s, self.rules.posts(self.text, s))
            for draft in by_sentence.get(s.index, ()):
                if draft in seen:
                    seen.remove(draft)
                seen.append(draft)
            if self.affected_hint:  # after the sentence's own measures join the list
                self._affected(s, seen)
            if s.index in by_sentence:
                self.history.append((s.index, by_sentence[s.index]))
        self._stated_homes()
        return Relations(self.ids, self.entity_evidence, self.relations)

    def _sentence_relations(self, s: Sentence, here: list[MeasureMention], seen: list[MeasureDraft]) -> None:
        """The relations one sentence states beyond its measures' own (``here``: its measure
        mentions; ``seen``: the measures named so far, the latest last)."""
        rules = self.rules
        drafts: list[RelationDraft] = []
        # each rule runs only where its cue or its kind of name is present (the same output, less work)
        if s.has("cue", "depends"):
            drafts += rules.depends(self.text, s)
        if s.has("cue", "share_of"):
            drafts += rules.shares(self.text, s)
        if s.has("cue", "market"):
            drafts += rules.markets(self.text, s)
        if s.has("cue", "supplies"):
            drafts += rules.supplies(self.text, s)
        if self.made_from_hint and _MADE_FROM_HINT.search(self.text, s.start, s.end):
            drafts += rules.made_from(self.text, s)
        if any(m.entity_id in rules.member_ids for m in s.mentions):
            drafts += rules.membership(self.text, s)  # the posts too
        elif any(m.type is EntityType.ORGANIZATION for m in s.mentions):
            drafts += rules.posts(self.text, s)
        if any(m.entity_id in self.based_ids for m in s.mentions):
            drafts += rules.based_in(self.text, s, self.embedded)
        if s.has("cue", "negotiates"):
            drafts += rules.negotiations(self.text, s, seen)
        self._add_drafts(s, drafts)
        if s.has("cue", "opposes") or s.has("cue", "supports"):
            for holder, rtype, measure, rule in rules.stances(self.text, s, here, seen, self.history):
                self.cite_entity(holder)
                self.add_relation(holder.entity_id, rtype, self.ids[measure], s.start, s.end, rule, 0.6)  # type: ignore[index]
        if s.has("cue", "retaliation"):
            self._retaliation(s, here, seen)

    def _add_drafts(self, s: Sentence, drafts: list[RelationDraft]) -> None:
        """Record the relations ``drafts`` read from ``s``, citing their entities."""
        for d in drafts:
            for m in d.mentions:
                self.cite_entity(m) if (m.start, m.end) != (s.start, s.end) else None
            if d.target not in self.entity_evidence:
                self.entity_evidence[d.target]  # noqa: B018 - make sure the endpoint is cited below
                entry = self.rules.lex.entry(d.target)
                if entry is not None:
                    rule = f"rule:{s.language or 'en'}.lexicon.{entry.type.value.lower()}"
                    self.entity_evidence[d.target].setdefault((s.start, s.end, rule), self.evidence(s.start, s.end, rule, 0.6))
            if d.origin and d.origin not in self.entity_evidence:
                self.entity_evidence[d.origin][(s.start, s.end, "rule:origin")] = self.evidence(s.start, s.end, "rule:origin", 0.6)
            self.add_relation(d.source, d.type, d.target, d.start, d.end, d.rule, d.confidence, d.share, d.origin)
