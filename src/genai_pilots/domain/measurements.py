"""Measurements: the one value type, read from a definition file or a CSV file, and checked.

A measurement takes these shapes: the YAML node; ``MeasurementIn``, the definition file's model
(validation and the JSON schema); ``Measurement``, what gates, trends, recording and import
take; the ``MeasurementRow`` it is stored as (``measuring.measurement_record`` gives its
columns, ``gating.recorded_measurement`` reads it back); the list it becomes in an event's
payload (``events.Measured``); and the tuple ``audit verify`` replays a history into.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import get_args

from genai_pilots.domain.csvfile import (
    CsvProblem,
    Table,
    column_letter,
    header_problem,
    read_table,
)
from genai_pilots.domain.definition import PilotDefinition, Setting
from genai_pilots.domain.notation import (
    NotationError,
    Number,
    ambiguity,
    is_day_first,
    read_date,
    read_number,
)
from genai_pilots.i18n import _, day

REQUIRED = ("kpi", "date", "value")
OPTIONAL = ("setting", "note")
COLUMNS = REQUIRED + OPTIONAL
SETTINGS = frozenset(get_args(Setting))


@dataclass(frozen=True, slots=True)
class Measurement:
    """One value of one KPI on one day; in the pilot's own setting when ``setting`` is None.

    ``line`` is the line of the CSV file it came from (0 otherwise), to name it in messages.
    """

    kpi: str
    date: dt.date
    value: float
    setting: str | None = None
    note: str | None = None
    line: int = field(default=0, compare=False)

    def key(self, default_setting: str) -> tuple[str, dt.date, float, str]:
        """What makes two measurements the same: pilot aside, KPI, day, setting and value."""
        return (self.kpi, self.date, self.value, self.setting or default_setting)


def yaml_measurements(definition: PilotDefinition) -> list[Measurement]:
    """The measurements a definition file carries, in the pilot's setting unless stated."""
    return [
        Measurement(m.kpi, m.date, m.value, m.setting or definition.setting, m.note)
        for m in definition.bijsturen.measurements
    ]


# No GenAI pilot in care measured anything before this day: an earlier date is a typo.
EARLIEST = dt.date(2000, 1, 1)


def _date_problem(date: dt.date, today: dt.date) -> str | None:
    if date > today:
        return _("{date} is in the future (today is {today}); measure it when it happens").format(
            date=day(date), today=day(today)
        )
    if date < EARLIEST:
        return _("{date} is before {earliest}; is the year right?").format(
            date=day(date), earliest=day(EARLIEST)
        )
    return None


def check_date(date: dt.date, today: dt.date) -> str | None:
    """What is wrong with the day of a measurement (in the future, or absurdly early)."""
    problem = _date_problem(date, today)
    return None if problem is None else _("date {problem}").format(problem=problem)


def _kpi_problem(kpi: str, kpis: Collection[str]) -> str | None:
    if kpi not in kpis:
        return _("no KPI '{kpi}' (KPIs: {kpis})").format(
            kpi=kpi, kpis=", ".join(kpis) or _("none defined")
        )
    return None


def setting_problem(setting: str | None) -> str | None:
    """A setting that is no care setting of a definition."""
    if setting is not None and setting not in SETTINGS:
        return _("'{setting}' is not one of {settings}").format(
            setting=setting, settings=", ".join(sorted(SETTINGS))
        )
    return None


def check_measurement(
    kpi: str,
    date: dt.date,
    value: float,
    setting: str | None,
    kpis: Collection[str],
    today: dt.date,
) -> str | None:
    """What is wrong with one measurement, or ``None``."""
    if (problem := _kpi_problem(kpi, kpis)) is not None:
        return problem
    if not math.isfinite(value):
        return _("value {value} is not a finite number").format(value=value)
    if (problem := check_date(date, today)) is not None:
        return problem
    if (problem := setting_problem(setting)) is not None:
        return _("setting {problem}").format(problem=problem)
    return None


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong at one line of a CSV file (1: the file or its header)."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class CsvMeasurements:
    """The rows of a CSV file, or what is wrong with them, and how the file was read."""

    rows: list[Measurement]
    problems: list[Problem]
    read_as: str  # "cp1252, ';'-separated, decimal commas": what was found, to tell the user


_HEADER_HINT = "columns: kpi,date,value[,setting,note]"


def parse_csv(
    data: bytes, kpis: Collection[str], today: dt.date, delimiter: str | None = None
) -> CsvMeasurements:
    """Rows of ``kpi,date,value[,setting,note]`` from a file as a spreadsheet saved it.

    Any of the encodings and delimiters ``csvfile`` reads; column names in any case. Values
    take a decimal comma or point (``notation``); a value like ``1.234`` is a decimal only when
    the file settles which separator is its decimal one: its unambiguous values (``3,5``) if
    they all use one, else its delimiter (``;``: a comma, ``,``: a point); a tab-separated file
    with nothing to settle it, or one that uses both, has such values refused. Dates are
    ``YYYY-MM-DD`` or ``D-M-YYYY``. Every problem names its line and, for a value, its column.
    """
    try:
        table = read_table(data, COLUMNS, delimiter)
    except CsvProblem as problem:
        return CsvMeasurements([], [Problem(problem.line, problem.message)], "")
    read_as = table.described()
    in_header = _header_problem(table, read_as)
    if in_header is not None:
        return CsvMeasurements([], [Problem(table.header_line, in_header)], read_as)
    rows: list[Measurement] = []
    problems: list[Problem] = []
    reader = _RowReader(table, kpis, today)
    for line, fields in table.rows:
        row, found = reader.read(line, fields)
        problems += found
        if row is not None and not found:
            rows.append(row)
    if not rows and not problems:
        problems.append(Problem(table.header_line + 1, _("the file has no measurements")))
    return CsvMeasurements(rows, problems, ", ".join([read_as, *reader.notations()]))


