"""The lexicon: what names, trigger words and cues mean, kept as YAML that users extend without code.

Every ``*.yaml`` file under ``ingest/lexicon/`` (plus any extra files a caller passes) is read and
checked whole before anything is matched: a duplicate id, an id of the wrong form or type, a parent,
home country or member that no file defines, an unknown measure type or status, a regular
expression that does not compile or a name claimed by two entities fails the load with an
:class:`~graph.model.errors.InvalidDataError` naming the file, the key and (where YAML knows it) the
line. A lexicon that loads is therefore consistent, and the extractor can trust it.

Top-level keys a file may hold (a file may hold several):

- ``countries`` (ISO alpha-2 → ``{en, zh, aliases}``), ``pairs`` (中美 → [CN, US]),
  ``exclude_names`` (pycountry names too ambiguous to match). Every pycountry country is present
  with its English names and its zh_CN name from pycountry's own gettext catalogue.
- ``organizations``, ``firms``, ``people``, ``commodities``, ``products``: lists of entries with
  ``id``, ``names`` ({lang: name}), ``aliases`` and, by kind, ``country`` (home), ``members``,
  ``org`` (a person's agency, or the bloc an agency belongs to: the European Commission acts for
  the EU), ``role``, ``titles``, ``is_a``, ``made_from``.
- ``measures`` (measure type → {zh, en, patterns}), ``status`` (status → {zh, en}),
  ``relations`` (cue name → {zh, en}), ``blockers`` ({zh, en}).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml
from pydantic import ValidationError

from graph.hs import describe, hs_code_of
from graph.model.enums import EntityType, MeasureStatus, MeasureType
from graph.model.errors import InvalidDataError
from graph.model.ids import check_entity_id
from graph.model.records import Entity

__all__ = [
    "LEXICON_DIR",
    "CUE_NAMES",
    "Term",
    "LexEntry",
    "Lexicon",
    "load_lexicon",
    "default_lexicon",
]

LEXICON_DIR = Path(__file__).with_name("lexicon")
CUE_NAMES = frozenset(
    {"retaliation", "depends", "share_of", "market", "supplies", "opposes", "supports", "negotiates", "persuade",
     "location", "target", "hypothetical", "trade", "future"}
)
"""Cue families the extractor reads; a lexicon file naming another one is refused."""

_ENTITY_SECTIONS = {
    "organizations": EntityType.ORGANIZATION,
    "firms": EntityType.FIRM,
    "people": EntityType.PERSON,
    "commodities": EntityType.COMMODITY,
    "products": EntityType.PRODUCT,
}
_ENTRY_KEYS = {
    "organizations": {"id", "names", "aliases", "country", "org", "members", "description"},
    "firms": {"id", "names", "aliases", "country", "description"},
    "people": {"id", "names", "aliases", "country", "org", "role", "titles", "description"},
    "commodities": {"id", "names", "aliases", "is_a", "made_from", "hs", "description"},
    "products": {"id", "names", "aliases", "is_a", "made_from", "maker", "hs", "description"},
}
_OTHER_SECTIONS = {"countries", "pairs", "exclude_names", "measures", "status", "relations", "blockers", "subtypes"}
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_BOUNDARY = re.compile(r"(?<=[\u3400-\u9fff])\s*(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])\s*(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class Term:
    """One meaning of a surface string: an entity, a pair of countries, a blocker or a cue."""

    kind: str  # entity | pair | blocker | measure | status | cue
    value: str  # entity id, "CN,US", measure type, status or cue name
    lang: str  # zh | en
    case_sensitive: bool = False
    surface: str = ""


@dataclass(frozen=True)
class LexEntry:
    """An entity as the lexicon defines it, with the cross-references the extractor uses."""

    entity: Entity
    country: str | None = None
    org: str | None = None
    members: tuple[str, ...] = ()
    is_a: tuple[str, ...] = ()
    made_from: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    file: str = ""

    @property
    def id(self) -> str:
        return self.entity.id

    @property
    def type(self) -> EntityType:
        return self.entity.type  # type: ignore[return-value]


_DOCUMENT_ENTRIES: ContextVar[dict[str, "LexEntry"]] = ContextVar("document_entries", default={})  # noqa: B039 - never mutated


@dataclass
class Lexicon:
    """Entities by id, the terms that name them, cue terms and cue patterns, all checked."""

    entries: dict[str, LexEntry] = field(default_factory=dict)
    entity_terms: dict[str, list[Term]] = field(default_factory=dict)
    cue_terms: dict[str, list[Term]] = field(default_factory=dict)
    patterns: list[tuple[Term, re.Pattern[str]]] = field(default_factory=list)
    subtypes: list[tuple[str, frozenset[str], re.Pattern[str]]] = field(default_factory=list)  # (subtype, measure types, words)
    files: list[str] = field(default_factory=list)
    _homes: dict[str, str | None] = field(default_factory=dict, repr=False)
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def entry(self, entity_id: str) -> LexEntry | None:
        """The lexicon's entry for an id, else the entry the document being read named it with."""
        found = self.entries.get(entity_id)
        if found is None:
            return _DOCUMENT_ENTRIES.get().get(entity_id)
        return found

    @contextmanager
    def document_entries(self, entries: dict[str, LexEntry]) -> Iterator[None]:
        """Entries for one document's own names (firms, people no file lists), seen by
        :meth:`entry` and :meth:`home` in this context only: another thread or task reading
        another document at the same time sees its own, and the lexicon itself never changes."""
        token = _DOCUMENT_ENTRIES.set(entries)
        try:
            yield
        finally:
            _DOCUMENT_ENTRIES.reset(token)

    def home(self, entity_id: str) -> str | None:
        """The polity an actor acts for: a country itself, an agency's or firm's country, a bloc
        (EU, ASEAN) itself and a bloc's own bodies (the European Commission acts for the EU).
        Measures are keyed by it, so ``measure:eu-…`` is the EU's whoever announced it."""
        homes = self._homes
        if entity_id not in homes:
            if entity_id not in self.entries:
                return self._home(entity_id, 0)  # a document's own name: not kept past the document
            homes[entity_id] = self._home(entity_id, 0)
        return homes[entity_id]

    def ancestors(self, entity_id: str) -> frozenset[str]:
        """Every goods id ``entity_id`` is a kind of (IS_A, any depth); asked of the same few
        goods over and over while measures are folded, so each answer is kept."""
        known = self._ancestors.get(entity_id)
        if known is None:
            seen: set[str] = set()
            stack = [entity_id]
            while stack:
                entry = self.entries.get(stack.pop())
                if entry is None:
                    continue
                for parent in entry.is_a:
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)
            known = self._ancestors[entity_id] = frozenset(seen)
        return known

    def _home(self, entity_id: str, depth: int) -> str | None:
        entry = self.entry(entity_id)
        if entry is None or depth > 4:
            return None
        if entry.type is EntityType.COUNTRY:
            return entry.id
        if entry.country:
            return entry.country
        if entry.type is EntityType.ORGANIZATION:
            if entry.org:
                return self._home(entry.org, depth + 1)
            if entry.members:
                return entry.id
        return None

    def cue_words(self, name: str) -> list[str]:
        """The surface forms of one cue family, for lookbehind checks (target, location...)."""
        return sorted({t.surface for terms in self.cue_terms.values() for t in terms if t.value == name and t.kind == "cue"})


