"""Stage 1, mentions: the names of one document (see ``types.Mentions``).

Lexicon names come first, from one automaton pass over the folded text; a name after 对 or
涉 ("对美国") is read whole, and a goods name whose end begins a longer goods name ("C919
大型客机发动机") yields that head too. Then ``names.py`` adds the firms, agencies and people the
text names beyond the lexicon; a longer new name swallows the lexicon names inside it.
"""

from __future__ import annotations

from graph.model.enums import EntityType
from ingest.extract.matcher import Hit, TermMatcher, fold
from ingest.extract.names import OpenNames
from ingest.extract.types import GOODS_TYPES, Mention, Mentions, Source
from ingest.lexicon import Lexicon

__all__ = ["MentionReader"]

_new_tuple = tuple.__new__  # a Mention built in C, without the NamedTuple's Python-level __new__
_DIRECTIONAL = frozenset("对涉在赴访来")
_COMPASS = frozenset("north south east west northern southern eastern western central equatorial".split())


class MentionReader:
    """Finds the names of a document; built once per lexicon (its automata are the costly part)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.names = TermMatcher(lexicon.entity_terms)
        goods_terms = {k: [t for t in v if t.kind == "entity" and t.value.split(":", 1)[0] in {"commodity", "product"}] for k, v in lexicon.entity_terms.items()}
        goods_terms = {k: v for k, v in goods_terms.items() if v}
        self.goods = TermMatcher(goods_terms)
        # goods names one of whose proper suffixes begins another goods name ("C919大型客机" and
        # "大型客机发动机"): only after these can a longer head follow, so only these are checked
        proper = {fold(k)[:i] for k in goods_terms for i in range(1, len(k))}  # prefixes of a longer name

        def prone(name: str) -> bool:
            return any(
                name[i:] in proper and (name[i - 1] == " " or not name[i].isascii())
                for i in range(1, len(name))
            )

        self.head_prone = frozenset(k for k in map(fold, goods_terms) if prone(k))
        self.open_names = OpenNames(lexicon)
        self.types = {key: e.type for key, e in lexicon.entries.items()}  # asked for every name found

    def find(self, source: Source) -> Mentions:
        """Every name in the document, in text order, lexicon and open vocabulary together."""
        text, folded = source.text, source.folded
        mentions, name_spans = self._mentions(text, folded)
        found = self.open_names.find(text, source.language, mentions)
        if found.mentions or found.dropped:
            mentions = sorted([m for m in mentions if (m.start, m.end) not in found.dropped] + found.mentions)
            name_spans = sorted({*name_spans, *((m.start, m.end) for m in found.mentions)} - found.dropped)
        return Mentions(_short_forms(mentions), name_spans, found)

    def _mentions(self, text: str, folded: str) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Lexicon names and the spans they take (a country pair such as 中美 is two mentions)."""
        mentions, spans = [], []
        types = self.types
        hits = self.names.find(text, folded)
        skip_until = -1
        for i, hit in enumerate(hits):
            if hit.start < skip_until:
                continue
            if hit.kind == "entity" and len(hit.surface) == 2 and hit.surface[0] in _DIRECTIONAL:
                longer = self._longer_name(text, folded, hit.start + 1, hit.end)
                if longer is not None:  # "对美国", "对美光公司": 对 marks the target, the name is longer
                    hit, skip_until = longer, longer.end
            spans.append((hit.start, hit.end))
            if hit.kind == "entity":
                etype = types.get(hit.value)
                if etype is not None:
                    m = _new_tuple(Mention, (hit.start, hit.end, hit.value, etype, hit.surface, hit.lang, False))
                    mentions.append(m)
                    if m.type in GOODS_TYPES and folded[m.start : m.end] in self.head_prone:
                        head = self._goods_head(text, folded, m)
                        if head is not None:  # "C919 大型客机发动机": the engines, of the C919
                            mentions.append(head)
                            skip_until = max(skip_until, head.end)
            elif hit.kind == "pair":
                for country in hit.value.split(","):
                    mentions.append(Mention(hit.start, hit.end, country, EntityType.COUNTRY, hit.surface, hit.lang, pair=True))
        return mentions, spans

    def _longer_name(self, text: str, folded: str, start: int, end: int) -> Hit | None:
        """A name that starts at ``start`` and runs past ``end`` (the 美国 in 对美国)."""
        window = self.names.find(text[start : start + 16], folded[start : start + 16])
        if window and window[0].start == 0 and start + window[0].end > end and window[0].kind == "entity":
            h = window[0]
            return Hit(start + h.start, start + h.end, h.kind, h.value, h.lang, h.surface)
        return None

    def _goods_head(self, text: str, folded: str, m: Mention) -> Mention | None:
        """A goods name that begins inside ``m`` and runs past its end: the compound's head."""
        lo, hi = m.start + 1, m.end + 12
        for h in self.goods.find(text[lo:hi], folded[lo:hi]):
            start, end = lo + h.start, lo + h.end
            if start >= m.end:
                break
            if end > m.end and h.kind == "entity" and h.value != m.entity_id:
                entry = self.lex.entry(h.value)
                if entry is not None and entry.type in GOODS_TYPES:
                    return Mention(start, end, h.value, entry.type, h.surface, h.lang)
        return None


def _short_forms(mentions: list[Mention]) -> list[Mention]:
    """A country named by the end of a longer name that came before it, of another country, is
    that country: after "Democratic Republic of Congo", a bare "Congo" is the same Congo, not the
    Republic of the Congo the lexicon gives the short name to."""
    longer: dict[str, str] = {}  # folded short form -> the country whose longer name ends with it
    out = []
    for m in mentions:
        if m.type is EntityType.COUNTRY and not m.pair:
            surface = m.surface.casefold()
            meant = longer.get(surface)
            if meant is not None and meant != m.entity_id:
                m = m._replace(entity_id=meant)
            words = surface.split()
            if words and words[0] not in _COMPASS:  # "North Korea" does not make a later "Korea" the North
                for i in range(1, len(words)):
                    longer.setdefault(" ".join(words[i:]), m.entity_id)
        out.append(m)
    return out
