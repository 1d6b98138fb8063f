"""When a read must stop: the check point a query's loops consult.

A walk over a large graph can run for seconds, one store call per hop. The caller (the API's read
runner, app/api/reads.py) gives the query a :class:`Deadline`; the query calls :meth:`Deadline.check`
before each store call of its loops, so a read past its time stops at the next one with
:class:`~graph.model.errors.QueryTimeoutError` and leaves its snapshot, instead of holding it to the end.
Callers with no time limit (the CLI, tests) pass nothing: :data:`NO_DEADLINE` never expires.
"""

from __future__ import annotations

import time

from graph.model.errors import QueryTimeoutError

__all__ = ["Deadline", "NO_DEADLINE"]


class Deadline:
    """A moment on the monotonic clock, ``seconds`` from when it is made (None: never)."""

    __slots__ = ("seconds", "_at")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._at = None if seconds is None else time.monotonic() + seconds

    @property
    def passed(self) -> bool:
        return self._at is not None and time.monotonic() >= self._at

    def check(self) -> None:
        """Raise :class:`QueryTimeoutError` once the deadline has passed."""
        if self.passed:
            raise QueryTimeoutError(self.seconds or 0.0)

    def expire(self) -> None:
        """Pass the deadline now: the caller has answered for the query and stopped waiting."""
        if self._at is not None:
            self._at = float("-inf")


NO_DEADLINE = Deadline(None)
