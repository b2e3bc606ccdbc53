"""The dump format: a whole register as JSON Lines, engine-neutral and versioned.

A dump is one header line (format, format version, schema revision, tool version, when, and
how many rows of each table follow), then one line per row, ``{"table": ..., "row": {...}}``,
table by table in the order a restore inserts them. Each value is written by the *kind* of
its column, so SQLite and PostgreSQL give the same text: moments as ISO 8601 UTC with
microseconds and a ``Z``, dates ISO, JSON columns as JSON, the rest as JSON scalars.
docs/dump-format.md is the specification; this module is its one implementation.

Reading is strict (every line ends with a line break, every column is there and has its kind,
tables come in order, the counts match) because a restore must never guess. A dump can still
be edited consistently with its own syntax; the hash chains, which a restore verifies before it
commits, catch that.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from genai_pilots.i18n import N_, _

FORMAT = "genai-pilots-dump"
FORMAT_VERSION = 1
MAX_LINE = 16 * 1024 * 1024  # bytes; a stored definition is at most a few hundred KiB


class Kind(StrEnum):
    """How a column's values are written in a dump."""

    TEXT = "text"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    MOMENT = "moment"
    DATE = "date"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a dumped table: its name, kind, whether it may be null, its length."""

    name: str
    kind: Kind
    nullable: bool = False
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class TableSpec:
    """A dumped table and its columns, in the store's column order."""

    name: str
    columns: tuple[Column, ...]
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(c.name for c in self.columns))


class BadDump(Exception):
    """A line that is not what the format says; ``line`` is its number (1 is the header)."""

    def __init__(self, line: int, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def moment_text(moment: dt.datetime) -> str:
    """A moment as a dump writes it: UTC, microseconds, ``Z`` (naive ones are UTC already)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("{name} is not a JSON number").format(name=name))


_loads = json.JSONDecoder(parse_constant=_refuse_constant).decode


def _encoder(kind: Kind) -> Callable[[Any], Any]:
    if kind is Kind.MOMENT:
        return moment_text
    if kind is Kind.DATE:
        return lambda value: value.isoformat()
    if kind is Kind.BOOLEAN:
        return bool
    if kind is Kind.FLOAT:
        return float
    return lambda value: value


class RowWriter:
    """Turns a table's rows (tuples in its column order) into dump lines."""

    def __init__(self, table: TableSpec) -> None:
        self.table = table
        self._encoders = [_encoder(c.kind) for c in table.columns]
        self._prefix = f'{{"table":{_dumps(table.name)},"row":'

    def line(self, row: Sequence[Any]) -> str:
        """One row's line, line break included; ``ValueError`` for a value JSON cannot carry."""
        values = {
            name: None if value is None else encode(value)
            for name, encode, value in zip(self.table.names, self._encoders, row, strict=True)
        }
        return f"{self._prefix}{_dumps(values)}}}\n"


def header_line(
    schema_revision: str, tool_version: str, created_at: dt.datetime, counts: Mapping[str, int]
) -> str:
    """The first line of a dump."""
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision,
        "tool_version": tool_version,
        "created_at": moment_text(created_at),
        "counts": dict(counts),
    }
    return _dumps(header) + "\n"


@dataclass(frozen=True, slots=True)
class Header:
    """What a dump's first line says."""

    format_version: int
    schema_revision: str
    tool_version: str
    created_at: str
    counts: dict[str, int]

    @property
    def rows(self) -> int:
        """How many row lines follow the header."""
        return sum(self.counts.values())


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _text(number: int, raw: str) -> Any:
    """A line as JSON, after the checks every line gets."""
    if not raw.endswith("\n"):
        raise BadDump(
            number,
            _("the line is cut off (it has no line end): the file is truncated"),
            hint=_("make the dump again; a dump is complete only when `pilots db dump` says so"),
        )
    if not raw.strip():
        raise BadDump(number, _("an empty line; a dump has one JSON object on every line"))
    try:
        return _loads(raw)
    except ValueError as exc:
        raise BadDump(number, _("not JSON ({problem})").format(problem=exc)) from None