# -- the Harmonized System ---------------------------------------------------------------------


def _hs_attributes(code: object, file: str, field_name: str, line: int | None) -> dict[str, str]:
    """A good's ``hs`` code (in any usual spelling: ``8505.11`` is stored ``850511``) and the
    nomenclature's description; a code the nomenclature lacks fails the load."""
    entry = describe(code) if isinstance(code, (str, int)) and hs_code_of(str(code)) else None
    if entry is None:
        raise InvalidDataError(f"{code!r} is not a Harmonized System code", file=file, field=field_name, line=line)
    return {"hs": entry.code, "hs_description": entry.description[:300]}


# -- YAML with line numbers ------------------------------------------------------------------


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, for errors that point at it."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidDataError(f"cannot read lexicon file: {e}", file=str(path)) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise InvalidDataError(f"not valid YAML: {e}", file=str(path), line=mark.line + 1 if mark else None) from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InvalidDataError("a lexicon file is a mapping of sections", file=str(path))
    return data


def _line(item: Any) -> int | None:
    return item.get("__line__") if isinstance(item, dict) else None


def _strip(item: Any) -> Any:
    if isinstance(item, dict):
        return {k: _strip(v) for k, v in item.items() if k != "__line__"}
    if isinstance(item, list):
        return [_strip(v) for v in item]
    return item


