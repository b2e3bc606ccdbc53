"""The one place where exceptions become output and exit codes.

Known errors print one line (and a hint) and exit with their code; Ctrl-C exits 130; anything
else is a bug: its traceback goes to a log file whose path is shown, or to the terminal with
``--debug``.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
from typing import Any

import typer
from typer.core import TyperGroup

from genai_pilots import settings
from genai_pilots.errors import ExitCode, PilotsError, UsageError
from genai_pilots.i18n import _

DEBUG = "debug"  # where ``--debug`` leaves its answer in the command's context (``ctx.meta``)


def debug_enabled(ctx: Any = None) -> bool:
    """Whether tracebacks go to the terminal (``--debug`` or ``GENAI_PILOTS_DEBUG=1``)."""
    if ctx is not None and ctx.meta.get(DEBUG):
        return True
    return (settings.DEBUG.value() or "0") != "0"


_PASSWORD_IN_URL = re.compile(r"(://[^/:@\s]*:)[^@\s]*@")


def hide_passwords(text: str) -> str:
    """Mask the password of every URL in ``text`` (``scheme://user:***@host``)."""
    return _PASSWORD_IN_URL.sub(r"\1***@", text)


def report_error(error: PilotsError) -> None:
    """Print a known error as one line plus its hint, on stderr."""
    from genai_pilots.render.console import stderr
    from genai_pilots.render.markup import escape

    console = stderr()
    label = _("error")
    console.print(f"[error]{label}[/]: {escape(error.message)}")
    if error.hint:
        label = _("hint")
        console.print(f"  [hint]{label}[/]: {escape(error.hint)}")


def _write_crash_log() -> str | None:
    from genai_pilots.paths import log_dir

    try:
        directory = log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = directory / f"crash-{stamp}.log"
        command = " ".join(hide_passwords(arg) for arg in sys.argv[1:])
        path.write_text(
            f"pilots {command}\n\n{hide_passwords(traceback.format_exc())}", encoding="utf-8"
        )
        return str(path)
    except OSError:
        return None


def report_crash(exc: BaseException, debug: bool = False) -> None:
    """Tell the user a bug happened and where its details went."""
    from genai_pilots.render.console import stderr
    from genai_pilots.render.markup import escape

    if debug:
        traceback.print_exc()
        return
    where = _write_crash_log()
    details = (
        _("details in {file}; please report it with that file").format(file=where)
        if where
        else _("run again with --debug for details; please report it with that file")
    )
    label = _("internal error")
    stderr().print(
        f"[error]{label}[/]: {type(exc).__name__}: "
        f"{escape(hide_passwords(str(exc)))}\n  {escape(details)}"
    )


def _is_stdout_failure(exc: OSError) -> bool:
    """An error writing our own output (a full disk, a closed pipe), not a file we were given."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EPIPE, errno.EDQUOT) and exc.filename is None


def _path_error(exc: OSError) -> UsageError:
    """A file the system refused, named: what a user points at is theirs to fix, not a bug.

    Commands check the paths they are given (``services.files``); this is the net under them.
    """
    import errno
    import os

    from genai_pilots.services.files import describe_os_error, shown

    name = exc.filename
    where = os.fsdecode(name) if isinstance(name, bytes | os.PathLike) else str(name)
    problem = describe_os_error(exc)
    if exc.errno == errno.EEXIST and os.path.exists(where) and not os.path.isdir(where):
        problem = _("it is a file where a folder is needed")
    return UsageError(f"{shown(where)}: {problem}", hint=_("check the path, or pass another one"))


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush cannot fail a second time."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class PilotsGroup(TyperGroup):
    """The root command group; wraps every command in the error boundary."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command, turning exceptions into one line and an exit code."""
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not after exit
            return result
        except (typer.Exit, typer.Abort):
            raise
        except typer.TyperException:
            from genai_pilots.cli.language import typer_words

            typer_words()  # Typer draws the usage error (a bad option, a missing argument)
            raise
        except PilotsError as error:
            report_error(error)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            # the reader (``| head``) stopped reading: nothing is wrong; say nothing more
            _silence_stdout()
            raise typer.Exit(0) from None
        except OSError as exc:
            if exc.filename is not None:
                report_error(_path_error(exc))
                raise typer.Exit(int(ExitCode.USAGE)) from None
            if not _is_stdout_failure(exc):
                report_crash(exc, debug_enabled(ctx))
                raise typer.Exit(int(ExitCode.INTERNAL)) from None
            report_error(
                UsageError(
                    _("cannot write the output: {reason}").format(reason=exc.strerror or exc),
                    hint=_("write to a file with room (or -o FILE where the command has it)"),
                )
            )
            _silence_stdout()
            raise typer.Exit(int(ExitCode.USAGE)) from None
        except Exception as exc:
            report_crash(exc, debug_enabled(ctx))
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
