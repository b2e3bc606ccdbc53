"""Stores a user can read but not change, and store paths that are mistyped or wrong."""

from __future__ import annotations

import ctypes
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, Run, write

PILOT = "triage-huisartsenpost"
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, PR_CAPBSET_DROP = 1, 2, 24


def _as_an_ordinary_user() -> None:
    """In the child, before exec: without these capabilities root obeys file modes too."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def pilots(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``pilots ARGS`` in a new process that cannot write what its modes forbid."""
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", "from genai_pilots.cli import main; main()", *args],
        capture_output=True, text=True, timeout=120, check=False, env=env,
        preexec_fn=_as_an_ordinary_user,  # noqa: PLW1509 - no threads in the test process here
    )  # fmt: skip


@pytest.fixture(params=["closed", "open by its owner"])
def read_only_store(tmp_path: Path, run: Run, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A register someone else keeps: the file 0444 in a directory of theirs (0555); closed,
    or open in its owner's process (its write-ahead log and shared memory beside it)."""
    from genai_pilots.store.engine import dispose_engines

    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "pilots.db"
    assert run("import", str(EXAMPLES), "--db", f"sqlite:///{path}").exit_code == 0
    if request.param == "closed":
        dispose_engines()
        assert not list(folder.glob("pilots.db-*"))
    else:
        assert Path(f"{path}-shm").exists()
    path.chmod(0o444)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)


