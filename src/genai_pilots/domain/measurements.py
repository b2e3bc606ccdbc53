"""Measurements: the one value type, read from a definition file or a CSV file, and checked.

A measurement takes these shapes: the YAML node; ``MeasurementIn``, the definition file's model
(validation and the JSON schema); ``Measurement``, what gates, trends, recording and import
take; the ``MeasurementRow`` it is stored as (``measuring.measurement_record`` gives its
columns, ``gating.recorded_measurement`` reads it back); the list it becomes in an event's
payload (``events.Measured``); and the tuple ``audit verify`` replays a history into.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import get_args

from genai_pilots.domain.definition import PilotDefinition, Setting

REQUIRED = ("kpi", "date", "value")
OPTIONAL = ("setting", "note")
SETTINGS = frozenset(get_args(Setting))


@dataclass(frozen=True, slots=True)
class Measurement:
    """One value of one KPI on one day; in the pilot's own setting when ``setting`` is None.

    ``line`` is the line of the CSV file it came from (0 otherwise), to name it in messages.
    """

    kpi: str
    date: dt.date
    value: float
    setting: str | None = None
    note: str | None = None
    line: int = field(default=0, compare=False)

    def key(self, default_setting: str) -> tuple[str, dt.date, float, str]:
        """What makes two measurements the same: pilot aside, KPI, day, setting and value."""
        return (self.kpi, self.date, self.value, self.setting or default_setting)


def yaml_measurements(definition: PilotDefinition) -> list[Measurement]:
    """The measurements a definition file carries, in the pilot's setting unless stated."""
    return [
        Measurement(m.kpi, m.date, m.value, m.setting or definition.setting, m.note)
        for m in definition.bijsturen.measurements
    ]


# No GenAI pilot in care measured anything before this day: an earlier date is a typo.
EARLIEST = dt.date(2000, 1, 1)


def check_date(date: dt.date, today: dt.date) -> str | None:
    """What is wrong with the day of a measurement (in the future, or absurdly early)."""
    if date > today:
        return f"date {date} is in the future (today is {today}); measure it when it happens"
    if date < EARLIEST:
        return f"date {date} is before {EARLIEST}; is the year right?"
    return None


def check_measurement(
    kpi: str,
    date: dt.date,
    value: float,
    setting: str | None,
    kpis: Collection[str],
    today: dt.date,
) -> str | None:
    """What is wrong with one measurement, or ``None``."""
    if kpi not in kpis:
        return f"no KPI '{kpi}' (KPIs: {', '.join(kpis) or 'none defined'})"
    if not math.isfinite(value):
        return f"value {value} is not a finite number"
    if (problem := check_date(date, today)) is not None:
        return problem
    if setting is not None and setting not in SETTINGS:
        return f"setting '{setting}' is not one of {', '.join(sorted(SETTINGS))}"
    return None


def parse_csv(
    text: str, kpis: Collection[str], today: dt.date
) -> tuple[list[Measurement], list[str]]:
    """Rows of ``kpi,date,value[,setting,note]``; problems as ``line N: ...`` messages."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        what = []
        if missing:
            what.append(f"missing column {', '.join(missing)}")
        if unknown:
            what.append(f"unknown column {', '.join(unknown)}")
        return [], [f"line 1: {'; '.join(what)} (columns: kpi,date,value[,setting,note])"]
    reader.fieldnames = header
    rows: list[Measurement] = []
    problems: list[str] = []
    for record in reader:
        line = reader.line_num
        if None in record:
            problems.append(f"line {line}: more fields than the header has columns")
            continue
        values = {k: (v or "").strip() for k, v in record.items()}
        try:
            date = dt.date.fromisoformat(values["date"])
        except ValueError:
            problems.append(f"line {line}: date '{values['date']}' is not a date (YYYY-MM-DD)")
            continue
        try:
            value = float(values["value"].replace(",", "."))
        except ValueError:
            problems.append(f"line {line}: value '{values['value']}' is not a number")
            continue
        setting = values.get("setting") or None
        problem = check_measurement(values["kpi"], date, value, setting, kpis, today)
        if problem:
            problems.append(f"line {line}: {problem}")
            continue
        rows.append(
            Measurement(values["kpi"], date, value, setting, values.get("note") or None, line)
        )
    if not rows and not problems:
        problems.append("line 2: the file has no measurements")
    return rows, problems
