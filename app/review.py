"""How the API and the CLI make a reviewer's decision: one rule for both."""

from __future__ import annotations

from graph.model.decisions import Decision
from graph.model.records import parse

__all__ = ["next_decision"]


def next_decision(made: list[Decision], fields: dict) -> Decision:
    """The decision ``fields`` describe, made after ``made`` (the store's, oldest first): it
    follows the latest one, so making it again after an undo is a new decision, while posting the
    latest one again (a retry) gives that one back, recorded once. A bad field is an error that
    names it."""
    if made:
        again = parse(Decision, {**fields, "follows": made[-1].follows})
        if again.id == made[-1].id:
            return again
    return parse(Decision, {**fields, "follows": made[-1].id if made else None})
