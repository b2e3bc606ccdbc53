"""Recording measurements: typed on the CLI, from a CSV file, or carried in a definition.

A file is all or nothing: one bad row and nothing of it is stored. Every batch is one event
whose payload holds the rows, so the history explains the measurements table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col

from genai_pilots import clock
from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.measurements import MeasurementInput, check_measurement, parse_csv
from genai_pilots.domain.register import stored_definition
from genai_pilots.errors import UsageError
from genai_pilots.services.events import append_event
from genai_pilots.services.store import Store, resolve_actor, retrying, transaction
from genai_pilots.store.models import EventRow, MeasurementRow, PilotRow
from genai_pilots.store.queries import get_pilot


def payload_rows(rows: Sequence[MeasurementInput], setting: str) -> list[list[object]]:
    """Measurements as an event payload keeps them (setting filled in)."""
    return [[r.kpi, r.date.isoformat(), r.value, r.setting or setting, r.note] for r in rows]


def measurement_record(
    pilot_id: str, setting: str, row: MeasurementInput, *, source: str, actor: str, now: dt.datetime
) -> dict[str, Any]:
    """The column values of one stored measurement."""
    return {
        "pilot_id": pilot_id, "kpi": row.kpi, "date": row.date, "value": row.value,
        "setting": row.setting or setting, "note": row.note, "recorded_at": now,
        "actor": actor, "source": source,
    }  # fmt: skip


def store_rows(
    session: Session,
    pilot: PilotRow,
    rows: Sequence[MeasurementInput],
    *,
    source: str,
    actor: str,
    now: dt.datetime,
    replace: bool = False,
    prev: tuple[int, str] | None = None,
) -> EventRow:
    """Add rows (or, with ``replace``, replace those from ``source``) and record one event."""
    if replace:
        session.execute(
            delete(MeasurementRow).where(
                col(MeasurementRow.pilot_id) == pilot.id, col(MeasurementRow.source) == source
            )
        )
    for r in rows:
        record = measurement_record(pilot.id, pilot.setting, r, source=source, actor=actor, now=now)
        session.add(MeasurementRow(**record))
    return append_event(
        session, pilot, "measurements-replaced" if replace else "measured",
        {"source": source, "rows": payload_rows(rows, pilot.setting)},
        actor=actor, at=now, prev=prev,
    )  # fmt: skip


def yaml_rows(definition: PilotDefinition) -> list[MeasurementInput]:
    """The measurements a definition file carries."""
    return [
        MeasurementInput(m.kpi, m.date, m.value, m.setting, m.note)
        for m in definition.bijsturen.measurements
    ]


def _kpis(pilot: PilotRow) -> list[str]:
    return [k.id for k in stored_definition(pilot.definition).start_klein.kpis]


@retrying
def measure(
    store: Store,
    pilot_id: str,
    kpi: str,
    value: float,
    *,
    date: dt.date | None = None,
    setting: str | None = None,
    note: str | None = None,
    by: str | None = None,
) -> MeasurementInput:
    """Record one value of one KPI (today, in the pilot's setting, unless told otherwise)."""
    actor, now = resolve_actor(by), clock.now()
    day = date or now.date()
    with transaction(store) as session:
        pilot = get_pilot(session, pilot_id, lock=True)
        problem = check_measurement(kpi, day, value, setting, _kpis(pilot))
        if problem:
            raise UsageError(f"{pilot_id}: {problem}")
        row = MeasurementInput(kpi, day, value, setting, note)
        store_rows(session, pilot, [row], source="cli", actor=actor, now=now)
    return row


@retrying
def measure_csv(
    store: Store, pilot_id: str, path: Path, *, by: str | None = None
) -> list[MeasurementInput]:
    """Record every row of a CSV file, or none of them."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    actor, now = resolve_actor(by), clock.now()
    with transaction(store) as session:
        pilot = get_pilot(session, pilot_id, lock=True)
        rows, problems = parse_csv(text, _kpis(pilot))
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise UsageError(
                f"{path}:{problems[0].removeprefix('line ')}{more}; nothing was stored",
                hint="fix the rows and run the command again",
            )
        store_rows(session, pilot, rows, source="csv", actor=actor, now=now)
    return rows
