"""Name matching shared by every store: one normalisation, one ranking.

``稀土``, ``Rare Earths``, ``rare-earths`` and ``RARE EARTHS`` must find the same entity whatever
store answers, so both stores index :func:`normalize_name` of every name and alias and rank hits
with :func:`rank`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable

__all__ = ["normalize_name", "rank", "NameIndex"]

_SEPARATORS = re.compile(r"[\s\-_.·・'’`\"“”,()（）]+")


def normalize_name(text: str) -> str:
    """Fold width, case and separators so that spelling variants of a name compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SEPARATORS.sub("", folded)


def rank(query_norm: str, name_norm: str) -> int:
    """3 for an exact match, 2 for a prefix, 1 for a substring, 0 for none."""
    if name_norm == query_norm:
        return 3
    if name_norm.startswith(query_norm):
        return 2
    if query_norm in name_norm:
        return 1
    return 0


class NameIndex:
    """Normalised names → entity ids, with exact, prefix and substring look-up."""

    def __init__(self) -> None:
        self._ids: dict[str, set[str]] = {}
        self._sorted: list[str] = []
        self._dirty = False
        self._names_of: dict[str, set[str]] = {}

    def set(self, entity_id: str, names: Iterable[str]) -> None:
        """Make ``names`` the names of ``entity_id``, replacing what it had."""
        self.remove(entity_id)
        norms = {n for n in (normalize_name(name) for name in names) if n}
        self._names_of[entity_id] = norms
        for norm in norms:
            ids = self._ids.setdefault(norm, set())
            if not ids:
                self._dirty = True
            ids.add(entity_id)

    def remove(self, entity_id: str) -> None:
        for norm in self._names_of.pop(entity_id, ()):
            ids = self._ids.get(norm)
            if ids is not None:
                ids.discard(entity_id)
                if not ids:
                    del self._ids[norm]
                    self._dirty = True

    def lookup(self, query: str, limit: int) -> list[tuple[str, int]]:
        """Entity ids with their best rank for ``query``, best first, at most ``limit``."""
        q = normalize_name(query)
        if not q:
            return []
        if self._dirty:
            self._sorted = sorted(self._ids)
            self._dirty = False
        best: dict[str, int] = {}
        for entity_id in self._ids.get(q, ()):
            best[entity_id] = 3
        start = bisect.bisect_left(self._sorted, q)
        for norm in self._sorted[start:]:
            if not norm.startswith(q) or len(best) >= limit * 4:
                break
            for entity_id in self._ids[norm]:
                best.setdefault(entity_id, 2)
        if len(best) < limit:
            for norm, ids in self._ids.items():
                if q in norm and not norm.startswith(q):
                    for entity_id in ids:
                        best.setdefault(entity_id, 1)
                    if len(best) >= limit * 4:
                        break
        ordered = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return ordered[:limit]
