"""The decided view's fast paths (links and neighbour ids from the store's own, renamed after)
give what its generic walk over edges gives, on both stores."""

from __future__ import annotations

import pytest

from graph.model.decisions import Decision
from graph.model.enums import RelationType
from graph.review_view import ReviewView
from graph.store import Direction, GraphReader

MERGE = Decision(kind="merge", subject="firm:cadence", into="firm:synopsys", reason="test")
REJECT_RELATION = Decision(kind="reject", subject="product:f-35|DEPENDS_ON|commodity:ndfeb-magnets|country:CN", reason="test")
REJECT_ENTITY = Decision(kind="reject", subject="measure:cn-2025-us-soybean-purchase-halt", reason="test")


@pytest.mark.parametrize(
    "standing", [[MERGE], [MERGE, REJECT_RELATION], [REJECT_ENTITY], [MERGE, REJECT_ENTITY]], ids=["merge", "merge+relation", "entity", "merge+entity"]
)
def test_fast_paths_agree_with_the_generic_walk(seeded_store, standing):
    view = ReviewView(seeded_store, standing)
    everything = view.entity_ids()
    asked = [["firm:synopsys"], ["country:US"], ["country:CN", "firm:synopsys"], ["commodity:ndfeb-magnets"], everything]
    for ids in asked:
        for direction in Direction:
            for types in (None, [RelationType.DEPENDS_ON, RelationType.SELLS_TO]):
                assert view.links(ids, direction, types) == GraphReader.links(view, ids, direction, types), (ids[:3], direction, types)
                assert view.neighbour_ids(ids, direction, types) == GraphReader.neighbour_ids(view, ids, direction, types), (ids[:3], direction)
        assert view.links(ids, Direction.BOTH, to=["country:CN"]) == GraphReader.links(view, ids, Direction.BOTH, to=["country:CN"])
    assert ("firm:cadence" in view.neighbour_ids(everything)) is (MERGE not in standing)
    for decision in standing:
        assert decision.subject not in {link.key for link in view.links(everything, Direction.BOTH)}
