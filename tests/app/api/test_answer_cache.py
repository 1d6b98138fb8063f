"""Answers kept until the graph changes: exact while the version holds, never stale after it moves."""

from app.api.answer_cache import Answer, AnswerCache


def _answer(size: int) -> Answer:
    return Answer(200, ((b"content-type", b"application/json"),), b"x" * size)


def test_a_kept_answer_is_served_until_the_version_moves():
    cache = AnswerCache(1 << 20)
    key = ("GET", "/v1/entities/country:CN", b"")
    assert cache.get(1, key) is None
    cache.put(1, key, _answer(10))
    assert cache.get(1, key).body == b"x" * 10
    assert cache.get(2, key) is None  # another version: everything kept is forgotten
    assert len(cache) == 0 and cache.bytes == 0
    cache.put(1, key, _answer(10))  # a read of the old version finishing late is not kept
    assert len(cache) == 0


def test_the_cache_holds_its_byte_bound_least_recently_used_first_out():
    cache = AnswerCache(8_000)
    keys = [("GET", f"/v1/entities/e{i}", b"") for i in range(20)]
    cache.get(1, keys[0])
    for key in keys[:10]:
        cache.put(1, key, _answer(800))
        cache.get(1, keys[0])  # the first stays in use
    assert cache.bytes <= 8_000
    assert cache.get(1, keys[0]) is not None
    assert cache.get(1, keys[1]) is None  # the least recently used went first
    cache.put(1, keys[11], _answer(1_001))  # over an eighth of the cache: not kept
    assert cache.get(1, keys[11]) is None


def test_repeated_reads_are_answered_from_the_cache_and_writes_are_seen(client, seeded_store):
    answers = client.app.state.answers
    first = client.get("/v1/entities/稀土")
    hits = answers.hits
    again = client.get("/v1/entities/稀土")
    assert answers.hits == hits + 1
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"] == first.headers["content-type"]
    # a write (here straight to the store, as another process would) moves the version
    doc_id = next(d.id for d in seeded_store.documents() if d.language == "zh")
    seeded_store.remove_document(doc_id)
    after = client.get("/v1/entities/稀土")
    assert after.headers["etag"] != first.headers["etag"]
    assert after.status_code == 404 or after.json() != first.json()


def test_only_whole_answers_of_reads_are_kept(client):
    answers = client.app.state.answers
    assert client.get("/v1/entities/entity-that-does-not-exist").status_code == 404
    assert client.get("/v1/entities/entity-that-does-not-exist").status_code == 404
    client.get("/v1/export")
    client.get("/v1/export")
    assert answers.hits == 0


def test_the_cache_can_be_switched_off(make_client):
    client = make_client(answer_cache_mb=0)
    one, two = client.get("/v1/stats"), client.get("/v1/stats")
    assert one.json() == two.json() and client.app.state.answers.hits == 0
