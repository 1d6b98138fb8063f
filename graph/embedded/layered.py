"""A dict that a writer can fork without copying it: a frozen base shared by every fork, plus a
small delta of the changes made since the base was taken.

The in-memory index is published in generations (graph.embedded.generations): a snapshot reads
one generation for as long as it is held while the writer builds the next one. The index's big
dicts (a name table with an entry per name of every entity) cannot be copied at every commit, and
must not change under a reader: each generation holds a ``Layered`` whose base it shares with the
others and whose delta is its own. The delta is folded into a new base when it grows past an
eighth of the base, so a fork costs a copy of a delta, and folding costs O(1) per change over time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["Layered"]

_ABSENT = object()  # not in the delta: look in the base
_GONE = object()  # removed since the base was taken

#: A delta this long is folded into a new base at the next fork, whatever the base's size.
FOLD_AT = 1024


class Layered:
    """A mapping read like a dict. Only the generation being built changes it (``fork`` first)."""

    __slots__ = ("_base", "_delta", "_len")

    def __init__(self, base: dict | None = None) -> None:
        self._base: dict = {} if base is None else base
        self._delta: dict = {}
        self._len = len(self._base)

    def fork(self) -> Layered:
        """A copy to change: it shares this one's base, and has a copy of its delta (or, when the
        delta has grown, a new base with the delta folded in)."""
        new = Layered.__new__(Layered)
        if len(self._delta) > max(FOLD_AT, len(self._base) >> 3):
            new._base = self.plain()
            new._delta = {}
        else:
            new._base = self._base
            new._delta = dict(self._delta)
        new._len = self._len
        return new

    def plain(self) -> dict:
        """The contents as one dict (the base itself when nothing changed since it was taken)."""
        if not self._delta:
            return self._base
        merged = dict(self._base)
        for key, value in self._delta.items():
            if value is _GONE:
                merged.pop(key, None)
            else:
                merged[key] = value
        return merged

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._delta.get(key, _ABSENT)
        if value is _ABSENT:
            return self._base.get(key, default)
        return default if value is _GONE else value

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __contains__(self, key: Any) -> bool:
        return self.get(key, _ABSENT) is not _ABSENT

    def __setitem__(self, key: Any, value: Any) -> None:
        delta = self._delta
        held = delta.get(key, _ABSENT)
        if held is _GONE or (held is _ABSENT and key not in self._base):
            self._len += 1
        delta[key] = value

    def __delitem__(self, key: Any) -> None:
        if key not in self:
            raise KeyError(key)
        self._len -= 1
        if key in self._base:
            self._delta[key] = _GONE
        else:
            del self._delta[key]

    def pop(self, key: Any, default: Any = _ABSENT) -> Any:
        value = self.get(key, _ABSENT)
        if value is _ABSENT:
            if default is _ABSENT:
                raise KeyError(key)
            return default
        del self[key]
        return value

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[Any]:
        delta = self._delta
        for key in self._base:
            if key not in delta:
                yield key
        for key, value in delta.items():
            if value is not _GONE:
                yield key

    def keys(self) -> Iterator[Any]:
        return iter(self)

    def items(self) -> Iterator[tuple[Any, Any]]:
        delta = self._delta
        for key, value in self._base.items():
            if key not in delta:
                yield key, value
        for key, value in delta.items():
            if value is not _GONE:
                yield key, value