def _strings(value: Any, file: str, key: str, line: int | None) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise InvalidDataError("expected a list of strings", file=file, field=key, line=line)
    return [str(v) for v in value]


# -- building --------------------------------------------------------------------------------


def _lang_of(surface: str) -> str:
    return "zh" if _CJK.search(surface) else "en"


def _variants(surface: str, plural: bool) -> set[str]:
    """Spelling variants matched as the same term: with or without a space where Latin meets Han,
    and (for goods) a plain English plural."""
    out = {surface, _BOUNDARY.sub("", surface), _BOUNDARY.sub(" ", surface)}
    if plural and _LATIN.search(surface) and not _CJK.search(surface) and not surface.endswith("s"):
        out |= {v + "s" for v in list(out)}
    return {v for v in out if v.strip()}


def _entity_case_sensitive(surface: str, entity_type: EntityType) -> bool:
    if not _LATIN.search(surface):
        return False
    if entity_type is EntityType.COMMODITY:
        return sum(c.isupper() for c in surface) >= 2  # DRAM, EDA, EVs; 'Steel' matches 'steel'
    return any(c.isupper() for c in surface)


class _Builder:
    def __init__(self) -> None:
        self.lex = Lexicon()
        self.raw: dict[str, tuple[str, dict, str]] = {}  # id -> (file, entry, key)
        self.surface_owner: dict[str, tuple[str, str]] = {}  # folded surface -> (id, file)

    # terms ----------------------------------------------------------------------------------
    def add_entity_term(self, surface: str, entity_id: str, entity_type: EntityType, file: str, key: str) -> None:
        plural = entity_type is EntityType.COMMODITY
        for variant in _variants(surface, plural):
            sensitive = _entity_case_sensitive(variant, entity_type)
            folded = variant if sensitive else variant.lower()
            owner = self.surface_owner.get(folded)
            if owner and owner[0] != entity_id:
                raise InvalidDataError(
                    f"name {variant!r} is claimed by {owner[0]} ({owner[1]}) and by {entity_id}", file=file, field=key
                )
            self.surface_owner[folded] = (entity_id, file)
            terms = self.lex.entity_terms.setdefault(folded, [])
            if not any(t.value == entity_id for t in terms):
                terms.append(Term("entity", entity_id, _lang_of(variant), sensitive, variant))

    def add_cue_term(self, surface: str, kind: str, value: str, lang: str) -> None:
        sensitive = any(c.isupper() for c in surface) and kind in {"blocker", "pair"}
        sensitive = sensitive or (kind == "measure" and sum(c.isupper() for c in surface) >= 2)
        target = self.lex.entity_terms if kind in {"blocker", "pair"} else self.lex.cue_terms
        for variant in _variants(surface, False):
            folded = variant if sensitive else variant.lower()
            terms = target.setdefault(folded, [])
            if not any(t.kind == kind and t.value == value for t in terms):
                terms.append(Term(kind, value, lang, sensitive, variant))

    # entities -------------------------------------------------------------------------------
    def add_entity(self, data: dict, entity_type: EntityType, file: str, key: str, extra: dict) -> None:
        line = _line(data)
        entity_id = data.get("id")
        if not isinstance(entity_id, str):
            raise InvalidDataError("an entry needs an id", file=file, field=key, line=line)
        try:
            declared = check_entity_id(entity_id, f"{key}.id")
        except InvalidDataError as e:
            raise InvalidDataError(e.reason, file=file, field=f"{key}.id", line=line) from e
        if declared is not entity_type:
            raise InvalidDataError(f"{entity_id!r} is a {declared}, not a {entity_type}", file=file, field=f"{key}.id", line=line)
        if entity_id in self.raw:
            raise InvalidDataError(f"duplicate id {entity_id!r} (first in {self.raw[entity_id][0]})", file=file, field=f"{key}.id", line=line)
        self.raw[entity_id] = (file, data, key)
        names = data.get("names")
        if not isinstance(names, dict) or not names:
            raise InvalidDataError("names is a mapping of language to name", file=file, field=f"{key}.names", line=line)
        aliases = _strings(data.get("aliases"), file, f"{key}.aliases", line)
        attributes = {k: extra[k] for k in ("role", "country", "org") if extra.get(k)}
        if data.get("hs") is not None:
            attributes.update(_hs_attributes(data["hs"], file, f"{key}.hs", line))
        try:
            entity = Entity(id=entity_id, names=_strip(names), aliases=aliases, attributes=attributes)
        except ValidationError as e:  # pydantic's error, re-raised with where it happened
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidDataError(first["msg"], file=file, field=f"{key}.{where}", line=line) from e
        self.lex.entries[entity_id] = LexEntry(
            entity=entity,
            country=extra.get("country"),
            org=extra.get("org"),
            members=tuple(extra.get("members", ())),
            is_a=tuple(extra.get("is_a", ())),
            made_from=tuple(extra.get("made_from", ())),
            titles=tuple(extra.get("titles", ())),
            file=file,
        )
        for surface in {*entity.names.values(), *entity.aliases}:
            self.add_entity_term(surface, entity_id, entity_type, file, key)

    def add_section_entries(self, section: str, items: Any, file: str) -> None:
        if not isinstance(items, list):
            raise InvalidDataError(f"{section} is a list of entries", file=file, field=section)
        for i, item in enumerate(items):
            key = f"{section}[{i}]"
            if not isinstance(item, dict):
                raise InvalidDataError("an entry is a mapping", file=file, field=key)
            unknown = sorted(set(item) - _ENTRY_KEYS[section] - {"__line__"})
            if unknown:
                raise InvalidDataError(f"unknown keys {unknown}", file=file, field=f"{key}.{unknown[0]}", line=_line(item))
            extra = {
                "country": item.get("country"),
                "org": item.get("org"),
                "role": item.get("role"),
                "members": _strings(item.get("members"), file, f"{key}.members", _line(item)),
                "is_a": _strings(item.get("is_a"), file, f"{key}.is_a", _line(item)),
                "made_from": _strings(item.get("made_from"), file, f"{key}.made_from", _line(item)),
                "titles": _strings(item.get("titles"), file, f"{key}.titles", _line(item)),
            }
            self.add_entity(item, _ENTITY_SECTIONS[section], file, key, extra)

    # countries ------------------------------------------------------------------------------
    def add_countries(self, overrides: dict[str, tuple[str, dict]], excluded: set[str]) -> None:
        try:
            zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
        except OSError:  # pragma: no cover - pycountry always ships it; keep English names if not
            zh = gettext.NullTranslations()
        for country in pycountry.countries:
            code = country.alpha_2
            file, spec = overrides.get(code, ("pycountry", {}))
            en = spec.get("en") or getattr(country, "common_name", None) or country.name
            zh_name = spec.get("zh") or zh.gettext(country.name)
            names = {"en": en}
            if zh_name and zh_name != country.name:
                names["zh"] = zh_name
            pool = {country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)}
            aliases = [a for a in pool if a and a not in excluded and a != en]
            aliases += _strings(spec.get("aliases"), file, f"countries.{code}.aliases", _line(spec))
            entity = Entity(id=f"country:{code}", names=names, aliases=aliases, attributes={"iso2": code})
            self.lex.entries[entity.id] = LexEntry(entity=entity, file=file)
            for surface in {*names.values(), *entity.aliases}:
                if surface in excluded:
                    continue
                self.add_entity_term(surface, entity.id, EntityType.COUNTRY, file, f"countries.{code}")

    # checks ---------------------------------------------------------------------------------
    def check_references(self) -> None:
        for entity_id, entry in self.lex.entries.items():
            if entry.file == "pycountry":
                continue
            file, data, key = self.raw.get(entity_id, (entry.file, {}, entity_id))
            refs = [("country", entry.country), ("org", entry.org)]
            refs += [("members", m) for m in entry.members]
            refs += [("is_a", p) for p in entry.is_a] + [("made_from", p) for p in entry.made_from]
            for name, ref in refs:
                if ref is None:
                    continue
                if ref not in self.lex.entries:
                    raise InvalidDataError(f"unknown {name} {ref!r}", file=file, field=f"{key}.{name}", line=_line(data))
                expected = {
                    "country": {EntityType.COUNTRY},
                    "org": {EntityType.ORGANIZATION},
                    "members": {EntityType.COUNTRY, EntityType.ORGANIZATION},
                    "is_a": {EntityType.COMMODITY, EntityType.PRODUCT},
                    "made_from": {EntityType.COMMODITY, EntityType.PRODUCT},
                }[name]
                if self.lex.entries[ref].type not in expected:
                    raise InvalidDataError(f"{name} {ref!r} is a {self.lex.entries[ref].type}", file=file, field=f"{key}.{name}", line=_line(data))
                if ref == entity_id:
                    raise InvalidDataError(f"{name} refers to the entry itself", file=file, field=f"{key}.{name}", line=_line(data))


