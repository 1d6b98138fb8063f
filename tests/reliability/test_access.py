"""Access and cost: writes need the bearer token (compared in constant time), request bodies and
query costs are capped (size, depth, result count, time), and error answers never carry a stack
trace or a server path."""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bench.harness.dense import dense_web
from bench.harness.fingerprint import store_fingerprint
from graph.embedded import EmbeddedStore
from graph.model.errors import StoreUnavailableError
from graph.store import GraphReader
from ingest.structured import load_facts
from tests.conftest import FACTS
from tests.reliability.conftest import AUTH, TOKEN, assert_no_leak, assert_problem

TEXT = "China restricts exports of gallium and germanium; Japan relies on Chinese gallium."


# -- writes need the token ----------------------------------------------------------------------

REFUSED_HEADERS = [
    {},
    {"Authorization": "Bearer"},
    {"Authorization": "Bearer "},
    {"Authorization": f"Bearer {TOKEN}x"},
    {"Authorization": f"Bearer {TOKEN[:-1]}"},
    {"Authorization": f"Bearer {TOKEN.upper()}"},
    {"Authorization": f"Basic {TOKEN}"},
    {"Authorization": TOKEN},
    {"Authorization": f"Token {TOKEN}"},
    {"X-Api-Key": TOKEN},
    {"Cookie": f"token={TOKEN}"},
]


@pytest.mark.parametrize("headers", REFUSED_HEADERS, ids=lambda h: repr(h)[:40])
def test_writes_without_the_exact_token_are_refused_and_change_nothing(seeded, app_for, headers):
    client = app_for(seeded)
    before = store_fingerprint(seeded)
    doc_id = seeded.documents()[0].id
    for response in (
        client.post("/v1/documents", json={"text": TEXT}, headers=headers),
        client.post(f"/v1/documents?token={TOKEN}", json={"text": TEXT}, headers=headers),
        client.delete(f"/v1/documents/{doc_id}", headers=headers),
    ):
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"
        assert TOKEN not in response.text
    assert store_fingerprint(seeded) == before


@pytest.mark.parametrize("configured", [None, ""])
def test_writes_are_disabled_without_a_configured_token(seeded, tmp_path, configured):
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    client = TestClient(create_app(Settings(api_token=configured), store=seeded))
    before = store_fingerprint(seeded)
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer anything"}):
        body = assert_problem(client.post("/v1/documents", json={"text": TEXT}, headers=headers), 401)
        assert "disabled" in body["detail"]
    assert store_fingerprint(seeded) == before


