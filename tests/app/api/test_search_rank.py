"""Search ranking and near matches (issue 15, defect 10), on both stores through the real API.

The obvious answer ranks first: an exact name or alias after folding case, width, separators,
script (traditional -> simplified) and an English plural. A name that matches nothing gets near
matches (a bounded fuzzy pass), in every script, as search hits and as 404 candidates."""

from graph.model.records import Batch, Entity


def _hits(client, q: str, **params) -> list[dict]:
    answer = client.get("/v1/search", params={"q": q, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def test_rare_earth_ranks_the_commodity_rare_earths_first(client):
    hits = _hits(client, "rare earth")
    assert hits[0]["entity"]["id"] == "commodity:rare-earths"
    assert hits[0]["match"] == "exact" and hits[0]["score"] == 3
    # the rest are prefixes and substrings, below it
    assert all(h["score"] < 3 for h in hits[1:]) and len(hits) > 1


def test_an_exact_id_ranks_above_every_name(client):
    hits = _hits(client, "commodity:rare-earths")
    assert hits[0]["entity"]["id"] == "commodity:rare-earths" and hits[0]["match"] == "id" and hits[0]["score"] == 4


def test_an_alias_in_traditional_script_ranks_first(client):
    # 釹鐵硼 is the traditional spelling of the alias 钕铁硼; 美國 of the name 美国
    for q, expected in (("釹鐵硼", "commodity:ndfeb-magnets"), ("美國", "country:US")):
        hits = _hits(client, q)
        assert hits[0]["entity"]["id"] == expected and hits[0]["match"] == "exact", q
    assert client.get("/v1/entities/美國").json()["entity"]["id"] == "country:US"


def test_an_unknown_name_is_a_404_whose_candidates_start_with_the_near_match(client):
    answer = client.get("/v1/entities/Japn")
    assert answer.status_code == 404
    assert answer.json()["candidates"][0]["id"] == "country:JP"
    typo = client.get("/v1/dependents", params={"commodity": "rare earts"})
    assert typo.status_code == 404
    assert typo.json()["candidates"][0]["id"] == "commodity:rare-earths"


def test_search_for_a_typo_answers_the_near_match_flagged_as_such(client):
    hits = _hits(client, "Japn")
    assert hits[0]["entity"]["id"] == "country:JP"
    assert hits[0]["match"] == "near" and hits[0]["score"] == 0


def test_a_chinese_typo_gets_a_near_match(client):
    # 日木 for 日本 (Japan), 稀士 for 稀土 (rare earths): one character off
    assert _hits(client, "日木")[0]["entity"]["id"] == "country:JP"
    assert _hits(client, "稀士")[0]["match"] == "near"
    assert client.get("/v1/entities/稀士").json()["candidates"][0]["id"] == "commodity:rare-earths"


def test_near_matches_keep_to_the_type_asked_for(client):
    hits = _hits(client, "Japn", type="Organization")
    assert "country:JP" not in [h["entity"]["id"] for h in hits]


def test_ranking_ties_are_deterministic(client, seeded_store):
    evidence = seeded_store.entity("country:JP").evidence[:1]
    # written in reverse id order: ties fall back to the id, not to the order of writing
    seeded_store.upsert(
        Batch(
            entities=[
                Entity(id="firm:zeta-b", names={"en": "Zetacorp"}, evidence=evidence),
                Entity(id="firm:zeta-a", names={"en": "Zetacorp"}, evidence=evidence),
                Entity(id="firm:zeta-0", names={"en": "Zetacorp Holdings International"}, evidence=evidence),
                Entity(id="firm:zeta-c", names={"en": "Zetacorp Group"}, evidence=evidence),
            ]
        )
    )
    ids = [h["entity"]["id"] for h in _hits(client, "zetacorp")]
    # exact ties by id; prefixes by how little the name adds to the query, then id
    assert ids == ["firm:zeta-a", "firm:zeta-b", "firm:zeta-c", "firm:zeta-0"]
    assert [h["entity"]["id"] for h in _hits(client, "zetacorp")] == ids
    near = [h["entity"]["id"] for h in _hits(client, "zetacorq")]
    assert near[:2] == ["firm:zeta-a", "firm:zeta-b"]
