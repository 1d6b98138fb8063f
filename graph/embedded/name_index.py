"""The embedded store's name index: normalised names → entity ids, in generations.

Names are folded and ranked by graph.names, the rules both stores share; this is how the embedded
store finds them in memory. A generation of the index (graph.embedded.generations) is never
changed once published: the writer works on a :meth:`NameIndex.fork`, whose big tables share a
frozen base with the generation it came from (graph.embedded.layered), and whose sorted list of
names is replaced, never edited in place.
"""

from __future__ import annotations

import bisect
import heapq
from array import array
from collections.abc import Callable, Iterable, Iterator

from graph.embedded.layered import Layered
from graph.names import MatchKind, Rank, cheap_rank, edit_budget, near_ranks, normalize_name, ordered

__all__ = ["NameIndex"]


def _each(ids: str | tuple[str, ...]) -> tuple[str, ...]:
    return (ids,) if isinstance(ids, str) else ids


def _norms(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({n for n in (normalize_name(name) for name in names) if n}))


class _SortedNames:
    """A sorted list of names with what look-ups build from it once (the substring blobs, the
    lists by length). Shared by every generation that has the same list; never changed."""

    __slots__ = ("names", "blob", "by_length")

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.blob: tuple | None = None  # (ASCII names, other names), each (joined, starts, names)
        self.by_length: dict[tuple[bool, int], list[str]] | None = None  # by (ASCII, length)


