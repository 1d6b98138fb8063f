"""Closed vocabularies of the model. Their rules (endpoints, MAST chapters) are in ontology.yaml."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["EntityType", "RelationType", "MeasureType", "MeasureStatus", "LifecycleStage", "DependenceKind", "Provenance"]


class EntityType(StrEnum):
    """What an entity is; the prefix of its id says the same (country:, firm:, measure:...)."""

    COUNTRY = "Country"
    ORGANIZATION = "Organization"
    FIRM = "Firm"
    PERSON = "Person"
    MEASURE = "Measure"
    COMMODITY = "Commodity"
    PRODUCT = "Product"


class RelationType(StrEnum):
    """What a relation says; ontology.yaml gives the entity types each may join."""

    IMPOSES = "IMPOSES"
    TARGETS = "TARGETS"
    COVERS = "COVERS"
    RETALIATES_AGAINST = "RETALIATES_AGAINST"
    DEPENDS_ON = "DEPENDS_ON"
    SUPPLIES = "SUPPLIES"
    IS_A = "IS_A"
    MADE_FROM = "MADE_FROM"
    MEMBER_OF = "MEMBER_OF"
    BASED_IN = "BASED_IN"
    OPPOSES = "OPPOSES"
    SUPPORTS = "SUPPORTS"
    NEGOTIATES_WITH = "NEGOTIATES_WITH"
    # Appended, never inserted: the compact index and its snapshots code a type by its position.
    SELLS_TO = "SELLS_TO"


class MeasureType(StrEnum):
    """The kind of a trade measure; each maps to an UNCTAD MAST chapter (ontology.yaml)."""

    TARIFF = "tariff"
    EXPORT_CONTROL = "export_control"
    IMPORT_BAN = "import_ban"
    PURCHASE_SUSPENSION = "purchase_suspension"
    PORT_FEE = "port_fee"
    SANCTION = "sanction"
    ENTITY_LIST = "entity_list"
    SUPPLY_CUTOFF = "supply_cutoff"
    ANTI_DUMPING = "anti_dumping"
    COUNTERVAILING_DUTY = "countervailing_duty"
    SAFEGUARD = "safeguard"
    INVESTMENT_RESTRICTION = "investment_restriction"
    OTHER = "other"


class MeasureStatus(StrEnum):
    """Where a measure stands: threatened, announced, in force, suspended or lifted."""

    THREATENED = "threatened"
    ANNOUNCED = "announced"
    IN_FORCE = "in_force"
    SUSPENDED = "suspended"
    LIFTED = "lifted"


class LifecycleStage(StrEnum):
    """What happened to a measure on one day: the events of its lifecycle (after Global Trade
    Alert's announced / implemented / removed dates). Each leaves the measure in one status
    (``status_after``): an extension keeps it in force, an expiry ends it like a lifting."""

    THREATENED = "threatened"
    ANNOUNCED = "announced"
    IN_FORCE = "in_force"
    EXTENDED = "extended"
    SUSPENDED = "suspended"
    LIFTED = "lifted"
    EXPIRED = "expired"

    @property
    def status_after(self) -> MeasureStatus:
        return _STATUS_AFTER[self]

    @property
    def order(self) -> int:
        """Where the stage falls among events of the same day: a threat comes before the
        announcement, the announcement before it takes force, and so on."""
        return list(LifecycleStage).index(self)


_STATUS_AFTER = {
    LifecycleStage.THREATENED: MeasureStatus.THREATENED,
    LifecycleStage.ANNOUNCED: MeasureStatus.ANNOUNCED,
    LifecycleStage.IN_FORCE: MeasureStatus.IN_FORCE,
    LifecycleStage.EXTENDED: MeasureStatus.IN_FORCE,
    LifecycleStage.SUSPENDED: MeasureStatus.SUSPENDED,
    LifecycleStage.LIFTED: MeasureStatus.LIFTED,
    LifecycleStage.EXPIRED: MeasureStatus.LIFTED,
}


class DependenceKind(StrEnum):
    """Why one party relies on another: for what it supplies (DEPENDS_ON) or as a buyer (SELLS_TO)."""

    SUPPLY = "supply"
    MARKET = "market"


class Provenance(StrEnum):
    """Where a relation comes from: read in text (documents, curated facts) or computed from
    bilateral trade flows (a dataset such as BACI; see docs/trade.md)."""

    TEXT = "text"
    TRADE = "trade"
