"""Global Trade Alert's vocabulary in this graph's terms: intervention types as measure types, and
jurisdiction names as country and bloc ids.

The table is data (ingest/gta.yaml), checked whole when first used: an unknown measure type or a
country code pycountry does not know fails with the file and the key. Jurisdiction names go
through the lexicon first (pycountry's names and the project's aliases, so "United States of
America" and "European Union" resolve as they do in text), then through the file's own spellings.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
import yaml

from graph.model.enums import EntityType, MeasureType
from graph.model.errors import InvalidDataError
from ingest.lexicon import Lexicon, default_lexicon

__all__ = ["UNKNOWN", "VOCABULARY_FILE", "GtaVocabulary", "gta_vocabulary", "load_vocabulary"]

VOCABULARY_FILE = Path(__file__).with_name("gta.yaml")
UNKNOWN = "?"
"""What :meth:`GtaVocabulary.jurisdiction` returns for a name neither the lexicon nor the table knows."""

_ACTORS = {EntityType.COUNTRY, EntityType.ORGANIZATION}


@dataclass(frozen=True)
class GtaVocabulary:
    types: dict[str, tuple[MeasureType, str | None]]  # folded intervention type -> (type, subtype)
    chapters: dict[str, MeasureType]  # MAST letter or GTA chapter name (folded) -> type
    spellings: dict[str, str | None]  # folded jurisdiction name -> entity id, None: no id here
    lexicon: Lexicon

    def measure_kind(self, intervention_type: str, mast_chapter: str | None) -> tuple[MeasureType, str | None]:
        """The measure type and subtype for an intervention type; a type the table does not list
        takes its MAST chapter's general type (``other`` when the chapter says nothing)."""
        known = self.types.get(intervention_type.strip().casefold())
        if known is not None:
            return known
        chapter = (mast_chapter or "").strip()
        letter, colon, _ = chapter.partition(":")
        key = letter.strip().casefold() if colon else chapter.casefold()
        return self.chapters.get(key, MeasureType.OTHER), None

    def jurisdiction(self, name: str) -> str | None:
        """The country or bloc id for a GTA jurisdiction name; None for one this graph has no id
        for, :data:`UNKNOWN` for a name nobody knows."""
        for candidate in (name, name.replace(" & ", " and ")):
            for key in (candidate, candidate.lower()):
                for term in self.lexicon.entity_terms.get(key, []):
                    entry = self.lexicon.entry(term.value) if term.kind == "entity" else None
                    if entry is not None and entry.type in _ACTORS:
                        return entry.id
        return self.spellings.get(name.casefold(), UNKNOWN)

    def jurisdictions(self, cell: str) -> list[tuple[str, str | None]]:
        """Each name in a cell of comma- (or semicolon-) separated names with its id. A name that
        itself holds a comma ("Bonaire, Sint Eustatius and Saba") is kept whole when the joined
        pieces resolve and the first piece alone does not."""
        pieces = [p.strip() for p in cell.replace(";", ",").split(",") if p.strip()]
        out: list[tuple[str, str | None]] = []
        i = 0
        while i < len(pieces):
            name, resolved, used = pieces[i], self.jurisdiction(pieces[i]), 1
            for width in (3, 2):
                joined = ", ".join(pieces[i : i + width])
                if resolved == UNKNOWN and i + width <= len(pieces) and self.jurisdiction(joined) != UNKNOWN:
                    name, resolved, used = joined, self.jurisdiction(joined), width
                    break
            out.append((name, resolved))
            i += used
        return out


def _fail(reason: str, key: str) -> InvalidDataError:
    return InvalidDataError(reason, file=str(VOCABULARY_FILE), field=key)


def _measure_type(value: object, key: str) -> MeasureType:
    try:
        return MeasureType(str(value))
    except ValueError as e:
        raise _fail(f"{value!r} is not a measure type ({', '.join(t.value for t in MeasureType)})", key) from e


def _country(code: object, key: str) -> str | None:
    if code is None:
        return None
    if not isinstance(code, str) or pycountry.countries.get(alpha_2=code) is None or len(code) != 2:
        raise _fail(f"{code!r} is not an ISO 3166-1 alpha-2 code", key)
    return f"country:{code}"


def load_vocabulary(path: Path = VOCABULARY_FILE, lexicon: Lexicon | None = None) -> GtaVocabulary:
    """Read and check the table at ``path``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    types: dict[str, tuple[MeasureType, str | None]] = {}
    for name, spec in (data.get("intervention_types") or {}).items():
        key = f"intervention_types.{name}"
        if not isinstance(spec, dict) or set(spec) - {"measure_type", "subtype"}:
            raise _fail("gives measure_type and, optionally, subtype", key)
        subtype = spec.get("subtype")
        types[str(name).casefold()] = (_measure_type(spec.get("measure_type"), key), str(subtype) if subtype else None)
    chapters = {
        str(k).casefold(): _measure_type(v, f"mast_chapters.{k}") for k, v in (data.get("mast_chapters") or {}).items()
    }
    spellings = {
        str(k).casefold(): _country(v, f"jurisdictions.{k}") for k, v in (data.get("jurisdictions") or {}).items()
    }
    return GtaVocabulary(types, chapters, spellings, lexicon or default_lexicon())


@cache
def gta_vocabulary() -> GtaVocabulary:
    """The bundled table over the bundled lexicon, loaded once per process."""
    return load_vocabulary()
