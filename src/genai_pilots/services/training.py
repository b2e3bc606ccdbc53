"""The training ledger: trainings recorded one by one or from a CSV export, listed, erased.

Trainings come one by one or from a learning system's CSV export; they are erased per person.

Who may do what:

- *Record* (``add``, ``import``): whoever may change the pilot, as for measurements and
  evidence (``who_acts``; with the directory in use, the login's person), except that nobody
  records their own training: the person acting (and anyone they act for with ``--by``) may
  not be among the trained. The ledger is what the skills gate counts, and a training you
  attest for yourself proves nothing. A file that names the importer stores nothing.
- *Erase* (``remove``): a person's trainings are staff personal data; deleting them is a
  privacy decision, taken by a directory admin (who keeps the directory of staff) and never
  on someone else's behalf. With an empty directory (one user's register) the user decides.

The history never holds the person: ``training-recorded`` counts rows, people and courses,
``training-erased`` counts what went; its reason may not name the person either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.csvfile import named_delimiter
from genai_pilots.domain.due import ten_years_ahead
from genai_pilots.domain.events import TrainingErased, TrainingRecorded
from genai_pilots.domain.measurements import setting_problem
from genai_pilots.domain.people import (
    BadName,
    Roster,
    by_initials,
    normalise_name,
    same_person_name,
)
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.training import (
    Training,
    course_counts,
    course_name,
    course_naming,
    current_people,
    date_problem,
    everyone,
    named_in,
    parse_csv,
    validity_problem,
)
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import N_, _
from genai_pilots.readmodels import TrainingBatch, TrainingEntry, TrainingErasure, TrainingLedger
from genai_pilots.services.events import append_event, pilot_to_change
from genai_pilots.services.files import read_input, refused_rows, shown
from genai_pilots.services.identity import (
    ADMIN,
    Acting,
    refuse_on_behalf,
    refuse_without_role,
    roster,
    who_acts,
)
from genai_pilots.services.transactions import (
    Store,
    reading,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import PilotRow, TrainingRow
from genai_pilots.store.queries import get_pilot

_CSV_HINT = N_("pass a CSV file with columns person,course,date[,valid_until,setting]")


def _latest(today: dt.date) -> dt.date:
    """The last valid-until day accepted: ten calendar years ahead, as for evidence."""
    return ten_years_ahead(today)


def _ledger(session: Session, pilot_id: str) -> list[TrainingRow]:
    statement = select(TrainingRow).where(TrainingRow.pilot_id == pilot_id)
    return list(session.exec(statement.order_by(col(TrainingRow.id))))


def _as_training(row: TrainingRow) -> Training:
    return Training(row.person, row.course, row.date, row.valid_until, row.setting)


def _roster(session: Session, pilot: PilotRow) -> Roster:
    """Whom the spellings of the pilot's ledger name: the directory's people and its owner."""
    owner = stored_definition(pilot.definition).owner
    return roster(session).with_owner(owner.name, owner.email)


def _self_recorded(acting: Acting, person: str, people: Roster) -> bool:
    """Whether ``person`` is who acts, or whom they act for: nobody attests their own training.

    By any spelling of theirs: their login, name or e-mail, surname first or with initials
    ("Ooms, R." and "R. Ooms" are Ria Ooms), and the pilot's owner by name or e-mail.
    """
    if acting.people:
        if any(p.may_be(person) for p in acting.people):
            return True
        spellings = [s for p in acting.people for s in (p.login, p.name, p.email)]
    else:
        if same_person_name(acting.name, person) or by_initials(acting.name, person):
            return True
        spellings = [acting.name]
    found = people.find(person)
    return found is not None and any(people.find(s) == found for s in spellings)


def _refuse_course_naming(
    rows: Sequence[Training], people: Roster, where: str | None = None
) -> None:
    """Refuse a course that names its person by a spelling the directory knows them by."""
    for row in rows:
        names, handles = people.names_of(people.key(row.person))
        if (problem := course_naming(row.course, row.person, names, handles)) is not None:
            message = (
                _("{file}:{line}: {problem}; nothing was stored")
                if where
                else _("--course: {problem}; nothing was stored")
            )
            raise UsageError(message.format(file=where, line=row.line, problem=problem))


def _refuse_self(
    acting: Acting,
    rows: Sequence[Training],
    people: Roster,
    where: str | None = None,
    column: str = "A",
) -> None:
    for row in rows:
        if _self_recorded(acting, row.person, people):
            message = (
                _(
                    "{file}:{line}: column {column} (person): {person} is who records it: "
                    "nobody records their own training; nothing was stored"
                )
                if where
                else _(
                    "{person} is who records it: nobody records their own training; "
                    "nothing was stored"
                )
            )
            raise CheckFailed(
                message.format(file=where, line=row.line, column=column, person=row.person),
                hint=_(
                    "someone else records it (the learning system's export, imported by "
                    "another person), so the ledger the skills gate counts is not self-attested"
                ),
            )


def _store(
    session: Session,
    pilot: PilotRow,
    rows: Sequence[Training],
    *,
    source: str,
    actor: str,
    now: dt.datetime,
    people: Roster,
) -> tuple[list[Training], list[Training]]:
    """Add the rows the ledger does not hold yet, and record one event; (stored, skipped).

    A person keeps the spelling the ledger first knew them by, so one person is one text in
    the table (as the gate counts them: ``people.Roster``, the directory's spellings of one
    person and the owner's name and e-mail as one).
    """
    held = [_as_training(r) for r in _ledger(session, pilot.id)]
    spelling = {people.key(t.person): t.person for t in held}
    seen = {t.key(pilot.setting) for t in held}
    stored: list[Training] = []
    skipped: list[Training] = []
    for row in rows:
        row = replace(row, person=spelling.setdefault(people.key(row.person), row.person))
        key = row.key(pilot.setting)
        if key in seen:
            skipped.append(row)
            continue
        seen.add(key)
        stored.append(row)
        session.add(
            TrainingRow(
                pilot_id=pilot.id,
                person=row.person,
                course=row.course,
                date=row.date,
                valid_until=row.valid_until,
                setting=row.setting or pilot.setting,
            )  # fmt: skip
        )
    if stored:
        event = TrainingRecorded(
            source, len(stored), len(everyone(stored, people)), course_counts(stored),
            min(t.date for t in stored), max(t.date for t in stored), len(skipped),
        )  # fmt: skip
        append_event(session, pilot, event, actor=actor, at=now)
    return stored, skipped


def _counted(session: Session, pilot_id: str, today: dt.date, people: Roster) -> int:
    session.flush()
    trainings = [_as_training(r) for r in _ledger(session, pilot_id)]
    return len(current_people(trainings, today, people))


@retrying
def add_training(
    store: Store,
    pilot_id: str,
    person: str,
    course: str,
    date: dt.date,
    *,
    valid_until: dt.date | None = None,
    setting: str | None = None,
    by: str | None = None,
) -> TrainingBatch:
    """Record one person's training (in the pilot's own setting unless told otherwise)."""
    now = clock.now()
    today = now.date()
    try:
        who = normalise_name(person, "--person")
        what = course_name(course)
    except BadName as exc:
        raise UsageError(str(exc)) from None
    if (problem := course_naming(what, who)) is not None:
        raise UsageError(f"--course: {problem}")
    if (problem := date_problem(date, today)) is not None:
        raise UsageError(f"--date {problem}")
    if valid_until is not None:
        problem = validity_problem(date, valid_until, _latest(today))
        if problem is not None:
            raise UsageError(f"--valid-until {problem}")
    if (problem := setting_problem(setting)) is not None:
        raise UsageError(f"--setting {problem}")
    row = Training(who, what, date, valid_until, setting)
    with transaction(store) as session:
        acting = who_acts(session, by)
        pilot = pilot_to_change(session, pilot_id)
        known = _roster(session, pilot)
        _refuse_self(acting, [row], known)
        _refuse_course_naming([row], known)
        stored, skipped = _store(
            session, pilot, [row], source="cli", actor=acting.recorded, now=now, people=known
        )
        people = _counted(session, pilot_id, today, known)
    return TrainingBatch(pilot_id, len(stored), tuple(r.line for r in skipped), people, None)


@retrying
def import_training(
    store: Store,
    pilot_id: str,
    path: Path,
    *,
    by: str | None = None,
    delimiter: str | None = None,
    data: bytes | None = None,
) -> TrainingBatch:
    """Record every row of a learning system's CSV export, or none of them.

    Read as ``measure --csv`` reads a file (``training.parse_csv``); ``delimiter`` (``;``,
    ``,``, ``tab``) overrides the one found. A row identical to one in the ledger is skipped,
    so an export imported again counts once. ``data`` is the file's content when it was piped
    in (``path`` then only names it).
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
        data = read_input(path, what=_("CSV file"), hint=_(_CSV_HINT))
    now = clock.now()
    today = now.date()
    parsed = parse_csv(data, today, _latest(today), chosen)
    if parsed.problems:
        raise refused_rows(path, parsed.problems)
    with transaction(store) as session:
        acting = who_acts(session, by)
        pilot = pilot_to_change(session, pilot_id)
        known = _roster(session, pilot)
        _refuse_self(acting, parsed.rows, known, shown(path), parsed.person_column)
        _refuse_course_naming(parsed.rows, known, shown(path))
        stored, skipped = _store(
            session, pilot, parsed.rows, source="csv", actor=acting.recorded, now=now,
            people=known,
        )  # fmt: skip
        people = _counted(session, pilot_id, today, known)
    lines = tuple(r.line for r in skipped)
    return TrainingBatch(pilot_id, len(stored), lines, people, parsed.read_as)


