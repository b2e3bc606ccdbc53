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
import gc
import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    String,
    Table,
    Text,
    cast,
    func,
    select,
    type_coerce,
)
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from genai_pilots.domain.audit import (
    GENESIS,
    BrokenLink,
    event_hash,
    event_hash_text,
    replay,
    stored_chain_holds,
    verify_chain,
)
from genai_pilots.domain.state import Shape, digest, pilot_state, register_state, state_of
from genai_pilots.errors import NotFound
from genai_pilots.services.events import REGISTER_CHAIN, pilot_tables, register_tables
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.engine import dispose_engines, forget_engines, make_engine
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
    """A table's columns, read fast: JSON as stored text, dates and moments as text.

    SQLite keeps moments as UTC text already; PostgreSQL is asked for the same text, so no
    value needs converting in Python (``domain.state.moment_text`` is the form).
    """
    columns: list[Any] = []
    for column in table.c:
        if isinstance(column.type, JSON):
            columns.append(cast(column, Text).label(column.name))
        elif sqlite and isinstance(column.type, DateTime | Date):
            columns.append(type_coerce(column, String).label(column.name))
        elif isinstance(column.type, DateTime):
            utc = func.timezone("UTC", column)
            columns.append(func.to_char(utc, "YYYY-MM-DD HH24:MI:SS.US").label(column.name))
        elif isinstance(column.type, Date):
            columns.append(func.to_char(column, "YYYY-MM-DD").label(column.name))
        else:
            columns.append(column)
    return columns


@dataclass(frozen=True, slots=True)
class Selection:
    """Which pilots a check covers: one, a range of ids (a worker's share), or all."""

    pilot_id: str | None = None
    low: str | None = None  # inclusive
    high: str | None = None  # exclusive

    def where(self, statement: Any, key: Any) -> Any:
        """``statement`` restricted to the selected pilots, ``key`` being their id column."""
        if self.pilot_id is not None:
            return statement.where(key == self.pilot_id)
        if self.low is not None:
            statement = statement.where(key >= self.low)
        if self.high is not None:
            statement = statement.where(key < self.high)
        return statement

    @property
    def everything(self) -> bool:
        """Whether it covers the whole register (so the register chain is checked too)."""
        return self.pilot_id is None and self.low is None and self.high is None


def _read(
    session: Session, table: Table, sqlite: bool, selection: Selection
) -> tuple[list[str], Sequence[Any]]:
    """A table's rows as tuples, read fast, with the names of their columns."""
    key = table.c.id if table.name == "pilot" else table.c.pilot_id
    columns = _read_columns(table, sqlite)
    if table.name != "pilot":  # a row's own id is not state: not worth reading (or converting)
        columns = [c for c in columns if c.name != "id"]
    names, rows = _raw(session, selection.where(select(*columns), key))
    return names, rows


def _shape(table: Table, names: Sequence[str], skip: Sequence[str] = ()) -> Shape:
    """The canonical text of a table's rows as ``_read`` hands them back."""
    booleans = [c.name for c in table.c if isinstance(c.type, Boolean)]
    return Shape(names, skip, booleans)


def _raw(session: Session, statement: Any) -> tuple[list[str], Sequence[Any]]:
    """Rows straight from the driver, as tuples: no per-value conversion on the way."""
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect)
    if compiled.positional:
        parameters: Any = tuple(compiled.params[name] for name in compiled.positiontup or ())
    else:
        parameters = compiled.params
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), parameters)
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()
    finally:
        cursor.close()


def _typed_rows(session: Session, table: Table, pilot_id: str) -> list[dict[str, Any]]:
    key = table.c.id if table.name == "pilot" else table.c.pilot_id
    return [dict(r) for r in session.execute(select(table).where(key == pilot_id)).mappings()]


def _pilot_columns_problem(pilot: Mapping[str, Any], events: list[StoredEvent]) -> str:
    """Which column of a pilot row disagrees with its definition or its history."""
    from genai_pilots.domain.stored_definitions import (
        DamagedDefinition,
        definition_hash,
        stored_definition,
    )
    from genai_pilots.domain.stored_definitions import derived_columns as columns

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
    from genai_pilots.domain.stored_definitions import (
        definition_hash,  # only when something differs
    )

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


