"""From files to the store: facts files through the structured loader, texts through the extractor.

One file is one batch, so a bad file is rejected whole and the others still load. A text that a
facts file in the same run already curates (the seed article) is not extracted again: the curated
facts are the better reading of it. A folder is walked without ever leaving it: an entry that leads
out through a symlink (``feed/news.txt -> /etc/passwd``, a linked folder elsewhere) is rejected by
name, and nothing is read from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from graph.errors import InvalidDataError, TradeGraphError
from graph.model import Batch, Document
from graph.store import GraphStore, WriteSummary
from ingest.files import leaves
from ingest.structured import FACT_SUFFIXES, files_of, load_facts, locate
from ingest.trade import trade_kind

__all__ = [
    "FileResult", "collect", "gather", "ingest_paths", "extract_document", "ingest_document", "TEXT_SUFFIXES",
]

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}


@dataclass
class FileResult:
    path: Path
    status: str  # added, updated, unchanged, rejected, skipped
    summary: WriteSummary | None = None
    error: str | None = None


def _walk(folder: Path) -> Iterator[tuple[Path, str | None]]:
    """Every supported entry under ``folder`` with the reason it may not be read (None: it may).
    Linked folders are never entered (one inside the folder is walked as itself); a link that
    leads out of the folder is reported, whether it names a file or a folder."""
    for root, dirs, names in os.walk(folder):
        here = Path(root)
        for name in dirs:
            if (here / name).is_symlink():
                reason = leaves(here / name, folder)
                if reason is not None:
                    yield here / name, reason
        for name in names:
            path = here / name
            if path.suffix.lower() in FACT_SUFFIXES | TEXT_SUFFIXES:
                yield path, leaves(path, folder) if path.is_symlink() else None


def gather(paths: Iterable[Path]) -> tuple[list[Path], list[FileResult]]:
    """Files to ingest (the files named, and the supported files under each folder named, sorted),
    and the entries of those folders refused because they lead out of them."""
    found: list[Path] = []
    refused: list[FileResult] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        entries = sorted(_walk(path))
        found += [entry for entry, reason in entries if reason is None]
        refused += [
            FileResult(entry, "rejected", error=f"{entry}: {reason}") for entry, reason in entries if reason
        ]
    return found, refused


def collect(paths: Iterable[Path]) -> list[Path]:
    """The files :func:`ingest_paths` reads for ``paths`` (see :func:`gather`)."""
    return gather(paths)[0]


def extract_document(document: Document, store: GraphStore | None = None) -> Batch:
    """Run the default extractor; with a store, match measures it already holds instead of duplicating them."""
    from ingest.coref import reconcile
    from ingest.extract import default_extractor

    batch = default_extractor().extract(document)
    return reconcile(batch, store) if store is not None else batch


def ingest_document(store: GraphStore, document: Document) -> tuple[Batch, WriteSummary]:
    batch = extract_document(document, store)
    return batch, store.upsert(batch)


def _status(summary: WriteSummary) -> str:
    if summary.documents_added or summary.entities_added or summary.relations_added:
        return "added"
    return "updated" if summary.changed else "unchanged"


def _curated_files(batches: dict[Path, Batch]) -> set[Path]:
    return {file for batch in batches.values() for file in files_of(batch)}


def _ingest_trade(
    store: GraphStore, path: Path, kind: str, min_share: float | None, on_progress: Callable[[Path, int, int], None] | None
) -> FileResult:
    from ingest.trade_derive import DEFAULT_MIN_SHARE, ingest_trade_file

    if kind == "codes":
        return FileResult(path, "skipped", error="a BACI code file: read with the flows file beside it")
    progress = (lambda done, total: on_progress(path, done, total)) if on_progress else None
    try:
        result = ingest_trade_file(store, path, min_share=min_share or DEFAULT_MIN_SHARE, progress=progress)
    except TradeGraphError as e:
        return FileResult(path, "rejected", error=str(e))
    status = "added" if result.loaded else ("updated" if result.summary.changed else "unchanged")
    return FileResult(path, status, result.summary)


def ingest_paths(
    store: GraphStore,
    paths: Iterable[Path],
    *,
    published: date | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    trade_min_share: float | None = None,
    on_progress: Callable[[Path, int, int], None] | None = None,
) -> list[FileResult]:
    """Ingest every file, each as one batch; return what happened to each, in order. Trade flows
    files (told by their header) go through ingest.trade_derive instead, with ``trade_min_share``
    and ``on_progress(path, bytes_read, bytes_total)``."""
    from ingest.readers import read_document

    files, refused = gather(paths)
    results: list[FileResult] = []
    facts: dict[Path, Batch] = {}
    report = on_file or (lambda result: None)

    def record(result: FileResult) -> None:
        results.append(result)
        report(result)

    for result in refused:
        record(result)
    trade = {p: kind for p in files if (kind := trade_kind(p))}
    files = [p for p in files if p not in trade]
    for path, kind in trade.items():
        record(_ingest_trade(store, path, kind, trade_min_share, on_progress))
    for path in (p for p in files if p.suffix.lower() in FACT_SUFFIXES):
        try:
            facts[path] = load_facts(path)
        except TradeGraphError as e:
            record(FileResult(path, "rejected", error=str(e)))
    curated = _curated_files(facts)
    for path in files:
        try:
            if path.suffix.lower() in FACT_SUFFIXES:
                if path not in facts:
                    continue
                summary = store.upsert(facts[path])
            elif path.resolve() in curated:
                record(FileResult(path, "skipped", error="curated by a facts file in this run"))
                continue
            elif path.suffix.lower() in TEXT_SUFFIXES:
                _, summary = ingest_document(store, read_document(path, published=published))
            else:
                raise InvalidDataError(
                    f"unsupported file type; use {sorted(FACT_SUFFIXES | TEXT_SUFFIXES)}", file=str(path)
                )
        except InvalidDataError as e:
            # A facts batch refused by the store names a record (relations[3]...): give its line.
            located = locate(facts[path], e, file=str(path)) if path in facts else e.located(file=str(path))
            record(FileResult(path, "rejected", error=str(located)))
            continue
        except TradeGraphError as e:
            record(FileResult(path, "rejected", error=str(e)))
            continue
        record(FileResult(path, _status(summary), summary))
    return results
