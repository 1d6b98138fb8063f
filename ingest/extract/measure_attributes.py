"""Measure mentions, their attributes: status, dates, rate, amount and legal reference.

The status is the nearest status cue (the trigger's own clause first) read with its modality;
dates go to the nearest trigger, as announced or effective by the words around them, with dates
relative to the report ("takes effect in 45 days", "a day after") counted from the day it names;
rates, amounts and legal references go to the duty they stand next to.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from graph.model.enums import EntityType
from ingest.extract.matcher import Hit, ends_with
from ingest.extract.measure_parties import OBJECT_MARKER
from ingest.extract.types import ACTOR_TYPES, COORDINATION, DUTY_TYPES, STATUS_RANK, MeasureMention, Sentence
from ingest.extract.values import (
    DateMention,
    find_amounts,
    find_dates,
    find_legal_references,
    find_percents,
    find_rate_change,
    may_hold_date,
)

__all__ = ["AttributeRules"]

_EFFECTIVE_BEFORE = re.compile(r"(?:from|effective|took effect on|takes effect on|take effect on|since|starting|as of|apply from|定在|自|于)\s*$", re.I)
# "商务部于2月4日发起调查": a date followed by an act of announcing is when it was announced, 于 or not
_ANNOUNCE_AFTER = re.compile(r"\s*(?:发起|宣布|发布|公布|决定|启动|立案|对|提出|作出)")
_EFFECTIVE_AFTER = re.compile(r"^\s*(?:起|开始|生效|实施|施行|正式实施|落地)")
_DONE_VERB = re.compile(r"(?:banned|blocked|barred|blacklisted|sanctioned|suspended|halted|restricted|froze|seized)\b|(?:暂停|停止|禁止|叫停|取消)了", re.I)
_IN_DAYS = re.compile(r"(?P<n>\d{1,3})\s*(?:日|天)(?:后|之后|以后)(?:生效|实施|起)|\b(?:take|takes|taking|come|comes) (?:into )?effect in (?P<m>\d{1,3}) days", re.I)
_RANGE = re.compile(r"\s*(?:%|％|percent|per cent)?\s*(?:and|to|-|–|至|到|~|～)\s*", re.I)
_AMOUNT_BEFORE_ZH = re.compile(r"(?:对|价值|涉及|共计|合计|总额)\s*(?:约|近|超过|逾)?\s*$")
_REQUIRE = frozenset({"要求", "责令", "required", "requires", "require", "ordered", "orders"})
_AFTER_OFFSET = re.compile(r"(?P<n>a|an|one|the|two|three|four|five|six|seven|\d+)\s+(?P<unit>day|days|week|weeks)\s*$", re.I)
_LEADING_DATE = re.compile(r"\W*(?:on|in|since|from|by|as of|at|early|late|mid)?\W*$", re.I)
_DIGIT = re.compile(r"\d")  # every date, rate, amount and legal reference has one
_AMOUNT_BEFORE = re.compile(r"(?:on|of|价值|涉及|的)\s*(?:about|some|around|约)?\s*\$?$", re.I)
# a status word whose object is a price or a market figure ("a ban that has lifted prices") moves
# that figure, not the measure
_MARKET_OBJECT = re.compile(r"\s+(?:the\s+)?(?:[\w-]+\s+)?(?:prices?|shares|stocks|demand|output|costs|production|sales|rates? of return)\b", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


class AttributeRules:
    """The status, date and magnitude rules of ``MentionFinder`` (a part of it, kept apart by role).

    ``_reference`` is the document's day, set by ``_dates`` for ``_status``, which runs after it."""

    _reference: date | None

    def _status(self, text: str, sentence: Sentence, mm: MeasureMention, spans: list[tuple[int, int]]) -> None:
        """The nearest status cue (the trigger's clause first), read with its modality.

        Cue words inside a trigger are the trigger's own verb (暂停 in 暂停大豆采购 is the measure,
        not its suspension); an ending word whose object is an actor ("dropped Japan from its white
        list") says who is hit, not that a measure ended; a bare future ("will", 将) is a threat
        unless the measure has a date, when it is a decision announced; 将 before 列入/纳入 marks
        an object, not the future; an agency's 要求/"required" is a rule, so in force."""
        clause = sentence.clause_of(mm.start)
        hypothetical = [h for h in sentence.cues_of("cue", "hypothetical") if clause[0] <= h.start < mm.start]
        mm.hypothetical = bool(hypothetical)
        statuses = [h for h in sentence.cues_of("status") if not any(a <= h.start < b for a, b in spans) and not self._names_no_ending(text, sentence, h)]

        def distance(h: Hit) -> int:
            return mm.start - h.end if h.end <= mm.start else h.start - mm.end

        in_clause = [h for h in statuses if clause[0] <= h.start < clause[1]]
        pool = in_clause or [h for h in statuses if distance(h) <= 30]
        ending = [h for h in pool if h.value in {"lifted", "suspended"} and h.end <= mm.start]
        if ending:
            pool = ending
        futures = [
            h for h in sentence.cues_of("cue", "future")
            if (clause[0] <= h.start < clause[1] or distance(h) <= 20) and not OBJECT_MARKER.match(text, h.start, sentence.end)
        ]
        if pool:
            best = min(pool, key=lambda h: (distance(h), -STATUS_RANK[h.value]))
            mm.status = best.value
            if best.value == "in_force" and any(h.end <= best.start and clause[0] <= h.start and (sentence.zh or best.start - h.end <= 20) for h in futures):
                pool = []  # "宣布将于8月1日起实施": the measure will be in force, so it is announced
            if best.surface.lower() in _REQUIRE and mm.imposers and mm.imposers[0].type is EntityType.ORGANIZATION:
                mm.status = "in_force"
        if not pool:
            if futures:
                # "said on Tuesday it would impose": a decision dated the day it is reported is announced
                dated = any(role == "effective" or d.value >= (self._reference or d.value + timedelta(days=1)) for d, role in mm.dates)
                mm.status = "announced" if dated else "threatened"
            elif _DONE_VERB.match(text, mm.start, mm.end):
                mm.status = "in_force"  # "India banned 59 apps", "blocked another 118": the act is done
        if mm.hypothetical and mm.status not in {"lifted", "suspended"}:
            mm.status = "threatened"

    def _names_no_ending(self, text: str, sentence: Sentence, h: Hit) -> bool:
        """Whether an ending word's object is an actor ("dropped Japan from its white list": who is
        hit) or a market figure ("a ban that has lifted prices"): not a measure ending."""
        if h.value not in {"lifted", "suspended"}:
            return False
        if not sentence.zh and _MARKET_OBJECT.match(text, h.end, sentence.end):
            return True
        for m in sentence.mentions:
            if m.start >= h.end:
                return m.type in ACTOR_TYPES | {EntityType.FIRM} and text[h.end : m.start].strip() == ""
        return False

    def _dates(self, text: str, sentence: Sentence, mentions: list[MeasureMention], reference: date | None, last_year: int | None) -> None:
        """Each date in the sentence to its nearest trigger, as announced or effective; dates the text
        counts from another ("in 45 days", "a day after") are worked out from it."""
        self._reference = reference
        if not may_hold_date(text, sentence.start, sentence.end):
            return  # no digit and no weekday, no date
        dates = find_dates(text, sentence.start, sentence.end, reference, last_year)
        if not dates:
            return
        subordinate = self._after_clause(text, sentence)
        offset = 0
        if subordinate is not None:
            for mm in mentions:
                mm.subordinate = subordinate[0] <= mm.start < subordinate[1]
            hit = _AFTER_OFFSET.search(text, max(sentence.start, subordinate[0] - 25), subordinate[0])
            if hit:
                word = hit.group("n").lower()
                n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word, 0)
                offset = n * (7 if hit.group("unit").lower().startswith("week") else 1)
        main = [mm for mm in mentions if not mm.subordinate] or mentions
        for d in dates:
            inside = subordinate is not None and subordinate[0] <= d.start < subordinate[1]
            pool = [mm for mm in mentions if mm.subordinate] if inside else main
            pool = pool or mentions
            before = ends_with(_EFFECTIVE_BEFORE, text, d.start, 16) and not _ANNOUNCE_AFTER.match(text, d.end)
            preceding = [mm for mm in pool if mm.end <= d.start]
            if before and not sentence.zh and preceding:  # "tariffs on bourbon … from April 1 in response to US tariffs"
                pool = preceding
            nearest = min(pool, key=lambda mm: mm.start - d.end if d.end <= mm.start else d.start - mm.end + 5)
            role = "effective" if (before or _EFFECTIVE_AFTER.match(text[d.end : d.end + 4])) else "announced"
            nearest.dates.append((d, role))
        for mm in main:  # "anti-dumping and countervailing duties" on one day: coordinated triggers share it
            if not mm.dates:
                partner = next((o for o in main if o.dates and o is not mm and COORDINATION.match(text[min(o.end, mm.end) : max(o.start, mm.start)])), None)
                if partner is not None:
                    mm.dates.extend(partner.dates)
        first = dates[0]
        opening = sentence.clause_spans[0][0] <= first.start < sentence.clause_spans[0][1] if sentence.language in {"zh", "ja"} else bool(_LEADING_DATE.match(text[sentence.start : first.start]))
        if first.end <= mentions[0].start and opening:
            for mm in main:
                if not mm.dates:
                    mm.dates.append((first, "announced"))
        later = _IN_DAYS.search(text, sentence.start, sentence.end)
        if later is not None:  # "新规定于45日后生效", "takes effect in 45 days": counted from the day it is announced
            n = int(later.group("n") or later.group("m"))
            for mm in main:
                base = next((d for d, role in mm.dates if role == "announced" and d.precision == "day"), None)
                if base is not None and not any(role == "effective" for _d, role in mm.dates):
                    mm.dates.append((DateMention(later.start(), later.end(), base.value + timedelta(days=n), "day"), "effective"))
        if subordinate is not None and offset:
            anchor = next((d for mm in main for d, _r in mm.dates), None)
            if anchor is not None:
                earlier = DateMention(anchor.start, anchor.end, anchor.value - timedelta(days=offset), anchor.precision)
                for mm in mentions:
                    if mm.subordinate and not mm.dates:
                        mm.dates.append((earlier, "announced"))

    def _after_clause(self, text: str, sentence: Sentence) -> tuple[int, int] | None:
        """"…, a day after Washington added…, China banned…": the span of the "after" clause."""
        for h in sentence.cues_of("cue", "retaliation"):
            if h.lang == "en" and h.surface.lower() in {"after", "following"}:
                comma = text.find(",", h.end, sentence.end)
                return (h.start, comma if comma >= 0 else sentence.end)
        return None

    def _magnitudes(self, text: str, sentence: Sentence, mentions: list[MeasureMention]) -> None:
        """Rates (a change from one rate to another first, then the nearest percentage; a range gives
        its top), legal references and amounts, to the duties they stand next to."""
        if not _DIGIT.search(text, sentence.start, sentence.end):
            return  # no digit: no rate, legal reference or amount to read
        changes = find_rate_change(text, sentence.start, sentence.end)
        percents = find_percents(text, sentence.start, sentence.end)
        for mm in mentions:
            if mm.measure_type not in DUTY_TYPES:
                continue
            lo, hi = (sentence.clause_of(mm.start) if sentence.language in {"zh", "ja"} else (mm.start - 15, mm.end + 40))
            near_changes = [c for c in changes if lo - 20 <= c[0] and c[1] <= hi + 40]
            if near_changes:
                mm.previous_rate, mm.rate = near_changes[0][2], near_changes[0][3]
                continue
            near = [p for p in percents if lo <= p[0] and p[1] <= max(hi, mm.end + 12)]
            if near:
                best = min(near, key=lambda p: abs(p[0] - mm.end))
                mm.rate = best[2]
                for other in near:  # "between 12.8% and 36.4%", "12.8%至36.4%": a range states its top rate
                    if other is not best and _RANGE.fullmatch(text, min(best[1], other[1]), max(best[0], other[0])):
                        mm.rate = max(mm.rate, other[2])
        for start, end, ref in find_legal_references(text, sentence.start, sentence.end):
            nearest = min(mentions, key=lambda mm: abs(mm.start - start))
            nearest.legal_reference = nearest.legal_reference or ref
        for start, end, value, unit in find_amounts(text, sentence.start, sentence.end):
            for mm in mentions:
                if mm.measure_type not in DUTY_TYPES or mm.amount:
                    continue
                if 0 <= start - mm.end <= 40 and _AMOUNT_BEFORE.search(text[max(0, start - 12) : start]):
                    mm.amount = (value, unit)
                elif sentence.zh and end <= mm.start and sentence.clause_of(start) == sentence.clause_of(mm.start) and _AMOUNT_BEFORE_ZH.search(text, max(sentence.start, start - 14), start):
                    mm.amount = (value, unit)  # "对600亿美元美国商品加征关税": the goods' value comes before the trigger
