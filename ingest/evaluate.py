"""Scoring an extractor against gold annotations: precision, recall and F1 per relation type.

A gold file (``*.gold.yaml``) names a document beside it and lists:

- ``measures``: keys (M1, M2...) with ``imposer``, ``measure_type`` and what is known of
  ``announced`` / ``effective`` / ``year``, ``status``, ``rate``, ``previous_rate``,
  ``legal_reference``;
- ``relations``: ``[source, TYPE, target]`` triples whose ends are entity ids or measure keys;
- ``noise``: lines of the document that must yield nothing.

**Measure alignment.** A predicted measure id embeds a date and a slug that a gold annotator
cannot be expected to reproduce, so measures are matched by what they are, not by their id. A
predicted measure is a candidate for a gold measure when it has the same type, the gold imposer
is among its IMPOSES sources, and its dates agree: every gold date (announced or effective) lies
within 31 days of one of the predicted dates when the prediction has any, and a gold ``year``
is one of the years the prediction is dated in when it has any (a trade-remedy case opened in
one year and ruled on in the next is of both; until issue 17's third round only the year of its
first date counted). Candidates are scored by the number of agreeing
dates plus the number of shared covered goods, and pairs are taken greedily, best score first,
each gold and predicted measure used at most once. Aligned predicted ids are rewritten to the
gold keys; unaligned predictions keep their ids, so their relations count as false positives.

**Entities no lexicon lists.** A gold file may have an ``entities`` section: ids the annotator
made up for entities no lexicon file lists, each with an English ``name`` and the ``quote``
(surface form or forms) the text names it by. No extractor can be expected to reproduce such a
slug, so these are matched by name: a predicted entity whose names or aliases equal the gold
name or one of its quote forms (after case folding and conversion to simplified script) stands
for that gold id. The mapping is applied before measures are aligned, so an imposer the
extractor names from the text counts.

Triples are then compared as sets per relation type (NEGOTIATES_WITH is symmetric, so its ends
are sorted first). Attribute agreement of aligned measures is reported separately, overall and
per attribute (a gold measure whose value is stated counts once per attribute; an unaligned one
counts as a disagreement). Keys the scorer does not read (``evidence``, ``beyond_model``,
``subtype``, ``quote``, lifecycle dates...) are ignored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from graph.model.enums import RelationType
from graph.model.errors import InvalidDataError
from graph.model.records import Batch, Entity
from ingest.extract import Extractor, default_extractor
from ingest.extract.script import to_simplified
from ingest.readers import read_document

__all__ = [
    "Score", "DocumentReport", "EvalReport", "evaluate", "evaluate_file", "align_measures", "entity_map", "DATE_TOLERANCE_DAYS",
]

DATE_TOLERANCE_DAYS = 31
_SYMMETRIC = {RelationType.NEGOTIATES_WITH.value}
_ATTRIBUTES = ("status", "announced", "effective", "rate", "previous_rate", "amount", "legal_reference")
_SCALE_WORDS = (("billion", 1e9), ("bn", 1e9), ("million", 1e6), ("亿", 1e8), ("万", 1e4))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class DocumentReport:
    name: str
    per_type: dict[str, Score] = field(default_factory=dict)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    spurious: list[tuple[str, str, str]] = field(default_factory=list)
    alignment: dict[str, str] = field(default_factory=dict)
    noise_hits: list[str] = field(default_factory=list)
    attributes_right: int = 0
    attributes_total: int = 0
    attribute_counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (right, total)
    # each predicted triple (gold keys and ids where aligned) with the rules and confidences of its evidence
    predicted_evidence: dict[tuple[str, str, str], list[tuple[str, float]]] = field(default_factory=dict)

    @property
    def overall(self) -> Score:
        total = Score()
        for s in self.per_type.values():
            total.add(s)
        return total


@dataclass
class EvalReport:
    """Scores over one gold file or a folder of them, with the misses kept for reading."""

    documents: list[DocumentReport]

    @property
    def per_type(self) -> dict[str, Score]:
        out: dict[str, Score] = defaultdict(Score)
        for d in self.documents:
            for t, s in d.per_type.items():
                out[t].add(s)
        return dict(sorted(out.items()))

    @property
    def overall(self) -> Score:
        total = Score()
        for d in self.documents:
            total.add(d.overall)
        return total

    @property
    def noise_hits(self) -> list[str]:
        return [hit for d in self.documents for hit in d.noise_hits]

    @property
    def attribute_accuracy(self) -> float:
        total = sum(d.attributes_total for d in self.documents)
        return sum(d.attributes_right for d in self.documents) / total if total else 0.0

    @property
    def attribute_agreement(self) -> dict[str, tuple[int, int]]:
        """Per attribute name: (aligned measures whose value agrees, gold measures stating it)."""
        out: dict[str, list[int]] = {}
        for d in self.documents:
            for name, (right, total) in d.attribute_counts.items():
                slot = out.setdefault(name, [0, 0])
                slot[0] += right
                slot[1] += total
        return {name: (out[name][0], out[name][1]) for name in _ATTRIBUTES if name in out}

    def format(self) -> str:
        """A printable table: one row per relation type, then the overall row."""
        lines = [f"{'relation':<20}{'gold':>6}{'pred':>6}{'tp':>5}{'P':>7}{'R':>7}{'F1':>7}"]
        for name, s in [*self.per_type.items(), ("overall", self.overall)]:
            lines.append(f"{name:<20}{s.tp + s.fn:>6}{s.tp + s.fp:>6}{s.tp:>5}{s.precision:>7.2f}{s.recall:>7.2f}{s.f1:>7.2f}")
        lines.append(f"measure attribute agreement: {self.attribute_accuracy:.2f}")
        per = ", ".join(f"{name} {right}/{total}" for name, (right, total) in self.attribute_agreement.items() if total)
        if per:
            lines.append(f"  by attribute: {per}")
        lines.append(f"noise lines with output: {len(self.noise_hits)}")
        for d in self.documents:
            lines.append(f"  {d.name}: P={d.overall.precision:.2f} R={d.overall.recall:.2f} F1={d.overall.f1:.2f}")
        return "\n".join(lines)


# -- alignment -----------------------------------------------------------------------------------


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _predicted_dates(entity: Entity) -> tuple[list[date], set[int]]:
    """A predicted measure's dates and the years it is dated in: those of its dates (a
    trade-remedy case opened in one year and ruled on in the next is of both), else the year its
    id was formed with."""
    m = entity.measure
    dates = [d for d in (m.announced, m.effective) if d] if m else []
    years = {d.year for d in dates}
    for key in ("announced_month", "effective_month"):
        if key in entity.attributes and not years:
            years = {int(str(entity.attributes[key])[:4])}
    if not years:
        parts = entity.id.split(":", 1)[1].split("-")
        if len(parts) > 1 and parts[1].isdigit() and len(parts[1]) == 4:
            years = {int(parts[1])}
    return dates, years


def _candidate_score(gold: dict, entity: Entity, imposers: set[str], covers: set[str], gold_covers: set[str]) -> int | None:
    if entity.measure is None or entity.measure.measure_type.value != gold["measure_type"]:
        return None
    if gold["imposer"] not in imposers:
        return None
    dates, years = _predicted_dates(entity)
    score = 1
    for role in ("announced", "effective"):
        wanted = _as_date(gold.get(role))
        if wanted is None or not dates:
            continue
        if min(abs((wanted - d).days) for d in dates) > DATE_TOLERANCE_DAYS:
            return None
        score += 2
    if gold.get("year") and years:
        if int(gold["year"]) not in years:
            return None
        score += 1
    return score + len(covers & gold_covers)


def align_measures(gold: dict, batch: Batch, entities: dict[str, str] | None = None) -> dict[str, str]:
    """Predicted measure id → gold key, by the rules in the module docstring; ``entities`` maps
    predicted entity ids to the gold ids they stand for (see :func:`entity_map`)."""
    entities = entities or {}
    measures = {e.id: e for e in batch.entities if e.measure is not None}
    imposers: dict[str, set[str]] = defaultdict(set)
    covers: dict[str, set[str]] = defaultdict(set)
    for r in batch.relations:
        if r.type is RelationType.IMPOSES:
            imposers[r.target].add(entities.get(r.source, r.source))
        elif r.type is RelationType.COVERS:
            covers[r.source].add(entities.get(r.target, r.target))
    gold_covers: dict[str, set[str]] = defaultdict(set)
    for source, rtype, target in gold.get("relations", []):
        if rtype == "COVERS":
            gold_covers[source].add(target)
    pairs = []
    for key, spec in (gold.get("measures") or {}).items():
        for measure_id, entity in measures.items():
            score = _candidate_score(spec, entity, imposers[measure_id], covers[measure_id], gold_covers[key])
            if score is not None:
                pairs.append((score, key, measure_id))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    out: dict[str, str] = {}
    used_gold: set[str] = set()
    for _score, key, measure_id in pairs:
        if key in used_gold or measure_id in out:
            continue
        out[measure_id] = key
        used_gold.add(key)
    return out


# -- entities named from the text ----------------------------------------------------------------


def _form(name: str) -> str:
    return to_simplified(" ".join(str(name).split())).casefold()


def _gold_forms(spec: object) -> list[str]:
    if not isinstance(spec, dict):
        return []
    quotes = spec.get("quote") or []
    quotes = [quotes] if isinstance(quotes, str) else list(quotes)
    return [_form(x) for x in [spec.get("name"), *quotes] if x]


def entity_map(gold: dict, batch: Batch) -> dict[str, str]:
    """Predicted entity id → the gold id of the ``entities`` section it names (by name, not id)."""
    listed = gold.get("entities") or {}
    if not isinstance(listed, dict):
        raise InvalidDataError("entities is a mapping of id to name and quote", field="entities")
    by_form: dict[str, str] = {}
    for gold_id, spec in listed.items():
        for form in _gold_forms(spec):
            by_form.setdefault(form, str(gold_id))
    out: dict[str, str] = {}
    for e in batch.entities:
        if e.measure is not None or e.id in listed:
            continue
        for name in [*e.names.values(), *e.aliases]:
            gold_id = by_form.get(_form(name))
            if gold_id is not None:
                out[e.id] = gold_id
                break
    return out


# -- scoring -------------------------------------------------------------------------------------


def _triple(source: str, rtype: str, target: str) -> tuple[str, str, str]:
    if rtype in _SYMMETRIC and target < source:
        source, target = target, source
    return (source, rtype, target)


def _scaled(amount: object, unit: object) -> float:
    """A gold amount in plain units: 60 with unit "USD billion" is 6e10."""
    value = float(amount)  # type: ignore[arg-type]
    words = str(unit or "").lower()
    for word, factor in _SCALE_WORDS:
        if word in words:
            return value * factor
    return value


def _agrees(name: str, value: object, spec: dict) -> bool:
    expected = spec[name]
    if hasattr(value, "value"):
        value = value.value
    if name in {"announced", "effective"}:
        return value == _as_date(expected)
    if name == "amount":
        if value is None:
            return False
        wanted = _scaled(expected, spec.get("unit"))
        return abs(float(value) - wanted) <= 0.01 * abs(wanted)  # type: ignore[arg-type]
    if name in {"rate", "previous_rate"} and value is not None:
        return abs(float(value) - float(expected)) < 1e-6  # type: ignore[arg-type]
    return value == expected


def _attribute_agreement(gold: dict, batch: Batch, alignment: dict[str, str]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = {}
    by_key = {key: mid for mid, key in alignment.items()}
    entities = {e.id: e for e in batch.entities}
    for key, spec in (gold.get("measures") or {}).items():
        for name in _ATTRIBUTES:
            if spec.get(name) is None:
                continue
            slot = counts.setdefault(name, [0, 0])
            slot[1] += 1
            measure_id = by_key.get(key)
            if measure_id is not None:
                slot[0] += int(_agrees(name, getattr(entities[measure_id].measure, name), spec))
    return {name: (right, total) for name, (right, total) in counts.items()}


def _noise_hits(gold: dict, text: str, batch: Batch) -> list[str]:
    hits = []
    spans = []
    for line in gold.get("noise") or []:
        start = text.find(line)
        if start < 0:
            raise InvalidDataError(f"noise line not in the document: {line[:30]!r}", field="noise")
        spans.append((start, start + len(line), line))
    for item in [*batch.entities, *batch.relations]:
        for ev in item.evidence:
            for start, end, line in spans:
                if ev.start < end and start < ev.end:
                    hits.append(f"{line[:20]}… ← {getattr(item, 'id', None) or getattr(item, 'key', '')}")
    return hits


def evaluate_file(path: Path, extractor: Extractor) -> DocumentReport:
    """Score one gold file."""
    gold = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(gold, dict) or "document" not in gold:
        raise InvalidDataError("a gold file names its document", file=str(path), field="document")
    document = read_document(path.parent / gold["document"])
    batch = extractor.extract(document)
    names = entity_map(gold, batch)
    alignment = align_measures(gold, batch, names)
    ids = {**names, **alignment}
    predicted = {_triple(ids.get(r.source, r.source), r.type.value, ids.get(r.target, r.target)) for r in batch.relations}
    evidence: dict[tuple[str, str, str], list[tuple[str, float]]] = defaultdict(list)
    for r in batch.relations:
        evidence[_triple(ids.get(r.source, r.source), r.type.value, ids.get(r.target, r.target))] += [(e.extractor, e.confidence) for e in r.evidence]
    expected = {_triple(*map(str, triple)) for triple in gold.get("relations", [])}
    report = DocumentReport(name=path.name, alignment=alignment, predicted_evidence=dict(evidence))
    for rtype in sorted({t for _, t, _ in predicted | expected}):
        p = {x for x in predicted if x[1] == rtype}
        g = {x for x in expected if x[1] == rtype}
        report.per_type[rtype] = Score(tp=len(p & g), fp=len(p - g), fn=len(g - p))
    report.missed = sorted(expected - predicted)
    report.spurious = sorted(predicted - expected)
    report.noise_hits = _noise_hits(gold, document.text, batch)
    report.attribute_counts = _attribute_agreement(gold, batch, alignment)
    report.attributes_right = sum(right for right, _ in report.attribute_counts.values())
    report.attributes_total = sum(total for _, total in report.attribute_counts.values())
    return report


def evaluate(path: Path, extractor: Extractor | None = None) -> EvalReport:
    """Score ``extractor`` (the default rule extractor if None) on a gold file or a folder of them."""
    extractor = extractor or default_extractor()
    path = Path(path)
    files = sorted(path.glob("*.gold.yaml")) if path.is_dir() else [path]
    if not files:
        raise InvalidDataError("no *.gold.yaml files", file=str(path))
    return EvalReport([evaluate_file(f, extractor) for f in files])
