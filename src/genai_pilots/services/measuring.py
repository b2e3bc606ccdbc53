"""Recording measurements: typed on the CLI, from a CSV file, or carried in a definition.

A file is all or nothing: one bad row and nothing of it is stored. Every batch is one event
whose payload holds the rows, so the history explains the measurements table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.csvfile import named_delimiter
from genai_pilots.domain.events import Measured, Retracted
from genai_pilots.domain.measurements import Measurement, check_measurement, parse_csv
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _, day, number
from genai_pilots.readmodels import MeasurementEntry
from genai_pilots.services.entries import measurement_entry
from genai_pilots.services.events import append_event, pilot_to_change
from genai_pilots.services.files import read_input, refused_rows
from genai_pilots.services.identity import who_acts
from genai_pilots.services.transactions import (
    Store,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import MeasurementRow, PilotRow


def measurement_record(
    pilot_id: str, setting: str, row: Measurement, *, source: str, actor: str, now: dt.datetime
) -> dict[str, Any]:
    """The column values of one stored measurement."""
    return {
        "pilot_id": pilot_id, "kpi": row.kpi, "date": row.date, "value": row.value,
        "setting": row.setting or setting, "note": row.note, "recorded_at": now,
        "actor": actor, "source": source,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a batch of measurements did: the rows stored, and identical ones skipped."""

    stored: list[Measurement]
    skipped: list[Measurement]
    read_as: str | None = None  # how a file was read: "cp1252, ';'-separated, decimal commas"


def _known(session: Session, pilot: PilotRow, but_source: str | None) -> set[Any]:
    """The keys of the pilot's measurements in force (retracted ones aside)."""
    table = MeasurementRow.__table__  # type: ignore[attr-defined]
    statement = sa_select(table.c.kpi, table.c.date, table.c.value, table.c.setting).where(
        table.c.pilot_id == pilot.id, table.c.retracted_at.is_(None)
    )
    if but_source is not None:
        statement = statement.where(table.c.source != but_source)
    session.flush()
    rows = session.connection().execute(statement)
    return {(kpi, day, value, setting or pilot.setting) for kpi, day, value, setting in rows}


def store_rows(
    session: Session,
    pilot: PilotRow,
    rows: Sequence[Measurement],
    *,
    source: str,
    actor: str,
    now: dt.datetime,
    replace: bool = False,
    prev: tuple[int, str] | None = None,
) -> Recorded:
    """Add rows (or, with ``replace``, replace those from ``source``) and record one event.

    A row identical to one in force (KPI, day, setting and value), or to an earlier row of the
    same batch, is skipped: the same file imported twice counts once.
    """
    if replace:
        session.execute(
            delete(MeasurementRow).where(
                col(MeasurementRow.pilot_id) == pilot.id, col(MeasurementRow.source) == source
            )
        )
    seen = _known(session, pilot, source if replace else None)
    stored: list[Measurement] = []
    skipped: list[Measurement] = []
    for r in rows:
        key = r.key(pilot.setting)
        if key in seen:
            skipped.append(r)
            continue
        seen.add(key)
        stored.append(r)
        record = measurement_record(pilot.id, pilot.setting, r, source=source, actor=actor, now=now)
        session.add(MeasurementRow(**record))
    if not stored and not replace:
        return Recorded(stored, skipped)
    batch = Measured(source, stored, pilot.setting, len(skipped), replaced=replace)
    append_event(session, pilot, batch, actor=actor, at=now, prev=prev)
    return Recorded(stored, skipped)


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
) -> Recorded:
    """Record one value of one KPI (today, in the pilot's setting, unless told otherwise)."""
    now = clock.now()
    day = date or now.date()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        problem = check_measurement(kpi, day, value, setting, _kpis(pilot), now.date())
        if problem:
            raise UsageError(f"{pilot_id}: {problem}")
        row = Measurement(kpi, day, value, setting, note)
        return store_rows(session, pilot, [row], source="cli", actor=actor, now=now)


@retrying
def measure_csv(  # noqa: PLR0913 - a file or its bytes, and how to read them
    store: Store,
    pilot_id: str,
    path: Path,
    *,
    by: str | None = None,
    delimiter: str | None = None,
    data: bytes | None = None,
) -> Recorded:
    """Record every row of a CSV file, or none of them (identical rows are skipped).

    The file is read as a spreadsheet saved it (``measurements.parse_csv``: UTF-8 or cp1252,
    ``;``, ``,`` or tab, decimal commas, Dutch dates); ``delimiter`` (``;``, ``,``, ``tab``)
    overrides the one found. ``Recorded.read_as`` says how the file was read. ``data`` is the
    file's content where it came through a stream (``path`` then only names it).
    """
    chosen = None
    if delimiter is not None:
        try:
            chosen = named_delimiter(delimiter)
        except ValueError as exc:
            raise UsageError(
                str(exc), hint=_("--delimiter ';' (Dutch Excel), ',' or tab")
            ) from None
    if data is None:
        data = read_input(
            path, what=_("CSV file"), hint=_("pass a CSV file with columns kpi,date,value")
        )
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        parsed = parse_csv(data, _kpis(pilot), now.date(), chosen)
        if parsed.problems:
            raise refused_rows(path, parsed.problems)
        recorded = store_rows(session, pilot, parsed.rows, source="csv", actor=actor, now=now)
        return replace(recorded, read_as=parsed.read_as)


@retrying
def retract(
    store: Store,
    pilot_id: str,
    kpi: str,
    date: dt.date,
    *,
    reason: str,
    setting: str | None = None,
    value: float | None = None,
    by: str | None = None,
) -> MeasurementEntry:
    """Take back a wrong measurement: it stays stored, marked, and no longer counts."""
    require_reason(reason)
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        statement = select(MeasurementRow).where(
            col(MeasurementRow.pilot_id) == pilot_id,
            col(MeasurementRow.kpi) == kpi,
            col(MeasurementRow.date) == date,
            col(MeasurementRow.retracted_at).is_(None),
        )
        found = [
            m
            for m in session.exec(statement)
            if (setting is None or (m.setting or pilot.setting) == setting)
            and (value is None or m.value == value)
        ]
        if not found:
            raise CheckFailed(
                _("{pilot} has no {kpi} measurement in force on {date}").format(
                    pilot=pilot_id, kpi=kpi, date=day(date)
                )
            )
        if len(found) > 1:
            values = ", ".join(
                f"{number(m.value, 'g')} ({m.setting or pilot.setting})" for m in found
            )
            raise UsageError(
                _("{pilot} has {count} {kpi} measurements on {date}: {values}").format(
                    pilot=pilot_id, count=len(found), kpi=kpi, date=day(date), values=values
                ),
                hint=_("say which with --value (and --setting)"),
            )
        row = found[0]
        if row.source == "yaml":
            raise CheckFailed(
                _("that {kpi} value comes from the definition file of {pilot}").format(
                    kpi=kpi, pilot=pilot_id
                ),
                hint=_("remove or correct it in bijsturen.measurements and import the file"),
            )
        row.retracted_at = now
        session.add(row)
        taken_back = Retracted(kpi, date, row.value, row.setting or pilot.setting, row.source)
        append_event(session, pilot, taken_back, actor=actor, at=now, reason=reason)
    return measurement_entry(row)
