"""Stage 3, measure mentions: trigger words to measure mentions, sentence by sentence.

A mention is one group of trigger words in a sentence with what the sentence says around it:
who imposes and whom it targets (``measure_parties.py``), which goods it covers
(``measure_goods.py``), its status, dates, rate, amount and legal basis
(``measure_attributes.py``). This module groups the triggers and runs those rules in order.
Which mentions are one measure is the next stage, ``measure_drafts.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ingest.extract.matcher import Lookbehind
from ingest.extract.measure_attributes import AttributeRules
from ingest.extract.measure_goods import GoodsRules
from ingest.extract.measure_parties import PartyRules
from ingest.extract.types import ACTOR_TYPES, GOODS_TYPES, MeasureMention, Mention, Sentence
from ingest.extract.values import DateMention
from ingest.lexicon import Lexicon

__all__ = ["MentionFinder", "find_measure_mentions"]

# a trigger followed by these names a group of actors ("统一制裁联盟"), not a measure
_GROUP_AFTER = re.compile(r"\s*(?:联盟|同盟|coalition|alliance)", re.I)
_TECH_BEFORE = re.compile(r"(?:技术|科技|高科技|technology|tech|high-tech)\s*$", re.I)
_PLURAL_BEFORE = re.compile(r"(?:\bboth(?:\s+(?:the|sets? of|these|those))?|\bthe two|\bthese|\bthose|两项|两种|上述|这两项|双方的)\s*$", re.I)
# a new act, not another mention of a known one: "hit back with", "a further", "又一轮", "in retaliation"
_FRESH = re.compile(
    r"(?:\bhit back|\bhits back|\bstruck back|\bretaliated|\banswered|\bin retaliation|\bresponded|\ba further|\banother|\ba new round|\ba second round|"
    r"\bnew round|\bfresh|\badditional|\bremaining|\bthe rest of|剩余|其余|予以反击|予以还击|反制|还击|回击|新一轮|又一轮|再次|第二轮|第三轮)",
    re.I,
)
_SAME_DAY = re.compile(r"\b(?:the same day|on the same day|that same day|the same date|at the same time)\b|同日|当天|同一天|当日|与此同时|同时", re.I)
_STANCE_AFTER = re.compile(r"[^，。；,;]{0,12}?(?:反对|抗议|谴责|批评|不满|投了反对票)")
_YEAR_ZH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


class MentionFinder(PartyRules, GoodsRules, AttributeRules):
    """Turns one sentence's trigger hits into measure mentions (see the module docstring)."""

    def __init__(self, lexicon: Lexicon, target_words: Lookbehind, location_words: Lookbehind) -> None:
        self.lex = lexicon
        self.target_words = target_words
        self.location_words = location_words

    def groups(self, text: str, sentence: Sentence) -> list[tuple[int, int, str, str]]:
        """Trigger hits merged per type and clause: (start, end, type, lang).

        Two hits of a type merge when they are close and no actor stands between them ("tightened
        export controls, China banned exports" is two measures). A sanction on goods or technology
        (技术制裁, 软件制裁, chip sanctions) is an export control; a trigger naming a coalition
        (制裁联盟) is no measure at all."""
        out: list[list] = []
        actors = [m for m in sentence.mentions if m.type in ACTOR_TYPES]
        for hit in sentence.cues:
            if hit.kind != "measure":
                continue
            if _GROUP_AFTER.match(text, hit.end, hit.end + 4) or _in_title(text, sentence, hit.start):
                continue
            mtype = hit.value
            if mtype == "sanction" and (_TECH_BEFORE.search(text, max(0, hit.start - 6), hit.start) or self._goods_before(text, sentence, hit.start)):
                mtype = "export_control"
            clause = sentence.clause_of(hit.start)
            for group in out:
                if (
                    group[2] == mtype and sentence.clause_of(group[0]) == clause and hit.start - group[1] < 12
                    and not any(group[1] <= a.start and a.end <= hit.start for a in actors)
                ):
                    group[1] = max(group[1], hit.end)
                    break
            else:
                out.append([hit.start, hit.end, mtype, hit.lang])
        return [tuple(g) for g in sorted(out)]  # type: ignore[misc]

    def _goods_before(self, text: str, sentence: Sentence, position: int) -> bool:
        for m in reversed(sentence.mentions):
            if m.end <= position:
                return m.type in GOODS_TYPES and text[m.end : position].strip() == ""
        return False

    def find(self, text: str, sentence: Sentence, reference: date | None, last_year: int | None, last_date: DateMention | None = None) -> list[MeasureMention]:
        """The measure mentions of one sentence: parties first (the goods and target rules ask who
        imposes), then goods, dates (status reads them), status and magnitudes. ``last_year`` and
        ``last_date`` are the latest year and measure date the text named before this sentence."""
        groups = self.groups(text, sentence)
        if not groups:
            return []
        mentions = [MeasureMention(sentence, s, e, t, lang) for s, e, t, lang in groups]
        spans = [(s, e) for s, e, _t, _l in groups]
        for mm in mentions:
            mm.prefix = text[sentence.start : mm.start]
            mm.plural = bool(_PLURAL_BEFORE.search(text, max(sentence.start, mm.start - 14), mm.start))
            clause = sentence.clause_of(mm.start)
            mm.fresh = bool(_FRESH.search(text, clause[0] if sentence.language in {"zh", "ja"} else max(sentence.start, mm.start - 60), mm.start))
            if text[max(sentence.start, mm.start - 1) : mm.start] == "对" and _STANCE_AFTER.match(text, mm.end, clause[1] + 12):
                continue  # "对征税投了反对票": a stance on a known measure, nobody imposes here
            self._imposers(text, sentence, mm)
        self._frame_imposers(text, sentence, mentions)
        for mm in mentions:
            self._targets(text, sentence, mm, mentions)
            self._goods(text, sentence, mm, mentions)
        self._inherit_goods(mentions)
        self._dates(text, sentence, mentions, reference, last_year)
        if last_date is not None and not any(mm.dates for mm in mentions) and _SAME_DAY.search(text, sentence.start, sentence.end):
            for mm in mentions:
                mm.dates.append((last_date, "announced"))
        for mm in mentions:
            self._status(text, sentence, mm, spans)
        self._magnitudes(text, sentence, mentions)
        return self._split_conjoined(mentions)

    def _split_conjoined(self, mentions: list[MeasureMention]) -> list[MeasureMention]:
        """"Canada and Mexico hit back with tariffs": one measure per country, each its own."""
        out = []
        for mm in mentions:
            homes: dict[str, list[Mention]] = {}
            for m in mm.imposers:
                homes.setdefault(self.lex.home(m.entity_id) or m.entity_id, []).append(m)
            if len(homes) < 2:
                out.append(mm)
                continue
            for group in homes.values():
                ids = {g.entity_id for g in group}
                clone = replace(mm, imposers=group, targets=[t for t in mm.targets if t.entity_id not in ids], goods=list(mm.goods), dates=list(mm.dates))
                out.append(clone)
        return out


