"""Paths and files, and Dutch spreadsheets (issue 15, "rough edges").

A. Every command that takes a path gives one line naming the file (exit 2, or a finding where
   ``validate`` reports per file) for a directory, a device, a pipe nobody writes to, a dangling
   link, a path through a file or a name too long; never a hang, a traceback or exit 3, and no
   input is read past 1 MiB, whatever ``stat`` says about its size.
B. A CSV of measurements is read as Excel in Dutch saves it: cp1252 or UTF-8 (with or without
   BOM), ``;``/``,``/tab, decimal commas, day-first dates; what could be read two ways is refused
   with its line and column, and then nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from genai_pilots import clock
from genai_pilots.domain.yamlsafe import MAX_BYTES
from tests.conftest import EXAMPLES, MINIMAL, Run, write

SCRIBE = "ambient-scribe-cardiologie"
TODAY = dt.date(2026, 12, 1)

pytestmark = pytest.mark.store(engines=("sqlite",))  # paths and parsing: one engine is enough


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = dt.datetime.combine(TODAY, dt.time(9, 0), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """A command that blocks (on a pipe nobody writes to) fails the test instead of hanging."""
    expired: list[int] = []

    def expire(signum: int, frame: Any) -> None:
        expired.append(signum)
        raise TimeoutError("the command blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    assert not expired, "the command blocked for a minute"


@pytest.fixture
def scribe(run: Run) -> Run:
    assert run("import", EXAMPLES / f"{SCRIBE}.yaml").exit_code == 0
    return run


def points(run: Run, kpi: str = "documentatietijd") -> list[list[Any]]:
    shown = run("kpis", SCRIBE, "--json")
    assert shown.exit_code == 0, shown.output
    return next(k["points"] for k in json.loads(shown.stdout)["kpis"] if k["kpi"] == kpi)


def refused(result: Any, *words: str, code: int = 2) -> str:
    """The one error line of a refused command, which says each of ``words``."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    first = result.stderr.splitlines()[0]
    assert first.startswith("error: "), result.stderr
    for word in words:
        assert word in first, (word, first)
    return str(first)


# A. Paths and files ---------------------------------------------------------------------------


def bad_path(tmp_path: Path, kind: str) -> tuple[Path, str]:
    """A path of ``kind`` that no command can use as input, and what the error says of it."""
    if kind == "directory":
        folder = tmp_path / "folder.yaml"
        folder.mkdir()
        return folder, "directory"
    if kind == "fifo":
        fifo = tmp_path / "fifo.yaml"
        os.mkfifo(fifo)
        return fifo, "named pipe"
    if kind == "zero":
        return Path("/dev/zero"), "device"
    if kind == "urandom":
        return Path("/dev/urandom"), "device"
    if kind == "link-to-zero":
        link = tmp_path / "zero.yaml"
        link.symlink_to("/dev/zero")
        return link, "device"
    if kind == "dangling":
        link = tmp_path / "gone.yaml"
        link.symlink_to(tmp_path / "nowhere" / "x.yaml")
        return link, "which does not exist"
    if kind == "through-a-file":
        write(tmp_path / "plain", "x")
        return tmp_path / "plain" / "x.yaml", "is a file, not a folder"
    if kind == "long-name":
        return tmp_path / ("a" * 300 + ".yaml"), "too long"
    raise AssertionError(kind)


INPUT_KINDS = ["fifo", "zero", "urandom", "link-to-zero", "dangling", "through-a-file", "long-name"]
# each command reading an input file, and whether its findings go to stdout (exit 1) instead
READERS = {
    "playbook validate": ("playbook", "validate", "{}"),
    "playbook show --playbook": ("playbook", "show", "--playbook", "{}"),
    "status --playbook": ("status", "--playbook", "{}"),
    "validate --playbook": ("validate", "--playbook", "{}", str(EXAMPLES)),
    "measure --csv": ("measure", SCRIBE, "--csv", "{}"),
    "training import": ("training", "import", SCRIBE, "{}"),
    "classify": ("classify", "{}"),
    "db restore": ("db", "restore", "{}", "--db", "sqlite:///{tmp}/restored.db"),
}


