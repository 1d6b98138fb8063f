"""The compact index's typed reads: a hub's edges grouped by type must follow every write."""

from graph.embedded.compact_index import RELATION_TYPES, CompactGraph
from graph.model.enums import RelationType

DEPENDS_ON = {RELATION_TYPES.index(RelationType.DEPENDS_ON)}


def _hub(firms: int) -> CompactGraph:
    """country:CN with ``firms`` BASED_IN edges and two DEPENDS_ON edges entering it."""
    graph = CompactGraph()
    graph.add_node("country:CN", "Country")
    for i in range(firms):
        graph.add_node(f"firm:f{i}", "Firm")
        graph.set_edge(f"firm:f{i}", "BASED_IN", "country:CN", None, None, None, None, None)
    for i in (1, 2):
        graph.set_edge(f"firm:f{i}", "DEPENDS_ON", "country:CN", None, 0.5, None, None, None)
    return graph


def _depends_on_cn(graph: CompactGraph) -> list[str]:
    return sorted(graph.edges_of(["country:CN"], out=False, inc=True, types=DEPENDS_ON))


def test_typed_read_of_a_hub_gives_only_that_type():
    graph = _hub(CompactGraph.TYPED_MIN_EDGES * 3)
    assert _depends_on_cn(graph) == ["firm:f1|DEPENDS_ON|country:CN|", "firm:f2|DEPENDS_ON|country:CN|"]
    everything = graph.edges_of(["country:CN"], out=False, inc=True, types=None)
    assert len(everything) == CompactGraph.TYPED_MIN_EDGES * 3 + 2


def test_typed_read_of_a_hub_follows_added_and_removed_edges():
    graph = _hub(CompactGraph.TYPED_MIN_EDGES * 3)
    _depends_on_cn(graph)  # groups the hub's edges by type
    graph.set_edge("firm:f3", "DEPENDS_ON", "country:CN", None, None, None, None, None)
    graph.remove_key("firm:f1|DEPENDS_ON|country:CN|")
    assert _depends_on_cn(graph) == ["firm:f2|DEPENDS_ON|country:CN|", "firm:f3|DEPENDS_ON|country:CN|"]
    graph.remove_node("firm:f2")
    assert _depends_on_cn(graph) == ["firm:f3|DEPENDS_ON|country:CN|"]
    graph.add_node("firm:new", "Firm")  # may reuse firm:f2's slot and its freed edges
    graph.set_edge("firm:new", "DEPENDS_ON", "country:CN", "country:CN", None, None, None, None)
    assert _depends_on_cn(graph) == ["firm:f3|DEPENDS_ON|country:CN|", "firm:new|DEPENDS_ON|country:CN|country:CN"]


def test_a_snapshot_from_before_a_type_was_added_still_loads():
    """Types are coded by position and appended only: an older snapshot's codes keep their meaning
    and its shorter per-type counts are padded, so an edge of the new type can be added to it."""
    assert [t.value for t in RELATION_TYPES[:5]] == ["IMPOSES", "TARGETS", "COVERS", "RETALIATES_AGAINST", "DEPENDS_ON"]
    assert RELATION_TYPES[-1] is RelationType.SELLS_TO
    state = _hub(3).to_state()
    state["edge_counts"] = state["edge_counts"][:-1]  # as written when SELLS_TO was not a type
    graph = CompactGraph.from_state(state)
    graph.set_edge("firm:f0", "SELLS_TO", "country:CN", None, 0.3, None, None, None)
    assert graph.number_of_edges == 6
    assert graph.type_counts("country:CN")["in"] == {"BASED_IN": 3, "DEPENDS_ON": 2, "SELLS_TO": 1}


def _picture(graph: CompactGraph) -> dict:
    """Everything a reader can ask a generation."""
    ids = ["country:CN", "firm:f0", "firm:f1", "firm:f2", "firm:new"]
    return {
        "keys": sorted(graph.all_keys()),
        "edges": {k: graph.edge_fields(e) for k, e in graph.edges_of(ids, True, True, None).items()},
        "typed": _depends_on_cn(graph),
        "nodes": sorted(graph.node_ids()),
        "known": [i in graph for i in ids],
        "counts": (graph.number_of_nodes, graph.number_of_edges, list(graph.edge_counts)),
        "degrees": [graph.degree(i) for i in ids],
        "types": graph.type_counts("country:CN"),
        "origins": sorted(graph.origin_of("country:CN")),
    }


def test_a_fork_changes_nothing_its_parent_answers():
    """Every kind of change a write makes, in a fork: the published parent answers as before."""
    parent = _hub(CompactGraph.TYPED_MIN_EDGES * 2)
    parent.seal()
    before = _picture(parent)
    fork = parent.fork(1)
    fork.set_edge("firm:f1", "DEPENDS_ON", "country:CN", None, 0.9, None, None, {"note": "changed"})  # a new slot
    fork.remove_key("firm:f2|DEPENDS_ON|country:CN|")
    fork.remove_node("firm:f0")
    fork.add_node("firm:new", "Firm")
    fork.set_edge("firm:new", "DEPENDS_ON", "country:CN", "country:CN", None, None, None, None)
    assert _picture(parent) == before
    after = _picture(fork)
    assert after["typed"] == ["firm:f1|DEPENDS_ON|country:CN|", "firm:new|DEPENDS_ON|country:CN|country:CN"]
    assert after["known"] == [True, False, True, True, True] and after["origins"] == ["firm:new|DEPENDS_ON|country:CN|country:CN"]
    fork.seal()
    grandchild = fork.fork(2)
    grandchild.reclaim(oldest=0)  # the parent (version 0) is still held: nothing it reads is reused
    grandchild.set_edge("firm:f3", "DEPENDS_ON", "country:CN", None, 0.1, None, None, None)
    assert _picture(parent) == before and _picture(fork) == after
    assert CompactGraph.from_state(fork.to_state()).all_keys() == fork.all_keys()  # a fork filling slots meanwhile


