"""``pilots training list``: a pilot's training ledger as a table and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Group

    from genai_pilots.readmodels import TrainingEntry, TrainingLedger


def standing(entry: TrainingEntry, today_text: str) -> str:
    """In a word or two: until when it counts, that it counts for good, or that it ran out."""
    if entry.current:
        return f"until {entry.valid_until}" if entry.valid_until else "for good"
    if entry.valid_until is not None and entry.valid_until.isoformat() < today_text:
        return f"expired {entry.valid_until}"
    return f"from {entry.date}"  # given after today: the clock was set back


def counted_line(ledger: TrainingLedger) -> str:
    """What the skills gate counts today, against the target and the definition's claim."""
    target = f" of {ledger.target} to train" if ledger.target is not None else ""
    claim = (
        f" (the definition claims {ledger.claimed})"
        if ledger.claimed is not None and ledger.claimed != ledger.people
        else ""
    )
    return (
        f"{ledger.pilot_id}: {ledger.people} people with a current training{target}{claim}, "
        f"as of {ledger.today}"
    )


def training_view(ledger: TrainingLedger) -> Group | str:
    """The ledger, by person: course, given, standing, setting; then what the gate counts.

    Columns, most important first: the person (never left out or cut), the course, its
    standing (until when it counts, or that it ran out), the day it was given, and the
    setting; narrow, the course folds, then setting and date are left out, in that order.
    """
    if not ledger.entries:
        return (
            f"No trainings recorded for {ledger.pilot_id}. Record them with `pilots training "
            f"import {ledger.pilot_id} FILE.csv` or `pilots training add {ledger.pilot_id} ...`."
        )
    from rich.console import Group

    from genai_pilots.render.fit import Column, FittedTable

    longest = max(len(e.person) for e in ledger.entries)
    table = FittedTable(
        [
            Column("person", 0, narrowest=min(longest, 30), widest=max(longest, 30)),
            Column("course", 1, narrowest=12),
            Column("standing", 2, narrowest=10),
            Column("given", 4),
            Column("setting", 3, narrowest=8),
        ],
        title=escape(f"training of {ledger.pilot_id}"),
    )
    today = ledger.today.isoformat()
    for e in ledger.entries:
        shown = standing(e, today)
        table.add_row(
            escape(e.person), escape(e.course),
            escape(shown) if e.current else f"[warning]{escape(shown)}[/]",
            e.date.isoformat(), escape(e.setting),
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
