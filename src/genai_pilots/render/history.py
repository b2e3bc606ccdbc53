"""``pilots history``: a pilot's events as a table and as JSON."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.domain.audit import utc
from genai_pilots.domain.events import EVIDENCE, INCIDENTS, MOVES, TRAINING, EventKind
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape, json_text, when

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.readmodels import HistoryEvent
    from genai_pilots.render.fit import FittedTable


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: Any) -> Any:
    """A day a payload holds (``2026-11-30``) as people read it; anything else as it is."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return i18n.day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _number(value: Any) -> Any:
    """A score a payload holds (``0.908``) as people read it (``0,908``); anything else as is."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return i18n.number(value)
    return value


def _event_text(event: HistoryEvent) -> str:
    payload = event.payload
    kind = event.kind
    if kind == EventKind.DEFINITION_CHANGED:
        changes = payload.get("changes", [])
        shown = "; ".join(f"{c['field']}: {c['old']!s} → {c['new']!s}" for c in changes[:3]) + (
            _("; +{count} more").format(count=len(changes) - 3) if len(changes) > 3 else ""
        )
        return _("definition changed ({source}): {changes}").format(
            source=escape(str(payload.get("source", ""))), changes=escape(shown)
        )
    if kind in MOVES:
        to = payload.get("to") or payload.get("outcome")
        text = (
            f"{payload.get('from')} → {to}"
            if to
            else _("gate out of {stage}").format(stage=payload.get("from"))
        )
        if kind == EventKind.OVERRIDE:
            text += _(" [error]OVERRIDE[/] of {failing}").format(
                failing=escape(", ".join(payload.get("failing", [])))
            )
        return text
    if kind == EventKind.REVOKED:
        return escape(
            _("{role} for {stage} (given by {by})").format(
                role=payload.get("role"), stage=payload.get("stage"), by=payload["by"]
            )
        )
    if kind == EventKind.APPROVED:
        return escape(
            _("{role} for {stage}").format(role=payload.get("role"), stage=payload.get("stage"))
        )
    if kind == EventKind.WAIVED:
        return escape(
            _("{criterion} of {stage} until {until}").format(
                criterion=payload.get("criterion"),
                stage=payload.get("stage"),
                until=_day(payload.get("until")),
            )
        )
    if kind == EventKind.APPROVALS_SUPERSEDED:
        who = ", ".join(f"{role} ({by})" for role, by in payload.get("superseded_approvals", []))
        return _("[error]approvals superseded[/]: {details}").format(
            details=escape(
                _("{who} at {stage}, as {fields} changed").format(
                    who=who, stage=payload.get("stage"), fields=", ".join(payload.get("fields", []))
                )
            )
        )
    if kind == EventKind.GOVERNANCE_REVIEW_NEEDED:
        return _("[error]governance re-opened[/]: {fields}").format(
            fields=escape(", ".join(payload.get("fields", [])))
        )
    if kind in EVIDENCE | INCIDENTS:
        return escape(_post_market_text(kind, payload))
    if kind in TRAINING:
        return escape(_training_text(kind, payload))
    if kind == EventKind.SYNTHETIC_EVALUATED:
        rows = payload.get("rows") or [0, 0]
        near = (
            _("{count} near copies, ").format(count=payload["near_copies"])
            if payload.get("near_copies") is not None
            else ""
        )
        return escape(
            _(
                "{dataset}: quality {quality}, privacy {privacy}, {exact} exact copies, {near}"
                "{identifiers} identifiers ({synthetic} synthetic rows against {real} real)"
            ).format(
                dataset=payload.get("dataset"),
                quality=_number(payload.get("quality")),
                privacy=_number(payload.get("privacy")),
                exact=payload.get("exact_copies"),
                near=near,
                identifiers=sum((payload.get("identifiers") or {}).values()),
                synthetic=rows[1],
                real=rows[0],
            )
            + (_(", another real file than before") if payload.get("real_changed") else "")
        )
    if kind == EventKind.SYNTHETIC_STALE:
        from genai_pilots.domain.synthetic import file_problem

        files = ", ".join(file_problem(k, v) for k, v in (payload.get("files") or {}).items())
        return escape(
            _("{dataset}: evaluation stale ({files})").format(
                dataset=payload.get("dataset"), files=files
            )
        )
    if kind == EventKind.IMPORTED:
        text = (
            _("create from {source} at {stage}")
            if payload.get("action") == "create"
            else _("{action} from {source} at {stage}")
        )
        return escape(
            text.format(
                action=payload.get("action"),
                source=payload.get("source"),
                stage=payload.get("stage"),
            )
        )
    if kind == EventKind.GOVERNANCE_REVIEW_COMPLETED and payload.get("gate"):
        return escape(_("gate={gate}").format(gate=payload["gate"]))
    reviewed = payload.get("cadence") and payload.get("iteration") is not None
    if kind == EventKind.STEERING_REVIEWED and reviewed:
        from genai_pilots.domain.due import cadence_name

        return escape(
            _("cadence={cadence}, iteration={iteration}").format(
                cadence=cadence_name(payload["cadence"]), iteration=payload.get("iteration")
            )
        )
    details = ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, "", []))
    return escape(details)


def _post_market_text(kind: str, p: dict[str, Any]) -> str:
    """Evidence and incident events in words (plain text: the caller escapes it)."""
    number = f"#{p.get('number')}"
    if kind == EventKind.EVIDENCE_ADDED:
        until = (
            _(", valid until {day}").format(day=_day(p["valid_until"]))
            if p.get("valid_until")
            else ""
        )
        return _("{number} for {criterion} ({stage}): {name}{until}").format(
            number=number, criterion=p.get("criterion"), stage=p.get("stage"), name=p.get("name"),
            until=until,
        )  # fmt: skip
    if kind == EventKind.EVIDENCE_WITHDRAWN:
        return _("{number} for {criterion} withdrawn: {name}").format(
            number=number, criterion=p.get("criterion"), name=p.get("name")
        )
    if kind == EventKind.INCIDENT_OPENED:
        from genai_pilots.readmodels import severity_words

        severity = severity_words(*(bool(p.get(f)) for f in ("serious", "death", "widespread")))
        return _("{number} ({severity}): {summary}; occurred {occurred}, aware {aware}").format(
            number=number, severity=severity, summary=p.get("summary"),
            occurred=_day(p.get("occurred")), aware=_day(p.get("aware")),
        )  # fmt: skip
    if kind == EventKind.INCIDENT_UPDATED:
        changes = p.get("changes", {})
        return f"{number}: " + "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in changes.items())
    if kind == EventKind.INCIDENT_NOTIFIED:
        return _("{number} reported to {recipient} on {day}").format(
            number=number, recipient=p.get("recipient"), day=_day(p.get("on"))
        ) + (f" ({p['note']})" if p.get("note") else "")
    return _("{number} closed").format(number=number)


def _training_text(kind: str, p: dict[str, Any]) -> str:
    """Ledger events in words: counts and courses, as the payload holds them (never a person)."""
    courses = p.get("courses") or {}
    per_course = "; ".join(f"{course} ({n})" for course, n in courses.items())
    rows = (
        _("1 training")
        if p.get("rows") == 1
        else _("{count} trainings").format(count=p.get("rows"))
    )
    if kind == EventKind.TRAINING_ERASED:
        return _("{trainings} erased: {courses}").format(trainings=rows, courses=per_course)
    people = (
        _("1 person") if p.get("people") == 1 else _("{count} people").format(count=p.get("people"))
    )
    skipped = _(", {count} already recorded").format(count=p["skipped"]) if p.get("skipped") else ""
    given = (
        _day(p.get("first"))
        if p.get("first") == p.get("last")
        else _("{first} to {last}").format(first=_day(p.get("first")), last=_day(p.get("last")))
    )
    return _("{trainings} of {people} from {source}, given {given}{skipped}: {courses}").format(
        trainings=rows, people=people, source=p.get("source"), given=given, skipped=skipped,
        courses=per_course,
    )  # fmt: skip


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
            Column(_("when (UTC)"), 3),
            Column(_("who"), 4, narrowest=10, widest=30),
            Column(_("event"), 1),
            Column(_("details"), 2, narrowest=20, yields=9),
            Column(_("reason"), 5, narrowest=16, yields=8),
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
