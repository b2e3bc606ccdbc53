"""``pilots incident list``: incidents, and for each open one the notifications the law asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_pilots import clock, i18n
from genai_pilots.domain.audit import utc
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape, json_text, tagged

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.domain.incidents import Deadline
    from genai_pilots.readmodels import IncidentEntry
    from genai_pilots.render.fit import FittedTable


def deadline_state(deadline: Deadline, today: dt.date) -> str:
    """Notified (on time or late), overdue, or open until its day."""
    if deadline.notified is not None:
        notified = _("notified {day}").format(day=i18n.day(deadline.notified))
        return notified + (_(" (late)") if deadline.late() else "")
    if deadline.overdue(today):
        return _("OVERDUE")
    return _("open")


def deadline_lines(
    entry: IncidentEntry, *, markup: bool, today: dt.date | None = None
) -> list[str]:
    """One line per notification the law asks: to whom, by when, on what basis, and its state."""
    day = today or clock.today()
    lines = []
    for d in entry.deadlines:
        state = deadline_state(d, day)
        late = d.late() if d.notified is not None else d.overdue(day)
        shown = tagged("error", state, markup) if late else state
        lines.append(
            _("{recipient} by {due}: {state} ({basis})").format(
                recipient=d.recipient, due=i18n.week(d.due), state=shown, basis=d.basis
            )
        )
    return lines


def status_of(entry: IncidentEntry) -> str:
    """open, or closed on a day."""
    if entry.closed_at is None:
        return _("open")
    return _("closed {day}").format(day=i18n.day(utc(entry.closed_at).date()))


def incidents_table(entries: Sequence[IncidentEntry], title: str) -> FittedTable | str:
    """Incidents by pilot and number: status, severity, dates, summary and, if open, deadlines.

    Columns, most important first: the pilot and number (never left out, never cut), status,
    severity, the deadlines, the summary, and when it occurred and became known; narrow, the
    summary and deadlines fold, then the dates are left out.
    """
    if not entries:
        return _("No incidents recorded.")
    from genai_pilots.render.fit import Column, FittedTable

    table = FittedTable(
        [
            Column(_("incident"), 0),
            Column(_("status"), 1, narrowest=6),
            Column(_("severity"), 2, narrowest=8),
            Column(_("notify (due: state)"), 3, narrowest=20),
            Column(_("summary"), 4, narrowest=16),
            Column(_("occurred / aware"), 5),
        ],
        title=escape(title),
    )
    for e in entries:
        due = deadline_lines(e, markup=True) if e.closed_at is None else []
        table.add_row(
            escape(f"{e.pilot_id} #{e.number}"), escape(status_of(e)), escape(e.severity),
            "\n".join(due) or "-", escape(e.summary),
            f"{i18n.day(e.occurred)} / {i18n.day(e.aware)}",
        )  # fmt: skip
    return table


def incident_data(e: IncidentEntry) -> dict[str, Any]:
    """One incident as JSON data, with its notices and deadlines."""
    today = clock.today()
    return {
        "pilot": e.pilot_id, "number": e.number, "summary": e.summary,
        "occurred": e.occurred.isoformat(), "aware": e.aware.isoformat(),
        "serious": e.serious, "death": e.death, "widespread": e.widespread,
        "open": e.closed_at is None, "opened_by": e.opened_by,
        "opened_at": utc(e.opened_at).isoformat(),
        "closed_at": utc(e.closed_at).isoformat() if e.closed_at else None,
        "closed_by": e.closed_by, "close_reason": e.close_reason,
        "notices": [{"to": n.recipient, "on": n.on.isoformat(), "by": n.by, "note": n.note}
                    for n in e.notices],
        "deadlines": [{"to": d.recipient, "due": d.due.isoformat(), "basis": d.basis,
                       "notified": d.notified.isoformat() if d.notified else None,
                       "overdue": d.overdue(today), "late": d.late()}
                      for d in e.deadlines],
    }  # fmt: skip


def incidents_json(entries: Sequence[IncidentEntry]) -> str:
    """Incidents for scripts."""
    return json_text({"incidents": [incident_data(e) for e in entries]})
