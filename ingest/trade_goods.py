"""HS codes as goods, as much as the trade import needs until the shared HS module is merged.

The shared convention (issue 19): an HS code is a Commodity ``commodity:hs-<code>`` (2, 4 or 6
digits), with attribute ``hs`` = the code, IS_A its parent code. The hs-codes work builds those
entities with the nomenclature's names in both languages; this private helper only makes the id
and an English name from BACI's product file, so trade-derived relations have a good to end at.
When the shared module lands, ``hs_id`` and ``hs_goods`` here should call it instead.
"""

from __future__ import annotations

from graph.model import Entity, Evidence, Relation

__all__ = ["hs_id", "hs_parents", "hs_goods"]


def hs_id(code: str) -> str:
    """``850511`` -> ``commodity:hs-850511``."""
    return f"commodity:hs-{code}"


def hs_parents(code: str) -> list[str]:
    """The codes above an HS6 code, nearest first: ``850511`` -> ``8505``, ``85``."""
    return [code[:n] for n in (4, 2) if n < len(code)]


def _entity(code: str, description: str | None, evidence: Evidence) -> Entity:
    dotted = f"{code[:4]}.{code[4:]}" if len(code) == 6 else code
    name = description or f"HS {dotted}"
    aliases = sorted({code, dotted, f"HS {code}", f"HS {dotted}"} - {name})
    return Entity(id=hs_id(code), names={"en": name[:300]}, aliases=aliases, attributes={"hs": code}, evidence=[evidence])


def hs_goods(code: str, description: str | None, evidence: Evidence, known: set[str]) -> tuple[list[Entity], list[Relation]]:
    """The good for an HS6 code and its heading and chapter, with IS_A up the tree; only those not
    in ``known`` (a good the store holds keeps its names: the shared module's are better)."""
    entities: list[Entity] = []
    relations: list[Relation] = []
    chain = [code, *hs_parents(code)]
    for child, parent in zip(chain, [*chain[1:], None], strict=True):
        if hs_id(child) in known:
            break
        entities.append(_entity(child, description if child == code else None, evidence))
        if parent is not None:
            relations.append(Relation(source=hs_id(child), type="IS_A", target=hs_id(parent), evidence=[evidence]))
    return entities, relations
