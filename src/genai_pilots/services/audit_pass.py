"""The fast pass of ``audit verify``: every table read once, every chain hashed, no SQLAlchemy.

Every row of the register is read, so rows are read with plain SELECTs through the driver
(``store.driver``), JSON as the text that was stored (it is written canonically, see
``store.engine``) and dates as UTC text; hashes and state digests are computed from those texts.
A pilot whose rows give exactly the digests its newest event recorded, and whose chain hashes
from its texts, is proven here. Whatever this pass cannot clear is left to ``services.audit``,
which reads it again from typed values and names what changed: older rows written in another
form never cause a false alarm.

``verify_quickly`` and ``check_quickly`` run the whole check without importing SQLAlchemy when
the store is plainly readable and everything is intact, the common case on a large register;
they give ``None`` for anything else, and the caller takes the full path.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from genai_pilots.domain.audit import (
    GENESIS,
    REGISTER_CHAIN,
    BrokenLink,
    event_hash,
    event_hash_text,
    stored_chain_head,
    verify_chain,
)
from genai_pilots.domain.state import Shape, digest, moment_text, register_state, state_of
from genai_pilots.errors import NotFound
from genai_pilots.i18n import _
from genai_pilots.services.parallel import (
    can_fork,
    no_collection,
    one_forked_worker,
    second_core_pays,
)
from genai_pilots.store import layout
from genai_pilots.store.driver import Reader, open_reader, resolve_url
from genai_pilots.store.guards import foreign_code

REGISTER = "(register)"  # how the register-wide chain is named in a report


@dataclass(frozen=True, slots=True)
class AuditReport:
    """How many pilots and events were checked, and each broken one."""

    pilots: int
    events: int
    broken: list[BrokenLink]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What ``pilots db check`` found: engine-level problems and broken histories."""

    engine_problems: list[str]
    audit: AuditReport

    @property
    def ok(self) -> bool:
        """Whether nothing at all was found."""
        return not self.engine_problems and not self.audit.broken


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
    """An event's moment as the hash has it; the text read is used without parsing."""
    if isinstance(at, str):
        return f"{at[:10]}T{at[11:]}+00:00"
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def recompute(event: StoredEvent) -> str:
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


@dataclass(frozen=True, slots=True)
class Selection:
    """Which pilots a check covers: one, a range of ids (a worker's share), or all."""

    pilot_id: str | None = None
    low: str | None = None  # inclusive
    high: str | None = None  # exclusive

    def where(self, key: str, mark: str) -> tuple[str, list[str]]:
        """The WHERE clause (and its parameters) that keeps the selected pilots' rows.

        The range without a lower end also takes rows with no pilot id at all, so that the
        ranges of a register together read every row (and such rows are reported).
        """
        if self.pilot_id is not None:
            return f' WHERE "{key}" = {mark}', [self.pilot_id]
        conditions, parameters = [], []
        if self.low is not None:
            conditions.append(f'"{key}" >= {mark}')
            parameters.append(self.low)
        if self.high is not None:
            below = f'"{key}" < {mark}'
            conditions.append(below if self.low is not None else f'({below} OR "{key}" IS NULL)')
            parameters.append(self.high)
        return (" WHERE " + " AND ".join(conditions) if conditions else ""), parameters

    @property
    def everything(self) -> bool:
        """Whether it covers the whole register (so the register chain is checked too)."""
        return self.pilot_id is None and self.low is None and self.high is None


def read(
    reader: Reader, table: str, selection: Selection, *, order: str = ""
) -> tuple[list[str], list[Any]]:
    """A table's rows of the selected pilots as tuples, read fast, with their column names.

    A row's own id is not state (``domain.state``), so it is not read, except a pilot's.
    """
    key = "id" if table == "pilot" else "pilot_id"
    without = () if table == "pilot" else ("id",)
    where, parameters = selection.where(key, reader.mark)
    columns = layout.read_as(table, reader.dialect, without=without)
    return reader.rows(f'SELECT {columns} FROM "{table}"{where}{order}', parameters)


