"""List answers as CSV, for spreadsheets and dashboards: one row per item of the answer's
``data``, the same items, filters and page as the JSON answer.

The columns come from the item's model, not from the items, so a page with no rows has the same
header as one with many: a nested model's fields become dotted columns (``entity.id``,
``measure.status``), a list of entity references becomes their ids joined by "; ", a list of
plain values the values joined by "; ", and anything else that nests (paths, evidence,
conflicts, names by language) its compact JSON, so no value of the JSON answer is lost.

The OpenAPI document states the CSV as a second media type of those endpoints' 200 answer
(``declare_csv_answers``).
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

__all__ = ["CSV_MEDIA_TYPE", "csv_of", "columns_of", "is_list_answer", "declare_csv_answers"]

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
_SEPARATOR = "; "
_DEPTH = 2  # models nested deeper than this are one JSON column


def is_list_answer(model: type[BaseModel]) -> bool:
    """Whether answers of ``model`` are lists: a ``data`` field holding a list of models."""
    field = model.model_fields.get("data")
    return field is not None and _item_model(field.annotation) is not None


def _item_model(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        return item if isinstance(item, type) and issubclass(item, BaseModel) else None
    return None


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a field that holds one model, or one model or null."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(models) == 1 and isinstance(models[0], type) and issubclass(models[0], BaseModel):
            return models[0]
    return None


def columns_of(model: type[BaseModel], prefix: tuple[str, ...] = (), depth: int = 0) -> list[tuple[str, ...]]:
    """The paths of the columns of ``model``'s rows, in field order (see the module docstring)."""
    out: list[tuple[str, ...]] = []
    for name, field in model.model_fields.items():
        key = field.serialization_alias or field.alias or name
        nested = _nested_model(field.annotation)
        if nested is not None and depth < _DEPTH:
            out += columns_of(nested, (*prefix, key), depth + 1)
        else:
            out.append((*prefix, key))
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value):
        return _SEPARATOR.join(_cell(v) for v in value)
    if isinstance(value, list) and value and all(isinstance(v, dict) and set(v) >= {"id", "type", "name"} for v in value):
        return _SEPARATOR.join(v["id"] for v in value)  # entity references
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _at(item: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = item
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _rows(answer: BaseModel, columns: list[tuple[str, ...]]) -> Iterator[list[str]]:
    for item in answer.model_dump(mode="json", by_alias=True)["data"]:
        yield [_cell(_at(item, path)) for path in columns]


def csv_of(answer: BaseModel) -> bytes:
    """The CSV of a list answer (``is_list_answer``): a header, then a row per item of ``data``."""
    item_model = _item_model(type(answer).model_fields["data"].annotation)
    assert item_model is not None, f"{type(answer).__name__} is not a list answer"
    columns = columns_of(item_model)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([".".join(path) for path in columns])
    writer.writerows(_rows(answer, columns))
    return out.getvalue().encode("utf-8")



def declare_csv_answers(document: dict) -> dict:
    """The OpenAPI document with ``text/csv`` beside ``application/json`` in the 200 answer of
    every operation that takes the ``format`` of list answers, so that what the server sends is
    what the document says. A typed client that wants the JSON says so (openapi-fetch:
    ``createClient<paths, "application/json">``), and keeps every field's type."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", ()) if isinstance(operation, dict) else ()
            if any(p.get("name") == "format" and p.get("in") == "query" and "AnswerFormat" in json.dumps(p.get("schema")) for p in parameters):
                ok = operation.get("responses", {}).get("200")
                if ok is not None:
                    ok.setdefault("content", {})["text/csv"] = {
                        "schema": {"type": "string", "description": "a header row, then one row per item of `data` (RFC 4180)"}
                    }
    return document
