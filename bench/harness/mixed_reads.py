"""A dashboard's reads: reading clients that each loop over a mix of the questions a dashboard
asks (a page of measures, dependents four hops deep, the US-China escalation, an entity, a full
export), every answer checked for being whole, until their phase ends.

A request fails when its status is not 2xx or 304, or when it never gets one (a transport error).
An answer is torn when its parts disagree, as they would if it were read across two versions of
the graph: a page whose length does not follow from its ``count``, an escalation whose summary
does not add up, an entity that is not the one asked for, an export citing a document or an
entity it does not hold."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from bench.harness.readers import check_export, percentile

# (kind, path, query, weight): the mix every client draws from; ``{id}`` is an entity of the seeds.
MIX = [
    ("measures", "/v1/measures", {"limit": 50}, 0.25),
    ("dependents", "/v1/dependents", {"commodity": "稀土", "max_depth": 4}, 0.25),
    ("escalation", "/v1/escalation", {"a": "美国", "b": "中国"}, 0.2),
    ("entity", "/v1/entities/{id}", {}, 0.2),
    ("export", "/v1/export", {"format": "json"}, 0.1),
]


@dataclass
class PhaseReport:
    """What the clients saw in one phase, counted under one lock."""

    name: str
    requests: int = 0
    failed: int = 0
    torn: int = 0
    by_kind: Counter = field(default_factory=Counter)
    failed_by_kind: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    latencies_by_kind: dict[str, list[float]] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: str, status: int, elapsed_ms: float, failure: str | None, tear: str | None) -> None:
        with self.lock:
            self.requests += 1
            self.by_kind[kind] += 1
            self.statuses[status] += 1
            self.latencies_ms.append(elapsed_ms)
            self.latencies_by_kind.setdefault(kind, []).append(elapsed_ms)
            if failure is not None:
                self.failed += 1
                self.failed_by_kind[kind] += 1
                self._note("failed", failure)
            if tear is not None:
                self.torn += 1
                self._note("torn", tear)

    def _note(self, what: str, message: str) -> None:
        if sum(1 for e in self.examples if e.startswith(what + ":")) < 5:
            self.examples.append(f"{what}: {message}")

    def figures(self) -> dict:
        return {
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "failed": self.failed,
            "torn": self.torn,
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": percentile(self.latencies_ms, 0.5),
            "p99_ms": percentile(self.latencies_ms, 0.99),
            "max_ms": round(max(self.latencies_ms), 1) if self.latencies_ms else 0.0,
            "requests_by_kind": dict(sorted(self.by_kind.items())),
            "p50_ms_by_kind": {k: percentile(v, 0.5) for k, v in sorted(self.latencies_by_kind.items())},
            "p99_ms_by_kind": {k: percentile(v, 0.99) for k, v in sorted(self.latencies_by_kind.items())},
            "failed_by_kind": dict(sorted(self.failed_by_kind.items())),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "examples": self.examples,
        }


def check_page(kind: str, body: dict) -> str | None:
    """A page holds what its count leaves after its offset, up to its limit."""
    expected = min(body["limit"], max(0, body["count"] - body["offset"]))
    if len(body["data"]) != expected:
        return f"{kind}: {len(body['data'])} items on a page of {body['limit']} from {body['offset']} of {body['count']}"
    return None


def check_escalation(body: dict) -> str | None:
    """The summary counts the same measures as the page's count, both ways, dated or not."""
    summary = body["summary"]
    if summary["measures"] != body["count"] or summary["by_a"] + summary["by_b"] != summary["measures"]:
        return f"escalation: summary {summary} against count {body['count']}"
    dated = sum(len(point["measures"]) for point in body["index"])
    if dated + summary["undated"] != summary["measures"]:
        return f"escalation: {dated} dated and {summary['undated']} undated of {summary['measures']}"
    return check_page("escalation", body)


def check_export_whole(body: dict) -> str | None:
    """Evidence cites documents the export holds, and relations join entities it holds."""
    torn = check_export(None, body)
    if torn is not None:
        return f"export: {torn}"
    entities = {e["id"] for e in body["entities"]}
    for relation in body["relations"]:
        for end in (relation["source"], relation["target"]):
            if end not in entities:
                return f"export: relation {relation['source']} {relation['type']} {relation['target']} without {end}"
    return None


def check_answer(kind: str, body: dict, entity_id: str) -> str | None:
    """Whether a 200 answer of ``kind`` is whole (None) or torn (what is wrong)."""
    if kind in ("measures", "dependents"):
        return check_page(kind, body)
    if kind == "escalation":
        return check_escalation(body)
    if kind == "entity":
        return None if body["entity"]["id"] == entity_id else f"entity: asked for {entity_id}, got {body['entity']['id']}"
    return check_export_whole(body)


def read_one(client: httpx.Client, rng: random.Random, entity_ids: list[str], report: PhaseReport) -> None:
    """Draw one request from the mix, send it, check the answer and count it."""
    kind, path, params, _ = rng.choices(MIX, weights=[m[3] for m in MIX])[0]
    entity_id = rng.choice(entity_ids)
    path = path.replace("{id}", entity_id)
    failure = tear = None
    started = time.perf_counter()
    try:
        response = client.get(path, params=params)  # the whole body is read here
        elapsed_ms = (time.perf_counter() - started) * 1000  # the checks below are not the server's time
        status = response.status_code
        if status == 200:
            tear = check_answer(kind, response.json(), entity_id)
        elif not (200 <= status < 300 or status == 304):
            failure = f"{kind} {status} {response.text[:200]}"
    except httpx.HTTPError as e:
        elapsed_ms = (time.perf_counter() - started) * 1000
        status, failure = 0, f"{kind} {type(e).__name__}: {e}"
    report.record(kind, status, elapsed_ms, failure, tear)


def run_phase(
    clients: list[httpx.Client], name: str, seconds: float, entity_ids: list[str], seed: int, *, report: PhaseReport | None = None
) -> PhaseReport:
    """Every client reads for ``seconds`` (each sends at least one request, and finishes the one it
    has begun); the phase's figures count every answer. Given a ``report``, the answers and the
    seconds are added to it: one phase read in several windows."""
    report = PhaseReport(name) if report is None else report
    deadline = time.monotonic() + seconds

    def loop(client: httpx.Client, k: int) -> None:
        rng = random.Random(seed * 1000 + k)
        while True:
            read_one(client, rng, entity_ids, report)
            if time.monotonic() >= deadline:
                return

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(client, k), daemon=True) for k, client in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    report.seconds += time.monotonic() - started
    return report
