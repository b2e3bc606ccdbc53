"""``pilots history``: a pilot's events as a table and as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_pilots.domain.audit import utc
from genai_pilots.domain.events import EVIDENCE, INCIDENTS, MOVES, TRAINING, EventKind
from genai_pilots.render.markup import escape, json_text, when

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.readmodels import HistoryEvent
    from genai_pilots.render.fit import FittedTable


def _event_text(event: HistoryEvent) -> str:
    payload = event.payload
    kind = event.kind
    if kind == EventKind.DEFINITION_CHANGED:
        changes = payload.get("changes", [])
        shown = "; ".join(f"{c['field']}: {c['old']!s} → {c['new']!s}" for c in changes[:3]) + (
            f"; +{len(changes) - 3} more" if len(changes) > 3 else ""
        )
        return f"definition changed ({escape(str(payload.get('source', '')))}): {escape(shown)}"
    if kind in MOVES:
        to = payload.get("to") or payload.get("outcome")
        text = f"{payload.get('from')} → {to}" if to else f"gate out of {payload.get('from')}"
        if kind == EventKind.OVERRIDE:
            text += f" [error]OVERRIDE[/] of {escape(', '.join(payload.get('failing', [])))}"
        return text
    if kind in {EventKind.APPROVED, EventKind.REVOKED}:
        who = f" (given by {payload['by']})" if kind == EventKind.REVOKED else ""
        return escape(f"{payload.get('role')} for {payload.get('stage')}{who}")
    if kind == EventKind.WAIVED:
        return escape(
            f"{payload.get('criterion')} of {payload.get('stage')} until {payload.get('until')}"
        )
    if kind == EventKind.APPROVALS_SUPERSEDED:
        who = ", ".join(f"{role} ({by})" for role, by in payload.get("superseded_approvals", []))
        return "[error]approvals superseded[/]: " + escape(
            f"{who} at {payload.get('stage')}, as "
            + ", ".join(payload.get("fields", []))
            + " changed"
        )
    if kind == EventKind.GOVERNANCE_REVIEW_NEEDED:
        return "[error]governance re-opened[/]: " + escape(", ".join(payload.get("fields", [])))
    if kind in EVIDENCE | INCIDENTS:
        return escape(_post_market_text(kind, payload))
    if kind in TRAINING:
        return escape(_training_text(kind, payload))
    if kind == EventKind.SYNTHETIC_EVALUATED:
        rows = payload.get("rows") or [0, 0]
        near = (
            f"{payload['near_copies']} near copies, "
            if payload.get("near_copies") is not None
            else ""
        )
        return escape(
            f"{payload.get('dataset')}: quality {payload.get('quality')}, privacy "
            f"{payload.get('privacy')}, {payload.get('exact_copies')} exact copies, {near}"
            f"{sum((payload.get('identifiers') or {}).values())} identifiers "
            f"({rows[1]} synthetic rows against {rows[0]} real)"
            + (", another real file than before" if payload.get("real_changed") else "")
        )
    if kind == EventKind.SYNTHETIC_STALE:
        files = ", ".join(f"{k} {v}" for k, v in (payload.get("files") or {}).items())
        return escape(f"{payload.get('dataset')}: evaluation stale ({files})")
    if kind == EventKind.IMPORTED:
        return escape(
            f"{payload.get('action')} from {payload.get('source')} at {payload.get('stage')}"
        )
    details = ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, "", []))
    return escape(details)


def _post_market_text(kind: str, p: dict[str, Any]) -> str:
    """Evidence and incident events in words (plain text: the caller escapes it)."""
    number = f"#{p.get('number')}"
    if kind == EventKind.EVIDENCE_ADDED:
        until = f", valid until {p['valid_until']}" if p.get("valid_until") else ""
        return f"{number} for {p.get('criterion')} ({p.get('stage')}): {p.get('name')}{until}"
    if kind == EventKind.EVIDENCE_WITHDRAWN:
        return f"{number} for {p.get('criterion')} withdrawn: {p.get('name')}"
    if kind == EventKind.INCIDENT_OPENED:
        flags = [f for f in ("serious", "death", "widespread") if p.get(f)]
        severity = ", ".join(flags) or "not serious"
        return (
            f"{number} ({severity}): {p.get('summary')}; occurred {p.get('occurred')}, "
            f"aware {p.get('aware')}"
        )
    if kind == EventKind.INCIDENT_UPDATED:
        changes = p.get("changes", {})
        return f"{number}: " + "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in changes.items())
    if kind == EventKind.INCIDENT_NOTIFIED:
        return f"{number} reported to {p.get('recipient')} on {p.get('on')}" + (
            f" ({p['note']})" if p.get("note") else ""
        )
    return f"{number} closed"


def _training_text(kind: str, p: dict[str, Any]) -> str:
    """Ledger events in words: counts and courses, as the payload holds them (never a person)."""
    courses = p.get("courses") or {}
    per_course = "; ".join(f"{course} ({n})" for course, n in courses.items())
    rows = "1 training" if p.get("rows") == 1 else f"{p.get('rows')} trainings"
    if kind == EventKind.TRAINING_ERASED:
        return f"{rows} erased: {per_course}"
    people = "1 person" if p.get("people") == 1 else f"{p.get('people')} people"
    skipped = f", {p['skipped']} already recorded" if p.get("skipped") else ""
    given = (
        p.get("first")
        if p.get("first") == p.get("last")
        else f"{p.get('first')} to {p.get('last')}"
    )
    return f"{rows} of {people} from {p.get('source')}, given {given}{skipped}: {per_course}"


def history_table(events: Sequence[HistoryEvent], title: str | None = None) -> FittedTable:
    """Events, oldest first: when, who, what, why; fitted to the terminal.

    Columns, most important first: the event's number and its kind (never left out, never
    cut), the details, when, who and why. Narrow, details, why and who fold over lines first;
    then why, who, when and details are left out, in that order, and the table says so.
    """
    from genai_pilots.render.fit import Column, FittedTable

    table = FittedTable(
        [
            Column("#", 0, justify="right"),
            Column("when (UTC)", 3),
            Column("who", 4, narrowest=10, widest=30),
            Column("event", 1),
            Column("details", 2, narrowest=20, yields=9),
            Column("reason", 5, narrowest=16, yields=8),
        ],
        title=escape(title) if title else None,
    )
    for e in events:
        table.add_row(
            str(e.seq), when(e.at), escape(e.actor), escape(e.kind), _event_text(e),
            escape(e.reason or ""),
        )  # fmt: skip
    return table


def history_json(pilot_id: str, events: Sequence[HistoryEvent]) -> str:
    """A pilot's history for scripts, hashes included."""
    rows: list[dict[str, Any]] = [
        {"seq": e.seq, "at": utc(e.at).isoformat(), "actor": e.actor, "kind": e.kind,
         "payload": e.payload, "reason": e.reason, "hash": e.hash}
        for e in events
    ]  # fmt: skip
    return json_text({"pilot": pilot_id, "events": rows})
