"""Measure mentions, their goods: what a measure covers.

Goods in the trigger's clause (and the next clause, in Chinese) or after it (English), stopping
at the next trigger, a subordinate clause or the other side's measure; goods listed beside the
trigger are other measures' objects, goods after "affect" are what it hurts, and a good directly
followed by another only modifies it ("芯片 EDA 软件" is EDA software).
"""

from __future__ import annotations

import re

from ingest.extract.types import COORDINATION, DUTY_TYPES, GOODS_TYPES, MeasureMention, Sentence

__all__ = ["GoodsRules"]

_PRICED = re.compile(r"[^，。；,;]{0,12}?(?:价格|涨价|物价|消费品价|\bprices?\b)", re.I)
_AFFECTS = re.compile(r"影响|冲击|损害|波及|affect|hurt|harm|damage|disrupt", re.I)
# a clause that lists what the measure covers: "…提高关税，税率最高达50%，涉及汽车、钢材、服装…等"
_COVERAGE_ZH = re.compile(r"\s*(?:主要|具体)?(?:涉及|包括|涵盖|覆盖|范围包括|产品包括|商品包括|物项包括)")
_SUBORDINATE_EN = re.compile(r",\s*(?:so|which|while|but|as|because|although|though|citing|accusing|saying|after|before|when|where|whereas)\b", re.I)


class GoodsRules:
    """The goods rules of ``MentionFinder`` (a part of it, kept apart by role)."""

    def _goods(self, text: str, sentence: Sentence, mm: MeasureMention, siblings: list[MeasureMention]) -> None:
        """The goods the measure of ``mm`` covers, read in the span its language puts an object in."""
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
                for c in following[1:]:  # and the clauses after it that list coverage
                    if any(c[0] <= s.start < c[1] for s in siblings) or not _COVERAGE_ZH.match(text, c[0], c[1]):
                        break
                    spans.append(c)
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
