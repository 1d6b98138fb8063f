"""``tradegraph export --format cypher``: a script that rebuilds the graph in an empty Neo4j.

The script is the very statements the Neo4j store runs (graph.neo4j.rows), with each parameter
written out as a Cypher literal, so loading it gives the same nodes, relationships and properties
as syncing. Literals never contain a raw line break, so every statement ends with ``;`` at the end
of a line and a loader can split on that.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from graph.neo4j.cypher import schema_statements
from graph.neo4j.rows import plan_statements
from graph.store import GraphReader, GraphStore
from graph.sync import batched
from graph.write_plan import WritePlan

__all__ = ["cypher_script", "literal", "split_statements"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def literal(value: Any) -> str:
    """A Cypher literal for a parameter value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("Cypher has no literal for a non-finite number")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime):  # before date, its base class: a document's ingested (UTC)
        return f"{'datetime' if value.tzinfo else 'localdatetime'}('{value.isoformat()}')"
    if isinstance(value, date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            name = key if _IDENTIFIER.match(key) else "`" + key.replace("`", "``") + "`"
            parts.append(f"{name}: {literal(item)}")
        return "{" + ", ".join(parts) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _render(statement: str, parameters: dict[str, Any]) -> str:
    body = _PARAMETER.sub(lambda m: literal(parameters[m.group(1)]), statement.strip())
    return body + ";"


def _plans(store: GraphReader, batch_size: int) -> Iterator[WritePlan]:
    """Everything in ``store`` as plans that create it from nothing."""
    for ids in batched([d.id for d in store.documents()], max(1, batch_size // 10)):
        plan = WritePlan(new_documents=[d for d in (store.document(i) for i in ids) if d is not None])
        plan.summary.documents_added = len(plan.new_documents)
        yield plan
    for kind in ("entities", "relations"):
        rows = store.iter_entities() if kind == "entities" else store.iter_relations()
        for chunk in batched(rows, batch_size):
            plan = WritePlan()
            getattr(plan, kind).extend(chunk)
            subject = (lambda item: item.id) if kind == "entities" else (lambda item: item.key)
            plan.new_evidence = [(subject(item), e) for item in chunk for e in item.evidence]
            plan.summary.evidence_added = len(plan.new_evidence)
            yield plan
    decisions = store.decisions()
    if decisions:
        plan = WritePlan(new_decisions=decisions)
        plan.summary.decisions_added = len(decisions)
        yield plan


def cypher_script(store: GraphStore, *, batch_size: int = 200) -> Iterator[str]:
    """The script, statement by statement, each ending in ``;`` and a newline. It is read
    through one ``store.snapshot()``: the script is the graph at one version, however long the
    caller takes to consume it and whatever is written meanwhile."""
    yield "// tradegraph export: load into an empty Neo4j 5 database, e.g. cypher-shell -f tradegraph.cypher\n"
    for statement in schema_statements():
        yield statement + ";\n"
    with store.snapshot() as reader:
        for plan in _plans(reader, batch_size):
            for statement, parameters in plan_statements(plan, []):
                yield _render(statement, parameters) + "\n"


def split_statements(script: str) -> list[str]:
    """The statements of a script written by :func:`cypher_script`, comments dropped."""
    statements, current = [], []
    for line in script.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("//")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip()[:-1])
            current = []
    return statements