@dataclass(slots=True)
class FastRows:
    """A pilot's rows as read fast: its row's canonical text and digests, its tables' texts."""

    pilot_text: str
    definition_digest: str
    tables: dict[str, list[str]]

    def matches(self, recorded: dict[str, str]) -> bool:
        """Whether they give exactly the digests the newest event recorded."""
        tables = {t.name: self.tables.get(t.name, []) for t in pilot_tables()}
        return state_of(self.pilot_text, self.definition_digest, tables) == recorded


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


_EVENT_COLUMNS = ("seq", "at", "actor", "kind", "payload", "reason", "prev_hash", "hash", "state")


def _event_columns(table: Table, sqlite: bool) -> list[Any]:
    by_name = {c.name: c for c in _read_columns(table, sqlite)}
    return [by_name[name] for name in _EVENT_COLUMNS]


# Below this many events one process is done before a second one would have started.
PARALLEL_FROM = 20_000


def verify(store: Store, pilot_id: str | None = None, *, workers: int | None = None) -> AuditReport:
    """Check one pilot's history, or every pilot's and the register's.

    A large register is checked by ``workers`` processes (by default one per core), each taking
    a range of pilot ids. A value the database cannot even hand back (text where a date or JSON
    belongs: only SQLite lets that in) is reported as a broken table, never as a crash.
    """
    # Millions of short-lived rows: the cyclic garbage collector would scan them again and
    # again (a quarter of the time) and find nothing, since none of them form cycles.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if pilot_id is None and workers != 1:
            shares = _shares(store, workers)
            if len(shares) > 1:
                return _verify_parallel(store, shares)
        return _verify_selection(store.url, Selection(pilot_id))
    finally:
        if collecting:
            gc.enable()


def _verify_selection(url: str, selection: Selection) -> AuditReport:
    store = Store(make_engine(url), url)  # a worker's own engine, or the shared one here
    try:
        read = _read_all(store, selection)
    except READ_ERRORS:
        return AuditReport(0, 0, _unreadable(store))
    return _check_all(store, read)


