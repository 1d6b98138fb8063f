"""Curated facts from YAML, JSON or CSV files, each fact carrying the quote that supports it.

A facts file names its source documents and states entities and relations; every fact gives a
``quote`` that must appear in its document, and the loader works out the character span, so a
curator never counts characters. A file becomes one batch: it loads whole or not at all, and every
error names the file, the line and the field.

YAML/JSON layout::

    documents:            # local name -> file (in the facts file's folder or below) and metadata
      article: {path: article.txt, published: 2025-10-24, language: zh}
    entities:
      - {id: "country:CN", names: {en: China, zh: 中国}, quote: 中国}          # doc defaults to the first document
    relations:
      - {source: "country:CN", type: SUPPLIES, target: "commodity:rare-earths", quote: ..., doc: article}

CSV files hold one kind of record each: a header with ``id`` means entities (``name_en``,
``name_zh``, ``aliases`` separated by ``;``), one with ``source``/``type``/``target`` means
relations; ``document`` names the text file (relative to the CSV) that ``quote`` is in.

A facts file may name only files in its own folder or below, after symlinks and ``..`` are
resolved: facts files come with feeds, and one must not make the ingest read (and the API then
serve) /etc/passwd. Texts are read like any other text (ingest.readers.read_text_file: a regular
file, capped, UTF-8 or a detected Chinese encoding), and each document keeps the file's name as its
``source``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import weakref
from pathlib import Path
from typing import Any

import yaml

from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, Relation, parse, with_stated_claims
from ingest.files import inside, read_capped
from ingest.readers import read_text_file

__all__ = ["load_facts", "locate", "files_of", "FACT_SUFFIXES", "MAX_FACTS_BYTES"]

FACT_SUFFIXES = {".yaml", ".yml", ".json", ".csv"}
MAX_FACTS_BYTES = 20 * 1024 * 1024
_LINE = "__line__"
_EVIDENCE_KEYS = {"quote", "doc", "confidence", "extractor"}


class _FactLoader(yaml.SafeLoader):
    """Safe YAML that also records each mapping's line and refuses aliases (no alias bombs).

    Dates stay strings (the model parses them, so ``2025-13-40`` is an error naming its field), and
    a scalar no constructor can build (``!!int`` with 5,000 digits, ``!!timestamp 2025-13-40``) is
    an error naming its line instead of a crash."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InvalidDataError(
                "YAML aliases are not accepted in facts files", line=event.start_mark.line + 1
            )
        return super().compose_node(parent, index)

    def construct_object(self, node, deep=False):  # noqa: ANN001, ANN201
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as e:
            value = node.value if isinstance(node.value, str) else node.tag
            raise InvalidDataError(
                f"{value[:60]!r} cannot be read as {node.tag.rsplit(':', 1)[-1]}: {e}",
                line=node.start_mark.line + 1,
            ) from e

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        mapping = super().construct_mapping(node, deep=True)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _read(path: Path) -> str:
    """A facts file's text: a regular file within MAX_FACTS_BYTES, in UTF-8 (as YAML and JSON are)."""
    raw = read_capped(path, MAX_FACTS_BYTES)
    if b"\x00" in raw:
        raise InvalidDataError("is binary, not a text facts file", file=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InvalidDataError("is not valid UTF-8", file=str(path), line=line) from e


def _text_path(facts: Path, name: object) -> Path:
    """The file a facts file names, which must be inside the facts file's folder once symlinks and
    ``..`` are resolved: a facts file from a feed may not make the ingest read /etc/passwd."""
    folder = facts.parent
    try:
        if inside(folder / str(name), folder):
            return folder / str(name)
    except ValueError as e:  # a NUL in the name
        raise InvalidDataError(f"{name!r} is not a usable file name: {e}") from e
    except (OSError, RuntimeError) as e:  # a symlink loop
        raise InvalidDataError(f"{name!r} cannot be resolved: {e}") from e
    raise InvalidDataError(
        f"{name!r} is outside the facts file's folder;"
        " a facts file may name only files in its own folder or below"
    )


def _parse_tree(path: Path, text: str) -> dict[str, Any]:
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)  # strict JSON syntax first; YAML then gives every record its line
        except json.JSONDecodeError as e:
            raise InvalidDataError(f"invalid JSON: {e.msg}", file=str(path), line=e.lineno) from e
        except RecursionError as e:
            raise InvalidDataError("JSON nested too deeply", file=str(path)) from e
        except ValueError as e:  # e.g. an integer of more than 4,300 digits
            raise InvalidDataError(f"invalid JSON: {e}", file=str(path)) from e
    try:
        tree = yaml.load(text, Loader=_FactLoader)  # noqa: S506 - _FactLoader derives from SafeLoader
    except InvalidDataError as e:
        raise e.located(file=str(path)) from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise InvalidDataError(f"invalid YAML: {e.problem}", file=str(path), line=line) from e
    except RecursionError as e:
        raise InvalidDataError("nested too deeply", file=str(path)) from e
    except yaml.YAMLError as e:
        raise InvalidDataError(f"invalid YAML: {e}", file=str(path)) from e
    if not isinstance(tree, dict):
        raise InvalidDataError("a facts file is a mapping with documents, entities and relations", file=str(path))
    unknown = set(tree) - {"documents", "entities", "relations", _LINE}
    if unknown:
        raise InvalidDataError(f"unknown sections {sorted(unknown)}", file=str(path), field=sorted(unknown)[0])
    return tree


