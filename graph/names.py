"""Name matching shared by every store: one normalisation, one ranking.

``稀土``, ``稀土s``, ``Rare Earths``, ``rare-earth`` and ``RARE EARTHS`` must find the same entity
whatever store answers, so both stores index :func:`normalize_name` of every name and alias, rank
hits with :func:`cheap_rank` (and, when nothing matched, :func:`near_ranks`) and order them with
:func:`ordered`.

The ranking, best first (docs/api.md "Naming entities"):

1. ``id``: the text is a stored entity's id, or spells one outright (:func:`spelled_id`: an HS
   code in any usual spelling, ``850511``, ``8505.11``, ``HS 8505 11``, names its code entity
   ``commodity:hs-850511``, so a code query answers the code first and the goods classified
   under it after, by the ``HS 850511`` alias they carry);
2. ``exact``: a name or alias equals the text after folding width, case, script (traditional to
   simplified Chinese), separators and an English plural on the last word;
3. ``prefix``: a folded name starts with the folded text;
4. ``substring``: a folded name contains it;
5. ``near``: only when nothing above matched, names within a few edits of the text (Levenshtein,
   the budget growing with the text's length, in the text's own script).

Within a rule the name that adds least to the text comes first (for ``near``: fewest edits, then
the closest length), then the entity id, so ties never depend on the order of writing.
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum

import opencc
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from graph.hs import hs_id_of

__all__ = [
    "NAMES_RULE",
    "MatchKind",
    "Rank",
    "normalize_name",
    "spelled_id",
    "cheap_rank",
    "edit_budget",
    "near_ranks",
    "ordered",
    "NameIndex",
]

_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f\-_.·・'’`\"“”,()（）]+")  # control characters fold away too

#: What stored normalised names were folded with: snapshots (graph.embedded) and Neo4j's
#: ``name_index`` written under another rule are rebuilt. Change the number with the folding.
NAMES_RULE = f"2 t2s plural {_SEPARATORS.pattern}"

_TO_SIMPLIFIED = opencc.OpenCC("t2s")


class MatchKind(StrEnum):
    """Which rule matched, best first; ``score`` is what answers have always carried."""

    ID = "id"
    EXACT = "exact"
    PREFIX = "prefix"
    SUBSTRING = "substring"
    NEAR = "near"

    @property
    def score(self) -> int:
        return _SCORES[self]


_SCORES = {MatchKind.ID: 4, MatchKind.EXACT: 3, MatchKind.PREFIX: 2, MatchKind.SUBSTRING: 1, MatchKind.NEAR: 0}
_KIND_OF_SCORE = {score: kind for kind, score in _SCORES.items()}

#: How good one entity's match is, smaller first: (minus the score, edits, characters the name
#: adds to or lacks from the text). The entity id breaks what ties remain (``ordered``).
Rank = tuple[int, int, int]
ID_RANK: Rank = (-4, 0, 0)


def _singular(word: str) -> str:
    """An English plural's singular, by the regular rules only (``earths``, ``batteries``,
    ``taxes``); words under four letters and ``-ss``/``-us``/``-is`` endings stay, so ``US``,
    ``gas``, ``glass`` and ``analysis`` are not cut. Text and names are folded alike, so an
    irregular result (``series`` -> ``sery``) still matches itself."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if not (word.isascii() and word.isalpha()):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def normalize_name(text: str) -> str:
    """Fold width, case, script, separators and a plural so that spelling variants compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = _TO_SIMPLIFIED.convert(folded)
    words = [w for w in _SEPARATORS.split(folded) if w]
    if words:
        words[-1] = _singular(words[-1])
    return "".join(words)


def spelled_id(text: str) -> str | None:
    """The id ``text`` names outright, if it is stored: the text itself when it carries a type
    prefix (``country:CN``), the code entity's id when it spells an HS code (``8505.11`` →
    ``commodity:hs-850511``); None for any other text. Stores rank the entity first (``id``)."""
    text = text.strip()
    return text if ":" in text else hs_id_of(text)


def cheap_rank(query_norm: str, name_norm: str) -> Rank | None:
    """The rank of an exact, prefix or substring match of two normalised names, or None."""
    if name_norm == query_norm:
        return (-3, 0, 0)
    if name_norm.startswith(query_norm):
        return (-2, 0, len(name_norm) - len(query_norm))
    if query_norm in name_norm:
        return (-1, 0, len(name_norm) - len(query_norm))
    return None


def edit_budget(query_norm: str) -> int:
    """How many edits a near match may be from the text: none for very short text (four Latin
    letters, two characters of other scripts, where a Chinese character carries a word), then one
    edit per four characters, at most three."""
    if len(query_norm) < (4 if query_norm.isascii() else 2):
        return 0
    return min(3, max(1, len(query_norm) // 4))


def near_ranks(query_norm: str, names: Sequence[str]) -> Iterator[tuple[str, Rank]]:
    """The names among ``names`` within ``edit_budget`` edits of the text and in its script
    (ASCII or not), with their ranks. Callers pass the names whose length is within the budget."""
    budget = edit_budget(query_norm)
    if not budget:
        return
    ascii_query = query_norm.isascii()
    size = len(query_norm)
    choices = [n for n in names if n.isascii() == ascii_query and abs(len(n) - size) <= budget]
    found = process.extract(query_norm, choices, scorer=Levenshtein.distance, score_cutoff=budget, limit=None)
    for name, edits, _ in found:
        yield name, (0, int(edits), abs(len(name) - size))


def ordered(best: dict[str, Rank], limit: int) -> list[tuple[str, MatchKind]]:
    """The ``limit`` best entities by rank, then id, with the rule each matched by."""
    chosen = sorted(best.items(), key=lambda item: (item[1], item[0]))[:limit]
    return [(entity_id, _KIND_OF_SCORE[-rank[0]]) for entity_id, rank in chosen]


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
    ``limit``; when none of these found anything, near matches among the names of about the
    text's length (lists by length, built like the blobs). The answer is the ``limit`` best by
    ``ordered``.
    """

    MERGE_AT = 4096

    def __init__(self) -> None:
        self._ids: dict[str, str | tuple[str, ...]] = {}
        self._names_of: dict[str, tuple[str, ...]] = {}
        self._sorted: list[str] = []
        self._pending: set[str] = set()
        self._stale = 0
        self._blob: tuple | None = None  # (ASCII names, other names), each (joined, starts, names)
        self._by_length: dict[tuple[bool, int], list[str]] | None = None  # by (ASCII, length), for near matches

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
        self._blob = self._by_length = None

    def to_state(self) -> dict:
        """Plain lists for a snapshot: the sorted names, what each names (aligned), and each
        entity's names as positions in that list, so that a load shares one string per name."""
        self._sorted = sorted(self._ids)
        self._pending.clear()
        self._stale = 0
        self._blob = self._by_length = None
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
            self._blob = self._by_length = None
        elif len(self._pending) > self.MERGE_AT:
            self._sorted.extend(sorted(self._pending))
            self._sorted.sort()  # two sorted runs: timsort merges them in linear time
            self._pending.clear()
            self._blob = self._by_length = None

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

    def _near_names(self, q: str) -> list[str]:
        """Names in ``q``'s script (ASCII or not) whose length is within its edit budget: the
        only ones a near match can be. Lists by script and length are built once per sorted
        list, like the substring blobs."""
        if self._by_length is None:
            by_length: dict[tuple[bool, int], list[str]] = {}
            for norm in self._sorted:
                by_length.setdefault((norm.isascii(), len(norm)), []).append(norm)
            self._by_length = by_length
        budget = edit_budget(q)
        script = q.isascii()
        sizes = range(len(q) - budget, len(q) + budget + 1)
        names = [n for size in sizes for n in self._by_length.get((script, size), ())]
        return names + [n for n in self._pending if n.isascii() == script and abs(len(n) - len(q)) <= budget]

    # -- reads ----------------------------------------------------------------------------------
    def lookup(
        self, query: str, limit: int, *, accept: Callable[[str], bool] | None = None, near: bool = True
    ) -> list[tuple[str, MatchKind]]:
        """Entity ids that ``accept`` lets through, with the rule each matched by, best first, at
        most ``limit``; near matches only when no other rule found one (and ``near``)."""
        q = normalize_name(query)
        if not q:
            return []
        self._settle()
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