class NameIndex:
    """Normalised names → entity ids, with exact, prefix and substring look-up.

    Exact look-up is a dict. Prefix look-up bisects a sorted list of the names. Substring look-up
    runs ``str.find`` over one string holding every name (NUL-separated, in sorted order) and maps
    each hit back to its name by bisecting the names' start offsets: a C-speed scan instead of a
    Python loop over every name. Names added since the sorted list was last rebuilt wait in a small
    pending set that look-ups scan directly; :meth:`settle` (the writer, before it publishes a
    generation) merges them into a new sorted list once they pass ``MERGE_AT`` (timsort merges the
    two sorted runs in linear time). Removed names stay in the sorted list, skipped, until they
    make up a quarter of it.

    Hits are taken in name order: exact matches, then prefixes while fewer than four times
    ``limit`` entities are found, then, when fewer than ``limit``, substrings until four times
    ``limit``; when none of these found anything, near matches among the names of about the
    text's length (lists by length, built like the blobs). The answer is the ``limit`` best by
    ``ordered``.
    """

    MERGE_AT = 4096

    def __init__(self) -> None:
        self._ids = Layered()  # norm -> entity id, or a tuple of them
        self._names_of = Layered()  # entity id -> its norms
        self._sorted = _SortedNames([])
        self._pending: set[str] = set()
        self._stale = 0

    def fork(self) -> NameIndex:
        """A copy for the writer to change; this one stays as it is for its readers."""
        new = NameIndex.__new__(NameIndex)
        new._ids = self._ids.fork()
        new._names_of = self._names_of.fork()
        new._sorted = self._sorted
        new._pending = set(self._pending)
        new._stale = self._stale
        return new

    # -- writes ---------------------------------------------------------------------------------
    def set(self, entity_id: str, names: Iterable[str]) -> None:
        """Make ``names`` the names of ``entity_id``, replacing what it had."""
        norms = _norms(names)
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
        ids_of: dict[str, str | tuple[str, ...]] = {}
        names_of: dict[str, tuple[str, ...]] = {}
        for entity_id, names in items:
            norms = _norms(names)
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
        self._ids = Layered(ids_of)
        self._names_of = Layered(names_of)
        self._sorted = _SortedNames(sorted(ids_of))
        self._pending = set()
        self._stale = 0

    def to_state(self) -> dict:
        """Plain lists for a snapshot: the sorted names, what each names (aligned), and each
        entity's names as positions in that list, so that a load shares one string per name."""
        ids_of = self._ids.plain()
        names = sorted(ids_of)
        position = {norm: i for i, norm in enumerate(names)}
        return {
            "sorted": names,
            "values": [ids_of[norm] for norm in names],
            "names_of": {entity_id: [position[n] for n in norms] for entity_id, norms in self._names_of.items()},
        }

    @classmethod
    def from_state(cls, state: dict, canonical=None) -> NameIndex:  # noqa: ANN001 - id -> the caller's string
        """The index ``to_state`` described; ``canonical`` maps an entity id to the string object
        the caller already holds for it, so ids are not stored twice."""
        same = canonical or (lambda i: i)
        index = cls()
        names = state["sorted"]
        index._sorted = _SortedNames(names)
        index._ids = Layered({
            norm: same(value) if isinstance(value, str) else tuple(same(v) for v in value)
            for norm, value in zip(names, state["values"], strict=True)
        })
        index._names_of = Layered(
            {same(entity_id): tuple(names[i] for i in positions) for entity_id, positions in state["names_of"].items()}
        )
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
        names = self._sorted.names
        i = bisect.bisect_left(names, norm)
        return i < len(names) and names[i] == norm

    def settle(self) -> None:
        """Fold the pending names into a new sorted list when there are many, or drop stale ones
        (a new list either way: the old one may be read by an older generation's readers)."""
        names = self._sorted.names
        if self._stale > max(self.MERGE_AT, len(names) // 4):
            self._sorted = _SortedNames(sorted(self._ids))
            self._pending = set()
            self._stale = 0
        elif len(self._pending) > self.MERGE_AT:
            merged = names + sorted(self._pending)
            merged.sort()  # two sorted runs: timsort merges them in linear time
            self._sorted = _SortedNames(merged)
            self._pending = set()

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
        view = self._sorted
        if view.blob is None:  # two readers may both build it: the same value either way
            ascii_names = [n for n in view.names if n.isascii()]
            other_names = [n for n in view.names if not n.isascii()]
            view.blob = (self._make_blob(ascii_names), self._make_blob(other_names))
        ascii_blob, other_blob = view.blob
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
        names = self._sorted.names
        for i in range(bisect.bisect_left(names, q), len(names)):
            norm = names[i]
            if not norm.startswith(q):
                return
            yield norm

    def _near_names(self, q: str) -> list[str]:
        """Names in ``q``'s script (ASCII or not) whose length is within its edit budget: the
        only ones a near match can be. Lists by script and length are built once per sorted
        list, like the substring blobs."""
        view = self._sorted
        if view.by_length is None:
            by_length: dict[tuple[bool, int], list[str]] = {}
            for norm in view.names:
                by_length.setdefault((norm.isascii(), len(norm)), []).append(norm)
            view.by_length = by_length
        budget = edit_budget(q)
        script = q.isascii()
        sizes = range(len(q) - budget, len(q) + budget + 1)
        names = [n for size in sizes for n in view.by_length.get((script, size), ())]
        return names + [n for n in self._pending if n.isascii() == script and abs(len(n) - len(q)) <= budget]

    # -- reads ----------------------------------------------------------------------------------
    def lookup(
        self, query: str, limit: int, *, accept: Callable[[str], bool] | None = None, near: bool = True
    ) -> list[tuple[str, MatchKind]]:
        """Entity ids that ``accept`` lets through, with the rule each matched by, best first, at
        most ``limit``; near matches only when no other rule found one (and ``near``). Changes
        nothing, so readers of one generation can look up at once from many threads."""
        q = normalize_name(query)
        if not q:
            return []
        ids_of = self._ids
        cap = limit * 4
        best: dict[str, Rank] = {}

        def take(norm: str, rank: Rank | None) -> None:
            ids = ids_of.get(norm)
            if ids is None or rank is None:
                return  # a removed name still in the sorted list
            for entity_id in _each(ids):
                if accept is None or accept(entity_id):
                    if entity_id not in best or rank < best[entity_id]:
                        best[entity_id] = rank

        take(q, cheap_rank(q, q))
        pending_prefix = sorted(n for n in self._pending if n.startswith(q))
        for norm in heapq.merge(self._prefix_scan(q), pending_prefix):
            if len(best) >= cap:
                break
            take(norm, cheap_rank(q, norm))
        if len(best) < limit:
            pending_inner = sorted(n for n in self._pending if q in n and not n.startswith(q))
            for norm in heapq.merge(self._substring_scan(q), pending_inner):
                take(norm, cheap_rank(q, norm))
                if len(best) >= cap:
                    break
        if not best and near:
            for norm, rank in near_ranks(q, self._near_names(q)):
                take(norm, rank)
        return ordered(best, limit)

    def __len__(self) -> int:
        return len(self._ids)
