"""One spelling per unit, whoever states it: the extractor, a curated facts file or an API client.

A rate is a percentage and its unit is written ``%`` (never ``percent``, ``per cent`` or ``pct``);
money is an ISO 4217 code in capitals (``USD``, ``EUR``, ``CNY``...), whatever symbol or word the
source used. A unit this table does not know is kept as given (trimmed), so nothing is lost.
"""

from __future__ import annotations

__all__ = ["canonical_unit", "PERCENT"]

PERCENT = "%"

_ALIASES = {
    "%": PERCENT, "％": PERCENT, "percent": PERCENT, "per cent": PERCENT, "pct": PERCENT, "percentage": PERCENT,
    "percentage points": "percentage points", "百分比": PERCENT,
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "us dollars": "USD", "美元": "USD",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "元": "CNY", "人民币": "CNY",
    "aud": "AUD", "澳元": "AUD", "cad": "CAD", "加元": "CAD", "jpy": "JPY", "yen": "JPY", "日元": "JPY",
    "gbp": "GBP", "£": "GBP", "krw": "KRW", "won": "KRW", "hkd": "HKD", "港元": "HKD", "twd": "TWD", "新台币": "TWD",
}


def canonical_unit(unit: str | None) -> str | None:
    """The one spelling of ``unit`` (see the module docstring); None stays None."""
    if unit is None:
        return None
    trimmed = " ".join(str(unit).split())
    return _ALIASES.get(trimmed.lower(), trimmed) if trimmed else None
