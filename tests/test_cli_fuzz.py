"""Whatever a user types on the command line, ``pilots`` never fails with an internal error.

Numbers, dates, paths and names are drawn at random (and from a list of known troublemakers)
into the commands that read them, against a register holding the examples. Each command may
accept or refuse (exit 0, 1 or 2); it may never exit 3 or print a traceback.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, Run

PILOT = "ambient-scribe-cardiologie"
KPI = "documentatietijd"

NUMBERS = st.one_of(
    st.sampled_from([
        "1e309", "-1e309", "nan", "NaN", "inf", "-inf", "-0", "0x10", "1_000", "3,5", "1.234,5",
        "1,234.5", "", " ", "٣", "１２", "99999999999999999999", "-5", "1e-400", "+7", "5.", ".5",
        "1e308", "--5",
    ]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers().map(str),
    st.text(string.digits + ",.-+eE ", max_size=12),
)  # fmt: skip
DATES = st.one_of(
    st.sampled_from([
        "2026-02-30", "9999-12-31", "0001-01-01", "30-11-2026", "2026-13-01", "", "today",
        "2026-1-1", "2026-11-30T25:00", "2026-W48", "1900-01-01", "2026/11/30", "20261130",
    ]),
    st.dates().map(str),
    st.text(string.digits + "-/T:", max_size=16),
)  # fmt: skip
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
NAMES = st.one_of(
    st.sampled_from([
        "", " ", "-", "--", "‮evil", "a\u200bb", "[bold]x[/]", "../../etc/passwd", "x" * 300,
        "Dr.  B. Hoekstra", "ДР", "🙂", "\t", "\n", "\\", "%s", "{0}",
    ]),
    TEXT,
)  # fmt: skip


def paths(tmp: Path) -> st.SearchStrategy[str]:
    """Paths a user might point at: special files, directories, missing, odd names."""
    return st.one_of(
        st.sampled_from([
            "/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/status", "/proc", "/",
            "/nonexistent/dir/file", str(tmp), str(tmp / "new.yaml"), str(tmp / "a" / "b.json"),
            str(EXAMPLES), str(EXAMPLES / "invalid"), "", ".", "-", "x" * 5000,
            str(tmp / ("y" * 300)), str(EXAMPLES / "ambient-scribe-cardiologie.yaml" / "x"),
        ]),
        TEXT.filter(lambda s: "\x00" not in s),
    )  # fmt: skip


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@pytest.fixture
def register(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The examples imported into this test's store (``GENAI_PILOTS_DB``), in a scratch
    working directory: relative paths such as ``-`` or ``.`` land there."""
    monkeypatch.chdir(tmp_path)
    assert run("import", str(EXAMPLES)).exit_code == 0
    return run


def never_internal(run: Run, *args: str) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    assert "internal error" not in result.output, (args, result.output)


@pytest.mark.slow
@FUZZ
@given(value=NUMBERS, date=DATES, limit=NUMBERS)
def test_numbers_and_dates(register: Run, value: str, date: str, limit: str) -> None:
    never_internal(register, "measure", PILOT, KPI, value, "--date", date)
    never_internal(register, "retract", PILOT, KPI, date, "--reason", "fout", "--value", value)
    never_internal(register, "status", "--limit", limit)
    never_internal(register, "waive", PILOT, "datasets", "--until", date, "--reason", "r",
                   "--role", "privacy_officer", "--by", "M. de Vries")  # fmt: skip
    never_internal(register, "training", "add", PILOT, "--person", "L. Brouwer", "--course",
                   "AI", "--date", date, "--valid-until", date)  # fmt: skip


@pytest.mark.slow
@FUZZ
@given(name=NAMES, other=NAMES)
def test_names(register: Run, name: str, other: str) -> None:
    for command in ("show", "history", "kpis", "gate"):
        never_internal(register, command, name)
    never_internal(register, "approve", name, "--role", other, "--by", other)
    never_internal(register, "decide", PILOT, "scale", "--reason", name, "--by", other)
    never_internal(register, "pause", PILOT, "--reason", name, "--by", other)
    never_internal(register, "status", "--owner", name, "--setting", other)
    never_internal(register, "publication", "set", "contact", name)
    never_internal(register, "people", "add", name, "--name", other, "--email", "a@b.nl")
    never_internal(register, "training", "add", PILOT, "--person", name, "--course", other,
                   "--date", "2026-01-01", "--setting", other)  # fmt: skip
    never_internal(register, "training", "remove", PILOT, "--person", name, "--reason", other)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["read", "write"])
def test_paths(register: Run, tmp_path: Path, kind: str) -> None:
    @FUZZ
    @given(path=paths(tmp_path))
    def check(path: str) -> None:
        if kind == "read":
            never_internal(register, "validate", path)
            never_internal(register, "import", path, "--dry-run")
            never_internal(register, "measure", PILOT, "--csv", path)
            never_internal(register, "training", "import", PILOT, path)
            never_internal(register, "audit", "verify", "--anchor", path)
            never_internal(register, "playbook", "set", path, "--reason", "r", "--dry-run")
            never_internal(register, "status", "--db", f"sqlite:///{path}")
        else:
            never_internal(register, "export", PILOT, "-o", path)
            never_internal(register, "report", "-o", path)
            never_internal(register, "classify", PILOT, "-o", path)
            never_internal(register, "db", "backup", path)

    check()
