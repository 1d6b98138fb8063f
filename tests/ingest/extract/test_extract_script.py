"""Traditional Chinese read like simplified, with evidence on the original text."""

from __future__ import annotations

from ingest.extract import default_extractor
from ingest.extract.script import is_traditional, to_simplified
from ingest.readers import read_text

_SIMPLIFIED = "2019年5月15日，美国商务部宣布将华为列入实体清单。中国商务部表示坚决反对美国的这一决定。"
_TRADITIONAL = "2019年5月15日，美國商務部宣佈將華為列入實體清單。中國商務部表示堅決反對美國的這一決定。"


def _triples(text: str) -> set[tuple[str, str, str]]:
    batch = default_extractor().extract(read_text(text, language="zh"))
    return {(r.source, r.type.value, r.target) for r in batch.relations}


def test_conversion_keeps_length_and_detects_script() -> None:
    assert to_simplified(_TRADITIONAL) == _SIMPLIFIED.replace("宣布", "宣布")
    assert len(to_simplified(_TRADITIONAL * 20)) == len(_TRADITIONAL * 20)
    assert is_traditional(_TRADITIONAL) and not is_traditional(_SIMPLIFIED)
    assert to_simplified("tariffs on steel") == "tariffs on steel"


def test_traditional_text_yields_what_simplified_yields() -> None:
    simplified = _triples(_SIMPLIFIED)
    assert ("org:us-commerce", "IMPOSES", next(t for t in simplified if t[1] == "IMPOSES")[2]) in simplified
    assert _triples(_TRADITIONAL) == simplified


def test_evidence_quotes_the_original_script() -> None:
    document = read_text(_TRADITIONAL, language="zh")
    batch = default_extractor().extract(document)
    quotes = [ev.quote for r in batch.relations for ev in r.evidence]
    assert quotes and all(q == document.text[ev.start : ev.end] for r in batch.relations for ev in r.evidence for q in [ev.quote])
    assert any("美國商務部" in q for q in quotes)