def shape(table: str, names: Sequence[str], skip: Sequence[str] = ()) -> Shape:
    """The canonical text of a table's rows as ``read`` hands them back."""
    return Shape(names, skip, layout.of_kind(table, "flag"))


@dataclass(slots=True)
class FastRows:
    """A pilot's rows as read fast: its row's canonical text and digests, its tables' texts."""

    pilot_text: str
    definition_digest: str
    tables: dict[str, list[str]]

    def matches(self, recorded: dict[str, str]) -> bool:
        """Whether they give exactly the digests the newest event recorded."""
        tables = {name: self.tables.get(name, []) for name in layout.PILOT_TABLES}
        return state_of(self.pilot_text, self.definition_digest, tables) == recorded


@dataclass(slots=True)
class Chains:
    """Every chain of a selection, read and checked on its own (without the other tables)."""

    events: int  # how many were read
    tails: dict[str, tuple[str, str | None]]  # pilot -> (newest hash, newest state text)
    broken: dict[str, BrokenLink]  # pilots whose chain itself is broken


def read_chains(reader: Reader, selection: Selection) -> Chains:
    """Read the event table (storage order, then sorted per pilot) and check every chain."""
    columns = ("pilot_id", "seq", "at", "actor", "kind", "payload", "reason", "prev_hash",
               "hash", "state")  # fmt: skip
    where, parameters = selection.where("pilot_id", reader.mark)
    select = layout.select_list("event", reader.dialect, columns)
    rows = reader.rows(f'SELECT {select} FROM "event"{where}', parameters)[1]
    events: dict[str, list[Any]] = defaultdict(list)
    for event in rows:
        events[event[0]].append(event)
    chains = Chains(len(rows), {}, {})
    for pid, chain in events.items():
        chain.sort(key=itemgetter(1))  # by seq
        newest = stored_chain_head(pid, chain)
        if newest is None:  # not as written by this release: parse, recompute, name the break
            link = verify_chain(pid, [StoredEvent(*e) for e in chain], recompute)
            if link is not None:
                chains.broken[pid] = link
                continue
            newest = chain[-1][8]
        chains.tails[pid] = (newest, chain[-1][9])
    return chains


def read_chain(reader: Reader, table: str, pilot_id: str) -> list[StoredEvent]:
    """One chain's events in order: a pilot's (``event``) or the register's (``register_event``)."""
    key = "" if table == "register_event" else ' WHERE "pilot_id" = ' + reader.mark
    columns = layout.read_as(table, reader.dialect, without=("id", "pilot_id"))
    sql = f'SELECT {columns} FROM "{table}"{key} ORDER BY "seq"'
    rows = reader.rows(sql, [] if table == "register_event" else [pilot_id])[1]
    return [StoredEvent(pilot_id, *row) for row in rows]


Rows = Mapping[str, Sequence[Mapping[str, Any]]]
RegisterRead = tuple[list[StoredEvent], str, Rows]  # its chain, its anchor, its tables' rows


def read_register(reader: Reader) -> RegisterRead:
    """The register chain, its anchor and the rows of the tables it proves, as values.

    The rows are turned into the values SQLAlchemy would hand back (JSON parsed, flags as
    booleans, moments and days in their one canonical text), since their digests are computed
    from values; the full path reads them typed (``services.audit``).
    """
    chain = read_chain(reader, "register_event", REGISTER_CHAIN)
    rows: dict[str, list[Mapping[str, Any]]] = {}
    for table in layout.REGISTER_TABLES:
        names, found = reader.rows(f'SELECT {layout.read_as(table, reader.dialect)} FROM "{table}"')
        convert = {name: _VALUE_OF[kind] for name, kind in layout.COLUMNS[table] if kind != "plain"}
        rows[table] = [
            {n: v if v is None or n not in convert else convert[n](v)
             for n, v in zip(names, row, strict=True)}
            for row in found
        ]  # fmt: skip
    return chain, register_anchor(reader), rows


