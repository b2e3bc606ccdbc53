"""Concurrency, crashes, integrity checks and backups, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO, Run, sql, tamper, train

pytestmark = pytest.mark.store

WORKERS = 8
OPERATIONS = 25  # 200 writes from 8 processes at once: every one contends, none may be lost
READY_TIMEOUT = 120.0  # a worker imports the CLI in about a second, far longer on busy cores


def start_workers(commands_per_worker: list[list[list[str]]]) -> list[subprocess.Popen[str]]:
    """Start the workers, wait until each has imported the CLI, then let them all go at once."""
    ready_read, ready_write = os.pipe()  # each worker writes one byte here when it is ready
    procs = []
    try:
        for commands in commands_per_worker:
            argv: list[str] = []
            for command in commands:
                argv += [*command, "---"]
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.workers", str(ready_write), *argv[:-1]],
                    cwd=REPO,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=os.environ.copy(),
                    pass_fds=(ready_write,),
                )  # fmt: skip
            )
        os.close(ready_write)
        ready_write = -1
        wait_until_ready(ready_read, procs)
    except BaseException:
        for proc in procs:
            proc.kill()
            proc.communicate()
        raise
    finally:
        os.close(ready_read)
        if ready_write != -1:
            os.close(ready_write)
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    return procs


def wait_until_ready(ready: int, procs: list[subprocess.Popen[str]]) -> None:
    """Read one byte per worker from ``ready``; fail clearly on a timeout or an early exit."""
    count = 0
    deadline = time.monotonic() + READY_TIMEOUT
    while count < len(procs):
        exited = [proc for proc in procs if proc.poll() is not None]
        if exited:
            _, err = exited[0].communicate()
            pytest.fail(
                f"a worker exited (code {exited[0].returncode}) before all {len(procs)} were "
                f"ready; its stderr:\n{err}"
            )
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(
                f"only {count} of {len(procs)} workers were ready after {READY_TIMEOUT:g} s"
            )
        if select.select([ready], [], [], min(left, 0.1))[0]:
            count += len(os.read(ready, len(procs)))


def results(procs: list[subprocess.Popen[str]]) -> list[list[dict[str, object]]]:
    outcomes = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outcomes.append([json.loads(line) for line in out.splitlines()])
    return outcomes


@pytest.fixture
def imported(run: Run) -> Run:
    assert run("import", EXAMPLES).exit_code == 0
    return run


@pytest.mark.slow
def test_many_writers_lose_nothing(imported: Run) -> None:
    pilots = [
        ("ambient-scribe-cardiologie", "correcties"),
        ("triage-huisartsenpost", "ondertriage"),
        ("ontslagbrief-interne-geneeskunde", "schrijftijd"),
        ("overdracht-verpleeghuis", "overdrachtstijd"),
    ]
    before = sql("SELECT count(*) FROM event")[0][0]
    plan = [
        [
            ["measure", pilots[(w + i) % 4][0], pilots[(w + i) % 4][1], f"{w}.{i:03d}",
             "--by", f"worker-{w}"]
            for i in range(OPERATIONS)
        ]
        for w in range(WORKERS)
    ]  # fmt: skip
    outcomes = results(start_workers(plan))
    failures = [o for worker in outcomes for o in worker if o["code"] != 0]
    assert failures == []
    assert not any("locked" in str(o["stderr"]) for worker in outcomes for o in worker)
    assert (
        sql("SELECT count(*) FROM measurement WHERE source = 'cli'")[0][0] == WORKERS * OPERATIONS
    )
    assert sql("SELECT count(*) FROM event")[0][0] == before + WORKERS * OPERATIONS
    values = {r[0] for r in sql("SELECT value FROM measurement WHERE source = 'cli'")}
    assert len(values) == WORKERS * OPERATIONS  # every single value kept
    assert imported("audit", "verify").exit_code == 0


@pytest.mark.slow
def test_concurrent_advance_moves_a_pilot_exactly_once(imported: Run) -> None:
    train(imported)  # its skills gate counts the register's ledger
    outcomes = results(
        start_workers([[["advance", "ambient-scribe-cardiologie"]] for _ in range(WORKERS)])
    )
    codes = sorted(worker[0]["code"] for worker in outcomes)  # type: ignore[type-var]
    assert codes == [0] + [1] * (WORKERS - 1)
    refusals = [w[0]["stderr"] for w in outcomes if w[0]["code"] == 1]
    assert all("cannot leave synthetic-data" in str(r) for r in refusals)
    assert sql(
        "SELECT count(*) FROM event WHERE pilot_id = 'ambient-scribe-cardiologie' "
        "AND kind = 'advanced'"
    ) == [(1,)]
    assert sql("SELECT stage FROM pilot WHERE id = 'ambient-scribe-cardiologie'") == [
        ("synthetic-data",)
    ]
    assert imported("audit", "verify").exit_code == 0


@pytest.mark.slow
def test_concurrent_approvals_are_all_kept(imported: Run) -> None:
    letter, triage = "ontslagbrief-interne-geneeskunde", "triage-huisartsenpost"
    plan = [
        [["approve", letter, "--role", "privacy_officer", "--by", "M. de Vries"]],
        [["approve", letter, "--role", "information_security_officer", "--by", "R. Bakker"]],
        [["approve", triage, "--role", "privacy_officer", "--by", "M. de Vries"]],
        [["approve", triage, "--role", "information_security_officer", "--by", "R. Bakker"]],
        [["approve", triage, "--role", "cmio", "--by", "Dr. CMIO"]],
        [["approve", letter, "--role", "privacy_officer", "--by", "Iemand Anders"]],
        [["approve", triage, "--role", "cmio", "--by", "Nog Iemand"]],
        [["approve", triage, "--role", "privacy_officer", "--by", "Derde Persoon"]],
    ]
    outcomes = results(start_workers(plan))
    codes = [w[0]["code"] for w in outcomes]
    assert codes.count(0) == 5 and codes.count(1) == 3
    assert all("already has the" in str(w[0]["stderr"]) for w in outcomes if w[0]["code"] == 1)
    roles = sql("SELECT pilot_id, role FROM approval ORDER BY pilot_id, role")
    assert [tuple(r) for r in roles] == [
        (letter, "information_security_officer"), (letter, "privacy_officer"),
        (triage, "cmio"), (triage, "information_security_officer"), (triage, "privacy_officer"),
    ]  # fmt: skip
    assert imported("gate", letter).exit_code == 0
    assert imported("audit", "verify").exit_code == 0


def definitions(tmp_path: Path, count: int) -> Path:
    target = tmp_path / "defs"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), str(count), str(target)],
        check=True,
    )
    return target


def writing(engine: str, url: str) -> bool:
    """Whether another process is inside a write transaction on the store right now."""
    if engine == "sqlite":
        wal = Path(url.removeprefix("sqlite:///") + "-wal")
        return wal.exists() and wal.stat().st_size > 0
    rows = sql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()",
        url=url,
    )
    return bool(rows[0][0])


@pytest.mark.slow
def test_an_import_killed_while_writing_leaves_the_store_unchanged(
    run: Run, tmp_path: Path, engine: str
) -> None:
    source = definitions(tmp_path, 2000)
    url = os.environ["GENAI_PILOTS_DB"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "genai_pilots", "import", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )  # fmt: skip
    deadline = time.time() + 120
    while proc.poll() is None and time.time() < deadline and not writing(engine, url):
        time.sleep(0.002)
    caught = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert caught, "the import finished before its write transaction was seen"
    assert sql("SELECT count(*) FROM pilot")[0][0] in {0, 2000}
    assert (sql("SELECT count(*) FROM pilot")[0][0] == 0) == (
        sql("SELECT count(*) FROM event")[0][0] == 0
    )
    assert run("db", "check").exit_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.4, 0.8, 1.3])
def test_a_killed_import_leaves_nothing_or_everything(
    run: Run, tmp_path: Path, delay: float
) -> None:
    source = definitions(tmp_path, 400)
    proc = subprocess.Popen(
        [sys.executable, "-m", "genai_pilots", "import", str(source)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    pilots = sql("SELECT count(*) FROM pilot")[0][0]
    events = sql("SELECT count(*) FROM event")[0][0]
    assert pilots in {0, 400}
    assert (pilots == 0) == (events == 0)  # no pilot without its history, and none half-done
    check = run("db", "check")
    assert check.exit_code == 0, check.output
    again = run("import", source)
    assert again.exit_code == 0
    assert sql("SELECT count(*) FROM pilot")[0][0] == 400


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.5, 0.9])
def test_a_killed_measurement_batch_leaves_nothing_or_everything(
    imported: Run, tmp_path: Path, delay: float
) -> None:
    rows = "".join(f"correcties,2026-{1 + i % 12:02d}-{1 + i % 28:02d},{i}\n" for i in range(5000))
    path = tmp_path / "batch.csv"
    path.write_text("kpi,date,value\n" + rows, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "genai_pilots", "measure", "ambient-scribe-cardiologie",
         "--csv", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy(),
    )  # fmt: skip
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert sql("SELECT count(*) FROM measurement WHERE source = 'csv'")[0][0] in {0, 5000}
    assert imported("db", "check").exit_code == 0


def test_db_check_finds_a_broken_history(imported: Run) -> None:
    assert imported("db", "check").exit_code == 0
    tamper("UPDATE event SET actor = 'x' WHERE seq = 1 AND pilot_id = 'triage-huisartsenpost'")
    result = imported("db", "check")
    assert result.exit_code == 1
    assert "broken triage-huisartsenpost at event #1" in result.stdout


@pytest.mark.store(engines=("sqlite",))
def test_backup_and_restore(imported: Run, tmp_path: Path) -> None:
    store = tmp_path / "pilots-home" / "pilots.db"
    backup = tmp_path / "backups" / "pilots-2026-11-29.db"
    result = imported("db", "backup", backup)
    assert result.exit_code == 0, result.output
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert imported("db", "backup", backup).exit_code == 2  # never overwrites a backup
    imported("advance", "ambient-scribe-cardiologie")
    assert "synthetic-data" in imported("status", "--stage", "synthetic-data").stdout
    # Restore as the README says: copy the backup over the store file, then check it.
    from genai_pilots.store.engine import dispose_engines

    dispose_engines()
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, store)
    status = json.loads(imported("status", "--json").stdout)
    scribe = next(p for p in status["pilots"] if p["id"] == "ambient-scribe-cardiologie")
    assert scribe["stage"] == "skills"
    assert imported("db", "check").exit_code == 0


@pytest.mark.store(engines=("postgresql",))
def test_backup_of_postgresql_points_to_pg_dump(imported: Run, tmp_path: Path) -> None:
    result = imported("db", "backup", tmp_path / "x.db")
    assert result.exit_code == 2
    assert "pg_dump" in result.stderr


@pytest.mark.store(engines=("sqlite",))
def test_crash_logs_never_hold_a_password(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from genai_pilots.services import portfolio

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("failed for postgresql+psycopg://pilots:s3cr3t@db/x")

    monkeypatch.setattr(portfolio, "portfolio", explode)
    result = run("status")
    assert result.exit_code == 3
    assert "s3cr3t" not in result.output
    log = result.stderr.split("details in ")[1].split(";")[0]
    assert "s3cr3t" not in Path(log).read_text(encoding="utf-8")
