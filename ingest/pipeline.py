"""From files to the store: facts files through the structured loader, texts through the extractor,
datasets (a CSV told by its header, :func:`dataset_kind`) row by row through their loaders: Global
Trade Alert exports through ingest/gta.py, trade flows (BACI, plain) through ingest/trade_derive.py.

One file is one batch (a dataset is checked whole, then written in batches of rows), so
a bad file is rejected whole and the others still load. A text that a
facts file in the same run already curates (the seed article) is not extracted again: the curated
facts are the better reading of it. A folder is walked without ever leaving it: an entry that leads
out through a symlink (``feed/news.txt -> /etc/passwd``, a linked folder elsewhere) is rejected by
name, and nothing is read from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.hs import HS_ID_PREFIX, classified_as, describe, hs_batch, hs_code, hs_entity_id
from graph.model.enums import EntityType, RelationType
from graph.model.errors import InvalidDataError, TradeGraphError
from graph.model.records import Batch, Document, Entity, Relation
from graph.store import GraphStore, WriteSummary
from ingest.files import csv_header, leaves
from ingest.gta import ingest_gta
from ingest.gta_rows import is_gta_header
from ingest.structured import FACT_SUFFIXES, files_of, load_facts, locate
from ingest.trade import trade_kind

__all__ = [
    "FileResult", "collect", "dataset_kind", "gather", "ingest_paths", "extract_document", "ingest_document", "with_hs_codes",
    "TEXT_SUFFIXES",
]

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}


@dataclass
class FileResult:
    path: Path
    status: str  # added, updated, unchanged, rejected, skipped
    summary: WriteSummary | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)  # e.g. a dataset row's name nobody knows


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
    batch = with_hs_codes(extract_document(document, store), store=store)
    return batch, store.upsert(batch)


_GOODS = (EntityType.COMMODITY, EntityType.PRODUCT)


def _classified(entity: Entity, code: str) -> Entity:
    """The good carrying its code: ``hs``, the nomenclature's description and the alias
    ``HS <code>``, by which a search for the code finds the good after the code's own entity."""
    entry = describe(code)
    assert entry is not None  # the caller checked the code
    attributes = {**entity.attributes, "hs": entry.code, "hs_description": entry.description[:300]}
    data = entity.model_dump(exclude={"attributes", "aliases"})
    return Entity(**data, attributes=attributes, aliases=[*entity.aliases, f"HS {entry.code}"])


def _code_of(entity: Entity, index: int) -> tuple[str, bool] | None:
    """A good's HS code and whether the entity gave it itself (else the lexicon did), or None."""
    from ingest.lexicon import default_lexicon

    if entity.type not in _GOODS or entity.id.startswith(HS_ID_PREFIX):
        return None
    own = entity.attributes.get("hs")
    entry = default_lexicon().entries.get(entity.id)
    given = own if own is not None else entry.entity.attributes.get("hs") if entry else None
    if given is None:
        return None
    field = f"entities[{index}].attributes.hs"
    code = hs_code(given, field)
    if describe(code) is None:
        raise InvalidDataError(f"{given!r} is not in the Harmonized System nomenclature", field=field)
    return code, own is not None


