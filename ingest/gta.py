"""Global Trade Alert's intervention export (CSV) as measures with their lifecycle.

GTA records each government act as a *state act* holding one or more *interventions*; one
intervention becomes one Measure (``measure:gta-<intervention id>``) with its type, status and
announced / implemented / removed dates, IMPOSES from each implementing jurisdiction, TARGETS each
affected jurisdiction and COVERS each affected HS product (``commodity:hs-<6 digits>``, the
code entity of graph.hs, written with its ancestors and IS_A up to the section).

Citing a record: every intervention is kept as a small Document whose text is the record as the
file gives it, one ``Column: value`` line per column, titled with the dataset and intervention id
and sourced to the file and line. Each fact quotes the value it was read from (the title, one
jurisdiction name, one HS code), so evidence names dataset, file, line, intervention and column.
The same record read again, from this file or a later export, is the same document: nothing new.

A file is read twice, a row at a time: the first pass checks every row (a bad row stops the
import before anything is written, naming file, line and column); the second writes batches of
:data:`ROWS_PER_BATCH` rows. Memory stays bounded by a batch and the set of intervention ids.
A jurisdiction name nobody knows is a warning naming file, line, column and value, and only that
edge is left out: GTA's lists of affected jurisdictions run to 200 names and one new spelling
should not keep the other 199 out.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

from graph.hs import describe, hs_batch, hs_entity_id, uncoded_entity
from graph.model.enums import RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, Relation
from graph.store import GraphStore, WriteSummary
from ingest.gta_rows import Intervention, rows
from ingest.gta_vocabulary import UNKNOWN, GtaVocabulary, gta_vocabulary

__all__ = ["DATASET", "EXTRACTOR", "ROWS_PER_BATCH", "GtaResult", "ingest_gta"]

DATASET = "Global Trade Alert"
EXTRACTOR = "gta"
ROWS_PER_BATCH = 500


@dataclass
class GtaResult:
    summary: WriteSummary
    warnings: list[str]
    interventions: int


def _document(path: Path, item: Intervention) -> tuple[Document, dict[str, int]]:
    """The record as a document, and where each column's value starts in its text."""
    lines = [f"{DATASET} intervention {item.intervention_id}"]
    starts: dict[str, int] = {}
    offset = len(lines[0]) + 1
    for header, value in item.values:
        prefix = f"{header}: "
        starts[header] = offset + len(prefix)
        lines.append(prefix + value)
        offset += len(prefix) + len(value) + 1
    document = Document(
        title=f"{DATASET} intervention {item.intervention_id}: {item.title}"[:1000],
        url=f"https://www.globaltradealert.org/intervention/{item.intervention_id}",
        source=f"{path.name}, line {item.line}",
        text="\n".join(lines),
    )
    return document, starts


