"""graph.names: the one folding of names, the ranking rules, and stores folded under an older rule."""

import pytest

from graph.embedded.name_index import NameIndex
from graph.names import MatchKind, edit_budget, normalize_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("rare earth", "Rare-Earths"),
        ("battery", "batteries"),
        ("tax", "taxes"),
        ("glass", "glasses"),
        ("中國", "中国"),
        ("釹鐵硼", "钕铁硼"),
        ("ＲＡＲＥ　ＥＡＲＴＨＳ", "rare earth"),
    ],
)
def test_spelling_variants_fold_alike(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize("word", ["US", "gas", "glass", "analysis", "virus", "F-35", "稀土"])
def test_words_that_only_look_plural_stay(word):
    assert normalize_name(word) == word.casefold().replace("-", "")


def test_near_matches_need_a_few_characters_and_stay_in_their_script():
    assert (edit_budget("jap"), edit_budget("japn"), edit_budget("rareeart"), edit_budget("x" * 40)) == (0, 1, 2, 3)
    assert (edit_budget("稀"), edit_budget("稀士")) == (0, 1)
    index = NameIndex()
    index.set("country:JP", ["Japan", "日本"])
    index.set("country:JA", ["Japin"])  # as near as Japan: the id breaks the tie, not the order of writing
    assert index.lookup("Japn", 5) == [("country:JA", MatchKind.NEAR), ("country:JP", MatchKind.NEAR)]
    assert index.lookup("日木", 5) == [("country:JP", MatchKind.NEAR)]
    assert index.lookup("Japn", 5, near=False) == []
    assert index.lookup("qzqzqzqz", 5) == []


def test_near_matches_see_names_written_since_the_last_merge():
    index = NameIndex()
    index.bulk_load([("country:JP", ["Japan"])])
    index.set("country:FR", ["France"])  # pending, not yet in the sorted list
    assert index.lookup("Frence", 5) == [("country:FR", MatchKind.NEAR)]
    index.remove("country:JP")  # stays in the sorted list, skipped
    assert index.lookup("Japn", 5) == []


@pytest.mark.neo4j
def test_neo4j_refolds_names_written_under_an_older_rule(neo4j_server, neo4j_store, seed_batch):
    from graph.neo4j import Neo4jStore

    neo4j_store.upsert(seed_batch)
    # what the store held before plurals and scripts were folded
    neo4j_store._driver.execute_query("MATCH (n:Entity {id: 'commodity:rare-earths'}) SET n.name_index = '|rareearths|ree|稀土|稀土元素|'")
    neo4j_store._driver.execute_query("MATCH (m:Meta {id: 'store'}) SET m.names_rule = 'an older rule'")
    assert neo4j_store.lookup("rare earth")[0].kind != MatchKind.EXACT
    reopened = Neo4jStore(neo4j_server.bolt_uri, *neo4j_server.auth, timeout_s=300)
    try:
        first = reopened.lookup("rare earth")[0]
        assert (first.entity_id, first.kind) == ("commodity:rare-earths", MatchKind.EXACT)
        assert reopened.data_version() == neo4j_store.data_version()
    finally:
        reopened.close()
