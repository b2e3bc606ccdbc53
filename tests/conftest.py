"""Shared fixtures: every test runs with its own data directory and a clean environment."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner, Result

from genai_pilots import i18n
from genai_pilots.cli import app
from genai_pilots.cli.language import typer_words
from genai_pilots.render import console

ENGINES = ("sqlite", "postgresql")

# The suite is a gate for landing, so its property tests draw the same examples on every run
# (a failure reproduces, a pass means the same thing twice). To hunt for new failures, run
# `pytest --hypothesis-profile explore` (random draws).
hypothesis_settings.register_profile("repeatable", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile("repeatable")

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
INVALID = EXAMPLES / "invalid"

_CLEARED_ENV = (
    "GITHUB_ACTIONS",
    "NO_COLOR",
    "FORCE_COLOR",
    "GENAI_PILOTS_PLAYBOOK",
    "GENAI_PILOTS_DB",
    "GENAI_PILOTS_DEBUG",
    "GENAI_PILOTS_USER",
)


def _compile_stale_catalogs() -> None:
    """Compile a Dutch catalog edited since the last install, as the build hook would.

    An install compiles them (hatch_build.py); this keeps a working copy's tests honest while
    its ``.po`` is being edited. ``tests/test_i18n.py`` checks what the build itself ships.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (i18n.LOCALE_DIR).glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with mo.open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)


