"""The escalation intensity scale (intensity.yaml): a measure's weight in a dispute."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graph.model.enums import MeasureStatus, MeasureType
from graph.model.errors import InvalidDataError
from graph.model.records import MeasureAttributes

__all__ = ["IntensityScale", "load_scale", "default_scale"]

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "intensity.yaml"


class TariffIncrease(BaseModel):
    model_config = ConfigDict(extra="forbid")
    points_per_10pp: float = Field(ge=0)
    cap: float = Field(ge=0)


class IntensityScale(BaseModel):
    """Base points per measure type, a weight per status, and a bonus for the size of a tariff rise."""

    model_config = ConfigDict(extra="forbid")

    base: dict[MeasureType, float]
    status: dict[MeasureStatus, float]
    tariff_increase: TariffIncrease

    def score(self, measure: MeasureAttributes, status: MeasureStatus | None = None) -> float:
        """The measure's intensity in its status, or in ``status`` (a point of its lifecycle)."""
        weight = self.status[status or measure.status]
        points = self.base[measure.measure_type]
        if measure.measure_type is MeasureType.TARIFF and measure.rate is not None:
            rise = measure.rate - (measure.previous_rate or 0.0)
            bonus = max(0.0, rise) / 10 * self.tariff_increase.points_per_10pp
            points += min(self.tariff_increase.cap, bonus)
        return round(points * weight, 3)


def load_scale(path: Path) -> IntensityScale:
    """Read a scale file; every measure type and status must have a value."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        scale = IntensityScale.model_validate(data)
    except OSError as e:
        raise InvalidDataError(f"cannot read: {e.strerror}", file=str(path)) from e
    except yaml.YAMLError as e:
        raise InvalidDataError(f"invalid YAML: {e}", file=str(path)) from e
    except ValidationError as e:
        first = e.errors()[0]
        raise InvalidDataError(first["msg"], file=str(path), field=".".join(map(str, first["loc"]))) from e
    missing = [t.value for t in MeasureType if t not in scale.base] + [s.value for s in MeasureStatus if s not in scale.status]
    if missing:
        raise InvalidDataError(f"no value for {missing}", file=str(path))
    return scale


@cache
def default_scale() -> IntensityScale:
    return load_scale(DEFAULT_FILE)