def _add_cues(builder: _Builder, data: dict, file: str) -> None:
    for mtype, spec in (data.get("measures") or {}).items():
        if mtype == "__line__":
            continue
        if mtype not in MeasureType.__members__.values() and mtype not in {m.value for m in MeasureType}:
            raise InvalidDataError(f"unknown measure type {mtype!r}", file=file, field=f"measures.{mtype}", line=_line(spec))
        _add_cue_family(builder, spec, "measure", mtype, file, f"measures.{mtype}")
    for status, spec in (data.get("status") or {}).items():
        if status == "__line__":
            continue
        if status not in {s.value for s in MeasureStatus}:
            raise InvalidDataError(f"unknown status {status!r}", file=file, field=f"status.{status}", line=_line(spec))
        _add_cue_family(builder, spec, "status", status, file, f"status.{status}")
    for name, spec in (data.get("relations") or {}).items():
        if name == "__line__":
            continue
        if name not in CUE_NAMES:
            raise InvalidDataError(f"unknown cue family {name!r}; known: {sorted(CUE_NAMES)}", file=file, field=f"relations.{name}", line=_line(spec))
        _add_cue_family(builder, spec, "cue", name, file, f"relations.{name}")
    for name, spec in (data.get("subtypes") or {}).items():
        if name != "__line__":
            builder.lex.subtypes.append(_subtype(name, spec, file))
    blockers = data.get("blockers") or {}
    for lang in ("zh", "en"):
        for surface in _strings(blockers.get(lang), file, f"blockers.{lang}", _line(blockers)):
            builder.add_cue_term(surface, "blocker", "", lang)


