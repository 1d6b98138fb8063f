"""Relying on a buyer is not relying on a good (issue 15, defect 11).

The seed article says US EDA firms earn 35% of their revenue in China and that China is 28% of
Boeing's orders: Synopsys, Cadence and Boeing rely on China as a market (SELLS_TO). A cut-off of
US aircraft parts to China hurts China's airlines, not the firms that sell to China, so impact and
dependents follow supply only; leverage and dependencies still show the market, labelled as one.
Run against every store."""

from graph.model.enums import EntityType, RelationType
from graph.queries import dependencies as deps
from graph.queries.measures import impact

MARKET_ONLY = {"firm:boeing", "firm:cadence", "firm:synopsys"}  # the seed gives them no supply dependence
BOEING_PARTS_CUTOFF = "measure:us-2025-boeing-parts-cutoff"


def test_the_boeing_parts_cutoff_hits_no_one_through_a_market(seeded_store):
    answer = impact(seeded_store, BOEING_PARTS_CUTOFF)
    assert [d.entity.id for d in answer.hits] == ["country:CN"]  # China's airlines need the parts
    assert MARKET_ONLY.isdisjoint(d.entity.id for d in answer.elsewhere)
    assert answer.count == len(answer.hits) + len(answer.elsewhere)


def test_dependents_of_any_good_never_come_through_a_market(seeded_store):
    goods = [*seeded_store.entity_ids(EntityType.COMMODITY), *seeded_store.entity_ids(EntityType.PRODUCT)]
    assert "commodity:aircraft-parts" in goods and "commodity:eda-software" in goods
    for good in goods:
        answer = deps.dependents(seeded_store, good, max_depth=deps.MAX_DEPTH)
        assert MARKET_ONLY.isdisjoint(d.entity.id for d in answer.data), good
        steps = [step for d in answer.data for path in d.paths for step in path.steps]
        assert all(step.type is not RelationType.SELLS_TO for step in steps), good


def test_leverage_labels_a_market_apart_from_a_supply(seeded_store):
    answer = deps.leverage(seeded_store, "country:CN")
    kinds = {(item.dependent.id, item.on.id): (item.kind, item.exposure) for item in answer.data}
    for firm, share in (("firm:cadence", 0.35), ("firm:synopsys", 0.35), ("firm:boeing", 0.28)):
        assert kinds[(firm, "country:CN")] == ("market", share)
    assert kinds[("product:f-35", "commodity:ndfeb-magnets")] == ("supply", 1.0)
    assert kinds[("country:US", "country:CN")] == ("supply", 0.21)  # China as the source of US imports
    market = next(item for item in answer.data if item.dependent.id == "firm:cadence")
    assert [step.type for step in market.path] == [RelationType.SELLS_TO]
    assert "对华营收占比达 35%" in market.path[0].evidence[0].quote


def test_dependencies_show_markets_beside_the_supply_chain(seeded_store):
    synopsys = deps.dependencies(seeded_store, "firm:synopsys")
    assert synopsys.data == [] and synopsys.count == 0  # it relies on no input the seed names
    assert [(m.buyer.id, m.share) for m in synopsys.markets] == [("country:CN", 0.35)]
    assert synopsys.markets[0].step.type is RelationType.SELLS_TO
    china = deps.dependencies(seeded_store, "country:CN")
    assert {r.entity.id for r in china.data} == {"commodity:aircraft-parts", "commodity:eda-software"}
    assert [m.buyer.id for m in china.markets] == []
