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
import itertools
import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    String,
    Table,
    Text,
    and_,
    cast,
    func,
    select,
    tuple_,
    type_coerce,
)
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from genai_pilots import clock
from genai_pilots.domain.anchor import Anchor, BadAnchor, Head, anchor_breaks, parse_anchor
from genai_pilots.domain.audit import (
    GENESIS,
    BrokenLink,
    event_hash,
    event_hash_text,
    replay,
    stored_chain_head,
    verify_chain,
)
from genai_pilots.domain.state import Shape, digest, pilot_state, register_state, state_of
from genai_pilots.errors import NotFound, UsageError
from genai_pilots.readmodels import AnchorCheck
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

    A large register is checked by two processes at once, each reading its tables once, in
    storage order: a forked one reads and hashes every chain (the event table), this one reads
    every other table and computes the state digests. ``workers=1`` keeps it in one process
    (by default: two when there are two cores and enough events). Whatever the fast pass cannot
    clear is read again, events and tables in one transaction, and judged in full. A value the
    database cannot even hand back (text where a date or JSON belongs: only SQLite lets that
    in) is reported as a broken table, never as a crash.
    """
    selection = Selection(pilot_id)

    def sessions() -> AbstractContextManager[Session]:
        return reading(store)

    with _no_collection():
        try:
            if _in_parallel(store, selection, workers):
                tables, chains = _read_in_parallel(store, selection)
            else:
                tables, chains = _read_tables(store, selection), _read_chains(store, selection)
        except READ_ERRORS:
            return AuditReport(0, 0, _unreadable(sessions))
        return _check_all(sessions, tables, chains)


CHUNK = 1_000  # pilots whose rows and chains ``verify_in`` holds at once


def verify_in(session: Session, *, chunk: int | None = None) -> AuditReport:
    """Check every chain and every table as this session's own transaction sees them.

    For rows not yet committed: ``db restore`` and ``db copy`` judge what they loaded before
    they commit it, so one process reads everything (a forked reader could not see them), a
    range of ``chunk`` pilots at a time so that memory stays bounded however large the
    register: every pilot's rows and chain, then the register chain over all their ids
    (``chunk`` defaults to ``CHUNK``).
    """

    def sessions() -> AbstractContextManager[Session]:
        return nullcontext(session)

    pilot: Table = PilotRow.__table__  # type: ignore[attr-defined]
    chunk = chunk or CHUNK
    with _no_collection():
        try:
            # The ranges are cut where the database's own order puts them (its collation).
            ids = [i for (i,) in session.execute(select(pilot.c.id).order_by(pilot.c.id))]
            edges: list[str | None] = [None, *ids[chunk::chunk], None]
            broken: list[BrokenLink] = []
            pilots = events = 0
            for low, high in itertools.pairwise(edges):
                selection = Selection(low=low, high=high)
                tables = _read_tables_in(session, selection, register=False)
                chains = _read_chains_in(session, selection)
                report = _check_all(sessions, tables, chains)
                broken += report.broken + _orphans(chains, tables.ids())
                pilots, events = pilots + report.pilots, events + report.events
                del tables, chains
            sqlite = session.get_bind().dialect.name == "sqlite"
            register = _read_register(session, sqlite)
        except READ_ERRORS:
            return AuditReport(0, 0, _unreadable(sessions))
        broken += _check_register(register, ids)
        broken.sort(key=_report_order)
        return AuditReport(pilots, events + len(register[0]), broken)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector off while millions of short-lived rows come and go.

    It would scan them again and again (a quarter of verify's time) and find nothing, since
    none of them form cycles.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _in_parallel(store: Store, selection: Selection, workers: int | None) -> bool:
    """Whether to read the chains in a second process: worth it for a large register only."""
    if not selection.everything or workers == 1:
        return False
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return False
    if workers is not None:
        return True
    if (os.cpu_count() or 1) < 2:
        return False
    with reading(store) as session:
        events = session.execute(select(func.count()).select_from(EventRow)).scalar() or 0
    return events >= PARALLEL_FROM


@dataclass(slots=True)
class Chains:
    """Every chain of a selection, read and checked on its own (without the other tables)."""

    events: int  # how many were read
    tails: dict[str, tuple[str, str | None]]  # pilot -> (newest hash, newest state text)
    broken: dict[str, BrokenLink]  # pilots whose chain itself is broken


def _read_chains(store: Store, selection: Selection) -> Chains:
    """Read the event table (storage order, then sorted per pilot) and check every chain."""
    with reading(store) as session:
        return _read_chains_in(session, selection)


def _read_chains_in(session: Session, selection: Selection) -> Chains:
    table: Table = EventRow.__table__  # type: ignore[attr-defined]
    sqlite = session.get_bind().dialect.name == "sqlite"
    statement = select(table.c.pilot_id, *_event_columns(table, sqlite))
    rows = _raw(session, selection.where(statement, table.c.pilot_id))[1]
    events: dict[str, list[Any]] = defaultdict(list)
    for event in rows:
        events[event[0]].append(event)
    chains = Chains(len(rows), {}, {})
    for pid, chain in events.items():
        chain.sort(key=itemgetter(1))  # by seq
        newest = stored_chain_head(pid, chain)
        if newest is None:  # not as written by this release: parse, recompute, name the break
            link = verify_chain(pid, [StoredEvent(*e) for e in chain], _recompute)
            if link is not None:
                chains.broken[pid] = link
                continue
            newest = chain[-1][8]
        chains.tails[pid] = (newest, chain[-1][9])
    return chains


def _chains_in_worker(url: str, selection: Selection) -> Chains | None:
    """The chains, in a forked worker with its own connections; ``None``: unreadable."""
    forget_engines()  # the connections it inherited belong to the parent
    try:
        return _read_chains(Store(make_engine(url), url), selection)
    except READ_ERRORS:
        return None
    finally:
        dispose_engines()


def _read_in_parallel(store: Store, selection: Selection) -> tuple[Tables, Chains]:
    """The chains in a forked worker, the other tables here, at the same time."""
    context = multiprocessing.get_context("fork")
    dispose_engines()  # no open connection may be shared with a child
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        pending = pool.submit(_chains_in_worker, store.url, selection)
        tables = _read_tables(store, selection)
        chains = pending.result()
    if chains is None:
        raise ValueError("the event table holds a value that cannot be read")
    return tables, chains


Sessions = Callable[[], AbstractContextManager[Session]]  # where a check reads (again)


def _unreadable(sessions: Sessions) -> list[BrokenLink]:
    """Which tables hold values that cannot be read back."""
    broken = []
    with sessions() as session:
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
class Tables:
    """The pilot rows and every table that hangs off them, as read fast; the register chain."""

    names: list[str]
    pilots: Sequence[Any]
    owned: dict[str, dict[str, list[str]]]  # pilot -> table -> its rows' canonical texts
    register: tuple[list[StoredEvent], str, Rows] | None

    def ids(self) -> list[str]:
        """The ids of the pilot rows read."""
        at = self.names.index("id")
        return [row[at] for row in self.pilots]

    def fast_rows(self, row: Sequence[Any]) -> FastRows:
        """A pilot row's canonical text and digests, with its tables' row texts."""
        shape = _shape(PilotRow.__table__, self.names, skip=("definition",))  # type: ignore[attr-defined]
        pid, definition = row[self.names.index("id")], row[self.names.index("definition")]
        return FastRows(shape.text(row), digest(definition), self.owned[pid])


def _read_tables(store: Store, selection: Selection) -> Tables:
    with reading(store) as session:
        return _read_tables_in(session, selection)


def _read_tables_in(session: Session, selection: Selection, *, register: bool = True) -> Tables:
    sqlite = session.get_bind().dialect.name == "sqlite"
    pilot_table: Table = PilotRow.__table__  # type: ignore[attr-defined]
    names, pilot_rows = _read(session, pilot_table, sqlite, selection)
    if selection.pilot_id is not None and not pilot_rows:
        raise NotFound(
            f"no pilot with id '{selection.pilot_id}'",
            hint="`pilots status` lists the pilots in the register",
        )
    owned: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for table in pilot_tables():
        columns, rows = _read(session, table, sqlite, selection)
        shape, key = _shape(table, columns), columns.index("pilot_id")
        for row in rows:
            owned[row[key]][table.name].append(shape.text(row))
    chain = _read_register(session, sqlite) if register and selection.everything else None
    return Tables(names, pilot_rows, owned, chain)


def _check_all(sessions: Sessions, tables: Tables, chains: Chains) -> AuditReport:
    names = tables.names
    pilot_shape = _shape(PilotRow.__table__, names, skip=("definition",))  # type: ignore[attr-defined]
    at = {name: names.index(name) for name in ("id", "head_hash", "definition")}
    broken = []
    again = []
    for row in sorted(tables.pilots, key=lambda r: r[at["id"]]):
        pid = row[at["id"]]
        if pid in chains.broken:
            broken.append(chains.broken[pid])
            continue
        newest, recorded = chains.tails.get(pid, (None, None))
        if newest == row[at["head_hash"]] and recorded is not None:
            owned = tables.owned[pid]
            fast = FastRows(pilot_shape.text(row), digest(row[at["definition"]]), owned)
            if fast.matches(json.loads(recorded)):
                continue
        again.append(pid)  # its rows differ from its newest event (or were read a moment apart)
    try:
        broken += _judge_in_full(sessions, again)
    except READ_ERRORS:
        broken += _unreadable(sessions)
    checked = chains.events
    if tables.register is not None:
        ids = tables.ids()
        broken += _orphans(chains, ids)
        broken += _check_register(tables.register, ids)
        checked += len(tables.register[0])
    broken.sort(key=_report_order)
    return AuditReport(len(tables.pilots), checked, broken)


def _report_order(link: BrokenLink) -> tuple[bool, str]:
    return link.pilot_id.startswith("("), link.pilot_id


def _orphans(chains: Chains, ids: Sequence[str]) -> list[BrokenLink]:
    """Chains of pilots that have no row in the pilot table."""
    return [
        BrokenLink(
            orphan, 0,
            "events of a pilot that is not in the register: its row was deleted, or the events "
            "were added directly",
        )
        for orphan in sorted((chains.tails.keys() | chains.broken.keys()) - set(ids))
    ]  # fmt: skip


def _check_register(
    register: tuple[list[StoredEvent], str, Rows], ids: list[str]
) -> list[BrokenLink]:
    chain, head, rows = register
    link = _check_chain(REGISTER, chain, head, lambda: _register_problem(chain, rows, ids))
    return [] if link is None else [link]


def _judge_in_full(sessions: Sessions, pilot_ids: Sequence[str]) -> list[BrokenLink]:
    """Judge in full each pilot the fast pass did not clear, read again.

    History and tables are read in one transaction here, so a write that fell between the fast
    pass's two reads is never mistaken for an edit.
    """
    broken: list[BrokenLink] = []
    if not pilot_ids:
        return broken
    event_table: Table = EventRow.__table__  # type: ignore[attr-defined]
    with sessions() as session:
        sqlite = session.get_bind().dialect.name == "sqlite"
        for pid in pilot_ids:
            tables = _read_tables_in(session, Selection(pid))
            statement = select(*_event_columns(event_table, sqlite))
            statement = statement.where(event_table.c.pilot_id == pid).order_by(event_table.c.seq)
            chain = [StoredEvent(pid, *e) for e in _raw(session, statement)[1]]
            fast = tables.fast_rows(tables.pilots[0])
            head = tables.pilots[0][tables.names.index("head_hash")]
            suspect: list[list[StoredEvent]] = []

            def state_problem(
                c: list[StoredEvent] = chain,
                f: FastRows = fast,
                later: list[list[StoredEvent]] = suspect,
            ) -> str | None:
                if not c:
                    return "its history is missing"
                recorded = c[-1].state
                if recorded is None:
                    return "the newest event does not record the state it left"
                if not f.matches(recorded):
                    later.append(c)  # checked again from typed values
                return None

            link = _check_chain(pid, chain, head, state_problem)
            if link is not None:
                broken.append(link)
            elif suspect:
                broken += _typed_check(session, {pid: chain})
    return broken


def _typed_check(session: Session, suspects: Mapping[str, list[StoredEvent]]) -> list[BrokenLink]:
    """Pilots whose fast read did not match: read typed, compare, and name what changed."""
    broken: list[BrokenLink] = []
    pilot_table: Table = PilotRow.__table__  # type: ignore[attr-defined]
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


# An anchor outside the database: ``pilots audit anchor`` and ``audit verify --anchor``.

ANCHOR_BATCH = 10_000  # anchored events looked up per query (two parameters each)


def chain_heads(store: Store) -> dict[str, Head]:
    """Every chain's newest event: each registered pilot's and the register's (``REGISTER``)."""
    event: Table = EventRow.__table__  # type: ignore[attr-defined]
    pilot: Table = PilotRow.__table__  # type: ignore[attr-defined]
    register: Table = RegisterEventRow.__table__  # type: ignore[attr-defined]
    newest = (
        select(event.c.pilot_id, func.max(event.c.seq).label("seq"))
        .group_by(event.c.pilot_id)
        .subquery()
    )
    statement = (
        select(event.c.pilot_id, event.c.seq, event.c.hash)
        .join(newest, and_(event.c.pilot_id == newest.c.pilot_id, event.c.seq == newest.c.seq))
        .join(pilot, pilot.c.id == event.c.pilot_id)
    )
    last = select(register.c.seq, register.c.hash).order_by(register.c.seq.desc()).limit(1)
    with reading(store) as session:
        heads = {pid: Head(seq, hash_) for pid, seq, hash_ in session.execute(statement)}
        row = session.execute(last).first()
    heads[REGISTER] = Head(row[0], row[1]) if row else Head(0, GENESIS)
    return heads


