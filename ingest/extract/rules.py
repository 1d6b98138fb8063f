"""The rule extractor: named stages, each handing one data type to the next.

| stage | module | reads | hands on |
| --- | --- | --- | --- |
| source | ``source.py`` | ``Document`` | ``Source`` |
| mentions | ``mentions.py`` (open vocabulary: ``names.py``) | ``Source`` | ``Mentions`` |
| sentences | ``sentences.py`` | ``Source``, ``Mentions`` | ``list[Sentence]`` |
| measure mentions | ``measure_mentions.py`` (``measure_parties.py``, ``measure_goods.py``, ``measure_attributes.py``) | sentences | ``list[MeasureMention]`` |
| measure drafts | ``measure_drafts.py`` | measure mentions | ``list[MeasureDraft]`` |
| relations | ``relations/`` (one module per family of relations) | sentences, drafts | ``Relations`` |
| batch | ``batch.py`` (model objects: ``build.py``) | drafts, ``Relations`` | ``Batch`` |

The types are in ``types.py``. Every fact cites the sentence it was read from (an entity cites
the words that name it), with the rule that produced it as ``extractor``
(``rule:zh.export_control.trigger``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from graph.model.records import Batch, Document
from ingest.extract.batch import build_batch
from ingest.extract.matcher import lookbehind
from ingest.extract.measure_drafts import fold_mentions
from ingest.extract.measure_mentions import MentionFinder, find_measure_mentions
from ingest.extract.mentions import MentionReader
from ingest.extract.relations import RelationRules, relate
from ingest.extract.sentences import SentenceReader
from ingest.extract.source import read_source
from ingest.lexicon import Lexicon

__all__ = ["RuleExtractor"]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while one document is read.

    Reading a document makes a few thousand small objects that all stay alive until the Batch is
    built, so every collection the allocations trigger walks them and finds nothing to free:
    about a tenth of extraction time. Memory is not at stake (almost all of it is freed by
    reference counting when the call returns; the few cycles go at the next collection).
    The collector is left as it was found: a caller that turned it off keeps it off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class RuleExtractor:
    """Deterministic, offline extraction driven by a :class:`~ingest.lexicon.Lexicon`.

    Built once per lexicon: each stage compiles what it needs (automata, word lists) here."""

    name = "rules"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.mentions = MentionReader(lexicon)
        self.sentences = SentenceReader(lexicon)
        # words marking a name as aimed at (对, "on") or as a place (在, "in"): asked by the
        # imposer and target rules and by the relation rules
        self.target_words = lookbehind(lexicon.cue_words("target"))
        self.location_words = lookbehind(lexicon.cue_words("location"))
        self.finder = MentionFinder(lexicon, self.target_words, self.location_words)
        self.relations = RelationRules(lexicon, self.location_words)

    def extract(self, document: Document) -> Batch:
        """Read ``document.text`` (the normalised text every span indexes into) into a Batch."""
        with _collector_paused():
            return self._extract(document)

    def _extract(self, document: Document) -> Batch:
        source = read_source(document)
        names = self.mentions.find(source)
        # names the text introduced live in the lexicon for this document only
        with self.lex.document_entries(names.found.entries):
            sentences = self.sentences.read(source, names)
            measure_mentions = find_measure_mentions(self.finder, source.text, sentences, source.reference)
            drafts = fold_mentions(self.lex, measure_mentions)
            relations = relate(self.relations, source.text, sentences, drafts, measure_mentions, source.reference, names.found)
            batch = build_batch(self.lex, document, source.text, source.reference, drafts, relations)
        for mm in measure_mentions:  # a mention and its draft point at each other: let go, so that
            mm.measure = None  # the document's working objects are freed on return, not by the collector
        return batch