_NOT_A_DUMP_HINT = N_("pass a file written by `pilots db dump`")


def parse_header(raw: str, tables: Sequence[TableSpec]) -> Header:
    """Read a dump's first line; ``BadDump`` names what is wrong with it."""
    try:
        header = _text(1, raw)
    except BadDump:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BadDump(1, _("not a genai-pilots dump (no dump header)"), hint=_(_NOT_A_DUMP_HINT))
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        newer = isinstance(version, int) and version > FORMAT_VERSION
        raise BadDump(
            1,
            _(
                "dump format version {version} is unknown: this genai-pilots reads version "
                "{supported}"
            ).format(version=_short(version), supported=FORMAT_VERSION),
            hint=_("upgrade genai-pilots to restore it")
            if newer
            else _("make the dump again with `pilots db dump`"),
        )
    expected = {"format", "format_version", "schema_revision", "tool_version", "created_at"}
    missing = sorted(expected - header.keys())
    if missing or "counts" not in header:
        raise BadDump(1, _("the header lacks {keys}").format(keys=", ".join(missing or ["counts"])))
    for key in ("schema_revision", "tool_version", "created_at"):
        if not isinstance(header[key], str):
            raise BadDump(1, _("the header's {key} is not text").format(key=key))
    counts = header["counts"]
    known = {t.name for t in tables}
    if not isinstance(counts, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in counts.values()
    ):
        raise BadDump(1, _("the header's counts are not a number of rows per table"))
    unknown = sorted(counts.keys() - known)
    if unknown:
        raise BadDump(
            1,
            _("the header counts a table this schema does not have: {table}").format(
                table=unknown[0]
            ),
        )
    return Header(
        version, header["schema_revision"], header["tool_version"], header["created_at"],
        {name: counts.get(name, 0) for name in known},
    )  # fmt: skip


def _decode(column: Column, value: Any) -> Any:
    """A value read back as its column's Python type, or ``ValueError`` saying what it lacks."""
    if value is None:
        if column.nullable:
            return None
        raise ValueError(_("null, but the column needs a value"))
    kind = column.kind
    if kind is Kind.TEXT:
        if not isinstance(value, str):
            raise ValueError(_("expected text, got {value}").format(value=_short(value)))
        if column.max_length is not None and len(value) > column.max_length:
            raise ValueError(
                _("{length} characters, at most {limit} fit").format(
                    length=len(value), limit=column.max_length
                )
            )
        return value
    if kind is Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(_("expected a whole number, got {value}").format(value=_short(value)))
        return value
    if kind is Kind.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(_("expected a number, got {value}").format(value=_short(value)))
        return float(value)
    if kind is Kind.BOOLEAN:
        if not isinstance(value, bool):
            raise ValueError(_("expected true or false, got {value}").format(value=_short(value)))
        return value
    if kind is Kind.MOMENT:
        if not isinstance(value, str) or not _MOMENT.fullmatch(value):
            raise ValueError(
                _("expected a UTC moment like 2026-03-01T09:30:00.000000Z, got {value}").format(
                    value=_short(value)
                )
            )
        return dt.datetime.fromisoformat(value)
    if kind is Kind.DATE:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValueError(
                _("expected a date like 2026-03-01, got {value}").format(value=_short(value))
            )
        return dt.date.fromisoformat(value)
    return value  # JSON: any JSON value


def _reader(column: Column) -> Callable[[Any], Any]:
    """``_decode`` for one column, with the common case first: a restore reads every value."""
    kind, limit = column.kind, column.max_length

    def slow(value: Any) -> Any:
        return _decode(column, value)

    if kind is Kind.TEXT:
        if limit is None:
            return lambda v: v if type(v) is str else slow(v)
        return lambda v: v if type(v) is str and len(v) <= limit else slow(v)
    if kind is Kind.INTEGER:
        return lambda v: v if type(v) is int else slow(v)
    if kind is Kind.MOMENT:
        parse, shape = dt.datetime.fromisoformat, _MOMENT.fullmatch
        return lambda v: parse(v) if type(v) is str and shape(v) else slow(v)
    if kind is Kind.JSON:
        return lambda v: v if v is not None else slow(v)
    return slow


