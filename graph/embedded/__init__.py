"""The embedded store: SQLite for the rows, a compact in-memory index for the walks, snapshot reads.

- ``store``: :class:`EmbeddedStore`, writes, the store's own reads, snapshots, catching up with
  other processes;
- ``reader``: what a snapshot answers with (one read transaction, one index generation);
- ``generations``: index generations, which versions readers hold, the read connections;
- ``compact_index`` and ``name_index``: the in-memory index (graph shape, names), forked per write;
- ``layered``: the dict that name tables fork without copying;
- ``schema``: the SQLite schema and migrations; ``rows``: row encoding and decoding;
- ``snapshot_file``: the index file beside the database, for fast starts.
"""

from graph.embedded.store import EmbeddedStore

__all__ = ["EmbeddedStore"]
