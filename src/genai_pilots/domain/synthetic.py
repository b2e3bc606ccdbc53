"""Synthetic datasets judged on their files: read, typed, copies and identifiers counted.

``pilots synth evaluate`` compares a real CSV file with its synthetic counterpart. What can be
judged exactly is judged here, in pure Python: the files read as a Dutch spreadsheet saves
them (``csvfile``), each column's type taken from the real file (or a metadata file), synthetic
rows equal to a real row counted exactly (a set of normalised rows, not a sample), and every
synthetic cell run through the guard ``pilots validate`` uses on definitions (``pii``). The
statistical scores (quality, distance to closest record, disclosure) come from SDMetrics in a
service adapter; the verdict on all of them against a gate's thresholds is here again.

Datasets are larger than definitions, so their own budget applies (``MAX_BYTES``,
``MAX_ROWS``): the whole file is held in memory, typed, and handed to pandas.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from genai_pilots.domain.audit import canonical_json, utc
from genai_pilots.domain.csvfile import CsvProblem, Table, column_letter, read_table
from genai_pilots.domain.notation import NotationError, read_date, read_number
from genai_pilots.domain.pii import scan_text
from genai_pilots.domain.text import hides
from genai_pilots.i18n import N_, _, day, number

MAX_BYTES = 64 * 2**20
"""A dataset file's size limit: 64 MiB (a definition's 1 MiB does not suit datasets)."""
MAX_ROWS = 250_000
"""A dataset file's row limit, so evaluation stays within about 2 GB of memory."""
MAX_COLUMNS = 50
"""A dataset's column limit: the quality report compares every pair of columns, so its time
grows with the square of the columns (50 columns are 1,225 pairs; 200 would be 19,900)."""
NEAR_COPY_COLUMNS = 5
"""From this many columns on, a synthetic row equal to a real row in every column but one is a
near copy. With fewer, sharing all but one value with some real row is what chance gives."""

Kind = Literal["numerical", "datetime", "categorical"]
KINDS: tuple[Kind, ...] = ("numerical", "datetime", "categorical")
Value = float | dt.date | str | None

IDENTIFIER_CODES = {  # the keys are stored; the names are shown through _()
    "pii-bsn": N_("BSN (passes the 11-proef)"),
    "pii-email": N_("e-mail address"),
    "pii-phone": N_("phone number"),
    "pii-iban": N_("IBAN"),
}

FILE_PROBLEMS = {  # what ``synth verify`` found per file (keys stored in events), as shown
    ("real", "changed"): N_("real changed"),
    ("real", "missing"): N_("real missing"),
    ("real", "unreadable"): N_("real unreadable"),
    ("synthetic", "changed"): N_("synthetic changed"),
    ("synthetic", "missing"): N_("synthetic missing"),
    ("synthetic", "unreadable"): N_("synthetic unreadable"),
}
_STALE_FILES = {  # the parts of a stored stale reason, as shown
    "real file changed": N_("real file changed"),
    "real file missing": N_("real file missing"),
    "real file unreadable": N_("real file unreadable"),
    "synthetic file changed": N_("synthetic file changed"),
    "synthetic file missing": N_("synthetic file missing"),
    "synthetic file unreadable": N_("synthetic file unreadable"),
}
_STALE_REASON = re.compile(
    r"(?P<files>.+) since it was evaluated \(found (?P<day>\d{4}-\d{2}-\d{2})\)"
)


def file_problem(file: str, problem: str) -> str:
    """``synthetic changed``: what happened to one file of an evaluation, in words."""
    known = FILE_PROBLEMS.get((file, problem))
    return _(known) if known else f"{file} {problem}"


def stale_text(reason: str) -> str:
    """A stale reason as stored (English, with an ISO day) in the language in use."""
    found = _STALE_REASON.fullmatch(reason)
    if found is None:
        return reason
    files = ", ".join(
        _(_STALE_FILES[part]) if part in _STALE_FILES else part
        for part in found["files"].split(", ")
    )
    try:
        when = day(dt.date.fromisoformat(found["day"]))
    except ValueError:
        when = found["day"]
    return _("{files} since it was evaluated (found {day})").format(files=files, day=when)