def test_the_token_is_compared_in_constant_time(seeded, app_for, monkeypatch):
    """Every check goes through hmac.compare_digest, whatever the length of what was sent."""
    import app.api.deps as deps

    calls = []
    compare = hmac.compare_digest

    def spy(a, b):  # noqa: ANN001, ANN202
        calls.append((len(a), len(b)))
        return compare(a, b)

    monkeypatch.setattr(deps.hmac, "compare_digest", spy)
    client = app_for(seeded)
    for token in ("", "x", TOKEN[:-1], TOKEN + "x", "y" * 500):
        assert client.post("/v1/documents", json={"text": TEXT}, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.post("/v1/documents", json={"text": TEXT}, headers=AUTH).status_code == 201
    assert len(calls) >= 5  # "Bearer " with nothing after it may stop in HTTPBearer before the compare
    assert all(expected == len(TOKEN) for _, expected in calls)


# -- bodies are capped --------------------------------------------------------------------------


def test_bodies_past_the_cap_are_refused_with_or_without_a_length(seeded, app_for):
    client = app_for(seeded, max_body_bytes=10_000)
    before = store_fingerprint(seeded)
    big = b'{"text": "' + b"a" * 20_000 + b'"}'
    declared = client.post("/v1/documents", content=big, headers={**AUTH, "Content-Type": "application/json"})
    assert_problem(declared, 413)

    def chunks():  # noqa: ANN202 - no Content-Length: the cap counts what arrives
        yield b'{"text": "'
        for _ in range(40):
            yield b"a" * 1000
        yield b'"}'

    streamed = client.post("/v1/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert_problem(streamed, 413)
    lying = client.post(
        "/v1/documents", content=b'{"text": "a"}', headers={**AUTH, "Content-Type": "application/json", "Content-Length": "abc"}
    )
    assert lying.status_code in (400, 413)
    assert store_fingerprint(seeded) == before


def test_posted_texts_past_a_million_characters_are_refused(seeded, app_for):
    client = app_for(seeded)
    before = store_fingerprint(seeded)
    response = client.post("/v1/documents", json={"text": "a" * 1_000_001}, headers=AUTH)
    assert assert_problem(response, 422)["field"] == "text"
    assert store_fingerprint(seeded) == before


@pytest.mark.parametrize("depth", [100, 10_000, 200_000])
def test_deeply_nested_bodies_are_refused(seeded, app_for, depth):
    client = app_for(seeded)
    before = store_fingerprint(seeded)
    for body in (b"[" * depth + b"]" * depth, b'{"text": ' + b"[" * depth + b"]" * depth + b"}", b'{"a":' * depth + b"1" + b"}" * depth):
        response = client.post("/v1/documents", content=body, headers={**AUTH, "Content-Type": "application/json"})
        assert response.status_code in (400, 413, 422), response.status_code
        assert_problem(response)
    assert store_fingerprint(seeded) == before


# -- query costs are capped ---------------------------------------------------------------------

CAPS = [
    ("/v1/dependents", {"commodity": "稀土", "max_depth": 7}, "max_depth"),
    ("/v1/dependents", {"commodity": "稀土", "limit": 1001}, "limit"),
    ("/v1/dependents", {"commodity": "稀土", "offset": 1_000_001}, "offset"),
    ("/v1/entities/product:f-35/dependencies", {"max_depth": 7}, "max_depth"),
    ("/v1/countries/China/leverage", {"max_depth": 7}, "max_depth"),
    ("/v1/countries/China/leverage", {"limit": 1001}, "limit"),
    ("/v1/measures", {"limit": 1001}, "limit"),
    ("/v1/timeline", {"actor": "China", "limit": 1001}, "limit"),
    ("/v1/search", {"q": "China", "limit": 201}, "limit"),
    ("/v1/search", {"q": "x" * 301}, "q"),
    ("/v1/entities/country:CN/neighbors", {"depth": 4}, "depth"),
    ("/v1/paths", {"source": "China", "target": "product:f-35", "max_length": 7}, "max_length"),
    ("/v1/subgraph", {"ids": ",".join(["country:CN"] * 101)}, "ids"),
    ("/v1/subgraph", {"ids": "country:CN", "depth": 4}, "depth"),
    ("/v1/subgraph", {"ids": "a," * 10_001}, "ids"),
    ("/v1/measures/measure:cn-2025-10-09-rare-earth-export-controls/impact", {"max_depth": 7}, "max_depth"),
]


@pytest.mark.parametrize(("path", "params", "field"), CAPS, ids=[f"{p}-{f}" for p, _, f in CAPS])
def test_past_a_cap_is_a_422_naming_the_field(seeded, app_for, path, params, field):
    body = assert_problem(app_for(seeded).get(path, params=params), 422)
    named = {body.get("field"), *(".".join(e["loc"][1:]) for e in body.get("errors", []))}
    assert field in named, body


@pytest.fixture(scope="module")
def dense(tmp_path_factory):
    store = dense_web(tmp_path_factory.mktemp("dense") / "dense.db")
    yield store
    store.close()


def test_result_sizes_are_capped_on_a_dense_graph(dense, app_for):
    client = app_for(dense)
    neighbours = client.get("/v1/entities/product:p-2-0/neighbors", params={"depth": 3}).json()
    assert neighbours["truncated"] and len(neighbours["edges"]) <= 5000
    drawn = client.get("/v1/subgraph", params={"ids": ",".join(f"product:p-3-{i}" for i in range(20)), "depth": 3}).json()
    assert drawn["truncated"] and len(drawn["edges"]) <= 5000
    paths = client.get("/v1/paths", params={"source": "commodity:root", "target": "product:p-5-0", "max_length": 6}).json()
    assert paths["length"] == 6 and 0 < len(paths["paths"]) <= 50
    page = client.get("/v1/dependents", params={"commodity": "commodity:root", "max_depth": 6, "limit": 7}).json()
    assert page["count"] == 360 and len(page["data"]) == 7
    assert all(len(d["paths"]) <= 5 for d in page["data"])


# -- queries are capped in time -----------------------------------------------------------------


class InterceptedStore(EmbeddedStore):
    """An embedded store whose chosen calls are changed (:meth:`intercept`), on the store and on
    every reader its snapshots yield: the API reads through snapshots, not the store itself."""

    def intercept(self, name: str, value: Any) -> Any:
        return value

    def __getattribute__(self, name: str):  # noqa: ANN204
        value = super().__getattribute__(name)
        return value if name.startswith("_") or name == "intercept" else self.intercept(name, value)

    @contextmanager
    def snapshot(self) -> Iterator[GraphReader]:
        with super().snapshot() as reader:
            yield _intercepted(reader, self.intercept)

    @contextmanager
    def try_snapshot(self) -> Iterator[GraphReader | None]:
        with super().try_snapshot() as reader:
            yield None if reader is None else _intercepted(reader, self.intercept)


def _intercepted(reader: GraphReader, intercept: Callable[[str, Any], Any]) -> GraphReader:
    """``reader`` with its calls going through ``intercept`` (its class swapped for a subclass),
    so that calls the reader makes on itself are changed too."""
    base = type(reader)

    def lookup(self: GraphReader, name: str) -> Any:
        value = base.__getattribute__(self, name)
        return value if name.startswith("_") else intercept(name, value)

    reader.__class__ = type(f"Intercepted{base.__name__}", (base,), {"__getattribute__": lookup})
    return reader


class SlowStore(InterceptedStore):
    """An embedded store whose chosen calls take ``delay`` seconds longer, or wait for ``gate``
    when one is set (and are counted)."""

    slow: tuple[str, ...] = ()
    delay = 0.0
    gate: threading.Event | None = None

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.calls: list[tuple[str, float]] = []
        self.finished = threading.Semaphore(0)  # released once per slowed call that returned

    def intercept(self, name: str, value: Any) -> Any:
        if name not in type(self).slow:
            return value

        def slowed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.calls.append((name, time.monotonic()))
            if type(self).gate is not None:
                type(self).gate.wait(120)
            else:
                time.sleep(type(self).delay)
            try:
                return value(*args, **kwargs)
            finally:
                self.finished.release()

        return slowed


def _slow(tmp_path: Path, names: tuple[str, ...], delay: float = 0.0, gate: threading.Event | None = None) -> SlowStore:
    cls = type("Slow", (SlowStore,), {"slow": names, "delay": delay, "gate": gate})
    store = cls(tmp_path / f"slow-{delay}-{gate is not None}.db")
    store.upsert(load_facts(FACTS))
    return store


def test_a_query_past_its_budget_stops_with_a_503(tmp_path, app_for, monkeypatch):
    """Stopping is asserted by counting store calls, not by the clock: the answer comes after
    fewer calls than the whole query makes, and no call starts after it."""
    params = {"commodity": "稀土", "max_depth": 6}
    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "0")
    whole = _slow(tmp_path, ("edges", "links"))
    assert app_for(whole).get("/v1/dependents", params=params).status_code == 200
    needed = len(whole.calls)
    whole.close()
    assert needed > 3, needed  # the walk takes enough calls to run past the budget below

    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "0.5")
    store = _slow(tmp_path, ("edges", "links"), delay=0.3)
    client = app_for(store)
    response = client.get("/v1/dependents", params=params)
    assert_problem(response, 503)
    assert response.json() == {  # the problem document clients have always had
        "type": "/problems/query-timeout",
        "title": "Query timeout",
        "status": 503,
        "detail": "the query did not finish within its 0.5 s budget (TRADEGRAPH_QUERY_TIMEOUT_S); "
        "narrow it (a smaller max_depth or limit, fewer ids) or retry later",
        "instance": "/v1/dependents",
    }
    assert response.headers["retry-after"] == "1"
    calls = len(store.calls)
    assert calls < needed, (calls, needed)
    # the query stopped: no store call starts after the answer went out (a call under way may end)
    time.sleep(1.0)
    assert len(store.calls) == calls
    # and the next, cheap read is answered
    assert client.get("/v1/stats").status_code == 200
    store.close()


