"""``pilots audit verify``: recompute every hash chain and prove the tables with it.

The chain catches an event that was edited, deleted or reordered; the anchor (``head_hash`` on
the pilot row, the ``register`` row for the register chain) catches events removed from the
end; the state digests in the newest event catch any row of any table that was changed,
added or removed without an event (``domain.state``), and the register chain's digests catch a
pilot deleted whole. Only when something differs does verify replay the history, to name the
column or table that was changed.

Speed: every row of the register is read, so rows are read with plain SELECTs, JSON as the
text that was stored (it is written canonically, see ``store.engine``) and, on SQLite, dates as
the text SQLite keeps; hashes are computed from those texts. Anything that does not match on
that fast path is checked again from typed values before it is called broken, so older rows
written in another form never cause a false alarm.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Date, DateTime, String, Table, Text, cast, select, type_coerce
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from genai_pilots.domain.audit import (
    GENESIS,
    BrokenLink,
    event_hash,
    event_hash_text,
    replay,
    verify_chain,
)
from genai_pilots.domain.register import DamagedDefinition, definition_hash, stored_definition
from genai_pilots.domain.state import digest, pilot_state, register_state
from genai_pilots.errors import NotFound
from genai_pilots.services.events import REGISTER_CHAIN, pilot_tables, register_tables
from genai_pilots.services.store import Store, reading
from genai_pilots.store.models import (
    EventRow,
    PilotRow,
    RegisterEventRow,
    RegisterRow,
    metadata,
)

REGISTER = "(register)"  # how the register-wide chain is named in a report
READ_ERRORS = (ValueError, TypeError, StatementError)


@dataclass(frozen=True, slots=True)
class AuditReport:
    """How many pilots and events were checked, and each broken one."""

    pilots: int
    events: int
    broken: list[BrokenLink]


@dataclass(slots=True)
class StoredEvent:
    """An event as read for checking (either chain): JSON as stored text, ``at`` as read."""

    pilot_id: str
    seq: int
    at: dt.datetime | str
    actor: str
    kind: str
    payload_text: str
    reason: str | None
    prev_hash: str
    hash: str
    state_text: str | None

    @property
    def state(self) -> dict[str, str] | None:
        """The state digests the event recorded."""
        return None if self.state_text is None else json.loads(self.state_text)

    @property
    def payload(self) -> dict[str, Any]:
        """The payload, parsed (for replaying the history)."""
        loaded: dict[str, Any] = json.loads(self.payload_text)
        return loaded


def _iso(at: dt.datetime | str) -> str:
    """An event's moment as the hash has it; SQLite's text is read without parsing."""
    if isinstance(at, str):
        return f"{at[:10]}T{at[11:]}+00:00"
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _recompute(event: StoredEvent) -> str:
    """The event's hash from the texts as stored; if that differs, from its typed values."""
    fast = event_hash_text(
        event.prev_hash, event.pilot_id, event.seq, _iso(event.at), event.actor, event.kind,
        event.payload_text, event.reason, event.state_text,
    )  # fmt: skip
    if fast == event.hash:
        return fast
    try:  # written in another form (an older release, another tool): parse and hash again
        at = event.at if isinstance(event.at, dt.datetime) else dt.datetime.fromisoformat(event.at)
        return event_hash(
            event.prev_hash, event.pilot_id, event.seq, at, event.actor, event.kind,
            event.payload, event.reason, event.state,
        )  # fmt: skip
    except ValueError:
        return fast


Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def _read_columns(table: Table, sqlite: bool) -> list[Any]:
    """A table's columns, read fast: JSON as stored text, SQLite's dates as stored text."""
    columns: list[Any] = []
    for column in table.c:
        if isinstance(column.type, JSON):
            columns.append(cast(column, Text).label(column.name))
        elif sqlite and isinstance(column.type, DateTime | Date):
            columns.append(type_coerce(column, String).label(column.name))
        else:
            columns.append(column)
    return columns


def _rows(
    session: Session, table: Table, sqlite: bool, pilot_id: str | None
) -> list[dict[str, Any]]:
    statement = select(*_read_columns(table, sqlite))
    if pilot_id is not None:
        key = table.c.id if table.name == "pilot" else table.c.pilot_id
        statement = statement.where(key == pilot_id)
    return [dict(r) for r in session.execute(statement).mappings()]


def _typed_rows(session: Session, table: Table, pilot_id: str) -> list[dict[str, Any]]:
    key = table.c.id if table.name == "pilot" else table.c.pilot_id
    return [dict(r) for r in session.execute(select(table).where(key == pilot_id)).mappings()]