class DatasetProblem(Exception):
    """A dataset file that cannot be evaluated: where (line, column) and why."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def located(self, name: str) -> str:
        """``file:line: column B (leeftijd): message``: as an error names it."""
        where = name if self.line is None else f"{name}:{self.line}"
        if self.column:
            return _("{where}: column {column}: {message}").format(
                where=where, column=self.column, message=self.message
            )
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset file read and typed: column names, kinds and values, each row's line."""

    names: list[str]
    kinds: list[Kind]
    columns: list[list[Value]]
    lines: list[int]
    read_as: str

    @property
    def rows(self) -> int:
        """How many rows of data it holds (its header aside)."""
        return len(self.lines)


def _where(table: Table, index: int) -> str:
    return f"{column_letter(index)} ({table.header[index]})"


def read_raw(data: bytes, expected: Sequence[str] = (), delimiter: str | None = None) -> Table:
    """The file's header and rows, within the budget; ``DatasetProblem`` naming what is wrong."""
    if len(data) > MAX_BYTES:
        raise DatasetProblem(
            _(
                "it is larger than the {limit} MiB a dataset may be ({size} MiB); evaluate a "
                "sample of at most {rows} rows"
            ).format(
                limit=MAX_BYTES // 2**20,
                size=number(len(data) / 2**20, ".1f"),
                rows=number(MAX_ROWS, ","),
            )  # fmt: skip
        )
    if not data.strip():
        raise DatasetProblem(_("it is empty: a dataset needs a header line and rows"))
    try:
        table = read_table(data, expected, delimiter)
    except CsvProblem as exc:
        raise DatasetProblem(exc.message, exc.line) from None
    if not any(table.header):
        raise DatasetProblem(_("it has no header line naming its columns"), table.header_line)
    if len(table.header) > MAX_COLUMNS:
        raise DatasetProblem(
            _(
                "it has {columns} columns; at most {limit} are evaluated (the quality report "
                "compares every pair of columns): evaluate the columns the pilot uses, in files "
                "of at most {limit} columns"
            ).format(columns=len(table.header), limit=MAX_COLUMNS)
        )
    for index, name in enumerate(table.header):
        if not name:
            raise DatasetProblem(_("the header names no column here"), table.header_line,
                                 column_letter(index))  # fmt: skip
        if table.header.index(name) != index:
            raise DatasetProblem(
                _("the column name '{name}' appears twice").format(name=name),
                table.header_line, column_letter(index),
            )  # fmt: skip
    for index, name in enumerate(table.header):
        if _number(name) is not None or _date(name) is not None:
            raise DatasetProblem(
                _(
                    "the first line holds a value ({value}), not a column name: the file needs "
                    "a header line naming its columns"
                ).format(value=shown_value(name)),
                table.header_line, column_letter(index),
            )  # fmt: skip
    if not table.rows:
        raise DatasetProblem(_("it has a header but no rows"))
    if len(table.rows) > MAX_ROWS:
        raise DatasetProblem(
            _("it has {rows} rows; at most {limit} are evaluated").format(
                rows=number(len(table.rows), ","), limit=number(MAX_ROWS, ",")
            ),
            hint_line(table),
        )
    width = len(table.header)
    for line, fields in table.rows:
        if len(fields) != width:
            raise DatasetProblem(
                _(
                    "the row has {fields} fields, the header {width}; a value with the "
                    "delimiter in it needs quotes around it"
                ).format(fields=len(fields), width=width),
                line,
            )
    return table


def hint_line(table: Table) -> int | None:
    """The line of the first row over the row budget, to name in the message."""
    return table.rows[MAX_ROWS][0] if len(table.rows) > MAX_ROWS else None


def _number(text: str) -> float | None:
    """A finite number, else ``None``: ``inf`` and ``NaN`` are no values of a column."""
    try:
        value = read_number(text).value
    except NotationError:
        return None
    return value if math.isfinite(value) else None


def _date(text: str) -> dt.date | None:
    try:
        return read_date(text)
    except NotationError:
        return None


FIRST_DAY, LAST_DAY = dt.date(1677, 9, 22), dt.date(2262, 4, 11)
"""The days a dataset's dates may fall on: what pandas (and so SDMetrics) can hold."""


