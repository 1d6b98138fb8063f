"""Synthetic facts corpora: documents whose every fact is known, so that a read can tell a whole
document from part of one, and a crashed store can be matched to the state after some number of
files."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.harness.fingerprint import evidence_by_document, sqlite_content
from bench.harness.paths import EVAL


def doc_text(i: int, facts: int) -> str:
    lines = [f"Report {i} on supply dependencies."]
    for j in range(facts):
        lines.append(f"Firm F{i}x{j} relies on commodity C{i}x{j} from China. China supplies C{i}x{j}.")
    return "\n".join(lines) + "\n"


def doc_facts(i: int, facts: int) -> dict[str, Any]:
    """The facts file of synthetic document ``i``: ``facts`` firms each depending on its own
    commodity supplied by China, every fact quoting its sentence."""
    entities = [{"id": "country:CN", "names": {"en": "China"}, "quote": "China"}]
    relations = []
    for j in range(facts):
        entities.append({"id": f"firm:f-{i}-{j}", "names": {"en": f"F{i}x{j}"}, "quote": f"Firm F{i}x{j}"})
        entities.append({"id": f"commodity:c-{i}-{j}", "names": {"en": f"C{i}x{j}"}, "quote": f"commodity C{i}x{j}"})
        relations.append(
            {
                "source": f"firm:f-{i}-{j}",
                "type": "DEPENDS_ON",
                "target": f"commodity:c-{i}-{j}",
                "origin": "country:CN",
                "share": 0.5,
                "quote": f"Firm F{i}x{j} relies on commodity C{i}x{j} from China.",
            }
        )
        relations.append(
            {"source": "country:CN", "type": "SUPPLIES", "target": f"commodity:c-{i}-{j}", "quote": f"China supplies C{i}x{j}."}
        )
    return {
        "documents": {"d": {"path": f"doc-{i:03d}.src", "language": "en", "published": "2025-01-01"}},
        "entities": entities,
        "relations": relations,
    }


@dataclass
class Corpus:
    folder: Path
    files: list[Path]  # what `tradegraph ingest folder` processes, in its order
    docs: int
    facts: int
    doc_ids: dict[int, str] = field(default_factory=dict)
    write_seconds: float = 0.0  # time the reference run spent inside store writes

    def per_doc(self) -> dict[str, int]:
        """What one synthetic document adds: documents, entities, relations, evidence."""
        return {"documents": 1, "entities": 2 * self.facts, "relations": 2 * self.facts, "evidence": 4 * self.facts + 1}


def make_corpus(folder: Path, docs: int, facts: int, *, with_texts: bool = False, with_bad: bool = False) -> Corpus:
    """``docs`` synthetic facts files (one document each, ``facts`` firm->commodity dependencies per
    document) in ``folder``; optionally the gold texts of tests/eval (extracted, not curated) and
    a rejected file in between. The texts the facts quote end in ``.src`` so the folder walk does
    not pick them up as documents of their own."""
    from graph.model.ids import document_id

    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder, [], docs, facts)
    for i in range(docs):
        text = doc_text(i, facts)
        (folder / f"doc-{i:03d}.src").write_text(text, encoding="utf-8")
        (folder / f"doc-{i:03d}.json").write_text(json.dumps(doc_facts(i, facts), ensure_ascii=False), encoding="utf-8")
        corpus.doc_ids[i] = document_id(text)
    if with_texts:
        for source in sorted(EVAL.glob("*.md")):
            (folder / f"text-{source.name}").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    if with_bad:
        (folder / "doc-001-bad.yaml").write_text("documents: {d: {path: nowhere.src}}\n", encoding="utf-8")
    from ingest.pipeline import collect

    corpus.files = collect([folder])
    return corpus


def make_crash_corpus(folder: Path, docs: int, relations: int, *, firms: int = 400, with_texts: bool = True) -> Corpus:
    """A folder that makes big write transactions and cheap parsing: a base CSV of ``firms`` firms
    and as many commodities (one document), then ``docs`` relation CSVs of ``relations`` rows each
    (one document each, every row quoting its own line, so a document's evidence is all in one
    batch), the gold texts of tests/eval in between (extracted), and a rejected file."""
    import csv
    import io

    from graph.model.ids import document_id

    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder, [], docs, relations)
    base = [f"Firm F{j:04d} is a firm." for j in range(firms)] + [f"Commodity C{j:04d} is a commodity." for j in range(firms)]
    (folder / "base.src").write_text("\n".join(base) + "\n", encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name_en", "document", "quote"])
    for j in range(firms):
        writer.writerow([f"firm:f-{j:04d}", f"F{j:04d}", "base.src", f"Firm F{j:04d}"])
        writer.writerow([f"commodity:c-{j:04d}", f"C{j:04d}", "base.src", f"Commodity C{j:04d}"])
    (folder / "a-base.csv").write_text(out.getvalue(), encoding="utf-8")
    texts = sorted(EVAL.glob("*.md")) if with_texts else []
    for i in range(docs):
        lines = []
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["source", "type", "target", "share", "document", "quote"])
        for r in range(relations):
            j, k = (i * 7 + r) % firms, (i * 13 + r * 3) % firms
            line = f"Line {r} of report {i}: F{j:04d} relies on C{k:04d}."
            lines.append(line)
            writer.writerow([f"firm:f-{j:04d}", "DEPENDS_ON", f"commodity:c-{k:04d}", "0.5", f"doc-{i:03d}.src", line])
        text = "\n".join(lines) + "\n"
        (folder / f"doc-{i:03d}.src").write_text(text, encoding="utf-8")
        (folder / f"b-doc-{i:03d}.csv").write_text(out.getvalue(), encoding="utf-8")
        corpus.doc_ids[i] = document_id(text)
        if i < len(texts):
            (folder / f"b-doc-{i:03d}z-text-{texts[i].name}").write_text(texts[i].read_text(encoding="utf-8"), encoding="utf-8")
        if i == docs // 2:
            (folder / f"b-doc-{i:03d}-z-bad.yaml").write_text("documents: {d: {path: nowhere.src}}\n", encoding="utf-8")
    from ingest.pipeline import collect

    corpus.files = collect([folder])
    return corpus


def reference_states(corpus: Corpus, workdir: Path) -> list[dict[str, Any]]:
    """The store's content after each prefix of the corpus's files (index 0: the empty store),
    ingested one file at a time into a fresh store exactly as the CLI ingests the folder."""
    from graph.embedded import EmbeddedStore
    from ingest.pipeline import ingest_paths

    db = workdir / "reference.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    states = []
    with EmbeddedStore(db) as store:
        upsert = store.upsert
        spent = [0.0]

        def timed(batch):  # noqa: ANN001, ANN202 - the time spent inside write transactions
            started = time.perf_counter()
            try:
                return upsert(batch)
            finally:
                spent[0] += time.perf_counter() - started

        store.upsert = timed  # type: ignore[method-assign]
        states.append(sqlite_content(db))
        for path in corpus.files:
            ingest_paths(store, [path])
            states.append(sqlite_content(db))
    corpus.write_seconds = spent[0]
    return states


def reference_evidence(corpus: Corpus, workdir: Path) -> dict[str, int]:
    """Evidence rows per document once the whole corpus is in (from the reference run)."""
    return evidence_by_document(workdir / "reference.db")
