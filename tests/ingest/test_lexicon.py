"""The lexicon loads whole or fails naming the file and key of the first problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.model.errors import InvalidDataError
from ingest.lexicon import LEXICON_DIR, default_lexicon, load_lexicon


def test_bundled_lexicon_has_the_seed_ids() -> None:
    lex = default_lexicon()
    for entity_id in [
        "country:CN", "country:US", "country:GB", "country:FR", "country:JP", "country:DE", "country:MY",
        "org:g7", "org:mofcom", "org:gacc", "org:us-treasury", "org:meti", "org:white-house",
        "person:scott-bessent", "person:jamieson-greer", "person:donald-trump",
        "firm:boeing", "firm:synopsys", "firm:cadence", "firm:siemens", "firm:bosch",
        "commodity:rare-earths", "commodity:rare-earth-ore", "commodity:rare-earth-separation-technology",
        "commodity:rare-earth-production-equipment", "commodity:medium-heavy-rare-earths", "commodity:dysprosium",
        "commodity:neodymium", "commodity:ndfeb-magnets", "commodity:soybeans", "commodity:eda-software",
        "commodity:chips", "commodity:aircraft-engines", "commodity:aircraft-parts", "commodity:software",
        "product:f-35", "product:aegis-radar", "product:c919", "product:boeing-737-max", "product:boeing-787",
    ]:
        assert lex.entry(entity_id) is not None, entity_id


def test_countries_come_from_pycountry_with_chinese_names() -> None:
    lex = default_lexicon()
    assert lex.entry("country:CN").entity.names == {"en": "China", "zh": "中国"}
    assert lex.entry("country:FR").entity.names["zh"] == "法国"
    assert "中方" in lex.entry("country:CN").entity.aliases
    assert lex.entry("country:ZA") is not None  # every ISO country, not a hand-kept list


def test_taxonomy_and_homes_are_data() -> None:
    lex = default_lexicon()
    assert "commodity:rare-earths" in lex.entry("commodity:dysprosium").is_a
    assert "commodity:neodymium" in lex.entry("commodity:ndfeb-magnets").made_from
    assert lex.entry("firm:siemens").country == "country:DE"
    assert lex.entry("org:meti").country == "country:JP"
    assert "country:JP" in lex.entry("org:g7").members
    assert len([e for e in lex.entries.values() if "commodity:rare-earths" in e.is_a]) >= 18


def _lexicon_with(tmp_path: Path, name: str, body: str) -> Path:
    extra = tmp_path / name
    extra.write_text(body, encoding="utf-8")
    return extra


def _fails(tmp_path: Path, body: str, match: str) -> InvalidDataError:
    extra = _lexicon_with(tmp_path, "extra.yaml", body)
    with pytest.raises(InvalidDataError, match=match) as e:
        load_lexicon(LEXICON_DIR, [extra])
    assert e.value.file == str(extra)
    return e.value


def test_user_file_extends_the_lexicon_without_code(tmp_path: Path) -> None:
    extra = _lexicon_with(tmp_path, "mine.yaml", "firms:\n  - {id: firm:acme-metals, names: {en: Acme Metals, zh: 阿克米金属}, country: country:CA}\n")
    lex = load_lexicon(LEXICON_DIR, [extra])
    assert lex.entry("firm:acme-metals").country == "country:CA"
    assert "阿克米金属" in lex.entity_terms


def test_duplicate_id_names_file_and_key(tmp_path: Path) -> None:
    error = _fails(tmp_path, "firms:\n  - {id: firm:boeing, names: {en: Boeing again}}\n", "duplicate id")
    assert error.field == "firms[0].id" and error.line == 2


def test_bad_id_names_file_and_key(tmp_path: Path) -> None:
    error = _fails(tmp_path, "firms:\n  - {id: firm:Bad_Id, names: {en: Bad}}\n", "lower-case")
    assert error.field == "firms[0].id"


def test_wrong_type_prefix(tmp_path: Path) -> None:
    _fails(tmp_path, "firms:\n  - {id: commodity:thing, names: {en: Thing}}\n", "not a Firm")


def test_unknown_parent_names_file_and_key(tmp_path: Path) -> None:
    error = _fails(tmp_path, "commodities:\n  - {id: commodity:x-ore, names: {en: X ore}, is_a: [commodity:nothing]}\n", "unknown is_a")
    assert error.field == "commodities[0].is_a"


def test_unknown_home_country(tmp_path: Path) -> None:
    _fails(tmp_path, "firms:\n  - {id: firm:zed, names: {en: Zed}, country: country:US-CA}\n", "unknown country")


def test_name_claimed_by_two_entities(tmp_path: Path) -> None:
    _fails(tmp_path, "firms:\n  - {id: firm:other-boeing, names: {en: Boeing}}\n", "claimed by")


def test_unknown_measure_type_and_bad_pattern(tmp_path: Path) -> None:
    _fails(tmp_path, "measures:\n  quota: {en: [quota]}\n", "unknown measure type")
    _fails(tmp_path, "measures:\n  tariff: {patterns: {en: ['(unclosed']}}\n", "bad pattern")


def test_unknown_country_code_and_section(tmp_path: Path) -> None:
    _fails(tmp_path, "countries:\n  XX: {aliases: [Nowhere]}\n", "ISO 3166-1")
    _fails(tmp_path, "vehicles: []\n", "unknown section")


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    error = _fails(tmp_path, "firms:\n  - {id: firm:a, names: {en: A}\n  - bad: [\n", "not valid YAML")
    assert error.line is not None


def test_goods_carry_their_hs_code_and_description() -> None:
    lex = default_lexicon()
    palm = lex.entry("commodity:palm-oil").entity
    assert palm.attributes["hs"] == "1511" and palm.attributes["hs_description"].startswith("Palm oil")
    assert lex.entry("commodity:sorghum").entity.attributes["hs"] == "100790"  # refined to its subheading (#19)


def test_an_unknown_hs_code_names_file_and_key(tmp_path: Path) -> None:
    error = _fails(tmp_path, "commodities:\n  - {id: commodity:widgets, names: {en: Widgets}, hs: '0000'}\n", "not a Harmonized System code")
    assert error.field == "commodities[0].hs" and error.line == 2
