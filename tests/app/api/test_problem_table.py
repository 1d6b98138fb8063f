"""Errors meet HTTP and exit codes in app/ only: every class of the error tree has its status,
problem title and exit code in the tables there, and graph/ carries none of them."""

from __future__ import annotations

import inspect

import pytest

import app.errors
import graph.model.errors
from app.api.problems import PROBLEMS, problem_kind
from app.cli import EXIT_CODES, exit_code
from graph.model.errors import TradeGraphError


def _error_classes() -> list[type[TradeGraphError]]:
    found = []
    for module in (graph.model.errors, app.errors):
        found += [c for _, c in inspect.getmembers(module, inspect.isclass) if issubclass(c, TradeGraphError) and c.__module__ == module.__name__]
    return found


# What the API and the CLI answered before the tables moved to app/: the problem documents must not change.
EXPECTED = {
    "TradeGraphError": (500, "Internal error", "/problems/internal-error", 1),
    "NotFoundError": (404, "Not found", "/problems/not-found", 4),
    "InvalidDataError": (422, "Invalid data", "/problems/invalid-data", 2),
    "AmbiguousNameError": (409, "Ambiguous name", "/problems/ambiguous-name", 2),
    "StoreUnavailableError": (503, "Store unavailable", "/problems/store-unavailable", 3),
    "LimitExceededError": (422, "Limit exceeded", "/problems/limit-exceeded", 2),
    "QueryTimeoutError": (503, "Query timeout", "/problems/query-timeout", 3),
    "AuthError": (401, "Unauthorized", "/problems/unauthorized", 5),
    "MovedError": (301, "Moved permanently", "/problems/moved-permanently", 4),
}


def test_every_error_class_has_a_status_a_problem_and_an_exit_code():
    classes = _error_classes()
    assert {c.__name__ for c in classes} == set(EXPECTED), "a new error class needs a row in app/api/problems.py and app/cli.py"
    for cls in classes:
        assert cls in PROBLEMS and cls in EXIT_CODES, cls  # listed itself, not only through an ancestor
        kind = PROBLEMS[cls]
        assert (kind.status, kind.title, kind.type, EXIT_CODES[cls]) == EXPECTED[cls.__name__]


def test_graph_errors_know_nothing_of_http_or_exit_codes():
    for cls in _error_classes():
        for attribute in ("http_status", "exit_code", "title"):
            assert not hasattr(cls, attribute), (cls, attribute)
    assert not hasattr(graph.model.errors, "AuthError")  # a refused write is the service's, not the graph's


@pytest.mark.parametrize("base", [graph.model.errors.NotFoundError, graph.model.errors.StoreUnavailableError, TradeGraphError])
def test_a_subclass_is_answered_as_its_nearest_listed_ancestor(base):
    sub = type("Sub", (base,), {})
    error = sub.__new__(sub)
    assert problem_kind(error) == PROBLEMS[base]
    assert exit_code(error) == EXIT_CODES[base]