@retrying
def remove_training(
    store: Store, pilot_id: str, person: str, *, reason: str, by: str | None = None
) -> TrainingErasure:
    """Erase every training of one person for a pilot: the rows are deleted, not marked.

    The history records that rows were erased, how many, of which courses, by whom and why,
    never whose: the reason may not name the person either.
    """
    require_reason(reason)
    try:
        who = normalise_name(person, "--person")
    except BadName as exc:
        raise UsageError(str(exc)) from None
    _refuse_named(reason, who)
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        refuse_on_behalf(acting, _("erase trainings"))
        refuse_without_role(acting, ADMIN, _("erase a person's trainings (staff personal data)"))
        pilot = pilot_to_change(session, pilot_id)
        known = _roster(session, pilot)
        key = known.key(who)
        rows = [r for r in _ledger(session, pilot_id) if known.key(r.person) == key]
        if not rows:
            raise UsageError(
                _("{pilot} has no training of {person} in its ledger").format(
                    pilot=pilot_id, person=who
                ),
                hint=_("`pilots training list {pilot}` shows who is in it").format(pilot=pilot_id),
            )
        spellings = tuple(dict.fromkeys(r.person for r in rows))
        names, handles = known.names_of(key)
        _refuse_named(reason, who, (*spellings, *names), handles)
        courses = course_counts([_as_training(r) for r in rows])
        session.execute(
            delete(TrainingRow).where(
                col(TrainingRow.id).in_([r.id for r in rows if r.id is not None])
            )
        )
        event = TrainingErased(len(rows), courses)
        append_event(session, pilot, event, actor=acting.recorded, at=now, reason=reason)
        people = _counted(session, pilot_id, now.date(), known)
    return TrainingErasure(pilot_id, rows[0].person, len(rows), people, spellings)


