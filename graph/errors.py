"""One exception tree for the whole project.

Everything the project raises on purpose derives from :class:`TradeGraphError`, so the edges (HTTP
handlers, CLI) translate errors in one place: each class carries the HTTP status and the CLI exit
code it maps to, and nothing in the core knows about HTTP or exit codes beyond these two numbers.
"""

from __future__ import annotations

__all__ = [
    "TradeGraphError",
    "NotFoundError",
    "InvalidDataError",
    "AmbiguousNameError",
    "StoreUnavailableError",
    "AuthError",
    "LimitExceededError",
]


class TradeGraphError(Exception):
    """Base of every error the project raises deliberately."""

    http_status = 500
    exit_code = 1
    title = "Internal error"


class NotFoundError(TradeGraphError):
    """An id, name or document that the store does not hold."""

    http_status = 404
    exit_code = 4
    title = "Not found"

    def __init__(self, message: str, candidates: list[dict] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class InvalidDataError(TradeGraphError):
    """Input that breaks the model; names the file, line and field when they are known."""

    http_status = 422
    exit_code = 2
    title = "Invalid data"

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

    http_status = 409
    exit_code = 2
    title = "Ambiguous name"

    def __init__(self, message: str, candidates: list[dict]) -> None:
        super().__init__(message)
        self.candidates = candidates


class StoreUnavailableError(TradeGraphError):
    """The backing database cannot be reached or opened."""

    http_status = 503
    exit_code = 3
    title = "Store unavailable"


class AuthError(TradeGraphError):
    """A write without a valid bearer token, or writes disabled because no token is configured."""

    http_status = 401
    exit_code = 5
    title = "Unauthorized"


class LimitExceededError(TradeGraphError):
    """A request past a documented hard cap (depth, result size, body size, time)."""

    http_status = 422
    exit_code = 2
    title = "Limit exceeded"
