"""Extraction: text in, assertions with evidence out.

An extractor reads one :class:`~graph.model.Document` and returns a :class:`~graph.model.Batch`
holding that document, the entities it names and the relations it states, every one citing the
span it was read from. The rule extractor (lexicon + trigger patterns) is the default; an LLM
extractor can implement the same Protocol and be swapped in by the pipeline.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol, runtime_checkable

from graph.model.records import Batch, Document

__all__ = ["Extractor", "default_extractor"]


@runtime_checkable
class Extractor(Protocol):
    """Anything that turns one document into one batch of facts with evidence."""

    name: str

    def extract(self, document: Document) -> Batch: ...


@cache
def default_extractor() -> Extractor:
    """The rule extractor over the bundled lexicon, compiled once per process.

    The lexicon and automata are tens of thousands of objects that live as long as the process;
    they are moved out of the cyclic collector's sight (``gc.freeze``), which otherwise walks them
    on every full collection — a sixth of extraction time on a busy ingest."""
    import gc

    from ingest.extract.rules import RuleExtractor
    from ingest.lexicon import default_lexicon

    extractor = RuleExtractor(default_lexicon())
    gc.collect()
    gc.freeze()
    return extractor