def shown_value(text: str) -> str:
    """A cell as a message may quote it: never a value that looks like a direct identifier.

    Error messages reach terminals and CI logs; a BSN in them would leak what the scan
    exists to keep out.
    """
    if _might_hold_identifier(text) and next(scan_text(text, ("synthetic",)), None):
        return _("a value that looks like a direct identifier (not shown)")
    return "'" + (text if len(text) <= 40 else text[:40] + "…") + "'"


def infer_kinds(table: Table) -> list[Kind]:
    """Each column's kind from its values: numbers, dates, else categories.

    A column is numerical when every value in it reads as a number (a decimal comma too), a
    date when every one reads as a date (``YYYY-MM-DD`` or ``D-M-YYYY``); empty cells aside.
    """
    kinds: list[Kind] = []
    for index in range(len(table.header)):
        values = {fields[index].strip() for _, fields in table.rows} - {""}
        if values and all(_number(v) is not None for v in values):
            kinds.append("numerical")
        elif values and all(_date(v) is not None for v in values):
            kinds.append("datetime")
        else:
            kinds.append("categorical")
    return kinds


def typed(table: Table, kinds: Sequence[Kind], *, other: str | None = None) -> Dataset:
    """The table's values as its columns' kinds; ``DatasetProblem`` at the first that does not fit.

    ``kinds`` come from ``other`` (the real file, or the metadata file), which the message names.
    """
    named = _("the real file") if other is None else other
    columns: list[list[Value]] = []
    for index, kind in enumerate(kinds):
        values: list[Value] = []
        read = _number if kind == "numerical" else _date if kind == "datetime" else None
        for line, fields in table.rows:
            text = fields[index].strip()
            if not text:
                values.append(None)
            elif read is None:
                values.append(text)
            else:
                value = read(text)
                if value is None:
                    message = (
                        _("{value} is not a number, as this column is in {other}")
                        if kind == "numerical"
                        else _("{value} is not a date (YYYY-MM-DD or D-M-YYYY), as this column "
                               "is in {other}")
                    )  # fmt: skip
                    raise DatasetProblem(
                        message.format(value=shown_value(text), other=named), line,
                        _where(table, index),
                    )  # fmt: skip
                if isinstance(value, dt.date) and not FIRST_DAY <= value <= LAST_DAY:
                    raise DatasetProblem(
                        _("the date {date} lies outside {first} to {last}, the days a "
                          "dataset's dates may fall on").format(
                            date=day(value), first=day(FIRST_DAY), last=day(LAST_DAY)),
                        line, _where(table, index),
                    )  # fmt: skip
                values.append(value)
        columns.append(values)
    lines = [line for line, _ in table.rows]
    return Dataset(list(table.header), list(kinds), columns, lines, table.described())


_SDTYPES: dict[str, Kind] = {
    "numerical": "numerical", "datetime": "datetime", "categorical": "categorical",
    "boolean": "categorical",
}  # fmt: skip


def kinds_from_metadata(metadata: object, names: Sequence[str]) -> list[Kind]:
    """Each column's kind from SDMetrics' single-table metadata (``{"columns": {...}}``)."""
    columns = metadata.get("columns") if isinstance(metadata, dict) else None
    if not isinstance(columns, dict):
        raise DatasetProblem(_('it has no "columns" object (SDMetrics\' single-table metadata)'))
    missing = [n for n in names if n not in columns]
    if missing:
        raise DatasetProblem(
            _("it does not describe the column(s) {columns}").format(columns=", ".join(missing))
        )
    kinds: list[Kind] = []
    for name in names:
        entry = columns[name]
        sdtype = entry.get("sdtype") if isinstance(entry, dict) else None
        if sdtype not in _SDTYPES:
            raise DatasetProblem(
                _("column {name}: sdtype {sdtype!r} is not one of {sdtypes}").format(
                    name=name, sdtype=sdtype, sdtypes=", ".join(_SDTYPES)
                )
            )
        kinds.append(_SDTYPES[sdtype])
    return kinds


def column_problem(real: Sequence[str], synthetic: Sequence[str]) -> str | None:
    """How the synthetic file's columns differ from the real file's, or ``None``."""
    missing = [n for n in real if n not in synthetic]
    extra = [n for n in synthetic if n not in real]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append(_("it lacks {columns}").format(columns=", ".join(missing)))
    if extra:
        parts.append(
            _("it has {columns} that the real file has not").format(columns=", ".join(extra))
        )
    return _("{problems} (both files need the same columns)").format(problems="; ".join(parts))