def _header_problem(table: Table, read_as: str) -> str | None:
    return header_problem(
        table, REQUIRED, COLUMNS, columns_hint=_HEADER_HINT, rows_are=_("a row per measurement"),
        read_as=read_as,
    )  # fmt: skip


class _RowReader:
    """Reads rows against the header, with the file's decimal separator settled first."""

    def __init__(self, table: Table, kpis: Collection[str], today: dt.date) -> None:
        self.table = table
        self.kpis = kpis
        self.today = today
        self.names = [name.lower() for name in table.header]
        self.column = {name: index for index, name in enumerate(self.names) if name}
        self.decimal = self._decimal()
        self.separators: set[str] = set()
        self.day_first = False

    def _cell(self, fields: list[str], name: str) -> str:
        index = self.column.get(name)
        return fields[index].strip() if index is not None and index < len(fields) else ""

    def _decimal(self) -> str | None:
        """The file's decimal separator: what its unambiguous values use, else its delimiter's."""
        used = set()
        for _line, fields in self.table.rows:
            try:
                number = read_number(self._cell(fields, "value"))
            except NotationError:
                continue
            if number.separator and not number.ambiguous:
                used.add(number.separator)
        if len(used) == 1:
            return used.pop()
        if used:
            return None  # both: nothing settles a value like 1.234
        return {";": ",", ",": "."}.get(self.table.delimiter)

    def notations(self) -> list[str]:
        """What the values were read as, for the note."""
        found = []
        if self.separators == {",", "."}:
            found.append(_("decimal commas and decimal points"))
        elif self.separators:
            found.append(_("decimal commas") if "," in self.separators else _("decimal points"))
        if self.day_first:
            found.append(_("day-first dates (D-M-YYYY)"))
        return found

    def _at(self, line: int, name: str, message: str) -> Problem:
        return Problem(line, _("column {letter} ({name}): {message}").format(
            letter=column_letter(self.column[name]), name=name, message=message))  # fmt: skip

    def read(self, line: int, fields: list[str]) -> tuple[Measurement | None, list[Problem]]:
        width = len(self.names)
        if any(f.strip() for f in fields[width:]):
            message = _("{fields} fields where the header has {width} columns").format(
                fields=len(fields), width=width
            )
            if self.table.delimiter == ",":
                message = _(
                    '{problem}; a decimal comma in a comma-separated file needs quotes ("3,5")'
                ).format(problem=message)
            return None, [Problem(line, message)]
        for index, name in enumerate(self.names):
            if not name and index < len(fields) and fields[index].strip():
                unnamed = _(
                    "column {letter} has a value but no name in the header; name it or remove "
                    "the value"
                ).format(letter=column_letter(index))
                return None, [Problem(line, unnamed)]
        problems = []
        for name in REQUIRED:
            if not self._cell(fields, name):
                problems.append(self._at(line, name, _("empty; every row needs a kpi, a date "
                                                       "and a value")))  # fmt: skip
        if problems:
            return None, problems
        kpi = self._cell(fields, "kpi")
        if (problem := _kpi_problem(kpi, self.kpis)) is not None:
            problems.append(self._at(line, "kpi", problem))
        date = self._date(line, self._cell(fields, "date"), problems)
        value = self._value(line, self._cell(fields, "value"), problems)
        setting = self._cell(fields, "setting") or None
        if (problem := setting_problem(setting)) is not None:
            problems.append(self._at(line, "setting", problem))
        if problems or date is None or value is None:
            return None, problems
        note = self._cell(fields, "note") or None
        return Measurement(kpi, date, value, setting, note, line), []

    def _date(self, line: int, text: str, problems: list[Problem]) -> dt.date | None:
        try:
            date = read_date(text)
        except NotationError as exc:
            problems.append(self._at(line, "date", str(exc)))
            return None
        if (problem := _date_problem(date, self.today)) is not None:
            problems.append(self._at(line, "date", problem))
            return None
        self.day_first |= is_day_first(text)
        return date

    def _value(self, line: int, text: str, problems: list[Problem]) -> float | None:
        try:
            number: Number = read_number(text)
        except NotationError as exc:
            problems.append(self._at(line, "value", str(exc)))
            return None
        if not math.isfinite(number.value):
            problems.append(self._at(line, "value", _("'{text}' is not a finite number").format(
                text=text)))  # fmt: skip
            return None
        if (problem := ambiguity(text, number, self.decimal)) is not None:
            problems.append(self._at(line, "value", problem))
            return None
        if number.separator:
            self.separators.add(number.separator)
        return number.value