def _load_documents(path: Path, spec: Any) -> tuple[dict[str, Document], frozenset[Path]]:
    """The documents by local name, and the files (resolved) they were read from."""
    if not isinstance(spec, dict) or not spec:
        raise InvalidDataError("needs a documents mapping naming at least one text", file=str(path), field="documents")
    documents: dict[str, Document] = {}
    files: set[Path] = set()
    for name, item in spec.items():
        if name == _LINE:
            continue
        if not isinstance(item, dict) or "path" not in item:
            raise InvalidDataError("needs a path", file=str(path), field=f"documents.{name}")
        line = item.get(_LINE)
        item = _without_lines(item)
        try:
            text_path = _text_path(path, item.pop("path"))
            text = read_text_file(text_path)
            documents[name] = parse(Document, {**item, "text": text, "source": text_path.name})
            files.add(text_path.resolve())
        except InvalidDataError as e:
            reason = f"{e.file}: {e.reason}" if e.file else e.reason
            field = f"documents.{name}.{e.field}" if e.field else f"documents.{name}.path"
            raise InvalidDataError(reason, file=str(path), line=line, field=field) from e
    return documents, frozenset(files)


def _find_quote(text: str, quote: str) -> tuple[int, int]:
    """The span of ``quote`` in ``text``; runs of white space in the quote match any white space."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    pattern = r"\s+".join(re.escape(part) for part in quote.split())
    match = re.search(pattern, text) if pattern else None
    if match is None:
        raise ValueError("is not in the document")
    return match.start(), match.end()


def _evidence(record: dict[str, Any], documents: dict[str, Document], default_doc: str, where: str) -> list[Evidence]:
    quote = record.pop("quote", None)
    doc_name = record.pop("doc", default_doc)
    confidence = record.pop("confidence", 1.0)
    extractor = record.pop("extractor", "curated")
    if not isinstance(quote, str) or not quote.strip():
        raise InvalidDataError("every fact needs a quote from its document", field=f"{where}.quote")
    if not isinstance(doc_name, str):
        raise InvalidDataError("names a document by its local name", field=f"{where}.doc")
    document = documents.get(doc_name)
    if document is None:
        raise InvalidDataError(f"unknown document {doc_name!r}", field=f"{where}.doc")
    try:
        start, end = _find_quote(document.text, quote)
    except ValueError as e:
        raise InvalidDataError(f"{quote[:60]!r} {e} {doc_name!r}", field=f"{where}.quote") from e
    data = {
        "document_id": document.id,
        "quote": document.text[start:end],
        "start": start,
        "end": end,
        "extractor": extractor,
        "confidence": confidence,
    }
    try:
        return [parse(Evidence, data)]
    except InvalidDataError as e:
        raise InvalidDataError(e.reason, field=f"{where}.{e.field}" if e.field else where) from e


def _event_evidence(record: dict[str, Any], documents: dict[str, Document], default_doc: str, where: str) -> None:
    """Resolve the quote of each lifecycle event of a measure record in place: an event may cite
    its own words (``quote``, and ``doc`` when another document says it), else it cites the
    measure's own quote."""
    measure = record.get("measure")
    events = measure.get("events") if isinstance(measure, dict) else None
    if not isinstance(events, list):
        return
    for i, event in enumerate(events):
        if isinstance(event, dict) and "quote" in event:
            event["evidence"] = _evidence(event, documents, default_doc, f"{where}.measure.events[{i}]")[0]


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != _LINE}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value


def _records(tree: dict[str, Any], section: str, path: Path) -> list[dict[str, Any]]:
    items = tree.get(section) or []
    if not isinstance(items, list):
        raise InvalidDataError("must be a list", file=str(path), field=section)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidDataError("each record is a mapping", file=str(path), field=f"{section}[{i}]")
    return items


