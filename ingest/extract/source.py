"""Stage 0, the source: a document prepared for the rules (see ``types.Source``).

The rules read simplified script, so traditional text is converted first, character for
character where a phrase would change the length: spans then index the original too. The day
relative dates count from is fixed here, once, and the dateline that states it is blanked (same
length), so it is not read again as the date of an event.
"""

from __future__ import annotations

from graph.model.records import Document
from ingest.extract.matcher import fold
from ingest.extract.script import to_simplified
from ingest.extract.types import Source
from ingest.extract.values import dateline_span, reference_date
from ingest.readers import detect_language

__all__ = ["read_source"]


def read_source(document: Document) -> Source:
    """The document's text as every later stage reads it, with its language and reference day."""
    # rules read the simplified-script text; it has the original's length, so every span
    # indexes both, and evidence quotes are cut from the original (build.EvidenceMaker)
    text = to_simplified(document.text)
    reference = reference_date(text, document.published)
    dateline = dateline_span(text)
    if dateline is not None:  # "WASHINGTON, Jan 23 - ": the day reported on, no event; blanked, same length
        text = text[: dateline[0]] + " " * (dateline[1] - dateline[0]) + text[dateline[1] :]
    language = rules_language(document.language) or detect_language(text)
    return Source(document, text, fold(text), language, reference)


def rules_language(tag: str | None) -> str | None:
    """The language the rules are chosen by: a tag's primary subtag ("zh-Hant", "zh-TW" and
    "zh-HK" read as "zh", since the text is converted to simplified script first; "en-GB" as "en")."""
    return tag.split("-", 1)[0].split("_", 1)[0].lower() or None if tag else None