_VALUE_OF: dict[str, Callable[[Any], Any]] = {
    "json": json.loads,
    "flag": bool,
    "moment": lambda text: moment_text(dt.datetime.fromisoformat(text)),
    "day": lambda text: dt.date.fromisoformat(text).isoformat(),
}


def register_anchor(reader: Reader) -> str:
    """The register chain's newest hash as the ``register`` row keeps it."""
    anchor = reader.rows('SELECT "head_hash" FROM "register" WHERE "id" = 1')[1]
    return str(anchor[0][0]) if anchor else GENESIS


@dataclass(slots=True)
class Tables:
    """The pilot rows and every table that hangs off them, as read fast; the register chain."""

    names: list[str]
    pilots: Sequence[Any]
    owned: dict[str, dict[str, list[str]]]  # pilot -> table -> its rows' canonical texts
    register: RegisterRead | None

    def ids(self) -> list[str]:
        """The ids of the pilot rows read (a row without one is reported on its own)."""
        at = self.names.index("id")
        return [row[at] for row in self.pilots if isinstance(row[at], str)]

    def fast_rows(self, row: Sequence[Any]) -> FastRows:
        """A pilot row's canonical text and digests, with its tables' row texts."""
        pilot_shape = shape("pilot", self.names, skip=("definition",))
        pid, definition = row[self.names.index("id")], row[self.names.index("definition")]
        return FastRows(pilot_shape.text(row), digest(definition), self.owned[pid])


def read_tables(reader: Reader, selection: Selection, *, register: bool = True) -> Tables:
    """The selected pilots' rows and every table that hangs off them (and the register's)."""
    names, pilot_rows = read(reader, "pilot", selection)
    if selection.pilot_id is not None and not pilot_rows:
        raise NotFound(
            _("no pilot with id '{id}'").format(id=selection.pilot_id),
            hint=_("`pilots status` lists the pilots in the register"),
        )
    owned: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for table in layout.PILOT_TABLES:
        columns, rows = read(reader, table, selection)
        text, key = shape(table, columns).text, columns.index("pilot_id")
        for row in rows:
            owned[row[key]][table].append(text(row))
    chain = read_register(reader) if register and selection.everything else None
    return Tables(names, pilot_rows, owned, chain)


@dataclass(slots=True)
class Pass:
    """What the fast pass proved and what it leaves to be judged in full."""

    pilots: int
    events: int
    broken: list[BrokenLink]
    again: list[str] = field(default_factory=list)  # pilots to read again and judge in full


def check(tables: Tables, chains: Chains) -> Pass:
    """Every pilot whose chain verifies and whose rows give its newest event's digests passes."""
    names = tables.names
    pilot_shape = shape("pilot", names, skip=("definition",))
    at = {name: names.index(name) for name in ("id", "head_hash", "definition")}
    broken = []
    again = []
    for row in sorted(tables.pilots, key=lambda r: str(r[at["id"]])):
        pid = row[at["id"]]
        if not isinstance(pid, str):
            broken.append(
                BrokenLink("(pilot table)", 0, _("a pilot row without an id: added directly"))
            )
            continue
        if pid in chains.broken:
            broken.append(chains.broken[pid])
            continue
        newest, recorded = chains.tails.get(pid, (None, None))
        if newest == row[at["head_hash"]] and recorded is not None:
            fast = FastRows(pilot_shape.text(row), digest(row[at["definition"]]), tables.owned[pid])
            if fast.matches(json.loads(recorded)):
                continue
        again.append(pid)  # its rows differ from its newest event (or were read a moment apart)
    broken += orphans(chains, tables.ids()) + orphan_rows(tables)
    return Pass(len(tables.pilots), chains.events, broken, again)


def prove_range(reader: Reader, selection: Selection) -> Pass:
    """Read and check a range of pilots: their rows, their chains, chains without a pilot."""
    return check(read_tables(reader, selection), read_chains(reader, selection))


def with_register(passed: Pass, register: RegisterRead, ids: list[str]) -> Pass:
    """The pass with the register chain checked against ``ids``, every registered pilot."""
    broken = passed.broken + check_register(register, ids)
    return Pass(passed.pilots, passed.events + len(register[0]), broken, passed.again)


