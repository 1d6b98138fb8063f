"""The embedded store's index snapshot (``<db>.index``) is a cache used only when it verifies.

Whatever the file holds - cut short, flipped bytes, a header that lies, garbage, nothing, or a
graph whose checksums hold but whose parts do not fit - opening the store answers exactly as a
rebuild from SQLite does, logs a warning naming the file, and leaves a snapshot that verifies, so
the next start loads it (issue 15, defect 1). The layout the corruptions aim at is the one
graph/embedded/snapshot_file.py documents.
"""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
import struct
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from graph.embedded import EmbeddedStore
from graph.embedded.snapshot_file import MAGIC, read_snapshot, write_snapshot
from graph.store import Direction
from tests.conftest import cli

_PREFIX = struct.Struct("<IQI")  # format, header length, header CRC-32 (after the magic)
_START = len(MAGIC) + _PREFIX.size


class SmallStore(EmbeddedStore):
    SNAPSHOT_MIN_RELATIONS = 10  # the seed graph's relations are enough to keep a snapshot


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, seed_batch) -> Path:
    """A closed store with a good snapshot: the seed graph (relations with attributes and
    origins) after removing its smaller document, so freed node and edge slots are in it too."""
    path = tmp_path_factory.mktemp("snapshot") / "g.db"
    with SmallStore(path) as store:
        store.upsert(seed_batch)
        smaller = min(store.documents(), key=lambda d: len(store.document_subjects(d.id)))
        store.remove_document(smaller.id)
        state = store._current.graph.to_state()
        assert state["free_edges"] and state["free_nodes"]
    assert store.snapshot_path.exists()
    return path