def reordered(table: Table, names: Sequence[str]) -> Table:
    """``table`` with its columns in the order of ``names`` (the real file's)."""
    order = [table.header.index(n) for n in names]
    rows = [(line, [fields[i] for i in order]) for line, fields in table.rows]
    return Table(list(names), rows, table.encoding, table.delimiter, table.header_line)


def _normal(value: Value) -> Value:
    """A value as two files that mean the same write it alike (``3,50`` and ``3.5``).

    Text is compared as it shows: compatibility forms folded (full-width letters), characters
    that show as nothing dropped (a zero-width space made a copy look new), quotes around it
    and punctuation after it left off, spaces collapsed, case folded.
    """
    if isinstance(value, str):
        shown = "".join(ch for ch in unicodedata.normalize("NFKC", value) if not hides(ch))
        return " ".join(shown.split()).strip("\"'").rstrip(".,;:!?").strip().casefold()
    return value


def _normal_columns(dataset: Dataset) -> list[list[Value]]:
    """Every value normalised; each distinct text once (a column repeats few of them)."""
    found = []
    for column in dataset.columns:
        texts: dict[str, Value] = {}
        found.append([
            v if not isinstance(v, str) else texts[v] if v in texts
            else texts.setdefault(v, _normal(v))
            for v in column
        ])  # fmt: skip
    return found


@dataclass(frozen=True, slots=True)
class Copies:
    """Synthetic rows that give real rows away: equal to one, or equal but for one column."""

    exact: int
    near: int | None  # None: too few columns to tell a near copy from chance


_MASK = 2**64 - 1


def copies(real: Dataset, synthetic: Dataset) -> Copies:
    """Exact and near copies of real rows among the synthetic rows, over every row.

    Both datasets have the same columns in the same order with the same kinds (``typed``);
    values are compared normalised. A near copy is no exact copy, and either equals a real row
    in every column but one (a copied patient with one value changed; counted from
    ``NEAR_COPY_COLUMNS`` columns on), or carries the numbers and dates that only one real row
    has (a copied patient with categories changed; counted from two such columns on).
    """
    real_columns, synthetic_columns = _normal_columns(real), _normal_columns(synthetic)
    real_rows = list(zip(*real_columns, strict=True))
    synthetic_rows = list(zip(*synthetic_columns, strict=True))
    seen = set(real_rows)
    exact = [row in seen for row in synthetic_rows]
    measured = [i for i, kind in enumerate(real.kinds) if kind != "categorical"]
    if len(real.names) < NEAR_COPY_COLUMNS and len(measured) < 2:
        return Copies(sum(exact), None)
    near = [False] * len(synthetic_rows)
    if len(real.names) >= NEAR_COPY_COLUMNS:
        near = _near_copies(real_columns, synthetic_columns, real_rows, synthetic_rows, exact)
    if len(measured) >= 2:
        carried = _carrying(real_rows, synthetic_rows, measured)
        near = [n or (c and not e) for n, c, e in zip(near, carried, exact, strict=True)]
    return Copies(sum(exact), sum(near))


def _carrying(
    real_rows: list[tuple[Value, ...]], synthetic_rows: list[tuple[Value, ...]], measured: list[int]
) -> list[bool]:
    """Which synthetic rows carry a real row's own numbers and dates, whatever their categories.

    Ages, dates and lengths of stay together single a person out; categories (sex, ward, a
    yes/no) rarely do, and a copy with only those changed keeps the person. Counted only where
    the real file has that combination once: a combination many real rows share identifies no
    one, and honest synthetic data meets it by chance.
    """
    seen = Counter(tuple(row[i] for i in measured) for row in real_rows)
    own = {key for key, n in seen.items() if n == 1 and any(v is not None for v in key)}
    return [tuple(row[i] for i in measured) in own for row in synthetic_rows]