def _in_title(text: str, sentence: Sentence, position: int) -> bool:
    """"依据《反外国制裁法》": a trigger inside the title of a law names the law, no act (the title
    of a notice, 《关于对…征收反倾销税的公告》, does name the act)."""
    opened = text.rfind("《", sentence.start, position)
    if opened < 0 or text.rfind("》", opened, position) >= 0:
        return False
    closed = text.find("》", position, sentence.end)
    return closed >= 0 and text[closed - 2 : closed].endswith(("法", "条例", "法案"))


def find_measure_mentions(finder: MentionFinder, text: str, sentences: list[Sentence], reference: date | None) -> list[MeasureMention]:
    """Every measure mention in the document, in text order."""
    out: list[MeasureMention] = []
    last_year = None
    context_year = None
    last_date = None
    for sentence in sentences:
        found = finder.find(text, sentence, reference, last_year, last_date) if sentence.has_measure_cue else []
        for mm in found:
            own = [d for d, _role in mm.dates]
            mm.context_year = own[0].value.year if own else context_year
            if own:
                context_year = own[-1].value.year
                last_date = own[0]
        out += found
        years = _YEAR_ZH.findall(text, sentence.start, sentence.end) if text.find("年", sentence.start, sentence.end) >= 0 else None
        if years:
            last_year = int(years[-1])
    return out
