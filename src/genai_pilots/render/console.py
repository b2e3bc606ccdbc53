"""Consoles that follow the terminal: colour only on a TTY, ``NO_COLOR`` honoured (by Rich)."""

from __future__ import annotations

from functools import cache

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "error": "bold red",
        "warning": "yellow",
        "ok": "green",
        "muted": "dim",
        "hint": "cyan",
        "path": "bold",
    }
)


@cache
def stdout() -> Console:
    """The console for results; Rich turns colour off when piped or when NO_COLOR is set."""
    return Console(theme=THEME, highlight=False, soft_wrap=True)


@cache
def stderr() -> Console:
    """The console for errors and progress, so piped results stay clean."""
    return Console(theme=THEME, highlight=False, soft_wrap=True, stderr=True)


def reset() -> None:
    """Forget cached consoles (tests swap stdout/stderr between commands)."""
    stdout.cache_clear()
    stderr.cache_clear()