def _near_copies(
    real_columns: list[list[Value]],
    synthetic_columns: list[list[Value]],
    real_rows: list[tuple[Value, ...]],
    synthetic_rows: list[tuple[Value, ...]],
    exact: list[bool],
) -> list[bool]:
    """Synthetic rows equal to a real row in all columns but one, exact copies aside.

    Each row gets a sum of its values' hashes, each weighted per column; leaving one column
    out is one subtraction, so every column is left out in turn at the cost of one pass over
    the rows (not one tuple per row and column). A matching sum is confirmed value by value.
    """
    import random

    weights = [random.Random(index).getrandbits(64) | 1 for index in range(len(real_columns))]

    def sums(columns: list[list[Value]], rows: int) -> tuple[list[list[int]], list[int]]:
        hashed = [[hash(v) for v in column] for column in columns]
        total = [0] * rows
        for weight, column in zip(weights, hashed, strict=True):
            total = [t + weight * h for t, h in zip(total, column, strict=True)]
        return hashed, total

    real_hashed, real_total = sums(real_columns, len(real_rows))
    synthetic_hashed, synthetic_total = sums(synthetic_columns, len(synthetic_rows))
    near = [False] * len(synthetic_rows)
    for column, weight in enumerate(weights):
        real_keys = [
            (t - weight * h) & _MASK for t, h in zip(real_total, real_hashed[column], strict=True)
        ]
        index = dict(zip(real_keys, range(len(real_keys)), strict=True))  # one row per key
        keys = [
            (t - weight * h) & _MASK
            for t, h in zip(synthetic_total, synthetic_hashed[column], strict=True)
        ]
        for row in [r for r, key in enumerate(keys) if key in index]:  # few: confirm each
            if exact[row] or near[row]:
                continue
            mine, key = synthetic_rows[row], keys[row]
            near[row] = _equal_but(real_rows[index[key]], mine, column) or any(
                _equal_but(real_rows[other], mine, column)  # another row of that sum, if any
                for other, found in enumerate(real_keys)
                if found == key
            )
    return near


def _equal_but(a: tuple[Value, ...], b: tuple[Value, ...], column: int) -> bool:
    return a[:column] == b[:column] and a[column + 1 :] == b[column + 1 :]


