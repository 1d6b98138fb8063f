"""Reading a Global Trade Alert intervention export: its header told from other CSV files, and each
row checked into an :class:`Intervention`, one at a time.

Every error names the file, the line and the column as the header spells it. Bytes are decoded a
line at a time so that a byte that is not UTF-8 names its line too. See docs/trade.md for the
columns and values accepted, and ingest/gta.py for what the rows become.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.model.enums import MeasureStatus
from graph.model.errors import InvalidDataError
from graph.model.records import MeasureAttributes, parse
from ingest.files import open_stream
from ingest.gta_vocabulary import UNKNOWN, GtaVocabulary

__all__ = ["COLUMNS", "REQUIRED", "Intervention", "is_gta_header", "rows"]

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


def is_gta_header(header: list[str]) -> bool:
    """Whether a CSV header names an intervention id and an intervention type or implementing
    jurisdiction: how a GTA export is told from a curated facts CSV."""
    found = _find_columns(header)
    return "intervention_id" in found and ("intervention_type" in found or "implementing" in found)


@dataclass(frozen=True)
class Intervention:
    """One row, checked: what the facts are made from."""

    line: int
    values: list[tuple[str, str]]  # (header as written, value) for every non-empty column
    headers: dict[str, str]  # our field -> its column's header as written
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


def _clean(value: str) -> str:
    """A value as it goes into the record's text: NFC, on one line, trimmed."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _date(value: str, fail: Callable[[str], None]) -> dt.date | None:
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


def _hs_codes(value: str, fail: Callable[[str], None]) -> list[tuple[str, str]]:
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

        def failer(field: str) -> Callable[[str], None]:
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
            headers={field: self.header[index] for field, index in self.columns.items()},
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


def rows(path: Path, vocabulary: GtaVocabulary, warnings: list[str]) -> Iterator[Intervention]:
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

