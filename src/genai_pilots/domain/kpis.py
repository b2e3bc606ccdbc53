"""KPI trends: where each KPI stands against its baseline and target, per setting.

Progress respects the KPI's direction: for a lower-is-better KPI going from 12 to 8 minutes, a
latest value of 10 is 50% of the way; for higher-is-better the same arithmetic runs upward.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from genai_pilots.domain.definition import Kpi, PilotDefinition
from genai_pilots.domain.measurements import Measurement

_BARS = "▁▂▃▄▅▆▇█"


def progress(baseline: float, target: float, value: float) -> float | None:
    """How far ``value`` has moved from baseline to target (1.0 = target reached).

    Direction follows from the numbers: a target below the baseline means lower is better.
    ``None`` when baseline and target are equal (no distance to cover).
    """
    if target == baseline:
        return None
    share = (value / 2 - baseline / 2) / (target / 2 - baseline / 2)  # halves: no overflow
    return share if math.isfinite(share) else None


def sparkline(values: Sequence[float]) -> str:
    """Values as a row of block characters, lowest to highest."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return _BARS[len(_BARS) // 2] * len(values)
    span = high / 2 - low / 2  # halves: the widest range of floats still fits
    return "".join(_BARS[round((v / 2 - low / 2) / span * (len(_BARS) - 1))] for v in values)


@dataclass(frozen=True, slots=True)
class KpiTrend:
    """One KPI in one setting (or across all when ``setting`` is None)."""

    kpi: Kpi
    setting: str | None
    points: tuple[tuple[dt.date, float], ...]

    @property
    def latest(self) -> float | None:
        """The most recent value."""
        return self.points[-1][1] if self.points else None

    @property
    def change(self) -> float | None:
        """Latest value minus the baseline (None when it is beyond what a float holds)."""
        if self.latest is None:
            return None
        difference = self.latest - self.kpi.baseline
        return difference if math.isfinite(difference) else None

    @property
    def progress(self) -> float | None:
        """Share of the way from baseline to target (may exceed 1 or be negative)."""
        return (
            None
            if self.latest is None
            else progress(self.kpi.baseline, self.kpi.target, self.latest)
        )

    @property
    def improving(self) -> bool | None:
        """Whether the latest value is better than the baseline, given the direction."""
        if self.change is None or self.change == 0:
            return None
        return (self.change < 0) == (self.kpi.direction == "lower")

    @property
    def sparkline(self) -> str:
        """The values over time as block characters."""
        return sparkline([v for _, v in self.points])


def _mean_per_date(points: Sequence[Measurement]) -> tuple[tuple[dt.date, float], ...]:
    by_date: dict[dt.date, list[float]] = {}
    for m in points:
        by_date.setdefault(m.date, []).append(m.value)
    # each value divided first: a mean of huge values never overflows
    return tuple((day, sum(x / len(v) for x in v)) for day, v in sorted(by_date.items()))


def trends(definition: PilotDefinition, measurements: Sequence[Measurement]) -> list[KpiTrend]:
    """Per KPI one trend; when it was measured in several settings, one per setting too.

    The overall trend averages the settings measured on the same day, so it does not zigzag
    between a polikliniek and thuiszorg.
    """
    result = []
    for kpi in definition.start_klein.kpis:
        own = sorted((m for m in measurements if m.kpi == kpi.id), key=lambda m: m.date)
        settings = sorted({m.setting or definition.setting for m in own})
        result.append(KpiTrend(kpi, None, _mean_per_date(own)))
        if len(settings) > 1:
            for setting in settings:
                points = tuple(
                    (m.date, m.value) for m in own if (m.setting or definition.setting) == setting
                )
                result.append(KpiTrend(kpi, setting, points))
    return result
