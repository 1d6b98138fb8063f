"""The confidence each rule states, as calibrated on the gold sets (see ``ingest/calibration.py``).

``confidence.yaml`` beside this module maps a rule key (``imposes.actor``: the rule without its
language) to the precision that rule showed on the evaluation sets; a rule the file does not name
keeps the confidence written where the rule is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from graph.model.errors import InvalidDataError

__all__ = ["rule_key", "calibrated", "CONFIDENCE_FILE"]

CONFIDENCE_FILE = Path(__file__).with_name("confidence.yaml")


@cache
def rule_key(rule: str) -> str:
    """``rule:zh.imposes.actor`` → ``imposes.actor`` (the language is not part of a rule's identity)."""
    body = rule.split(":", 1)[-1]
    head, _, rest = body.partition(".")
    return rest if head in {"zh", "en", "ja"} and rest else body


@cache
def calibrated() -> dict[str, float]:
    """Rule key → calibrated confidence; empty when the file is absent."""
    if not CONFIDENCE_FILE.exists():
        return {}
    data = yaml.safe_load(CONFIDENCE_FILE.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in data.values()):
        raise InvalidDataError("rule key → confidence in 0..1", file=str(CONFIDENCE_FILE))
    return {str(k): float(v) for k, v in data.items()}
