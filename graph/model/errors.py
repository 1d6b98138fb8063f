"""One exception tree for the whole project.

Everything the project raises on purpose derives from :class:`TradeGraphError`, so the edges
translate errors in one place each: app/api/problems.py maps every class to its HTTP status and
problem document, app/cli.py to its exit code. Nothing here knows about HTTP or exit codes.
"""

from __future__ import annotations

__all__ = [
    "TradeGraphError",
    "NotFoundError",
    "InvalidDataError",
    "AmbiguousNameError",
    "StoreUnavailableError",
    "LimitExceededError",
    "QueryTimeoutError",
]


class TradeGraphError(Exception):
    """Base of every error the project raises deliberately."""


class NotFoundError(TradeGraphError):
    """An id, name or document that the store does not hold."""

    def __init__(self, message: str, candidates: list[dict] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class MovedError(TradeGraphError):
    """An entity id a review merged into another: the API answers 301 to the kept id's route."""

    def __init__(self, gone: str, kept: str) -> None:
        super().__init__(f"{gone!r} was merged into {kept!r}")
        self.gone = gone
        self.kept = kept


class InvalidDataError(TradeGraphError):
    """Input that breaks the model; names the file, line and field when they are known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.field:
            where = f"{where} field {self.field!r}" if where else f"field {self.field!r}"
        return f"{where}: {self.reason}" if where else self.reason

    def located(self, *, file: str | None = None, line: int | None = None) -> "InvalidDataError":
        """Return a copy that also names where the bad input came from."""
        return InvalidDataError(
            self.reason, file=file or self.file, line=line or self.line, field=self.field
        )


class AmbiguousNameError(TradeGraphError):
    """A name that matches several entities; the caller must pick one of the candidates."""

    def __init__(self, message: str, candidates: list[dict]) -> None:
        super().__init__(message)
        self.candidates = candidates


class StoreUnavailableError(TradeGraphError):
    """The backing database cannot be reached or opened."""


class LimitExceededError(TradeGraphError):
    """A request past a documented hard cap (depth, result size, body size, time)."""


class QueryTimeoutError(TradeGraphError):
    """A read that ran past its deadline (graph/queries/deadline.py); it stopped where it was."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query did not finish within its {seconds:g} s budget")
        self.seconds = seconds