def _shares(store: Store, workers: int | None) -> list[Selection]:
    """Ranges of pilot ids, one per worker, for a register large enough to split."""
    count = workers or os.cpu_count() or 1
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [Selection()]
    with reading(store) as session:
        events = session.execute(select(func.count()).select_from(EventRow)).scalar() or 0
        if workers is None and events < PARALLEL_FROM:
            return [Selection()]
        ids = list(session.execute(select(PilotRow.id).order_by(PilotRow.id)).scalars())  # type: ignore[call-overload]
    if len(ids) < count:
        return [Selection()]
    bounds = [ids[len(ids) * k // count] for k in range(1, count)]
    lows: list[str | None] = [None, *bounds]
    highs: list[str | None] = [*bounds, None]
    return [Selection(low=lo, high=hi) for lo, hi in zip(lows, highs, strict=True)]


def _in_worker(url: str, selection: Selection) -> AuditReport:
    """A worker's share; the connections it inherited belong to the parent, so it opens its own."""
    forget_engines()
    try:
        return _verify_selection(url, selection)
    finally:
        dispose_engines()


def _verify_parallel(store: Store, shares: list[Selection]) -> AuditReport:
    """The first share here, the others in forked workers, all at once."""
    context = multiprocessing.get_context("fork")
    dispose_engines()  # no open connection may be shared with a child
    with ProcessPoolExecutor(len(shares) - 1, mp_context=context) as pool:
        others = [pool.submit(_in_worker, store.url, share) for share in shares[1:]]
        parts = [_verify_selection(store.url, shares[0]), *(f.result() for f in others)]
    register = _verify_register(store)  # small: after the workers, not competing with them
    broken = [b for part in parts for b in part.broken] + register.broken
    broken.sort(key=lambda b: (b.pilot_id.startswith("("), b.pilot_id))
    return AuditReport(
        sum(p.pilots for p in parts), sum(p.events for p in parts) + register.events, broken
    )


def _verify_register(store: Store) -> AuditReport:
    """The register chain alone (with the set of pilot ids it fixes)."""
    try:
        with reading(store) as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            chain, head, rows = _read_register(session, sqlite)
            ids = list(session.execute(select(PilotRow.id)).scalars())  # type: ignore[call-overload]
    except READ_ERRORS:
        return AuditReport(0, 0, _unreadable(store))
    link = _check_chain(REGISTER, chain, head, lambda: _register_problem(chain, rows, ids))
    return AuditReport(0, len(chain), [link] if link else [])


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


@dataclass(slots=True)
class Read:
    """Everything verify reads, in one transaction."""

    names: list[str]
    pilots: Sequence[Any]
    events: dict[str, list[Any]]  # per pilot, its events as read: (pilot_id, *_EVENT_COLUMNS)
    owned: dict[str, dict[str, list[str]]]
    register: tuple[list[StoredEvent], str, Rows] | None


def _read_all(store: Store, selection: Selection) -> Read:
    pilot_table: Table = PilotRow.__table__  # type: ignore[attr-defined]
    event_table: Table = EventRow.__table__  # type: ignore[attr-defined]
    with reading(store) as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        names, pilot_rows = _read(session, pilot_table, sqlite, selection)
        if selection.pilot_id is not None and not pilot_rows:
            raise NotFound(
                f"no pilot with id '{selection.pilot_id}'",
                hint="`pilots status` lists the pilots in the register",
            )
        statement = select(event_table.c.pilot_id, *_event_columns(event_table, sqlite))
        statement = selection.where(statement, event_table.c.pilot_id)
        # read in storage order and sorted here: cheaper than walking the index
        events: dict[str, list[Any]] = defaultdict(list)
        for event in _raw(session, statement)[1]:
            events[event[0]].append(event)
        for chain in events.values():
            chain.sort(key=itemgetter(1))  # by seq
        owned: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for table in pilot_tables():
            columns, rows = _read(session, table, sqlite, selection)
            shape, key = _shape(table, columns), columns.index("pilot_id")
            for row in rows:
                owned[row[key]][table.name].append(shape.text(row))
        register = _read_register(session, sqlite) if selection.everything else None
    return Read(names, pilot_rows, events, owned, register)


def _check_all(store: Store, read: Read) -> AuditReport:
    names = read.names
    pilot_shape = _shape(PilotRow.__table__, names, skip=("definition",))  # type: ignore[attr-defined]
    at = {name: names.index(name) for name in ("id", "head_hash", "definition")}
    suspects: dict[str, list[StoredEvent]] = {}
    broken = []
    for row in sorted(read.pilots, key=lambda r: r[at["id"]]):
        pid = row[at["id"]]
        rows = read.events.get(pid, [])
        fast = FastRows(pilot_shape.text(row), digest(row[at["definition"]]), read.owned[pid])
        recorded = rows[-1][-1] if rows else None  # the newest event's state digests
        if recorded is not None and stored_chain_holds(pid, rows, row[at["head_hash"]]):
            if not fast.matches(json.loads(recorded)):
                suspects[pid] = [StoredEvent(*r) for r in rows]  # checked from typed values
            continue
        chain = [StoredEvent(*r) for r in rows]

        def state_problem(c: list[StoredEvent] = chain, f: FastRows = fast) -> str | None:
            if not c:
                return "its history is missing"
            recorded = c[-1].state
            if recorded is None:
                return "the newest event does not record the state it left"
            if not f.matches(recorded):
                suspects[c[-1].pilot_id] = c  # checked again from typed values below
            return None

        link = _check_chain(pid, chain, row[at["head_hash"]], state_problem)
        if link is not None:
            broken.append(link)
    try:
        broken += _typed_check(store, suspects)
    except READ_ERRORS:
        broken += _unreadable(store)
    checked = sum(len(v) for v in read.events.values())
    if read.register is not None:
        chain, head, register_rows = read.register
        ids = [r[at["id"]] for r in read.pilots]
        link = _check_chain(
            REGISTER, chain, head, lambda: _register_problem(chain, register_rows, ids)
        )
        if link is not None:
            broken.append(link)
        checked += len(chain)
    broken.sort(key=lambda b: (b.pilot_id.startswith("("), b.pilot_id))
    return AuditReport(len(read.pilots), checked, broken)


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
    chain = [StoredEvent(REGISTER_CHAIN, *row) for row in session.execute(statement)]
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
