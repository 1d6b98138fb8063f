"""Dates, rates, amounts and legal references read from text.

Dates without a year ("10 月 9 日", "Oct. 9") take the year of a full date in the same sentence,
else of "同年" / the reference date: the document's published date, else its dateline
("WASHINGTON, Jan 23 -", "新华社北京5月13日电") in the latest year the text names, else the
middle of that latest year. Future-marked years ("到 2026 年", "by 2027") do not count: a report
names past years as data and its own year as news, so the latest past year is the best guess
(the seed article names 2018, 2020, 2024 and 2025 and is from 2025). A month-day is placed
within six months of the reference, so an article of January that mentions "12 月 5 日" means
the December before.

Dates relative to the document are read only when its day is known (published, or a dateline):
a weekday ("on Monday", "周二", "(Tuesday)") is the latest such day on or before it ("last Monday",
上周一: that day of the week before); a day number
alone ("13日发布", "本月12日", "周二（11日）") is that day of its month, or of the month before
when the number is past the document's day. A reference inferred from the years named is an
:class:`InferredDate`, and these are not read against it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "DateMention",
    "InferredDate",
    "find_dates",
    "may_hold_date",
    "dateline_span",
    "reference_date",
    "find_percents",
    "find_shares",
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
    # "last October", "this March", "next January": a month placed by the report's day
    ("en_rel_m", re.compile(r"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+" + _MONTH + r"(?!\s*\d)"), "month"),
    # a month alone in English ("sanctions in March"): the one within six months of the report's
    # day. Not in Chinese: a bare 3月 there is as often a month of another year named earlier, and
    # reading it split measures the fourth blind set holds as one (issue 17, fourth round)
    ("en_m", re.compile(r"\b(?:[Ii]n|[Ff]rom|[Uu]ntil|[Bb]y|[Ee]arly|[Ll]ate|[Mm]id-?|end of|[Ee]arlier in)\s+(?:early\s+|late\s+|mid-?)?" + _MONTH + r"\b(?!\s*\d)"), "month"),
]
_MONTH_NAME = re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:年|\b)")
# a year the text calls last year ("去年（2020年）", "last year (2020)", "2020 (last year)"): the
# text is written in the year after it
_LAST_YEAR = re.compile(
    r"(?:去年|last year)\s*[（(]\s*(?P<y>(?:19|20)\d{2})\s*年?\s*[)）]|(?P<y2>(?:19|20)\d{2})\s*年?\s*[（(]\s*(?:去年|last year)\s*[)）]",
    re.I,
)
# a split year the text says is over ("the 2021/22 fiscal year that ended in March", "2021/22财年已结束"):
# its second year is past
_ENDED_SPLIT_YEAR = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[/-]\s*(?P<y2>\d{2})(?![\d/-])[^.。；;\n]{0,30}?(?:\bended\b|已结束|结束)", re.I
)
# words before a year that make it a year to come ("到 2026 年", "by June 2027"): checked with
# str.endswith on the trimmed words before the year, a month name dropped (a regex ending in $
# tried at every position was a tenth of extraction time on texts with no published date)
_FUTURE_WORDS = ("到", "至", "预计", "预期", "计划", "将于", "将在", "将", "by", "until", "through", "expected in",
                 "scheduled for", "due in", "due by", "to", "in fiscal")
_MONTH_WORDS = frozenset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october "
    "nov november dec december".split()
)
_FUTURE_AFTER = re.compile(r"\s*年?\s*(?:(?:\d{1,2}\s*月)?(?:前|以前|之前)?(?:才能|将|可|有望|预计))")
# a dateline at the head of a report: "WASHINGTON, Jan 23 -", "BRUSSELS (Reuters) - Aug 19", "新华社北京5月13日电"
_DATELINE_EN = re.compile(
    r"^[A-Z][A-Za-z .'/-]{1,40},\s+(?:\([^)]{1,30}\)\s+)?" + _MONTH + r"\s+(?P<d>\d{1,2})\b(?=\s*(?:\([^)]{1,30}\)\s*)?[-–—])"
)
_DATELINE_ZH = re.compile(r"^[^\n。]{0,20}?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*电")
_WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_EN = re.compile(r"\b(?:on\s+|last\s+|\(\s*)?(?P<w>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!\s*,?\s*" + _MONTH + r")")
_WEEKDAY_ZH = re.compile(r"(?:周|星期|礼拜)(?P<w>[一二三四五六日天])(?:\s*[（(]\s*(?P<d>\d{1,2})\s*日\s*[）)])?")
_DAY_ONLY = re.compile(r"(?<![\d月年/.-])(?:本月|当月)?(?P<d>\d{1,2})\s*日(?![内后前以\d])")


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


class InferredDate(date):
    """A reference date guessed from the years a text names: only its year is known."""

    __slots__ = ()


def _future_before(text: str, position: int) -> bool:
    words = text[max(0, position - 16) : position].rstrip().lower()
    head, _, last = words.rpartition(" ")
    if last.rstrip(".") in _MONTH_WORDS:
        words = head.rstrip()
    return words.endswith(_FUTURE_WORDS) and (not words[-1:].isalpha() or not words[-1].isascii() or _word_end(words))


def _word_end(words: str) -> bool:
    """An English future word ends the window as a word ("to", not the end of "into")."""
    for w in _FUTURE_WORDS:
        if w.isascii() and words.endswith(w):
            before = words[: -len(w)]
            return not before or not before[-1].isalpha()
    return True


def dateline_span(text: str) -> tuple[int, int, int, int] | None:
    """(start, end, month, day) of the dateline opening the text's first paragraph ("WASHINGTON,
    Jan 23 - ", "新华社北京5月13日电 "), if it has one: the day reported on, not an event."""
    offset = 0
    if text.startswith("---"):
        close = text.find("\n---", 3)
        offset = close + 4 if close >= 0 else 0
    while offset < len(text) and text[offset].isspace():
        offset += 1
    body = text[offset : offset + 120]
    m = _DATELINE_EN.match(body)
    if m:
        tail = re.match(r"\s*(?:\([^)]{1,30}\)\s*)?[-–—:]+\s*", body[m.end() :])
        end = m.end() + (tail.end() if tail else 0)
        return offset, offset + end, _MONTHS[m.group("mon")[:3].lower()], int(m.group("d"))
    m = _DATELINE_ZH.match(body)
    if m:
        return offset, offset + m.end(), int(m.group("m")), int(m.group("d"))
    return None


