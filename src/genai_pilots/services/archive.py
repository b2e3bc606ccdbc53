"""``pilots db dump | restore | copy``: a whole register as one stream of rows, and back.

One encoding serves all three (``domain.dump``, specified in docs/dump-format.md): a dump writes
the stream a store gives to a file, a restore loads a file's stream into a store, and a copy
pipes one store's stream straight into another. So a copy exercises exactly the code a dump
and a restore share, and a register moves between SQLite and PostgreSQL without a file.

Reading takes one snapshot (SQLite's read transaction, PostgreSQL's REPEATABLE READ), so a dump
made while others write is a register as it stood at one moment. Rows stream from the driver
in batches; nothing holds the whole register.

Loading is one transaction on the target: it refuses a store that holds anything, inserts every
row as it was (ids included: the playbook order is state, and ids are what the chains' rows
carry), moves PostgreSQL's id sequences past them, then verifies every chain and table on that
same transaction (``audit.verify_in``) and commits only if everything holds. Whatever fails —
a bad line, a row the database refuses, a chain that does not verify — rolls it all back.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    TypeDecorator,
    delete,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import Session

from genai_pilots import __version__, clock
from genai_pilots.domain.audit import GENESIS, BrokenLink
from genai_pilots.domain.dump import (
    MAX_LINE,
    BadDump,
    Column,
    DumpReader,
    Header,
    Kind,
    RowWriter,
    TableSpec,
    header_line,
    parse_header,
)
from genai_pilots.errors import CheckFailed, StoreError, UsageError
from genai_pilots.i18n import N_, _, ngettext
from genai_pilots.readmodels import ArchiveResult
from genai_pilots.services.audit import READ_ERRORS, verify_in
from genai_pilots.services.exporting import atomic_file
from genai_pilots.services.files import describe_os_error, open_input
from genai_pilots.services.transactions import Store, open_store, refusals_as_errors, transaction
from genai_pilots.store import roles
from genai_pilots.store.engine import canonical_json, mask, resolve_url
from genai_pilots.store.migrate import HEAD, current_revision, known_revisions
from genai_pilots.store.models import RegisterRow, metadata

BATCH = 1000  # rows per read from the driver and per INSERT

# (phase, done, total): "dump" or "load" count rows, "verify" runs once the rows are in.
Progress = Callable[[str, int, int], None]

REGISTER_TABLE: Table = RegisterRow.__table__  # type: ignore[attr-defined]


def _kind(column: Any) -> Kind:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # SQLModel's AutoString: a String underneath
        kind = kind.impl_instance
    for sql_type, dumped in (
        (Boolean, Kind.BOOLEAN), (DateTime, Kind.MOMENT), (Date, Kind.DATE), (JSON, Kind.JSON),
        (Float, Kind.FLOAT), (Integer, Kind.INTEGER), (String, Kind.TEXT),
    ):  # fmt: skip
        if isinstance(kind, sql_type):
            return dumped
    raise AssertionError(f"no dump kind for {column.table.name}.{column.name}: {kind!r}")


def dumped_tables() -> list[tuple[Table, TableSpec]]:
    """Every table of the register, parents first (the order a restore inserts them).

    Alembic's version table is not among them: the header carries the schema revision.
    """
    tables = []
    for table in metadata.sorted_tables:
        columns = tuple(
            Column(c.name, _kind(c), bool(c.nullable), getattr(c.type, "length", None))
            for c in table.c
        )
        tables.append((table, TableSpec(table.name, columns)))
    return tables


# Reading a store.


def dump_lines(store: Store, progress: Progress | None = None) -> Generator[str, None, None]:
    """The store as dump lines, header first, every table from one snapshot."""
    specs = dumped_tables()
    engine = store.engine.execution_options(sqlite_begin="DEFERRED")
    with refusals_as_errors(), engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with connection.begin():
            counts = {
                spec.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table, spec in specs
            }
            revision = current_revision(connection) or HEAD
            yield header_line(revision, __version__, clock.now(), counts)
            total, done = sum(counts.values()), 0
            streaming = connection.execution_options(stream_results=True, yield_per=BATCH)
            postgresql = connection.dialect.name == "postgresql"
            for table, spec in specs:
                writer = RowWriter(spec)
                statement = select(*table.c).order_by(*_in_byte_order(table, postgresql))
                try:
                    for row in streaming.execute(statement):
                        yield _line(writer, row)
                        done += 1
                        if progress is not None and done % BATCH == 0:
                            progress("dump", done, total)
                except READ_ERRORS as exc:  # text in a date column: only SQLite lets that in
                    raise StoreError(
                        _("the {table} table holds a value that cannot be read ({problem})").format(
                            table=spec.name, problem=str(exc).splitlines()[0][:120]
                        ),
                        hint=_(
                            "it was written outside genai-pilots; `pilots audit verify` names where"
                        ),
                    ) from None
            if progress is not None:
                progress("dump", done, total)


def _in_byte_order(table: Table, postgresql: bool) -> list[Any]:
    """The primary key, text compared byte by byte on both engines (SQLite's only way).

    So the same register gives the same dump whichever engine holds it.
    """
    key = list(table.primary_key.columns)
    if not postgresql:
        return key
    return [c.collate("C") if isinstance(c.type, String | TypeDecorator) else c for c in key]


def _line(writer: RowWriter, row: Any) -> str:
    try:
        return writer.line(row)
    except (ValueError, TypeError) as exc:
        key = row[0]
        raise StoreError(
            _("the {table} row {key!r} holds a value a dump cannot carry ({problem})").format(
                table=writer.table.name, key=key, problem=exc
            ),
            hint=_("it was written outside genai-pilots; `pilots audit verify` shows where"),
        ) from None


def dump_to(store: Store, handle: TextIO, progress: Progress | None = None) -> ArchiveResult:
    """Write the whole register to ``handle`` (stdout, for ``pilots db dump -``)."""
    header: Header | None = None
    with closing(dump_lines(store, progress)) as lines:
        for line in lines:
            if header is None:
                header = parse_header(line, [spec for _, spec in dumped_tables()])
            handle.write(line)
    assert header is not None
    return ArchiveResult(header.schema_revision, header.counts)


def dump_file(store: Store, path: Path, progress: Progress | None = None) -> ArchiveResult:
    """Write the whole register to ``path``, atomically: a failed dump leaves no file behind."""
    with atomic_file(path) as (handle, _):
        return dump_to(store, handle, progress)


# Loading a store.


class DumpDoesNotVerify(CheckFailed):
    """The loaded rows do not verify: nothing was committed. ``broken`` names each chain."""

    def __init__(self, source: str, broken: list[BrokenLink]) -> None:
        super().__init__(
            ngettext(
                "{source}: {count} chain does not verify; nothing was restored",
                "{source}: {count} chains do not verify; nothing was restored",
                len(broken),
            ).format(source=source, count=len(broken)),
            hint=_(
                "the dump was changed after it was made, or made of a store that does not "
                "verify (run `pilots audit verify` on the original); restore an unchanged dump"
            ),
        )
        self.broken = broken


@dataclass(frozen=True, slots=True)
class _Source:
    """Where the lines come from, to name a line in an error."""

    name: str
    is_file: bool = True

    def at(self, line: int) -> str:
        if self.is_file:
            return f"{self.name}:{line}"
        return _("{name} (row {row})").format(name=self.name, row=line - 1)

    def bad(self, error: BadDump) -> UsageError:
        return UsageError(
            _("{at}: {problem}; nothing was restored").format(
                at=self.at(error.line), problem=error.message
            ),
            hint=error.hint,
        )


_DUMP_HINT = N_("pass a file written by `pilots db dump`")


def restore_file(url: str | None, path: Path, progress: Progress | None = None) -> ArchiveResult:
    """Load the dump at ``path`` into the empty store at ``url``; see ``restore_from``.

    A regular file or a pipe (``<(gunzip -c pilots.jsonl.gz)``); a dump has no size limit, its
    lines have (``MAX_LINE``).
    """
    with open_input(path, what=N_("dump file"), hint=_(_DUMP_HINT)) as handle:
        return restore_from(url, handle, str(path), progress)


def restore_from(
    url: str | None, handle: BinaryIO, name: str, progress: Progress | None = None
) -> ArchiveResult:
    """Load a dump into the empty store at ``url``: everything, verified, or nothing.

    The header is checked before the store is even opened; a line that is not what the format
    says is a ``UsageError`` naming ``name`` and its line.
    """
    source = _Source(name)
    lines = _numbered(handle)
    try:
        header = _header(next(lines, None))
    except BadDump as exc:
        raise source.bad(exc) from None
    return _load(open_store(url, create=True), header, lines, source, progress)


def copy_store(
    source_url: str | None, target_url: str, progress: Progress | None = None
) -> ArchiveResult:
    """Copy the register at ``source_url`` into the empty store at ``target_url``, verified."""
    source = open_store(source_url)
    if resolve_url(target_url) == source.url:
        raise UsageError(_("the store to copy to is the store to copy from"),
                         hint=_("pass --to with another, empty store"))  # fmt: skip
    with closing(dump_lines(source)) as lines:
        numbered = enumerate(lines, 1)
        where = _Source(_("copy of {url}").format(url=source.display_url), is_file=False)
        try:
            header = _header(next(numbered, None))
        except BadDump as exc:  # pragma: no cover - a store always gives a good header
            raise where.bad(exc) from None
        return _load(open_store(target_url, create=True), header, numbered, where, progress)


def _numbered(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """The lines of a file with their numbers; bytes that are not UTF-8 are a bad line."""
    number = 0
    while raw := _next_line(handle, number + 1):
        number += 1
        if len(raw) > MAX_LINE:
            raise BadDump(
                number,
                _("a line longer than {mib} MiB: not a dump line").format(mib=MAX_LINE // 2**20),
            )
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadDump(number, _("not UTF-8 text: not a dump line")) from None


def _next_line(handle: BinaryIO, number: int) -> bytes:
    try:
        return handle.readline(MAX_LINE + 1)
    except OSError as exc:
        problem = _("the file cannot be read: {problem}").format(problem=describe_os_error(exc))
        raise BadDump(number, problem) from None


def _header(first: tuple[int, str] | None) -> Header:
    if first is None:
        raise BadDump(1, _("the file is empty: not a dump"), hint=_(_DUMP_HINT))
    header = parse_header(first[1], [spec for _, spec in dumped_tables()])
    revision = header.schema_revision
    if revision != HEAD and _added_since(revision) is None:
        if revision not in known_revisions():
            raise BadDump(
                1,
                _(
                    "the dump is of schema revision {revision}, written by a newer genai-pilots "
                    "(this one is at {head})"
                ).format(revision=revision, head=HEAD),
                hint=_("upgrade genai-pilots (pip install -U genai-pilots) to restore it"),
            )
        raise BadDump(
            1,
            _(
                "the dump is of schema revision {revision}; this genai-pilots restores dumps of "
                "{head} only"
            ).format(revision=revision, head=HEAD),
            hint=_(
                "restore it with the release that made it, run `pilots db upgrade`, and dump again"
            ),
        )
    return header


# Revisions that only add tables, or nullable columns to a table: a dump of the revision before
# them restores into today's schema as it is, those tables empty and those columns NULL (as the
# upgrade of a store leaves them). Each names the columns it added.
ONLY_ADDITIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "0007_register_settings": {},
    "0008_post_market": {},
    "0009_training": {},
    "0010_synthetic": {},
    "0011_synthetic_checks": {"synthetic_evaluation": ("near_copies", "declared_sha256")},
}


def _added_since(revision: str) -> dict[str, frozenset[str]] | None:
    """The columns added to existing tables since ``revision``; ``None`` if not restorable.

    A dump of ``revision`` restores only if every revision after it up to ``HEAD`` added
    nothing but tables or nullable columns.
    """
    scripts = known_revisions()
    if revision not in scripts:
        return None
    added: dict[str, set[str]] = {}
    step: str | None = HEAD
    while step is not None and step != revision:
        if step not in ONLY_ADDITIONS:
            return None
        for table, columns in ONLY_ADDITIONS[step].items():
            added.setdefault(table, set()).update(columns)
        step = scripts[step].down_revision
    return {t: frozenset(c) for t, c in added.items()} if step == revision else None


def _load(
    store: Store,
    header: Header,
    lines: Iterable[tuple[int, str]],
    source: _Source,
    progress: Progress | None,
) -> ArchiveResult:
    specs = dumped_tables()
    by_name = {spec.name: table for table, spec in specs}
    absent = _added_since(header.schema_revision) or {}
    reader = DumpReader(header, [spec for _, spec in specs], absent)
    with transaction(store) as session:
        connection = session.connection()
        _take_over(connection, store)
        batch: list[dict[str, Any]] = []
        numbers: list[int] = []  # the line of each row in the batch, to name a refused one
        current: Table | None = None
        last, done = 1, 0
        try:
            for number, raw in lines:
                last = number
                spec, values = reader.row(number, raw)
                table = by_name[spec.name]
                if current is not None and (table is not current or len(batch) >= BATCH):
                    _insert(session, current, batch, numbers, source)
                    batch, numbers = [], []
                current = table
                batch.append(values)
                numbers.append(number)
                done += 1
                if progress is not None and done % BATCH == 0:
                    progress("load", done, header.rows)
            if current is not None and batch:
                _insert(session, current, batch, numbers, source)
            reader.finish(last)
        except BadDump as exc:
            raise source.bad(exc) from None
        if progress is not None:
            progress("load", done, header.rows)
            progress("verify", done, header.rows)
        _advance_sequences(connection)
        report = verify_in(session)
        if report.broken:
            raise DumpDoesNotVerify(source.name, report.broken)
    return ArchiveResult(header.schema_revision, header.counts, (report.pilots, report.events))


def _take_over(connection: Connection, store: Store) -> None:
    """Act as the tables' owner, keep other writers out, and refuse a store that holds rows.

    A freshly migrated store holds one row, the register's anchor at the start of its chain;
    the dump brings its own, so that one goes.
    """
    if connection.dialect.name == "postgresql":
        if roles.is_set_up(connection):
            if not roles.is_admin(connection):
                raise StoreError(
                    _("restoring a register writes every table, which only pilots_admin may"),
                    hint=_("run it as a member of pilots_admin (README: Team setup on PostgreSQL)"),
                )
            connection.execute(text(f"SET LOCAL ROLE {roles.ADMIN}"))
        names = ", ".join(t.name for t in metadata.sorted_tables)
        connection.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))
    held = []
    for table in metadata.sorted_tables:
        statement = select(func.count()).select_from(table)
        if table is REGISTER_TABLE:
            statement = statement.where(table.c.head_hash != GENESIS)
        count = connection.execute(statement).scalar_one()
        if count:
            held.append(f"{table.name}: {count}")
    if held:
        raise UsageError(
            _("{url} is not empty (rows in {tables}); nothing was changed").format(
                url=store.display_url, tables=", ".join(held)
            ),
            hint=_(
                "restore into a new store: a new SQLite file (--db sqlite:///new.db) or an "
                "empty PostgreSQL database (createdb)"
            ),
        )
    connection.execute(delete(REGISTER_TABLE))


class _Refused(Exception):
    """PostgreSQL refused a COPY; the batch is tried again row by row to name the line."""


def _insert(
    session: Session, table: Table, rows: list[dict[str, Any]], numbers: list[int], source: _Source
) -> None:
    """Insert a batch; if the database refuses it, find the row and name its line.

    Each try runs in a savepoint (the connection is asked for inside it: that is when the
    session opens it), so a refused batch leaves the transaction usable for the search.
    """
    try:
        with session.begin_nested():
            connection = session.connection()
            if connection.dialect.name == "postgresql":
                _copy(connection, table, rows)
            else:
                connection.execute(insert(table), rows)
        return
    except (IntegrityError, DataError, _Refused):
        pass
    for row, number in zip(rows, numbers, strict=True):
        try:
            with session.begin_nested():
                session.connection().execute(insert(table), [row])
        except (IntegrityError, DataError) as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            raise UsageError(
                _(
                    "{at}: the database refused this {table} row ({reason}); nothing was restored"
                ).format(at=source.at(number), table=table.name, reason=reason),
                hint=_("a dump holds each row once, and every row's pilot before it"),
            ) from None
    raise AssertionError("a batch was refused, none of its rows")  # pragma: no cover


def _copy(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL's COPY: several times faster than INSERT for a whole register.

    JSON is written as the engine writes it (``canonical_json``), so verify's fast path hashes
    the stored text as it does after an ordinary write.
    """
    import psycopg

    quote = connection.dialect.identifier_preparer.quote
    names = [c.name for c in table.c]
    as_json = {c.name for c in table.c if isinstance(c.type, JSON)}
    statement = f"COPY {quote(table.name)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    driver: Any = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([
                    canonical_json(row[n]) if n in as_json and row[n] is not None else row[n]
                    for n in names
                ])  # fmt: skip
    except psycopg.Error as exc:
        raise _Refused(str(exc)) from exc


def _advance_sequences(connection: Connection) -> None:
    """On PostgreSQL, move each id sequence past the ids restored, so new rows can be added."""
    if connection.dialect.name != "postgresql":
        return  # SQLite takes the next id from the largest in the table
    for table in metadata.sorted_tables:
        if "id" not in table.c or not isinstance(table.c.id.type, Integer):
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar()
        if sequence is not None:
            statement = f"SELECT setval(:seq, coalesce(max(id), 0) + 1, false) FROM {table.name}"
            connection.execute(text(statement), {"seq": sequence})


def describe_target(url: str) -> str:
    """A store's URL as it may be shown (no password)."""
    return mask(resolve_url(url))