@pytest.mark.parametrize("kind", INPUT_KINDS)
@pytest.mark.parametrize("command", list(READERS))
def test_an_input_that_is_no_file_is_one_line_naming_it(
    scribe: Run, tmp_path: Path, command: str, kind: str
) -> None:
    path, says = bad_path(tmp_path, kind)
    args = [a.format(path, tmp=tmp_path) if "{" in a else a for a in READERS[command]]
    result = scribe(*args)
    if kind == "fifo" and command == "db restore":
        says = "empty"  # a dump may come through a pipe; one nobody writes to holds nothing
    first = refused(result, says)
    assert str(path)[:60] in first
    assert not (tmp_path / "nowhere").exists()
    assert not (tmp_path / "restored.db").exists()  # a dump that cannot be read makes no store
    assert points(scribe) == []


@pytest.mark.parametrize("command", ["validate", "import"])
@pytest.mark.parametrize("kind", ["zero", "urandom", "link-to-zero", "through-a-file", "long-name"])
def test_definitions_that_are_no_files_are_refused_before_anything_is_read(
    run: Run, tmp_path: Path, command: str, kind: str
) -> None:
    path, says = bad_path(tmp_path, kind)
    first = refused(run(command, EXAMPLES / f"{SCRIBE}.yaml", path), says)
    assert str(path)[:60] in first
    assert SCRIBE not in run("status").stdout


