"""Dictionary matching: every lexicon name and cue word found in one pass each, longest first.

Matching runs over an ASCII-lower-cased copy of the text (same length, so spans carry over) with
an Aho-Corasick automaton in leftmost-longest mode: at any position the longest term wins, so
"中方案" (a blocker) hides "中方" and "NdFeB magnets" hides "magnets". A Latin-script hit must
start and end at a word boundary, and a case-sensitive term ("US", "China") must match the
original case. Blocker hits are dropped after they have done their job of hiding shorter names.

``ahocorasick_rs`` is used when installed (about 80 MB/s on Chinese text); otherwise a pure
Python leftmost-longest scanner gives the same hits, only slower.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

from ingest.lexicon import Lexicon, Term

try:  # optional accelerator
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    ahocorasick_rs = None

__all__ = ["Hit", "TermMatcher", "Lookbehind", "ends_with", "fold", "lookbehind"]

_UPPER_RUN = re.compile(r"[A-Z]+")


def _lower(m: re.Match[str]) -> str:
    return m.group(0).lower()


def fold(text: str) -> str:
    """Lower-case ASCII letters only, so the folded text has exactly the original's length."""
    if text.isascii():
        return text.lower()
    return _UPPER_RUN.sub(_lower, text)


class Hit(NamedTuple):
    """A term found in the text: its span and what it means (a tuple: made by the thousand)."""

    start: int
    end: int
    kind: str
    value: str
    lang: str
    surface: str


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


_WORD_CHARS = frozenset(string.ascii_letters + string.digits)  # the characters _is_word_char accepts
_new_tuple = tuple.__new__  # builds a NamedTuple in C, without its Python-level __new__


class _PythonScanner:
    """Leftmost-longest matching without the Rust automaton."""

    def __init__(self, patterns: list[str]) -> None:
        self._by_first: dict[str, list[tuple[str, int]]] = {}
        for index, pattern in enumerate(patterns):
            self._by_first.setdefault(pattern[0], []).append((pattern, index))
        for items in self._by_first.values():
            items.sort(key=lambda item: -len(item[0]))

    def find_matches_as_indexes(self, text: str) -> list[tuple[int, int, int]]:
        out = []
        i, n = 0, len(text)
        by_first = self._by_first
        while i < n:
            candidates = by_first.get(text[i])
            if candidates:
                for pattern, index in candidates:
                    if text.startswith(pattern, i):
                        out.append((index, i, i + len(pattern)))
                        i += len(pattern)
                        break
                else:
                    i += 1
            else:
                i += 1
        return out


def _automaton(patterns: list[str]):  # noqa: ANN202 - either automaton type
    if ahocorasick_rs is not None:
        return ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return _PythonScanner(patterns)


class TermMatcher:
    """A compiled automaton over a set of folded terms, each with its possible meanings."""

    def __init__(self, terms: dict[str, list[Term]]) -> None:
        folded: dict[str, list[Term]] = {}
        for key, meanings in terms.items():
            folded.setdefault(fold(key), []).extend(meanings)
        self._patterns = sorted(folded)
        self._meanings = [folded[p] for p in self._patterns]
        # per pattern: must it sit at a word boundary on the left / right, and its meanings as
        # (kind, value, lang, surface-or-None) where a surface means "only in this exact case"
        self._left = [_is_word_char(p[0]) for p in self._patterns]
        self._right = [_is_word_char(p[-1]) for p in self._patterns]
        self._plain = [
            tuple((t.kind, t.value, t.lang, t.surface if t.case_sensitive else None) for t in meanings) for meanings in self._meanings
        ]
        self._automaton = _automaton(self._patterns) if self._patterns else None

    def find(self, text: str, folded_text: str) -> list[Hit]:
        """Every hit in ``text`` (whose fold is ``folded_text``), in order of position."""
        if self._automaton is None:
            return []
        hits: list[Hit] = []
        n = len(text)
        left, right, plain, word = self._left, self._right, self._plain, _WORD_CHARS
        append = hits.append
        for index, start, end in self._automaton.find_matches_as_indexes(folded_text):
            meanings = plain[index]
            if not meanings:  # a term kept only to hide shorter ones
                continue
            if left[index] and start > 0 and text[start - 1] in word:
                continue
            if right[index] and end < n and text[end] in word:
                continue
            original = text[start:end]
            for kind, value, lang, exact in meanings:
                if exact is not None and original != exact:
                    continue
                append(_new_tuple(Hit, (start, end, kind, value, lang, original)))
        return hits


