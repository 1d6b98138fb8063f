"""Answers to reads kept for as long as the graph stays at the version they were read at.

Dashboards ask the same questions again and again (the same entity, the same dependents page)
while the graph changes only when something is ingested. An answer is a pure function of the
request and the store's data version, so a 200 answer kept under (method, path, query) is exact
until the version moves; the first read at another version empties the cache. Entries are bounded
in bytes, least recently used first out; an answer larger than an eighth of the cache is not kept,
so one big subgraph cannot flush everything else.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

__all__ = ["Answer", "AnswerCache"]

Key = tuple[str, str, bytes]


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 64


class AnswerCache:
    """A byte-bounded LRU of answers, all of one data version."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._version: int | None = None
        self._entries: OrderedDict[Key, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the app may be driven from several threads (tests)
        self.hits = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, version: int, key: Key) -> Answer | None:
        with self._lock:
            self._at(version)
            answer = self._entries.get(key)
            if answer is None:
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, version: int, key: Key, answer: Answer) -> None:
        size = answer.size
        if size > self.max_bytes // 8:
            return
        with self._lock:
            if version != self._version:  # read at another version than the cache now holds
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._entries[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= dropped.size

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._bytes

    def _at(self, version: int) -> None:
        """Forget everything read at another version (versions are compared for equality only:
        a store replaced by another may count from lower again)."""
        if version != self._version:
            self._entries.clear()
            self._bytes = 0
            self._version = version
