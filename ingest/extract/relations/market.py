"""Whether a reliance the text states is on a buyer (SELLS_TO) or on a supply (DEPENDS_ON).

"Nvidia depends on China for 17% of its sales", "美光约有11%的营收来自中国" and "中国市场占澳大利亚
葡萄酒出口的近40%" name China as a market: losing it costs the firm revenue, it does not cut off an
input. "Japan relies on China for 60% of its rare-earth imports" names China as a source. The
words around the reliance decide: the dependent's sales, revenue, orders or exports, or the other
side called its market, buyer or customer, make it a market; imports, supply or a source keep it
a supply. Pure text tests, so each rule in trade.py asks the same questions the same way.
"""

from __future__ import annotations

import re

__all__ = ["MARKET_CUES", "names_a_market", "reads_as_market", "superlative"]

#: ``depends`` cue words that are about revenue in themselves ("营收来自", "revenue from").
MARKET_CUES = frozenset({"营收来自", "收入来自", "revenue from", "of its revenue"})

# The other side called a market right after its name: "中国市场", "中国航空市场",
# "the Chinese market", "China as a market", "China as the largest buyer".
_NAMED_MARKET = re.compile(
    r"^(?:的)?[\u4e00-\u9fff]{0,4}?(?:市场|买家|客户)"
    r"|^\s*(?:'s|’s)?\s*(?:[\w-]+\s+){0,2}?markets?\b"
    r"|^\s*as\s+(?:an?\s+|the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,3}?(?:markets?|buyers?|customers?|outlets?)\b",
    re.I,
)
# What the dependent earns from the other side.
_SALES = re.compile(
    r"\b(?:sales|revenues?|orders|exports|export earnings|turnover|markets?|buyers?|customers?)\b"
    r"|营收|收入|销售|销量|订单|出口(?!管制|限制|禁令|许可)|市场|买家|客户",
    re.I,
)
# What the dependent takes from the other side.
_SUPPLY = re.compile(r"\bimports?\b|\bimported\b|\bsuppl(?:y|ies|ier)\b|\bsources?\b|进口|供应|供给|来源", re.I)
# The other side's own exports ("China's exports of rare earths", "中国出口的稀土"): a supply.
_THEIR_EXPORTS = re.compile(r"^\s*(?:'s|’s|的)?\s*(?:[\w-]+\s+){0,2}?(?:exports?\b|出口)", re.I)
_TOWARD = re.compile(r"(?:对|向|\bto)\s*$", re.I)
_SUPERLATIVE = re.compile(r"biggest|largest|top|main|leading|most important|number one|no\. ?1|最大|第一大|主要|首要|最重要", re.I)


def names_a_market(after_target: str) -> bool:
    """The words right after the other side's name call it a market or a buyer."""
    return _NAMED_MARKET.match(after_target) is not None


def reads_as_market(after: str, *, between: str = "", toward: bool = False) -> bool:
    """The words around the other side's name measure what it buys from the dependent: sales,
    revenue, orders or exports ("for 17% of its sales", "占澳大利亚葡萄酒出口的近40%", "relies on
    exports to China"), with no word making it a source of imports or supply first. ``after``
    runs from its name to the end of the clause, ``between`` from the cue to its name; ``toward``
    says the text wrote "to"/"对" before it (its surface may hold the 对 itself: "对华")."""
    toward = toward or _TOWARD.search(between) is not None
    if _SALES.search(between) and not _SUPPLY.search(between):
        return True
    if names_a_market(after):
        return True
    if not toward and _THEIR_EXPORTS.match(after):
        return False
    sales = _SALES.search(after)
    if sales is None:
        return False
    supply = _SUPPLY.search(after)
    return supply is None or supply.start() > sales.start()


def superlative(text: str) -> bool:
    """"biggest", "最大", "主要"...: a market worth calling one's reliance."""
    return _SUPERLATIVE.search(text) is not None
