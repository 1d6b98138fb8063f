"""The sentence-level relation rules joined into one object, compiled once per lexicon."""

from __future__ import annotations

from ingest.extract.relations.affiliation import AffiliationRules
from ingest.extract.relations.stances import StanceRules
from ingest.extract.relations.trade import TradeRules

__all__ = ["RelationRules"]


class RelationRules(TradeRules, AffiliationRules, StanceRules):
    """DEPENDS_ON, SELLS_TO, SUPPLIES, MADE_FROM, MEMBER_OF, BASED_IN, NEGOTIATES_WITH, OPPOSES and
    SUPPORTS as one sentence states them; what they know of the lexicon is in ``base.RuleBase``."""
