"""Migrations: one head, up and down, models in sync, data kept, and found by a real install."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from genai_pilots.store.engine import make_engine
from genai_pilots.store.migrate import (
    HEAD,
    current_revision,
    downgrade,
    heads,
    known_revisions,
    upgrade,
)
from tests.conftest import EXAMPLES, REPO, Run

FIRST = "0001_initial"


def sqlite_url(tmp_path: Path, name: str = "m.db") -> str:
    return f"sqlite:///{tmp_path / name}"


def test_exactly_one_head_and_it_is_the_code_constant() -> None:
    assert heads() == [HEAD]
    assert FIRST in known_revisions()


def test_base_to_head_to_base(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine)
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD
        tables = set(
            connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        )
    assert {"pilot", "event", "approval", "measurement"} <= tables
    downgrade(engine, "base")
    with engine.connect() as connection:
        tables = set(
            connection.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        )
    assert tables == {"alembic_version"}
    upgrade(engine)


def test_models_match_the_migrations(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from genai_pilots.store.models import metadata

    engine = make_engine(sqlite_url(tmp_path))
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_upgrading_a_store_from_the_first_revision_keeps_its_data(tmp_path: Path, run: Run) -> None:
    url = sqlite_url(tmp_path)
    engine = make_engine(url)
    upgrade(engine, FIRST)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO pilot (id, name, setting, department, owner_name, owner_email, stage,"
                " paused, definition, definition_hash, created_at, last_activity_at,"
                " stage_entered_at, head_hash) VALUES ('oud', 'Oude pilot', 'kliniek', 'Chirurgie',"
                " 'A', 'a@example.org', 'start-klein', 0, :definition, 'x', '2025-01-01 00:00:00',"
                " '2025-01-01 00:00:00', '2025-01-01 00:00:00', :genesis)"
            ),
            {
                "definition": '{"id": "oud", "name": "Oude pilot", "setting": "kliniek",'
                ' "department": "Chirurgie", "owner": {"name": "A", "email": "a@example.org"}}',
                "genesis": "0" * 64,
            },
        )
    result = run("status", "--json", "--db", url)
    assert result.exit_code == 0, result.output
    assert '"id": "oud"' in result.stdout
    with engine.connect() as connection:
        assert current_revision(connection) == HEAD


def test_a_store_from_a_newer_version_is_refused(tmp_path: Path, run: Run) -> None:
    url = sqlite_url(tmp_path)
    upgrade(make_engine(url))
    with create_engine(url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    result = run("status", "--db", url)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: the store is at schema revision 9999_future, written by a newer genai-pilots"
    )
    assert "upgrade genai-pilots" in result.stderr


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        timeout=300,
    )
    [built] = out.glob("genai_pilots-*.whl")
    return built


def test_the_wheel_carries_the_migrations_and_the_default_playbook(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "genai_pilots/migrations/env.py" in names
    assert f"genai_pilots/migrations/versions/{FIRST}.py" in names
    assert "genai_pilots/data/default-playbook.yaml" in names


def test_a_non_editable_install_finds_its_migrations(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    probe = (
        "import genai_pilots, sys;"
        "from genai_pilots.store.migrate import migrations_dir;"
        "print(genai_pilots.__file__); print(migrations_dir());"
        "from genai_pilots.cli import main; sys.argv = ['pilots', *sys.argv[1:]]; main()"
    )
    env = {
        "PYTHONPATH": str(target),
        "GENAI_PILOTS_HOME": str(tmp_path / "home"),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe, "import", str(EXAMPLES)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    package_file, migrations, *output = result.stdout.splitlines()
    assert package_file.startswith(str(target))
    assert migrations == str(target / "genai_pilots" / "migrations")
    assert output[-1] == "imported: 7 created, 0 updated, 0 unchanged"
