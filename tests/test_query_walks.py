"""Walk semantics the benchmarks pushed on: dependents' paths per entity, cycles, and the order of
everything returned; shortest paths through hubs. Run against every store."""

from graph.model import Batch, Document, Entity, Evidence, Relation
from graph.queries import dependencies as deps
from graph.queries import explore

FIRMS = [f"firm:f{i}" for i in range(1, 7)]


def _batch(facts: list[tuple[str, str, str, float | None]]) -> Batch:
    """One document with a sentence per entity and per relation, each quoted as its evidence."""
    ids = sorted({f[0] for f in facts} | {f[2] for f in facts})
    sentences = [f"About {i}." for i in ids] + [f"Fact {n}." for n in range(len(facts))]
    document = Document(text=" ".join(sentences), language="en")

    def cite(sentence: str) -> list[Evidence]:
        start = document.text.index(sentence)
        return [Evidence(document_id=document.id, quote=sentence, start=start, end=start + len(sentence))]

    entities = [Entity(id=i, names={"en": i.split(":")[1]}, evidence=cite(f"About {i}.")) for i in ids]
    relations = [
        Relation(source=s, type=t, target=o, share=share, evidence=cite(f"Fact {n}."))
        for n, (s, t, o, share) in enumerate(facts)
    ]
    return Batch(documents=[document], entities=entities, relations=relations)


def _dependents_graph() -> Batch:
    """Six firms depend on gallium; the hub depends on gallium and on all six firms; x and y
    depend on each other, x on gallium too."""
    facts = [(f, "DEPENDS_ON", "commodity:gallium", 0.1 * n) for n, f in enumerate(FIRMS, 1)]
    facts += [("firm:hub", "DEPENDS_ON", "commodity:gallium", None)]
    facts += [("firm:hub", "DEPENDS_ON", f, 0.5) for f in FIRMS]
    facts += [("firm:x", "DEPENDS_ON", "commodity:gallium", 0.9), ("firm:y", "DEPENDS_ON", "firm:x", 0.5),
              ("firm:x", "DEPENDS_ON", "firm:y", 1.0)]
    return _batch(facts)


def _path_targets(dependent) -> list[list[str]]:
    return [[step.target for step in path.steps] for path in dependent.paths]


def test_dependents_keep_five_paths_a_hop_first_and_no_cycles(store):
    store.upsert(_dependents_graph())
    answer = deps.dependents(store, "commodity:gallium", max_depth=4)
    assert [(d.entity.id, d.hops, d.exposure) for d in answer.data] == [
        ("firm:x", 1, 0.9), ("firm:f6", 1, 0.6), ("firm:f5", 1, 0.5), ("firm:y", 2, 0.45), ("firm:f4", 1, 0.4),
        ("firm:f3", 1, 0.3), ("firm:f2", 1, 0.2), ("firm:hub", 1, 0.2), ("firm:f1", 1, 0.1),
    ]
    by_id = {d.entity.id: d for d in answer.data}
    # Reached at hop 1 directly, then by longer paths up to five in all, most exposed first.
    assert _path_targets(by_id["firm:hub"]) == [
        ["firm:f4", "commodity:gallium"], ["firm:f3", "commodity:gallium"], ["firm:f2", "commodity:gallium"],
        ["firm:f1", "commodity:gallium"], ["commodity:gallium"],
    ]
    # x -> y -> x -> gallium would pass x twice.
    assert _path_targets(by_id["firm:x"]) == [["commodity:gallium"]]
    assert answer.count == 9
    page = deps.dependents(store, "commodity:gallium", max_depth=4, offset=3, limit=2)
    assert [d.entity.id for d in page.data] == ["firm:y", "firm:f4"] and page.count == 9
    assert page.data[0].paths[0].steps[0].evidence[0].quote.startswith("Fact ")


def _all_shortest(batch: Batch, source: str, target: str, max_length: int) -> list[list[str]]:
    """Every shortest path as relation keys, by brute force over simple paths, in the documented
    order: by the last relation's key, then the one before, and so on."""
    around: dict[str, list[Relation]] = {}
    for r in batch.relations:
        around.setdefault(r.source, []).append(r)
        if r.target != r.source:
            around.setdefault(r.target, []).append(r)
    found: list[list[str]] = []

    def walk(node: str, keys: list[str], visited: set[str]) -> None:
        if node == target:
            found.append(keys)
            return
        if len(keys) == max_length:
            return
        for r in around.get(node, []):
            there = r.target if r.source == node else r.source
            if there not in visited:
                walk(there, [*keys, r.key], visited | {there})

    walk(source, [], {source})
    if not found:
        return []
    shortest = min(len(p) for p in found)
    return sorted((p for p in found if len(p) == shortest), key=lambda p: p[::-1])


def _hub_graph() -> Batch:
    """Firms in two countries, a hub with many firms, and firms depending on each other in
    several ways, so there are many shortest paths, some through the hub."""
    facts = [(f"firm:h{i:03d}", "BASED_IN", "country:CN", None) for i in range(150)]
    facts += [(f"firm:a{i}", "BASED_IN", "country:US", None) for i in range(6)]
    facts += [(f"firm:a{i}", "DEPENDS_ON", f"firm:h{i:03d}", 0.5) for i in range(6)]
    facts += [(f"firm:h{i:03d}", "DEPENDS_ON", "firm:z", None) for i in range(3, 12)]
    facts += [("firm:z", "BASED_IN", "country:CN", None), ("firm:a0", "DEPENDS_ON", "firm:z", 0.2),
              ("firm:y", "DEPENDS_ON", "firm:z", None), ("firm:y", "BASED_IN", "country:US", None)]
    return _batch(facts)


def test_paths_are_every_shortest_path_in_order(store):
    batch = _hub_graph()
    store.upsert(batch)
    pairs = [("country:US", "country:CN"), ("firm:y", "firm:h007"), ("firm:a3", "firm:a4"), ("firm:z", "country:US"),
             ("firm:h100", "firm:y"), ("firm:a1", "firm:z")]
    for source, target in pairs:
        for max_length in (1, 2, 3, 4):
            answer = explore.paths(store, source, target, max_length=max_length)
            expected = _all_shortest(batch, source, target, max_length)
            got = [[f"{s.source}|{s.type}|{s.target}|{s.origin or ''}" for s in path] for path in answer.paths]
            assert got == expected[: explore.MAX_PATHS], (source, target, max_length)
            assert answer.length == (len(expected[0]) if expected else None)
