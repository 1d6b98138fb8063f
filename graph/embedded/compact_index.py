"""The embedded store's in-memory query index: nodes and edges in flat arrays, not objects.

A networkx MultiDiGraph keeps a dict per node, a dict per adjacency and a dict per edge: about
540 bytes an edge before its attributes. This index keeps each edge as one slot in a handful of
typed ``array.array`` columns (source, target, type, origin, share, valid_from, valid_to: 29 bytes)
and each node's in- and out-edges as two small int arrays, so a million relations take tens of
megabytes and a reverse walk touches only integers until the caller asks for Relation objects.

Edge identity is the relation key ``source|TYPE|target|origin``; it is not stored. An edge is
found by scanning the shorter of its source's out-edges and its target's in-edges.

Generations. A graph that the store has published is never changed again: readers of a snapshot
read it from any thread, without a lock, for as long as they hold it. The writer changes a
:meth:`CompactGraph.fork` instead, which shares what it does not change:

- the per-node lists (ids, adjacency) are copied (pointers only), and an adjacency array is
  copied before its first change in the fork (``_adj``);
- the edge columns and ``attrs`` are shared and only grow: a new or changed edge takes a new slot,
  and a slot a fork stops using is *retired* with the fork's tag (its data version); it is marked
  dead and reused only once no generation older than that tag is held (``reclaim``);
- ``index`` (id -> node) is shared and only grows: a node is a generation's when its own ``ids``
  list holds that id at that slot (``_node``). A removed entity keeps its slot for itself, so an
  older generation still finds it where it was.

Reads change nothing but a cache of hubs' edges by type, which is keyed by the very array it was
built from, so every generation finds only what fits its own arrays.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Iterator
from datetime import date

from graph.model.enums import EntityType, RelationType

__all__ = ["CompactGraph", "RELATION_TYPES", "ENTITY_TYPES"]

RELATION_TYPES: list[RelationType] = list(RelationType)
ENTITY_TYPES: list[EntityType] = list(EntityType)
_RTYPE_CODE = {t.value: i for i, t in enumerate(RELATION_TYPES)}
_ETYPE_CODE = {t.value: i for i, t in enumerate(ENTITY_TYPES)}
_NAN = float("nan")
_MAX_ORDINAL = date.max.toordinal()


def _ordinal(value: date | str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.toordinal()


def _check(ok: bool, misfit: str) -> None:
    if not ok:
        raise ValueError(f"inconsistent index state: {misfit}")


def _array(code: str, raw: bytes | memoryview, name: str, length: int | None = None) -> array:
    """An array of ``code`` items from ``raw``, which must hold whole items (``length`` of them
    when given)."""
    result = array(code)
    size = result.itemsize
    _check(len(raw) % size == 0, f"{name} is {len(raw)} bytes, not a whole number of {size}-byte items")
    result.frombytes(raw)
    _check(length is None or len(result) == length, f"{name} holds {len(result)} items, not {length}")
    return result


def _check_range(values: array, low: int, high: int, name: str) -> None:
    """Every item of ``values`` in ``low`` up to (not including) ``high``: one pass in C each way."""
    ok = not values or (min(values) >= low and max(values) < high)
    _check(ok, f"{name} holds a value outside {low}..{high - 1}")


def _check_below(values: array, high: int, name: str) -> None:
    """Every item of an "i" array in 0 up to (not including) ``high``, in one pass: read as
    unsigned, a negative item is past any ``high``."""
    unsigned = memoryview(values).cast("B").cast("I")
    _check(not values or max(unsigned) < high, f"{name} holds a value outside 0..{high - 1}")


def _ints(values: object, name: str) -> list[int]:
    _check(isinstance(values, list) and all(type(v) is int for v in values), f"{name} is not a list of integers")
    return values  # type: ignore[return-value]


class CompactGraph:
    """Typed nodes and multi-edges with share, origin and validity, in arrays."""

    def __init__(self) -> None:
        self.ids: list[str | None] = []  # node -> id (None for a removed entity's slot)
        self.index: dict[str, int] = {}  # id -> node, shared by generations (see _node)
        self.node_type = array("b")
        self.out_edges: list[array | None] = []
        self.in_edges: list[array | None] = []
        # Edge columns; a dead edge has source -1.
        self.src = array("i")
        self.dst = array("i")
        self.etype = array("b")
        self.origin = array("i")
        self.share = array("d")
        self.vfrom = array("i")
        self.vto = array("i")
        self.attrs: dict[int, dict] = {}
        self._free_edges: list[int] = []
        self._retired: list[tuple[int, int]] = []  # (tag of the fork that stopped using it, edge)
        self.by_origin: dict[int, array] = {}
        self.node_counts = [0] * len(ENTITY_TYPES)
        self.edge_counts = [0] * len(RELATION_TYPES)
        # (node, out?) -> (the adjacency array, its edges by type code), for hubs only: built on
        # the first typed read, valid while that side of the node is that very array.
        self._typed: dict[tuple[int, bool], tuple[array, dict[int, array]]] = {}
        # What this fork has copied already and may change in place, its tag, and what to undo
        # when it is abandoned.
        self._own: set[tuple[int, bool]] = set()
        self._own_origin: set[int] = set()
        self._tag = 0
        self._base_len = 0
        self._reused: list[int] = []
        self._length: int | None = None  # slots of the shared columns this generation knows (seal)

    # -- generations --------------------------------------------------------------------------
    def fork(self, tag: int) -> CompactGraph:
        """The next generation, to change; this one stays as it is. ``tag`` is the data version
        the fork will be published at: what it retires waits for older generations to go."""
        g = CompactGraph.__new__(CompactGraph)
        g.ids = list(self.ids)
        g.index = self.index
        g.node_type = self.node_type[:]
        g.out_edges = list(self.out_edges)
        g.in_edges = list(self.in_edges)
        g.src, g.dst, g.etype, g.origin = self.src, self.dst, self.etype, self.origin
        g.share, g.vfrom, g.vto = self.share, self.vfrom, self.vto
        g.attrs = self.attrs
        g._free_edges = list(self._free_edges)
        g._retired = list(self._retired)
        g.by_origin = dict(self.by_origin)
        g.node_counts = list(self.node_counts)
        g.edge_counts = list(self.edge_counts)
        g._typed = self._typed
        g._own, g._own_origin = set(), set()
        g._tag = tag
        g._base_len = len(self.src)
        g._reused = []
        g._length = None
        return g

    def seal(self) -> None:
        """Published: remember how many slots of the shared columns are this generation's, so
        that what a later fork appends is left out of :meth:`to_state`."""
        self._length = len(self.src)

    def reclaim(self, oldest: int) -> None:
        """Mark dead, and free for reuse, the slots retired by generations no older than
        ``oldest``, the oldest generation anyone still holds: nobody can read them any more."""
        keep = []
        for tag, edge in self._retired:
            if tag <= oldest:
                self.src[edge] = -1
                self.dst[edge] = -1
                self.attrs.pop(edge, None)
                self._free_edges.append(edge)
            else:
                keep.append((tag, edge))
        self._retired = keep

    def abandon(self) -> None:
        """Undo what this fork wrote into the shared columns (its write failed): the slots it
        took from the free list are dead again, the ones it appended are cut off."""
        for edge in self._reused:
            self.src[edge] = -1
            self.dst[edge] = -1
            self.attrs.pop(edge, None)
        n = self._base_len
        for edge in range(n, len(self.src)):
            self.attrs.pop(edge, None)
        for column in (self.src, self.dst, self.etype, self.origin, self.share, self.vfrom, self.vto):
            del column[n:]

    def _adj(self, node: int, out: bool) -> array:
        """One side of a node's edges, copied on the first change in this fork (and its by-type
        groups forgotten: a fork that is read between changes must not find them stale)."""
        lists = self.out_edges if out else self.in_edges
        edges = lists[node]
        self._typed.pop((node, out), None)
        if (node, out) not in self._own:
            edges = array("i") if edges is None else edges[:]
            lists[node] = edges
            self._own.add((node, out))
        return edges  # type: ignore[return-value]

    def _origin_edges(self, origin: int) -> array:
        edges = self.by_origin.get(origin)
        if origin not in self._own_origin:
            edges = array("i") if edges is None else edges[:]
            self.by_origin[origin] = edges
            self._own_origin.add(origin)
        return edges  # type: ignore[return-value]

    def _retire(self, edge: int) -> None:
        self._retired.append((self._tag, edge))

    def _node(self, node_id: str) -> int | None:
        """The node of ``node_id`` in this generation, or None (``index`` also holds ids that
        later generations added, and slots of entities removed since)."""
        node = self.index.get(node_id)
        if node is None:
            return None
        ids = self.ids
        return node if node < len(ids) and ids[node] == node_id else None

    # -- nodes --------------------------------------------------------------------------------
    def __contains__(self, node_id: str) -> bool:
        return self._node(node_id) is not None

    @property
    def number_of_nodes(self) -> int:
        return sum(self.node_counts)

    @property
    def number_of_edges(self) -> int:
        return sum(self.edge_counts)

    def add_node(self, node_id: str, entity_type: str) -> int:
        """The node for ``node_id``, created with ``entity_type`` when new."""
        code = _ETYPE_CODE[entity_type]
        found = self.index.get(node_id)
        if found is not None and found < len(self.ids):
            held = self.ids[found]
            if held == node_id:
                return found
            if held is None:  # removed before: back in its own slot (older generations see it there)
                self.ids[found] = node_id
                self.node_type[found] = code
                self.node_counts[code] += 1
                return found
        node = len(self.ids)
        self.ids.append(node_id)
        self.node_type.append(code)
        self.out_edges.append(None)
        self.in_edges.append(None)
        self.index[node_id] = node
        self.node_counts[code] += 1
        return node

    def type_of(self, node_id: str) -> EntityType | None:
        node = self._node(node_id)
        return None if node is None else ENTITY_TYPES[self.node_type[node]]

    def remove_node(self, node_id: str) -> None:
        """Remove a node and, as networkx does, every edge that touches it. Its slot stays its
        own (``index`` keeps pointing there), so that an older generation still finds it."""
        node = self._node(node_id)
        if node is None:
            return
        for edge in {*(self.out_edges[node] or ()), *(self.in_edges[node] or ())}:  # a loop is on both sides
            self._remove_edge(edge)
        self.out_edges[node] = None
        self.in_edges[node] = None
        self._own.discard((node, True))
        self._own.discard((node, False))
        self.node_counts[self.node_type[node]] -= 1
        self.ids[node] = None

    def node_ids(self, entity_type: EntityType | str | None = None) -> Iterator[str]:
        code = None if entity_type is None else _ETYPE_CODE[str(entity_type)]
        types = self.node_type
        for node, node_id in enumerate(self.ids):
            if node_id is not None and (code is None or types[node] == code):
                yield node_id

    # -- edges --------------------------------------------------------------------------------
    def find_edge(self, source: int, rtype: int, target: int, origin: int) -> int:
        """The live edge with this identity, or -1."""
        out = self.out_edges[source]
        inc = self.in_edges[target]
        if out is None or inc is None:
            return -1
        if len(out) <= len(inc):
            dst, et, og = self.dst, self.etype, self.origin
            for edge in out:
                if dst[edge] == target and et[edge] == rtype and og[edge] == origin:
                    return edge
        else:
            src, et, og = self.src, self.etype, self.origin
            for edge in inc:
                if src[edge] == source and et[edge] == rtype and og[edge] == origin:
                    return edge
        return -1

    def key_parts(self, key: str) -> tuple[int, int, int, int] | None:
        """Node and type codes of a relation key, or None when an endpoint is unknown."""
        source, rtype, target, origin = key.split("|")
        s = self._node(source)
        t = self._node(target)
        code = _RTYPE_CODE.get(rtype)
        if s is None or t is None or code is None:
            return None
        o = -1
        if origin:
            found = self._node(origin)
            if found is None:
                return None
            o = found
        return s, code, t, o

    def find_key(self, key: str) -> int:
        parts = self.key_parts(key)
        return -1 if parts is None else self.find_edge(*parts)

    def known_ids(self, node_ids: Iterable[str]) -> set[str]:
        """The ids among ``node_ids`` that are nodes of this generation: ``_node`` for many, in
        one comprehension (the write planner asks this for every endpoint of a batch)."""
        get, ids = self.index.get, self.ids
        n = len(ids)
        return {i for i in node_ids if (node := get(i)) is not None and node < n and ids[node] == i}

    def find_keys(self, keys: Iterable[str]) -> dict[str, int]:
        """Relation key -> live edge, for the keys among ``keys`` that this generation holds
        (the write planner looks up every relation of a batch, most of them new): ``find_key``
        for many, with the node look-ups inlined and a key whose endpoint is unknown dropped
        before any adjacency is scanned."""
        get, ids, codes, find_edge = self.index.get, self.ids, _RTYPE_CODE, self.find_edge
        n = len(ids)
        found: dict[str, int] = {}
        for key in keys:
            parts = key.split("|")
            if len(parts) != 4:
                continue
            source, rtype, target, origin = parts
            s, t, code = get(source), get(target), codes.get(rtype)
            if s is None or t is None or code is None or s >= n or t >= n or ids[s] != source or ids[t] != target:
                continue
            o = -1
            if origin:
                o = get(origin, n)
                if o >= n or ids[o] != origin:
                    continue
            edge = find_edge(s, code, t, o)
            if edge >= 0:
                found[key] = edge
        return found

    def set_edge(
        self,
        source_id: str,
        rtype: str,
        target_id: str,
        origin_id: str | None,
        share: float | None,
        valid_from: date | str | None,
        valid_to: date | str | None,
        attributes: dict | None,
        new: bool = False,
    ) -> int:
        """Add the edge, or give the edge with the same identity these attributes. ``new``: the
        caller knows there is no such edge yet, so it is not looked for. A changed edge moves to a
        new slot (older generations keep reading the old one); an unchanged one stays."""
        s = self.index[source_id]
        t = self.index[target_id]
        code = _RTYPE_CODE[rtype]
        o = self.index[origin_id] if origin_id else -1
        old = -1 if new else self.find_edge(s, code, t, o)
        share_value = _NAN if share is None else float(share)
        vf, vt = _ordinal(valid_from), _ordinal(valid_to)
        if old >= 0:
            held = self.share[old]
            if (
                (held == share_value or (math.isnan(held) and math.isnan(share_value)))
                and self.vfrom[old] == vf
                and self.vto[old] == vt
                and (self.attrs.get(old) or None) == (attributes or None)
            ):
                return old
        edge = self._new_slot(s, t, code, o, share_value, vf, vt)
        if attributes:
            self.attrs[edge] = attributes
        if old >= 0:
            for edges in (self._adj(s, True), self._adj(t, False), *((self._origin_edges(o),) if o >= 0 else ())):
                edges[edges.index(old)] = edge
            self._retire(old)
            return edge
        self._adj(s, True).append(edge)
        self._adj(t, False).append(edge)
        if o >= 0:
            self._origin_edges(o).append(edge)
        self.edge_counts[code] += 1
        return edge

    def add_new_edges(self, edges: Iterable[tuple]) -> None:
        """``set_edge(..., new=True)`` for many edges: each tuple is (source id, type, target
        id, origin id or None, share, valid_from, valid_to, attributes), none of them stored yet.
        The same slots and adjacency order as one call each, without a call each: a bulk upsert
        adds tens of thousands of edges to one generation."""
        index, codes, ordinal, free = self.index, _RTYPE_CODE, _ordinal, self._free_edges
        outs: dict[int, array] = {}
        ins: dict[int, array] = {}
        origins: dict[int, array] = {}
        counts = self.edge_counts
        # Slots past the end are filled column by column afterwards, in one extend each.
        columns: tuple[list, ...] = ([], [], [], [], [], [], [])
        src, dst, etype, origin, share_col, vfrom, vto = columns
        end = len(self.src)
        appended_attrs: dict[int, dict] = {}  # set with the columns, so that a failure leaves none behind
        for source_id, rtype, target_id, origin_id, share, valid_from, valid_to, attributes in edges:
            s, t, code = index[source_id], index[target_id], codes[rtype]
            o = index[origin_id] if origin_id else -1
            value, vf, vt = _NAN if share is None else float(share), ordinal(valid_from), ordinal(valid_to)
            if free:
                edge = self._new_slot(s, t, code, o, value, vf, vt)
            else:
                edge = end + len(src)
                src.append(s)
                dst.append(t)
                etype.append(code)
                origin.append(o)
                share_col.append(value)
                vfrom.append(vf)
                vto.append(vt)
            if attributes:
                if edge < end:
                    self.attrs[edge] = attributes  # a reused slot: abandon() clears it
                else:
                    appended_attrs[edge] = attributes
            out = outs.get(s)
            if out is None:
                out = outs[s] = self._adj(s, True)
            out.append(edge)
            inc = ins.get(t)
            if inc is None:
                inc = ins[t] = self._adj(t, False)
            inc.append(edge)
            if o >= 0:
                by = origins.get(o)
                if by is None:
                    by = origins[o] = self._origin_edges(o)
                by.append(edge)
            counts[code] += 1
        for column, values in zip((self.src, self.dst, self.etype, self.origin, self.share, self.vfrom, self.vto), columns, strict=True):
            column.extend(values)
        self.attrs.update(appended_attrs)

    def _new_slot(self, s: int, t: int, code: int, o: int, share: float, vf: int, vt: int) -> int:
        """A slot nobody reads, filled: a reclaimed one, else a new one at the end."""
        if self._free_edges:
            edge = self._free_edges.pop()
            self._reused.append(edge)
            self.src[edge], self.dst[edge], self.etype[edge], self.origin[edge] = s, t, code, o
            self.share[edge], self.vfrom[edge], self.vto[edge] = share, vf, vt
            return edge
        edge = len(self.src)
        self.src.append(s)
        self.dst.append(t)
        self.etype.append(code)
        self.origin.append(o)
        self.share.append(share)
        self.vfrom.append(vf)
        self.vto.append(vt)
        return edge

    def bulk_load(self, rows: list[tuple[str, str, str, dict | None]]) -> int:
        """Add many edges known to be new and distinct (the rows of the relations table, whose
        primary key is the relation key) in one pass: columns built whole, adjacency by one sort
        instead of two appends per edge. Rows whose endpoints are unknown are skipped; returns the
        number of edges added. Only for an index that has no edges yet."""
        if len(self.src):
            raise ValueError("bulk_load needs an index without edges")
        index = self.index
        kept = [r for r in rows if r[0] in index and r[2] in index]
        n = len(kept)
        self.src = array("i", [index[r[0]] for r in kept])
        self.dst = array("i", [index[r[2]] for r in kept])
        codes = _RTYPE_CODE
        self.etype = array("b", [codes[r[1]] for r in kept])
        self.origin = array("i", [-1]) * n
        self.share = array("d", [_NAN]) * n
        self.vfrom = array("i", [0]) * n
        self.vto = array("i", [0]) * n
        for edge, row in enumerate(kept):
            body = row[3]
            if not body:
                continue
            origin = body.get("origin")
            if origin:
                o = index.get(origin)
                if o is not None:
                    self.origin[edge] = o
                    by = self.by_origin.get(o)
                    if by is None:
                        self.by_origin[o] = array("i", (edge,))
                    else:
                        by.append(edge)
            share = body.get("share")
            if share is not None:
                self.share[edge] = float(share)
            if body.get("valid_from"):
                self.vfrom[edge] = _ordinal(body["valid_from"])
            if body.get("valid_to"):
                self.vto[edge] = _ordinal(body["valid_to"])
            if body.get("attributes"):
                self.attrs[edge] = body["attributes"]
        for column, lists in ((self.src, self.out_edges), (self.dst, self.in_edges)):
            order = array("i", sorted(range(n), key=column.__getitem__))
            counts = [0] * len(self.ids)
            for node in column:
                counts[node] += 1
            offset = 0
            for node, count in enumerate(counts):
                if count:
                    lists[node] = order[offset : offset + count]
                    offset += count
        edge_counts = self.edge_counts
        for code in self.etype:
            edge_counts[code] += 1
        return n

    # -- snapshots ----------------------------------------------------------------------------
    def to_state(self) -> dict:
        """Everything in plain types and bytes, for a snapshot file (adjacency as one concatenated
        array per direction plus per-node counts; attribute keys as text, as JSON needs)."""
        n = len(self.src) if self._length is None else self._length
        retired = sorted(edge for _, edge in self._retired)  # dead for this generation
        dead = set(retired).union(self._free_edges)
        attrs = dict(self.attrs)  # one step: a fork may add to the shared dict meanwhile
        state: dict = {
            "ids": self.ids,
            "node_type": self.node_type.tobytes(),
            "free_nodes": [node for node, node_id in enumerate(self.ids) if node_id is None],
            "free_edges": self._free_edges + retired,
            "attrs": {str(edge): value for edge, value in attrs.items() if edge < n and edge not in dead},
            "node_counts": self.node_counts,
            "edge_counts": self.edge_counts,
            "by_origin": {o: a.tobytes() for o, a in self.by_origin.items()},
        }
        for name in ("etype", "share", "vfrom", "vto"):
            state[name] = getattr(self, name)[:n].tobytes()
        for name in ("src", "dst", "origin"):  # free slots too: a fork may be filling one meanwhile
            column = getattr(self, name)[:n]
            for edge in state["free_edges"]:
                column[edge] = -1
            state[name] = column.tobytes()
        for name, lists in (("out", self.out_edges), ("in", self.in_edges)):
            counts = array("i", (0 if a is None else len(a) for a in lists))
            joined = array("i")
            for a in lists:
                if a is not None:
                    joined.extend(a)
            state[name + "_counts"] = counts.tobytes()
            state[name + "_order"] = joined.tobytes()
        return state

    @classmethod
    def from_state(cls, state: dict) -> CompactGraph:
        """The graph ``to_state`` described (arrays from any bytes-like objects). Raises ValueError
        naming the first part that does not fit the others (an array's length, a count, a node or
        edge number out of range): checksums prove that the bytes are the ones written, not that
        the writer wrote a consistent graph, and a misfit would otherwise show up later as wrong
        edges or an IndexError in the middle of a query. The checks cost a few passes in C over
        each edge array; Python loops run only over nodes, free slots, attributes and edges with an
        origin. (An edge listed under a node other than its own end is not looked for: that takes
        a Python step per edge.)"""
        graph = cls()
        ids = state["ids"]
        _check(isinstance(ids, list) and all(i is None or isinstance(i, str) for i in ids), "ids are not texts and nulls")
        n = len(ids)
        graph.ids = ids
        graph.index = {node_id: node for node, node_id in enumerate(ids) if node_id is not None}
        _check(len(graph.index) == n - ids.count(None), "an id names two nodes")
        graph.node_type = _array("b", state["node_type"], "node_type", n)
        _check_range(graph.node_type, 0, len(ENTITY_TYPES), "node_type")
        free_nodes = _ints(state["free_nodes"], "free_nodes")
        freed = [node for node, i in enumerate(ids) if i is None]
        _check(sorted(free_nodes) == freed, "free_nodes are not the freed nodes")
        graph.node_counts = _ints(state["node_counts"], "node_counts")
        counted = [0] * len(ENTITY_TYPES)
        for node in graph.index.values():
            counted[graph.node_type[node]] += 1
        _check(graph.node_counts == counted, "node_counts do not count the nodes")
        graph._load_edges(state, n, freed)
        return graph

    def _load_edges(self, state: dict, n: int, freed: list[int]) -> None:
        """The edge columns, adjacency, origins and attributes of ``from_state``, each checked
        against the ``n`` nodes and against each other."""
        self.src = _array("i", state["src"], "src")
        edges = len(self.src)
        for name, code in (("dst", "i"), ("etype", "b"), ("origin", "i"), ("share", "d"), ("vfrom", "i"), ("vto", "i")):
            setattr(self, name, _array(code, state[name], name, edges))
        for column, name in ((self.src, "src"), (self.dst, "dst"), (self.origin, "origin")):
            _check_range(column, -1, n, name)
        for column, name in ((self.vfrom, "vfrom"), (self.vto, "vto")):
            _check_below(column, _MAX_ORDINAL + 1, name)  # 0 (no date) or a day date.fromordinal takes
        free = self._free_edges = _ints(state["free_edges"], "free_edges")
        dead = self.src.count(-1)
        _check(
            len(set(free)) == len(free) == dead == self.dst.count(-1)
            and all(0 <= e < edges and self.src[e] == -1 for e in free),
            "free_edges are not the dead edges",
        )
        live = edges - dead
        # A snapshot written before a relation type was appended counts fewer types: the codes it
        # holds mean the same, the new types have no edges yet.
        counts = _ints(state["edge_counts"], "edge_counts")
        self.edge_counts = counts + [0] * (len(RELATION_TYPES) - len(counts))
        codes = self.etype.tobytes()  # bytes.count is a scan in C, array.count a comparison per item
        counted = [codes.count(code.to_bytes(1, "little")) for code in range(len(RELATION_TYPES))]
        _check(sum(counted) == edges, f"etype holds a value outside 0..{len(RELATION_TYPES) - 1}")
        for e in free:
            counted[self.etype[e]] -= 1
        _check(self.edge_counts == counted, "edge_counts do not count the live edges")
        for name, attr in (("out", "out_edges"), ("in", "in_edges")):
            counts = _array("i", state[name + "_counts"], name + "_counts", n)
            order = _array("i", state[name + "_order"], name + "_order", live)
            _check_below(counts, live + 1, name + "_counts")
            _check_below(order, edges, name + "_order")
            _check(
                sum(counts) == live and all(counts[node] == 0 for node in freed),
                f"{name}_counts do not count the live edges",
            )
            lists: list[array | None] = [None] * n
            offset = 0
            for node, count in enumerate(counts):
                if count:
                    lists[node] = order[offset : offset + count]
                    offset += count
            setattr(self, attr, lists)
        self._load_origins(state["by_origin"], n, free)
        attrs = state["attrs"]
        _check(isinstance(attrs, dict), "attrs is not an object")
        self.attrs = {int(edge): value for edge, value in attrs.items()}
        _check(
            all(0 <= e < edges and self.src[e] >= 0 and isinstance(v, dict) for e, v in self.attrs.items()),
            "attrs are not objects of live edges",
        )

    def _load_origins(self, by_origin: dict, n: int, free: list[int]) -> None:
        """``by_origin``: origin node -> its live edges, as ``set_edge`` keeps it."""
        self.by_origin = {}
        listed = 0
        for o, raw in by_origin.items():
            _check(type(o) is int and 0 <= o < n, f"by_origin names node {o!r}")
            edges = self.by_origin[o] = _array("i", raw, f"origin:{o}")
            _check(
                all(0 <= e < len(self.src) and self.src[e] >= 0 and self.origin[e] == o for e in edges),
                f"origin:{o} lists edges of another origin or none",
            )
            listed += len(edges)
        with_origin = len(self.origin) - self.origin.count(-1) - sum(1 for e in free if self.origin[e] >= 0)
        _check(listed == with_origin, "by_origin does not list every edge with an origin")

    def remove_key(self, key: str) -> None:
        edge = self.find_key(key)
        if edge >= 0:
            self._remove_edge(edge)

    def _remove_edge(self, edge: int) -> None:
        s, t, o = self.src[edge], self.dst[edge], self.origin[edge]
        self._adj(s, True).remove(edge)
        self._adj(t, False).remove(edge)
        if o >= 0:
            self._origin_edges(o).remove(edge)
        self.edge_counts[self.etype[edge]] -= 1
        self._retire(edge)

    # -- reads --------------------------------------------------------------------------------
    def key(self, edge: int) -> str:
        ids = self.ids
        o = self.origin[edge]
        return f"{ids[self.src[edge]]}|{RELATION_TYPES[self.etype[edge]].value}|{ids[self.dst[edge]]}|{ids[o] if o >= 0 else ''}"

    #: A node with more edges than this on one side keeps them grouped by type once a typed read
    #: asks for them: walking DEPENDS_ON into a country would otherwise step over its tens of
    #: thousands of BASED_IN and TARGETS edges to find a handful.
    TYPED_MIN_EDGES = 64

    def _of_types(self, node: int, out: bool, types: set[int] | None) -> list[array]:
        """The edges on one side of ``node``, only those of ``types`` (all when None)."""
        edges = self.out_edges[node] if out else self.in_edges[node]
        if edges is None:
            return []
        if types is None or len(edges) <= self.TYPED_MIN_EDGES:
            return [edges]
        grouped = self._grouped(node, out)
        return [grouped[code] for code in types if code in grouped]

    def _grouped(self, node: int, out: bool) -> dict[int, array]:
        """One side of a node's edges by type code, types in order of first appearance (kept)."""
        edges = self.out_edges[node] if out else self.in_edges[node]
        cached = self._typed.get((node, out))
        if cached is not None and cached[0] is edges:
            return cached[1]
        grouped: dict[int, array] = {}
        etype = self.etype
        for edge in edges:  # type: ignore[union-attr]
            code = etype[edge]
            kept = grouped.get(code)
            if kept is None:
                grouped[code] = array("i", (edge,))
            else:
                kept.append(edge)
        self._typed[(node, out)] = (edges, grouped)  # type: ignore[assignment]
        return grouped

    def edges_of(
        self, nodes: Iterable[str], out: bool, inc: bool, types: set[int] | None, others: Iterable[str] | None = None
    ) -> dict[str, int]:
        """Relation key -> edge for the edges leaving (``out``) and/or entering (``inc``) ``nodes``;
        with ``others``, only those whose other end is one of them."""
        found: dict[str, int] = {}
        ids, etype, origin, node_of = self.ids, self.etype, self.origin, self._node
        src, dst = self.src, self.dst
        names = [t.value for t in RELATION_TYPES]
        ends = None if others is None else {n for n in map(node_of, others) if n is not None}
        for node_id in nodes:
            node = node_of(node_id)
            if node is None:
                continue
            lists = []
            if out:
                lists += [(edges, dst) for edges in self._of_types(node, True, types)]
            if inc:
                lists += [(edges, src) for edges in self._of_types(node, False, types)]
            for edges, other_end in lists:
                for edge in edges:
                    code = etype[edge]
                    if types is not None and code not in types:
                        continue
                    if ends is not None and other_end[edge] not in ends:
                        continue
                    o = origin[edge]
                    found[f"{ids[src[edge]]}|{names[code]}|{ids[dst[edge]]}|{ids[o] if o >= 0 else ''}"] = edge
        return found

    def neighbours_of(
        self, nodes: Iterable[str], out: bool = True, inc: bool = True, types: set[int] | None = None
    ) -> set[str]:
        """Ids of the nodes one edge from any of ``nodes``: edges leaving them (``out``) and/or
        entering them (``inc``), only of ``types`` (all when None). A hub's edges of one type are
        read from its by-type groups, so a country's BASED_IN is not stepped over for its TARGETS."""
        node_of, src, dst, etype = self._node, self.src, self.dst, self.etype
        found: set[int] = set()
        for node_id in nodes:
            node = node_of(node_id)
            if node is None:
                continue
            for wanted, side, other_end in ((out, True, dst), (inc, False, src)):
                edges = (self.out_edges[node] if side else self.in_edges[node]) if wanted else None
                if edges is None:
                    continue
                if types is None:
                    found.update(other_end[edge] for edge in edges)
                elif len(edges) > self.TYPED_MIN_EDGES:  # a hub: its edges of each type, grouped once
                    grouped = self._grouped(node, side)
                    for code in types:
                        found.update(other_end[edge] for edge in grouped.get(code, ()))
                else:
                    found.update(other_end[edge] for edge in edges if etype[edge] in types)
        ids = self.ids
        return {ids[node] for node in found}

    def degree(self, node_id: str) -> int:
        """How many edges leave or enter a node (an edge from a node to itself counts twice)."""
        node = self._node(node_id)
        if node is None:
            return 0
        return len(self.out_edges[node] or ()) + len(self.in_edges[node] or ())

    def link(self, edge: int, key: str) -> tuple[str, str, RelationType, str, float | None, str | None]:
        """(key, source, type, target, share, origin) of an edge whose key is known."""
        ids = self.ids
        share = self.share[edge]
        o = self.origin[edge]
        return (
            key,
            ids[self.src[edge]],
            RELATION_TYPES[self.etype[edge]],
            ids[self.dst[edge]],
            None if math.isnan(share) else share,
            ids[o] if o >= 0 else None,
        )

    def type_counts(self, node_id: str) -> dict[str, dict[str, int]]:
        """How many relations of each type leave (``out``) and enter (``in``) a node."""
        counts: dict[str, dict[str, int]] = {"out": {}, "in": {}}
        node = self._node(node_id)
        if node is None:
            return counts
        etype = self.etype
        for side, out in (("out", True), ("in", False)):
            edges = self.out_edges[node] if out else self.in_edges[node]
            if edges is None:
                continue
            if len(edges) > self.TYPED_MIN_EDGES:  # a hub: its edges by type, grouped once
                for code, grouped in self._grouped(node, out).items():
                    counts[side][RELATION_TYPES[code].value] = len(grouped)
                continue
            for edge in edges:
                name = RELATION_TYPES[etype[edge]].value
                counts[side][name] = counts[side].get(name, 0) + 1
        return counts

    def origin_of(self, country_id: str) -> dict[str, int]:
        node = self._node(country_id)
        if node is None or node not in self.by_origin:
            return {}
        return {self.key(edge): edge for edge in self.by_origin[node]}

    def all_keys(self) -> list[str]:
        """Every edge's key, from this generation's adjacency (the columns also hold slots that
        other generations use)."""
        key = self.key
        return [key(edge) for edges in self.out_edges if edges is not None for edge in edges]

    def edge_fields(self, edge: int) -> tuple:
        """(source, type, target, share, origin, valid_from, valid_to, attributes) of an edge."""
        ids = self.ids
        share = self.share[edge]
        o = self.origin[edge]
        vf = self.vfrom[edge]
        vt = self.vto[edge]
        return (
            ids[self.src[edge]],
            RELATION_TYPES[self.etype[edge]],
            ids[self.dst[edge]],
            None if math.isnan(share) else share,
            ids[o] if o >= 0 else None,
            date.fromordinal(vf) if vf else None,
            date.fromordinal(vt) if vt else None,
            self.attrs.get(edge),
        )

    def memory_hint(self) -> dict[str, int]:
        """Bytes held by the arrays (not the id strings or the dict): for the benchmarks."""
        columns = sum(a.buffer_info()[1] * a.itemsize for a in (self.src, self.dst, self.etype, self.origin, self.share, self.vfrom, self.vto))
        adjacency = sum(a.buffer_info()[1] * 4 + 64 for lst in (self.out_edges, self.in_edges) for a in lst if a is not None)
        return {"edge_columns": columns, "adjacency": adjacency}