def orphans(chains: Chains, ids: Sequence[str]) -> list[BrokenLink]:
    """Chains of pilots that have no row in the pilot table (or no pilot id at all)."""
    known = set(ids)
    found = [key for key in chains.tails.keys() | chains.broken.keys() if key not in known]
    return [_orphan("event", key, "events") for key in _in_order(found)]


def orphan_rows(tables: Tables) -> list[BrokenLink]:
    """Rows of a pilot's tables whose pilot id is no pilot's (exactly), or missing."""
    known = set(tables.ids())
    found: dict[str | None, list[str]] = defaultdict(list)
    for key, owned in tables.owned.items():
        if key not in known:
            found[key] += [table for table, texts in owned.items() if texts]
    return [_orphan(table, key, "rows") for key in _in_order(found) for table in sorted(found[key])]


def _in_order(keys: Collection[Any]) -> list[Any]:
    """Pilot ids in order, a missing one (``None``) first; never mixing types in a sort."""
    keys = list(keys)
    return [k for k in keys if not isinstance(k, str)] + sorted(
        k for k in keys if isinstance(k, str)
    )


def _orphan(table: str, key: Any, what: str) -> BrokenLink:
    events = what == "events"
    if isinstance(key, str):
        if table == "event":
            problem = _(
                "events of a pilot that is not in the register: its row was deleted, or the "
                "events were added directly"
            )
        else:
            problem = _(
                "rows of the {table} table for a pilot that is not in the register: its row was "
                "deleted, or the rows were added directly"
            ).format(table=table)
        return BrokenLink(key, 0, problem)
    problem = (
        _("events without a pilot id ({key!r}): added directly")
        if events
        else _("rows without a pilot id ({key!r}): added directly")
    ).format(key=key)
    return BrokenLink(f"({table} table)", 0, problem)


def check_chain(
    name: str, events: list[StoredEvent], head: str, state_problem: Callable[[], str | None]
) -> BrokenLink | None:
    """A chain's first broken link, a missing end, or what its newest state says is wrong."""
    link = verify_chain(name, events, recompute)
    if link is not None:
        return link
    if (events[-1].hash if events else GENESIS) != head:
        last = events[-1].seq if events else 0
        return BrokenLink(name, last + 1, _("events after this one were removed"))
    problem = state_problem()
    return BrokenLink(name, events[-1].seq if events else 0, problem) if problem else None


def check_register(register: RegisterRead, ids: list[str]) -> list[BrokenLink]:
    """The register chain, its anchor, and the register-wide tables it proves."""
    chain, head, rows = register
    link = check_chain(REGISTER, chain, head, lambda: _register_problem(chain, rows, ids))
    return [] if link is None else [link]


def _register_problem(chain: list[StoredEvent], rows: Rows, ids: list[str]) -> str | None:
    recorded = (chain[-1].state if chain else {}) or {}
    actual = register_state(rows, ids)
    if recorded == actual:
        return None
    if actual.get("pilots") != recorded.get("pilots"):
        return _("pilots were added to or removed from the pilot table directly")
    table = next(name for name in sorted(actual.keys() | recorded.keys())
                 if actual.get(name) != recorded.get(name))  # fmt: skip
    return _("rows of the {table} table were changed, added or removed directly").format(
        table=table
    )


def report_order(link: BrokenLink) -> tuple[bool, str]:
    """Pilots first, by id; then the register and tables."""
    return link.pilot_id.startswith("("), link.pilot_id


# Below this many events one process is done before a second one would have started.
PARALLEL_FROM = 20_000