def _subtype(name: str, spec: Any, file: str) -> tuple[str, frozenset[str], re.Pattern[str]]:
    """A finer kind of measure (``subtypes:`` in a cue file): the measure types it refines and
    the words near a trigger that say it (one regular expression of them all)."""
    key = f"subtypes.{name}"
    if not isinstance(spec, dict) or not spec.get("types") or not (spec.get("zh") or spec.get("en")):
        raise InvalidDataError("a subtype has types and zh/en words", file=file, field=key)
    unknown = sorted(set(spec) - {"types", "zh", "en", "__line__"})
    if unknown:
        raise InvalidDataError(f"unknown keys {unknown}", file=file, field=f"{key}.{unknown[0]}", line=_line(spec))
    types = _strings(spec["types"], file, f"{key}.types", _line(spec))
    bad = [t for t in types if t not in {m.value for m in MeasureType}]
    if bad:
        raise InvalidDataError(f"unknown measure type {bad[0]!r}", file=file, field=f"{key}.types", line=_line(spec))
    words = [*_strings(spec.get("zh"), file, f"{key}.zh", _line(spec)), *_strings(spec.get("en"), file, f"{key}.en", _line(spec))]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    return name, frozenset(types), pattern


def _add_cue_family(builder: _Builder, spec: Any, kind: str, value: str, file: str, key: str) -> None:
    if not isinstance(spec, dict):
        raise InvalidDataError("expected a mapping with zh, en and patterns", file=file, field=key)
    unknown = sorted(set(spec) - {"zh", "en", "patterns", "__line__"})
    if unknown:
        raise InvalidDataError(f"unknown keys {unknown}", file=file, field=f"{key}.{unknown[0]}", line=_line(spec))
    for lang in ("zh", "en"):
        for surface in _strings(spec.get(lang), file, f"{key}.{lang}", _line(spec)):
            builder.add_cue_term(surface, kind, value, lang)
    patterns = spec.get("patterns") or {}
    for lang in ("zh", "en"):
        for i, source in enumerate(_strings(patterns.get(lang), file, f"{key}.patterns.{lang}", _line(spec))):
            try:
                compiled = re.compile(source, re.I)
            except re.error as e:
                raise InvalidDataError(f"bad pattern {source!r}: {e}", file=file, field=f"{key}.patterns.{lang}[{i}]", line=_line(spec)) from e
            builder.lex.patterns.append((Term(kind, value, lang, False, source), compiled))


