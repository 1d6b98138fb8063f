"""RETALIATES_AGAINST: which measure answers which.

Read where a retaliation cue stands ("in response to", "hours after", 反制, 作为对等, a
"retaliatory" trigger): the measures on either side of the cue, or an anaphor ("the ban was a
response to…", 此举) and the owner it names, or the other side's measures named last. A link
never points from an earlier-announced measure to a later one.
"""

from __future__ import annotations

import re

from graph.model.enums import RelationType
from ingest.extract.matcher import Hit
from ingest.extract.relations.record import Recorder
from ingest.extract.types import ACTOR_TYPES, MeasureDraft, MeasureMention, Sentence

__all__ = ["RetaliationRules"]

_ANAPHOR = re.compile(
    r"\b(?:the|this|that|these|those|its|their|such)\s+(?:[\w-]+\s+){0,2}?(?:ban|bans|move|moves|step|steps|measure|measures|decision|"
    r"duties|tariffs|curbs|controls|restrictions|probe|investigation|action|actions)\s+(?:was|were|is|are|came|come|as)\s+(?:\w+\s+){0,3}?"
    r"(?:a |an )?(?=response|retaliation|answer|reply|countermeasure|retaliatory)"
    r"|(?:此举|这一举措|该举措|这一措施|该措施|上述措施|这些措施|此次调查|该调查|这一决定|此次措施)(?=[^。；]{0,50}?(?:反制|回应|报复|还击|反击))",
    re.I,
)


def _answers_earlier(responder: MeasureDraft, provoker: MeasureDraft) -> bool:
    """Whether a retaliation link would point back in time: the answer dated before what it answers.
    Such a link is never made, whatever the cue words say."""
    answered = provoker.announced  # an effective date alone may come long after the announcement
    answer = min((d for d in (responder.announced, responder.effective) if d), default=None)
    return answered is not None and answer is not None and answer < answered


