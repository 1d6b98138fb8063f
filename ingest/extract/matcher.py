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
from dataclasses import dataclass

from ingest.lexicon import Lexicon, Term

try:  # optional accelerator
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised only where the wheel is missing
    ahocorasick_rs = None

__all__ = ["Hit", "TermMatcher", "fold"]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Lower-case ASCII letters only, so the folded text has exactly the original's length."""
    return text.translate(_ASCII_LOWER)


@dataclass(frozen=True, slots=True)
class Hit:
    """A term found in the text: its span and what it means."""

    start: int
    end: int
    kind: str
    value: str
    lang: str
    surface: str


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


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
        self._automaton = _automaton(self._patterns) if self._patterns else None

    def find(self, text: str, folded_text: str) -> list[Hit]:
        """Every hit in ``text`` (whose fold is ``folded_text``), in order of position."""
        if self._automaton is None:
            return []
        hits: list[Hit] = []
        n = len(text)
        for index, start, end in self._automaton.find_matches_as_indexes(folded_text):
            pattern = self._patterns[index]
            if _is_word_char(pattern[0]) and start > 0 and _is_word_char(text[start - 1]):
                continue
            if _is_word_char(pattern[-1]) and end < n and _is_word_char(text[end]):
                continue
            original = text[start:end]
            for term in self._meanings[index]:
                if term.case_sensitive and original != term.surface:
                    continue
                hits.append(Hit(start, end, term.kind, term.value, term.lang, original))
        return hits


def pattern_hits(lexicon: Lexicon, text: str) -> list[Hit]:
    """Hits of the lexicon's regular-expression cues (phrases that come apart, like 暂停…采购)."""
    hits = []
    for term, regex in lexicon.patterns:
        for m in regex.finditer(text):
            hits.append(Hit(m.start(), m.end(), term.kind, term.value, term.lang, m.group(0)))
    return hits


def lookbehind(words: list[str]) -> re.Pattern[str]:
    """A regex that matches when a text ends with one of ``words`` (plus spaces, and for an
    English word an article: "on the United States")."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|(?<=[^A-Za-z]))(?:{alternatives})(?:\s+(?:the|its|their))?\s*$", re.I)
