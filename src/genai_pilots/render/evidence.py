"""``pilots evidence list | verify``: evidence on record, and what a new check of it found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.domain.audit import utc
from genai_pilots.i18n import N_, _
from genai_pilots.render.markup import escape, json_text, when

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.readmodels import EvidenceCheck, EvidenceEntry
    from genai_pilots.render.fit import FittedTable


PROBLEMS = {
    "changed": N_("changed"),
    "missing": N_("missing"),
    "unreadable": N_("unreadable"),
    "expired": N_("expired"),
}


def standing(entry: EvidenceEntry) -> str:
    """In a word or two: withdrawn, expired, or until when it is valid."""
    if entry.withdrawn_at is not None:
        return _("withdrawn")
    if entry.valid_until is not None and entry.expired():
        return _("expired {day}").format(day=i18n.day(entry.valid_until))
    if entry.valid_until:
        return _("until {day}").format(day=i18n.week(entry.valid_until))
    return _("valid")


def evidence_table(entries: Sequence[EvidenceEntry], pilot_id: str) -> FittedTable | str:
    """Evidence by number: criterion, document or link, its standing, who added it and when.

    Columns, most important first: the number (never left out, never cut), the criterion, the
    document, its standing, the SHA-256 (its start), who and when; narrow, the document folds,
    then when, who and the hash are left out, in that order.
    """
    if not entries:
        return _(
            "No evidence recorded for {pilot}. "
            "Add some with `pilots evidence add {pilot} CRITERION FILE|URL`."
        ).format(pilot=pilot_id)
    from genai_pilots.render.fit import Column, FittedTable

    table = FittedTable(
        [
            Column("#", 0, justify="right"),
            Column(_("criterion"), 1, narrowest=12),
            Column(_("document"), 2, narrowest=20),
            Column(_("standing"), 3, narrowest=10),
            Column("sha256", 6, cut=True, narrowest=8, widest=12),
            Column(_("by"), 5, narrowest=10, widest=30),
            Column(_("added (UTC)"), 4),
        ],
        title=escape(_("evidence of {pilot}").format(pilot=pilot_id)),
    )
    for e in entries:
        table.add_row(
            str(e.number), escape(f"{e.criterion} ({e.stage})"), escape(e.location),
            escape(standing(e)), escape((e.sha256 or _("link"))[:12]), escape(e.added_by),
            when(e.added_at),
        )  # fmt: skip
    return table


def _entry(e: EvidenceEntry) -> dict[str, Any]:
    return {
        "number": e.number, "stage": e.stage, "criterion": e.criterion, "location": e.location,
        "name": e.name, "sha256": e.sha256, "size": e.size,
        "valid_until": e.valid_until.isoformat() if e.valid_until else None, "note": e.note,
        "added_by": e.added_by, "added_at": utc(e.added_at).isoformat(),
        "withdrawn_at": utc(e.withdrawn_at).isoformat() if e.withdrawn_at else None,
    }  # fmt: skip


def evidence_json(pilot_id: str, entries: Sequence[EvidenceEntry]) -> str:
    """A pilot's evidence for scripts."""
    return json_text({"pilot": pilot_id, "evidence": [_entry(e) for e in entries]})


def check_lines(checks: Sequence[EvidenceCheck]) -> list[str]:
    """One plain line per piece of evidence: ok or its problem, then a summary line."""
    ok = _("ok")
    lines = [
        f"{ok if c.problem is None else _(PROBLEMS.get(c.problem, c.problem))}: "
        f"{c.entry.pilot_id} #{c.entry.number} {c.entry.criterion} {c.entry.location}: {c.detail}"
        for c in checks
    ]
    problems = sum(c.problem is not None for c in checks)
    lines.append(
        _("{checked} pieces of evidence checked: {problems} with a problem").format(
            checked=len(checks), problems=problems
        )
        if problems
        else _("{checked} pieces of evidence checked: all unchanged and in force").format(
            checked=len(checks)
        )
    )
    return lines


def checks_json(checks: Sequence[EvidenceCheck]) -> str:
    """What ``evidence verify`` found, for scripts."""
    rows = [
        {"pilot": c.entry.pilot_id, **_entry(c.entry), "problem": c.problem, "detail": c.detail}
        for c in checks
    ]
    return json_text({"checked": len(rows), "problems": sum(c.problem is not None for c in checks),
                      "evidence": rows})  # fmt: skip
