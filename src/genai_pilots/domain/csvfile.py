"""CSV text as spreadsheets save it: its encoding, its delimiter, its lines.

Excel saves "CSV" in the list separator and code page of the computer's region: in Dutch that
is ``;`` between fields and Windows-1252 (cp1252), or UTF-8 with a byte order mark for "CSV
UTF-8"; "Unicode text" is UTF-16 with tabs. So the encoding is taken from the bytes (a byte order
mark, else UTF-8 when the bytes are UTF-8, else cp1252) and the delimiter from the header line
(the one of ``;``, ``,`` and tab that splits it into the expected column names), unless a first
line ``sep=;`` (which Excel writes and reads) or the caller names it. What was found is
described, so a user sees what was assumed.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from genai_pilots.i18n import _

# Also how a file was read (``Table.described``), which a synthetic-data evaluation stores with
# its details: kept English.
DELIMITERS = {",": "','-separated", ";": "';'-separated", "\t": "tab-separated"}
_NAMED = {",": ",", "comma": ",", ";": ";", "semicolon": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}


class CsvProblem(Exception):
    """The file cannot be read as a table; ``line`` is where, 1 for the file as a whole."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV file's header and rows, each row with the line it starts on."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    encoding: str
    delimiter: str
    header_line: int = 1

    def described(self) -> str:
        """``cp1252, ';'-separated``: what was found, for a note to the user."""
        return f"{self.encoding}, {DELIMITERS[self.delimiter]}"


def named_delimiter(text: str) -> str:
    """The delimiter a ``--delimiter`` value names; ``ValueError`` for any other."""
    found = _NAMED.get(text) or _NAMED.get(text.strip().lower())
    if found is None:
        raise ValueError(_("--delimiter '{text}' is not one of ',', ';' or tab").format(text=text))
    return found


def column_letter(index: int) -> str:
    """The spreadsheet's name of the column at ``index`` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), UTF-16 or cp1252."""
    for bom, codec, name in (
        (codecs.BOM_UTF8, "utf-8", "UTF-8 with BOM"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    ):
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(codec), name
            except UnicodeDecodeError as exc:
                line = _line_of(body, exc.start) if codec == "utf-8" else 1
                raise CsvProblem(
                    line,
                    _(
                        "the file starts as {encoding} but byte 0x{byte:02x} is not; save it "
                        "again as CSV UTF-8"
                    ).format(encoding=name, byte=body[exc.start]),
                ) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CsvProblem(
            _line_of(data, nul),
            _(
                "the file holds binary data (a NUL byte), not text; save it as CSV from the "
                "spreadsheet (CSV UTF-8, or CSV with ';')"
            ),
        )
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise CsvProblem(
            _line_of(data, exc.start),
            _(
                "byte 0x{byte:02x} is neither UTF-8 nor Windows-1252 (cp1252) text; save the "
                "file as CSV UTF-8"
            ).format(byte=data[exc.start]),
        ) from None


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def sniff(header: str, expected: Collection[str]) -> str:
    """The delimiter that splits ``header`` into the most expected names, then most fields.

    A comma when nothing tells.
    """
    wanted = {name.lower() for name in expected}

    def score(delimiter: str) -> tuple[int, int]:
        fields = [f.strip().lower() for f in _split(header, delimiter)]
        return sum(f in wanted for f in fields), len(fields)

    best = max((",", ";", "\t"), key=score)  # max keeps the first of equals: the comma
    return best if score(best) > (0, 1) else ","


def read_table(data: bytes, expected: Collection[str], delimiter: str | None = None) -> Table:
    """Decode ``data``, find its delimiter and split it into a header and rows.

    Rows keep the line they start on (a quoted value may span lines); rows with nothing in
    them (Excel writes ``;;`` for an empty row) are left out.
    """
    text, encoding = decode(data)
    lines = io.StringIO(text, newline="")
    first = lines.readline()
    header_line = 1
    stripped = first.strip()
    if stripped.lower().startswith("sep=") and len(stripped) == 5:
        if delimiter is None:
            delimiter = stripped[4]
            if delimiter not in DELIMITERS:
                raise CsvProblem(
                    1,
                    _("'{line}' names a delimiter other than ',', ';' or tab").format(
                        line=stripped
                    ),
                )
        first = lines.readline()
        header_line = 2
    if delimiter is None:
        delimiter = sniff(first, expected)
    rest = lines.read()
    reader = csv.reader(io.StringIO(first + rest, newline=""), delimiter=delimiter, strict=True)
    table: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    end = header_line - 1
    try:
        for fields in reader:
            start, end = end + 1, header_line - 1 + reader.line_num
            if header is None:
                header = [f.strip() for f in fields]
                continue
            if any(f.strip() for f in fields):
                table.append((start, fields))
    except csv.Error as exc:
        raise CsvProblem(
            header_line + reader.line_num - 1,
            _(
                "{problem}; a value with {delimiter} or a quote in it needs quotes around it, "
                'and a quote inside quotes is written twice ("")'
            ).format(
                problem=exc,
                delimiter=_("tab") if delimiter == "\t" else DELIMITERS[delimiter].split("-")[0],
            ),
        ) from None
    return Table(header or [], table, encoding, delimiter, header_line)


def header_problem(  # noqa: PLR0913 - what one header check says
    table: Table,
    required: Sequence[str],
    known: Collection[str],
    *,
    columns_hint: str,
    rows_are: str,
    read_as: str,
    unknown_note: str = "",
) -> str | None:
    """What is wrong with a file's header line: empty, a column twice, missing or unknown ones.

    ``columns_hint`` names the columns (``columns: kpi,date,value[,setting,note]``), ``rows_are``
    what a row holds (``a row per measurement``), ``unknown_note`` why others are refused.
    """
    names = [name.lower() for name in table.header]
    if not any(names):
        listed = columns_hint.removeprefix("columns: ").split("[")[0]
        return _("the file is empty; it needs a header line {columns} and {rows_are}").format(
            columns=listed, rows_are=rows_are
        )
    for index, name in enumerate(names):
        if name and name in names[:index]:
            first = names.index(name)
            return _(
                "column '{name}' appears twice (columns {first} and {second}); keep one of them"
            ).format(
                name=table.header[index], first=column_letter(first), second=column_letter(index)
            )
    missing = [c for c in required if c not in names]
    unknown = [h for h, n in zip(table.header, names, strict=True) if n and n not in known]
    if not missing and not unknown:
        return None
    what = []
    if missing:
        what.append(_("missing column {names}").format(names=", ".join(missing)))
    if unknown:
        what.append(
            _("unknown column {names}{note}").format(names=", ".join(unknown), note=unknown_note)
        )
    return _(
        "{problems} ({columns}; read as {read_as}: pass --delimiter if that is not right)"
    ).format(problems="; ".join(what), columns=columns_hint, read_as=read_as)