def pytest_configure(config: pytest.Config) -> None:
    _compile_stale_catalogs()
    config.addinivalue_line(
        "markers",
        "store(engines=..., fast=...): runs once per store engine (SQLite and PostgreSQL by "
        "default); the runs on engines after the first are slow unless fast lists them",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``store`` run on every engine: the same suite for SQLite and PostgreSQL.

    The fast loop (``-m "not slow"``) runs each on its first engine only, plus the engines its
    ``fast`` lists: a PostgreSQL database per test is most of the fast tests' time.
    """
    marker = metafunc.definition.get_closest_marker("store")
    if marker is not None:
        engines = marker.kwargs.get("engines", ENGINES)
        fast = marker.kwargs.get("fast", engines[:1])
        params = [e if e in fast else pytest.param(e, marks=pytest.mark.slow) for e in engines]
        metafunc.parametrize("engine", params, indirect=True)


@pytest.fixture(autouse=True)
def engine(request: pytest.FixtureRequest) -> str:
    """The store engine of this test run (``sqlite`` unless the test is marked ``store``)."""
    return getattr(request, "param", "sqlite")


class PostgresServer:
    """A real PostgreSQL from the pgserver package, with a migrated template database."""

    TEMPLATE = "pilots_template"

    def __init__(self, directory: Path) -> None:
        from pgserver.postgres_server import get_server

        self.server = get_server(str(directory), cleanup_mode="stop")
        self.socket = str(directory)
        self.admin = self.url("postgres")
        from sqlalchemy import create_engine, text

        self._engine = create_engine(self.admin, isolation_level="AUTOCOMMIT")
        with self._engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {self.TEMPLATE} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {self.TEMPLATE}"))
        from genai_pilots.store.engine import dispose_engines, make_engine
        from genai_pilots.store.migrate import upgrade

        upgrade(make_engine(self.url(self.TEMPLATE)))
        dispose_engines()

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres:@/{database}?host={self.socket}"

    def create(self, *, migrated: bool = True) -> str:
        """A fresh database (a copy of the migrated template, or empty)."""
        from sqlalchemy import text

        name = f"t_{uuid.uuid4().hex[:16]}"
        template = f" TEMPLATE {self.TEMPLATE}" if migrated else ""
        with self._engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{template}"))
        return self.url(name)

    def drop(self, url: str) -> None:
        from sqlalchemy import text
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        with self._engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole session, started from the pgserver package."""
    # A short path: PostgreSQL's socket path must fit in 107 bytes.
    directory = Path(f"/tmp/pilots-pg-{os.getpid()}")
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    server = PostgresServer(directory)
    yield server
    server._engine.dispose()
    server.server.cleanup()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite store to copy: cheaper than migrating for every test."""
    from genai_pilots.store.engine import dispose_engines, make_engine
    from genai_pilots.store.migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "pilots.db"
    upgrade(make_engine(f"sqlite:///{path}"))
    dispose_engines()
    return path


@pytest.fixture
def store_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of this test's own, migrated, empty store."""
    from genai_pilots.store.engine import dispose_engines

    if engine == "sqlite":
        path = tmp_path / "pilots-home" / "pilots.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        path.chmod(0o600)
        yield f"sqlite:///{path}"
        dispose_engines()
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create()
    yield url
    dispose_engines()
    server.drop(url)


@pytest.fixture
def empty_store_url(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with no schema yet, on this test's engine (for migration tests)."""
    from genai_pilots.store.engine import dispose_engines

    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        dispose_engines()
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create(migrated=False)
    yield url
    dispose_engines()
    server.drop(url)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, request: pytest.FixtureRequest
) -> Path:
    """Point the data directory and $HOME at tmp_path: a test never touches the real home.

    Tests marked ``store`` also get ``GENAI_PILOTS_DB`` pointing at their own store.
    """
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GENAI_PILOTS_HOME", str(tmp_path / "pilots-home"))
    monkeypatch.setenv("COLUMNS", "120")
    for name in _CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    # English unless a test asks for Dutch (the machine's locale must not change what we assert)
    monkeypatch.setenv("GENAI_PILOTS_LANG", "en")
    i18n.use("en")
    typer_words()
    if request.node.get_closest_marker("store") is not None:
        monkeypatch.setenv("GENAI_PILOTS_DB", request.getfixturevalue("store_url"))
    console.reset()
    return home


def sql(statements: str, *, url: str | None = None) -> list[Any]:
    """Run ';'-separated SQL in one transaction on the test's store; rows of the last one."""
    from sqlalchemy import text

    from genai_pilots.store.engine import make_engine

    rows: list[Any] = []
    engine = make_engine(url or os.environ["GENAI_PILOTS_DB"])
    with engine.begin() as connection:
        for statement in filter(None, (s.strip() for s in statements.split(";"))):
            result = connection.execute(text(statement))
            rows = list(result) if result.returns_rows else []
    return rows


GUARDED = ("event", "register_event", "approval", "waiver")


def drop_guards(*, url: str | None = None) -> None:
    """What an attacker who owns the tables does first: drop the append-only triggers.

    On SQLite that is whoever can write the file; on PostgreSQL only the tables' owner
    (``pilots_admin``, or the superuser these tests connect as) can.
    """
    from genai_pilots.store.engine import make_engine

    target = url or os.environ["GENAI_PILOTS_DB"]
    on = make_engine(target).dialect.name != "sqlite"
    sql(
        ";".join(
            f"DROP TRIGGER IF EXISTS {table}_append_only_{kind}" + (f" ON {table}" if on else "")
            for table in GUARDED
            for kind in ("update", "delete", "truncate")
        ),
        url=target,
    )


def restore_guards(*, url: str | None = None) -> None:
    """What a careful attacker does last: put the append-only triggers back as they were."""
    from genai_pilots.store import guards
    from genai_pilots.store.engine import make_engine

    target = url or os.environ["GENAI_PILOTS_DB"]
    if make_engine(target).dialect.name == "sqlite":
        statements = list(guards.sqlite_triggers().values())
    else:
        statements = [
            f"CREATE TRIGGER {name} BEFORE {name.rsplit('_', 1)[1].upper()} ON {table} FOR EACH "
            f"{'STATEMENT' if name.endswith('truncate') else 'ROW'} EXECUTE FUNCTION {function}()"
            for name, (table, function) in guards.postgres_triggers().items()
        ]
    from sqlalchemy import text

    with make_engine(target).begin() as connection:
        for statement in statements:  # not ``sql``: a trigger's body holds semicolons
            connection.execute(text(statement))


def tamper(statements: str, *, url: str | None = None) -> list[Any]:
    """``sql`` run by an attacker who drops the append-only triggers, edits, and puts them back
    (a store left without them refuses every write, ``store.guards``)."""
    drop_guards(url=url)
    rows = sql(statements, url=url)
    restore_guards(url=url)
    return rows


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke ``pilots`` in-process, as a user would from a (non-terminal) shell."""
    runner = CliRunner()

    def invoke(
        *args: str | os.PathLike[str], env: dict[str, str] | None = None, input: str | None = None
    ) -> Result:
        console.reset()
        return runner.invoke(
            app, [str(a) for a in args], env=env, input=input, catch_exceptions=False
        )

    return invoke


REQUIRE_CHROMIUM = "GENAI_PILOTS_REQUIRE_CHROMIUM"  # set by .ci/run


@pytest.fixture
def headless_chromium(tmp_path: Path) -> list[str]:
    """Headless Chromium as the report tests run it: the command and its flags, before the URL.

    Skipped where no Chromium is installed (a developer's machine without Debian's package);
    under ``GENAI_PILOTS_REQUIRE_CHROMIUM`` (CI) a missing browser fails instead.
    """
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        message = "no chromium on this machine (Debian: apt-get install chromium)"
        if os.environ.get(REQUIRE_CHROMIUM):
            pytest.fail(message)
        pytest.skip(message)
    return [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}"]  # fmt: skip


def png_ink(path: Path) -> float:
    """Share of non-white bytes in a PNG's pixel data (a blank page is close to 0)."""
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat = 8, b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        if kind == b"IDAT":
            idat += data[offset + 8 : offset + 8 + length]
        offset += 12 + length
    pixels = zlib.decompress(idat)
    return sum(1 for b in pixels[::7] if b < 240) / len(pixels[::7])


@pytest.fixture
def examples_copy(tmp_path: Path) -> Path:
    """A writable copy of examples/, for tests that change files."""
    target = tmp_path / "examples"
    shutil.copytree(EXAMPLES, target)
    return target


def write(path: Path, text: str | bytes) -> Path:
    """Write a test file, creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


MINIMAL = """\
id: minimal-pilot
name: Minimal pilot
setting: polikliniek
department: Dermatologie
owner: {name: I. Vos, email: i.vos@example.org}
"""


Login = Callable[[str], None]  # switches who is logged in


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> Iterator[Login]:
    """Switch who is logged in: the OS login on SQLite, a real database login on PostgreSQL."""
    from sqlalchemy.engine import make_url

    from genai_pilots.store.engine import dispose_engines

    base = os.environ["GENAI_PILOTS_DB"]

    def switch(name: str) -> None:
        dispose_engines()
        if base.startswith("sqlite"):
            monkeypatch.setenv("LOGNAME", name)
            return
        if not sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'", url=base):
            sql(f'CREATE ROLE "{name}" LOGIN SUPERUSER', url=base)
        url = make_url(base).set(username=name).render_as_string(hide_password=False)
        monkeypatch.setenv("GENAI_PILOTS_DB", url)

    yield switch
    dispose_engines()


def set_today(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Make ``genai_pilots.clock`` say it is ``day`` (at 09:00 UTC) for the rest of the test."""
    from genai_pilots import clock

    moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
    monkeypatch.setattr(clock, "now", lambda: moment)


# Five of the scribe's six users, its champion among them, trained for good before any day a
# test sets: enough for its skills gate (80%) in the register, whatever the clock says.
SCRIBE_TRAINED = """\
person,course,date,setting
Dr. K. Smit,AI-geletterdheid basis,2025-01-15,polikliniek
L. Brouwer,AI-geletterdheid basis,2025-01-15,polikliniek
M. Öztürk,AI-geletterdheid basis,2025-01-15,polikliniek
R. van Dijk,AI-geletterdheid basis,2025-01-15,polikliniek
E. Hendriks,AI-geletterdheid basis,2025-01-15,thuiszorg
"""


def train(
    run: Run, pilot: str = "ambient-scribe-cardiologie", rows: str = SCRIBE_TRAINED, **env: str
) -> None:
    """Record trainings for a pilot, as a learning system's export would (the scribe's default:
    enough for its skills gate, which counts the register's ledger)."""
    path = write(Path(os.environ["HOME"]) / f"training-{pilot}-{uuid.uuid4().hex[:6]}.csv", rows)
    result = run("training", "import", pilot, path, env=env or None)
    assert result.exit_code == 0, result.output
