"""Incidents in practice: recorded, reported to whom the law names, and closed; never deleted.

An incident is numbered per pilot (1, 2, ...). Its severity can be raised at any time; lowering
it (a serious incident that turned out not to be) needs a reason, so a severity never vanishes
silently from the gate it holds. The deadlines for reporting it follow from
``domain.incidents``; an open serious incident holds the bijsturen gate (``domain.gates``).
Incidents are recorded for ended pilots too: a pilot scaled to practice is where they happen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlmodel import Session, col, func, select

from genai_pilots import clock, i18n
from genai_pilots.domain.events import (
    IncidentClosed,
    IncidentNotified,
    IncidentOpened,
    IncidentUpdated,
)
from genai_pilots.domain.incidents import RECIPIENTS, date_problem
from genai_pilots.domain.text import is_blank
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _
from genai_pilots.readmodels import IncidentEntry
from genai_pilots.services.entries import incident_entry
from genai_pilots.services.events import append_event, pilot_to_change
from genai_pilots.services.governance import refuse_unless_decider
from genai_pilots.services.identity import (
    who_acts,
)
from genai_pilots.services.playbooks import governing_playbook
from genai_pilots.services.transactions import (
    Store,
    reading,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import IncidentNoticeRow, IncidentRow, PilotRow
from genai_pilots.store.queries import CHUNK, get_pilot

MAX_TEXT = 4000
SEVERITY = ("serious", "death", "widespread")


def _text(value: str, name: str) -> str:
    if is_blank(value):
        raise UsageError(
            _("{option} must say something").format(option=name),
            hint=_("{option} 'what happened'").format(option=name),
        )
    if len(value) > MAX_TEXT:
        raise UsageError(
            _("{option} is longer than {limit} characters").format(option=name, limit=MAX_TEXT),
            hint=_("keep it short"),
        )
    return value


def _dates(occurred: dt.date, aware: dt.date) -> None:
    problem = date_problem(occurred, aware, clock.today())
    if problem is not None:
        raise UsageError(_("incident dates: {problem}").format(problem=problem))


MAX_NUMBER = 2**31 - 1  # an incident number beyond this is none a register holds


def _incident(session: Session, pilot: PilotRow, number: int) -> IncidentRow:
    """The pilot's incident ``number`` (the pilot is locked); a usage error naming the range."""
    row = (
        None
        if not 1 <= number <= MAX_NUMBER
        else session.exec(
            select(IncidentRow).where(
                IncidentRow.pilot_id == pilot.id, IncidentRow.number == number
            )
        ).first()
    )
    if row is None:
        count = session.exec(
            select(func.count()).select_from(IncidentRow).where(IncidentRow.pilot_id == pilot.id)
        ).one()
        message = (
            _("{pilot} has no incident number {number} (it has 1 to {count})")
            if count
            else _("{pilot} has no incident number {number} (it has none)")
        )
        raise UsageError(
            message.format(pilot=pilot.id, number=number, count=count),
            hint=_("`pilots incident list {pilot}` shows the numbers").format(pilot=pilot.id),
        )
    return row


@retrying
def open_incident(  # noqa: PLR0913 - what an incident is
    store: Store,
    pilot_id: str,
    *,
    summary: str,
    occurred: dt.date,
    aware: dt.date | None = None,
    serious: bool = False,
    death: bool = False,
    widespread: bool = False,
    by: str | None = None,
) -> IncidentEntry:
    """Record an incident (aware: today unless told); the next number of the pilot's."""
    now = clock.now()
    summary = _text(summary, "--summary")
    aware = aware or now.date()
    _dates(occurred, aware)
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        last = session.exec(
            select(func.max(IncidentRow.number)).where(IncidentRow.pilot_id == pilot_id)
        ).one()
        number = (last or 0) + 1
        row = IncidentRow(
            pilot_id=pilot_id, number=number, summary=summary, occurred=occurred, aware=aware,
            serious=serious, death=death, widespread=widespread, opened_by=actor, opened_at=now,
        )  # fmt: skip
        session.add(row)
        event = IncidentOpened(number, summary, occurred, aware, serious, death, widespread)
        append_event(session, pilot, event, actor=actor, at=now)
        return incident_entry(row, [])


@retrying
def update_incident(
    store: Store,
    pilot_id: str,
    number: int,
    *,
    summary: str | None = None,
    severity: dict[str, bool] | None = None,
    reason: str | None = None,
    by: str | None = None,
) -> IncidentEntry:
    """Change an open incident's summary or severity; lowering a severity needs ``reason``.

    Lowering the severity of a serious incident may release the bijsturen gate: decided as
    closing it is (``close_incident``).
    """
    now = clock.now()
    playbook = governing_playbook(store)
    if summary is not None:
        summary = _text(summary, "--summary")
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        row = _incident(session, pilot, number)
        if row.closed_at is not None:
            raise CheckFailed(
                _(
                    "incident {number} of {pilot} is closed; a closed incident is not changed"
                ).format(number=number, pilot=pilot_id),
                hint=_(
                    "record what is new as another incident: pilots incident add {pilot}"
                ).format(pilot=pilot_id),
            )
        changes: dict[str, tuple[object, object]] = {}
        if summary is not None and summary != row.summary:
            changes["summary"] = (row.summary, summary)
        lowered = []
        for name, value in (severity or {}).items():
            if name in SEVERITY and getattr(row, name) != value:
                changes[name] = (getattr(row, name), value)
                if not value:
                    lowered.append(name)
        if not changes:
            raise UsageError(
                _("incident {number} of {pilot} already says that; nothing to change").format(
                    number=number, pilot=pilot_id
                ),
                hint=_("pass --summary, or a severity it does not have yet"),
            )
        if lowered and (reason is None or is_blank(reason)):
            raise UsageError(
                _(
                    "taking {severities} off incident {number} needs --reason: a severity is "
                    "never removed silently"
                ).format(severities=", ".join(lowered), number=number),
                hint=_("--reason 'why it turned out not to be'"),
            )
        if lowered and _serious(row):
            doing = _("take {severities} off incident {number}").format(
                severities=", ".join(lowered), number=number
            )
            refuse_unless_decider(pilot, playbook, acting, "bijsturen", doing)
        for name, (_old, new) in changes.items():
            setattr(row, name, new)
        session.add(row)
        event = IncidentUpdated(number, changes)
        append_event(session, pilot, event, actor=actor, at=now, reason=reason or None)
        return incident_entry(row, _notices(session, [pilot_id]))


