"""Relations other than a measure's own (IMPOSES, TARGETS, COVERS are in rules.py).

Each rule reads one sentence: a cue word and the mentions around it. Lexicon knowledge confirms
what the text only implies — MEMBER_OF needs the lexicon to list the member, BASED_IN needs the
firm's lexicon home to be the country written next to it — so the rules stay precise without a
parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.enums import EntityType, RelationType
from graph.ontology import ontology
from ingest.extract.context import ACTOR_TYPES, COORDINATION, GOODS_TYPES, Mention, Sentence
from ingest.extract.market import MARKET_CUES, reads_as_market, superlative
from ingest.extract.matcher import Hit, Lookbehind
from ingest.extract.measures import MeasureDraft, MeasureMention
from ingest.extract.values import find_percents, find_shares
from ingest.lexicon import Lexicon

__all__ = ["RelationDraft", "RelationRules"]

_ADJACENT = re.compile(r"^\s*(?:的|'s|’s)?\s*(?:[A-Za-z-]+\s+){0,2}(?:such as|like|including)?\s*$|^\s*(?:的|'s|’s)?\s*$", re.I)
_WEAK_STANCE = frozenset({"担忧", "concern about", "concerns about", "concerned about", "不满"})
_POSSESSED = re.compile(r"\s*(?:的|'s|’s)\s*(?:做法|措施|决定|行为|举措|move|decision|measures?|actions?|policy|policies)")
_IMPORTS_AFTER = re.compile(r"(?:'s|’s|的)?\s*(?:[\w-]+\s+){0,2}imports\b|[^，。；,]{0,6}进口", re.I)
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
_COPULA = re.compile(r"\s*(?:is|was|are|were|remains|remained|has been|had been|became|是|为|成为|仍是|一直是)(?:\s+|\b|$)", re.I)
#: Who can rely on a buyer, and who can be one.
MARKET_SIDES = frozenset({EntityType.COUNTRY, EntityType.FIRM, EntityType.ORGANIZATION})
_MADE_FROM = re.compile(r"(?:是)?(?:制造|生产|制作)$|(?:used (?:to make|in making|for making|in))\s*$", re.I)


@dataclass
class RelationDraft:
    source: str
    type: RelationType
    target: str
    start: int
    end: int
    rule: str
    confidence: float
    share: float | None = None
    origin: str | None = None
    mentions: tuple[Mention, ...] = ()


def _allowed(source_type: EntityType, rtype: RelationType, target_type: EntityType) -> bool:
    rule = ontology().relations[rtype]
    return source_type in rule.sources and target_type in rule.targets


class RelationRules:
    """The sentence-level relation rules, sharing the lexicon and the document's measures."""

    def __init__(self, lexicon: Lexicon, location_words: Lookbehind) -> None:
        self.lex = lexicon
        self.location_words = location_words

    def home(self, entity_id: str) -> str | None:
        return self.lex.home(entity_id)

    def _draft(self, s: Sentence, source: Mention, rtype: RelationType, target: Mention, rule: str, confidence: float, **extra) -> RelationDraft | None:
        if source.entity_id == target.entity_id or not _allowed(source.type, rtype, target.type):
            return None
        return RelationDraft(source.entity_id, rtype, target.entity_id, s.start, s.end, rule, confidence, mentions=(source, target), **extra)

    def _coordinated_back(self, text: str, s: Sentence, m: Mention, types: frozenset | set) -> list[Mention]:
        group = [m]
        i = s.mentions.index(m)
        while i > 0:
            prev = s.mentions[i - 1]
            if prev.type in types and COORDINATION.match(text[prev.end : group[0].start]):
                group.insert(0, prev)
                i -= 1
            else:
                break
        return group

    def _coordinated_forward(self, text: str, s: Sentence, m: Mention, types: frozenset | set) -> list[Mention]:
        group = [m]
        i = s.mentions.index(m)
        while i + 1 < len(s.mentions):
            nxt = s.mentions[i + 1]
            if nxt.type in types and COORDINATION.match(text[group[-1].end : nxt.start]):
                group.append(nxt)
                i += 1
            else:
                break
        return group

    # DEPENDS_ON -----------------------------------------------------------------------------
    def depends(self, text: str, s: Sentence) -> list[RelationDraft]:
        out: list[RelationDraft] = []
        dependent_types = {EntityType.COUNTRY, EntityType.FIRM, EntityType.PRODUCT, EntityType.COMMODITY, EntityType.ORGANIZATION}
        for cue in s.cues_of("cue", "depends"):
            rule = f"rule:{cue.lang}.depends_on.cue"
            clause = s.clause_of(cue.start)
            percents = find_shares(text, clause[0], clause[1])  # "for about a quarter of its exports" too
            share = percents[-1][2] / 100 if percents and percents[-1][2] <= 100 else None
            before = [m for m in s.mentions if m.end <= cue.start and m.type in dependent_types and not m.pair]
            after = [m for m in s.mentions if m.start >= cue.end and not m.pair]
            market_cue = cue.surface.lower() in MARKET_CUES  # "营收来自": revenue, so a market
            if not market_cue and (text[max(0, cue.start - 1) : cue.start] == "的" or cue.surface.endswith("度")):
                out += self._nominal_dependency(text, s, cue, share, rule)
                continue
            if not before or not after:
                continue
            first = after[0]
            if first.start - cue.end > 25:
                continue
            origin = None
            targets = self._coordinated_forward(text, s, first, GOODS_TYPES | {EntityType.COUNTRY, EntityType.FIRM})
            if first.type is EntityType.COUNTRY:
                following = [m for m in after[1:] if m.type in GOODS_TYPES and m.start - first.end <= 8]
                if following:
                    origin = first.entity_id
                    targets = self._coordinated_forward(text, s, following[0], GOODS_TYPES)
            if origin is None and first.type in MARKET_SIDES and (market_cue or self._market_after(text, cue, first, clause[1])):
                sellers = [m for m in s.mentions if m.end <= cue.start and m.type in MARKET_SIDES and not m.pair]
                buyers = [t for t in targets if t.type in MARKET_SIDES]
                if sellers:
                    out += self._sells_to(text, s, sellers[-1], buyers, f"rule:{cue.lang}.sells_to.depends", share)
                continue
            if first.type is EntityType.COUNTRY and origin is None and out:
                # "…均 100% 依赖中国供应": the country is where the goods come from
                for draft in out:
                    if draft.origin is None and draft.target != first.entity_id:
                        draft.origin = first.entity_id
                        draft.share = draft.share if draft.share is not None else share
                continue
            dependent = before[-1]
            if dependent.type is EntityType.COMMODITY and first.type is EntityType.COUNTRY and origin is None:
                # "美国80%的镓依赖从中国进口": the actor before the goods depends on them, from that country
                actors = [m for m in before[:-1] if m.type in {EntityType.COUNTRY, EntityType.FIRM} and m.start >= clause[0]]
                if actors:
                    d = self._draft(s, actors[-1], RelationType.DEPENDS_ON, dependent, rule, 0.6, share=share, origin=first.entity_id)
                    out += [d] if d else []
                continue
            for src in self._coordinated_back(text, s, dependent, dependent_types):
                for tgt in targets:
                    if origin and not self._is_goods(tgt):
                        continue
                    draft = self._draft(s, src, RelationType.DEPENDS_ON, tgt, rule, 0.7, share=share if len(targets) == 1 else None, origin=origin)
                    if draft:
                        out.append(draft)
        return out

    def _is_goods(self, m: Mention) -> bool:
        return m.type in GOODS_TYPES

    @staticmethod
    def _market_after(text: str, cue: Hit, target: Mention, clause_end: int) -> bool:
        """"relies on China for 17% of its sales", "依赖中国市场", "relies on exports to China"."""
        toward = target.surface[:1] in "对向"  # the alias "对华" holds the "to"
        return reads_as_market(text[target.end : clause_end], between=text[cue.end : target.start], toward=toward)

    def _sells_to(self, text: str, s: Sentence, seller: Mention, buyers: list[Mention], rule: str, share: float | None) -> list[RelationDraft]:
        """SELLS_TO from the seller (and those coordinated with it) to each buyer; one share fits one pair only."""
        sellers = self._coordinated_back(text, s, seller, MARKET_SIDES)
        one = len(sellers) == 1 and len(buyers) == 1
        drafts = [self._draft(s, src, RelationType.SELLS_TO, b, rule, 0.6, share=share if one else None) for src in sellers for b in buyers]
        return [d for d in drafts if d]

    def _nominal_dependency(self, text: str, s: Sentence, cue: Hit, share: float | None, rule: str) -> list[RelationDraft]:
        """"X 对 Y 的依赖": X depends on Y (goods, with a country as origin)."""
        clause = s.clause_of(cue.start)
        window = text[clause[0] : cue.start]
        dui = window.rfind("对")
        if dui < 0:
            return []
        dui += clause[0]
        inside = [m for m in s.mentions if dui <= m.start and m.end <= cue.start and not m.pair]
        before = [m for m in s.mentions if clause[0] <= m.start and m.end <= dui and m.type in {EntityType.COUNTRY, EntityType.FIRM, EntityType.PRODUCT}]
        if not before or not inside:
            return []
        goods = [m for m in inside if m.type in GOODS_TYPES]
        countries = [m for m in inside if m.type is EntityType.COUNTRY]
        out = []
        for src in before[-1:]:
            if goods:
                origin = countries[0].entity_id if countries else None
                for g in goods:
                    d = self._draft(s, src, RelationType.DEPENDS_ON, g, rule, 0.6, origin=origin, share=share)
                    if d:
                        out.append(d)
            elif countries:
                # "德国对华出口的依赖": exports to the country make it a market
                market = reads_as_market(text[countries[0].end : cue.start], toward=True)
                rtype = RelationType.SELLS_TO if market and src.type in MARKET_SIDES else RelationType.DEPENDS_ON
                market_rule = f"rule:{cue.lang}.sells_to.nominal"
                d = self._draft(s, src, rtype, countries[0], market_rule if rtype is RelationType.SELLS_TO else rule, 0.6, share=share)
                if d:
                    out.append(d)
        return out

    # "占" / accounts for: shares of a market or of world supply ---------------------------------
    def shares(self, text: str, s: Sentence) -> list[RelationDraft]:
        out = []
        for cue in s.cues_of("cue", "share_of"):
            if text[cue.end : cue.end + 1] in {"有", "据", "比"}:  # 占有率, 占据, 占比: not "accounts for"
                continue
            rule = f"rule:{cue.lang}.share_of.cue"
            clause = s.clause_of(cue.start)
            percents = [p for p in find_percents(text, cue.end, clause[1])]
            share = percents[-1][2] / 100 if percents and percents[-1][2] <= 100 else None
            before = [m for m in s.mentions if m.end <= cue.start and not m.pair and m.type in {EntityType.COUNTRY, EntityType.FIRM}]
            after = [m for m in s.mentions if m.start >= cue.end and not m.pair and m.start < clause[1] + 40]
            if not before:
                continue
            in_clause = [m for m in before if m.start >= clause[0]]
            # "中国是美国进口商品的最大来源国,占…": the subject of 是 in the clause before
            subject = [m for m in before if text[m.end : m.end + 1] == "是"]
            supplier = in_clause[-1] if in_clause else (subject or before)[0]
            window = text[supplier.end : cue.start]
            dui = [m for m in before if m.start > supplier.end and m.surface.startswith("对")]
            market_rule = f"rule:{cue.lang}.sells_to.share_of"
            if dui and re.search(r"出口|exports", window):  # "X 对 Y 出口占…": X relies on the Y market
                d = self._draft(s, supplier, RelationType.SELLS_TO, dui[0], market_rule, 0.6, share=share)
                out += [d] if d else []
                continue
            if not after:
                continue
            other = after[0]
            bloc_imports = other.type is EntityType.ORGANIZATION and _IMPORTS_AFTER.match(text, other.end, other.end + 30)
            if other.type in {EntityType.COUNTRY, EntityType.FIRM} or bloc_imports:  # "of the EU's biodiesel imports" too
                # "中国航空市场占波音全球订单量的 28%" names a market; "占美国进口总量的 21%" a source
                if reads_as_market(text[supplier.end : cue.start]) or reads_as_market(text[cue.end : clause[1]]):
                    d = self._draft(s, other, RelationType.SELLS_TO, supplier, market_rule, 0.6, share=share)
                else:
                    d = self._draft(s, other, RelationType.DEPENDS_ON, supplier, rule, 0.6, share=share)
            elif other.type in GOODS_TYPES and re.search(r"world|global|全球|世界", text[cue.end : other.start + 40]):
                d = self._draft(s, supplier, RelationType.SUPPLIES, other, rule, 0.6, share=share)
            else:
                d = None
            out += [d] if d else []
        return out

    # SELLS_TO from "China is Australia's biggest market", "中国是澳大利亚最大的出口市场" ------------
    def markets(self, text: str, s: Sentence) -> list[RelationDraft]:
        out = []
        for cue in s.cues_of("cue", "market"):
            clause = s.clause_of(cue.start)
            sides = [m for m in s.mentions if clause[0] <= m.start < clause[1] and m.type in MARKET_SIDES and not m.pair]
            before = [m for m in sides if m.end <= cue.start]
            after = [m for m in sides if m.start >= cue.end]
            if not before:
                continue
            if len(before) >= 2 and _COPULA.fullmatch(text[before[-2].end : before[-1].start]):
                seller, buyer = before[-1], before[-2]  # "China is Australia's biggest market"
            elif after and _COPULA.match(text[before[-1].end : cue.start]) and after[0].start - cue.end <= 30:
                seller, buyer = after[0], before[-1]  # "China is the largest market for Australian coal"
            elif after and _COPULA.fullmatch(text[cue.end : after[0].start]):
                seller, buyer = before[-1], after[0]  # "Australia's biggest market is China"
            else:
                continue
            if superlative(text[before[-1].end : cue.end]):
                d = self._draft(s, seller, RelationType.SELLS_TO, buyer, f"rule:{cue.lang}.sells_to.market", 0.6)
                out += [d] if d else []
        return out

    # SUPPLIES ---------------------------------------------------------------------------------
    def supplies(self, text: str, s: Sentence) -> list[RelationDraft]:
        out = []
        for cue in s.cues_of("cue", "supplies"):
            rule = f"rule:{cue.lang}.supplies.cue"
            before = [m for m in s.mentions if m.end <= cue.start and m.type in {EntityType.COUNTRY, EntityType.FIRM} and not m.pair]
            if not before:
                continue
            suppliers = self._coordinated_back(text, s, before[-1], {EntityType.FIRM, EntityType.COUNTRY})
            clause = s.clause_of(cue.start)
            percents = find_percents(text, cue.start - 12, min(s.end, cue.end + 30))
            share = percents[0][2] / 100 if percents and percents[0][2] <= 100 else None
            goods_after = [m for m in s.mentions if m.start >= cue.end and m.type in GOODS_TYPES]
            goods_before = [m for m in s.mentions if m.end <= cue.start and m.type in GOODS_TYPES and m.start >= suppliers[-1].end]
            goods_after = [m for m in goods_after if s.clause_of(m.start) == s.clause_of(cue.start)]
            if goods_after and goods_after[0].start - cue.end <= 40:
                goods = self._coordinated_forward(text, s, goods_after[0], GOODS_TYPES)
            elif goods_before:
                goods = [goods_before[-1]]
            else:
                goods = [m for m in s.mentions if m.type in GOODS_TYPES and m.end <= suppliers[0].start][-1:]
            del clause
            for src in suppliers:
                for g in goods:
                    d = self._draft(s, src, RelationType.SUPPLIES, g, rule, 0.6, share=share if len(suppliers) == 1 else None)
                    if d:
                        out.append(d)
        return out

    # MADE_FROM ("镓和锗是制造芯片的重要原料", "X is used to make Y") ---------------------------
    def made_from(self, text: str, s: Sentence) -> list[RelationDraft]:
        out = []
        for m in re.finditer(r"是(?:制造|生产|制作)(?P<p>[^，。,]{1,12}?)的(?:重要|关键|主要)?(?:原料|材料|原材料)", text[s.start : s.end]):
            p_start, p_end = s.start + m.start("p"), s.start + m.end("p")
            products = [x for x in s.mentions if p_start <= x.start and x.end <= p_end and x.type in GOODS_TYPES]
            inputs = [x for x in s.mentions if x.end <= s.start + m.start() and x.type in GOODS_TYPES]
            if products and inputs:
                for inp in self._coordinated_back(text, s, inputs[-1], GOODS_TYPES):
                    d = self._draft(s, products[0], RelationType.MADE_FROM, inp, "rule:zh.made_from.pattern", 0.6)
                    out += [d] if d else []
        for m in re.finditer(r"(?:used (?:to make|in making|for)|goes into)\s", text[s.start : s.end], re.I):
            pos = s.start + m.end()
            products = [x for x in s.mentions if x.start >= pos and x.start - pos <= 20 and x.type in GOODS_TYPES]
            inputs = [x for x in s.mentions if x.end <= s.start + m.start() and x.type in GOODS_TYPES]
            if products and inputs:
                d = self._draft(s, products[0], RelationType.MADE_FROM, inputs[-1], "rule:en.made_from.pattern", 0.5)
                out += [d] if d else []
        return out

    # MEMBER_OF ----------------------------------------------------------------------------------
    def membership(self, text: str, s: Sentence) -> list[RelationDraft]:
        out = []
        for m in s.mentions:
            entry = self.lex.entry(m.entity_id)
            if entry is None:
                continue
            if entry.members:
                for c in s.mentions:
                    if c.entity_id in entry.members and 0 <= m.start - c.end <= 25 and not re.search(r"[。；;.!?]", text[c.end : m.start]):
                        d = self._draft(s, c, RelationType.MEMBER_OF, m, f"rule:{m.lang}.member_of.lexicon", 0.7)
                        out += [d] if d else []
            if entry.type is EntityType.PERSON and entry.org and entry.titles:
                window = text[max(0, m.start - 25) : m.end + 25]
                if any(t in window for t in entry.titles):
                    org = self.lex.entry(entry.org)
                    if org is not None:
                        fake = Mention(m.start, m.end, org.id, org.type, m.surface, m.lang)
                        d = self._draft(s, m, RelationType.MEMBER_OF, fake, f"rule:{m.lang}.member_of.title", 0.7)
                        if d:
                            d.mentions = (m,)
                            out.append(d)
        return out

    # BASED_IN -----------------------------------------------------------------------------------
    def based_in(self, text: str, s: Sentence, embedded: dict[str, tuple[int, str]]) -> list[RelationDraft]:
        out = []
        for i, m in enumerate(s.mentions):
            if m.type not in {EntityType.FIRM, EntityType.ORGANIZATION, EntityType.PERSON} or m.pair:
                continue
            entry = self.lex.entry(m.entity_id)
            home = entry.country if entry else None
            if home is None:
                continue
            rule = f"rule:{m.lang}.based_in.adjacent"
            inside = embedded.get(m.surface)
            if inside and inside[1] == home:
                country = Mention(m.start, m.start + inside[0], home, EntityType.COUNTRY, m.surface[: inside[0]], m.lang)
                d = self._draft(s, m, RelationType.BASED_IN, country, f"rule:{m.lang}.based_in.name", 0.8)
                if d:
                    out.append(d)
                continue
            j, head = i, m
            while j > 0:
                prev = s.mentions[j - 1]
                gap = text[prev.end : head.start]
                titles = entry.titles if entry else ()
                if prev.entity_id == home and (_ADJACENT.match(gap) or gap.strip() in titles):
                    d = self._draft(s, m, RelationType.BASED_IN, prev, rule, 0.7)
                    out += [d] if d else []
                    break
                prev_entry = self.lex.entry(prev.entity_id)
                if prev.type in {EntityType.FIRM, EntityType.ORGANIZATION} and prev_entry and prev_entry.country == home and COORDINATION.match(gap):
                    j, head = j - 1, prev
                    inside = embedded.get(prev.surface)
                    if inside and inside[1] == home:  # "中国商务部与海关总署": the country covers both
                        country = Mention(prev.start, prev.start + inside[0], home, EntityType.COUNTRY, prev.surface[: inside[0]], prev.lang)
                        d = self._draft(s, m, RelationType.BASED_IN, country, f"rule:{m.lang}.based_in.name", 0.7)
                        out += [d] if d else []
                        break
                    continue
                break
        return out

    # NEGOTIATES_WITH ----------------------------------------------------------------------------
    def negotiations(self, text: str, s: Sentence, recent: list[MeasureDraft] = ()) -> list[RelationDraft]:
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

    def _is_place(self, text: str, m: Mention) -> bool:
        return m.type is EntityType.COUNTRY and bool(self.location_words.search(text[max(0, m.start - 12) : m.start]))

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
