"""Relations of trade: DEPENDS_ON, SELLS_TO, SUPPLIES and MADE_FROM.

Each rule reads one sentence: a cue word ("depends on", 依赖, "accounts for", 占, "supplies",
"is used to make") and the names around it. Whether a stated reliance is on a buyer (SELLS_TO)
or on a supply (DEPENDS_ON) is ``market.py``'s question.
"""

from __future__ import annotations

import re

from graph.model.enums import EntityType, RelationType
from ingest.extract.matcher import Hit
from ingest.extract.relations.base import RelationDraft, RuleBase
from ingest.extract.relations.market import MARKET_CUES, reads_as_market, superlative
from ingest.extract.types import GOODS_TYPES, Mention, Sentence
from ingest.extract.values import find_percents, find_shares

__all__ = ["TradeRules", "MARKET_SIDES"]

_IMPORTS_AFTER = re.compile(r"(?:'s|’s|的)?\s*(?:[\w-]+\s+){0,2}imports\b|[^，。；,]{0,6}进口", re.I)
_COPULA = re.compile(r"\s*(?:is|was|are|were|remains|remained|has been|had been|became|是|为|成为|仍是|一直是)(?:\s+|\b|$)", re.I)
#: Who can rely on a buyer, and who can be one.
MARKET_SIDES = frozenset({EntityType.COUNTRY, EntityType.FIRM, EntityType.ORGANIZATION})


# the words between the goods a supplier sends and the country that gets them
_SUPPLIED_BEFORE = re.compile(r"\b(?:to|into|in|by|for)\s+(?:the\s+)?$|\b(?:used|consumed|imported|sold|bought)\s+(?:in|by)\s+(?:the\s+)?$", re.I)


class TradeRules(RuleBase):
    """DEPENDS_ON, SELLS_TO, SUPPLIES and MADE_FROM, one method per cue family."""

    # DEPENDS_ON -----------------------------------------------------------------------------
    def depends(self, text: str, s: Sentence) -> list[RelationDraft]:
        """DEPENDS_ON (or SELLS_TO when the reliance is on a buyer) from "X depends on Y for 80% of its Z",
        依赖: the dependent before the cue, what it relies on after it, the share from the cue's clause."""
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
        """DEPENDS_ON or SELLS_TO from a stated share ("accounts for 40% of", 占): whose share of what."""
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
        """SELLS_TO from "China is Australia's biggest market" and its word orders; only with a
        superlative, since any trading partner is "a market"."""
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
        """SUPPLIES from "X supplies Y", 供应: the suppliers before the cue, the goods after it (or
        before it), with the share when one supplier is named."""
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
            inside = [m for m in s.mentions if cue.start <= m.start and m.end <= cue.end and m.type in GOODS_TYPES]
            if superlative(cue.surface):
                # "全球最大的电子设备生产国", "the world's largest cobalt producer": the goods are
                # inside the phrase or right after it, never a good named elsewhere in the sentence
                goods = inside or [m for m in goods_after if m.start - cue.end <= 12][:1]
            elif goods_after and goods_after[0].start - cue.end <= 40:
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
            out += self._supplied_to(text, s, cue, suppliers, goods)
        return out

    def _supplied_to(self, text: str, s: Sentence, cue: Hit, suppliers: list[Mention], goods: list[Mention]) -> list[RelationDraft]:
        """"Canada supplies about a quarter of the softwood lumber used in the United States", "the
        largest foreign supplier of fresh tomatoes to the United States": the country supplied
        depends on the supplier, with the share when one is stated."""
        if s.zh or not goods or len(suppliers) != 1:
            return []
        clause_end = s.clause_of(cue.start)[1]
        buyers = [
            m for m in s.mentions
            if m.type is EntityType.COUNTRY and not m.pair and goods[-1].end <= m.start < clause_end
            and _SUPPLIED_BEFORE.search(text, max(goods[-1].end, m.start - 24), m.start)
        ]
        if not buyers or buyers[0].entity_id == suppliers[0].entity_id:
            return []
        shares = find_shares(text, cue.start, goods[0].start)
        share = shares[0][2] / 100 if shares and shares[0][2] <= 100 else None
        d = self._draft(s, buyers[0], RelationType.DEPENDS_ON, suppliers[0], f"rule:{cue.lang}.depends_on.supplied", 0.6, share=share)
        return [d] if d else []

    # MADE_FROM ("镓和锗是制造芯片的重要原料", "X is used to make Y") ---------------------------
    def made_from(self, text: str, s: Sentence) -> list[RelationDraft]:
        """MADE_FROM from "镓和锗是制造芯片的重要原料" and "X is used to make Y": fixed patterns, because
        a goods name beside another is far more often a list than an input."""
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