def make_anchor(store: Store, *, workers: int | None = None) -> tuple[AuditReport, Anchor | None]:
    """Verify the store, then fix every chain's head; no anchor while anything is broken.

    The heads are read before the check and looked up again after it, so what is anchored is
    part of the history the check found intact, even while others append.
    """
    heads = chain_heads(store)
    report = verify(store, workers=workers)
    if report.broken:
        return report, None
    anchor = Anchor(clock.now(), heads)
    moved = check_anchor(store, anchor).broken
    if moved:
        return AuditReport(report.pilots, report.events, moved), None
    return report, anchor


def check_anchor(store: Store, anchor: Anchor, pilot_id: str | None = None) -> AnchorCheck:
    """Whether each anchored chain (or only ``pilot_id``'s) still holds its anchored event.

    Run it with ``verify``: the chain check proves every event up to the anchored one from its
    hash, this proves that hash is the anchored one. Chains and events added since are fine.
    """
    heads = {
        name: head
        for name, head in anchor.heads.items()
        if head.seq and (pilot_id is None or name == pilot_id)
    }
    pairs = [(name, head.seq) for name, head in sorted(heads.items()) if name != REGISTER]
    event: Table = EventRow.__table__  # type: ignore[attr-defined]
    register: Table = RegisterEventRow.__table__  # type: ignore[attr-defined]
    hash_at: dict[tuple[str, int], str] = {}
    with reading(store) as session:
        for start in range(0, len(pairs), ANCHOR_BATCH):
            wanted = tuple_(event.c.pilot_id, event.c.seq).in_(pairs[start : start + ANCHOR_BATCH])
            statement = select(event.c.pilot_id, event.c.seq, event.c.hash).where(wanted)
            hash_at.update(((pid, seq), hash_) for pid, seq, hash_ in session.execute(statement))
        if REGISTER in heads:
            seq = heads[REGISTER].seq
            stored = session.execute(select(register.c.hash).where(register.c.seq == seq))
            for (hash_,) in stored:
                hash_at[(REGISTER, seq)] = hash_
    broken = [link for link in anchor_breaks(anchor, hash_at) if link.pilot_id in heads]
    broken.sort(key=lambda b: (b.pilot_id.startswith("("), b.pilot_id))
    return AnchorCheck(anchor, len(heads), broken)


def read_anchor(path: Path) -> Anchor:
    """An anchor file, read and checked against its own root hash; ``UsageError`` if unusable."""
    hint = "pass the file `pilots audit anchor` wrote, as it was committed or mailed"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"anchor file {path}: it does not exist", hint=hint) from None
    except IsADirectoryError:
        raise UsageError(f"anchor file {path}: it is a directory", hint=hint) from None
    except UnicodeDecodeError:
        raise UsageError(f"anchor file {path}: not an anchor file (not UTF-8 text)") from None
    except OSError as exc:
        raise UsageError(f"anchor file {path}: it cannot be read ({exc.strerror})") from None
    try:
        return parse_anchor(text)
    except BadAnchor as exc:
        raise UsageError(f"anchor file {path}: {exc}", hint=hint) from None
