"""``pilots audit verify``: recompute every hash chain and prove the tables with it.

The chain catches an event that was edited, deleted or reordered; the anchor (``head_hash`` on
the pilot row, the ``register`` row for the register chain) catches events removed from the
end; the state digests in the newest event catch any row of any table that was changed,
added or removed without an event (``domain.state``), and the register chain's digests catch a
pilot deleted whole. Only when something differs does verify replay the history, to name the
column or table that was changed.

Speed: the fast pass (``services.audit_pass``) reads every row once through the driver and
hashes the texts as stored. What it cannot clear is judged here from typed values, so older
rows written in another form never cause a false alarm.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Table, and_, func, select, tuple_
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from genai_pilots import clock
from genai_pilots.domain.anchor import Anchor, BadAnchor, Head, anchor_breaks, parse_anchor
from genai_pilots.domain.audit import GENESIS, REGISTER_CHAIN, BrokenLink, replay
from genai_pilots.domain.state import pilot_state
from genai_pilots.errors import UsageError
from genai_pilots.i18n import N_, _
from genai_pilots.readmodels import AnchorCheck
from genai_pilots.services.audit_pass import (
    REGISTER,
    AuditReport,
    FastRows,
    Pass,
    RegisterRead,
    Selection,
    StoredEvent,
    check_chain,
    pilot_ids,
    prove_all,
    prove_range,
    read_chain,
    read_tables,
    register_anchor,
    report_order,
    with_register,
)
from genai_pilots.services.events import pilot_tables, register_tables
from genai_pilots.services.files import read_input
from genai_pilots.services.parallel import no_collection
from genai_pilots.services.transactions import Store, reader_of, reading
from genai_pilots.store.driver import open_reader
from genai_pilots.store.guards import foreign_code
from genai_pilots.store.models import EventRow, PilotRow, RegisterEventRow, metadata

__all__ = ["REGISTER", "AuditReport", "verify", "verify_in"]

READ_ERRORS = (ValueError, TypeError, StatementError)


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
        return _("pilot.definition_hash was changed directly: it does not match the definition")
    try:
        derived = columns(stored_definition(pilot["definition"]))
    except DamagedDefinition:
        return _("pilot.definition was changed directly: it is no longer a valid definition")
    for name, value in derived.items():
        if name not in ("definition", "definition_hash") and pilot[name] != value:
            return _(
                "pilot.{name} was changed directly: it no longer matches the definition"
            ).format(name=name)
    state = replay(events)
    expected = {
        "stage": state.stage, "outcome": state.outcome, "paused": state.paused,
        "iterations": state.iterations,
    }  # fmt: skip
    for name, value in expected.items():
        if pilot[name] != value:
            return _(
                "pilot.{name} was changed directly: the row says {row}, its history says {value}"
            ).format(name=name, row=pilot[name], value=value)
    if state.review_needed != (pilot["review_since"] is not None):
        return _("pilot.review_since was changed directly: it does not match the history")
    return _("a column of the pilot row was changed directly (dates or counters)")


def _name_the_change(
    pilot: Mapping[str, Any],
    events: list[StoredEvent],
    owned: Mapping[str, Sequence[Mapping[str, Any]]],
    recorded: dict[str, str],
) -> str:
    """What differs between typed rows and the state the newest event fixed, named."""
    from genai_pilots.domain.stored_definitions import (
        definition_hash,  # only when something differs
    )

    actual = pilot_state(pilot, {t.name: owned.get(t.name, []) for t in pilot_tables()})
    if actual.get("definition") != recorded.get("definition"):
        if definition_hash(pilot["definition"]) != pilot["definition_hash"]:
            return _("pilot.definition was changed directly (not by an import)")
        return _("pilot.definition and pilot.definition_hash were changed directly")
    if actual.get("pilot") != recorded.get("pilot"):
        return _pilot_columns_problem(pilot, events)
    table = next(name for name in sorted(actual.keys() | recorded.keys())
                 if actual.get(name) != recorded.get(name))  # fmt: skip
    return _("rows of the {table} table were changed, added or removed directly").format(
        table=table
    )


Sessions = Callable[[], AbstractContextManager[Session]]  # where a check reads (again)


def verify(store: Store, pilot_id: str | None = None, *, workers: int | None = None) -> AuditReport:
    """Check one pilot's history, or every pilot's and the register's.

    The fast pass (``services.audit_pass``) reads every table once, through the driver where
    it can (two processes on a large register; ``workers=1`` keeps it in one); whatever it
    cannot clear is read again, events and tables in one transaction, and judged in full. A
    value the database cannot even hand back (text where a date or JSON belongs: only SQLite
    lets that in) is reported as a broken table, never as a crash.
    """
    selection = Selection(pilot_id)

    def sessions() -> AbstractContextManager[Session]:
        return reading(store)

    with no_collection():
        try:
            passed = _fast_pass(store, selection, workers)
        except READ_ERRORS:
            return AuditReport(0, 0, _unreadable(sessions))
        report = _finish(sessions, passed)
    with sessions() as session:
        code = foreign_code(reader_of(session.connection()))
    if not code:
        return report
    return replace(
        report, broken=[*(BrokenLink(DATABASE_CODE, 0, p) for p in code), *report.broken]
    )


def _fast_pass(store: Store, selection: Selection, workers: int | None) -> Pass:
    """Read and check everything fast: the whole register through the driver if it can."""
    if selection.everything:
        with open_reader(store.url) as reader:
            if reader is not None:
                passed = prove_all(store.url, reader, workers=workers)
                with reading(store) as session:
                    return with_register(passed, *_typed_register(session))
    with reading(store) as session:
        passed = prove_range(reader_of(session.connection()), selection)
        return with_register(passed, *_typed_register(session)) if selection.everything else passed


def _typed_register(session: Session) -> tuple[RegisterRead, list[str]]:
    """The register chain and the rows of the tables it proves, read typed; every pilot id."""
    reader = reader_of(session.connection())
    chain = read_chain(reader, "register_event", REGISTER_CHAIN)
    rows: dict[str, list[Mapping[str, Any]]] = {
        t.name: [dict(r) for r in session.execute(select(t)).mappings()] for t in register_tables()
    }
    return (chain, register_anchor(reader), rows), pilot_ids(reader)


def _finish(sessions: Sessions, passed: Pass) -> AuditReport:
    """The fast pass's verdict, with what it left judged in full."""
    broken = list(passed.broken)
    try:
        broken += _judge_in_full(sessions, passed.again)
    except READ_ERRORS:
        broken += _unreadable(sessions)
    broken.sort(key=report_order)
    return AuditReport(passed.pilots, passed.events, broken)