def test_a_walk_stops_at_its_deadline_before_its_next_store_call(tmp_path):
    """The check point the budget uses: a walk given a deadline that has passed stops at its next
    store call with QueryTimeoutError (the API's 503), having read only what came before its
    first check; with no deadline the same walk reads on to the end."""
    from graph.model.errors import QueryTimeoutError
    from graph.queries.deadline import Deadline
    from graph.queries.dependencies import dependents

    store = _slow(tmp_path, ("edges", "links"))
    whole = dependents(store, "稀土", max_depth=6)
    assert whole.data and len(store.calls) > 3
    store.calls.clear()
    passed = Deadline(0.0)
    with pytest.raises(QueryTimeoutError) as raised:
        dependents(store, "稀土", max_depth=6, deadline=passed)
    assert raised.value.seconds == 0.0
    assert store.calls == []  # names are resolved without edges; the walk stopped before its first step
    store.close()


def test_a_store_call_that_blocks_is_answered_at_the_budget(tmp_path, app_for, monkeypatch):
    """A traversal runs in a worker thread, so the event loop stays free to answer for it. (Short
    reads, such as a search, run on the event loop when the store can answer at once; see
    test_reads_are_served_while_a_long_write_holds_the_store.) The store's call blocks until the
    test lets it go, so the 503 is shown to come before the call ends, whatever the machine's load."""
    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "0.5")
    gate = threading.Event()
    store = _slow(tmp_path, ("lookup",), gate=gate)
    with app_for(store) as client:
        try:
            response = client.get("/v1/dependents", params={"commodity": "稀土"})
            body = assert_problem(response, 503)
            assert body["type"] == "/problems/query-timeout"
            assert not gate.is_set() and len(store.calls) == 1  # answered while the call still blocks
            assert client.get("/v1/stats").status_code == 200  # the server is not wedged meanwhile
        finally:
            gate.set()  # let the abandoned call finish before the store closes
            assert store.finished.acquire(timeout=120)
    store.close()


