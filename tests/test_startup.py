"""Start-up: --help and validate stay free of the database stack; every command explains itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer

from genai_pilots import __version__
from genai_pilots.cli import app
from tests.conftest import EXAMPLES, Run

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "psycopg")

PROBE = """
import sys
sys.argv = ["pilots", *{args!r}]
from genai_pilots.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
print("HEAVY:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""
RICH = ("rich.console", "rich.table")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["validate", str(EXAMPLES)],
        ["schema"],
        ["validate", "--help"],
        ["synth", "--help"],
        ["--lang", "nl", "--help"],
        ["--lang", "nl", "validate", str(EXAMPLES)],
    ],
    ids=["help", "validate", "schema", "validate-help", "synth-help", "help-nl", "validate-nl"],
)
def test_light_commands_do_not_import_the_store(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "HEAVY:", result.stdout + result.stderr


SCIENTIFIC = ("sdmetrics", "pandas", "numpy", "scipy")


@pytest.mark.slow
def test_only_synth_evaluate_imports_the_scientific_stack(tmp_path: Path) -> None:
    """SDMetrics and the pandas, numpy and scipy it brings cost seconds to import: no other
    command pays for them, not even the other synth commands."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    commands = (
        ["--help"], ["validate", str(EXAMPLES)], ["import", str(EXAMPLES), "--db", url],
        ["status", "--db", url], ["gate", "triage-huisartsenpost", "--db", url],
        ["synth", "--help"], ["synth", "verify", "--db", url],
        ["synth", "list", "triage-huisartsenpost", "--db", url], ["audit", "verify", "--db", url],
    )  # fmt: skip
    for args in commands:
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(args=args, heavy=SCIENTIFIC)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.splitlines()[-1] == "HEAVY:", (args, result.stdout + result.stderr)


@pytest.mark.slow
def test_piped_output_does_not_import_rich(run: Run, tmp_path: Path) -> None:
    """Pipes and CI logs get plain text; Rich's layout engine would only cost start-up time."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    assert run("import", str(EXAMPLES), "--db", url).exit_code == 0
    for args in (["status", "--db", url], ["validate", str(EXAMPLES)],
                 ["--lang", "nl", "status", "--db", url]):  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-c", PROBE.format(args=args, heavy=RICH)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert "triage-huisartsenpost" in result.stdout or "all valid" in result.stdout
        assert result.stdout.splitlines()[-1] == "HEAVY:", result.stdout + result.stderr


@pytest.mark.slow
def test_a_command_leaves_no_sqlite_side_files(tmp_path: Path) -> None:
    """The process closes its connections, so SQLite checkpoints and removes -wal and -shm."""
    url = f"sqlite:///{tmp_path / 'register.db'}"
    for args in (["import", str(EXAMPLES)], ["status"]):
        result = subprocess.run(
            [sys.executable, "-m", "genai_pilots", *args, "--db", url],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in tmp_path.glob("register.db*")) == ["register.db"]


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"pilots {__version__}\n"


def test_python_dash_m_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "genai_pilots", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"pilots {__version__}"


def test_every_command_has_help_text() -> None:
    group = typer.main.get_command(app)
    context = typer.Context(group)
    names = group.list_commands(context)  # type: ignore[attr-defined]
    assert names
    for name in names:
        command = group.get_command(context, name)  # type: ignore[attr-defined]
        assert command is not None, name
        assert command.help and len(command.help) > 20, name


def make_validate_raise(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    """Plant a bug: ``pilots validate`` raises ``error``."""
    from genai_pilots.services import validation

    def explode(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(validation, "validate_paths", explode)


def test_unexpected_errors_go_to_a_log_file(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    make_validate_raise(monkeypatch, RuntimeError("boom"))
    result = run("validate", EXAMPLES)
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "details in " in result.stderr
    log = result.stderr.split("details in ")[1].split(";")[0]
    assert "Traceback" in open(log, encoding="utf-8").read()
    assert "Traceback" not in result.output


def test_an_unexpected_error_with_brackets_is_printed_as_is(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rich would read ``[/]`` in a message as markup and fail inside the error boundary."""
    make_validate_raise(monkeypatch, KeyError("[/] [bold]x"))
    result = run("validate", EXAMPLES)
    assert result.exit_code == 3
    assert "internal error: KeyError: '[/] [bold]x'" in result.stderr


def test_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    make_validate_raise(monkeypatch, RuntimeError("boom"))
    monkeypatch.delenv("GENAI_PILOTS_DEBUG", raising=False)
    result = run("--debug", "validate", EXAMPLES)
    assert result.exit_code == 3
    assert "Traceback" in result.stderr
    assert "RuntimeError: boom" in result.stderr


def test_debug_from_the_environment_shows_the_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_validate_raise(monkeypatch, RuntimeError("boom"))
    monkeypatch.setenv("GENAI_PILOTS_DEBUG", "1")
    result = run("validate", EXAMPLES)
    assert result.exit_code == 3
    assert "RuntimeError: boom" in result.stderr
    assert "Traceback" in result.stderr


def test_debug_zero_logs_the_traceback_instead(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    make_validate_raise(monkeypatch, RuntimeError("boom"))
    monkeypatch.setenv("GENAI_PILOTS_DEBUG", "0")
    result = run("validate", EXAMPLES)
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr
    assert "internal error: RuntimeError: boom" in result.stderr


def test_help_names_every_environment_variable(run: Run) -> None:
    """The list comes from the settings module, so help and code read the same names."""
    from genai_pilots import settings

    result = run("--help")
    assert result.exit_code == 0
    for setting in settings.ALL:
        assert setting.env in result.output, setting.env
    # an option backed by a variable says so (Rich once swallowed "[env: ...]" as markup)
    assert "[env:" in run("status", "--help").output


def test_a_command_builds_only_its_own_module() -> None:
    """The command tree is lazy: `validate` never imports the register's command modules."""
    others = tuple(f"genai_pilots.cli.{m}" for m in ("views", "lifecycle", "governance", "db"))
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=["validate", str(EXAMPLES)], heavy=others)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.splitlines()[-1] == "HEAVY:", result.stdout + result.stderr


def test_the_command_list_names_every_command_a_module_registers() -> None:
    """A command a module registers but the root's list forgets would be missing from help."""
    import importlib

    from genai_pilots.cli import COMMANDS

    for module_name in set(COMMANDS.values()):
        part = typer.Typer()
        importlib.import_module(f"genai_pilots.cli.{module_name}").register(part)
        names = typer.main.get_group(part).commands
        for name in names:
            assert COMMANDS.get(name) == module_name, f"{name} ({module_name})"