def test_validate_refuses_dev_zero_at_once_in_bounded_memory() -> None:
    """As a user runs it: its own process, with a memory limit an unbounded read would hit."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1024 * 2**20, 1024 * 2**20))

    result = subprocess.run(
        [sys.executable, "-m", "genai_pilots", "validate", "/dev/zero"],
        capture_output=True, text=True, timeout=60, preexec_fn=limit_memory,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    first = result.stderr.splitlines()[0]
    assert first == "error: /dev/zero: it is a device, not a definition file"


def test_a_pipe_nobody_writes_to_is_a_finding_of_validate_not_a_hang(
    run: Run, tmp_path: Path
) -> None:
    fifo, _ = bad_path(tmp_path, "fifo")
    result = run("validate", fifo)
    assert result.exit_code == 1
    assert f"{fifo}:1:1: error: cannot read file: it is a named pipe and nothing was written" in (
        result.stdout
    )


Feed = Callable[[bytes], Path]


@pytest.fixture
def feed_pipe() -> Iterator[Feed]:
    """Make pipes (as ``<(...)`` gives one) that a thread fills; closed after the test."""
    opened: list[int] = []

    def feed(data: bytes) -> Path:
        read_end, write_end = os.pipe()
        opened.append(read_end)

        def fill() -> None:
            try:
                with os.fdopen(write_end, "wb") as handle:
                    handle.write(data)
            except BrokenPipeError:
                pass  # the reader stopped at its limit

        threading.Thread(target=fill, daemon=True).start()
        return Path(f"/dev/fd/{read_end}")

    yield feed
    for fd in opened:
        os.close(fd)


def test_a_csv_through_a_pipe_is_read(scribe: Run, feed_pipe: Feed) -> None:
    piped = feed_pipe(b"kpi;date;value\ndocumentatietijd;1-10-2026;9,5\n")
    result = scribe("measure", SCRIBE, "--csv", piped)
    assert result.exit_code == 0, result.output
    assert points(scribe) == [["2026-10-01", 9.5]]


def test_a_csv_from_stdin_is_read_as_a_file_is(scribe: Run) -> None:
    result = scribe("measure", SCRIBE, "--csv", "-",
                    input="kpi;date;value\ndocumentatietijd;1-10-2026;9,5\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"recorded 1 measurements of {SCRIBE} from <stdin>"
    assert points(scribe) == [["2026-10-01", 9.5]]
    bad = scribe("measure", SCRIBE, "--csv", "-", input="kpi;date;value\nx;1-10-2026;1\n")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: <stdin>:2: ")
    empty = scribe("measure", SCRIBE, "--csv", "-", input="")
    assert empty.exit_code == 2
    assert empty.stderr.startswith("error: <stdin>: nothing was written to it")
    assert points(scribe) == [["2026-10-01", 9.5]]


@pytest.mark.parametrize("command", ["measure --csv", "playbook validate", "validate"])
def test_no_input_is_read_past_one_mebibyte_even_from_a_pipe(
    scribe: Run, feed_pipe: Feed, command: str
) -> None:
    piped = feed_pipe(b"kpi,date,value\n" + b"documentatietijd,2026-10-01,1\n" * 50_000)
    args = {
        "measure --csv": ("measure", SCRIBE, "--csv", piped),
        "playbook validate": ("playbook", "validate", piped),
        "validate": ("validate", piped),
    }[command]
    result = scribe(*args)
    if command == "validate":  # validate reports it per file
        assert result.exit_code == 1
        assert f"{piped}:1:1: error: file is larger than the {MAX_BYTES:,} bytes" in result.stdout
    else:
        refused(result, str(piped), f"larger than the {MAX_BYTES:,} bytes")
    assert points(scribe) == []


@pytest.mark.parametrize("what", ["csv", "playbook"])
def test_a_file_over_the_limit_is_refused_without_storing_anything(
    scribe: Run, tmp_path: Path, what: str
) -> None:
    big = write(tmp_path / "big", b"kpi,date,value\n" + b"x" * MAX_BYTES)
    if what == "csv":
        refused(scribe("measure", SCRIBE, "--csv", big), "larger than", "CSV file")
        assert points(scribe) == []
    else:
        refused(scribe("playbook", "set", big, "--reason", "groot"), "larger than", "playbook")
        assert "the default playbook" in scribe("playbook", "show").stdout


def writer(command: str, target: Path) -> tuple[str, ...]:
    return {
        "report -o": ("report", "-o", str(target)),
        "audit anchor -o": ("audit", "anchor", "-o", str(target)),
        "db dump": ("db", "dump", str(target)),
        "new --scaffold": (
            "new", "--id", "nieuw", "--name", "N", "--setting", "kliniek", "--department", "D",
            "--owner-name", "A. B", "--owner-email", "a@b.example", "--scaffold", str(target),
        ),
        "classify --ask -o": ("classify", SCRIBE, "--ask", "-o", str(target)),
        "export -o": ("export", "-o", str(target)),
    }[command]  # fmt: skip


WRITE_KINDS = ["dangling", "through-a-file", "long-name", "zero", "fifo"]


@pytest.mark.parametrize("kind", WRITE_KINDS)
@pytest.mark.parametrize(
    "command",
    ["report -o", "audit anchor -o", "db dump", "new --scaffold", "classify --ask -o", "export -o"],
)
def test_an_output_that_cannot_be_written_is_one_line_and_nothing_is_made(
    scribe: Run, tmp_path: Path, command: str, kind: str
) -> None:
    target, says = bad_path(tmp_path, kind)
    if kind == "dangling" and command in ("new --scaffold", "classify --ask -o"):
        says = "exists"  # they never write over anything, a link included
    if kind in ("zero", "fifo"):
        kept = {"new --scaffold": "exists", "classify --ask -o": "exists"}
        says = (kept | {"export -o": "not a directory"}).get(command, "not a regular file")
    result = scribe(*writer(command, target), input="\n" * 40)
    first = refused(result, says)
    assert str(target)[:60] in first
    assert not (tmp_path / "nowhere").exists()  # a dangling link's target is never made
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_backup_through_a_file_is_a_usage_error(scribe: Run, tmp_path: Path) -> None:
    write(tmp_path / "plain", "x")
    refused(scribe("db", "backup", tmp_path / "plain" / "b.db"), f"{tmp_path / 'plain'}")


def test_importing_a_folder_without_definitions_is_refused_as_validate_refuses_it(
    run: Run, tmp_path: Path
) -> None:
    (tmp_path / "leeg").mkdir()
    for command in ("validate", "import"):
        refused(run(command, tmp_path / "leeg"), "no definition files found")


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("2026-02-30", "'2026-02-30', which does not exist: February 2026 has 28 days"),
        ("01-03-2026", "'01-03-2026', which is day-first; write it as 2026-03-01"),
    ],
)
def test_a_date_in_a_definition_that_does_not_exist_or_is_day_first_is_named(
    run: Run, tmp_path: Path, written: str, says: str
) -> None:
    text = (EXAMPLES / f"{SCRIBE}.yaml").read_text(encoding="utf-8")
    path = write(tmp_path / "p.yaml", text.replace("start: 2026-03-01", f"start: {written}"))
    result = run("validate", path)
    assert result.exit_code == 1
    assert f"start_klein.period.start: expected a date (YYYY-MM-DD), got {says}" in result.stdout


# B. Dutch spreadsheets ------------------------------------------------------------------------

DUTCH = (
    "kpi;date;value;setting;note\r\n"
    "documentatietijd;1-10-2026;11,5;;gemeten door Zoë\r\n"
    ";;;;\r\n"  # Excel writes an empty row as delimiters only
    "documentatietijd;1-11-2026;9;thuiszorg;\r\n"
)


@pytest.mark.parametrize(
    ("encoded", "read_as"),
    [
        (DUTCH.encode("cp1252"), "cp1252"),
        (b"\xef\xbb\xbf" + DUTCH.encode("utf-8"), "UTF-8 with BOM"),
        (DUTCH.encode("utf-8"), "UTF-8"),
        (b"sep=;\r\n" + DUTCH.encode("cp1252"), "cp1252"),
    ],
    ids=["cp1252", "utf8-bom", "utf8", "sep-line"],
)
def test_a_csv_as_excel_saves_it_in_dutch_is_recorded_and_described(
    scribe: Run, tmp_path: Path, encoded: bytes, read_as: str
) -> None:
    path = write(tmp_path / "metingen.csv", encoded)
    result = scribe("measure", SCRIBE, "--csv", path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"recorded 2 measurements of {SCRIBE} from {path}"
    assert result.stderr.strip() == (
        f"note: read {path} as {read_as}, ';'-separated, decimal commas, day-first dates (D-M-YYYY)"
    )
    rows = {(k["setting"], tuple(map(tuple, k["points"])))
            for k in json.loads(scribe("kpis", SCRIBE, "--json").stdout)["kpis"]
            if k["kpi"] == "documentatietijd" and k["setting"]}  # fmt: skip
    assert rows == {("polikliniek", (("2026-10-01", 11.5),)), ("thuiszorg", (("2026-11-01", 9.0),))}
    assert "note: gemeten door Zoë" in scribe("export", SCRIBE).stdout  # decoded, not mojibake


def test_a_tab_separated_utf16_file_is_read(scribe: Run, tmp_path: Path) -> None:
    text = "kpi\tdate\tvalue\r\ndocumentatietijd\t2026-10-01\t12,5\r\n"
    path = write(tmp_path / "unicode.txt", text.encode("utf-16"))
    result = scribe("measure", SCRIBE, "--csv", path)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"note: read {path} as UTF-16, tab-separated, decimal commas"
    assert points(scribe) == [["2026-10-01", 12.5]]


def test_the_delimiter_can_be_named(scribe: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "kpi;date;value\ndocumentatietijd;2026-10-01;8\n")
    wrong = scribe("measure", SCRIBE, "--csv", path, "--delimiter", ",")
    refused(wrong, f"{path}:1: missing column", "read as UTF-8, ','-separated", "--delimiter")
    assert points(scribe) == []
    named = scribe("measure", SCRIBE, "--csv", path, "--delimiter", ";")
    assert named.exit_code == 0, named.output
    assert points(scribe) == [["2026-10-01", 8.0]]
    tabbed = write(tmp_path / "t.csv", "kpi\tdate\tvalue\ndocumentatietijd\t2026-10-02\t7\n")
    assert scribe("measure", SCRIBE, "--csv", tabbed, "--delimiter", "tab").exit_code == 0
    refused(scribe("measure", SCRIBE, "--csv", path, "--delimiter", "|"), "'|' is not one of")
    refused(scribe("measure", SCRIBE, "documentatietijd", "3", "--delimiter", ";"), "--csv")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("kpi;date;value;Value\n", "1: column 'Value' appears twice (columns C and D)"),
        ("kpi;date;value\ndocumentatietijd;2026-02-30;3\n",
         "2: column B (date): '2026-02-30' does not exist: February 2026 has 28 days"),
        ("kpi;date;value\ndocumentatietijd;31-4-2026;3\n",
         "2: column B (date): '31-4-2026' does not exist: April 2026 has 30 days"),
        ("kpi;date;value\ndocumentatietijd;10/01/2026;3\n",
         "2: column B (date): '10/01/2026' is read differently in different countries; "
         "write it as YYYY-MM-DD"),
        ("kpi;date;value\ndocumentatietijd;1-10-26;3\n",
         "2: column B (date): '1-10-26' has a two-digit year"),
        ("kpi;date;value\ndocumentatietijd;2026-10-01;1.234,5\n",
         "2: column C (value): '1.234,5' has a thousands separator; write it without one (1234,5)"),
        ("kpi;date;value\ndocumentatietijd;2026-10-01;1.234\n",
         "2: column C (value): '1.234' could be 1234 (a Dutch thousands point) or a decimal; "
         "write 1234 without a separator, or 1,234 with a decimal comma"),
        ('kpi,date,value\ndocumentatietijd,2026-10-01,"1,234"\n',
         "2: column C (value): '1,234' could be 1234 (a thousands comma) or a decimal"),
        ("kpi,date,value\ndocumentatietijd,2026-10-01,3,5\n",
         '2: 4 fields where the header has 3 columns; a decimal comma in a comma-separated '
         'file needs quotes ("3,5")'),
        ("kpi\tdate\tvalue\ndocumentatietijd\t2026-10-01\t3,5\ncorrecties\t2026-10-01\t3.5\n"
         "correcties\t2026-10-02\t12.500\n",
         "4: column C (value): '12.500' could be 12500"),  # both separators: nothing settles it
        ("kpi;date;value\ndocumentatietijd;2026-10-01;\n",
         "2: column C (value): empty; every row needs a kpi, a date and a value"),
        ("kpi;date;value\ndocumentatietijd;2026-10-01;3;;x\n",
         "2: 5 fields where the header has 3 columns"),
        ("kpi;date;value;\ndocumentatietijd;2026-10-01;3;x\n",
         "2: column D has a value but no name in the header"),
        ("kpi;date;value\nwachttijd;2026-10-01;3\n", "2: column A (kpi): no KPI 'wachttijd'"),
        ("kpi;date;value;setting\ndocumentatietijd;2026-10-01;3;ziekenhuis\n",
         "2: column D (setting): 'ziekenhuis' is not one of"),
        ("kpi;date;value\ndocumentatietijd;1-12-2027;3\n",
         "2: column B (date): 2027-12-01 is in the future (today is 2026-12-01)"),
        ("", "1: the file is empty"),
        ("kpi;date;value\n", "2: the file has no measurements"),
    ],
)  # fmt: skip
def test_a_csv_problem_names_file_line_and_column_and_stores_nothing(
    scribe: Run, tmp_path: Path, text: str, says: str
) -> None:
    path = write(tmp_path / "m.csv", text)
    first = refused(scribe("measure", SCRIBE, "--csv", path), f"{path}:{says}")
    assert first.endswith("nothing was stored")
    assert points(scribe) == []


def test_a_bad_row_among_good_ones_keeps_the_whole_file_out(scribe: Run, tmp_path: Path) -> None:
    rows = "".join(f"documentatietijd;{day}-10-2026;{day},5\n" for day in range(1, 20))
    path = write(tmp_path / "m.csv", "kpi;date;value\n" + rows + "correcties;2026-02-29;3\n")
    refused(scribe("measure", SCRIBE, "--csv", path), f"{path}:21: column B (date)", "28 days")
    assert points(scribe) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('kpi,date,value\ndocumentatietijd,2026-10-01,1.234\n', 1.234),  # a point file
        ('kpi;date;value\ndocumentatietijd;2026-10-01;1,234\n', 1.234),  # a comma file
        ('kpi,date,value\ndocumentatietijd,2026-10-01,"1,234"\n'
         'documentatietijd,2026-10-02,"2,5"\n', 1.234),  # its values use decimal commas
        ("kpi;date;value\ndocumentatietijd;2026-10-01;1234\n", 1234.0),
        ("kpi;date;value\ndocumentatietijd;2026-10-01;-0,5\n", -0.5),
        ("kpi;date;value\ndocumentatietijd;2026-10-01;1,5E-3\n", 0.0015),
    ],
)  # fmt: skip
def test_a_value_that_could_be_a_thousand_times_off_is_read_only_when_the_file_settles_it(
    scribe: Run, tmp_path: Path, text: str, expected: float
) -> None:
    path = write(tmp_path / "m.csv", text)
    result = scribe("measure", SCRIBE, "--csv", path)
    assert result.exit_code == 0, result.output
    assert points(scribe)[0] == ["2026-10-01", expected]


def test_bytes_that_are_no_text_are_named_with_their_line(scribe: Run, tmp_path: Path) -> None:
    undefined = write(tmp_path / "a.csv", b"kpi;date;value\ndocumentatietijd;2026-10-01;3\x81\n")
    refused(scribe("measure", SCRIBE, "--csv", undefined),
            f"{undefined}:2: byte 0x81 is neither UTF-8 nor Windows-1252", "CSV UTF-8")  # fmt: skip
    binary = write(tmp_path / "b.csv", b"kpi;date;value\n\x00\x01")
    refused(scribe("measure", SCRIBE, "--csv", binary), f"{binary}:2: the file holds binary data")
    assert points(scribe) == []


# B. The same numbers and dates on the command line


def test_a_decimal_comma_and_a_dutch_date_on_the_command_line(scribe: Run) -> None:
    result = scribe("measure", SCRIBE, "documentatietijd", "3,5", "--date", "30-11-2026")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"recorded documentatietijd = 3.5 for {SCRIBE} on 2026-11-30"
    negative = scribe("measure", SCRIBE, "correcties", "-1,5", "--date", "2026-11-30")
    assert negative.exit_code == 0, negative.output
    taken = scribe("retract", SCRIBE, "documentatietijd", "30-11-2026", "--value", "3,5",
                   "--reason", "verkeerd overgenomen")  # fmt: skip
    assert taken.exit_code == 0, taken.output
    assert points(scribe) == []
    assert points(scribe, "correcties") == [["2026-11-30", -1.5]]


WIDE_DAY = "\uff12\uff10\uff12\uff16-11-30"  # 2026 in full-width digits


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("1,234",), "VALUE: '1,234' could be 1234 (a thousands comma) or a decimal; write 1234 "
                     "without a separator, or 1.234 with a decimal point"),
        (("1.234,5",), "VALUE: '1.234,5' has a thousands separator; write it without one"),
        (("veel",), "VALUE: 'veel' is not a number"),
        (("3", "--date", "2026-02-30"), "--date: '2026-02-30' does not exist: February 2026 has "
                                        "28 days"),
        (("3", "--date", "11/30/2026"), "--date: '11/30/2026' is read differently"),
        (("\u0663",), "VALUE: '\u0663' is not a number"),  # digits of another script
        (("3", "--date", WIDE_DAY), f"--date: '{WIDE_DAY}'"),
    ],
)  # fmt: skip
def test_a_number_or_date_on_the_command_line_that_cannot_be_read_is_refused(
    scribe: Run, args: tuple[str, ...], says: str
) -> None:
    refused(scribe("measure", SCRIBE, "documentatietijd", *args), says)
    assert points(scribe) == []


def test_a_waiver_until_a_day_that_does_not_exist_is_refused(scribe: Run) -> None:
    result = scribe("waive", SCRIBE, "dpia", "--until", "31-6-2027", "--reason", "x",
                    "--role", "privacy_officer", "--by", "M. de Vries")  # fmt: skip
    refused(result, "--until: '31-6-2027' does not exist: June 2027 has 30 days")


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("12,5", "got '12,5' (a number in YAML takes a decimal point and no thousands "
                 "separator: write 12.5)"),
        ("1.234,5", "write 1234.5)"),
        ("1,234", "write 1234 or 1.234)"),
    ],
)  # fmt: skip
def test_a_decimal_comma_in_a_definition_says_what_to_write(
    run: Run, tmp_path: Path, written: str, says: str
) -> None:
    kpi = f"    - id: kk\n      name: K\n      unit: u\n      baseline: {written}\n"
    path = write(tmp_path / "p.yaml", MINIMAL + "start_klein:\n  kpis:\n" + kpi)
    result = run("validate", path)
    assert result.exit_code == 1
    [line] = [line for line in result.stdout.splitlines() if "kpis[0].baseline" in line]
    assert "start_klein.kpis[0].baseline: expected a number, got" in line
    assert says in line