def with_hs_codes(batch: Batch, *, store: GraphStore | None = None) -> Batch:
    """``batch`` with the Harmonized System codes of the goods it writes.

    A Commodity or Product whose own ``hs`` attribute or lexicon entry gives a code carries it
    (:func:`_classified`). Without ``store`` (a facts file: curated, reference-like), each such
    good IS_A its code's entity, citing the code's nomenclature line, and the code entities with
    their ancestors up to the section come along (graph.hs.hs_batch): the hierarchy is in the graph
    for the goods the graph holds, and no more of the nomenclature. With ``store`` (an extracted
    text), a good is linked only to a code entity the store already holds, citing the text's own
    mention of the good: removing the text then removes what it brought, and the nomenclature is
    not written on a text's behalf. The same batch always gets the same additions, so ingesting
    again changes nothing. A code the nomenclature lacks is an error naming the entity."""
    entities: list[Entity] = []
    found: list[tuple[Entity, str, bool]] = []
    for i, entity in enumerate(batch.entities):
        coded = _code_of(entity, i)
        if coded is None:
            entities.append(entity)
            continue
        entities.append(_classified(entity, coded[0]))
        found.append((entity, *coded))
    if not found:
        return batch
    if store is not None:
        stored = store.known({hs_entity_id(code) for _, code, _ in found})
        links = [
            Relation(
                source=entity.id, type=RelationType.IS_A, target=hs_entity_id(code),
                evidence=[e.model_copy(update={"extractor": "lexicon-hs"}) for e in entity.evidence[:1]],
            )
            for entity, code, _ in found
            if hs_entity_id(code) in stored and entity.evidence
        ]
        return Batch(documents=batch.documents, entities=entities, relations=batch.relations + links)
    links = [
        classified_as(entity.id, code, extractor="curated" if own else "lexicon") for entity, code, own in found
    ]
    nomenclature = hs_batch(sorted({code for _, code, _ in found}))
    present = {e.id for e in entities}
    documents = {d.id: d for d in batch.documents}
    for document in nomenclature.documents:
        documents.setdefault(document.id, document)
    return Batch(
        documents=list(documents.values()),
        entities=entities + [e for e in nomenclature.entities if e.id not in present],
        relations=batch.relations + links + nomenclature.relations,
    )


def _status(summary: WriteSummary) -> str:
    if summary.documents_added or summary.entities_added or summary.relations_added:
        return "added"
    return "updated" if summary.changed else "unchanged"


def _curated_files(batches: dict[Path, Batch]) -> set[Path]:
    return {file for batch in batches.values() for file in files_of(batch)}


def dataset_kind(path: Path) -> str | None:
    """What a ``.csv`` holds when it is a dataset read row by row, told by its header whatever its
    name: ``"gta"`` (a Global Trade Alert export), ``"baci"`` or ``"plain"`` (trade flows),
    ``"codes"`` (a BACI code file, read with its flows file); None for anything else."""
    header = csv_header(path)
    if header is None:
        return None
    return "gta" if is_gta_header(header) else trade_kind(header)


def _ingest_dataset(
    store: GraphStore,
    path: Path,
    kind: str,
    bars: tuple[float | None, float | None],
    on_progress: Callable[[Path, int, int], None] | None,
) -> FileResult:
    """One dataset file through its loader; a refusal names the file, line and field."""
    from ingest.trade_derive import DEFAULT_MIN_SHARE, DEFAULT_MIN_VALUE_USD, ingest_trade_file

    if kind == "codes":
        return FileResult(path, "skipped", error="a BACI code file: read with the flows file beside it")
    try:
        if kind == "gta":
            gta = ingest_gta(store, path)
            return FileResult(path, _status(gta.summary), gta.summary, warnings=gta.warnings)
        progress = (lambda done, total: on_progress(path, done, total)) if on_progress else None
        min_share, min_value = bars
        result = ingest_trade_file(
            store, path, progress=progress, min_share=min_share or DEFAULT_MIN_SHARE,
            min_value=DEFAULT_MIN_VALUE_USD if min_value is None else min_value,
        )
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
    trade_min_value: float | None = None,
    on_progress: Callable[[Path, int, int], None] | None = None,
) -> list[FileResult]:
    """Ingest every file, each as one batch; return what happened to each, in order. Trade flows
    files make relations at ``trade_min_share`` and ``trade_min_value`` (USD; None: the defaults of
    ingest.trade_derive) and report ``on_progress(path, bytes_read, bytes_total)``."""
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
    kinds = {p: kind for p in files if (kind := dataset_kind(p))}  # read row by row, not as facts
    for path in (p for p in files if p.suffix.lower() in FACT_SUFFIXES and p not in kinds):
        try:
            facts[path] = load_facts(path)
        except TradeGraphError as e:
            record(FileResult(path, "rejected", error=str(e)))
    curated = _curated_files(facts)
    for path in files:
        try:
            if path in kinds:
                record(_ingest_dataset(store, path, kinds[path], (trade_min_share, trade_min_value), on_progress))
                continue
            if path.suffix.lower() in FACT_SUFFIXES:
                if path not in facts:
                    continue
                summary = store.upsert(with_hs_codes(facts[path]))
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
