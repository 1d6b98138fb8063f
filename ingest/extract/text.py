"""Sentences and clauses: the spans every rule works within.

Chinese news separates sentences with 。！？； and clauses with commas (often ASCII ones in
copied text); English with . ! ? — except after abbreviations such as "U.S." or "No.". A newline
always ends a sentence, so headlines never run into the body.
"""

from __future__ import annotations

import bisect
import re

__all__ = ["Span", "sentences", "clauses", "clauses_of"]

Span = tuple[int, int]

_ZH_END = re.compile(r"[。！？；!?;\n]+")
_EN_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9\u4e00-\u9fff])|\n+|(?<=[。！？；])")
_ABBREV = re.compile(
    r"(?:\b(?:U\.S|U\.K|E\.U|No|Nos|Mr|Mrs|Ms|Dr|Gen|Sen|Rep|St|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx)"
    r"|\b[A-Z])\.$"
)
_ZH_CLAUSE = re.compile(r"[，,：:—]+")


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def sentences(text: str, language: str | None) -> list[Span]:
    """Sentence spans of ``text``; Chinese rules for zh/ja, English rules otherwise."""
    spans: list[Span] = []
    start = 0
    if language in {"zh", "ja"}:
        for m in _ZH_END.finditer(text):
            span = _trimmed(text, start, m.start() + (1 if text[m.start()] not in "\n" else 0))
            if span:
                spans.append(span)
            start = m.end()
    else:
        for m in _EN_END.finditer(text):
            if m.group(0).strip() == "" and _ABBREV.search(text[max(0, m.start() - 6) : m.start()]) and "\n" not in m.group(0):
                continue
            span = _trimmed(text, start, m.start())
            if span:
                spans.append(span)
            start = m.end()
    tail = _trimmed(text, start, len(text))
    if tail:
        spans.append(tail)
    return spans


def clauses(text: str, sentence: Span, language: str | None) -> list[Span]:
    """Clause spans inside a Chinese sentence (comma-separated); an English sentence is one clause."""
    start, end = sentence
    if language not in {"zh", "ja"}:
        return [sentence]
    out: list[Span] = []
    pos = start
    for m in _ZH_CLAUSE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out or [sentence]


def clauses_of(text: str, spans: list[Span], language: str | None) -> list[list[Span]]:
    """``clauses(text, span, language)`` for every span, from one scan of the whole text.

    The separators are found once and handed out to the sentences by position; a sentence that
    a run of separators crosses into or out of (never one from :func:`sentences`, whose edges are
    sentence ends or spaces) is read on its own, so the answer is always the same."""
    if language not in {"zh", "ja"}:
        return [[span] for span in spans]
    runs = [m.span() for m in _ZH_CLAUSE.finditer(text)]
    starts = [s for s, _ in runs]
    out: list[list[Span]] = []
    for span in spans:
        start, end = span
        i = bisect.bisect_left(starts, start)
        if i > 0 and runs[i - 1][1] > start:
            out.append(clauses(text, span, language))
            continue
        pieces: list[Span] = []
        pos = start
        while i < len(runs) and runs[i][0] < end:
            run_start, run_end = runs[i]
            if run_end > end:
                break
            if run_start > pos:
                pieces.append((pos, run_start))
            pos = run_end
            i += 1
        else:
            if pos < end:
                pieces.append((pos, end))
            out.append(pieces or [span])
            continue
        out.append(clauses(text, span, language))
    return out