DATABASE_CODE = "(database code)"  # where a trigger or rule the tool did not create is named

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

    chunk = chunk or CHUNK
    reader = reader_of(session.connection())
    with no_collection():
        try:
            register, ids = _typed_register(session)
            edges: list[str | None] = [None, *ids[chunk::chunk], None]
            passed = Pass(0, 0, [])
            for low, high in itertools.pairwise(edges):
                part = _finish(sessions, prove_range(reader, Selection(low=low, high=high)))
                passed = Pass(passed.pilots + part.pilots, passed.events + part.events,
                              passed.broken + part.broken)  # fmt: skip
        except READ_ERRORS:
            return AuditReport(0, 0, _unreadable(sessions))
        return _finish(sessions, with_register(passed, register, ids))


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
                        _(
                            "a stored value cannot be read ({problem}): it was written directly"
                        ).format(problem=problem),
                    )
                )  # fmt: skip
    return broken or [BrokenLink("(store)", 0, _("a stored value cannot be read"))]


def _judge_in_full(sessions: Sessions, pilot_ids: Sequence[str]) -> list[BrokenLink]:
    """Judge in full each pilot the fast pass did not clear, read again.

    History and tables are read in one transaction here, so a write that fell between the fast
    pass's two reads is never mistaken for an edit.
    """
    broken: list[BrokenLink] = []
    if not pilot_ids:
        return broken
    with sessions() as session:
        reader = reader_of(session.connection())
        for pid in pilot_ids:
            tables = read_tables(reader, Selection(pid), register=False)
            chain = read_chain(reader, "event", pid)
            fast = tables.fast_rows(tables.pilots[0])
            head = tables.pilots[0][tables.names.index("head_hash")]
            suspect: list[list[StoredEvent]] = []

            def state_problem(
                c: list[StoredEvent] = chain,
                f: FastRows = fast,
                later: list[list[StoredEvent]] = suspect,
            ) -> str | None:
                if not c:
                    return _("its history is missing")
                recorded = c[-1].state
                if recorded is None:
                    return _("the newest event does not record the state it left")
                if not f.matches(recorded):
                    later.append(c)  # checked again from typed values
                return None

            link = check_chain(pid, chain, head, state_problem)
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
    hint = _("pass the file `pilots audit anchor` wrote, as it was committed or mailed")
    if not path.exists() and not path.is_symlink():
        raise UsageError(_("anchor file {path}: it does not exist").format(path=path), hint=hint)
    # bounded: never a device or a hang
    data = read_input(path, what=N_("anchor file"), hint=hint)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            _("anchor file {path}: not an anchor file (not UTF-8 text)").format(path=path)
        ) from None
    try:
        return parse_anchor(text)
    except BadAnchor as exc:
        raise UsageError(
            _("anchor file {path}: {problem}").format(path=path, problem=exc), hint=hint
        ) from None