def load_lexicon(directory: Path = LEXICON_DIR, extra_files: Iterable[Path] = ()) -> Lexicon:
    """Read every ``*.yaml`` in ``directory`` plus ``extra_files`` and check them whole."""
    paths = sorted(Path(directory).glob("*.yaml")) + [Path(p) for p in extra_files]
    builder = _Builder()
    documents = []
    overrides: dict[str, tuple[str, dict]] = {}
    excluded: set[str] = set()
    for path in paths:
        data = _read_yaml(path)
        file = str(path)
        unknown = sorted(set(data) - set(_ENTITY_SECTIONS) - _OTHER_SECTIONS - {"__line__"})
        if unknown:
            raise InvalidDataError(f"unknown section {unknown[0]!r}", file=file, field=unknown[0])
        excluded |= set(_strings(data.get("exclude_names"), file, "exclude_names", None))
        for code, spec in (data.get("countries") or {}).items():
            if code == "__line__":
                continue
            if pycountry.countries.get(alpha_2=str(code)) is None or not re.fullmatch(r"[A-Z]{2}", str(code)):
                raise InvalidDataError(f"{code!r} is not an ISO 3166-1 alpha-2 code", file=file, field=f"countries.{code}", line=_line(spec))
            if code in overrides:
                raise InvalidDataError(f"country {code} is defined twice (first in {overrides[code][0]})", file=file, field=f"countries.{code}")
            overrides[str(code)] = (file, spec or {})
        documents.append((file, data))
        builder.lex.files.append(file)
    builder.add_countries(overrides, excluded)
    for file, data in documents:
        for section in _ENTITY_SECTIONS:
            if section in data:
                builder.add_section_entries(section, data[section], file)
    builder.check_references()
    for file, data in documents:
        for surface, codes in (data.get("pairs") or {}).items():
            if surface == "__line__":
                continue
            codes = _strings(codes, file, f"pairs.{surface}", None)
            for code in codes:
                if f"country:{code}" not in builder.lex.entries:
                    raise InvalidDataError(f"unknown country {code!r}", file=file, field=f"pairs.{surface}")
            builder.add_cue_term(str(surface), "pair", ",".join(f"country:{c}" for c in codes), _lang_of(str(surface)))
        _add_cues(builder, data, file)
    return builder.lex


@cache
def default_lexicon() -> Lexicon:
    """The bundled lexicon, loaded and checked once per process."""
    return load_lexicon()
