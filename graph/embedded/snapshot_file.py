"""The embedded store's index snapshot file (``<db>.index``): a cache, used only when it verifies.

The snapshot saves a large store's start from rebuilding its index from every SQLite row. It is a
cache of what SQLite holds, so a snapshot that is torn, truncated, flipped or simply foreign is
never an error and never trusted: ``read_snapshot`` and ``unpack_index`` raise ``SnapshotRefused``
naming the first check that failed, and the store logs it, rebuilds from SQLite and writes a new
one. Nothing in a file can make a reader allocate more than the file's size, index out of an array
or answer from arrays that do not fit together.

Layout (format 3; integers little-endian)::

    b"tradegraph-index\\n"   magic
    u32                      format (3)
    u64                      header length H, at most what the file holds after this prefix
    u32                      CRC-32 of the header
    H bytes                  header, a JSON object; its "blobs" lists [name, size, CRC-32] in file order
    the blobs, back to back; the file ends exactly after the last one

The header holds what the store binds the snapshot to (store id, data version, name rule), the
byte layout of the machine that wrote the arrays, the graph's small parts and the name table; the
blobs are the graph's arrays. CRC-32 finds every burst error up to 32 bits and misses random
damage once in four billion files; it guards against accidents (a torn write, a truncation, a bad
disk), not against someone who can write beside the database anyway.
"""

from __future__ import annotations

import os
import stat
import struct
import sys
import zlib
from array import array
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from graph.embedded.compact_index import CompactGraph
from graph.embedded.name_index import NameIndex

__all__ = ["FORMAT", "SnapshotRefused", "read_snapshot", "write_snapshot", "pack_index", "unpack_index"]

MAGIC = b"tradegraph-index\n"
#: 2: one unchecked header and blobs. 3: checksums and sizes for the header and every blob.
FORMAT = 3
_PREFIX = struct.Struct("<IQI")  # format, header length, header CRC-32
_START = len(MAGIC) + _PREFIX.size
#: The graph's arrays, stored as blobs (``origin:<node>`` blobs follow, one per origin country).
_GRAPH_BLOBS = ("node_type", "src", "dst", "etype", "origin", "share", "vfrom", "vto",
                "out_counts", "out_order", "in_counts", "in_order")
#: Arrays are written in the machine's byte order and item sizes; another machine rebuilds.
_LAYOUT = {"byteorder": sys.byteorder, **{code: array(code).itemsize for code in "bid"}}


class SnapshotRefused(ValueError):
    """A snapshot file that must not be used; the message says why. Never leaves the store, which
    logs it and rebuilds its index from SQLite."""


def write_snapshot(path: Path, header: dict[str, Any], blobs: dict[str, bytes]) -> None:
    """Write ``header`` and ``blobs`` to ``path`` under a temporary name, then rename it into
    place, so a reader sees the old file or the new one. Not fsynced: a file torn by a power cut
    fails its checksums at the next start and is rebuilt."""
    listed = [[name, len(blob), zlib.crc32(blob)] for name, blob in blobs.items()]
    head = orjson.dumps({**header, "layout": _LAYOUT, "blobs": listed})
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            f.write(MAGIC)
            f.write(_PREFIX.pack(FORMAT, len(head), zlib.crc32(head)))
            f.write(head)
            for blob in blobs.values():
                f.write(blob)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_snapshot(path: Path) -> tuple[dict[str, Any], dict[str, memoryview]] | None:
    """The header and blobs of the snapshot at ``path``, every checksum and size verified; None
    when there is no file. Raises SnapshotRefused for anything else that is not a whole snapshot
    of this format (also a directory or a FIFO in its place, which is opened without blocking)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as e:
        raise SnapshotRefused(f"it cannot be opened: {e.strerror or e}") from e
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SnapshotRefused("it is not a regular file")
        try:
            return _read_verified(f, info.st_size)
        except OSError as e:
            raise SnapshotRefused(f"it cannot be read: {e.strerror or e}") from e


def _read_verified(f: BinaryIO, size: int) -> tuple[dict[str, Any], dict[str, memoryview]]:
    if size < _START or f.read(len(MAGIC)) != MAGIC:
        raise SnapshotRefused("it does not start as a snapshot does")
    fmt, length, head_crc = _PREFIX.unpack(f.read(_PREFIX.size))
    if fmt != FORMAT:
        raise SnapshotRefused(f"it is not in snapshot format {FORMAT} (another tradegraph wrote it)")
    if length > size - _START:
        raise SnapshotRefused(f"its header claims {length} bytes; {size - _START} follow the start")
    head = f.read(length)
    if len(head) != length or zlib.crc32(head) != head_crc:
        raise SnapshotRefused("its header fails its checksum")
    try:
        header = orjson.loads(head)
    except orjson.JSONDecodeError as e:
        raise SnapshotRefused(f"its header is not JSON: {e}") from e
    listed = header.pop("blobs", None) if isinstance(header, dict) else None
    if not isinstance(listed, list) or not all(_is_blob_entry(entry) for entry in listed):
        raise SnapshotRefused("its header has no valid list of blobs")
    if header.get("layout") != _LAYOUT:
        raise SnapshotRefused(f"its arrays were written as {header.get('layout')}, not as {_LAYOUT}")
    rest = size - _START - length
    listed_size = sum(entry[1] for entry in listed)
    if listed_size != rest:
        raise SnapshotRefused(f"its blobs add up to {listed_size} bytes; {rest} follow the header")
    data = memoryview(f.read(rest))
    if len(data) != rest:
        raise SnapshotRefused("it got shorter while it was read")
    blobs: dict[str, memoryview] = {}
    at = 0
    for name, blob_size, crc in listed:
        blob = data[at : at + blob_size]
        at += blob_size
        if zlib.crc32(blob) != crc:
            raise SnapshotRefused(f"its blob {name!r} fails its checksum")
        if name in blobs:
            raise SnapshotRefused(f"its blob {name!r} is listed twice")
        blobs[name] = blob
    return header, blobs


def _is_blob_entry(entry: Any) -> bool:
    """[name, size, CRC-32]: a string and two non-negative integers (not booleans)."""
    return (
        isinstance(entry, list)
        and len(entry) == 3
        and isinstance(entry[0], str)
        and all(type(n) is int and n >= 0 for n in entry[1:])
    )


def pack_index(graph: CompactGraph, names: NameIndex) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The index as a header part (the graph's small parts and the name table, plain JSON types)
    and blobs (the graph's arrays)."""
    state = graph.to_state()
    blobs = {name: state.pop(name) for name in _GRAPH_BLOBS}
    origins = state.pop("by_origin")
    for o, blob in origins.items():
        blobs[f"origin:{o}"] = blob
    state["origins"] = list(origins)
    return {"graph": state, "names": names.to_state()}, blobs


def unpack_index(header: dict[str, Any], blobs: dict[str, memoryview]) -> tuple[CompactGraph, NameIndex]:
    """The index ``pack_index`` described. A header or blobs that verified but do not fit together
    (a missing part, a wrong type, arrays that disagree) raise SnapshotRefused, never anything else."""
    try:
        state = dict(header["graph"])
        for name in _GRAPH_BLOBS:
            state[name] = blobs[name]
        state["by_origin"] = {o: blobs[f"origin:{o}"] for o in state.pop("origins")}
        graph = CompactGraph.from_state(state)
        ids, index = graph.ids, graph.index
        names = NameIndex.from_state(header["names"], canonical=lambda i: ids[index[i]] if i in index else i)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as e:
        raise SnapshotRefused(f"its contents do not fit together: {type(e).__name__}: {e}") from e
    return graph, names
