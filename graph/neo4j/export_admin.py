"""``tradegraph export --format neo4j-admin``: CSV files and headers for
``neo4j-admin database import full``, the fastest way to load a large graph into a new database.

The files hold the same nodes, relationships and properties as a sync (graph.neo4j.rows), one node
file per label and one relationship file per type. Arrays are split on U+001F (evidence is JSON
and may hold any printable character) and document texts span lines, hence the two options in
the command written to ``import.args``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.model.enums import EntityType, RelationType
from graph.names import NAMES_RULE
from graph.neo4j.rows import entity_props, evidence_json, relation_props
from graph.store import GraphReader, GraphStore

__all__ = ["export_neo4j_admin", "ARRAY_DELIMITER", "IMPORT_OPTIONS"]

ARRAY_DELIMITER = "\x1f"
IMPORT_OPTIONS = ["--array-delimiter=U+001F", "--multiline-fields=true"]
# By exact type: a datetime (a document's ingested, zoned) is a date too, and must stay a DateTime.
_TYPES = {list: "string[]", float: "double", int: "long", date: "date", datetime: "datetime", bool: "boolean"}


def _kind(values: Iterable[Any]) -> str:
    for value in values:
        if value is not None:
            name = _TYPES.get(type(value))
            return f":{name}" if name else ""
    return ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(path: Path, fixed: list[str], rows: list[dict[str, Any]], fixed_values: list[list[str]]) -> None:
    keys = sorted({k for row in rows for k in row})
    header = fixed + [f"{k}{_kind(row.get(k) for row in rows)}" for k in keys]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for lead, row in zip(fixed_values, rows, strict=True):
            writer.writerow(lead + [_cell(row.get(k)) for k in keys])


def export_neo4j_admin(store: GraphStore, folder: Path) -> list[str]:
    """Write the CSV files into ``folder``; return the arguments for ``neo4j-admin database import full``.
    Every file is read through one ``store.snapshot()``, so together they hold one version."""
    with store.snapshot() as reader:
        return _export(reader, folder)


def _export(store: GraphReader, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    args = list(IMPORT_OPTIONS)
    by_type: dict[EntityType, list[dict[str, Any]]] = {}
    mentions: set[tuple[str, str]] = set()
    relation_keys: dict[str, set[str]] = {}
    evidence_count = 0
    for entity in store.iter_entities():
        by_type.setdefault(entity.type, []).append(entity_props(entity))
        mentions |= {(e.document_id, entity.id) for e in entity.evidence}
        evidence_count += len(entity.evidence)
    for entity_type, rows in sorted(by_type.items()):
        path = folder / f"nodes_{entity_type.value}.csv"
        _write(path, ["id:ID", ":LABEL"], [{k: v for k, v in r.items() if k != "id"} for r in rows], [[r["id"], f"Entity{ARRAY_DELIMITER}{entity_type.value}"] for r in rows])
        args.append(f"--nodes={path.name}")
    rel_rows: dict[RelationType, list[tuple[str, str, dict[str, Any]]]] = {}
    for relation in store.iter_relations():
        props = relation_props(relation) | {"key": relation.key, "evidence": [evidence_json(e) for e in relation.evidence]}
        rel_rows.setdefault(relation.type, []).append((relation.source, relation.target, props))
        for evidence in relation.evidence:
            relation_keys.setdefault(evidence.document_id, set()).add(relation.key)
        evidence_count += len(relation.evidence)
    documents = [store.document(d.id) for d in store.documents()]
    doc_rows = [
        {k: v for k, v in d.model_dump(exclude={"id"}).items() if v is not None} | {"relation_keys": sorted(relation_keys.get(d.id, ()))}
        for d in documents
        if d is not None
    ]
    _write(folder / "nodes_Document.csv", ["id:ID", ":LABEL"], doc_rows, [[d.id, "Document"] for d in documents if d is not None])
    _write(folder / "nodes_Meta.csv", ["id:ID", ":LABEL"], [{"version": 1, "evidence": evidence_count, "names_rule": NAMES_RULE}], [["store", "Meta"]])
    args += ["--nodes=nodes_Document.csv", "--nodes=nodes_Meta.csv"]
    for relation_type, rows in sorted(rel_rows.items()):
        path = folder / f"relationships_{relation_type.value}.csv"
        _write(path, [":START_ID", ":END_ID", ":TYPE"], [r[2] for r in rows], [[r[0], r[1], relation_type.value] for r in rows])
        args.append(f"--relationships={path.name}")
    mention_rows = sorted(mentions)
    _write(folder / "relationships_MENTIONS.csv", [":START_ID", ":END_ID", ":TYPE"], [{} for _ in mention_rows], [[d, e, "MENTIONS"] for d, e in mention_rows])
    args.append("--relationships=relationships_MENTIONS.csv")
    (folder / "import.args").write_text("\n".join(args) + "\n", encoding="utf-8")
    return args

