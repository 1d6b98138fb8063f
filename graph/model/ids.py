"""Typed, readable ids: ``country:CN``, ``firm:boeing``, ``measure:cn-2025-10-09-rare-earth-export-controls``.

An id's prefix names its type, so a relation's endpoint types can be checked from the ids alone,
before either entity is looked up.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pycountry

from graph.model.enums import EntityType
from graph.model.errors import InvalidDataError
from graph.model.ontology import ontology

__all__ = ["entity_type_of", "check_entity_id", "slugify", "make_id", "document_id", "normalize_text"]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
MAX_ID_LENGTH = 200


def entity_type_of(entity_id: str, field: str = "id") -> EntityType:
    """The type an id's prefix declares; raises InvalidDataError naming ``field`` otherwise."""
    prefix, sep, _ = entity_id.partition(":")
    entity_type = ontology().type_for_prefix(prefix) if sep else None
    if entity_type is None:
        known = ", ".join(f"{p}:" for p in ontology().prefixes.values())
        raise InvalidDataError(f"{entity_id!r} has no known type prefix ({known})", field=field)
    return entity_type


def check_entity_id(entity_id: str, field: str = "id") -> EntityType:
    """Validate an id's whole form and return its type."""
    if not isinstance(entity_id, str) or not entity_id or len(entity_id) > MAX_ID_LENGTH:
        raise InvalidDataError(f"an id is a string of 1 to {MAX_ID_LENGTH} characters", field=field)
    entity_type = entity_type_of(entity_id, field)
    local = entity_id.partition(":")[2]
    if entity_type is EntityType.COUNTRY:
        if not _COUNTRY.match(local) or pycountry.countries.get(alpha_2=local) is None:
            raise InvalidDataError(
                f"{entity_id!r}: a country id is country: + an ISO 3166-1 alpha-2 code", field=field
            )
    elif not _SLUG.match(local):
        raise InvalidDataError(
            f"{entity_id!r}: the part after the prefix is lower-case letters, digits and single hyphens",
            field=field,
        )
    return entity_type


def slugify(text: str) -> str:
    """Lower-case ASCII slug; non-Latin text falls back to a short hash so ids stay readable ASCII."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        slug = "x" + hashlib.sha256(text.encode()).hexdigest()[:10]
    return slug[:120].strip("-")


def make_id(entity_type: EntityType, name: str) -> str:
    """An id of the given type from a free-text name."""
    return f"{ontology().prefixes[entity_type]}:{slugify(name)}"


def normalize_text(text: str) -> str:
    """The form of a document's text that its id is computed from: NFC, Unix newlines, trimmed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def document_id(text: str) -> str:
    """A document's id: the same text always gets the same id, whatever file it came from."""
    digest = hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
    return f"doc:{digest[:16]}"