def _batch_from_tree(path: Path, tree: dict[str, Any]) -> tuple[Batch, dict[str, int], frozenset[Path]]:
    documents, files = _load_documents(path, tree.get("documents"))
    default_doc = next(iter(documents))
    entities: list[Entity] = []
    relations: list[Relation] = []
    lines: dict[str, int] = {}
    for section, model, out in (("entities", Entity, entities), ("relations", Relation, relations)):
        for i, record in enumerate(_records(tree, section, path)):
            line = record.get(_LINE)
            record = _without_lines(record)
            where = f"{section}[{i}]"
            if isinstance(line, int):
                lines[where] = line
            try:
                evidence = _evidence(record, documents, default_doc, where)
                _event_evidence(record, documents, default_doc, where)
            except InvalidDataError as e:
                raise e.located(file=str(path), line=line) from e
            # a curator's values are statements of the quoted source (graph/model/records.py)
            out.append(with_stated_claims(parse(model, {**record, "evidence": evidence}, file=str(path), line=line)))
    return Batch(documents=list(documents.values()), entities=entities, relations=relations), lines, files


def _csv_tree(path: Path, text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    header = set(reader.fieldnames or [])
    if "id" in header:
        section = "entities"
    elif {"source", "type", "target"} <= header:
        section = "relations"
    else:
        raise InvalidDataError("a CSV header needs id (entities) or source,type,target (relations)", file=str(path), line=1)
    documents: dict[str, Any] = {}
    records = []
    rows = iter(reader)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as e:  # e.g. a field past csv.field_size_limit()
            raise InvalidDataError(f"invalid CSV: {e}", file=str(path), line=reader.line_num + 1) from e
        line = reader.line_num
        record = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
        doc_path = record.pop("document", None)
        if doc_path is None:
            raise InvalidDataError("needs the document its quote is in", file=str(path), line=line, field="document")
        record["doc"] = documents.setdefault(doc_path, {"path": doc_path}) and doc_path
        if section == "entities":
            record["names"] = {k.removeprefix("name_"): record.pop(k) for k in list(record) if k.startswith("name_")}
            if "aliases" in record:
                record["aliases"] = [a.strip() for a in record["aliases"].split(";") if a.strip()]
        else:
            if "share" in record:
                record["share"] = _number(record["share"], path, line)
        record[_LINE] = line
        records.append(record)
    return {"documents": documents, section: records}


def _number(value: str, path: Path, line: int) -> float:
    try:
        return float(value)
    except ValueError as e:
        raise InvalidDataError(f"{value!r} is not a number", file=str(path), line=line, field="share") from e


# Where each record of a loaded batch was written, so an error found later (when the store checks
# the batch: an unknown entity, a quote that moved) can still name its line; and the files its
# documents were read from (a document's ``source`` is only the file's name). Keyed by the batch's
# id and dropped when the batch is collected (pydantic models are not hashable).
_RECORD_LINES: dict[int, dict[str, int]] = {}
_FILES: dict[int, frozenset[Path]] = {}


def files_of(batch: Batch) -> frozenset[Path]:
    """The files (resolved) a batch from :func:`load_facts` read its documents from."""
    return _FILES.get(id(batch), frozenset())


def locate(batch: Batch, error: InvalidDataError, file: str | None = None) -> InvalidDataError:
    """``error`` (raised while writing ``batch``) naming the file and the line of the record its
    field points into, e.g. ``relations[3].target`` -> the line of the fourth relation."""
    line = None
    if error.field and error.line is None:
        record = re.match(r"^(entities|relations)\[\d+\]", error.field)
        if record:
            line = _RECORD_LINES.get(id(batch), {}).get(record.group(0))
    return error.located(file=file, line=line)


def load_facts(path: Path) -> Batch:
    """Read a facts file into one batch, every fact with its evidence span resolved."""
    if path.suffix.lower() not in FACT_SUFFIXES:
        raise InvalidDataError(f"facts files end in {sorted(FACT_SUFFIXES)}", file=str(path))
    text = _read(path)
    try:
        tree = _csv_tree(path, text) if path.suffix.lower() == ".csv" else _parse_tree(path, text)
        batch, lines, files = _batch_from_tree(path, tree)
    except RecursionError as e:
        raise InvalidDataError("nested too deeply", file=str(path)) from e
    except (TypeError, ValueError, AttributeError) as e:
        # A shape the checks above did not foresee: refuse the file rather than crash on it.
        raise InvalidDataError(f"malformed facts file: {type(e).__name__}: {e}", file=str(path)) from e
    _RECORD_LINES[id(batch)] = lines
    _FILES[id(batch)] = files
    weakref.finalize(batch, _RECORD_LINES.pop, id(batch), None)
    weakref.finalize(batch, _FILES.pop, id(batch), None)
    return batch
