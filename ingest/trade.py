"""Bilateral trade flows files: CEPII BACI as published, and a plain CSV for other sources.

A file is recognised by its header, not its name:

- BACI yearly flows, ``t,i,j,k,v,q`` (year, exporter code, importer code, HS6 product, value in
  thousands of USD, quantity in tonnes, which may be blank or ``NA``), read with the code files
  published beside it: ``country_codes_V<version>.csv`` (numeric code to ISO codes and name) and
  ``product_codes_HS<rev>_V<version>.csv`` (HS6 code to description). BACI writes a product code
  as a number, so ``10121`` is 010121.
- plain flows, ``year,exporter,importer,hs6,value_usd,quantity`` with ISO 3166 alpha-2 or alpha-3
  country codes and values in USD. One file is one dataset, named after the file.

Rows are read one at a time (memory stays flat for an eleven-million-row year) and checked as
they are read; a bad row is an error naming the file, the line and the field, and it rejects the
whole file: nothing of a file is stored unless every row of it is good (graph/flows.py loads a
file in one transaction, or, on Neo4j, checks every row before the first write).

Speed: a BACI year has eleven million rows and few distinct keys (a few hundred country codes,
five thousand products, one year), so a row's codes are looked up in dictionaries of codes
already checked, and a row that misses one (or fails any conversion) is read again by the
checking parser, which either adds the code or raises the error naming line and field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from graph.flows import FlowRow
from graph.model.errors import InvalidDataError
from ingest.files import csv_header, open_stream

__all__ = ["BACI_HEADER", "CODE_HEADERS", "PLAIN_HEADER", "TradeFile", "file_sha256", "open_trade_file", "trade_kind"]

BACI_HEADER = ("t", "i", "j", "k", "v", "q")
PLAIN_HEADER = ("year", "exporter", "importer", "hs6", "value_usd", "quantity")
#: The headers of BACI's code files: they are recognised and left for the flows file to read.
CODE_HEADERS = {"country_codes": {"country_code", "country_name"}, "product_codes": {"code", "description"}}
_BACI_NAME = re.compile(r"^BACI_HS(?P<rev>\d{2})_Y(?P<year>\d{4})_V(?P<version>\w+)\.csv$", re.IGNORECASE)
_BLANK_QUANTITY = {"", "NA", "na", "NaN", "nan"}
_INF = math.inf
#: Progress is reported every this many rows.
PROGRESS_EVERY = 50_000


def trade_kind(header: list[str]) -> str | None:
    """``"baci"`` or ``"plain"`` for a flows file's header (ingest.files.csv_header), ``"codes"``
    for a BACI code file's, else None."""
    fields = tuple(field.lower() for field in header)
    if fields == BACI_HEADER:
        return "baci"
    if fields == PLAIN_HEADER:
        return "plain"
    if any(columns <= set(fields) for columns in CODE_HEADERS.values()) and len(fields) <= 6:
        return "codes"
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_stream(path) as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class TradeFile:
    """A flows file ready to be read: its dataset name, the countries and products it names, and
    its rows (:meth:`rows`, read again from disk on every call)."""

    path: Path
    kind: str
    dataset: str
    #: code as written in the file -> (stored country code, name)
    countries: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: HS6 code -> description (BACI's product file; empty for plain files)
    products: dict[str, str] = field(default_factory=dict)

    def rows(self, progress: Callable[[int, int], None] | None = None) -> Iterator[FlowRow]:
        """Every row as a FlowRow, checked; ``progress(bytes_read, bytes_total)`` now and then."""
        total = self.path.stat().st_size
        with open_stream(self.path) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(text)
            next(reader, None)
            rows = self._baci_rows(reader) if self.kind == "baci" else self._plain_rows(reader)
            n = 0
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except (csv.Error, UnicodeDecodeError) as e:
                    raise InvalidDataError(f"unreadable CSV: {e}", file=str(self.path), line=reader.line_num + 1) from e
                yield row
                n += 1
                if progress is not None and n % PROGRESS_EVERY == 0:
                    progress(raw.tell(), total)
            if progress is not None:
                progress(total, total)

    def _baci_rows(self, reader: Iterator[list[str]]) -> Iterator[FlowRow]:
        """The fast path: codes seen before are dictionary hits; anything else goes through
        :meth:`_baci_row`, which checks every field."""
        countries = {code: stored for code, (stored, _) in self.countries.items()}
        products: dict[str, str] = {}
        years: dict[str, int] = {}
        for row in reader:
            if not row:
                continue
            try:
                t, i, j, k, v, q = row
                value = float(v)
                if not 0.0 <= value < _INF:
                    raise ValueError(v)
                quantity = None if q in _BLANK_QUANTITY else float(q)
                if quantity is not None and not 0.0 <= quantity < _INF:
                    raise ValueError(q)
                parsed = (years[t], countries[i], countries[j], products[k], round(value * 1000, 2), quantity, reader.line_num)  # type: ignore[attr-defined]
            except (ValueError, KeyError):
                parsed = self._baci_row(row, reader.line_num)  # type: ignore[attr-defined]
                years[row[0]], products[row[3]] = parsed[0], parsed[3]
            yield parsed

    def _plain_rows(self, reader: Iterator[list[str]]) -> Iterator[FlowRow]:
        for row in reader:
            if row:
                yield self._plain_row(row, reader.line_num)  # type: ignore[attr-defined]

    def _bad(self, message: str, line: int, column: str) -> InvalidDataError:
        return InvalidDataError(message, file=str(self.path), line=line, field=column)

    def _fields(self, row: list[str], line: int, header: tuple[str, ...]) -> list[str]:
        if len(row) != len(header):
            raise self._bad(f"has {len(row)} fields, the header {len(header)}", line, header[min(len(row), len(header) - 1)])
        return [v.strip() for v in row]

    def _year(self, text: str, line: int, column: str) -> int:
        if not (len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100):
            raise self._bad(f"{text[:20]!r} is not a year", line, column)
        return int(text)

    def _number(self, text: str, line: int, column: str, *, blank_ok: bool = False) -> float | None:
        if blank_ok and text in _BLANK_QUANTITY:
            return None
        try:
            value = float(text)
        except ValueError:
            raise self._bad(f"{text[:20]!r} is not a number", line, column) from None
        if not math.isfinite(value) or value < 0:
            raise self._bad(f"{text[:20]!r} is not a finite number of at least 0", line, column)
        return value

    def _hs6(self, text: str, line: int, column: str) -> str:
        code = text.replace(".", "")
        if not (code.isdigit() and 5 <= len(code) <= 6):
            raise self._bad(f"{text[:20]!r} is not an HS6 product code", line, column)
        return code.zfill(6)

    def _country(self, text: str, line: int, column: str) -> str:
        found = self.countries.get(text)
        if found is None:
            raise self._bad(f"{text[:20]!r} is not in the country codes", line, column)
        return found[0]

    def _baci_row(self, row: list[str], line: int) -> FlowRow:
        t, i, j, k, v, q = self._fields(row, line, BACI_HEADER)
        value = self._number(v, line, "v")
        year, exporter, importer, hs6 = self._year(t, line, "t"), self._country(i, line, "i"), self._country(j, line, "j"), self._hs6(k, line, "k")
        return (year, exporter, importer, hs6, round(value * 1000, 2), self._number(q, line, "q", blank_ok=True), line)

    def _plain_row(self, row: list[str], line: int) -> FlowRow:
        year, exporter, importer, hs6, value, quantity = self._fields(row, line, PLAIN_HEADER)
        return (
            self._year(year, line, "year"),
            self._iso(exporter, line, "exporter"),
            self._iso(importer, line, "importer"),
            self._hs6(hs6, line, "hs6"),
            self._number(value, line, "value_usd"),
            self._number(quantity, line, "quantity", blank_ok=True),
            line,
        )

    def _iso(self, text: str, line: int, column: str) -> str:
        code = text.upper()
        if code not in self.countries:
            country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else pycountry.countries.get(alpha_3=code)
            if country is None:
                raise self._bad(f"{text[:20]!r} is not an ISO 3166 country code", line, column)
            self.countries[code] = (country.alpha_2, country.name)
        return self.countries[code][0]


def _code_file(folder: Path, pattern: str, flows: Path, what: str) -> Path:
    found = sorted(folder.glob(pattern))
    if not found:
        raise InvalidDataError(f"needs the {what} file {pattern} beside it", file=str(flows))
    return found[-1]


def _read_codes(path: Path, key_columns: tuple[str, ...], value_columns: tuple[tuple[str, ...], ...]) -> list[tuple[int, str, list[str]]]:
    """(line, key, values) per row of a BACI code file; each column may go by several names."""
    with io.TextIOWrapper(open_stream(path), encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.DictReader(f)
        header = set(reader.fieldnames or [])

        def column(names: tuple[str, ...]) -> str | None:
            return next((n for n in names if n in header), None)

        key = column(key_columns)
        if key is None:
            raise InvalidDataError(f"needs a column {' or '.join(key_columns)}", file=str(path), line=1)
        values = [column(names) for names in value_columns]
        return [(reader.line_num, (row[key] or "").strip(), [(row[c] or "").strip() if c else "" for c in values]) for row in reader]


def _baci_countries(path: Path) -> dict[str, tuple[str, str]]:
    """Numeric code -> (ISO alpha-2 when BACI gives a real one, else its alpha-3, and the name)."""
    rows = _read_codes(
        path, ("country_code",), (("country_iso2", "iso_2digit_alpha"), ("country_iso3", "iso_3digit_alpha"), ("country_name", "country_name_abbreviation"))
    )
    countries = {}
    for line, code, (iso2, iso3, name) in rows:
        if not code.isdigit():
            raise InvalidDataError(f"{code[:20]!r} is not a numeric country code", file=str(path), line=line, field="country_code")
        real = iso2.upper() if len(iso2) == 2 and pycountry.countries.get(alpha_2=iso2.upper()) else None
        countries[str(int(code))] = (real or iso3.upper() or f"C{code}", name or iso3 or code)
    return countries


def _baci_products(path: Path) -> dict[str, str]:
    rows = _read_codes(path, ("code",), (("description",),))
    products = {}
    for line, code, (description,) in rows:
        if not (code.isdigit() and len(code) <= 6):
            raise InvalidDataError(f"{code[:20]!r} is not an HS6 code", file=str(path), line=line, field="code")
        products[code.zfill(6)] = description
    return products


def open_trade_file(path: Path) -> TradeFile:
    """A flows file with what it needs to be read (BACI: its code files, found beside it)."""
    kind = trade_kind(csv_header(path) or [])
    if kind == "plain":
        return TradeFile(path, kind, dataset=path.stem)
    if kind != "baci":
        raise InvalidDataError(f"not a flows file: the header is neither {','.join(BACI_HEADER)} nor {','.join(PLAIN_HEADER)}", file=str(path), line=1)
    named = _BACI_NAME.match(path.name)
    version = named.group("version") if named else "*"
    rev = named.group("rev") if named else "*"
    countries = _code_file(path.parent, f"country_codes_V{version}.csv", path, "country codes")
    products = _code_file(path.parent, f"product_codes_HS{rev}_V{version}.csv", path, "product codes")
    dataset = f"BACI HS{rev} V{version}" if named else f"BACI {path.stem}"
    return TradeFile(path, kind, dataset=dataset, countries=_baci_countries(countries), products=_baci_products(products))
