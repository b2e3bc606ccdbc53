"""Shared fixtures: every test runs with its own data directory and a clean environment."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from genai_pilots.cli import app
from genai_pilots.render import console

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


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory and $HOME at tmp_path: a test never touches the real home."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GENAI_PILOTS_HOME", str(tmp_path / "pilots-home"))
    monkeypatch.setenv("COLUMNS", "120")
    for name in _CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    console.reset()
    return home


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Invoke ``pilots`` in-process, as a user would from a (non-terminal) shell."""
    runner = CliRunner()

    def invoke(*args: str | os.PathLike[str], env: dict[str, str] | None = None) -> Result:
        console.reset()
        return runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)

    return invoke


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
