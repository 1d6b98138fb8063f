"""What every sentence-level relation rule shares: the draft it returns and its helpers."""

from __future__ import annotations

from dataclasses import dataclass

from graph.enums import EntityType, RelationType
from graph.ontology import ontology
from ingest.extract.matcher import Lookbehind
from ingest.extract.types import COORDINATION, Mention, Sentence
from ingest.lexicon import Lexicon

__all__ = ["RelationDraft", "RuleBase"]


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


def _allowed(source_type: EntityType, rtype: RelationType, target_type: EntityType) -> bool:
    rule = ontology().relations[rtype]
    return source_type in rule.sources and target_type in rule.targets


class RuleBase:
    """The lexicon and the helpers the relation rules share (each family of rules is a subclass,
    in its own module; ``stage.RelationRules`` joins them)."""

    def __init__(self, lexicon: Lexicon, location_words: Lookbehind) -> None:
        self.lex = lexicon
        self.location_words = location_words

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
