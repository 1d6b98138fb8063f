"""Name matching shared by every store: one normalisation, one ranking.

``稀土``, ``Rare Earths``, ``rare-earths`` and ``RARE EARTHS`` must find the same entity whatever
store answers, so both stores index :func:`normalize_name` of every name and alias and rank hits
with :func:`rank`.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from array import array
from collections.abc import Iterable, Iterator

__all__ = ["normalize_name", "rank", "NameIndex"]

_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f\-_.·・'’`\"“”,()（）]+")  # control characters fold away too


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


def _each(ids: str | tuple[str, ...]) -> tuple[str, ...]:
    return (ids,) if isinstance(ids, str) else ids


class NameIndex:
    """Normalised names → entity ids, with exact, prefix and substring look-up.

    Exact look-up is a dict. Prefix look-up bisects a sorted list of the names. Substring look-up
    runs ``str.find`` over one string holding every name (NUL-separated, in sorted order) and maps
    each hit back to its name by bisecting the names' start offsets: a C-speed scan instead of a
    Python loop over every name. Names added since the sorted list was last rebuilt wait in a small
    pending set that look-ups scan directly; the list is merged (timsort merges the two sorted runs
    in linear time) once the pending set grows past ``MERGE_AT``. Removed names stay in the sorted
    list, skipped, until they make up a quarter of it.

    Hits are taken in name order: exact matches, then prefixes while fewer than four times
    ``limit`` entities are found, then, when fewer than ``limit``, substrings until four times
    ``limit``; the answer is the ``limit`` best by (score, id).
    """

    MERGE_AT = 4096

    def __init__(self) -> None:
        self._ids: dict[str, str | tuple[str, ...]] = {}
        self._names_of: dict[str, tuple[str, ...]] = {}
        self._sorted: list[str] = []
        self._pending: set[str] = set()
        self._stale = 0
        self._blob: tuple | None = None  # (ASCII names, other names), each (joined, starts, names)

    # -- writes ---------------------------------------------------------------------------------
    def set(self, entity_id: str, names: Iterable[str]) -> None:
        """Make ``names`` the names of ``entity_id``, replacing what it had."""
        norms = tuple(sorted({n for n in (normalize_name(name) for name in names) if n}))
        old = self._names_of.get(entity_id)
        if old == norms:
            return
        if old:
            self._drop(entity_id, old)
        self._names_of[entity_id] = norms
        ids_of = self._ids
        for norm in norms:
            ids = ids_of.get(norm)
            if ids is None:
                ids_of[norm] = entity_id
                if not self._in_sorted(norm):
                    self._pending.add(norm)
                else:
                    self._stale -= 1
            elif isinstance(ids, str):
                if ids != entity_id:
                    ids_of[norm] = (ids, entity_id)
            elif entity_id not in ids:
                ids_of[norm] = (*ids, entity_id)

    def bulk_load(self, items: Iterable[tuple[str, Iterable[str]]]) -> None:
        """``set`` for many entities at once into an empty index, sorting the names once."""
        if self._names_of:
            for entity_id, names in items:
                self.set(entity_id, names)
            return
        ids_of = self._ids
        names_of = self._names_of
        for entity_id, names in items:
            norms = tuple(sorted({n for n in (normalize_name(name) for name in names) if n}))
            names_of[entity_id] = norms
            for norm in norms:
                ids = ids_of.get(norm)
                if ids is None:
                    ids_of[norm] = entity_id
                elif isinstance(ids, str):
                    if ids != entity_id:
                        ids_of[norm] = (ids, entity_id)
                elif entity_id not in ids:
                    ids_of[norm] = (*ids, entity_id)
        self._sorted = sorted(ids_of)
        self._pending.clear()
        self._stale = 0
        self._blob = None

    def to_state(self) -> dict:
        """Plain lists for a snapshot: the sorted names, what each names (aligned), and each
        entity's names as positions in that list, so that a load shares one string per name."""
        self._sorted = sorted(self._ids)
        self._pending.clear()
        self._stale = 0
        self._blob = None
        position = {norm: i for i, norm in enumerate(self._sorted)}
        return {
            "sorted": self._sorted,
            "values": [self._ids[norm] for norm in self._sorted],
            "names_of": {entity_id: [position[n] for n in norms] for entity_id, norms in self._names_of.items()},
        }

    @classmethod
    def from_state(cls, state: dict, canonical=None) -> "NameIndex":  # noqa: ANN001 - id -> the caller's string
        """The index ``to_state`` described; ``canonical`` maps an entity id to the string object
        the caller already holds for it, so ids are not stored twice."""
        same = canonical or (lambda i: i)
        index = cls()
        names = state["sorted"]
        index._sorted = names
        index._ids = {
            norm: same(value) if isinstance(value, str) else tuple(same(v) for v in value)
            for norm, value in zip(names, state["values"], strict=True)
        }
        index._names_of = {same(entity_id): tuple(names[i] for i in positions) for entity_id, positions in state["names_of"].items()}
        return index

    def remove(self, entity_id: str) -> None:
        old = self._names_of.pop(entity_id, None)
        if old:
            self._drop(entity_id, old)

    def _drop(self, entity_id: str, norms: tuple[str, ...]) -> None:
        ids_of = self._ids
        for norm in norms:
            ids = ids_of.get(norm)
            if ids is None:
                continue
            if isinstance(ids, str):
                if ids == entity_id:
                    del ids_of[norm]
                    if norm in self._pending:
                        self._pending.discard(norm)
                    else:
                        self._stale += 1
            elif entity_id in ids:
                rest = tuple(i for i in ids if i != entity_id)
                ids_of[norm] = rest[0] if len(rest) == 1 else rest

    def _in_sorted(self, norm: str) -> bool:
        i = bisect.bisect_left(self._sorted, norm)
        return i < len(self._sorted) and self._sorted[i] == norm

    def _settle(self) -> None:
        """Fold the pending names into the sorted list when there are many, or drop stale ones."""
        if self._stale > max(self.MERGE_AT, len(self._sorted) // 4):
            self._sorted = sorted(self._ids)
            self._pending.clear()
            self._stale = 0
            self._blob = None
        elif len(self._pending) > self.MERGE_AT:
            self._sorted.extend(sorted(self._pending))
            self._sorted.sort()  # two sorted runs: timsort merges them in linear time
            self._pending.clear()
            self._blob = None

    @staticmethod
    def _make_blob(names: list[str]) -> tuple[str, array, list[str]]:
        starts = array("q", [0])
        total = 0
        for norm in names:
            total += len(norm) + 1
            starts.append(total)
        return "\x00".join(names) + "\x00", starts, names

    def _substring_scan(self, q: str) -> Iterator[str]:
        """Names in the sorted list that contain ``q`` but do not start with it, in order.

        Pure-ASCII names and the others are scanned as two strings: the first is one byte a
        character (``str.find`` runs at memchr speed on it), and a query that is not ASCII skips
        it altogether; the two ordered streams are merged back into name order."""
        if self._blob is None:
            ascii_names = [n for n in self._sorted if n.isascii()]
            other_names = [n for n in self._sorted if not n.isascii()]
            self._blob = (self._make_blob(ascii_names), self._make_blob(other_names))
        ascii_blob, other_blob = self._blob
        if not q.isascii():
            yield from self._scan_blob(other_blob, q)
            return
        yield from heapq.merge(self._scan_blob(ascii_blob, q), self._scan_blob(other_blob, q))

    @staticmethod
    def _scan_blob(packed: tuple[str, array, list[str]], q: str) -> Iterator[str]:
        blob, starts, names = packed
        pos = blob.find(q)
        while pos >= 0:
            i = bisect.bisect_right(starts, pos) - 1
            norm = names[i]
            if q in norm and not norm.startswith(q):
                yield norm
            pos = blob.find(q, starts[i + 1])

    def _prefix_scan(self, q: str) -> Iterator[str]:
        names = self._sorted
        for i in range(bisect.bisect_left(names, q), len(names)):
            norm = names[i]
            if not norm.startswith(q):
                return
            yield norm

    # -- reads ----------------------------------------------------------------------------------
    def lookup(self, query: str, limit: int) -> list[tuple[str, int]]:
        """Entity ids with their best rank for ``query``, best first, at most ``limit``."""
        q = normalize_name(query)
        if not q:
            return []
        self._settle()
        ids_of = self._ids
        cap = limit * 4
        best: dict[str, int] = {}
        exact = ids_of.get(q)
        if exact is not None:
            for entity_id in _each(exact):
                best[entity_id] = 3
        pending_prefix = sorted(n for n in self._pending if n.startswith(q))
        for norm in heapq.merge(self._prefix_scan(q), pending_prefix):
            if len(best) >= cap:
                break
            ids = ids_of.get(norm)
            if ids is not None:
                for entity_id in _each(ids):
                    best.setdefault(entity_id, 2)
        if len(best) < limit:
            pending_inner = sorted(n for n in self._pending if q in n and not n.startswith(q))
            for norm in heapq.merge(self._substring_scan(q), pending_inner):
                ids = ids_of.get(norm)
                if ids is None:
                    continue
                for entity_id in _each(ids):
                    best.setdefault(entity_id, 1)
                if len(best) >= cap:
                    break
        ordered = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return ordered[:limit]

    def __len__(self) -> int:
        return len(self._ids)
