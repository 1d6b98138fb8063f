"""What every sentence-level relation rule shares: the draft it returns and its helpers."""

from __future__ import annotations

from dataclasses import dataclass

from graph.model.enums import EntityType, RelationType
from graph.model.ontology import ontology
from ingest.extract.confidence import calibrated
from ingest.extract.matcher import Lookbehind
from ingest.extract.types import COORDINATION, Mention, Sentence
from ingest.lexicon import Lexicon

__all__ = ["RelationDraft", "RuleBase", "embedded_countries"]


@dataclass
class RelationDraft:
    """One relation a rule read in one sentence, with the mentions it cites."""

    source: str
    type: RelationType
    target: str
    start: int
    end: int
    rule: str
    confidence: float
    share: float | None = None
    origin: str | None = None
    mentions: tuple[Mention, ...] = ()


def embedded_countries(lexicon: Lexicon) -> dict[str, tuple[int, str]]:
    """Names that begin with their country's name (中国商务部, Japan's METI): surface → (length, country)."""
    out = {}
    for terms in lexicon.entity_terms.values():
        for term in terms:
            if term.kind != "entity" or term.value.startswith("country:"):
                continue
            surface = term.surface
            for k in range(len(surface) - 1, 0, -1):
                prefix = surface[:k]
                hits = lexicon.entity_terms.get(prefix) or lexicon.entity_terms.get(prefix.lower()) or []
                country = next((t.value for t in hits if t.value.startswith("country:")), None)
                if country:
                    out[surface] = (k, country)
                    break
    return out


def _allowed(source_type: EntityType, rtype: RelationType, target_type: EntityType) -> bool:
    rule = ontology().relations[rtype]
    return source_type in rule.sources and target_type in rule.targets


class RuleBase:
    """The lexicon, what the rules know of it, and the helpers they share (each family of rules is
    a subclass in its own module; ``rules.RelationRules`` joins them)."""

    def __init__(self, lexicon: Lexicon, location_words: Lookbehind) -> None:
        self.lex = lexicon
        self.location_words = location_words
        self.confidence = calibrated()
        self.embedded = embedded_countries(lexicon)
        entries = lexicon.entries.values()
        # which names can start a membership or a home-country rule, so other sentences skip them
        self.member_ids = frozenset(e.id for e in entries if e.members or (e.type is EntityType.PERSON and e.org and e.titles))
        self.based_ids = frozenset(
            e.id for e in entries if e.type in {EntityType.FIRM, EntityType.ORGANIZATION, EntityType.PERSON} and e.country
        )

    def home(self, entity_id: str) -> str | None:
        return self.lex.home(entity_id)

    def _draft(self, s: Sentence, source: Mention, rtype: RelationType, target: Mention, rule: str, confidence: float, **extra) -> RelationDraft | None:
        if source.entity_id == target.entity_id or not _allowed(source.type, rtype, target.type):
            return None
        return RelationDraft(source.entity_id, rtype, target.entity_id, s.start, s.end, rule, confidence, mentions=(source, target), **extra)

    def _coordinated_back(self, text: str, s: Sentence, m: Mention, types: frozenset | set) -> list[Mention]:
        group = [m]
        i = s.mentions.index(m)
        while i > 0:
            prev = s.mentions[i - 1]
            if prev.type in types and COORDINATION.match(text[prev.end : group[0].start]):
                group.insert(0, prev)
                i -= 1
            else:
                break
        return group

    def _coordinated_forward(self, text: str, s: Sentence, m: Mention, types: frozenset | set) -> list[Mention]:
        group = [m]
        i = s.mentions.index(m)
        while i + 1 < len(s.mentions):
            nxt = s.mentions[i + 1]
            if nxt.type in types and COORDINATION.match(text[group[-1].end : nxt.start]):
                group.append(nxt)
                i += 1
            else:
                break
        return group

    def _is_place(self, text: str, m: Mention) -> bool:
        return m.type is EntityType.COUNTRY and bool(self.location_words.search(text[max(0, m.start - 12) : m.start]))