class _Facts:
    """The facts of one batch of rows, merged by id so a country named in many rows is one entity."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self.entities: dict[str, Entity] = {}
        self.relations: dict[str, Relation] = {}
        self.codes: set[str] = set()

    def entity(self, entity: Entity) -> None:
        old = self.entities.get(entity.id)
        self.entities[entity.id] = entity if old is None else old.merged(entity)

    def relation(self, relation: Relation) -> None:
        old = self.relations.get(relation.key)
        self.relations[relation.key] = relation if old is None else old.merged(relation)

    def add(self, path: Path, item: Intervention, vocabulary: GtaVocabulary) -> None:
        document, starts = _document(path, item)
        self.documents[document.id] = document
        text = document.text

        def cite(header: str, value: str, whole: bool = False) -> list[Evidence]:
            """The value's span in its column's line of the record: the whole line's value, or
            one item of its comma-separated list."""
            if whole:
                start = starts[header]
            else:
                item = re.compile(r"(?:(?<=[,;])|(?<=: )) *(" + re.escape(value) + r") *(?=[,;]|$)", re.MULTILINE)
                start = item.search(text, starts[header]).start(1)
            return [Evidence(document_id=document.id, quote=value, start=start, end=start + len(value), extractor=EXTRACTOR)]

        headers = item.headers
        measure_id = f"measure:gta-{item.intervention_id}"
        attributes = {
            "dataset": DATASET,
            "gta_intervention_id": item.intervention_id,
            "gta_state_act_id": item.state_act_id,
            "gta_evaluation": item.evaluation,
            "gta_intervention_type": item.intervention_type,
            "gta_mast_chapter": item.mast_chapter,
            "subtype": item.subtype,
        }
        self.entity(Entity(
            id=measure_id,
            names={"en": item.title[:300]},
            attributes={k: v for k, v in attributes.items() if v is not None},
            measure=item.measure,
            evidence=cite(headers["title"], item.title, whole=True),
        ))
        for field, relation_type in (("implementing", RelationType.IMPOSES), ("affected", RelationType.TARGETS)):
            for name, entity_id in getattr(item, field):
                if entity_id is None or entity_id == UNKNOWN:
                    continue
                evidence = cite(headers[field], name)
                self.entity(vocabulary.lexicon.entries[entity_id].entity.model_copy(update={"evidence": evidence}))
                ends = (entity_id, measure_id) if relation_type is RelationType.IMPOSES else (measure_id, entity_id)
                self.relation(Relation(source=ends[0], type=relation_type, target=ends[1], evidence=evidence))
        for raw, code in item.products:
            evidence = cite(headers["products"], raw)
            if describe(code) is not None:
                self.codes.add(code)
            else:
                self.entity(uncoded_entity(code, None, evidence))
            self.relation(Relation(source=measure_id, type=RelationType.COVERS, target=hs_entity_id(code), evidence=evidence))

    def batch(self) -> Batch:
        """The batch's facts with the code entities its goods need (graph.hs.hs_batch): the same
        code entity, names and hierarchy whoever writes the code, so GTA, the lexicon and trade
        flows meet on one node."""
        nomenclature = hs_batch(sorted(self.codes))
        for document in nomenclature.documents:
            self.documents.setdefault(document.id, document)
        for entity in nomenclature.entities:
            self.entity(entity)
        for relation in nomenclature.relations:
            self.relation(relation)
        return Batch(documents=list(self.documents.values()), entities=list(self.entities.values()), relations=list(self.relations.values()))


def _add(total: WriteSummary, part: WriteSummary) -> WriteSummary:
    return WriteSummary(**{f.name: getattr(total, f.name) + getattr(part, f.name) for f in dataclasses.fields(WriteSummary)})


def _check(path: Path, vocabulary: GtaVocabulary, warnings: list[str]) -> int:
    """The first pass: every row read and checked, ids unique; nothing kept but the ids."""
    seen: dict[str, int] = {}
    for item in rows(path, vocabulary, warnings):
        first = seen.setdefault(item.intervention_id, item.line)
        if first != item.line:
            raise InvalidDataError(
                f"intervention {item.intervention_id} is also on line {first}", file=str(path), line=item.line,
                field=item.headers["intervention_id"],
            )
    return len(seen)


def ingest_gta(store: GraphStore, path: Path, *, rows_per_batch: int = ROWS_PER_BATCH) -> GtaResult:
    """Load a GTA export into ``store``: checked whole first, then written a batch at a time."""
    vocabulary = gta_vocabulary()
    warnings: list[str] = []
    count = _check(path, vocabulary, warnings)
    summary = WriteSummary()
    facts, lines = _Facts(), []
    for item in rows(path, vocabulary, []):
        facts.add(path, item, vocabulary)
        lines.append(item.line)
        if len(lines) >= rows_per_batch:
            summary = _add(summary, _write(store, facts, path, lines))
            facts, lines = _Facts(), []
    if lines:
        summary = _add(summary, _write(store, facts, path, lines))
    return GtaResult(summary, warnings, count)


def _write(store: GraphStore, facts: _Facts, path: Path, lines: list[int]) -> WriteSummary:
    try:
        return store.upsert(facts.batch())
    except InvalidDataError as e:
        raise InvalidDataError(f"{e.reason} (in the batch of lines {lines[0]}-{lines[-1]})", file=str(path), field=e.field) from e
