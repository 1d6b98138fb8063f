"""Relations of stance and talks: OPPOSES, SUPPORTS and NEGOTIATES_WITH.

A stance holder is an actor before a stance cue ("opposed", 反对, "welcomed"); what it opposes is
the measure named after the cue, else one named earlier in the sentence, else what the last
sentence about measures named. Talks are between the actors a talks cue names, or between the
two sides of the latest measures when the text says "the two sides".
"""

from __future__ import annotations

import re

from graph.model.enums import EntityType, RelationType
from ingest.extract.matcher import Hit
from ingest.extract.relations.base import RelationDraft, RuleBase
from ingest.extract.types import ACTOR_TYPES, MeasureDraft, MeasureMention, Mention, Sentence

__all__ = ["StanceRules"]

_WEAK_STANCE = frozenset({"担忧", "concern about", "concerns about", "concerned about", "不满"})
_POSSESSED = re.compile(r"\s*(?:的|'s|’s)\s*(?:做法|措施|决定|行为|举措|move|decision|measures?|actions?|policy|policies)")
# "美方应停止无理打压", "Washington should stop interfering": the side told what to do is addressed, not the speaker
_ADDRESSED = re.compile(r"\s*(?:应当|应该|应|必须|should\b|must\b|ought to\b)", re.I)
_OWNED = re.compile(r"\s*(?:'s|’s)?\s*(?:[\w-]+\s+)?(?:tariffs|duties|sanctions|curbs|export controls|bans?|levies|restrictions)\b", re.I)
_WITH = re.compile(r"(?:与|跟|同|和|with|between)\s*$", re.I)
_NEG_BEFORE = re.compile(r"(?:不再|不|没有|无需|no longer|not|never)\s*$", re.I)
_BOTH_SIDES = re.compile(r"\b(?:the two|both)\s+(?:governments|countries|sides|nations|capitals)\b|两国|双方|两国政府", re.I)
_MEASURE_NOUN = re.compile(
    r"\s*(?:'s|’s|的)?\s*(?:[\w-]+\s+)?(?:measures?|moves?|curbs|controls|restrictions|bans?|duties|tariffs|sanctions|rules|措施|举措|做法|决定|禁令)", re.I
)
_PLURAL_OBJECT = re.compile(
    r"\b(?:the|these|those|such|its|their|both)\s+(?:[\w-]+\s+)?(?:measures|moves|steps|curbs|controls|restrictions|duties|tariffs|bans|sanctions)\b"
    r"|这些措施|上述措施|相关措施|一系列措施|两项措施|上述举措|这些举措",
    re.I,
)


