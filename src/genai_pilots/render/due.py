"""``pilots due``: what is due as a table, plain text (for cron's mail), JSON and iCalendar.

The JSON shape is documented in the README (*Weekly routine*) and kept stable: an object with
``today``, ``within_days``, ``overdue`` and ``items``, each item with exactly the keys of
``_item_json``; of ``overdue_days``, ``in_days`` and ``waiting_days`` one is a number, the
others ``null``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.domain.ical import AllDayEvent, vcalendar
from genai_pilots.i18n import _, ngettext
from genai_pilots.render.markup import escape, json_text, plain, tagged

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.domain.due import DueItem
    from genai_pilots.readmodels import DueList
    from genai_pilots.render.fit import FittedTable


def when(item: DueItem) -> str:
    """How late or how soon: ``3 days late``, ``today``, ``in 5 days``, ``waiting 12 days``."""
    n = item.days
    if item.state == "overdue":
        return ngettext("{n} day late", "{n} days late", n).format(n=n)
    if item.state == "waiting":
        return ngettext("waiting {n} day", "waiting {n} days", n).format(n=n)
    return _("today") if n == 0 else ngettext("in {n} day", "in {n} days", n).format(n=n)


def summary_line(due: DueList) -> str:
    """How many are overdue, due, and waiting; or that nothing is."""
    upcoming = sum(1 for i in due.items if i.state == "upcoming")
    waiting = len(due.items) - due.overdue - upcoming
    if not due.items:
        return ngettext(
            "nothing overdue or due within {n} day", "nothing overdue or due within {n} days",
            due.within,
        ).format(n=due.within)  # fmt: skip
    return ngettext(
        "{overdue} overdue, {upcoming} due within {n} day, {waiting} waiting (as of {today})",
        "{overdue} overdue, {upcoming} due within {n} days, {waiting} waiting (as of {today})",
        due.within,
    ).format(
        overdue=due.overdue, upcoming=upcoming, n=due.within, waiting=waiting,
        today=i18n.day(due.today),
    )  # fmt: skip


def due_plain(due: DueList) -> list[str]:
    """Aligned plain text, one line per item: for pipes, files and the mail cron sends."""
    rows = [[_("when"), _("due"), _("pilot"), _("what"), _("detail")]]
    rows += [[when(i), i18n.week(i.due), i.pilot_id, plain(i.what), plain(i.detail)]
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
            Column(_("pilot"), 0, narrowest=longest),
            Column(_("what"), 1, narrowest=16),
            Column(_("when"), 2),
            Column(_("due"), 3),
            Column(_("detail"), 4, narrowest=16),
        ]
    )
    styles = {"overdue": "error", "upcoming": "warning", "waiting": "muted"}
    for i in due.items:
        table.add_row(
            f"[bold]{escape(i.pilot_id)}[/]", escape(i.what),
            tagged(styles[i.state], when(i), True), i18n.week(i.due), clamp(escape(i.detail), 3),
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
    A calendar file is read by programs: its words are English, whatever the language.
    """
    with i18n.machine():
        return _calendar(due, stamp)


def _calendar(due: DueList, stamp: dt.datetime) -> str:
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