class RetaliationRules(Recorder):
    """RETALIATES_AGAINST, read sentence by sentence (a part of the relation stage).

    ``history`` lists the sentences that named measures so far, with those measures, in order."""

    def _retaliation(self, s: Sentence, here: list[MeasureMention], seen: list[MeasureDraft]) -> None:
        """RETALIATES_AGAINST for one sentence with a retaliation cue: an anaphor frame first, else
        each cue; never between one country's own measures, never back in time."""
        cues = s.cues_of("cue", "retaliation")
        if not cues:
            return
        pairs = self._anaphoric_retaliation(s, here, cues)
        if pairs is None:
            pairs = []
            for cue in cues:
                pairs += self._cue_retaliation(s, here, seen, cue)
        for responders, provokers in pairs:
            for r in dict.fromkeys(responders):
                for p in dict.fromkeys(provokers):
                    if r is not p and r.country != p.country and not _answers_earlier(r, p):
                        self.add_relation(self.ids[r], RelationType.RETALIATES_AGAINST, self.ids[p], s.start, s.end, f"rule:{s.language or 'en'}.retaliates.cue", 0.6)  # type: ignore[index]

    def _anaphoric_retaliation(self, s: Sentence, here: list[MeasureMention], cues: list[Hit]) -> list[tuple[list, list]] | None:
        """"The ban was a response to the US measures", "此举是对美方的反制": the answering measure
        is named by an anaphor (the ban, this move, 此举), the answered one by its owner."""
        frame = _ANAPHOR.search(self.text, s.start, s.end)
        if frame is None:
            return None
        cue = next((c for c in cues if c.start >= frame.end() - 12), None)
        if cue is None:
            return None
        after = [mm for mm in here if mm.start >= cue.start or mm.start >= frame.end()]
        provokers: list[MeasureDraft] = [mm.measure for mm in after if mm.measure is not None]
        if not provokers:
            owners = [m for m in s.mentions if m.start >= frame.end() and m.type in ACTOR_TYPES and not m.pair]
            owner = self.rules.lex.home(owners[0].entity_id) if owners else None
            if owner is None:
                return None
            provokers = self._latest_by(owner, s.index)
        if not provokers:
            return None
        countries = {p.country for p in provokers}
        before = [mm.measure for mm in here if mm.end <= frame.start() and mm.measure is not None and mm.measure.country not in countries]
        responders = before or [d for _i, ds in self.history for d in ds if d.country not in countries][-1:]
        return [(responders, provokers)] if responders else None

    def _latest_by(self, country: str, before: int) -> list[MeasureDraft]:
        """The measures ``country`` imposed in the latest sentence before ``before`` that named any."""
        for index, drafts in reversed(self.history):
            if index >= before:
                continue
            mine = [d for d in drafts if d.country == country]
            if mine:
                return mine
        return []

    def _cue_retaliation(self, s: Sentence, here: list[MeasureMention], seen: list[MeasureDraft], cue: Hit) -> list[tuple[list, list]]:
        """(responders, provokers) around one cue: "after"/后 puts the earlier act on one side by
        language; in Chinese the answer is written before the cue or after it; in English "in response
        to" puts the provoker after it."""
        before = [mm for mm in here if mm.end <= cue.start]
        after = [mm for mm in here if mm.start >= cue.end]
        surface = cue.surface.lower()
        provokers: list[MeasureDraft] = []
        responders: list[MeasureDraft] = []
        if surface in {"after", "following"} or surface.endswith(" after") or (cue.lang == "zh" and surface.endswith("后")):
            first, rest = (after, before) if cue.lang == "en" else (before, after)
            if first:
                country = (first[0] if cue.lang == "en" else first[-1]).measure.country
                provokers = [mm.measure for mm in first if mm.measure.country == country]
                responders = [mm.measure for mm in rest + first if mm.measure.country != country]
        elif cue.lang == "zh":
            if before and not after and self.text[cue.start - 1 : cue.start] != "的" and len({mm.measure.country for mm in before}) == 1:
                # "中方对印度棉花加征关税作为反制": the measure before the cue is the answer
                responders = [mm.measure for mm in before]
                provokers = self._earlier(responders[0], s, [])
            elif before and not after and len({mm.measure.country for mm in before}) > 1:
                last = before[-1].measure
                provokers = [last]
                responders = [mm.measure for mm in before if mm.measure.country != last.country]
            elif before and not after:
                provokers = [before[-1].measure]
                responders = [d for d in seen if d.country != provokers[0].country and d not in provokers][-1:]
            elif after:
                responders = [mm.measure for mm in after]
                provokers = self._earlier(responders[0], s, before)
        else:
            if surface in {"in response to", "response to", "a response", "answer to", "reply to", "in retaliation", "retaliation"} and after and before:
                provokers = [after[0].measure]
                responders = [mm.measure for mm in before if mm.measure.country != provokers[0].country]
            elif surface in {"in response to", "response to", "a response", "answer to", "reply to", "in retaliation"} and before:
                # "…, widely seen as a response to the Dutch and Japanese curbs": the owners name it
                owners = [m for m in s.mentions if m.start >= cue.end and m.type in ACTOR_TYPES and not m.pair]
                sides = dict.fromkeys(h for h in (self.rules.lex.home(m.entity_id) for m in owners[:3]) if h)
                provokers = [d for side in sides for d in self._latest_by(side, s.index)]
                responders = [mm.measure for mm in before if mm.measure.country not in sides]
            elif after:
                responders = [mm.measure for mm in after]
                provokers = self._earlier(responders[0], s, before)
        return [(responders, provokers)]

    def _earlier(self, responder: MeasureDraft, s: Sentence, before: list[MeasureMention]) -> list[MeasureDraft]:
        """What a responder answers: the other side's measures named last (in this sentence before
        the cue, else in the latest sentence that named any), aimed-at countries first, same type
        preferred."""
        entries = [(i, ds) for i, ds in self.history if i < s.index and s.index - i <= 4]
        entries.append((s.index, [mm.measure for mm in before if mm.measure is not None]))
        aimed = set(responder.targets)

        def usable(d: MeasureDraft) -> bool:
            return d is not responder and d.country != responder.country

        for _index, drafts in reversed(entries):
            pool = [d for d in dict.fromkeys(drafts) if usable(d)]
            if aimed and any(d.country in aimed for d in pool):
                pool = [d for d in pool if d.country in aimed]
            elif aimed and any(usable(d) and d.country in aimed for _i, ds in entries for d in ds):
                continue  # a sentence about someone else: look further back for the aimed-at side
            if pool:
                same = [d for d in pool if d.measure_type == responder.measure_type]
                return same or pool
        return []