def test_exports_and_writes_are_not_cut_by_the_read_budget(tmp_path, app_for, monkeypatch):
    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "0.2")
    store = _slow(tmp_path, ("document", "upsert"), 0.3)
    client = app_for(store)
    exported = client.get("/v1/export", params={"format": "json"})
    assert exported.status_code == 200 and exported.json()["documents"]
    posted = client.post("/v1/documents", json={"text": TEXT}, headers=AUTH)
    assert posted.status_code == 201, posted.text[:300]
    store.close()


def test_reads_are_served_while_a_long_write_holds_the_store(tmp_path, app_for, monkeypatch):
    """A write holding the embedded store for its whole transaction delays no read: reads are
    snapshots of the version before it (issue 18), so short reads, the stats and health checks
    all answer 200 while the write goes on.

    "While" is asserted as an order, not a duration: every answer below arrives while the writer
    still holds the store, which it keeps until the test releases it (a budget of 120 s, so a
    regression that waits for the write fails instead of passing late on a busy machine)."""
    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "60")  # a read that waited for the write would be a 503 at 60 s
    store = EmbeddedStore(tmp_path / "busy.db")
    store.upsert(load_facts(FACTS))
    before = store.counts()
    with app_for(store) as client:
        held = threading.Event()
        release = threading.Event()
        released = threading.Event()

        def writer() -> None:
            with store._write_lock:  # what a long batch does for its whole transaction
                held.set()
                release.wait(120)
                released.set()

        thread = threading.Thread(target=writer)
        thread.start()
        assert held.wait(120)
        try:
            short: dict[str, object] = {}
            reader = threading.Thread(target=lambda: short.update(answer=client.get("/v1/search", params={"q": "China"})))
            reader.start()
            assert client.get("/healthz").status_code == 200
            stats = client.get("/v1/stats")
            reader.join(120)
            assert not released.is_set(), "the reads waited for the write"
            assert stats.status_code == 200, stats.text[:300]
            assert stats.json()["counts"]["relations"] == before.relations
            assert short["answer"].status_code == 200, short["answer"].text[:300]
        finally:
            release.set()
            thread.join(120)
        assert client.get("/v1/stats").status_code == 200
    store.close()