_ROW_KEYS = frozenset({"table", "row"})


class DumpReader:
    """Reads the row lines of a dump, checking each against the schema's tables.

    Rows come table by table in ``tables``' order (a restore inserts parents first); ``finish``
    checks that as many rows came as the header counted, so a file cut off at a line break is
    refused as surely as one cut off inside a line.
    """

    def __init__(
        self,
        header: Header,
        tables: Sequence[TableSpec],
        absent: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.header = header
        self._absent = absent or {}  # columns added since the dump's revision: NULL if lacking
        self.tables = {t.name: t for t in tables}
        self._order = {t.name: i for i, t in enumerate(tables)}
        self._at = -1  # index of the table being read
        self.seen: dict[str, int] = dict.fromkeys(self.tables, 0)
        self._names = {t.name: frozenset(t.names) for t in tables}
        self._readers = {t.name: [(c.name, _reader(c)) for c in t.columns] for t in tables}

    def row(self, number: int, raw: str) -> tuple[TableSpec, dict[str, Any]]:
        """One row line: its table and its values as Python values of the columns' kinds."""
        line = _text(number, raw)
        if not isinstance(line, dict) or line.keys() != _ROW_KEYS:
            raise BadDump(number, _('not a row line: expected {"table": ..., "row": {...}}'))
        name, values = line["table"], line["row"]
        table = self.tables.get(name) if isinstance(name, str) else None
        if table is None:
            raise BadDump(
                number,
                _("a row of a table this schema does not have: {table}").format(table=_short(name)),
            )
        if not isinstance(values, dict):
            raise BadDump(
                number, _("the {table} row is not an object of column values").format(table=name)
            )
        at = self._order[name]
        if at < self._at:
            raise BadDump(
                number,
                _(
                    "a {table} row after the rows of later tables: a dump holds its tables in "
                    "the order {order}"
                ).format(table=name, order=", ".join(self.tables)),
            )
        self._at = at
        self.seen[name] += 1
        if self.seen[name] > self.header.counts[name]:
            raise BadDump(
                number,
                _("more {table} rows than the header counts ({count})").format(
                    table=name, count=self.header.counts[name]
                ),
            )
        names = self._names[name]
        if values.keys() != names:
            extra = sorted(values.keys() - names)
            if extra:
                raise BadDump(
                    number,
                    _("table {table} has no column {column}").format(table=name, column=extra[0]),
                )
            lacking = names - values.keys()
            if missing := sorted(lacking - self._absent.get(name, frozenset())):
                raise BadDump(
                    number,
                    _("the {table} row lacks its column {column}").format(
                        table=name, column=missing[0]
                    ),
                )
            values = values | dict.fromkeys(lacking)  # added since the dump was written
        try:
            return table, {column: read(values[column]) for column, read in self._readers[name]}
        except ValueError:
            for column in table.columns:  # again, one by one, to name the column
                try:
                    _decode(column, values[column.name])
                except ValueError as exc:
                    raise BadDump(number, f"{name}.{column.name}: {exc}") from None
            raise  # pragma: no cover - the fast path and _decode agree

    def finish(self, last_line: int) -> None:
        """After the last line: refuse a dump that holds fewer rows than its header counts."""
        for name, expected in self.header.counts.items():
            if self.seen[name] != expected:
                raise BadDump(
                    last_line,
                    _(
                        "the dump ends with {seen} {table} rows where its header counts "
                        "{expected}: it is truncated or was edited"
                    ).format(seen=self.seen[name], table=name, expected=expected),
                    hint=_(
                        "make the dump again; a dump is complete only when `pilots db dump` says so"
                    ),
                )
