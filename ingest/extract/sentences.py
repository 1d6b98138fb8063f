"""Stage 2, sentences: the document cut into sentences, each with its names and cue words.

Cue words (measure triggers, statuses, dependency, stance, talks and retaliation words) come from
one automaton pass plus the lexicon's gated patterns; a cue inside a longer name is no cue (the
"ban" in a firm's name). Then names and cues are bucketed by sentence, so that every later rule
works on a sentence's short lists, never on the whole document.
"""

from __future__ import annotations

import bisect
import re

from ingest.extract.matcher import Hit, TermMatcher, pattern_hits
from ingest.extract.text import Span, clauses_of
from ingest.extract.text import sentences as split_sentences
from ingest.extract.types import Mention, Mentions, Sentence, Source
from ingest.lexicon import Lexicon

__all__ = ["SentenceReader", "bucket"]

_RETALIATORY = re.compile(r"retaliat|counter-?tariff|countermeasure|报复|反制", re.I)


class SentenceReader:
    """Finds the cue words and cuts the sentences; built once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.cues = TermMatcher(
            {k: [t for t in v if not (t.kind == "cue" and t.value in {"location", "target"})] for k, v in lexicon.cue_terms.items()}
        )

    def read(self, source: Source, names: Mentions) -> list[Sentence]:
        """The document's sentences in order, each holding the names and cues inside it."""
        text, language = source.text, source.language
        cue_hits = self._cue_hits(text, source.folded, names.spans)
        return bucket(text, split_sentences(text, language), language, names.mentions, cue_hits)

    def _cue_hits(self, text: str, folded: str, name_spans: list[tuple[int, int]]) -> list[Hit]:
        """Every cue hit outside names (a cue that is a whole name, such as a list name, stays)."""
        hits = self.cues.find(text, folded) + pattern_hits(self.lex, text, folded)
        # "retaliatory tariffs", "报复性关税": the trigger says it answers something; a cue of no
        # width at its start lets the retaliation rule see the measure after it
        hits += [Hit(h.start, h.start, "cue", "retaliation", h.lang, "") for h in hits if h.kind == "measure" and _RETALIATORY.search(h.surface)]
        if not name_spans:
            return hits
        starts = [s for s, _ in name_spans]  # name hits never overlap, so one bisect finds the container
        kept = []
        for h in hits:
            i = bisect.bisect_right(starts, h.start) - 1
            if i >= 0:
                s, e = name_spans[i]
                if s <= h.start and h.end <= e and (s, e) != (h.start, h.end):
                    continue
            kept.append(h)
        return kept


def bucket(
    text: str,
    spans: list[Span],
    language: str | None,
    mentions: list[Mention],
    cues: list[Hit],
) -> list[Sentence]:
    """Sentences with the mentions and cues that fall inside each."""
    parts = clauses_of(text, spans, language)
    sentences = [Sentence(i, span, language, clause_spans=parts[i]) for i, span in enumerate(spans)]
    starts = [s for s, _ in spans]
    ends = [e for _, e in spans]
    where = bisect.bisect_right  # the sentence holding a position: the last one starting at or before it
    for m in mentions:
        i = where(starts, m.start) - 1
        if i >= 0 and m.start < ends[i] and m.end <= ends[i]:
            sentences[i].mentions.append(m)
    # one stable sort of all cues puts every sentence's cues in (start, longest first) order,
    # ties in the order found, as sorting each sentence's own list would
    for h in sorted(cues, key=_cue_order):
        i = where(starts, h.start) - 1
        if i >= 0 and h.start < ends[i]:
            sentences[i].cues.append(h)
    for s in sentences:
        s.index_cues()
    return sentences


def _cue_order(h: Hit) -> tuple[int, int]:
    return (h.start, -h.end)
