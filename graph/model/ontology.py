"""The ontology: which entity types exist, which relations may join them, how measures classify.

The rules live in ``ontology.yaml`` so that analysts can read them without reading Python; this
module loads the file once and checks it whole against the enumerations in :mod:`graph.model.enums`, so
a typo in the data fails at import with the key that is wrong rather than deep inside a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from graph.model.enums import EntityType, MeasureStatus, MeasureType, RelationType
from graph.model.errors import InvalidDataError

__all__ = ["Ontology", "RelationRule", "MeasureClass", "MastChapter", "ontology", "mast_chapters"]

ONTOLOGY_FILE = Path(__file__).with_name("ontology.yaml")


@dataclass(frozen=True)
class RelationRule:
    """What a relation type allows: endpoint types and the typed attributes it may carry."""

    type: RelationType
    description: str
    sources: frozenset[EntityType]
    targets: frozenset[EntityType]
    attributes: frozenset[str]


@dataclass(frozen=True)
class MeasureClass:
    """A measure type's place in UNCTAD's MAST classification."""

    type: MeasureType
    mast: str | None
    mast_title: str


@dataclass(frozen=True)
class Ontology:
    prefixes: dict[EntityType, str]
    descriptions: dict[EntityType, str]
    relations: dict[RelationType, RelationRule]
    measures: dict[MeasureType, MeasureClass]

    def type_for_prefix(self, prefix: str) -> EntityType | None:
        """The entity type whose ids start with ``prefix:``, or None."""
        for entity_type, known in self.prefixes.items():
            if known == prefix:
                return entity_type
        return None


def _enum_keys(section: dict, enum: type, where: str) -> None:
    declared = set(section)
    expected = {member.value for member in enum}
    if declared != expected:
        missing = sorted(expected - declared)
        unknown = sorted(declared - expected)
        raise InvalidDataError(
            f"keys differ from {enum.__name__}: missing {missing}, unknown {unknown}",
            file=str(ONTOLOGY_FILE),
            field=where,
        )


def _entity_types(names: list, where: str) -> frozenset[EntityType]:
    try:
        return frozenset(EntityType(name) for name in names)
    except ValueError as e:
        raise InvalidDataError(str(e), file=str(ONTOLOGY_FILE), field=where) from e


def load(path: Path = ONTOLOGY_FILE) -> Ontology:
    """Read and cross-check the ontology file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    _enum_keys(data["entity_types"], EntityType, "entity_types")
    _enum_keys(data["relation_types"], RelationType, "relation_types")
    _enum_keys(data["measure_types"], MeasureType, "measure_types")
    if set(data["measure_statuses"]) != {s.value for s in MeasureStatus}:
        raise InvalidDataError("differs from MeasureStatus", file=str(path), field="measure_statuses")

    entity_types = {EntityType(k): v for k, v in data["entity_types"].items()}
    relations = {}
    for name, spec in data["relation_types"].items():
        where = f"relation_types.{name}"
        attributes = frozenset(spec.get("attributes", []))
        if not attributes <= {"share", "origin"}:
            raise InvalidDataError(f"unknown attributes {sorted(attributes)}", file=str(path), field=where)
        relations[RelationType(name)] = RelationRule(
            type=RelationType(name),
            description=" ".join(spec["description"].split()),
            sources=_entity_types(spec["source"], f"{where}.source"),
            targets=_entity_types(spec["target"], f"{where}.target"),
            attributes=attributes,
        )
    measures = {
        MeasureType(k): MeasureClass(MeasureType(k), v["mast"], v["mast_title"])
        for k, v in data["measure_types"].items()
    }
    return Ontology(
        prefixes={t: spec["prefix"] for t, spec in entity_types.items()},
        descriptions={t: spec["description"] for t, spec in entity_types.items()},
        relations=relations,
        measures=measures,
    )


@cache
def ontology() -> Ontology:
    """The project's ontology, loaded once."""
    return load()


def mast_chapters() -> dict[str, str]:
    """The UNCTAD MAST chapters the measure types map to, letter to title, in letter order
    (``other`` maps to none and is not among them)."""
    chapters = {c.mast: c.mast_title for c in ontology().measures.values() if c.mast}
    return dict(sorted(chapters.items()))


# The chapters as an enumeration, for the API's ``mast`` filter: built from the file, so a chapter
# the ontology gains is a value the API takes without a second list to keep in step.
MastChapter = StrEnum("MastChapter", {letter: letter for letter in mast_chapters()})
MastChapter.__doc__ = "An UNCTAD MAST chapter, as the ontology maps measure types to them (graph/model/ontology.yaml)."
