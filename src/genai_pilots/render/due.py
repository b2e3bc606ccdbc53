"""``pilots due``: what is due as a table, plain text (for cron's mail), JSON and iCalendar.

The JSON shape is documented in the README (*Weekly routine*) and kept stable: an object with
``today``, ``within_days``, ``overdue`` and ``items``, each item with exactly the keys of
``_item_json``; of ``overdue_days``, ``in_days`` and ``waiting_days`` one is a number, the
others ``null``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from genai_pilots.domain.ical import AllDayEvent, vcalendar
from genai_pilots.render.markup import escape, json_text, plain, tagged

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.domain.due import DueItem
    from genai_pilots.readmodels import DueList
    from genai_pilots.render.fit import FittedTable


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def when(item: DueItem) -> str:
    """How late or how soon: ``3 days late``, ``today``, ``in 5 days``, ``waiting 12 days``."""
    if item.state == "overdue":
        return f"{_days(item.days)} late"
    if item.state == "waiting":
        return f"waiting {_days(item.days)}"
    return "today" if item.days == 0 else f"in {_days(item.days)}"


def summary_line(due: DueList) -> str:
    """How many are overdue, due, and waiting; or that nothing is."""
    upcoming = sum(1 for i in due.items if i.state == "upcoming")
    waiting = len(due.items) - due.overdue - upcoming
    if not due.items:
        return f"nothing overdue or due within {_days(due.within)}"
    return (
        f"{due.overdue} overdue, {upcoming} due within {_days(due.within)}, {waiting} waiting "
        f"(as of {due.today})"
    )


def due_plain(due: DueList) -> list[str]:
    """Aligned plain text, one line per item: for pipes, files and the mail cron sends."""
    rows = [["when", "due", "pilot", "what", "detail"]]
    rows += [[when(i), i.due.isoformat(), i.pilot_id, plain(i.what), plain(i.detail)]
             for i in due.items]  # fmt: skip
    widths = [max(len(row[c]) for row in rows) for c in range(4)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[4]])
             .rstrip() for row in rows]  # fmt: skip
    return [*(lines if due.items else []), summary_line(due)]


def due_table(due: DueList) -> FittedTable:
    """One row per item, overdue ones in red, fitted to the terminal.

    Columns, most important first: the pilot (never left out or cut), what is due, when
    (how late or how soon), the due date, and the detail; when narrow, the detail folds and is
    left out first, then the date.
    """
    from genai_pilots.render.fit import Column, FittedTable, clamp

    longest = max((len(i.pilot_id) for i in due.items), default=5)
    table = FittedTable(
        [
            Column("pilot", 0, narrowest=longest),
            Column("what", 1, narrowest=16),
            Column("when", 2),
            Column("due", 3),
            Column("detail", 4, narrowest=16),
        ]
    )
    styles = {"overdue": "error", "upcoming": "warning", "waiting": "muted"}
    for i in due.items:
        table.add_row(
            f"[bold]{escape(i.pilot_id)}[/]", escape(i.what),
            tagged(styles[i.state], when(i), True), i.due.isoformat(), clamp(escape(i.detail), 3),
        )  # fmt: skip
    return table


def _item_json(item: DueItem) -> dict[str, Any]:
    return {
        "pilot_id": item.pilot_id,
        "kind": item.kind,
        "key": item.key,
        "what": item.what,
        "due": item.due.isoformat(),
        "state": item.state,
        "overdue_days": item.days if item.state == "overdue" else None,
        "in_days": item.days if item.state == "upcoming" else None,
        "waiting_days": item.days if item.state == "waiting" else None,
        "detail": item.detail,
    }


def due_json(due: DueList) -> str:
    """The list for scripts, in the shape the README documents."""
    return json_text(
        {
            "today": due.today.isoformat(),
            "within_days": due.within,
            "overdue": due.overdue,
            "items": [_item_json(i) for i in due.items],
        }
    )


def due_ical(due: DueList, stamp: dt.datetime) -> str:
    """An RFC 5545 calendar: one all-day event per item, on the day it is due.

    What waits without a deadline (an approval, a governance review) is put on today, so a
    subscribed calendar shows it until it is done; each item keeps its UID from week to week.
    """
    events = [
        AllDayEvent(
            i.uid,
            due.today if i.state == "waiting" else i.due,
            f"{i.pilot_id}: {i.what}" + (f" ({when(i)})" if i.state != "upcoming" else ""),
            f"{i.detail}\n{when(i)}; due {i.due.isoformat()}",
        )
        for i in due.items
    ]
    return vcalendar(events, stamp=stamp, name="genai-pilots: what is due")