def _dateline(text: str) -> tuple[int, int] | None:
    span = dateline_span(text)
    return (span[2], span[3]) if span else None


def reference_date(text: str, published: date | None) -> date | None:
    """The date that year-less dates are read against (see the module docstring)."""
    line = _dateline(text)
    if published is not None:
        if line is not None:  # the dateline is the day reported on; the page may be a day later
            day = _safe_date(published.year, *line)
            if day is not None and timedelta(0) <= published - day <= timedelta(days=7):
                return day
        return published
    counts: Counter[int] = Counter()
    for m in _YEAR.finditer(text):
        if _future_before(text, m.start()) or _FUTURE_AFTER.match(text, m.end(), m.end() + 12):
            continue
        counts[int(m.group("y"))] += 1
    for m in _LAST_YEAR.finditer(text):
        counts[int(m.group("y") or m.group("y2")) + 1] += 1
    if "/" in text or "-" in text:
        for m in _ENDED_SPLIT_YEAR.finditer(text):
            first = int(m.group("y"))
            second = first - first % 100 + int(m.group("y2"))
            if second == first + 1:
                counts[second] += 1
    if not counts:
        return None
    latest = max(counts)
    if line is not None:
        day = _safe_date(latest, *line)
        if day is not None:
            return day
    return InferredDate(latest, 7, 1)


def _exact(reference: date | None) -> bool:
    return reference is not None and not isinstance(reference, InferredDate)


def _weekday_before(reference: date, weekday: int) -> date:
    return reference - timedelta(days=(reference.weekday() - weekday) % 7)


def _weekday_last_week(reference: date, weekday: int) -> date:
    """"last Thursday", 上周四: that day of the calendar week before the report's (a Friday's
    "last Thursday" is eight days back; plain "Thursday" is the day before)."""
    day = _weekday_before(reference, weekday)
    return day - timedelta(days=7) if day.isocalendar()[:2] == reference.isocalendar()[:2] else day


def _day_of_month(reference: date, day: int) -> date | None:
    """Day ``day`` of the reference's month, or of the month before when it is still to come."""
    if day > reference.day:
        first = reference.replace(day=1) - timedelta(days=1)
        return _safe_date(first.year, first.month, day)
    return _safe_date(reference.year, reference.month, day)


_DATE_HINT = re.compile(r"\d|day\b|周[一二三四五六日天]|星期", re.I)


