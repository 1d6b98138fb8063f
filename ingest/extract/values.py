"""Dates, rates, amounts and legal references read from text.

Dates without a year ("10 月 9 日", "Oct. 9") take the year of a full date in the same sentence,
else of "同年" / the reference date: the document's published date or, when it has none, the
year the document talks about most (future-marked years such as "到 2026 年" do not count). A
month-day is placed within six months of the reference, so an article of January that mentions
"12 月 5 日" means the December before.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "DateMention",
    "find_dates",
    "reference_date",
    "find_percents",
    "find_rate_change",
    "find_legal_references",
    "find_amounts",
]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# (kind, pattern, what a text must hold for the pattern to match in it: a character, or "month"
# for an English month name, which every _MONTH alternative begins with, case and all)
_DATE_PATTERNS = [
    ("ymd", re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"), "年"),
    ("ymd", re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"), "-"),
    ("rel_md", re.compile(r"(?P<rel>去年|今年|明年|同年)\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"), "月"),
    ("ym", re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])"), "年"),
    ("md", re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"), "月"),
    ("en_mdy", re.compile(_MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{4}))?"), "month"),
    ("en_dmy", re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"(?:,?\s+(?P<y>\d{4}))?"), "month"),
    ("en_my", re.compile(r"\b" + _MONTH + r"\s+(?P<y>\d{4})\b"), "month"),
]
_MONTH_NAME = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|\b)")
_FUTURE_BEFORE = re.compile(r"(?:到|至|预计|预期|计划|by|until|expected in|to)\s*$", re.I)


@dataclass(frozen=True)
class DateMention:
    """A date found in the text; ``precision`` is "day" or "month" (then ``value`` is the 1st)."""

    start: int
    end: int
    value: date
    precision: str


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def reference_date(text: str, published: date | None) -> date | None:
    """The date that year-less dates are read against (see the module docstring)."""
    if published is not None:
        return published
    counts: Counter[int] = Counter()
    for m in _YEAR.finditer(text):
        if _FUTURE_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        counts[int(m.group("y"))] += 1
    if not counts:
        return None
    best = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    return date(best, 7, 1)


def _place(month: int, day: int, reference: date) -> date | None:
    candidate = _safe_date(reference.year, month, day)
    if candidate is None:
        return None
    if candidate - reference > timedelta(days=183):
        return _safe_date(reference.year - 1, month, day)
    if reference - candidate > timedelta(days=183):
        return _safe_date(reference.year + 1, month, day)
    return candidate


def find_dates(text: str, start: int, end: int, reference: date | None, last_year: int | None = None) -> list[DateMention]:
    """Dates within ``text[start:end]`` (one sentence), resolved as the module docstring says."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, re.Match[str]]] = []
    present: dict[str, bool] = {}  # a pattern whose required text is absent is not run
    for kind, pattern, needs in _DATE_PATTERNS:
        if needs not in present:
            present[needs] = bool(_MONTH_NAME.search(text, start, end)) if needs == "month" else text.find(needs, start, end) >= 0
        if not present[needs]:
            continue
        for m in pattern.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((kind, m))
    found.sort(key=lambda item: item[1].start())
    sentence_year = None
    for kind, m in found:
        if kind in {"ymd", "ym", "en_my"} or (kind.startswith("en_") and m.groupdict().get("y")):
            sentence_year = int(m.group("y"))
            break
    out = []
    for kind, m in found:
        groups = m.groupdict()
        month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else int(groups["m"])
        day = int(groups["d"]) if groups.get("d") else None
        year = int(groups["y"]) if groups.get("y") else None
        if kind == "rel_md":
            base = reference.year if reference else None
            if groups["rel"] == "同年":
                base = last_year or sentence_year or base
            elif base is not None:
                base += {"去年": -1, "今年": 0, "明年": 1}[groups["rel"]]
            year = base
        if year is None and day is not None:
            if sentence_year is not None:
                value = _safe_date(sentence_year, month, day)
            elif reference is not None:
                value = _place(month, day, reference)
            else:
                value = None
        elif year is not None:
            value = _safe_date(year, month, day or 1)
        else:
            value = None
        if value is not None:
            out.append(DateMention(m.start(), m.end(), value, "day" if day else "month"))
    return out


