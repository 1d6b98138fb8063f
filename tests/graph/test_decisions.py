"""Decisions and the choice rule as data (graph/model/decisions.py, graph/model/claims.py): the
cases a reviewer's history and several sources produce."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.model.decisions import Decision, in_force, standing_ids
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Document, Entity, Evidence, parse
from graph.review_view import ReviewView
from graph.sync import sync
from graph.time_view import TimeView

T = [dt.datetime(2026, 1, 1, 0, m, tzinfo=dt.UTC) for m in range(10)]


def _at(decision: Decision, minute: int) -> Decision:
    return decision.model_copy(update={"at": T[minute]})


def test_a_decision_undone_twice_needs_both_undos_taken_back():
    reject = _at(Decision(kind="reject", subject="firm:a", reason="x"), 0)
    one = _at(Decision(kind="undo", subject=reject.id, reason="one"), 1)
    other = _at(Decision(kind="undo", subject=reject.id, reason="other"), 2)
    back = _at(Decision(kind="undo", subject=one.id, reason="back"), 3)
    assert in_force([reject, one, other, back]) == []
    assert reject.id in standing_ids([reject, one, back])
    assert {d.id for d in in_force([reject, one, back])} == {reject.id}
    assert in_force([reject, one, back], known_at=T[2]) == []  # the undo of the undo came later


def test_the_same_decision_made_again_after_others_is_a_new_one():
    first = Decision(kind="reject", subject="firm:a", reason="x")
    assert Decision(kind="reject", subject="firm:a", reason="x").id == first.id
    assert Decision(kind="reject", subject="firm:a", reason="x", follows="decision:0123456789abcdef").id != first.id


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "merge", "subject": "firm:a", "reason": "x"}, "into"),
        ({"kind": "merge", "subject": "firm:a", "into": "country:CN", "reason": "x"}, "into"),
        ({"kind": "undo", "subject": "firm:a", "reason": "x"}, "subject"),
        ({"kind": "reject", "subject": "firm:a", "into": "firm:b", "reason": "x"}, "into"),
    ],
)
def test_a_bad_decision_names_its_field(data, field):
    with pytest.raises(InvalidDataError) as caught:
        parse(Decision, data)
    assert caught.value.field == field


def _measure(doc: Document, rate: float | None = None, amount: float | None = None) -> Entity:
    words = doc.text[:4]
    return Entity(
        id="measure:x", names={"en": "x"},
        measure={"measure_type": "tariff", "status": "in_force", "rate": rate, "amount": amount},
        evidence=[Evidence(document_id=doc.id, quote=words, start=0, end=4, extractor="rule:test")],
    )


def test_the_latest_value_stands_on_a_tie_and_reading_again_moves_nothing():
    a, b, c = (Document(text=t, language="en") for t in ("aaaa says 25%", "bbbb says 10%", "cccc says 5 bn"))
    ab = _measure(a, rate=25).merged(_measure(b, rate=10))
    assert ab.measure.rate == 10  # one source each: the latest
    assert ab.merged(_measure(c, amount=5)).measure.rate == 10  # another value arriving moves nothing
    assert ab.merged(_measure(b, rate=10)) == ab  # the same reading again: a no-op
    assert ab.merged(_measure(a, rate=25)) == ab


def test_a_merge_into_an_entity_no_document_supports_any_more_is_not_applied(embedded):
    doc_a, doc_b = Document(text="Acme makes gallium.", language="en"), Document(text="Beta makes gallium.", language="en")

    def firm(doc: Document, key: str) -> Entity:
        return Entity(id=f"firm:{key}", names={"en": key.title()}, evidence=[Evidence(document_id=doc.id, quote=doc.text[:4], start=0, end=4)])

    embedded.upsert(Batch(documents=[doc_a, doc_b], entities=[firm(doc_a, "acme"), firm(doc_b, "beta")]))
    embedded.upsert(Batch(decisions=[Decision(kind="merge", subject="firm:acme", into="firm:beta", reason="x")]))
    assert ReviewView(embedded, in_force(embedded.decisions())).known(["firm:acme", "firm:beta"]) == {"firm:beta"}
    embedded.remove_document(doc_b.id)
    view = ReviewView(embedded, in_force(embedded.decisions()))
    assert view.known(["firm:acme"]) == {"firm:acme"} and view.moved_to("firm:acme") is None


def test_a_dated_view_lists_the_decisions_made_by_its_moment(embedded, seed_batch):
    embedded.upsert(seed_batch)
    embedded.upsert(Batch(decisions=[Decision(kind="reject", subject="measure:cn-2025-us-soybean-purchase-halt", reason="x")]))
    (made,) = embedded.decisions()
    assert TimeView(embedded, known_at=made.at).decisions() == [made]
    assert TimeView(embedded, known_at=made.at - dt.timedelta(microseconds=1)).decisions() == []
    assert TimeView(embedded, as_of=dt.date(2025, 1, 1)).decisions() == [made]


def test_decisions_about_facts_since_removed_still_sync(embedded, tmp_path):
    from graph.embedded import EmbeddedStore

    doc = Document(text="Zeta Mining exports cobalt.", language="en")
    zeta = Entity(id="firm:zeta-mining", names={"en": "Zeta Mining"}, evidence=[Evidence(document_id=doc.id, quote="Zeta Mining", start=0, end=11)])
    embedded.upsert(Batch(documents=[doc], entities=[zeta]))
    embedded.upsert(Batch(decisions=[Decision(kind="reject", subject=zeta.id, reason="a spurious firm")]))
    embedded.remove_document(doc.id)
    assert embedded.entity(zeta.id) is None
    with EmbeddedStore(tmp_path / "copy.db") as copy:
        sync(embedded, copy)
        assert copy.decisions() == embedded.decisions()
