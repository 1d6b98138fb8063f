"""The good a flows file's product code names: the Harmonized System code entity of graph.hs.

Trade flows, Global Trade Alert records and the lexicon's goods meet on one node per code
(``commodity:hs-850511``), with its names in both languages and IS_A up to the section. BACI
publishes a year under an older revision (HS17) than the nomenclature held here (HS 2022); a
code that revision has and HS 2022 does not keeps its relations, on a good named by BACI's own
description and outside the hierarchy (graph.hs.uncoded_entity).
"""

from __future__ import annotations

from graph.hs import describe, hs_batch, hs_entity_id, uncoded_entity
from graph.model.records import Batch, Evidence

__all__ = ["hs_id", "hs_goods"]


def hs_id(code: str) -> str:
    """``850511`` -> ``commodity:hs-850511``."""
    return hs_entity_id(code)


def hs_goods(code: str, description: str | None, evidence: Evidence, known: set[str]) -> Batch:
    """The good for an HS6 code with its heading, chapter and section (IS_A, each citing its
    nomenclature line), or nothing when the store already holds it (``known``): writing the same
    code twice changes nothing, so the check only saves the work."""
    if hs_id(code) in known:
        return Batch.model_construct(documents=[], entities=[], relations=[])
    if describe(code) is None:
        return Batch.model_construct(documents=[], entities=[uncoded_entity(code, description, [evidence])], relations=[])
    return hs_batch([code])
