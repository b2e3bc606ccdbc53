"""Portfolio arithmetic: how long pilots stay in each stage, from their histories."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from genai_pilots.domain.audit import utc
from genai_pilots.domain.events import ENDING, ENTERING, MOVES


class Step(NamedTuple):
    """What a stay is measured from: an event that enters, moves or ends a pilot."""

    kind: str
    at: dt.datetime
    payload: dict[str, Any]


def stays(events: Sequence[Step], now: dt.datetime) -> list[tuple[str, float]]:
    """(stage, days) for every stay of one pilot; a stay still going counts until ``now``."""
    result: list[tuple[str, float]] = []
    current: str | None = None
    since: dt.datetime | None = None

    def close(at: dt.datetime) -> None:
        if current is not None and since is not None:
            result.append((current, (utc(at) - utc(since)).total_seconds() / 86400))

    for event in events:
        p = event.payload
        if event.kind in ENTERING:
            current, since = (None if p.get("outcome") else p.get("stage")), event.at
        elif event.kind in MOVES and p.get("to"):
            close(event.at)
            current, since = p["to"], event.at
        elif p.get("outcome") and event.kind in ENDING:
            close(event.at)
            current = since = None
    if current is not None:
        close(now)
    return result


def median_days(all_stays: Iterable[tuple[str, float]]) -> dict[str, float]:
    """Median days per stage over every stay of every pilot."""
    by_stage: dict[str, list[float]] = defaultdict(list)
    for stage, days in all_stays:
        by_stage[stage].append(days)
    return {stage: statistics.median(values) for stage, values in by_stage.items()}
