"""``pilots training list``: a pilot's training ledger as a table and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Group

    from genai_pilots.readmodels import TrainingEntry, TrainingLedger


def standing(entry: TrainingEntry, today_text: str) -> str:
    """In a word or two: until when it counts, that it counts for good, or that it ran out."""
    if entry.current:
        if entry.valid_until:
            return _("until {day}").format(day=i18n.week(entry.valid_until))
        return _("for good")
    if entry.valid_until is not None and entry.valid_until.isoformat() < today_text:
        return _("expired {day}").format(day=i18n.day(entry.valid_until))
    # given after today: the clock was set back
    return _("from {day}").format(day=i18n.day(entry.date))


def counted_line(ledger: TrainingLedger) -> str:
    """What the skills gate counts today, against the target and the definition's claim."""
    target = (
        _(" of {target} to train").format(target=ledger.target) if ledger.target is not None else ""
    )
    claim = (
        _(" (the definition claims {claim})").format(claim=ledger.claimed)
        if ledger.claimed is not None and ledger.claimed != ledger.people
        else ""
    )
    return _(
        "{pilot}: {people} people with a current training{target}{claim}, as of {today}"
    ).format(
        pilot=ledger.pilot_id,
        people=ledger.people,
        target=target,
        claim=claim,
        today=i18n.day(ledger.today),
    )


def training_view(ledger: TrainingLedger) -> Group | str:
    """The ledger, by person: course, given, standing, setting; then what the gate counts.

    Columns, most important first: the person (never left out or cut), the course, its
    standing (until when it counts, or that it ran out), the day it was given, and the
    setting; narrow, the course folds, then setting and date are left out, in that order.
    """
    if not ledger.entries:
        return _(
            "No trainings recorded for {pilot}. Record them with `pilots training import "
            "{pilot} FILE.csv` or `pilots training add {pilot} ...`."
        ).format(pilot=ledger.pilot_id)
    from rich.console import Group

    from genai_pilots.render.fit import Column, FittedTable

    longest = max(len(e.person) for e in ledger.entries)
    table = FittedTable(
        [
            Column(_("person"), 0, narrowest=min(longest, 30), widest=max(longest, 30)),
            Column(_("course"), 1, narrowest=12),
            Column(_("standing"), 2, narrowest=10),
            Column(_("given"), 4),
            Column(_("setting"), 3, narrowest=8),
        ],
        title=escape(_("training of {pilot}").format(pilot=ledger.pilot_id)),
    )
    today = ledger.today.isoformat()
    for e in ledger.entries:
        shown = standing(e, today)
        table.add_row(
            escape(e.person), escape(e.course),
            escape(shown) if e.current else f"[warning]{escape(shown)}[/]",
            i18n.day(e.date), escape(e.setting),
        )  # fmt: skip
    return Group(table, escape(counted_line(ledger)))


def _entry(e: TrainingEntry) -> dict[str, Any]:
    return {
        "person": e.person, "course": e.course, "date": e.date.isoformat(),
        "valid_until": e.valid_until.isoformat() if e.valid_until else None,
        "setting": e.setting, "current": e.current,
    }  # fmt: skip


def training_json(ledger: TrainingLedger) -> str:
    """A pilot's ledger for scripts: every training, and what the gate counts today."""
    return json_text(
        {
            "pilot": ledger.pilot_id,
            "today": ledger.today.isoformat(),
            "people": ledger.people,
            "target_users": ledger.target,
            "claimed_trained_users": ledger.claimed,
            "trainings": [_entry(e) for e in ledger.entries],
        }
    )