def gated_patterns(lexicon: Lexicon) -> list[tuple[Term, re.Pattern[str], tuple[str, ...], str | None]]:
    """The lexicon's regex cues with the literals a text needs for each to match, worked out
    once per lexicon (kept on it) so that most patterns are never run on a text that lacks them."""
    gated = lexicon.__dict__.get("_gated")
    if gated is None or len(gated) != len(lexicon.patterns):
        gated = lexicon.__dict__["_gated"] = [(t, r, *required_literals(r)) for t, r in lexicon.patterns]
    return gated


def required_literals(regex: re.Pattern[str]) -> tuple[tuple[str, ...], str | None]:
    """What a text must contain for ``regex`` to match it: one of its leading words, and its
    longest fixed run of characters, both lower-cased; empty/None where they cannot be told.

    Used to skip a pattern in one ``in`` test instead of a scan (most texts match none)."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    try:
        items = list(sre_parse.parse(regex.pattern, regex.flags))
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply always run
        return (), None

    def literal_prefix(seq) -> str | None:  # noqa: ANN001
        out = []
        for op, arg in seq:
            if op is sre_parse.LITERAL:
                out.append(chr(arg))
            else:
                break
        return "".join(out) or None

    heads: tuple[str, ...] = ()
    if items:
        op, arg = items[0]
        if op is sre_parse.LITERAL:
            heads = (literal_prefix(items) or "",)
        elif op is sre_parse.SUBPATTERN:
            inner = list(arg[-1])
            if len(inner) == 1 and inner[0][0] is sre_parse.BRANCH:
                prefixes = [literal_prefix(list(branch)) for branch in inner[0][1][1]]
                heads = tuple(p for p in prefixes if p) if all(prefixes) else ()
            elif inner and inner[0][0] is sre_parse.LITERAL:
                heads = (literal_prefix(inner) or "",)
    runs, current = [], []
    for op, arg in items:
        if op is sre_parse.LITERAL:
            current.append(chr(arg))
        else:
            runs.append("".join(current))
            current = []
    runs.append("".join(current))
    longest = max(runs, key=len)
    return tuple(h.lower() for h in heads if h), (longest.lower() if len(longest) >= 2 else None)


def pattern_hits(lexicon: Lexicon, text: str, folded: str | None = None) -> list[Hit]:
    """Hits of the lexicon's regular-expression cues (phrases that come apart, like 暂停…采购)."""
    hits = []
    folded = fold(text) if folded is None else folded
    for term, regex, heads, must in gated_patterns(lexicon):
        if must is not None and must not in folded:
            continue
        if heads and not any(h in folded for h in heads):
            continue
        for m in regex.finditer(text):
            hits.append(Hit(m.start(), m.end(), term.kind, term.value, term.lang, m.group(0)))
    return hits


class Lookbehind:
    """Whether a text ends with one of some words (plus spaces, and for an English word an
    article: "on the United States"); ``search`` answers as the regex does.

    Asked of the few characters before every name, mostly Chinese: a text ending in a Chinese
    character that ends none of the words cannot match (such characters have no case, and no
    space or article can follow them), so that answer needs no regex run."""

    def __init__(self, words: list[str]) -> None:
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        self.regex = re.compile(rf"(?:^|(?<=[^A-Za-z]))(?:{alternatives})(?:\s+(?:the|its|their))?\s*$", re.I)
        self.pattern = self.regex.pattern
        self._last = frozenset(w[-1] for w in words) if all(words) else None

    def search(self, text: str) -> re.Match[str] | None:
        if text and self._last is not None and "\u4e00" <= text[-1] <= "\u9fff" and text[-1] not in self._last:
            return None
        return self.regex.search(text)


def lookbehind(words: list[str]) -> Lookbehind:
    """A :class:`Lookbehind` over ``words``."""
    return Lookbehind(words)


def ends_with(pattern: re.Pattern[str] | Lookbehind, text: str, position: int, window: int = 12) -> bool:
    """Whether the ``window`` characters before ``position`` end as ``pattern`` says (its ``$``
    anchored there): the words just before a name or a date, asked of a short slice."""
    return bool(pattern.search(text[max(0, position - window) : position]))