@retrying
def notify_incident(
    store: Store,
    pilot_id: str,
    number: int,
    recipient: str,
    *,
    on: dt.date | None = None,
    note: str | None = None,
    by: str | None = None,
) -> IncidentEntry:
    """Record that the provider, the authority or IGJ was told of an incident, on a day."""
    now = clock.now()
    if recipient not in RECIPIENTS:
        raise UsageError(
            f"--to {recipient!r}",
            hint=_("use one of {recipients}").format(recipients=", ".join(RECIPIENTS)),
        )
    day = on or now.date()
    if day > now.date():
        raise UsageError(
            _("--on {day} is in the future; record a notification once it is made").format(
                day=i18n.day(day)
            )
        )
    if note is not None:
        note = None if is_blank(note) else _text(note, "--note")
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        row = _incident(session, pilot, number)
        if day < row.aware:  # told before anyone knew: a backdated notice that clears a deadline
            raise UsageError(
                _(
                    "--on {day} is before incident {number} became known ({aware}); a "
                    "notification is made after becoming aware: check the day"
                ).format(day=i18n.day(day), number=number, aware=i18n.day(row.aware))
            )
        at = now if day == now.date() else dt.datetime.combine(day, dt.time(), dt.UTC)
        session.add(IncidentNoticeRow(pilot_id=pilot_id, number=number, recipient=recipient,
                                      at=at, by=actor, note=note))  # fmt: skip
        append_event(
            session, pilot, IncidentNotified(number, recipient, day, note), actor=actor, at=now
        )
        session.flush()
        return incident_entry(row, _notices(session, [pilot_id]))


@retrying
def close_incident(
    store: Store, pilot_id: str, number: int, *, reason: str, by: str | None = None
) -> IncidentEntry:
    """Close an incident with a reason; a serious one no longer holds the bijsturen gate.

    Closing a serious incident releases the gate, so it is decided as scaling is: never by
    the pilot's owner, never on someone's behalf, and with the directory in use by someone
    holding a role that decides the bijsturen gate.
    """
    require_reason(reason)
    now = clock.now()
    playbook = governing_playbook(store)
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        row = _incident(session, pilot, number)
        if row.closed_at is not None:
            raise CheckFailed(
                _("incident {number} of {pilot} is already closed").format(
                    number=number, pilot=pilot_id
                )
            )
        if _serious(row):
            doing = _("close serious incident {number}").format(number=number)
            refuse_unless_decider(pilot, playbook, acting, "bijsturen", doing)
        row.closed_at, row.closed_by, row.close_reason = now, actor, reason
        session.add(row)
        append_event(session, pilot, IncidentClosed(number), actor=actor, at=now, reason=reason)
        return incident_entry(row, _notices(session, [pilot_id]))


def _serious(row: IncidentRow) -> bool:
    return bool(row.serious or row.death or row.widespread)


def _notices(session: Session, pilot_ids: Sequence[str]) -> list[IncidentNoticeRow]:
    found: list[IncidentNoticeRow] = []
    for start in range(0, len(pilot_ids), CHUNK):
        chunk = list(pilot_ids[start : start + CHUNK])
        statement = select(IncidentNoticeRow).where(col(IncidentNoticeRow.pilot_id).in_(chunk))
        found += session.exec(statement.order_by(col(IncidentNoticeRow.id))).all()
    return found


def incident_entries(session: Session, rows: Sequence[IncidentRow]) -> list[IncidentEntry]:
    """Incidents with their notifications and deadlines, by pilot and number."""
    notices = _notices(session, sorted({r.pilot_id for r in rows}))
    by_pilot: dict[str, list[IncidentNoticeRow]] = {}
    for notice in notices:
        by_pilot.setdefault(notice.pilot_id, []).append(notice)
    ordered = sorted(rows, key=lambda r: (r.pilot_id, r.number))
    return [incident_entry(r, by_pilot.get(r.pilot_id, [])) for r in ordered]


def incidents(
    store: Store, pilot_id: str | None = None, *, open_only: bool = False
) -> list[IncidentEntry]:
    """The incidents of one pilot or of all, open ones only when asked."""
    with reading(store) as session:
        statement = select(IncidentRow)
        if pilot_id is not None:
            get_pilot(session, pilot_id)
            statement = statement.where(IncidentRow.pilot_id == pilot_id)
        if open_only:
            statement = statement.where(col(IncidentRow.closed_at).is_(None))
        return incident_entries(session, session.exec(statement).all())