def test_an_abandoned_fork_leaves_the_shared_columns_as_they_were():
    parent = _hub(4)
    parent.remove_key("firm:f1|DEPENDS_ON|country:CN|")
    parent.seal()
    child = parent.fork(1)
    child.reclaim(oldest=1)
    child.seal()
    slots, picture = len(child.src), _picture(child)
    fork = child.fork(2)
    fork.set_edge("firm:f1", "DEPENDS_ON", "country:CN", None, 0.2, None, None, None)  # takes the freed slot
    fork.set_edge("firm:f0", "DEPENDS_ON", "country:CN", None, 0.2, None, None, None)  # appends one
    fork.abandon()
    assert len(child.src) == slots and child.src.count(-1) == 1
    assert _picture(CompactGraph.from_state(child.to_state())) == _picture(child) == picture


def test_adding_new_edges_at_once_is_adding_them_one_by_one():
    """add_new_edges (a bulk upsert's new relations) gives what set_edge(..., new=True) gives
    for each in turn: the same slots, adjacency, origins, counts, and a reused freed slot."""
    new = [
        ("firm:f0", "DEPENDS_ON", "country:CN", None, 0.4, "2024-01-02", None, None),
        ("firm:f1", "SUPPLIES", "country:CN", "country:CN", None, None, "2025-03-04", {"note": "x"}),
        ("firm:f0", "BASED_IN", "firm:f1", None, None, None, None, None),
    ]
    pictures = []
    for at_once in (False, True):
        parent = _hub(CompactGraph.TYPED_MIN_EDGES * 2)
        parent.remove_key("firm:f1|DEPENDS_ON|country:CN|")
        parent.seal()
        before = _picture(parent)
        fork = parent.fork(1)
        fork.reclaim(oldest=1)  # the removed edge's slot is free for the first new edge
        if at_once:
            fork.add_new_edges(new)
        else:
            for fields in new:
                fork.set_edge(*fields, new=True)
        assert _picture(parent) == before
        pictures.append((_picture(fork), fork.to_state()))
    assert pictures[0] == pictures[1]
    assert "firm:f0|BASED_IN|firm:f1|" in pictures[1][0]["keys"]


def test_batch_look_ups_answer_what_single_look_ups_answer():
    """known_ids and find_keys (the write planner's look-ups) agree with `in` and find_key,
    including ids a later fork added and a removed entity, which the parent must not see."""
    parent = _hub(3)
    parent.seal()
    fork = parent.fork(1)
    fork.add_node("firm:new", "Firm")
    fork.set_edge("firm:new", "BASED_IN", "country:CN", None, None, None, None, None)
    fork.remove_node("firm:f2")
    ids = ["country:CN", "firm:f0", "firm:f2", "firm:new", "firm:none"]
    keys = [
        "firm:f0|BASED_IN|country:CN|", "firm:f1|DEPENDS_ON|country:CN|", "firm:f2|BASED_IN|country:CN|",
        "firm:new|BASED_IN|country:CN|", "firm:f0|BASED_IN|country:CN|country:CN", "firm:f0|NO_SUCH|country:CN|",
        "not a key",
    ]
    for graph in (parent, fork):
        assert graph.known_ids(ids) == {i for i in ids if i in graph}
        assert graph.find_keys(keys) == {k: graph.find_key(k) for k in keys if k.count("|") == 3 and graph.find_key(k) >= 0}
    assert parent.known_ids(ids) == {"country:CN", "firm:f0", "firm:f2"}
    assert sorted(fork.find_keys(keys)) == ["firm:f0|BASED_IN|country:CN|", "firm:f1|DEPENDS_ON|country:CN|", "firm:new|BASED_IN|country:CN|"]


def test_a_failure_while_adding_new_edges_leaves_no_attributes_behind():
    """add_new_edges failing half-way (an unknown endpoint) and the fork abandoned: the shared
    columns and attributes are as they were, so a later fork's edge in that slot has none."""
    parent = _hub(3)
    parent.seal()
    slots, picture = len(parent.src), _picture(parent)
    fork = parent.fork(1)
    try:
        fork.add_new_edges([
            ("firm:f0", "DEPENDS_ON", "country:CN", None, 0.4, None, None, {"note": "x"}),
            ("firm:none", "DEPENDS_ON", "country:CN", None, 0.4, None, None, None),
        ])
    except KeyError:
        fork.abandon()
    assert len(parent.src) == slots and not any(edge >= slots for edge in parent.attrs)
    later = parent.fork(2)
    later.add_new_edges([("firm:f1", "SUPPLIES", "country:CN", None, None, None, None, None)])
    assert later.edge_fields(later.find_key("firm:f1|SUPPLIES|country:CN|"))[-1] in ({}, None)
    assert _picture(parent) == picture
