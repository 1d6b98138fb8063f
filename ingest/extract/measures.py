"""Measures: trigger words to measure mentions, with what each sentence says around them.

A mention is one group of trigger words in a sentence with what the sentence says around it:
who imposes (the nearest actor before the trigger that is not a target, a place, an opposer or
someone being urged), whom it targets, which goods it covers, its status (nearest status cue,
the trigger's own clause first; a conditional makes it a threat), dates, rate and legal basis.

Which mentions are one measure is decided in ``folding.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import NamedTuple

from graph.enums import EntityType, MeasureStatus
from ingest.extract.context import ACTOR_TYPES, COORDINATION, GOODS_TYPES, Mention, Sentence
from ingest.extract.matcher import Hit, Lookbehind
from ingest.extract.values import (
    DateMention,
    find_amounts,
    find_dates,
    find_legal_references,
    find_percents,
    find_rate_change,
    may_hold_date,
)
from ingest.lexicon import Lexicon

__all__ = ["MeasureMention", "MeasureDraft", "MentionFinder", "find_mentions", "DUTY_TYPES"]

DUTY_TYPES = frozenset({"tariff", "anti_dumping", "countervailing_duty", "safeguard", "port_fee"})
_STATUS_RANK = {"threatened": 0, "announced": 1, "in_force": 2, "suspended": 3, "lifted": 4}
_EFFECTIVE_BEFORE = re.compile(r"(?:from|effective|took effect on|takes effect on|take effect on|since|starting|as of|apply from|定在|自|于)\s*$", re.I)
# "商务部于2月4日发起调查": a date followed by an act of announcing is when it was announced, 于 or not
_ANNOUNCE_AFTER = re.compile(r"\s*(?:发起|宣布|发布|公布|决定|启动|立案|对|提出|作出)")
_EFFECTIVE_AFTER = re.compile(r"^\s*(?:起|开始|生效|实施|施行|正式实施|落地)")
_PREVENT = re.compile(r"防止|避免|防范|prevent|avoid", re.I)
_ISSUED = re.compile(r"^[^，,。；]{0,10}?(?:出台|实施|发布|宣布|推出|采取)的")
_DONE_VERB = re.compile(r"(?:banned|blocked|barred|blacklisted|sanctioned|suspended|halted|restricted|froze|seized)\b|(?:暂停|停止|禁止|叫停|取消)了", re.I)
_IN_DAYS = re.compile(r"(?P<n>\d{1,3})\s*(?:日|天)(?:后|之后|以后)(?:生效|实施|起)|\b(?:take|takes|taking|come|comes) (?:into )?effect in (?P<m>\d{1,3}) days", re.I)
_RANGE = re.compile(r"\s*(?:%|％|percent|per cent)?\s*(?:and|to|-|–|至|到|~|～)\s*", re.I)
_AMOUNT_BEFORE_ZH = re.compile(r"(?:对|价值|涉及|共计|合计|总额)\s*(?:约|近|超过|逾)?\s*$")
_PRICED = re.compile(r"[^，。；,;]{0,12}?(?:价格|涨价|物价|消费品价|\bprices?\b)", re.I)
_AFFECTS = re.compile(r"影响|冲击|损害|波及|affect|hurt|harm|damage|disrupt", re.I)
_GOODS_WORDS = re.compile(
    r"^\s*(?:goods|imports|products|exports|companies|firms|entities|apps|applications|investors|investments?|-made|made\b|"
    r"产品|商品|进口|出口|企业|公司|实体|应用|投资|制造|生产的|原产|出产|"
    # "US biotech firm Illumina": a country before a kind of firm describes the firm
    r"(?:(?![a-z]+ed\b|puts?\b|hit\b|sets?\b|hits\b)[a-z][\w-]*\s+){0,2}(?:firms?|companies|company|makers?|groups?|giants?|brands?|producers?|exporters?|chipmakers?|retailers?|manufacturers?|banks?)\b)",
    re.I,
)
# "X was exempted", "X was hit with tariffs", "华为被列入": the actor is acted upon, not acting
_PASSIVE_EN = re.compile(
    r"^\s+(?:was|were|is|are|has been|have been|had been|being|got|gets|get)\s+(?:\w+ly\s+|also\s+|then\s+|first\s+|not\s+)?"
    r"(?P<verb>exempted|exempt|spared|excluded|hit|targeted|subjected|slapped|affected|named|added|placed|put|blacklisted|sanctioned|barred|banned|cut off|singled out)\b",
    re.I,
)
_PASSIVE_ZH = re.compile(r"^\s*(?:被|遭|遭到|遭受|受到|获得豁免|获豁免|豁免于)")
_EXEMPT = re.compile(r"exempt|spared|excluded|豁免", re.I)
_COPULA = re.compile(r"\s*(?:是|为|仍是|已成为|成为)(?!对)|\s+(?:is|was|are|were|remains|remained)\s+(?:the|a|an|one)\b", re.I)
_AGENT_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.I)
_TO = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.I)
# a trigger followed by these names a group of actors ("统一制裁联盟"), not a measure
_GROUP_AFTER = re.compile(r"\s*(?:联盟|同盟|coalition|alliance)", re.I)
_TECH_BEFORE = re.compile(r"(?:技术|科技|高科技|technology|tech|high-tech)\s*$", re.I)
# "X 对 Y 的反制" / "X's response to Y": X is the one answering
_FRAME_ZH = re.compile(r"\s*(?:对|针对)[^，。；,;]{0,40}?的?(?:反制|回应|报复|还击|反击|回击)")
_FRAME_EN = re.compile(r"(?:'s|’s)\s+(?:response|retaliation|answer|reply|countermeasures?)\b", re.I)
# 将 as the object marker (将多家企业列入实体清单), not "will"
_BA = re.compile(r"将(?!于|在|会|要|对|向|与|和|继续|进一步|不|再)[^，。；,]{1,40}?(?:列入|纳入|移出|移除|排除|加入|提升至|提高至|上调至|下调至|调整为|延长至)")
_REQUIRE = frozenset({"要求", "责令", "required", "requires", "require", "ordered", "orders"})
_PLURAL_BEFORE = re.compile(r"(?:\bboth(?:\s+(?:the|sets? of|these|those))?|\bthe two|\bthese|\bthose|两项|两种|上述|这两项|双方的)\s*$", re.I)
_AFTER_OFFSET = re.compile(r"(?P<n>a|an|one|the|two|three|four|five|six|seven|\d+)\s+(?P<unit>day|days|week|weeks)\s*$", re.I)
_BLOCS = frozenset({"org:eu", "org:asean"})
_VERB_TRIGGER = re.compile(r"加征|征收|实施|禁止|限制|暂停|停止|叫停|切断|中断|开征|impose|levy|ban|restrict|halt|suspend", re.I)
_INVESTIGATED = frozenset({"anti_dumping", "countervailing_duty", "safeguard"})
# a new act, not another mention of a known one: "hit back with", "a further", "又一轮", "in retaliation"
_FRESH = re.compile(
    r"(?:\bhit back|\bhits back|\bstruck back|\bretaliated|\banswered|\bin retaliation|\bresponded|\ba further|\banother|\ba new round|\ba second round|"
    r"\bnew round|\bfresh|\badditional|\bremaining|\bthe rest of|剩余|其余|予以反击|予以还击|反制|还击|回击|新一轮|又一轮|再次|第二轮|第三轮)",
    re.I,
)
_CONTINUE = re.compile(r"\b(?:a second|another|a further|also|again)\b|又|再|还", re.I)
_SAME_DAY = re.compile(r"\b(?:the same day|on the same day|that same day|the same date|at the same time)\b|同日|当天|同一天|当日|与此同时|同时", re.I)
_SUBORDINATE_EN = re.compile(r",\s*(?:so|which|while|but|as|because|although|though|citing|accusing|saying|after|before|when|where|whereas)\b", re.I)
_RELATIVE = re.compile(r"\s*,\s*(?:which|who|that)\b", re.I)
_RESPONSE_TO = re.compile(r"(?:response|retaliation|reply|answer|reaction)\s+to\s+(?:the\s+)?$", re.I)
_FRAME_OBJECT = re.compile(r"[^，。；,;]{0,30}?的(?:反制|回应|报复|还击|反击|回击)")
_STANCE_AFTER = re.compile(r"[^，。；,;]{0,12}?(?:反对|抗议|谴责|批评|不满|投了反对票)")
_LEADING_DATE = re.compile(r"\W*(?:on|in|since|from|by|as of|at|early|late|mid)?\W*$", re.I)
# a complaint, case or challenge at the WTO: the sentence reports a filing, and the measure it names
# belongs to the side complained about, never to the filer
_FILING = re.compile(
    r"\b(?:fil(?:e|es|ed|ing)|lodg(?:e|es|ed|ing)|launch(?:es|ed|ing)?|br(?:ing|ings|ought)|request(?:s|ed|ing)?|initiat(?:e|es|ed|ing))\s+"
    r"(?:a\s+|an\s+|its\s+|formal\s+)*(?:WTO\s+|World Trade Organization\s+)?(?:complaint|case|challenge|dispute|consultations|lawsuit)"
    r"|\bchalleng(?:e|es|ed|ing)\b[^.;]{0,60}\b(?:at|before|in) the (?:WTO|World Trade Organization)"
    r"|\b(?:WTO|World Trade Organization) (?:complaint|dispute|case|challenge|panel)"
    r"|(?:向|在)(?:世贸组织|世界贸易组织|WTO)[^。；]{0,20}?(?:起诉|申诉|提起|诉讼|投诉|争端)|诉诸世贸|世贸(?:组织)?争端解决",
    re.I,
)
_WTO = re.compile(r"WTO|World Trade Organi|世贸|世界贸易组织", re.I)  # no filing cue without one of these
_ASKED = ACTOR_TYPES | {EntityType.FIRM}  # the kinds of name the imposer and target rules look at


class _Facts(NamedTuple):
    """What the words around one name say about it, whichever trigger asks."""

    target: bool  # marked as aimed at: 对美国, "on China"
    location: bool  # a place, not an actor: 在华, "in Japan"
    passive: str | None  # the verb when it is acted upon: "was exempted", 被列入
    copula: bool  # described, not acting: 中国是…, "China is the…"


_DIGIT = re.compile(r"\d")  # every date, rate, amount and legal reference has one
_AMOUNT_BEFORE = re.compile(r"(?:on|of|价值|涉及|的)\s*(?:about|some|around|约)?\s*\$?$", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


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
        if not self.statuses:
            return MeasureStatus.ANNOUNCED.value
        if "lifted" in self.statuses:
            return "lifted"
        if "suspended" in self.statuses:
            return "suspended"
        counts = Counter(self.statuses)
        return max(counts, key=lambda s: (counts[s], _STATUS_RANK[s]))

    @property
    def year(self) -> int | None:
        for value in (self.announced, self.effective):
            if value:
                return value.year
        return self.context_year

    @property
    def last_sentence(self) -> int:
        return self.mentions[-1].sentence.index if self.mentions else -1


# -- finding mentions in a sentence ------------------------------------------------------------


def _ends_with(pattern: re.Pattern[str] | Lookbehind, text: str, position: int, window: int = 12) -> bool:
    return bool(pattern.search(text[max(0, position - window) : position]))


class MentionFinder:
    """Turns one sentence's trigger hits into measure mentions (see the module docstring)."""

    def __init__(self, lexicon: Lexicon, target_words: Lookbehind, location_words: Lookbehind) -> None:
        self.lex = lexicon
        self.target_words = target_words
        self.location_words = location_words

    def _facts(self, text: str, sentence: Sentence) -> list[_Facts | None]:
        """The words-around facts of each of the sentence's names (None for names no rule asks
        about: goods and country pairs), in the order of ``sentence.mentions``; worked out on the
        first question and kept, since every trigger in the sentence asks about the same names."""
        facts = sentence.memo.get("facts")
        if facts is None:
            facts = sentence.memo["facts"] = [
                _Facts(self.is_target_marked(text, m), self.is_location(text, m), self._passive(text, m), m.type in ACTOR_TYPES and self._copula(text, m))
                if m.type in _ASKED and not m.pair else None
                for m in sentence.mentions
            ]
        return facts

    @staticmethod
    def _copula(text: str, m: Mention) -> bool:
        """"中国是…", "China is the…": the name is described, it does not act."""
        return bool(_COPULA.match(text, m.end, m.end + 12))

    def is_target_marked(self, text: str, m: Mention) -> bool:
        if m.surface[:1] in {"对", "涉"} and len(m.surface) == 2:
            return True
        return _ends_with(self.target_words, text, m.start)

    def _is_venue(self, sentence: Sentence, m: Mention) -> bool:
        """"马来西亚谈判": a country named right before a talks word is where talks happen."""
        return m.type is EntityType.COUNTRY and any(h.value == "negotiates" and 0 <= h.start - m.end <= 1 for h in sentence.cues_of("cue"))

    def is_location(self, text: str, m: Mention) -> bool:
        if m.type is not EntityType.COUNTRY:
            return False
        if len(m.surface) == 2 and m.surface[0] in "在赴访来":  # 在华, 赴美: a place, not an actor
            return True
        return _ends_with(self.location_words, text, m.start)

    def _possessor(self, text: str, sentence: Sentence, mm: MeasureMention) -> Mention | None:
        """"美国芯片出口管制", "对美国去年出台的管制": the actor written as the measure's owner.

        Not when the trigger is a verb phrase ("对印度棉花加征关税"): the name before it is then
        the object, not the owner."""
        if _VERB_TRIGGER.match(text, mm.start, mm.end):
            return None
        for m in reversed(sentence.mentions):
            if m.end > mm.start:
                continue
            if m.type in GOODS_TYPES:
                continue
            gap = text[m.end : mm.start]
            for g in sentence.mentions:
                if m.end <= g.start and g.end <= mm.start and g.type in GOODS_TYPES:
                    gap = gap.replace(g.surface, "")
            directional = len(m.surface) == 2 and m.surface[0] in "对涉在赴访来"  # 对华 is a target
            if m.type in ACTOR_TYPES and not m.pair and not directional and (gap.strip(" 的'’s") == "" or _ISSUED.match(gap)):
                return m
            return None
        return None

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
            if _GROUP_AFTER.match(text, hit.end, hit.end + 4):
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

    # parts ------------------------------------------------------------------------------------
    def _passive(self, text: str, m: Mention) -> str | None:
        """The verb when an actor is the subject of a passive ("was exempted", "被列入")."""
        if m.surface.startswith(("被", "遭")):
            return "被"
        after = text[m.end : m.end + 40]
        hit = _PASSIVE_EN.match(after)
        if hit:
            return hit.group("verb").lower()
        hit = _PASSIVE_ZH.match(after)
        return hit.group(0).strip() if hit else None

    def _imposers(self, text: str, sentence: Sentence, mm: MeasureMention) -> None:
        clause = sentence.clause_of(mm.start)
        if _PREVENT.search(text[clause[0] : mm.start]):
            return  # "防止稀土管制升级": about a measure already named, not a new one by the speaker
        filing = None
        wto = sentence.memo.get("wto")
        if wto is None:
            wto = sentence.memo["wto"] = _WTO.search(text, sentence.start, sentence.end) is not None
        for filing in _FILING.finditer(text, sentence.start, mm.start) if wto else ():
            pass
        if filing is not None:  # "China filed a WTO complaint over US tariffs": the filer imposes nothing
            self._imposers_after(text, sentence, mm, filing.end())
            return
        later = _FILING.search(text, mm.end, sentence.end) if wto else None
        about = text.rfind("就", sentence.start, mm.start)
        if later is not None and about >= 0:  # "中方就美方钢铁关税向世贸组织提起诉讼": 就 opens the object
            self._imposers_after(text, sentence, mm, about + 1)
            return
        owner = self._possessor(text, sentence, mm) or self._antecedent(text, sentence, mm)
        if owner is not None:
            mm.imposers = [owner]
            return
        retaliation = [h for h in sentence.cues_of("cue", "retaliation") if h.end <= mm.start]
        persuade = [h for h in sentence.cues_of("cue", "persuade") if h.end <= mm.start]
        stance = [h for h in sentence.cues_of("cue", "opposes") + sentence.cues_of("cue", "supports") if h.end <= mm.start]
        candidates = [
            m for m, f in zip(sentence.mentions, self._facts(text, sentence))
            if f is not None and m.type in ACTOR_TYPES and m.end <= mm.start  # f is None for pairs
            and not f.target and not f.location
            and not (persuade and any(m.start >= h.end for h in persuade))  # "A urges B to impose": B does not
            and not (stance and any(m.end <= h.start and not any(h.end <= r.start for r in retaliation) for h in stance))  # "A opposes B's measure": A does not
            and not (m.type is EntityType.COUNTRY and _GOODS_WORDS.match(text[m.end : m.end + 30]))
            and not self._is_venue(sentence, m)
            and f.passive is None and not f.copula
        ]
        if not candidates:
            agent = self._agent_after(text, sentence, mm)
            if agent is not None:
                mm.imposers = [agent]
            return
        group = [candidates[-1]]
        index = sentence.mentions.index(candidates[-1])
        while index > 0:
            prev = sentence.mentions[index - 1]
            if prev.type in ACTOR_TYPES and not prev.pair and COORDINATION.match(text[prev.end : group[0].start]):
                group.insert(0, prev)
                index -= 1
            else:
                break
        mm.imposers = group

    def _imposers_after(self, text: str, sentence: Sentence, mm: MeasureMention, floor: int) -> None:
        """After a filing cue only the measure's owner written next to it can impose it ("over US tariffs")."""
        facts = self._facts(text, sentence)
        for m, f in zip(sentence.mentions, facts):
            if f is None or m.type not in ACTOR_TYPES or not (floor <= m.start and m.end <= mm.start):
                continue
            gap = text[m.end : mm.start]
            if len(gap) <= 25 and not re.search(r"[，,。；;]", gap):
                mm.imposers = [m]
                return
        agent = self._agent_after(text, sentence, mm)  # "…against tariffs imposed by Canada"
        if agent is not None:
            mm.imposers = [agent]

    def _antecedent(self, text: str, sentence: Sentence, mm: MeasureMention) -> Mention | None:
        """"pressure from Washington, which imposed…"; "对欧方加征关税计划的回应": the actor a
        relative clause hangs on, or the owner inside a "对 … 的回应" object, imposes."""
        before = [m for m in sentence.mentions if m.end <= mm.start and m.type in ACTOR_TYPES and not m.pair]
        if not before:
            return None
        m = before[-1]
        if _RELATIVE.match(text, m.end, mm.start) and len(text[m.end : mm.start]) <= 60:
            return m
        if text[max(sentence.start, m.start - 2) : m.start].endswith(("对", "针对")) and _FRAME_OBJECT.match(text, m.end, sentence.end):
            cue = _FRAME_OBJECT.match(text, m.end, sentence.end)
            if cue and mm.end <= cue.end() and mm.start - m.end <= 40:
                return m
        return None

    def _agent_after(self, text: str, sentence: Sentence, mm: MeasureMention) -> Mention | None:
        """"tariffs imposed by Washington": the agent written after the trigger."""
        clause = sentence.clause_of(mm.start)
        for m in sentence.mentions:
            if m.start >= mm.end and m.start < clause[1] and m.type in ACTOR_TYPES and not m.pair:
                if _AGENT_BY.search(text, max(0, m.start - 8), m.start):
                    return m
        return None

    def _frame_imposers(self, text: str, sentence: Sentence, mentions: list[MeasureMention]) -> None:
        """"对美光的审查和镓锗出口管制，都是中方对美国…的反制": 中方 imposed what comes before it."""
        if not any(mm.imposers == [] for mm in mentions) or not sentence.cues_of("cue", "retaliation"):
            return
        for m in sentence.mentions:
            if m.type not in ACTOR_TYPES or m.pair:
                continue
            if _FRAME_ZH.match(text, m.end, sentence.end) or _FRAME_EN.match(text, m.end, sentence.end):
                for mm in mentions:
                    if mm.end <= m.start and not mm.imposers:
                        mm.imposers = [m]

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

    def _targets(self, text: str, sentence: Sentence, mm: MeasureMention, siblings: list[MeasureMention]) -> None:
        imposer_ids = {m.entity_id for m in mm.imposers}
        imposer_countries = {self.lex.home(m.entity_id) for m in mm.imposers}
        allowed = {EntityType.COUNTRY, EntityType.FIRM, EntityType.ORGANIZATION}
        others = [
            (m, f) for m, f in zip(sentence.mentions, self._facts(text, sentence))
            if f is not None and m.type in allowed and m.entity_id not in imposer_ids  # f is None for pairs
            and m.entity_id not in imposer_countries and not f.location
            and not (mm.imposers and m.end <= mm.imposers[0].start and f.passive is None)
        ]
        owned = {(i.start, i.end) for o in siblings if o is not mm for i in o.imposers if i.start >= mm.end}
        marked = []
        ba = self._ba_object(text, sentence, mm)
        for m, f in others:
            if (m.start, m.end) in owned:
                continue  # "中方对美国芯片出口管制的反制": 美国 owns the next measure, it is not aimed at
            if ba is not None and ba[0] <= m.start and m.end <= ba[1] and m.type is not EntityType.COUNTRY:
                marked.append(m)  # "将中芯国际、大疆创新等77家企业列入实体清单": the object of 将…列入
                continue
            after_trigger = m.start >= mm.start
            passive = f.passive
            if passive is not None and _EXEMPT.search(passive):
                continue  # "the EU was exempted": spared, not aimed at
            if f.target and (after_trigger or m.end <= mm.start):
                if m.type is EntityType.ORGANIZATION and m.entity_id not in _BLOCS:
                    continue
                marked.append(m)
            elif passive is not None and m.end <= mm.start and (m.type is not EntityType.ORGANIZATION or m.entity_id in _BLOCS):
                marked.append(m)  # "Huawei was added to the Entity List", "华为被列入实体清单"
            elif (
                m.type is EntityType.COUNTRY and m.start >= mm.end and sentence.language not in {"zh", "ja"}
                and sentence.clause_of(m.start) == sentence.clause_of(mm.start)
                and _TO.search(text, max(0, m.start - 10), m.start) and m.start - mm.end <= 80
                and not _RESPONSE_TO.search(text, max(0, m.start - 30), m.start)
            ):
                marked.append(m)  # "banned exports of gallium to the United States"
            elif (self._in_scope(sentence, mm, m) or self._between_imposer_and_trigger(sentence, mm, m)) and (
                (m.type in {EntityType.COUNTRY, EntityType.FIRM} and _GOODS_WORDS.match(text[m.end : m.end + 12]))
                or ((m.type is EntityType.COUNTRY or m.entity_id in _BLOCS) and self._followed_by_goods(sentence, m))
            ):
                marked.append(m)
        if not marked and mm.imposers:
            owners = {self.lex.home(i.entity_id) for o in siblings if o is not mm for i in o.imposers}
            countries = {
                m.entity_id for m, f in others
                if m.type is EntityType.COUNTRY and m.entity_id not in owners and not (f.passive or "").startswith("exempt")
            }
            if len(countries) == 1:
                marked = [m for m, _f in others if m.type is EntityType.COUNTRY and m.entity_id in countries]
        mm.targets = self._coordinated(text, sentence, marked, imposer_ids | imposer_countries)

    @staticmethod
    def _ba_object(text: str, sentence: Sentence, mm: MeasureMention) -> tuple[int, int] | None:
        """The span between 将 and 列入/纳入 when the trigger follows it: what is put on the list."""
        if not sentence.zh:
            return None
        jiang = text.rfind("将", sentence.start, mm.start)
        if jiang < 0 or mm.start - jiang > 60:
            return None
        hit = _BA.match(text, jiang, mm.end)
        return (jiang + 1, hit.end()) if hit is not None and hit.end() <= mm.start + 2 else None

    @staticmethod
    def _coordinated(text: str, sentence: Sentence, marked: list[Mention], imposers: set[str | None]) -> list[Mention]:
        """"from Cambodia, Malaysia, Thailand and Vietnam": the names listed with a target are targets too."""
        if not marked:
            return marked
        out = list(marked)
        mentions = sentence.mentions
        for m in marked:
            i = mentions.index(m) if m in mentions else -1
            while 0 <= i < len(mentions) - 1:
                nxt = mentions[i + 1]
                if nxt.type is not m.type or nxt.pair or nxt.entity_id in imposers or not COORDINATION.match(text[mentions[i].end : nxt.start]):
                    break
                if nxt not in out:
                    out.append(nxt)
                i += 1
        return out

    def _in_scope(self, sentence: Sentence, mm: MeasureMention, m: Mention) -> bool:
        """Whether a mention sits where a measure's object is written: its clause (zh), after it (en)."""
        if sentence.language in {"zh", "ja"}:
            return sentence.clause_of(m.start) == sentence.clause_of(mm.start)
        return m.start >= mm.end

    def _between_imposer_and_trigger(self, sentence: Sentence, mm: MeasureMention, m: Mention) -> bool:
        """"Washington added 140 Chinese companies to its Entity List": the object before the trigger."""
        return sentence.language not in {"zh", "ja"} and bool(mm.imposers) and mm.imposers[-1].end < m.start and m.end <= mm.start

    def _followed_by_goods(self, sentence: Sentence, m: Mention) -> bool:
        for other in sentence.mentions:
            if other.start >= m.end:
                return other.type in GOODS_TYPES and other.start - m.end <= 1
        return False

    def _goods(self, text: str, sentence: Sentence, mm: MeasureMention, siblings: list[MeasureMention]) -> None:
        goods = [m for m in sentence.mentions if m.type in GOODS_TYPES]
        later = [s.start for s in siblings if s.start > mm.start]
        stop = min(later) if later else sentence.end
        if sentence.language not in {"zh", "ja"}:
            sub = _SUBORDINATE_EN.search(text, mm.end, stop)
            stop = sub.start() if sub else stop
            answer = [h.start for h in sentence.cues_of("cue", "retaliation") if mm.end < h.start < stop and h.end > h.start]
            stop = min(answer) if answer else stop  # "… and motorcycles in response to US steel tariffs": the other side's goods
        earlier = [s.end for s in siblings if s.end <= mm.start]
        floor = max(earlier) if earlier else sentence.start
        if sentence.language in {"zh", "ja"}:
            clause = sentence.clause_of(mm.start)
            spans = [clause]
            following = [c for c in sentence.clause_spans if c[0] >= clause[1]]
            if following and not any(following[0][0] <= s.start < following[0][1] for s in siblings) and not any(
                following[0][0] <= h.start < following[0][1] for h in sentence.cues_of("cue", "retaliation")
            ):
                spans.append(following[0])
            later_starts = [o.start for o in siblings if o is not mm and o.start > mm.start]
            if later_starts:
                goods = [g for g in goods if not any(0 <= start - g.end <= 2 for start in later_starts)]
            chosen = [g for g in goods if any(a <= g.start < b for a, b in spans) and floor <= g.start < stop]
            if not chosen:
                chosen = [g for g in goods if any(a <= g.start < b for a, b in spans)]
        else:
            chosen = [g for g in goods if mm.end <= g.start < stop and not any(o is not mm and 0 <= o.start - g.end <= 3 for o in siblings)]
            chosen += [g for g in goods if mm.start <= g.start and g.end <= mm.end]  # "suspended cobalt exports"
            chosen += [g for g in goods if floor <= g.end <= mm.start and mm.start - g.end <= 3]
            chosen.sort(key=lambda g: g.start)
        # goods listed beside the trigger ("稀土、港口费和大豆") are other measures' objects, and
        # goods after 影响/affect are what the measure hurts, not what it covers
        chosen = [
            g for g in chosen
            if not any(o is not mm and o.start <= g.start and g.end <= o.end for o in siblings)  # 暂停美国大豆采购
            and not COORDINATION.match(text[g.end : mm.start] if g.end <= mm.start else text[mm.end : g.start])
            and not (g.start >= mm.end and _AFFECTS.search(text[mm.end : g.start]))
            and not _PRICED.match(text, g.end, min(sentence.end, g.end + 16))  # "服装…等日常消费品价格涨幅": prices, not coverage
        ]
        # a good directly followed by another is a modifier ("芯片 EDA 软件" is EDA software)
        kept = []
        for i, g in enumerate(chosen):
            nxt = chosen[i + 1] if i + 1 < len(chosen) else None
            if nxt is not None and (nxt.start < g.end or nxt.start - g.end == 1 and text[g.end : nxt.start].isspace()):
                continue
            kept.append(g)
        mm.goods = kept

    def _inherit_goods(self, mentions: list[MeasureMention]) -> None:
        """"对进口葡萄酒征收反倾销税，…同时征收反补贴税": a duty with no goods of its own in a
        sentence that named them for a sibling duty by the same imposer covers the same goods."""
        for i, mm in enumerate(mentions):
            if mm.goods or mm.measure_type not in DUTY_TYPES:
                continue
            for prev in reversed(mentions[:i]):
                if prev.goods and prev.measure_type in DUTY_TYPES and (not mm.imposers or prev.imposers == mm.imposers):
                    mm.goods = list(prev.goods)
                    if not mm.targets:
                        mm.targets = list(prev.targets)
                    break

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
        statuses = [h for h in sentence.cues_of("status") if not any(a <= h.start < b for a, b in spans) and not self._ends_on_actor(text, sentence, h)]

        def distance(h: Hit) -> int:
            return mm.start - h.end if h.end <= mm.start else h.start - mm.end

        in_clause = [h for h in statuses if clause[0] <= h.start < clause[1]]
        pool = in_clause or [h for h in statuses if distance(h) <= 30]
        ending = [h for h in pool if h.value in {"lifted", "suspended"} and h.end <= mm.start]
        if ending:
            pool = ending
        futures = [
            h for h in sentence.cues_of("cue", "future")
            if (clause[0] <= h.start < clause[1] or distance(h) <= 20) and not _BA.match(text, h.start, sentence.end)
        ]
        if pool:
            best = min(pool, key=lambda h: (distance(h), -_STATUS_RANK[h.value]))
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

    def _ends_on_actor(self, text: str, sentence: Sentence, h: Hit) -> bool:
        if h.value not in {"lifted", "suspended"}:
            return False
        for m in sentence.mentions:
            if m.start >= h.end:
                return m.type in ACTOR_TYPES | {EntityType.FIRM} and text[h.end : m.start].strip() == ""
        return False

    def _dates(self, text: str, sentence: Sentence, mentions: list[MeasureMention], reference: date | None, last_year: int | None) -> None:
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
            before = _ends_with(_EFFECTIVE_BEFORE, text, d.start, 16) and not _ANNOUNCE_AFTER.match(text, d.end)
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


def find_mentions(finder: MentionFinder, text: str, sentences: list[Sentence], reference: date | None) -> list[MeasureMention]:
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


_YEAR_ZH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
