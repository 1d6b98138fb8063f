"""Errors of the service itself, beside the graph's (graph/model/errors.py): refusals that only a server
with clients makes."""

from __future__ import annotations

from graph.model.errors import TradeGraphError

__all__ = ["AuthError"]


class AuthError(TradeGraphError):
    """A write without a valid bearer token, or writes disabled because no token is configured."""