def test_every_reading_command_works_on_a_store_the_user_cannot_change(
    read_only_store: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{read_only_store}"
    before = hashlib.sha256(read_only_store.read_bytes()).hexdigest()
    files = sorted(read_only_store.parent.iterdir())
    home = tmp_path / "reader"
    home.mkdir()
    for args, shows in (
        (["status"], PILOT),
        (["show", PILOT], PILOT),
        (["history", PILOT], "imported"),
        (["kpis", PILOT], ""),
        (["report", "-o", str(tmp_path / "report.html")], "report"),
        (["db", "info"], "pilots:   7"),
        (["db", "backup", str(tmp_path / "copy.db")], "backed up to"),
        (["db", "dump", str(tmp_path / "dump.jsonl")], ""),
        (["audit", "verify"], "all chains intact"),
        (["db", "check"], ": ok"),
        (["playbook", "show"], "governance"),
    ):
        result = pilots(*args, "--db", url, home=home)
        assert result.returncode == 0, (args, result.stderr)
        assert shows in result.stdout + result.stderr, args
    assert sorted(read_only_store.parent.iterdir()) == files  # no journal files were made
    assert hashlib.sha256(read_only_store.read_bytes()).hexdigest() == before
    copy = pilots("status", "--db", f"sqlite:///{tmp_path / 'copy.db'}", home=home)
    assert PILOT in copy.stdout


def test_a_change_to_a_store_the_user_cannot_change_is_refused_plainly(
    read_only_store: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{read_only_store}"
    before = read_only_store.read_bytes()
    home = tmp_path / "reader"
    home.mkdir()
    for args in (
        ["pause", PILOT, "--reason", "test"],
        ["import", str(EXAMPLES / "triage-huisartsenpost.yaml")],
        ["people", "add", "a.jansen", "--name", "A Jansen", "--email", "a@example.org"],
    ):
        result = pilots(*args, "--db", url, home=home)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.startswith(f"error: the store {url} is read-only for you"), args
        assert "Traceback" not in result.stderr
    assert read_only_store.read_bytes() == before


def test_a_mistyped_store_path_is_named_and_never_created(run: Run, tmp_path: Path) -> None:
    typo = tmp_path / "regsiter" / "pilots.db"
    for args in (["status"], ["show", PILOT], ["history", PILOT], ["db", "info"],
                 ["audit", "verify"], ["db", "check"], ["kpis", PILOT],
                 ["approve", PILOT, "--role", "fg"]):  # fmt: skip
        result = run(*args, "--db", f"sqlite:///{typo}")
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith(f"error: there is no store at {typo}"), args
        assert "check --db / GENAI_PILOTS_DB for a typo" in result.stderr
    assert not typo.parent.exists()
    folder = tmp_path / "stores"
    folder.mkdir()
    result = run("status", "--db", f"sqlite:///{folder}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {folder} is a directory, not a store file")
    assert f"e.g. {folder / 'pilots.db'}" in result.stderr
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    result = run("import", str(EXAMPLES), "--db", f"sqlite:///{fifo}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {fifo} is not a regular file")
    blocker = write(tmp_path / "file", "x")
    result = run("status", "--db", f"sqlite:///{blocker}/pilots.db")
    assert result.exit_code == 2
    assert f"{blocker} is a file" in result.stderr


def test_a_store_read_through_a_link_sees_what_its_owner_wrote(tmp_path: Path, run: Run) -> None:
    """SQLite keeps the journal files beside the file a link points to: read there, so what
    the owner committed to the write-ahead log is seen (red-team finding)."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "pilots.db"
    assert run("import", str(EXAMPLES), "--db", f"sqlite:///{path}").exit_code == 0
    assert Path(f"{path}-wal").stat().st_size  # still open here: the rows sit in the log
    links = tmp_path / "links"
    links.mkdir()
    (links / "register.db").symlink_to(path)
    links.chmod(0o555)
    try:
        home = tmp_path / "reader"
        home.mkdir()
        result = pilots("history", PILOT, "--db", f"sqlite:///{links / 'register.db'}", home=home)
        assert result.returncode == 0, result.stderr
        assert "imported" in result.stdout
        verified = pilots("audit", "verify", "--db", f"sqlite:///{links / 'register.db'}",
                          home=home)  # fmt: skip
        assert "7 pilots" in verified.stdout
    finally:
        links.chmod(0o755)


def test_unfinished_changes_only_the_owner_can_fold_in_are_one_line(
    tmp_path: Path, run: Run
) -> None:
    source = tmp_path / "source.db"
    assert run("import", str(EXAMPLES), "--db", f"sqlite:///{source}").exit_code == 0
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "pilots.db"
    path.write_bytes(source.read_bytes())
    Path(f"{path}-wal").write_bytes(Path(f"{source}-wal").read_bytes())  # no -shm beside it
    path.chmod(0o444)
    folder.chmod(0o555)
    try:
        home = tmp_path / "reader"
        home.mkdir()
        for args in (["status"], ["audit", "verify"], ["db", "check"]):
            result = pilots(*args, "--db", f"sqlite:///{path}", home=home)
            assert result.returncode == 2, (args, result.stderr)
            assert "has changes in pilots.db-wal that only its owner can fold in" in result.stderr
            assert "Traceback" not in result.stderr
        assert not (home / "genai-pilots").exists()  # no crash log, nothing created
    finally:
        folder.chmod(0o755)


def test_what_is_not_a_store_is_never_turned_into_one(run: Run, tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE foo (x)")
    before = other.read_bytes()
    for args in (["status"], ["import", str(EXAMPLES)], ["audit", "verify"]):
        result = run(*args, "--db", f"sqlite:///{other}")
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: {other} is not a genai-pilots store: it holds")
    assert other.read_bytes() == before
    empty = write(tmp_path / "empty.db", b"")
    result = run("status", "--db", f"sqlite:///{empty}")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: there is no store at {empty}: the file is empty")
    assert empty.read_bytes() == b""
    garbage = write(tmp_path / "garbage.db", b"this is not a database" * 100)
    for args in (["db", "info"], ["status"], ["db", "check"]):
        result = run(*args, "--db", f"sqlite:///{garbage}")
        assert result.exit_code == 2, (args, result.output)
        assert "file is not a database" in result.stderr


def test_urls_and_targets_that_cannot_work_are_one_line(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for url in ("sqlite://", "sqlite:///:memory:"):
        result = run("db", "check", "--db", url)
        assert result.exit_code == 2, result.output
        assert "is a store in memory: it holds nothing from one command to the next" in (
            result.stderr
        )
    for args in (["status"], ["audit", "verify"], ["db", "info"]):
        result = run(*args, "--db", "postgresql+psycopg://h:notaport/x")
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("error: not a database URL"), args
    for args in (["status"], ["audit", "verify"], ["import", str(EXAMPLES)]):
        result = run(*args, "--db", "stores/p.db")  # a path where a URL belongs
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.splitlines() == [
            "error: --db (and GENAI_PILOTS_DB) takes a database URL, and 'stores/p.db' is a path",
            f"  hint: for a SQLite file there use --db sqlite:///{tmp_path / 'stores' / 'p.db'}",
        ], args
    assert not Path("stores").exists()
    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert run("import", str(EXAMPLES), "--db", url).exit_code == 0
    result = run("db", "backup", "-", "--db", url)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: db backup writes a SQLite file, not a stream")
    assert not Path("-").exists()
    blocker = write(tmp_path / "file", "x")
    result = run("db", "backup", str(blocker / "copy.db"), "--db", url)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
