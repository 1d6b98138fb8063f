"""Measure mentions, their parties: who imposes a measure and whom it targets.

The imposer is the nearest actor before the trigger that is not a target, a place, an opposer,
someone being urged, the filer of a WTO complaint or named in a reason clause (鉴于…); else the
owner written with the measure ("美国芯片出口管制", but not 对俄罗斯制裁: that one is aimed at) or the
agent after it ("imposed by Canada"). Targets are the names marked as aimed at (对美国, "on China",
制裁行政长官林郑月娥, 被制裁的还有…), acted upon ("was added to the Entity List"), the object of
将…列入, or a country whose goods the measure names, with the names listed beside them; people
only for sanctions and entity listings.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from graph.model.enums import EntityType
from ingest.extract.matcher import Lookbehind, ends_with
from ingest.extract.names import ZH_TITLE
from ingest.extract.types import ACTOR_TYPES, COORDINATION, GOODS_TYPES, MeasureMention, Mention, Sentence
from ingest.lexicon import Lexicon

__all__ = ["PartyRules", "OBJECT_MARKER"]

_PREVENT = re.compile(r"防止|避免|防范|规避|逃避|绕过|prevent|avoid|circumvent|evad(?:e|ing)", re.I)
_ISSUED = re.compile(r"^[^，,。；]{0,10}?(?:出台|实施|发布|宣布|推出|采取)的")
_GOODS_WORDS = re.compile(
    r"^\s*(?:goods|imports|products|exports|companies|firms|entities|organi[sz]ations|institutions|universities|individuals|nationals|citizens|"
    r"vessels|ships|apps|applications|investors|investments?|-made|made\b|"
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
_AGENT_LIST = re.compile(r"\s*(?:,\s*and|,|and|、|和|与|及)\s*(?:the\s+)?$", re.I)
_TO = re.compile(r"\b(?:to|into)\s+(?:the\s+)?$", re.I)
# "X 对 Y 的反制" / "X's response to Y": X is the one answering
_FRAME_ZH = re.compile(r"\s*(?:对|针对)[^，。；,;]{0,40}?的?(?:反制|回应|报复|还击|反击|回击)")
_FRAME_EN = re.compile(r"(?:'s|’s)\s+(?:response|retaliation|answer|reply|countermeasures?)\b", re.I)
# 将 as the object marker (将多家企业列入实体清单), not "will"
OBJECT_MARKER = re.compile(r"将(?!于|在|会|要|对|向|与|和|继续|进一步|不|再)[^，。；,]{1,40}?(?:列入|纳入|移出|移除|排除|加入|提升至|提高至|上调至|下调至|调整为|延长至)")
_BLOCS = frozenset({"org:eu", "org:asean"})
_VOTES_ON = re.compile(r"\s+(?:is |are |was )?(?:expected to |due to |set to |will |must |must still |to )?(?:vote|votes|voted|rule|rules|ruled)\s+on\b", re.I)
_LIST_CONTENTS = re.compile(r"(?:include|includes|names)$|包括$", re.I)
_VERB_TRIGGER = re.compile(r"加征|征收|实施|禁止|限制|暂停|停止|叫停|切断|中断|开征|impose|levy|ban|restrict|halt|suspend", re.I)
_RELATIVE = re.compile(r"\s*,\s*(?:which|who|that)\b", re.I)
_RESPONSE_TO = re.compile(r"(?:response|retaliation|reply|answer|reaction)\s+to\s+(?:the\s+)?$", re.I)
_FRAME_OBJECT = re.compile(r"[^，。；,;]{0,30}?的(?:反制|回应|报复|还击|反击|回击)")
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
# a post between the words aiming a measure and a person ("制裁行政长官林郑月娥")
_POST_BEFORE = re.compile(r"(?:" + ZH_TITLE.pattern + r"|chief executive|minister|senator|chairman|chief)\s*$", re.I)
# "被制裁的还有港府官员李家超", "被列入清单的包括": who a passive measure hits, listed after it
_HIT_ARE = re.compile(r"被(?:制裁|列入|列名|反制|点名|禁止)[^，。；,]{0,8}?的(?:还|则|另)?(?:有|包括|是|为)[^，。；,]{0,8}$")
_SANCTIONED = frozenset({"sanction", "entity_list"})  # the measures that name people
_BRACKETED = re.compile(r"[（(][^（()）]{0,40}[)）]")  # "（Skydio）": another name of the name before it
# "鉴于美国日前宣布…，决定对…采取反制措施": a clause giving the reason names who provoked the
# measure, not who imposes it
_REASON_CLAUSE = re.compile(r"\s*(?:鉴于|由于|因为|考虑到|基于)")


class _Facts(NamedTuple):
    """What the words around one name say about it, whichever trigger asks."""

    target: bool  # marked as aimed at: 对美国, "on China"
    location: bool  # a place, not an actor: 在华, "in Japan"
    passive: str | None  # the verb when it is acted upon: "was exempted", 被列入
    copula: bool  # described, not acting: 中国是…, "China is the…"


class PartyRules:
    """The imposer and target rules of ``MentionFinder`` (a part of it, kept apart by role)."""

    lex: Lexicon
    target_words: Lookbehind
    location_words: Lookbehind

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
            self._mark_listed_targets(text, sentence, facts)
        return facts

    @staticmethod
    def _mark_listed_targets(text: str, sentence: Sentence, facts: list[_Facts | None]) -> None:
        """"对原产于美国、欧盟、台湾地区和日本的", "on China, Vietnam and Thailand": the names
        listed after a name marked as aimed at are aimed at too, not actors."""
        mentions = sentence.mentions
        for i in range(1, len(mentions)):
            before, fact = facts[i - 1], facts[i]
            if before is None or fact is None or not before.target or fact.target:
                continue
            if mentions[i].type is mentions[i - 1].type or {mentions[i].type, mentions[i - 1].type} <= ACTOR_TYPES:
                # "斯凯迪奥公司（Skydio）、亨廷顿…": a name in brackets is the one before it, again
                gap = _BRACKETED.sub("", text[mentions[i - 1].end : mentions[i].start])
                if not gap.strip() or COORDINATION.match(gap):
                    facts[i] = fact._replace(target=True)

    @staticmethod
    def _copula(text: str, m: Mention) -> bool:
        """"中国是…", "China is the…": the name is described, it does not act."""
        return bool(_COPULA.match(text, m.end, m.end + 12))

    def is_target_marked(self, text: str, m: Mention) -> bool:
        """Whether the words before a name mark it as aimed at (对美国, "on China")."""
        if m.surface[:1] in {"对", "涉"} and len(m.surface) == 2:
            return True
        if ends_with(self.target_words, text, m.start):
            return True
        post = _POST_BEFORE.search(text, max(0, m.start - 12), m.start)
        if post is not None and ends_with(self.target_words, text, post.start()):
            return True
        return ends_with(_HIT_ARE, text, m.start, 30)

    def _is_venue(self, sentence: Sentence, m: Mention) -> bool:
        """"马来西亚谈判": a country named right before a talks word is where talks happen."""
        return m.type is EntityType.COUNTRY and any(h.value == "negotiates" and 0 <= h.start - m.end <= 1 for h in sentence.cues_of("cue"))

    def is_location(self, text: str, m: Mention) -> bool:
        """Whether a country is named as a place (在华, "in Japan"), so it acts in nothing."""
        if m.type is not EntityType.COUNTRY:
            return False
        if len(m.surface) == 2 and m.surface[0] in "在赴访来":  # 在华, 赴美: a place, not an actor
            return True
        return ends_with(self.location_words, text, m.start)

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
                return None if self._aimed_at(text, sentence, mm, m) else m
            return None
        return None

    def _aimed_at(self, text: str, sentence: Sentence, mm: MeasureMention, m: Mention) -> bool:
        """"通过第14轮对俄罗斯制裁方案": a name marked as aimed at right before the measure is
        its target, not its owner; but "对美国芯片出口管制表示反对" speaks of the owner's measure
        (a stance follows)."""
        if not self.is_target_marked(text, m):
            return False
        return not any(h.start >= mm.end for h in sentence.cues_of("cue", "opposes") + sentence.cues_of("cue", "supports"))

    @staticmethod
    def _gives_reason(text: str, sentence: Sentence, m: Mention, mm: MeasureMention) -> bool:
        """Whether ``m`` sits in a reason clause (鉴于…) other than the trigger's own clause."""
        clause = sentence.clause_of(m.start)
        return clause != sentence.clause_of(mm.start) and _REASON_CLAUSE.match(text, clause[0]) is not None

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
        """Who imposes the measure of ``mm`` (see the module docstring); a WTO filing's filer never does."""
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
            and not _VOTES_ON.match(text, m.end)  # "the ITC is expected to vote on the duties": it rules, others impose
        ]
        if sentence.zh and len(candidates) > 1:
            outside = [m for m in candidates if not self._gives_reason(text, sentence, m, mm)]
            candidates = outside or candidates
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

    def _targets(self, text: str, sentence: Sentence, mm: MeasureMention, siblings: list[MeasureMention]) -> None:
        """Whom the measure of ``mm`` targets: marked, acted-upon, listed or goods-owning names (see
        the module docstring); failing those, the one other country the sentence names."""
        imposer_ids = {m.entity_id for m in mm.imposers}
        imposer_countries = {self.lex.home(m.entity_id) for m in mm.imposers}
        allowed = {EntityType.COUNTRY, EntityType.FIRM, EntityType.ORGANIZATION} | ({EntityType.PERSON} if mm.measure_type in _SANCTIONED else set())
        others = [
            (m, f) for m, f in zip(sentence.mentions, self._facts(text, sentence))
            if f is not None and m.type in allowed and m.entity_id not in imposer_ids  # f is None for pairs
            and m.entity_id not in imposer_countries and not f.location
            and not (sentence.zh and self._gives_reason(text, sentence, m, mm))
            and not (mm.imposers and m.end <= mm.imposers[0].start and f.passive is None)
        ]
        owned = {(i.start, i.end) for o in siblings if o is not mm for i in o.imposers if i.start >= mm.end}
        # "the cap set by the Group of Seven, the European Union and Australia": the agents listed
        # with the one written after the trigger act with it, none of them is aimed at
        agents = [i for i in mm.imposers if i.start >= mm.end]
        if agents:
            last = agents[-1]
            for m in sentence.mentions:
                if m.start > last.end and m.type in ACTOR_TYPES and _AGENT_LIST.match(text, last.end, m.start):
                    agents.append(m)
                    last = m
                elif m.start > last.end:
                    break
            listed = {(m.start, m.end) for m in agents}
            others = [(m, f) for m, f in others if (m.start, m.end) not in listed]
        marked = []
        if _LIST_CONTENTS.search(text[mm.start : mm.end]):
            # "The list includes video surveillance makers Hikvision and Dahua", "名单包括…": what
            # follows is who is listed
            marked = [m for m, f in others if m.start >= mm.end and m.type in {EntityType.FIRM, EntityType.ORGANIZATION}]
            others = []
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
                m.type in {EntityType.COUNTRY, EntityType.FIRM} and m.start >= mm.end and sentence.language not in {"zh", "ja"}
                and sentence.clause_of(m.start) == sentence.clause_of(mm.start)
                and _TO.search(text, max(0, (at := self._owner_start(sentence, m)) - 10), at) and m.start - mm.end <= 80
                and not _RESPONSE_TO.search(text, max(0, at - 30), at) and not self._owns_firm(text, sentence, m)
            ):
                marked.append(m)  # "banned exports of gallium to the United States", "selling chips to China's ZTE"
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
                and not self._owns_firm(text, sentence, m)
            }
            if len(countries) == 1:
                marked = [m for m, _f in others if m.type is EntityType.COUNTRY and m.entity_id in countries]
        mm.targets = self._coordinated(text, sentence, marked, imposer_ids | imposer_countries)

    @staticmethod
    def _owner_start(sentence: Sentence, m: Mention) -> int:
        """Where a firm's name starts with its country's possessive ("China's ZTE"), else where it starts."""
        if m.type is EntityType.FIRM:
            i = sentence.mentions.index(m)
            if i > 0 and sentence.mentions[i - 1].type is EntityType.COUNTRY and sentence.mentions[i - 1].end in (m.start - 3, m.start - 2):
                return sentence.mentions[i - 1].start
        return m.start

    @staticmethod
    def _owns_firm(text: str, sentence: Sentence, m: Mention) -> bool:
        """"China's ZTE", "美国泰科纳公司": the country is named as a firm's home, not as aimed at."""
        i = sentence.mentions.index(m)
        if i + 1 >= len(sentence.mentions):
            return False
        firm = sentence.mentions[i + 1]
        return firm.type is EntityType.FIRM and text[m.end : firm.start] in {"'s ", "’s ", "", " "}

    @staticmethod
    def _ba_object(text: str, sentence: Sentence, mm: MeasureMention) -> tuple[int, int] | None:
        """The span between 将 and 列入/纳入 when the trigger follows it: what is put on the list."""
        if not sentence.zh:
            return None
        jiang = text.rfind("将", sentence.start, mm.start)
        if jiang < 0 or mm.start - jiang > 60:
            return None
        hit = OBJECT_MARKER.match(text, jiang, mm.end)
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
        """Whether a goods name follows the name directly ("US soybeans"): the country owns the goods."""
        for other in sentence.mentions:
            if other.start >= m.end:
                return other.type in GOODS_TYPES and other.start - m.end <= 1
        return False
