"""The reading clients of the concurrency run: each issues random reads about the synthetic
corpus (stats, entities, a subgraph around a document's firms, documents, search, the seed
question, exports) and checks every answer for part of a document."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx

from bench.harness.corpus import Corpus, doc_text


@dataclass
class ReadReport:
    requests: int = 0
    failed: int = 0
    by_kind: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    half_documents: int = 0
    torn_stats: int = 0
    torn_exports: int = 0
    exports_refused: int = 0  # 503 graph-changing: the graph moved during every attempt
    examples: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def note(self, kind: str, message: str) -> None:
        if sum(1 for e in self.examples if e.startswith(kind + ":")) < 5:
            self.examples.append(f"{kind}: {message}")


def _check_subgraph(corpus: Corpus, i: int, body: dict) -> str | None:
    """A subgraph around all of document i's firms must hold all of document i's facts."""
    edges = {(e["source"], e["type"], e["target"]): e for e in body["edges"]}
    for j in range(corpus.facts):
        edge = edges.get((f"firm:f-{i}-{j}", "DEPENDS_ON", f"commodity:c-{i}-{j}"))
        if edge is None:
            return f"doc {i}: firm f-{i}-{j} without its DEPENDS_ON"
        if not any(ev["document_id"] == corpus.doc_ids[i] for ev in edge["evidence"]):
            return f"doc {i}: DEPENDS_ON of f-{i}-{j} without evidence from its document"
    return None


def _check_entity(corpus: Corpus, i: int, j: int, body: dict) -> str | None:
    entity = body["entity"]
    if [e["document_id"] for e in entity["evidence"]] != [corpus.doc_ids[i]]:
        return f"firm f-{i}-{j} has evidence {entity['evidence']!r}"
    if body["relations"] != {"out": {"DEPENDS_ON": 1}, "in": {}}:
        return f"firm f-{i}-{j} has relations {body['relations']!r}"
    return None


def check_export(corpus: Corpus | None, body: dict) -> str | None:
    """An export is torn when evidence cites a document the export does not hold."""
    documents = {d["id"] for d in body["documents"]}
    for item in (*body["entities"], *body["relations"]):
        for ev in item.get("evidence", []):
            if ev["document_id"] not in documents:
                return f"evidence cites {ev['document_id']} which the export does not hold"
    return None


def reader(url: str, corpus: Corpus, allowed_counts: set[tuple], stop: threading.Event, seed: int, report: ReadReport, lock: threading.Lock, baseline: dict, export_every: int) -> None:
    """One reading client: random reads of the corpus's documents, each checked for half a
    document, until ``stop``; every answer is counted in ``report``."""
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as client:
        n = 0
        while not stop.is_set():
            n += 1
            i, j = rng.randrange(corpus.docs), rng.randrange(corpus.facts)
            roll = rng.random()
            if export_every and n % export_every == 0:
                kind, path, params = "export", "/v1/export", {"format": "json"}
            elif roll < 0.2:
                kind, path, params = "stats", "/v1/stats", {}
            elif roll < 0.4:
                kind, path, params = "entity", f"/v1/entities/firm:f-{i}-{j}", {}
            elif roll < 0.6:
                ids = ",".join(f"firm:f-{i}-{k}" for k in range(corpus.facts))
                kind, path, params = "subgraph", "/v1/subgraph", {"ids": ids, "depth": 1}
            elif roll < 0.7:
                kind, path, params = "document", f"/v1/documents/{corpus.doc_ids[i]}", {}
            elif roll < 0.8:
                kind, path, params = "search", "/v1/search", {"q": f"F{i}x{j}"}
            else:
                kind, path, params = "seed", "/v1/dependents", {"commodity": "稀土", "origin": "中国"}
            started = time.perf_counter()
            problem = None
            try:
                response = client.get(path, params=params)
                status = response.status_code
                body = response.json() if response.content else None
            except Exception as e:  # noqa: BLE001 - any transport failure is a failed request
                status, body = 0, None
                problem = f"{type(e).__name__}: {e}"
            elapsed = (time.perf_counter() - started) * 1000
            half = torn_stats = torn_export = None
            if problem is None:
                if kind == "stats":
                    if status != 200:
                        problem = f"stats {status}"
                    else:
                        c = body["counts"]
                        vector = (c["documents"], c["entities"], c["relations"], c["evidence"])
                        if vector not in allowed_counts:
                            torn_stats = f"stats {vector} is no whole number of documents"
                elif kind == "entity":
                    if status == 200:
                        half = _check_entity(corpus, i, j, body)
                    elif status != 404:
                        problem = f"entity {status}"
                elif kind == "subgraph":
                    if status == 200:
                        half = _check_subgraph(corpus, i, body)
                    elif status != 404:
                        problem = f"subgraph {status}"
                elif kind == "document":
                    if status == 200:
                        if body["text"] != doc_text(i, corpus.facts).strip():
                            half = f"document {i} text differs"
                    elif status != 404:
                        problem = f"document {status}"
                elif kind == "search":
                    if status != 200:
                        problem = f"search {status}"
                elif kind == "seed":
                    if status != 200:
                        problem = f"seed query {status}"
                    elif body != baseline["seed"]:
                        half = "the seed dependents answer changed"
                elif kind == "export":
                    if status == 503 and (body or {}).get("type") == "/problems/graph-changing":
                        with lock:
                            report.exports_refused += 1
                    elif status != 200:
                        problem = f"export {status}"
                    else:
                        torn_export = check_export(corpus, body)
            with lock:
                report.requests += 1
                report.by_kind[kind] += 1
                report.statuses[status] += 1
                report.latencies_ms.append(elapsed)
                if problem is not None:
                    report.failed += 1
                    report.note("failed", problem)
                if half is not None:
                    report.half_documents += 1
                    report.note("half", half)
                if torn_stats is not None:
                    report.torn_stats += 1
                    report.note("stats", torn_stats)
                if torn_export is not None:
                    report.torn_exports += 1
                    report.note("export", torn_export)


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of ``values`` (nearest rank, rounded to 0.1); 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)
