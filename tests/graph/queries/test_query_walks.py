"""Walk semantics the benchmarks pushed on: dependents' paths per entity, cycles, and the order of
everything returned; shortest paths through hubs. Run against every store."""

import datetime as dt

import pytest

from graph.model.enums import RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, MeasureAttributes, Relation
from graph.queries import dependencies as deps
from graph.queries import escalation as esc
from graph.queries import explore
from graph.queries.dependencies import MAX_RESULTS
from graph.store import Direction

FIRMS = [f"firm:f{i}" for i in range(1, 7)]


def _batch(facts: list[tuple[str, str, str, float | None]], measures: dict[str, MeasureAttributes] | None = None) -> Batch:
    """One document with a sentence per entity and per relation, each quoted as its evidence."""
    ids = sorted({f[0] for f in facts} | {f[2] for f in facts})
    sentences = [f"About {i}." for i in ids] + [f"Fact {n}." for n in range(len(facts))]
    document = Document(text=" ".join(sentences), language="en")

    def cite(sentence: str) -> list[Evidence]:
        start = document.text.index(sentence)
        return [Evidence(document_id=document.id, quote=sentence, start=start, end=start + len(sentence))]

    measures = measures or {}
    entities = [
        Entity(id=i, names={"en": i.split(":")[1]}, measure=measures.get(i), evidence=cite(f"About {i}.")) for i in ids
    ]
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


def _escalation_graph() -> Batch:
    """CN with 70 firms and an agency based in it (more than the index's by-type grouping
    threshold), US with a firm and an agency, org:dual based in both, and measures imposed and targeted every way between them:
    by a country or a firm, on a country or a firm, some on both sides at once, one on a third
    country, one retaliating against another."""
    cn_firms = [f"firm:cn{i}" for i in range(70)]
    facts = [(f, "BASED_IN", "country:CN", None) for f in cn_firms]
    facts += [("org:cnagency", "BASED_IN", "country:CN", None), ("org:usagency", "BASED_IN", "country:US", None),
              ("firm:us1", "BASED_IN", "country:US", None),
              ("org:dual", "BASED_IN", "country:CN", None), ("org:dual", "BASED_IN", "country:US", None)]
    imposed = {
        "measure:m0": (["country:CN"], ["country:US"]),
        "measure:m1": (["org:cnagency"], ["firm:us1"]),
        "measure:m2": (["country:US"], ["firm:cn7", "country:JP"]),
        "measure:m3": (["org:usagency", "country:CN"], ["country:US"]),
        "measure:m4": (["org:dual"], ["firm:cn1"]),
        "measure:m5": (["country:US"], ["country:JP"]),
        "measure:m6": (["country:JP"], ["firm:cn2"]),
        "measure:m7": (["org:dual"], ["org:dual"]),
    }
    for measure, (imposers, targets) in imposed.items():
        facts += [(i, "IMPOSES", measure, None) for i in imposers] + [(measure, "TARGETS", t, None) for t in targets]
    facts += [("measure:m2", "RETALIATES_AGAINST", "measure:m0", None)]
    return _batch(facts, {
        m: MeasureAttributes(measure_type="tariff", status="in_force", announced=dt.date(2024, 1, day))
        for day, m in enumerate(imposed, 1)
    })


def _sides_by_definition(store, a: str, b: str) -> dict[str, str]:
    """Every measure an actor of one side (the actor or what is BASED_IN it) imposed on an actor
    of the other, read relation by relation; "b" wins when a measure goes both ways."""
    def actors(x: str) -> set[str]:
        return {x} | {r.source for r in store.edges([x], Direction.IN, [RelationType.BASED_IN])}

    def imposed(by: set[str], on: set[str]) -> set[str]:
        measures = {r.target for r in store.edges(by, Direction.OUT, [RelationType.IMPOSES])}
        return {r.source for r in store.edges(measures, Direction.OUT, [RelationType.TARGETS]) if r.target in on}

    return {m: "a" for m in imposed(actors(a), actors(b))} | {m: "b" for m in imposed(actors(b), actors(a))}


def test_escalation_finds_every_measure_between_the_sides(store):
    store.upsert(_escalation_graph())
    pairs = [("country:CN", "country:US"), ("country:US", "country:CN"), ("org:dual", "country:CN"),
             ("country:JP", "country:CN"), ("firm:cn7", "country:US"), ("org:usagency", "org:dual")]
    for a, b in pairs:
        answer = esc.escalation(store, a, b)
        assert {v.entity.id: v.side for v in answer.data} == _sides_by_definition(store, a, b), (a, b)
    answer = esc.escalation(store, "country:CN", "country:US")
    assert [v.entity.id for v in answer.data] == ["measure:m0", "measure:m1", "measure:m2", "measure:m3", "measure:m4", "measure:m7"]
    assert [(s.source, s.target) for s in answer.links] == [("measure:m2", "measure:m0")]
    assert answer.chains == [["measure:m0", "measure:m2"]]
    window = esc.escalation(store, "country:CN", "country:US", since=dt.date(2024, 1, 2), until=dt.date(2024, 1, 4))
    assert [v.entity.id for v in window.data] == ["measure:m1", "measure:m2", "measure:m3"]
    assert window.links == [] and window.chains == []


def test_escalation_pages_measures_but_not_the_index_chains_or_summary(store):
    """Pages of ``data`` concatenate to the whole answer; ``links`` are those with an end on the
    page; chains, index and summary are the whole window's on every page."""
    store.upsert(_escalation_graph())
    whole = esc.escalation(store, "country:CN", "country:US")
    assert whole.count == 6 and (whole.offset, whole.limit) == (0, 100)
    pages = [esc.escalation(store, "country:CN", "country:US", offset=offset, limit=2) for offset in (0, 2, 4, 6)]
    assert [[v.entity.id for v in p.data] for p in pages] == [
        ["measure:m0", "measure:m1"], ["measure:m2", "measure:m3"], ["measure:m4", "measure:m7"], []
    ]
    assert [v for p in pages for v in p.data] == whole.data
    # m2 (page 2) answers m0 (page 1): both pages carry the link, with its evidence; the others none.
    assert [[(s.source, s.target) for s in p.links] for p in pages] == [[("measure:m2", "measure:m0")]] * 2 + [[], []]
    assert pages[0].links[0].evidence and pages[0].links == whole.links
    for p in pages:
        assert (p.chains, p.index, p.summary, p.count, p.limit) == (whole.chains, whole.index, whole.summary, 6, 2)
    assert whole.summary.latest == "measure:m7" and pages[0].summary.latest == "measure:m7"
    window = esc.escalation(store, "country:CN", "country:US", since=dt.date(2024, 1, 2), until=dt.date(2024, 1, 4), limit=1)
    assert [v.entity.id for v in window.data] == ["measure:m1"] and window.count == 3
    assert window.summary.measures == 3 and len(window.index) == 3


def test_escalation_page_bounds_are_checked(store):
    store.upsert(_escalation_graph())
    for kwargs, field in (({"limit": 0}, "limit"), ({"limit": MAX_RESULTS + 1}, "limit"), ({"offset": -1}, "offset")):
        with pytest.raises(InvalidDataError) as raised:
            esc.escalation(store, "country:CN", "country:US", **kwargs)
        assert raised.value.field == field, kwargs