def _refuse_named(
    reason: str, person: str, names: Sequence[str] = (), handles: Sequence[str] = ()
) -> None:
    """Refuse a reason that names the person, by any of their spellings: it is kept for good."""
    if (word := named_in(reason, person, names, handles)) is not None:
        raise UsageError(
            _(
                "--reason names the person ('{word}'), and the reason stays in the history for good"
            ).format(word=word),
            hint=_(
                "say why without naming them, e.g. --reason 'uit dienst' or 'verzoek tot "
                "verwijdering (AVG art. 17)'"
            ),
        )


def training_of(store: Store, pilot_id: str) -> TrainingLedger:
    """A pilot's ledger: every training, whether it counts today, and what the gate counts."""
    today = clock.today()
    with reading(store) as session:
        pilot = get_pilot(session, pilot_id)
        rows = _ledger(session, pilot_id)
        known = _roster(session, pilot)
    skills = stored_definition(pilot.definition).skills
    trainings = [_as_training(r) for r in rows]
    entries = [
        TrainingEntry(pilot_id, t.person, t.course, t.date, t.valid_until, t.setting or "",
                      t.current(today))
        for t in sorted(trainings, key=lambda t: (known.key(t.person), t.date, t.course))
    ]  # fmt: skip
    people = len(current_people(trainings, today, known))
    return TrainingLedger(
        pilot_id, today, entries, people, skills.target_users, skills.trained_users
    )