@pytest.fixture(scope="module")
def expected(base: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """What the store answers with no snapshot at all (its index rebuilt from every row)."""
    path = tmp_path_factory.mktemp("rebuilt") / "g.db"
    shutil.copyfile(base, path)
    with EmbeddedStore(path) as store:
        assert store._snapshot_version is None
        return _answers(store)


def _answers(store: EmbeddedStore) -> dict:
    ids = sorted(store.entity_ids())
    return {
        "version": store.data_version(),
        "counts": store.counts(),
        "edges": {i: sorted(r.key for r in store.edges([i], Direction.BOTH)) for i in ids},
        "relation_counts": {i: store.relation_counts(i) for i in ids},
        "neighbours": {i: sorted(store.neighbour_ids([i])) for i in ids},
        "two_steps": {i: sorted(store.neighbour_ids(store.neighbour_ids([i]))) for i in ids},
        "degrees": store.degrees(ids),
        "origins": {i: sorted(r.key for r in store.origin_edges(i)) for i in ids},
        "names": [store.lookup(q) for q in ("rare", "China", "稀土", "Boeing")],
        "relations": [r.model_dump() for r in store.iter_relations()],
    }


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Path:
    path = tmp_path / "g.db"
    shutil.copyfile(base, path)
    shutil.copyfile(f"{base}.index", f"{path}.index")
    return path


def _store_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tradegraph.store" and r.levelno == logging.WARNING]


def _opens_right_and_heals(path: Path, expected: dict, caplog: pytest.LogCaptureFixture) -> None:
    """Opening ``path`` answers as a rebuild and warns about its snapshot; afterwards the snapshot
    on disk verifies and the next open loads it without a warning (so without a rebuild)."""
    snapshot = Path(f"{path}.index")
    with caplog.at_level(logging.WARNING, logger="tradegraph.store"):
        with SmallStore(path) as store:
            assert _answers(store) == expected
        warnings = _store_warnings(caplog)
        assert len(warnings) == 1 and str(snapshot) in warnings[0], warnings
        caplog.clear()
        assert read_snapshot(snapshot) is not None
        with SmallStore(path) as store:
            assert store._snapshot_version == expected["version"]
            assert _answers(store) == expected
        assert _store_warnings(caplog) == []


# -- bytes that do not verify -----------------------------------------------------------------


def _header(data: bytes) -> dict:
    _, length, _ = _PREFIX.unpack_from(data, len(MAGIC))
    return orjson.loads(data[_START : _START + length])


def _with_header(data: bytes, head: bytes) -> bytes:
    """``data`` with its header replaced by ``head``, length and CRC-32 made to match."""
    fmt, length, _ = _PREFIX.unpack_from(data, len(MAGIC))
    return MAGIC + _PREFIX.pack(fmt, len(head), zlib.crc32(head)) + head + data[_START + length :]


def _blob_start(data: bytes, name: str) -> int:
    _, length, _ = _PREFIX.unpack_from(data, len(MAGIC))
    at = _START + length
    for blob, size, _ in _header(data)["blobs"]:
        if blob == name:
            return at
        at += size
    raise AssertionError(f"no blob {name}")


def _flip_dst(data: bytes) -> bytes:
    start = _blob_start(data, "dst") + 4
    flipped = bytes(b ^ 0x5A for b in data[start : start + 50])
    return data[:start] + flipped + data[start + 50 :]


def _without_blobs(data: bytes) -> bytes:
    header = _header(data)
    del header["blobs"]
    return _with_header(data, orjson.dumps(header))


def _huge_header_length(data: bytes) -> bytes:
    fmt, _, crc = _PREFIX.unpack_from(data, len(MAGIC))
    return MAGIC + _PREFIX.pack(fmt, 2**62, crc) + data[_START:]


def _garbage_header(data: bytes) -> bytes:
    _, length, _ = _PREFIX.unpack_from(data, len(MAGIC))
    return _with_header(data, random.Random(15).randbytes(length))


def _format_2(data: bytes) -> bytes:
    """The layout before checksums: magic, u64 header length, header with blob offsets."""
    header = _header(data)
    offsets, at = {}, 0
    for name, size, _ in header.pop("blobs"):
        offsets[name] = [at, size]
        at += size
    head = orjson.dumps({**header, "format": 2, "blobs": offsets})
    return MAGIC + struct.pack("<Q", len(head)) + head + data[len(data) - at :]


CORRUPTIONS: dict[str, Callable[[bytes], bytes]] = {
    "truncated by whole items": lambda data: data[:-40],
    "truncated mid item": lambda data: data[:-39],
    "50 bytes flipped in dst": _flip_dst,
    "header without blobs": _without_blobs,
    "header length 2**62": _huge_header_length,
    "garbage header with its checksum": _garbage_header,
    "empty file": lambda data: b"",
    "random bytes": lambda data: random.Random(15).randbytes(len(data)),
    "random bytes after the magic": lambda data: MAGIC + random.Random(15).randbytes(len(data) - len(MAGIC)),
    "format 2": _format_2,
}


@pytest.mark.parametrize("corrupt", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_snapshot_that_does_not_verify_is_rebuilt_and_replaced(corrupt, copy, expected, caplog):
    snapshot = Path(f"{copy}.index")
    snapshot.write_bytes(corrupt(snapshot.read_bytes()))
    _opens_right_and_heals(copy, expected, caplog)


#: Every byte of the prefix after the magic (format, header length, header CRC), then 24 places
#: spread over the header and the blobs, as shares of their length.
FLIPS = [*range(len(MAGIC), _START), *(k / 24 for k in range(24))]


@pytest.mark.parametrize("where", FLIPS)
def test_one_flipped_byte_anywhere_is_caught(where, copy, expected, caplog):
    snapshot = Path(f"{copy}.index")
    data = bytearray(snapshot.read_bytes())
    position = where if isinstance(where, int) else _START + int((len(data) - _START) * where)
    data[position] ^= 0x01
    snapshot.write_bytes(bytes(data))
    _opens_right_and_heals(copy, expected, caplog)


def test_a_fifo_in_place_of_the_snapshot_is_refused_without_waiting(copy, expected, caplog):
    snapshot = Path(f"{copy}.index")
    snapshot.unlink()
    os.mkfifo(snapshot)
    _opens_right_and_heals(copy, expected, caplog)


def test_a_good_snapshot_with_relation_attributes_loads_without_a_warning(copy, expected, caplog):
    with caplog.at_level(logging.WARNING, logger="tradegraph.store"):
        with SmallStore(copy) as store:
            assert store._snapshot_version == expected["version"]
            assert store._current.graph.attrs  # the seed's relations carry attributes
            assert _answers(store) == expected
    assert _store_warnings(caplog) == []


# -- checksums that hold over parts that do not fit -------------------------------------------


def _tamper_array(blobs: dict, name: str, code: str, change: Callable[[array], None]) -> None:
    values = array(code, bytes(blobs[name]))
    change(values)
    blobs[name] = values.tobytes()


def _src_past_the_nodes(header: dict, blobs: dict) -> None:
    n = len(header["graph"]["ids"])
    _tamper_array(blobs, "src", "i", lambda a: a.__setitem__(next(i for i, s in enumerate(a) if s >= 0), n + 5))


def _edge_counts_off(header: dict, blobs: dict) -> None:
    header["graph"]["edge_counts"][0] += 1


def _out_order_short(header: dict, blobs: dict) -> None:
    blobs["out_order"] = bytes(blobs["out_order"])[:-4]


def _out_count_below_zero(header: dict, blobs: dict) -> None:
    def move(counts: array) -> None:  # the same total: one node counted -1, another one edge more
        busy = max(range(len(counts)), key=counts.__getitem__)
        other = next(node for node, count in enumerate(counts) if node != busy and count == 0)
        counts[other] = -1
        counts[busy] += 1

    _tamper_array(blobs, "out_counts", "i", move)


def _edge_counted_under_a_freed_node(header: dict, blobs: dict) -> None:
    freed = header["graph"]["free_nodes"][0]

    def move(counts: array) -> None:
        counts[next(node for node, count in enumerate(counts) if count)] -= 1
        counts[freed] += 1

    _tamper_array(blobs, "in_counts", "i", move)


def _blob_missing(header: dict, blobs: dict) -> None:
    del blobs["vto"]


def _id_twice(header: dict, blobs: dict) -> None:
    ids = header["graph"]["ids"]
    live = [node for node, i in enumerate(ids) if i is not None]
    ids[live[-1]] = ids[live[0]]


def _day_past_the_calendar(header: dict, blobs: dict) -> None:
    _tamper_array(blobs, "vfrom", "i", lambda a: a.__setitem__(0, 10**8))


def _names_not_a_table(header: dict, blobs: dict) -> None:
    header["names"] = {"sorted": ["a"], "values": []}


def _another_store(header: dict, blobs: dict) -> None:
    header["store_id"] = "0" * 32


def _ahead_of_the_database(header: dict, blobs: dict) -> None:
    header["version"] += 1


MISFITS: dict[str, Callable[[dict, dict], None]] = {
    "a src past the nodes": _src_past_the_nodes,
    "edge_counts off by one": _edge_counts_off,
    "out_order one edge short": _out_order_short,
    "an out count below zero": _out_count_below_zero,
    "an edge counted under a freed node": _edge_counted_under_a_freed_node,
    "a blob missing": _blob_missing,
    "an id twice": _id_twice,
    "a day past the calendar": _day_past_the_calendar,
    "names not a table": _names_not_a_table,
    "another store's snapshot": _another_store,
    "a version ahead of the database": _ahead_of_the_database,
}


@pytest.mark.parametrize("tamper", MISFITS.values(), ids=MISFITS.keys())
def test_a_snapshot_whose_checksums_hold_but_whose_parts_do_not_fit_is_rebuilt(tamper, copy, expected, caplog):
    snapshot = Path(f"{copy}.index")
    header, blobs = read_snapshot(snapshot)
    tamper(header, blobs)
    write_snapshot(snapshot, header, blobs)  # fresh checksums over the misfit
    assert read_snapshot(snapshot) is not None
    _opens_right_and_heals(copy, expected, caplog)


# -- the command line -------------------------------------------------------------------------


def test_the_cli_answers_from_a_store_whose_snapshot_is_cut_mid_item(copy, tmp_path):
    """The defect's second symptom: a snapshot cut by a byte count that is no multiple of an item
    stopped every command with a traceback. Now the command answers; the warning goes to stderr;
    a store below the snapshot size (the CLI's default) drops the refused file."""
    snapshot = Path(f"{copy}.index")
    snapshot.write_bytes(snapshot.read_bytes()[:-99])
    env = {"TRADEGRAPH_DB_PATH": str(copy)}
    done = cli("stats", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "index snapshot" in done.stderr
    with EmbeddedStore(copy) as store:
        assert json.loads(done.stdout)["counts"]["relations"] == store.counts().relations
    assert not snapshot.exists()