@dataclass(slots=True)
class IdentifierScan:
    """Direct identifiers in a file: how many cells of each kind, and where the first is."""

    counts: Counter[str] = field(default_factory=Counter)
    first: dict[str, tuple[int, str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Cells holding an identifier, of any kind."""
        return sum(self.counts.values())


def _might_hold_identifier(text: str) -> bool:
    """Whether ``pii.scan_text`` could find anything in ``text``: a cheap, safe pre-filter.

    A BSN has nine digits (eight, written without its leading zero), a Dutch phone number ten,
    an e-mail address an @, an IBAN at least 15 characters: a shorter value with fewer digits
    and no @ (most numbers, dates, codes) holds none of them.
    """
    if "@" in text or len(text) >= 15:
        return True
    return sum(c.isdigit() for c in text) >= 8


def scan_identifiers(table: Table) -> IdentifierScan:
    """Run every cell of ``table`` through the guard of ``pilots validate`` (BSN, e-mail, ...).

    Each distinct value of a column is scanned once. The result names kinds, counts and the
    first place of each, never the value.
    """
    found = IdentifierScan()
    for index, name in enumerate(table.header):
        verdicts: dict[str, tuple[str, ...]] = {}
        for line, fields in table.rows:
            text = fields[index]
            codes = verdicts.get(text)
            if codes is None:
                codes = ()
                if _might_hold_identifier(text):
                    hits = scan_text(text, ("synthetic", name))
                    codes = tuple(sorted({h.code for h in hits if h.code in IDENTIFIER_CODES}))
                verdicts[text] = codes
            for code in codes:
                found.counts[code] += 1
                found.first.setdefault(code, (line, f"{column_letter(index)} ({name})"))
    return found


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What a gate asks of a dataset's evaluation."""

    min_quality: float
    min_privacy: float
    max_exact_copies: int
    max_identifiers: int
    max_near_copy_share: float = 0.01
    valid_days: int = 365


@dataclass(frozen=True, slots=True)
class EvaluationRecord:
    """A dataset's evaluation as the gate reads it from the register.

    ``declared`` is ``None`` for an evaluation recorded by a release that counted no near
    copies and fingerprinted no declaration: it must be made again. ``near_copies`` is
    ``None`` where they were not counted (too few columns, or that older release).
    """

    dataset: str
    quality: float
    privacy: float
    exact_copies: int
    identifiers: int
    stale: str | None = None  # why it no longer counts (a file changed), if it does not
    near_copies: int | None = None
    synthetic_rows: int = 0
    declared: str | None = None  # the declaration's fingerprint when it was evaluated
    evaluated_on: dt.date | None = None


def evaluation_record(  # noqa: PLR0913 - one stored row's columns
    dataset: str,
    quality: float,
    privacy: float,
    exact: int,
    identifiers: int,
    stale: str | None,
    near: int | None,
    synthetic_rows: int,
    declared: str | None,
    evaluated_at: dt.datetime,
) -> EvaluationRecord:
    """The record the gate reads, from the columns of a stored evaluation."""
    return EvaluationRecord(dataset, quality, privacy, exact, identifiers, stale, near,
                            synthetic_rows, declared, utc(evaluated_at).date())  # fmt: skip


DECLARED_FIELDS = ("name", "description", "synthetic_counterpart", "method")
"""What names the dataset that was evaluated: change one and the evaluation is of another."""


def declaration(item: object) -> str:
    """A fingerprint of a dataset's declaration: its name, counterpart and method.

    The free-text claims (``privacy_evaluation``, ``utility_evaluation``) are left out: they
    describe an evaluation, they do not change what was evaluated.
    """
    values = {k: item.get(k) if isinstance(item, dict) else None for k in DECLARED_FIELDS}
    return hashlib.sha256(canonical_json(values).encode()).hexdigest()


def shortfalls(
    record: EvaluationRecord,
    limits: Thresholds,
    *,
    declared: str | None = None,
    today: dt.date | None = None,
) -> list[str]:
    """What keeps an evaluation from passing ``limits``; empty when it passes.

    ``declared`` is the fingerprint of the dataset's declaration now, ``today`` the day to
    judge its age on; either may be ``None`` where it is not known.
    """
    found = []
    if record.stale is not None:
        found.append(_("stale: {reason}").format(reason=stale_text(record.stale)))
    if record.declared is None:
        found.append(
            _("evaluated by an earlier release that counted no near copies; evaluate it again")
        )
    elif declared is not None and record.declared != declared:
        found.append(
            _(
                "the definition changed the dataset (its name, description, synthetic "
                "counterpart or method) since it was evaluated; evaluate it again"
            )
        )
    if (
        today is not None
        and record.evaluated_on is not None
        and (today - record.evaluated_on).days > limits.valid_days
    ):
        found.append(
            _("evaluated on {date}, more than {days} days ago").format(
                date=day(record.evaluated_on), days=limits.valid_days
            )
        )
    if record.quality < limits.min_quality:
        found.append(
            _("quality {score} (needs >= {minimum})").format(
                score=number(record.quality, ".2f"), minimum=number(limits.min_quality, ".2f")
            )
        )
    if record.privacy < limits.min_privacy:
        found.append(
            _("privacy {score} (needs >= {minimum})").format(
                score=number(record.privacy, ".2f"), minimum=number(limits.min_privacy, ".2f")
            )
        )
    if record.exact_copies > limits.max_exact_copies:
        found.append(
            _("{count} exact copies of real rows (at most {limit})").format(
                count=record.exact_copies, limit=limits.max_exact_copies
            )
        )
    if record.near_copies and record.near_copies > limits.max_near_copy_share * max(
        record.synthetic_rows, 1
    ):
        share = record.near_copies / max(record.synthetic_rows, 1)
        found.append(
            _(
                "{count} near copies of real rows (equal but for one column, or with a real "
                "row's own numbers and dates; {share} of the synthetic rows, at most {limit})"
            ).format(
                count=record.near_copies,
                share=number(share, ".1%"),
                limit=number(limits.max_near_copy_share, ".1%"),
            )  # fmt: skip
        )
    if record.identifiers > limits.max_identifiers:
        found.append(
            _("{count} direct identifiers (at most {limit})").format(
                count=record.identifiers, limit=limits.max_identifiers
            )
        )
    return found


def declared_datasets(value: object) -> list[str]:
    """The names of the datasets a definition lists (``synthetic_data.datasets``)."""
    if not isinstance(value, list):
        return []
    return [d["name"] for d in value if isinstance(d, dict) and isinstance(d.get("name"), str)]