def test_the_budget_setting_is_read_from_the_environment(monkeypatch):
    import pydantic

    from app.api.reads import DEFAULT_QUERY_TIMEOUT_S, query_timeout_s
    from app.settings import Settings

    monkeypatch.delenv("TRADEGRAPH_QUERY_TIMEOUT_S", raising=False)
    assert query_timeout_s(Settings()) == DEFAULT_QUERY_TIMEOUT_S
    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "2.5")
    assert query_timeout_s(Settings()) == 2.5
    monkeypatch.setenv("TRADEGRAPH_QUERY_TIMEOUT_S", "soon")
    with pytest.raises(pydantic.ValidationError, match="query_timeout_s"):
        Settings()  # a bad value stops the server at start, naming the setting


# -- errors tell nothing of the server ----------------------------------------------------------

SECRET = "/srv/secret/tradegraph/store.db"


class FailingStore(InterceptedStore):
    fail: dict[str, Exception] = {}

    def intercept(self, name: str, value: Any) -> Any:
        failures = type(self).fail
        if name not in failures:
            return value

        def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            raise failures[name]

        return broken


@pytest.mark.parametrize(
    ("method", "error", "path", "status"),
    [
        ("lookup", RuntimeError(f"boom at {SECRET} line 3"), "/v1/search?q=China", 500),
        ("lookup", StoreUnavailableError(f"cannot open the store at {SECRET}"), "/v1/search?q=China", 503),
        ("data_version", StoreUnavailableError(f"cannot open the store at {SECRET}"), "/v1/stats", 503),
        ("data_version", StoreUnavailableError(f"cannot open the store at {SECRET}"), "/readyz", 503),
        ("documents", StoreUnavailableError(f"cannot open the store at {SECRET}"), "/v1/export", 503),
        ("entities", KeyError(SECRET), "/v1/entities/country:CN", 500),
        ("upsert", OSError(28, "No space left on device", SECRET), "/v1/documents", 500),
        ("upsert", StoreUnavailableError(f"the store at {SECRET} is locked"), "/v1/documents", 503),
    ],
)
def test_server_errors_carry_no_trace_and_no_path(tmp_path, app_for, method, error, path, status):
    cls = type("Failing", (FailingStore,), {"fail": {}})
    store = cls(tmp_path / "failing.db")
    store.upsert(load_facts(FACTS))
    cls.fail = {method: error}
    client = app_for(store)
    if path == "/v1/documents":
        response = client.post(path, json={"text": TEXT}, headers=AUTH)
    else:
        response = client.get(path)
    body = assert_problem(response, status)
    assert_no_leak(response.text, SECRET, "srv/secret", "boom", "line 3")
    assert "logged" in body["detail"]
    cls.fail = {}
    store.close()


def test_not_found_routes_and_methods_are_problems(seeded, app_for):
    client = app_for(seeded)
    assert_problem(client.get("/v1/nothing-here"), 404)
    assert_problem(client.get("/../../etc/passwd"), 404)
    assert_problem(client.put("/v1/documents", json={}), 405)
    assert_problem(client.post("/v1/documents", content=b"not json", headers={**AUTH, "Content-Type": "application/json"}))