def _pilot_columns_problem(pilot: Mapping[str, Any], events: list[StoredEvent]) -> str:
    """Which column of a pilot row disagrees with its definition or its history."""
    from genai_pilots.services.rows import columns

    if definition_hash(pilot["definition"]) != pilot["definition_hash"]:
        return "pilot.definition_hash was changed directly: it does not match the definition"
    try:
        derived = columns(stored_definition(pilot["definition"]))
    except DamagedDefinition:
        return "pilot.definition was changed directly: it is no longer a valid definition"
    for name, value in derived.items():
        if name not in ("definition", "definition_hash") and pilot[name] != value:
            return f"pilot.{name} was changed directly: it no longer matches the definition"
    state = replay(events)
    expected = {
        "stage": state.stage, "outcome": state.outcome, "paused": state.paused,
        "iterations": state.iterations,
    }  # fmt: skip
    for name, value in expected.items():
        if pilot[name] != value:
            return (
                f"pilot.{name} was changed directly: the row says {pilot[name]}, "
                f"its history says {value}"
            )
    if state.review_needed != (pilot["review_since"] is not None):
        return "pilot.review_since was changed directly: it does not match the history"
    return "a column of the pilot row was changed directly (dates or counters)"


def _name_the_change(
    pilot: Mapping[str, Any], events: list[StoredEvent], owned: Rows, recorded: dict[str, str]
) -> str:
    """What differs between typed rows and the state the newest event fixed, named."""
    actual = pilot_state(pilot, {t.name: owned.get(t.name, []) for t in pilot_tables()})
    if actual.get("definition") != recorded.get("definition"):
        if definition_hash(pilot["definition"]) != pilot["definition_hash"]:
            return "pilot.definition was changed directly (not by an import)"
        return "pilot.definition and pilot.definition_hash were changed directly"
    if actual.get("pilot") != recorded.get("pilot"):
        return _pilot_columns_problem(pilot, events)
    table = next(name for name in sorted(actual.keys() | recorded.keys())
                 if actual.get(name) != recorded.get(name))  # fmt: skip
    return f"rows of the {table} table were changed, added or removed directly"


def _fast_state_matches(pilot: Mapping[str, Any], owned: Rows, recorded: dict[str, str]) -> bool:
    """Whether the rows as read fast give exactly the recorded digests."""
    text = pilot["definition"]
    actual = pilot_state(
        pilot,
        {t.name: owned.get(t.name, []) for t in pilot_tables()},
        definition_digest=digest(text) if isinstance(text, str) else None,
    )
    return actual == recorded


def _check_chain(
    name: str, events: list[StoredEvent], head: str, state_problem: Callable[[], str | None]
) -> BrokenLink | None:
    link = verify_chain(name, events, _recompute)
    if link is not None:
        return link
    if (events[-1].hash if events else GENESIS) != head:
        last = events[-1].seq if events else 0
        return BrokenLink(name, last + 1, "events after this one were removed")
    problem = state_problem()
    return BrokenLink(name, events[-1].seq if events else 0, problem) if problem else None


def _events(rows: Iterable[Any], chain: str | None = None) -> dict[str, list[StoredEvent]]:
    found: dict[str, list[StoredEvent]] = defaultdict(list)
    for row in rows:
        pilot_id = chain or row[0]
        values = row[1:] if chain is None else row
        found[pilot_id].append(StoredEvent(pilot_id, *values))
    return found


_EVENT_COLUMNS = ("seq", "at", "actor", "kind", "payload", "reason", "prev_hash", "hash", "state")


def _event_columns(table: Table, sqlite: bool) -> list[Any]:
    by_name = {c.name: c for c in _read_columns(table, sqlite)}
    return [by_name[name] for name in _EVENT_COLUMNS]


def verify(store: Store, pilot_id: str | None = None) -> AuditReport:
    """Check one pilot's history, or every pilot's and the register's.

    A value the database cannot even hand back (text where a date or JSON belongs: only SQLite
    lets that in) is reported as a broken table, never as a crash of the check itself.
    """
    try:
        return _verify(store, pilot_id)
    except READ_ERRORS:
        return AuditReport(0, 0, _unreadable(store))


def _unreadable(store: Store) -> list[BrokenLink]:
    """Which tables hold values that cannot be read back."""
    broken = []
    with reading(store) as session:
        for table in metadata.sorted_tables:
            try:
                for row in session.execute(select(table)).mappings():
                    for column in table.c:
                        if isinstance(column.type, JSON) and isinstance(row[column.name], str):
                            json.loads(row[column.name])
            except READ_ERRORS as exc:
                problem = str(exc).splitlines()[0][:120]
                broken.append(
                    BrokenLink(
                        f"({table.name} table)", 0,
                        f"a stored value cannot be read ({problem}): it was written directly",
                    )
                )  # fmt: skip
    return broken or [BrokenLink("(store)", 0, "a stored value cannot be read")]