def prove_all(url: str, reader: Reader, *, workers: int | None = None) -> Pass:
    """Every pilot of the register at ``url`` read and checked, ``reader`` being open on it.

    A large register is split at the middle pilot id: a forked process proves the upper
    half with its own connection while this one proves the lower half, each reading its
    share of every table once. ``workers=1`` keeps it in one process (by default: two when
    there are two cores and enough events). The register chain is not part of it
    (``with_register``).
    """
    if not _in_parallel(reader, workers):
        return prove_range(reader, Selection())
    ids = pilot_ids(reader)
    if not ids:
        return prove_range(reader, Selection())
    middle = ids[len(ids) // 2]
    with one_forked_worker() as pool:
        pending = pool.submit(_prove_in_worker, url, Selection(low=middle))
        lower = prove_range(reader, Selection(high=middle))
        upper = pending.result()
    if upper is None:
        upper = prove_range(reader, Selection(low=middle))
    return Pass(lower.pilots + upper.pilots, lower.events + upper.events,
                lower.broken + upper.broken, lower.again + upper.again)  # fmt: skip


def pilot_ids(reader: Reader) -> list[str]:
    """Every pilot id, in the database's own order (its collation cuts the ranges)."""
    return [row[0] for row in reader.rows('SELECT "id" FROM "pilot" ORDER BY "id"')[1]]


def _in_parallel(reader: Reader, workers: int | None) -> bool:
    if workers == 1 or not can_fork():
        return False
    if workers is not None:
        return True
    events = reader.rows('SELECT count(*) FROM "event"')[1][0][0]
    return second_core_pays(events, PARALLEL_FROM)


def _prove_in_worker(url: str, selection: Selection) -> Pass | None:
    """A range proven in a forked worker with its own connection; ``None``: prove it here."""
    with no_collection(), open_reader(url) as reader:
        return None if reader is None else prove_range(reader, selection)


def verify_quickly(url: str | None, *, workers: int | None = None) -> AuditReport | None:
    """The whole register proven intact without SQLAlchemy, or ``None``: take the full path.

    ``None`` when the store is not plainly readable by the driver (``store.driver``), when
    anything could not be read, and when anything at all is not proven: the full path then
    reads it again, judges it and names what is wrong.
    """
    resolved = resolve_url(url)
    with no_collection(), open_reader(resolved) as reader:
        if reader is None:
            return None
        try:
            if foreign_code(reader):
                return None  # the full path names it
            passed = with_register(
                prove_all(resolved, reader, workers=workers),
                read_register(reader),
                pilot_ids(reader),
            )
        except Exception:  # noqa: BLE001 - unreadable values: the full path reports them
            return None
    if passed.broken or passed.again:
        return None
    return AuditReport(passed.pilots, passed.events, [])


def engine_problems(reader: Reader) -> list[str]:
    """What the database engine itself finds wrong with the store's files or constraints."""
    if reader.dialect == "sqlite":
        checked = [r[0] for r in reader.rows("PRAGMA integrity_check")[1]]
        problems = [f"integrity_check: {r}" for r in checked if r != "ok"]
        return problems + [
            _("foreign key broken in {table} (row {row}) to {parent}").format(
                table=r[0], row=r[1], parent=r[2]
            )
            for r in reader.rows("PRAGMA foreign_key_check")[1]
        ]
    # PostgreSQL enforces constraints itself; reading every table proves the heap and indexes
    # of our tables can be scanned.
    for table in layout.COLUMNS:
        reader.rows(f'SELECT count(*) FROM "{table}"')
    return []


def check_quickly(url: str | None) -> CheckResult | None:
    """``db check`` without SQLAlchemy when all is well, or ``None``: take the full path.

    The engine's own check (SQLite's ``integrity_check`` reads the whole file) runs in a
    forked process while the histories are verified here.
    """
    resolved = resolve_url(url)
    if not can_fork():  # pragma: no cover - Windows
        return None
    with one_forked_worker() as pool:
        engine_check = pool.submit(_engine_problems_in_worker, resolved)
        audit = verify_quickly(resolved)
        problems = engine_check.result()
    if audit is None or problems is None or problems:
        return None
    return CheckResult(problems, audit)


def _engine_problems_in_worker(url: str) -> list[str] | None:
    with open_reader(url) as reader:
        if reader is None:
            return None
        try:
            return engine_problems(reader)
        except Exception:  # noqa: BLE001 - the full path runs the check again and reports
            return None
