"""Confidence calibrated on the gold sets: what a rule's stated confidence should be, and how it fares.

Every relation the rule extractor states cites the rule that read it (``rule:zh.imposes.actor``).
Scored against gold annotations, each rule has an observed precision: of the relations it
produced, the share that gold also holds. :func:`calibrate` turns those counts into the
confidence each rule states from then on — the observed precision, pulled towards one half by
two pseudo-counts so that a rule seen three times does not claim 1.0 — and writes them to
``ingest/extract/confidence.yaml``, which the extractor reads at start. Rules keyed without their
language (``imposes.actor``): the same rule in zh and en is one rule.

:func:`reliability_table` is the check: facts grouped by stated confidence, against the share
of them gold holds. Run ``python -m ingest.calibration [--write] SET...``.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import yaml

from ingest.evaluate import EvalReport, evaluate
from ingest.extract.confidence import CONFIDENCE_FILE, rule_key

__all__ = ["rule_key", "rule_counts", "calibrate", "reliability_table", "CONFIDENCE_FILE"]

_BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)


def _facts(reports: list[EvalReport]) -> list[tuple[str, float, bool]]:
    """(rule key, stated confidence, whether gold holds it) per predicted relation; a relation
    several rules read counts for the one stating the highest confidence."""
    out = []
    for report in reports:
        for d in report.documents:
            gold = set(d.predicted_evidence) - set(d.spurious)
            for triple, pieces in d.predicted_evidence.items():
                rule, confidence = max(pieces, key=lambda p: p[1])
                out.append((rule_key(rule), confidence, triple in gold))
    return out


def rule_counts(reports: list[EvalReport]) -> dict[str, tuple[int, int]]:
    """Rule key → (relations gold holds, relations stated)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, _confidence, right in _facts(reports):
        counts[key][0] += int(right)
        counts[key][1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(counts.items())}


def calibrate(reports: list[EvalReport]) -> dict[str, float]:
    """Rule key → calibrated confidence, (right + 1) / (stated + 2), two decimals."""
    return {k: round((right + 1) / (n + 2), 2) for k, (right, n) in rule_counts(reports).items()}


def reliability_table(reports: list[EvalReport]) -> str:
    """A markdown table: stated confidence bins against observed precision."""
    rows = ["| stated confidence | relations | gold holds | observed precision |", "| --- | --- | --- | --- |"]
    facts = _facts(reports)
    for lo, hi in zip(_BINS, _BINS[1:]):
        inside = [right for _k, c, right in facts if lo <= c < hi]
        if inside:
            label = f"{lo:.1f}–{min(hi, 1.0):.1f}" if hi <= 1.0 else f"{lo:.1f}–1.0"
            rows.append(f"| {label} | {len(inside)} | {sum(inside)} | {sum(inside) / len(inside):.2f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", type=Path, help="gold folders")
    parser.add_argument("--write", action="store_true", help=f"write {CONFIDENCE_FILE.name}")
    args = parser.parse_args(argv)
    reports = [evaluate(p) for p in args.sets]
    if args.write:
        table = calibrate(reports)
        header = "# Written by `python -m ingest.calibration --write " + " ".join(map(str, args.sets)) + "`; do not edit by hand.\n"
        CONFIDENCE_FILE.write_text(header + yaml.safe_dump(table, sort_keys=True, allow_unicode=True), encoding="utf-8")
    for key, (right, n) in rule_counts(reports).items():
        print(f"{key:<32}{right:>5}/{n:<5}{right / n:.2f}")
    print(reliability_table(reports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
