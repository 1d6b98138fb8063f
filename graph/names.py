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

import re
import unicodedata
from collections.abc import Iterator, Sequence
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
    "fold_text",
    "spelled_id",
    "cheap_rank",
    "edit_budget",
    "near_ranks",
    "ordered",
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


def _folded_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = _TO_SIMPLIFIED.convert(folded)
    return [w for w in _SEPARATORS.split(folded) if w]


def normalize_name(text: str) -> str:
    """Fold width, case, script, separators and a plural so that spelling variants compare equal."""
    words = _folded_words(text)
    if words:
        words[-1] = _singular(words[-1])
    return "".join(words)


def fold_text(text: str) -> str:
    """Fold width, case, script and separators, as :func:`normalize_name` does, but no plural: for
    finding a text inside a longer one (``tariffs`` is in ``tariffs on steel`` only unfolded)."""
    return "".join(_folded_words(text))


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

