"""The facts loader: seeds load whole, and every error names file, line and field."""

import json
from pathlib import Path

import pytest

from graph.model.errors import InvalidDataError
from ingest.structured import load_facts

ARTICLE = "中国对镓实施出口管制。Acme 依赖中国的镓。"


def write(tmp_path: Path, name: str, body: str) -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


GOOD_YAML = """\
documents:
  a: {path: a.txt, language: zh}
entities:
  - {id: "country:CN", names: {zh: 中国}, quote: 中国}
  - {id: "commodity:gallium", names: {zh: 镓}, quote: 镓}
relations:
  - {source: "country:CN", type: SUPPLIES, target: "commodity:gallium", quote: 中国对镓}
"""


def test_seed_facts_cover_the_article(seed_batch):
    ids = {e.id for e in seed_batch.entities}
    for expected in ("measure:cn-2025-10-09-rare-earth-export-controls", "product:f-35", "product:aegis-radar", "org:meti", "firm:bosch"):
        assert expected in ids
    article = next(d for d in seed_batch.documents if d.language == "zh")
    for item in (*seed_batch.entities, *seed_batch.relations):
        for evidence in item.evidence:
            if evidence.document_id == article.id:
                assert article.text[evidence.start : evidence.end] == evidence.quote


def test_a_good_file_loads_with_spans_resolved(tmp_path):
    batch = load_facts(write(tmp_path, "f.yaml", GOOD_YAML))
    relation = batch.relations[0]
    assert relation.evidence[0].quote == "中国对镓"
    assert (relation.evidence[0].start, relation.evidence[0].end) == (0, 4)


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        (GOOD_YAML.replace("quote: 中国对镓", "quote: 美国对镓"), 7, "relations[0].quote", "is not in the document"),
        (GOOD_YAML.replace("type: SUPPLIES", "type: SELLS"), 7, "type", "Input should be"),
        (GOOD_YAML.replace('"commodity:gallium", names', '"commodity:Gallium", names'), 5, "id", "lower-case"),
        (GOOD_YAML.replace("quote: 中国对镓}", "quote: 中国对镓, share: 1.5}"), 7, "share", "less than or equal to 1"),
        (GOOD_YAML.replace("{zh: 中国}, quote", "{zh: 中国}, colour: red, quote"), 4, "colour", "Extra inputs"),
        (GOOD_YAML.replace("path: a.txt", "path: missing.txt"), None, None, "cannot read"),
        (GOOD_YAML + "  - {source: &x 'country:CN', type: SUPPLIES, target: *x, quote: 中国}\n", 8, None, "aliases"),
        (GOOD_YAML + "  - !!python/object:os.system {}\n", None, None, "invalid YAML"),
        ("documents: [\n", 2, None, "invalid YAML"),
    ],
)
def test_bad_yaml_names_file_line_and_field(tmp_path, body, line, field, words):
    path = write(tmp_path, "f.yaml", body)
    with pytest.raises(InvalidDataError) as info:
        load_facts(path)
    error = info.value
    assert error.file.endswith((".yaml", ".txt"))
    if line is not None:
        assert error.line == line, str(error)
    if field is not None:
        assert error.field == field, str(error)
    assert words in str(error)


def test_json_facts_load_and_errors_carry_lines(tmp_path):
    data = {
        "documents": {"a": {"path": "a.txt"}},
        "entities": [{"id": "country:CN", "names": {"zh": "中国"}, "quote": "中国"}],
        "relations": [],
    }
    assert len(load_facts(write(tmp_path, "f.json", json.dumps(data))).entities) == 1
    data["entities"][0]["id"] = "country:ZZ"
    with pytest.raises(InvalidDataError) as info:
        load_facts(write(tmp_path, "g.json", json.dumps(data, indent=2)))
    assert info.value.line is not None and info.value.field == "id"
    with pytest.raises(InvalidDataError) as info:
        load_facts(write(tmp_path, "h.json", '{"documents": {'))
    assert info.value.line == 1 and "invalid JSON" in str(info.value)


def test_csv_facts_load_and_errors_carry_lines(tmp_path):
    write(tmp_path, "unused", "")
    entities = "id,name_en,name_zh,aliases,document,quote\ncountry:CN,China,中国,PRC;中方,a.txt,中国\ncommodity:gallium,gallium,镓,,a.txt,镓\n"
    batch = load_facts(write(tmp_path, "e.csv", entities))
    assert batch.entities[0].aliases == ["PRC", "中方"]
    relations = "source,type,target,share,document,quote\ncountry:CN,SUPPLIES,commodity:gallium,0.98,a.txt,中国对镓\ncountry:CN,SUPPLIES,commodity:gallium,lots,a.txt,中国\n"
    with pytest.raises(InvalidDataError) as info:
        load_facts(write(tmp_path, "r.csv", relations))
    assert info.value.line == 3 and info.value.field == "share"


@pytest.mark.parametrize(
    ("name", "raw", "words"),
    [("b.yaml", b"\x00\x01binary", "binary"), ("u.yaml", b"documents: \xff\xfe", "UTF-8"), ("x.toml", b"a=1", "facts files end in")],
)
def test_unreadable_files_are_refused(tmp_path, name, raw, words):
    path = tmp_path / name
    path.write_bytes(raw)
    with pytest.raises(InvalidDataError, match=words):
        load_facts(path)


LIFECYCLE_YAML = """\
documents:
  a: {path: a.txt, language: zh}
entities:
  - id: "measure:cn-gallium-controls"
    names: {zh: 镓出口管制}
    measure:
      measure_type: export_control
      status: in_force
      events:
        - {stage: announced, date: 2023-07-03, quote: 实施出口管制}
        - {stage: in_force, date: 2023-08-01}
    quote: 对镓实施出口管制
"""


def test_measure_events_cite_their_own_quotes_or_the_measures(tmp_path):
    (measure,) = load_facts(write(tmp_path, "f.yaml", LIFECYCLE_YAML)).entities
    announced, in_force = measure.measure.events
    assert (announced.stage, announced.evidence.quote, announced.evidence.start) == ("announced", "实施出口管制", ARTICLE.index("实施出口管制"))
    assert in_force.evidence == measure.evidence[0]  # no quote of its own: the measure's words
    assert measure.measure.announced is None  # events are the lifecycle; the stated dates stay as given


def test_a_bad_event_quote_names_its_line_and_field(tmp_path):
    with pytest.raises(InvalidDataError) as caught:
        load_facts(write(tmp_path, "f.yaml", LIFECYCLE_YAML.replace("quote: 实施出口管制}", "quote: 取消出口管制}")))
    assert caught.value.field == "entities[0].measure.events[0].quote"
    assert caught.value.line == 4
