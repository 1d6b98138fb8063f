"""The model refuses what breaks it, naming the field."""

import pytest

from bench.harness.paths import ROOT, SEEDS
from graph.model.errors import InvalidDataError
from graph.model.records import Document, Entity, Evidence, Relation, parse


def ev(text="中国限制稀土出口", quote="稀土"):
    doc = Document(text=text)
    start = doc.text.index(quote)
    return Evidence(document_id=doc.id, quote=quote, start=start, end=start + len(quote))


def test_valid_entity_gets_its_type_from_the_id():
    entity = parse(Entity, {"id": "commodity:rare-earths", "names": {"zh": "稀土", "en": "rare earths"}})
    assert entity.type == "Commodity"
    assert entity.name == "rare earths"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"id": "firm:Boeing", "names": {"en": "Boeing"}}, "id", "lower-case"),
        ({"id": "country:XX", "names": {"en": "X"}}, "id", "ISO 3166"),
        ({"id": "planet:mars", "names": {"en": "Mars"}}, "id", "prefix"),
        ({"id": "firm:boeing", "type": "Country", "names": {"en": "Boeing"}}, None, "prefix of Firm"),
        ({"id": "firm:boeing", "names": {}}, "names", "at least 1"),
        ({"id": "measure:x", "names": {"en": "x"}}, None, "measure attributes"),
    ],
)
def test_invalid_entities_name_the_problem(data, field, words):
    with pytest.raises(InvalidDataError) as info:
        parse(Entity, data, file="facts.yaml", line=7)
    assert info.value.file == "facts.yaml" and info.value.line == 7
    if field:
        assert info.value.field == field
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"source": "product:f-35", "type": "DEPENDS_ON", "target": "commodity:x", "share": 1.5}, "share", "less than or equal to 1"),
        ({"source": "product:f-35", "type": "DEPENDS_ON", "target": "commodity:x", "share": float("nan")}, "share", "finite"),
        ({"source": "product:f-35", "type": "EXPORTS", "target": "commodity:x"}, "type", "Input should be"),
        ({"source": "country:CN", "type": "COVERS", "target": "commodity:x"}, None, "cannot start at a Country"),
        ({"source": "measure:m", "type": "TARGETS", "target": "commodity:x"}, None, "cannot end at a Commodity"),
        ({"source": "country:CN", "type": "SUPPLIES", "target": "commodity:x", "origin": "country:US"}, None, "carries no origin"),
        ({"source": "product:a", "type": "DEPENDS_ON", "target": "commodity:x", "origin": "firm:b"}, "origin", "not a country"),
        ({"source": "country:CN", "type": "IMPOSES", "target": "measure:m", "valid_from": "2025-13-40"}, "valid_from", "date"),
    ],
)
def test_invalid_relations_name_the_problem(data, field, words):
    with pytest.raises(InvalidDataError) as info:
        parse(Relation, data)
    if field:
        assert info.value.field == field
    assert words.lower() in str(info.value).lower()


def test_evidence_span_must_fit_the_quote():
    with pytest.raises(InvalidDataError, match="span"):
        parse(Evidence, {"document_id": "doc:0123456789abcdef", "quote": "稀土", "start": 0, "end": 5})


def test_document_id_comes_from_the_normalised_text():
    assert Document(text="稀土\r\n出口 ").id == Document(text="稀土\n出口").id
    assert Document(text="稀土").id != Document(text="稀土出口").id
    with pytest.raises(ValueError, match="does not match"):
        Document(id="doc:0000000000000000", text="稀土")


def test_merging_the_same_reading_twice_changes_nothing():
    entity = Entity(id="commodity:rare-earths", names={"zh": "稀土"}, evidence=[ev()])
    assert entity.merged(entity) == entity
    other = Entity(id="commodity:rare-earths", names={"en": "rare earths"}, aliases=["REE"], evidence=[ev(quote="出口")])
    merged = entity.merged(other)
    assert merged.names == {"zh": "稀土", "en": "rare earths"}
    assert merged.aliases == ["REE"]
    assert len(merged.evidence) == 2
    assert merged.merged(other) == merged


def test_units_have_one_spelling_whoever_states_them() -> None:
    """Curated facts said "%" and the extractor "percent": both are stored as "%" now."""
    from graph.model.records import MeasureAttributes

    for unit in ("%", "percent", "per cent", " Pct ", "％"):
        assert MeasureAttributes(measure_type="tariff", status="announced", rate=25, unit=unit).unit == "%"
    assert MeasureAttributes(measure_type="tariff", status="announced", amount=5e9, unit="us$").unit == "USD"
    assert MeasureAttributes(measure_type="tariff", status="announced", unit="tonnes").unit == "tonnes"


def test_extracted_and_curated_rates_share_the_unit() -> None:

    from ingest.extract import default_extractor
    from ingest.readers import read_document
    from ingest.structured import load_facts

    seed = ROOT / "tests" / "eval" / "seed_000.md"
    extracted = {e.measure.unit for e in default_extractor().extract(read_document(seed)).entities if e.measure and e.measure.rate}
    facts = SEEDS / "facts.yaml"
    curated = {e.measure.unit for b in [load_facts(facts)] for e in b.entities if e.measure and e.measure.rate}
    assert extracted == curated == {"%"}