def may_hold_date(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` can hold a date at all (a digit or a weekday): a cheap gate."""
    return _DATE_HINT.search(text, start, end) is not None


def relative_dates(text: str, start: int, end: int, reference: date | None, taken: list[tuple[int, int]]) -> list[DateMention]:
    """Weekdays and bare day numbers in ``text[start:end]`` read against an exact reference."""
    if not _exact(reference):
        return []
    out: list[DateMention] = []
    for m in _WEEKDAY_EN.finditer(text, start, end) if text.find("day", start, end) >= 0 else ():
        if any(m.start() < e and s < m.end() for s, e in taken) or re.search(r"(?:next|coming|this coming)\s+$", text[max(0, m.start() - 12) : m.start()], re.I):
            continue
        weekday = _WEEKDAYS_EN[m.group("w").lower()]
        last = m.group(0).lower().startswith("last")
        out.append(DateMention(m.start(), m.end(), (_weekday_last_week if last else _weekday_before)(reference, weekday), "day"))  # type: ignore[arg-type]
    if "日" in text[start:end] or "周" in text[start:end] or "星期" in text[start:end]:
        for m in _WEEKDAY_ZH.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken) or text[max(0, m.start() - 1) : m.start()] in {"下", "本"} :
                continue
            if m.group("d"):
                value = _day_of_month(reference, int(m.group("d")))  # type: ignore[arg-type]
            else:
                last = text[max(0, m.start() - 1) : m.start()] == "上"
                value = (_weekday_last_week if last else _weekday_before)(reference, _WEEKDAYS_ZH[m.group("w")])  # type: ignore[arg-type]
            if value is not None:
                out.append(DateMention(m.start(), m.end(), value, "day"))
                taken.append((m.start(), m.end()))
        for m in _DAY_ONLY.finditer(text, start, end):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _day_of_month(reference, int(m.group("d")))  # type: ignore[arg-type]
            if value is not None:
                out.append(DateMention(m.start(), m.end(), value, "day"))
    return out


def _place(month: int, day: int, reference: date) -> date | None:
    candidate = _safe_date(reference.year, month, day)
    if candidate is None:
        return None
    if candidate - reference > timedelta(days=183):
        return _safe_date(reference.year - 1, month, day)
    if reference - candidate > timedelta(days=183):
        return _safe_date(reference.year + 1, month, day)
    return candidate


def _relative_month_year(rel: str, month: int, reference: date | None) -> int | None:
    """The year of "last October", "this March", "next January" in a report of ``reference``'s day."""
    if reference is None:
        return None
    if rel == "this":
        return reference.year
    if rel == "last":
        return reference.year if month < reference.month else reference.year - 1
    return reference.year if month > reference.month else reference.year + 1


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
        if kind == "en_rel_m":
            year = _relative_month_year(groups["rel"].lower(), month, reference)
        elif kind == "en_m":
            if not _exact(reference):
                continue  # placed only against a day the document states
            year = sentence_year or _place(month, 1, reference).year  # type: ignore[arg-type, union-attr]
        elif kind == "rel_md":
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
    out += relative_dates(text, start, end, reference, taken)
    out.sort(key=lambda d: d.start)
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


_SHARE_WORDS = re.compile(
    r"\b(?:(?P<q>a quarter|one quarter)|(?P<t>a third|one third)|(?P<h>half)|(?P<tt>two[- ]thirds)|(?P<tq>three[- ]quarters)|(?P<f>a fifth|one fifth)|(?P<te>a tenth|one tenth))\b"
    r"|(?P<zq>四分之一)|(?P<zt>三分之一)|(?P<zh>一半|半数)|(?P<ztt>三分之二)|(?P<ztq>四分之三)|(?P<zc>[一二两三四五六七八九])成(?!本|员|立|为|功|果|交|品|长|熟|就|不)",
    re.I,
)
_SHARE_VALUES = {"q": 25.0, "zq": 25.0, "t": 33.3, "zt": 33.3, "h": 50.0, "zh": 50.0, "tt": 66.7, "ztt": 66.7, "tq": 75.0, "ztq": 75.0, "f": 20.0, "te": 10.0}
_ZH_TENTHS = {"一": 10.0, "二": 20.0, "两": 20.0, "三": 30.0, "四": 40.0, "五": 50.0, "六": 60.0, "七": 70.0, "八": 80.0, "九": 90.0}


def find_shares(text: str, start: int, end: int) -> list[tuple[int, int, float]]:
    """Percentages and shares said in words ("a quarter", 三分之一) in a span, as (start, end, percent)."""
    out = find_percents(text, start, end)
    for m in _SHARE_WORDS.finditer(text, start, end):
        value = _ZH_TENTHS[m.group("zc")] if m.lastgroup == "zc" else _SHARE_VALUES[m.lastgroup]  # type: ignore[index]
        out.append((m.start(), m.end(), value))  # 四成: four tenths
    return sorted(out)


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