def _verify(store: Store, pilot_id: str | None) -> AuditReport:
    pilot_table: Table = PilotRow.__table__  # type: ignore[attr-defined]
    event_table: Table = EventRow.__table__  # type: ignore[attr-defined]
    with reading(store) as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        pilots = _rows(session, pilot_table, sqlite, pilot_id)
        pilots.sort(key=lambda p: p["id"])
        if pilot_id is not None and not pilots:
            raise NotFound(
                f"no pilot with id '{pilot_id}'",
                hint="`pilots status` lists the pilots in the register",
            )
        statement = select(event_table.c.pilot_id, *_event_columns(event_table, sqlite))
        if pilot_id is not None:
            statement = statement.where(event_table.c.pilot_id == pilot_id)
        events = _events(session.execute(statement.order_by(event_table.c.pilot_id,
                                                            event_table.c.seq)))  # fmt: skip
        owned: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for table in pilot_tables():
            for row in _rows(session, table, sqlite, pilot_id):
                owned[row["pilot_id"]][table.name].append(row)
        register = None if pilot_id is not None else _read_register(session, sqlite)
    suspects: dict[str, list[StoredEvent]] = {}
    broken = []
    for pilot in pilots:
        chain = events.get(pilot["id"], [])

        def state_problem(p: Mapping[str, Any] = pilot, c: list[StoredEvent] = chain) -> str | None:
            if not c:
                return "its history is missing"
            recorded = c[-1].state
            if recorded is None:
                return "the newest event does not record the state it left"
            if not _fast_state_matches(p, owned[p["id"]], recorded):
                suspects[p["id"]] = c  # check again from typed values below
            return None

        link = _check_chain(pilot["id"], chain, pilot["head_hash"], state_problem)
        if link is not None:
            broken.append(link)
    broken += _typed_check(store, suspects)
    checked = sum(len(v) for v in events.values())
    if register is not None:
        chain, head, rows = register
        ids = [p["id"] for p in pilots]
        link = _check_chain(REGISTER, chain, head, lambda: _register_problem(chain, rows, ids))
        if link is not None:
            broken.append(link)
        checked += len(chain)
    broken.sort(key=lambda b: (b.pilot_id.startswith("("), b.pilot_id))
    return AuditReport(len(pilots), checked, broken)


def _typed_check(store: Store, suspects: Mapping[str, list[StoredEvent]]) -> list[BrokenLink]:
    """Pilots whose fast read did not match: read typed, compare, and name what changed."""
    broken: list[BrokenLink] = []
    if not suspects:
        return broken
    pilot_table: Table = PilotRow.__table__  # type: ignore[attr-defined]
    with reading(store) as session:
        for pilot_id, chain in sorted(suspects.items()):
            [pilot] = _typed_rows(session, pilot_table, pilot_id)
            owned = {t.name: _typed_rows(session, t, pilot_id) for t in pilot_tables()}
            recorded = chain[-1].state or {}
            actual = pilot_state(pilot, owned)
            if actual != recorded:
                problem = _name_the_change(pilot, chain, owned, recorded)
                broken.append(BrokenLink(pilot_id, chain[-1].seq, problem))
    return broken


def _read_register(session: Session, sqlite: bool) -> tuple[list[StoredEvent], str, Rows]:
    table: Table = RegisterEventRow.__table__  # type: ignore[attr-defined]
    statement = select(*_event_columns(table, sqlite)).order_by(table.c.seq)
    chain = _events(session.execute(statement), chain=REGISTER_CHAIN)[REGISTER_CHAIN]
    anchor = session.get(RegisterRow, 1)
    rows: dict[str, list[Mapping[str, Any]]] = {
        t.name: [dict(r) for r in session.execute(select(t)).mappings()] for t in register_tables()
    }
    head: str = anchor.head_hash if anchor else GENESIS
    return chain, head, rows


def _register_problem(chain: list[StoredEvent], rows: Rows, ids: list[str]) -> str | None:
    recorded = (chain[-1].state if chain else {}) or {}
    actual = register_state(rows, ids)
    if recorded == actual:
        return None
    if actual.get("pilots") != recorded.get("pilots"):
        return "pilots were added to or removed from the pilot table directly"
    table = next(name for name in sorted(actual.keys() | recorded.keys())
                 if actual.get(name) != recorded.get(name))  # fmt: skip
    return f"rows of the {table} table were changed, added or removed directly"