_PERCENT = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?:%|％|per\s*cent\b|percent\b)|百分之(?P<zh>\d+(?:\.\d+)?)")
_CHANGE = re.compile(
    r"(?:从|由|from)[^%％。；;]{0,12}?(?P<a>\d+(?:\.\d+)?)\s*(?:%|％|per\s*cent|percent)"
    r"[^%％。；;]{0,16}?(?:提升|提高|上调|升|增加|增至|加至|提|下调|降|降低|raised|increased|lifted|cut|reduced|to)\s*(?:至|到|为)?\s*"
    r"(?P<b>\d+(?:\.\d+)?)\s*(?:%|％|per\s*cent|percent)",
    re.I,
)


def find_percents(text: str, start: int, end: int) -> list[tuple[int, int, float]]:
    """Percentages in a span, as (start, end, value)."""
    out = []
    for m in _PERCENT.finditer(text, start, end):
        out.append((m.start(), m.end(), float(m.group("n") or m.group("zh"))))
    return out


def find_rate_change(text: str, start: int, end: int) -> list[tuple[int, int, float, float]]:
    """"From 100% to 155%" changes, as (start, end, previous, new)."""
    return [(m.start(), m.end(), float(m.group("a")), float(m.group("b"))) for m in _CHANGE.finditer(text, start, end)]


_LEGAL = [
    (re.compile(r"公告\s*(?P<y>\d{4})\s*年\s*第\s*(?P<n>\d+)\s*号"), "ny"),
    (re.compile(r"第\s*(?P<list>\d+(?:\s*[、,，和及]\s*\d+)*)\s*号\s*公告"), "list"),
    (re.compile(r"Announcements?\s+No(?:s)?\.\s*(?P<list>\d+(?:\s*(?:,|and)\s*\d+)*)(?:\s+of\s+(?P<y>\d{4}))?", re.I), "list"),
    (re.compile(r"Section\s+(?P<n>\d{3})"), "section"),
    (re.compile(r"Proclamation\s+(?:No\.\s*)?(?P<n>\d{4,5})"), "proclamation"),
    (re.compile(r"(?P<n>\d{3})\s*条款"), "section"),
]


def find_legal_references(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Legal references in a span, written the one English way: "Announcements No. 61, 62"."""
    out = []
    for pattern, kind in _LEGAL:
        for m in pattern.finditer(text, start, end):
            if kind == "ny":
                ref = f"Announcement No. {m.group('n')} of {m.group('y')}"
            elif kind == "list":
                numbers = re.findall(r"\d+", m.group("list"))
                ref = ("Announcements No. " if len(numbers) > 1 else "Announcement No. ") + ", ".join(numbers)
                if m.groupdict().get("y"):
                    ref += f" of {m.group('y')}"
            elif kind == "section":
                ref = f"Section {m.group('n')}"
            else:
                ref = f"Proclamation {m.group('n')}"
            out.append((m.start(), m.end(), ref))
    return out


_AMOUNT_EN = re.compile(
    r"(?P<cur>\$|US\$|€)?\s?(?P<n>\d+(?:\.\d+)?)\s*(?P<scale>billion|million|bn|m)\b\s*(?P<unit>euros?|dollars?|USD|EUR|yuan)?",
    re.I,
)
_AMOUNT_ZH = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<scale>万亿|亿|万)\s*(?P<unit>美元|欧元|元|人民币|澳元)")
_SCALE = {"billion": 1e9, "bn": 1e9, "million": 1e6, "m": 1e6, "万亿": 1e12, "亿": 1e8, "万": 1e4}
_UNIT = {"$": "USD", "us$": "USD", "€": "EUR", "euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD",
         "usd": "USD", "eur": "EUR", "yuan": "CNY", "美元": "USD", "欧元": "EUR", "元": "CNY", "人民币": "CNY", "澳元": "AUD"}


def find_amounts(text: str, start: int, end: int) -> list[tuple[int, int, float, str]]:
    """Money amounts in a span as (start, end, value, ISO currency)."""
    out = []
    for m in _AMOUNT_EN.finditer(text, start, end):
        unit = (m.group("cur") or m.group("unit") or "").lower()
        if unit not in _UNIT:
            continue
        out.append((m.start(), m.end(), float(m.group("n")) * _SCALE[m.group("scale").lower()], _UNIT[unit]))
    for m in _AMOUNT_ZH.finditer(text, start, end):
        out.append((m.start(), m.end(), float(m.group("n")) * _SCALE[m.group("scale")], _UNIT[m.group("unit")]))
    return out