class StanceRules(RuleBase):
    """NEGOTIATES_WITH, OPPOSES and SUPPORTS, read one sentence at a time."""

    # NEGOTIATES_WITH ----------------------------------------------------------------------------
    def negotiations(self, text: str, s: Sentence, recent: list[MeasureDraft] = ()) -> list[RelationDraft]:
        """NEGOTIATES_WITH between the actors a talks cue names ("A and B held talks", 与…磋商), or
        between the two sides of the latest measures when the text says "the two sides"."""
        cues = s.cues_of("cue", "negotiates")
        if not cues:
            return []
        cue = cues[-1]
        rule = f"rule:{cue.lang}.negotiates_with.cue"
        actors = [
            m for m in s.mentions
            if m.type in ACTOR_TYPES and m.end <= cue.start and not self._is_place(text, m)
            and not (len(m.surface) == 2 and m.surface[0] in "对涉")
            and not any(h.value == "negotiates" and 0 <= h.start - m.end <= 1 for h in cues)
        ]
        out = []
        counterpart = None
        for m in reversed(actors):
            if _WITH.search(text[max(0, m.start - 4) : m.start]) and m.type in {EntityType.COUNTRY, EntityType.ORGANIZATION}:
                counterpart = m
                break
        pairs = [m for m in s.mentions if m.pair and m.end <= cue.start and cue.start - m.end <= 12]
        if counterpart is not None:
            home = self.home(counterpart.entity_id)
            for m in actors:
                if m is counterpart or m.pair or m.type is EntityType.ORGANIZATION:
                    continue
                if self.home(m.entity_id) == home:
                    continue
                d = self._draft(s, m, RelationType.NEGOTIATES_WITH, counterpart, rule, 0.6)
                out += [d] if d else []
        elif len(pairs) >= 2:
            d = self._draft(s, pairs[-2], RelationType.NEGOTIATES_WITH, pairs[-1], rule, 0.6)
            out += [d] if d else []
        else:
            distinct = {self.home(m.entity_id) or m.entity_id: m for m in actors if not m.pair}
            if len(distinct) == 2:
                a, b = list(distinct.values())
                d = self._draft(s, a, RelationType.NEGOTIATES_WITH, b, rule, 0.5)
                out += [d] if d else []
            elif len(distinct) <= 1 and recent and _BOTH_SIDES.search(text, s.start, s.end):
                out += self._sides_of(s, recent, next(iter(distinct), None), rule)
        unique = {}
        for d in out:
            unique.setdefault(tuple(sorted((d.source, d.target))), d)
        return list(unique.values())

    def _sides_of(self, s: Sentence, recent: list[MeasureDraft], named: str | None, rule: str) -> list[RelationDraft]:
        """"Talks between the two governments", "两国恢复对话": the sides of the latest measure
        (its imposer and the country it targets), one of them the named actor if there is one."""
        for draft in reversed(recent):
            targets = [t for t in draft.targets if t.startswith(("country:", "org:")) and self.home(t) and self.home(t) != draft.country]
            if not targets or (named is not None and named not in {draft.country, self.home(targets[0])}):
                continue
            a, b = draft.country, self.home(targets[0])
            ea, eb = self.lex.entry(a), self.lex.entry(b)  # type: ignore[arg-type]
            if ea is None or eb is None:
                return []
            ma = Mention(s.start, s.end, a, ea.type, "", s.language or "en")  # type: ignore[arg-type]
            mb = Mention(s.start, s.end, b, eb.type, "", s.language or "en")  # type: ignore[arg-type]
            d = self._draft(s, ma, RelationType.NEGOTIATES_WITH, mb, rule, 0.5)
            return [d] if d else []
        return []

    # OPPOSES / SUPPORTS -------------------------------------------------------------------------
    def stances(
        self, text: str, s: Sentence, here: list[MeasureMention], recent: list[MeasureDraft], history: list[tuple[int, list[MeasureDraft]]] = ()
    ) -> list[tuple[Mention, RelationType, MeasureDraft, str]]:
        """Who opposes or backs which measure: one named after the cue, else one named earlier in
        the sentence, else what the last sentence about measures named ("condemned the move",
        "对此表示不满"), all of that side's recent measures when the object is plural ("the
        measures"). Actors being urged ("推动荷兰和日本跟进") hold no stance yet."""
        out = []
        persuade = s.cues_of("cue", "persuade")
        for cue in s.cues:
            if cue.kind != "cue" or cue.value not in {"opposes", "supports"}:
                continue
            if _NEG_BEFORE.search(text[max(0, cue.start - 4) : cue.start]):
                continue
            rtype = RelationType.OPPOSES if cue.value == "opposes" else RelationType.SUPPORTS
            holders = [
                m for m in s.mentions
                if m.end <= cue.start and (m.type in ACTOR_TYPES or m.type is EntityType.FIRM) and not m.pair
                and not re.search(r"(?:向|对|to|at)\s*$", text[max(0, m.start - 3) : m.start])
                and not _POSSESSED.match(text, m.end, cue.start)  # "美方的做法严重违反": the owner, not the speaker
                and not _ADDRESSED.match(text, m.end, cue.start)
                and not (m.type is not EntityType.FIRM and _OWNED.match(text, m.end, cue.start))  # "called the U.S. tariffs an attack"
            ]
            if not holders:
                continue
            if any(h.end <= holders[-1].start and h.end <= cue.start for h in persuade):
                continue
            group = self._coordinated_back(text, s, holders[-1], ACTOR_TYPES | {EntityType.FIRM})
            home = self.home(group[-1].entity_id)
            after = [mm for mm in here if mm.start >= cue.end and mm.measure is not None and mm.measure.country != home]
            before = [mm for mm in here if mm.end <= group[0].start and mm.measure is not None and mm.measure.country != home]
            measures: list[MeasureDraft]
            if after:
                measures = [after[0].measure]  # type: ignore[list-item]
            elif cue.surface.lower() in _WEAK_STANCE and "对此" not in text[max(0, cue.start - 8) : cue.start]:
                continue
            elif before:
                measures = [before[-1].measure]  # type: ignore[list-item]
            elif (owned := self._owner_after(text, s, cue, home, history)):
                measures = owned  # "opposed the Dutch measures": that side's latest measures
            else:
                measures = self._last_named(home, s, history) if history else [d for d in recent if d.country != home][-1:]
                if not measures:
                    continue
                if _PLURAL_OBJECT.search(text, s.start, s.end):
                    side = measures[-1].country
                    measures = [d for i, ds in history if s.index - i <= 5 and i < s.index for d in ds if d.country == side] or measures
            for holder in group:
                for measure in dict.fromkeys(measures):
                    out.append((holder, rtype, measure, f"rule:{cue.lang}.{cue.value}.cue"))
        return out

    def _owner_after(self, text: str, s: Sentence, cue: Hit, home: str | None, history) -> list[MeasureDraft]:  # noqa: ANN001
        owners = [
            m for m in s.mentions
            if cue.end <= m.start <= cue.end + 16 and m.type in ACTOR_TYPES and not m.pair and _MEASURE_NOUN.match(text, m.end, m.end + 30)
        ]
        if not owners:
            return []
        side = self.home(owners[0].entity_id)
        if side is None or side == home:
            return []
        for index, drafts in reversed(history):
            mine = [d for d in drafts if d.country == side and index < s.index]
            if mine:
                return mine
        return []

    def _last_named(self, home: str | None, s: Sentence, history) -> list[MeasureDraft]:  # noqa: ANN001
        for index, drafts in reversed(history):
            if index >= s.index:
                continue
            others = [d for d in drafts if d.country != home]
            if others:
                return others
        return []
