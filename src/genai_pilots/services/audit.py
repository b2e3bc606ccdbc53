"""``pilots audit verify``: recompute every hash chain and prove the tables with it.

The chain catches an event that was edited, deleted or reordered; the anchor (``head_hash`` on
the pilot row, the ``register`` row for the register chain) catches events removed from the
end; the state digests in the newest event catch any row of any table that was changed,
added or removed without an event (``domain.state``). Only when a digest differs does verify
replay the history, to name the column or table that was changed.

Rows are read with plain SELECTs, not ORM objects: verify reads every row of the register.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import StatementError

from genai_pilots.domain.audit import GENESIS, BrokenLink, replay, verify_chain
from genai_pilots.domain.register import DamagedDefinition, definition_hash, stored_definition
from genai_pilots.domain.state import pilot_state, register_state
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


@dataclass(frozen=True, slots=True)
class AuditReport:
    """How many pilots and events were checked, and each broken one."""

    pilots: int
    events: int
    broken: list[BrokenLink]


@dataclass(slots=True)
class StoredEvent:
    """An event as read for checking (either chain)."""

    pilot_id: str
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    payload: dict[str, Any]
    reason: str | None
    prev_hash: str
    hash: str
    state: dict[str, str] | None


Rows = Mapping[str, list[Mapping[str, Any]]]

_EVENT_COLUMNS = ("seq", "at", "actor", "kind", "payload", "reason", "prev_hash", "hash", "state")


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


def _state_problem(pilot: Mapping[str, Any], events: list[StoredEvent], owned: Rows) -> str | None:
    """What differs between the stored rows and the state the newest event fixed."""
    if not events:
        return "its history is missing"
    recorded = events[-1].state
    if recorded is None:
        return "the newest event does not record the state it left"
    actual = pilot_state(pilot, {t.name: owned.get(t.name, []) for t in pilot_tables()})
    if actual == recorded:
        return None
    if actual.get("definition") != recorded.get("definition"):
        if definition_hash(pilot["definition"]) != pilot["definition_hash"]:
            return "pilot.definition was changed directly (not by an import)"
        return "pilot.definition and pilot.definition_hash were changed directly"
    if actual.get("pilot") != recorded.get("pilot"):
        return _pilot_columns_problem(pilot, events)
    table = next(name for name in sorted(actual.keys() | recorded.keys())
                 if actual.get(name) != recorded.get(name))  # fmt: skip
    return f"rows of the {table} table were changed, added or removed directly"


def _check_chain(
    name: str, events: list[StoredEvent], head: str, state_problem: Any
) -> BrokenLink | None:
    link = verify_chain(name, events)
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


def verify(store: Store, pilot_id: str | None = None) -> AuditReport:
    """Check one pilot's history, or every pilot's and the register's.

    A value the database cannot even hand back (text where a date or JSON belongs: only SQLite
    lets that in) is reported as a broken table, never as a crash of the check itself.
    """
    try:
        return _verify(store, pilot_id)
    except (ValueError, TypeError, StatementError):
        return AuditReport(0, 0, _unreadable(store))


def _unreadable(store: Store) -> list[BrokenLink]:
    """Which tables hold values that cannot be read back."""
    broken = []
    with reading(store) as session:
        for table in metadata.sorted_tables:
            try:
                session.execute(select(table)).all()
            except (ValueError, TypeError, StatementError) as exc:
                problem = str(exc).splitlines()[0][:120]
                broken.append(
                    BrokenLink(
                        f"({table.name} table)", 0,
                        f"a stored value cannot be read ({problem}): it was written directly",
                    )
                )  # fmt: skip
    return broken or [BrokenLink("(store)", 0, "a stored value cannot be read")]


def _verify(store: Store, pilot_id: str | None) -> AuditReport:
    pilot_table = PilotRow.__table__  # type: ignore[attr-defined]
    event_table = EventRow.__table__  # type: ignore[attr-defined]
    with reading(store) as session:
        chosen = select(pilot_table).order_by(pilot_table.c.id)
        if pilot_id is not None:
            chosen = chosen.where(pilot_table.c.id == pilot_id)
        pilots = [dict(r) for r in session.execute(chosen).mappings()]
        if pilot_id is not None and not pilots:
            raise NotFound(
                f"no pilot with id '{pilot_id}'",
                hint="`pilots status` lists the pilots in the register",
            )
        wanted = [event_table.c.pilot_id, *(event_table.c[c] for c in _EVENT_COLUMNS)]
        statement = select(*wanted).order_by(event_table.c.pilot_id, event_table.c.seq)
        if pilot_id is not None:
            statement = statement.where(event_table.c.pilot_id == pilot_id)
        events = _events(session.execute(statement))
        owned: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for table in pilot_tables():
            statement = select(table)
            if pilot_id is not None:
                statement = statement.where(table.c.pilot_id == pilot_id)
            for row in session.execute(statement).mappings():
                owned[row["pilot_id"]][table.name].append(dict(row))
        register = None if pilot_id is not None else _read_register(session)
    broken = []
    for pilot in pilots:
        chain = events.get(pilot["id"], [])
        link = _check_chain(
            pilot["id"], chain, pilot["head_hash"],
            lambda p=pilot, c=chain: _state_problem(p, c, owned[p["id"]]),
        )  # fmt: skip
        if link is not None:
            broken.append(link)
    checked = sum(len(v) for v in events.values())
    if register is not None:
        chain, head, rows = register
        ids = [p["id"] for p in pilots]
        link = _check_chain(REGISTER, chain, head, lambda: _register_problem(chain, rows, ids))
        if link is not None:
            broken.append(link)
        checked += len(chain)
    return AuditReport(len(pilots), checked, broken)


def _read_register(session: Any) -> tuple[list[StoredEvent], str, Rows]:
    table = RegisterEventRow.__table__  # type: ignore[attr-defined]
    statement = select(*(table.c[c] for c in _EVENT_COLUMNS)).order_by(table.c.seq)
    chain = _events(session.execute(statement), chain=REGISTER_CHAIN)[REGISTER_CHAIN]
    anchor = session.get(RegisterRow, 1)
    rows: dict[str, list[Mapping[str, Any]]] = {
        t.name: [dict(r) for r in session.execute(select(t)).mappings()] for t in register_tables()
    }
    head: str = anchor.head_hash if anchor else GENESIS
    return chain, head, rows


def _register_problem(chain: list[StoredEvent], rows: Rows, ids: list[str]) -> str | None:
    recorded = chain[-1].state if chain else {}
    actual = register_state(rows, ids)
    if recorded == actual:
        return None
    if actual.get("pilots") != (recorded or {}).get("pilots"):
        return "pilots were added to or removed from the pilot table directly"
    table = next(name for name in sorted(actual.keys() | (recorded or {}).keys())
                 if actual.get(name) != (recorded or {}).get(name))  # fmt: skip
    return f"rows of the {table} table were changed, added or removed directly"
