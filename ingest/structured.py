"""Curated facts from YAML, JSON or CSV files, each fact carrying the quote that supports it.

A facts file names its source documents and states entities and relations; every fact gives a
``quote`` that must appear in its document, and the loader works out the character span, so a
curator never counts characters. A file becomes one batch: it loads whole or not at all, and every
error names the file, the line and the field.

YAML/JSON layout::

    documents:            # local name -> file (relative to the facts file) and metadata
      article: {path: article.txt, published: 2025-10-24, language: zh}
    entities:
      - {id: "country:CN", names: {en: China, zh: 中国}, quote: 中国}          # doc defaults to the first document
    relations:
      - {source: "country:CN", type: SUPPLIES, target: "commodity:rare-earths", quote: ..., doc: article}

CSV files hold one kind of record each: a header with ``id`` means entities (``name_en``,
``name_zh``, ``aliases`` separated by ``;``), one with ``source``/``type``/``target`` means
relations; ``document`` names the text file (relative to the CSV) that ``quote`` is in.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml

from graph.errors import InvalidDataError
from graph.model import Batch, Document, Entity, Evidence, Relation, parse

__all__ = ["load_facts", "FACT_SUFFIXES", "MAX_FACTS_BYTES"]

FACT_SUFFIXES = {".yaml", ".yml", ".json", ".csv"}
MAX_FACTS_BYTES = 20 * 1024 * 1024
_LINE = "__line__"
_EVIDENCE_KEYS = {"quote", "doc", "confidence", "extractor"}


class _FactLoader(yaml.SafeLoader):
    """Safe YAML that also records each mapping's line and refuses aliases (no alias bombs)."""

    def compose_node(self, parent, index):  # noqa: ANN001, ANN201 - PyYAML's signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InvalidDataError(
                "YAML aliases are not accepted in facts files", line=event.start_mark.line + 1
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201
        mapping = super().construct_mapping(node, deep=True)
        mapping[_LINE] = node.start_mark.line + 1
        return mapping


def _read(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InvalidDataError(f"cannot read: {e.strerror}", file=str(path)) from e
    if size > MAX_FACTS_BYTES:
        raise InvalidDataError(f"is {size} bytes, more than the {MAX_FACTS_BYTES} a facts file may have", file=str(path))
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InvalidDataError("is binary, not a text facts file", file=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InvalidDataError("is not valid UTF-8", file=str(path), line=line) from e


def _parse_tree(path: Path, text: str) -> dict[str, Any]:
    if path.suffix == ".json":
        try:
            json.loads(text)  # strict JSON syntax first; YAML then gives every record its line
        except json.JSONDecodeError as e:
            raise InvalidDataError(f"invalid JSON: {e.msg}", file=str(path), line=e.lineno) from e
        except RecursionError as e:
            raise InvalidDataError("JSON nested too deeply", file=str(path)) from e
    try:
        tree = yaml.load(text, Loader=_FactLoader)  # noqa: S506 - _FactLoader derives from SafeLoader
    except InvalidDataError as e:
        raise e.located(file=str(path)) from e
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise InvalidDataError(f"invalid YAML: {e.problem}", file=str(path), line=line) from e
    except (yaml.YAMLError, RecursionError) as e:
        raise InvalidDataError(f"invalid YAML: {e}", file=str(path)) from e
    if not isinstance(tree, dict):
        raise InvalidDataError("a facts file is a mapping with documents, entities and relations", file=str(path))
    unknown = set(tree) - {"documents", "entities", "relations", _LINE}
    if unknown:
        raise InvalidDataError(f"unknown sections {sorted(unknown)}", file=str(path), field=sorted(unknown)[0])
    return tree


def _load_documents(path: Path, spec: Any) -> dict[str, Document]:
    if not isinstance(spec, dict) or not spec:
        raise InvalidDataError("needs a documents mapping naming at least one text", file=str(path), field="documents")
    documents: dict[str, Document] = {}
    for name, item in spec.items():
        if name == _LINE:
            continue
        if not isinstance(item, dict) or "path" not in item:
            raise InvalidDataError("needs a path", file=str(path), field=f"documents.{name}")
        line = item.get(_LINE)
        item = _without_lines(item)
        text_path = path.parent / str(item.pop("path"))
        text = _read(text_path)
        documents[name] = parse(Document, {**item, "text": text, "source": str(text_path)}, file=str(path), line=line)
    return documents


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
    document = documents.get(doc_name)
    if document is None:
        raise InvalidDataError(f"unknown document {doc_name!r}", field=f"{where}.doc")
    try:
        start, end = _find_quote(document.text, quote)
    except ValueError as e:
        raise InvalidDataError(f"{quote[:60]!r} {e} {doc_name!r}", field=f"{where}.quote") from e
    return [
        Evidence(
            document_id=document.id,
            quote=document.text[start:end],
            start=start,
            end=end,
            extractor=extractor,
            confidence=confidence,
        )
    ]


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


def _batch_from_tree(path: Path, tree: dict[str, Any]) -> Batch:
    documents = _load_documents(path, tree.get("documents"))
    default_doc = next(iter(documents))
    entities: list[Entity] = []
    relations: list[Relation] = []
    for section, model, out in (("entities", Entity, entities), ("relations", Relation, relations)):
        for i, record in enumerate(_records(tree, section, path)):
            line = record.get(_LINE)
            record = _without_lines(record)
            where = f"{section}[{i}]"
            try:
                evidence = _evidence(record, documents, default_doc, where)
            except InvalidDataError as e:
                raise e.located(file=str(path), line=line) from e
            out.append(parse(model, {**record, "evidence": evidence}, file=str(path), line=line))
    return Batch(documents=list(documents.values()), entities=entities, relations=relations)


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
    for row in reader:
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


def load_facts(path: Path) -> Batch:
    """Read a facts file into one batch, every fact with its evidence span resolved."""
    if path.suffix not in FACT_SUFFIXES:
        raise InvalidDataError(f"facts files end in {sorted(FACT_SUFFIXES)}", file=str(path))
    text = _read(path)
    tree = _csv_tree(path, text) if path.suffix == ".csv" else _parse_tree(path, text)
    return _batch_from_tree(path, tree)
