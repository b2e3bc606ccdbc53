"""Consoles that follow the terminal: colour only on a TTY, ``NO_COLOR`` honoured (by Rich)."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from rich.console import Console
from rich.theme import Theme

from genai_pilots.render.markup import plain

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


def _options() -> dict[str, Any]:
    # Rich drops colours for NO_COLOR but keeps bold and dim; we drop every escape code.
    plain = os.environ.get("NO_COLOR", "") != ""
    return {"theme": THEME, "highlight": False, "soft_wrap": True} | (
        {"color_system": None} if plain else {}
    )


PIPED_WIDTH = 160


@cache
def stdout() -> Console:
    """The console for results; plain text when piped or when NO_COLOR is set.

    Piped output goes to a file, a pager or a CI log, where wrapping tables at 80 columns only
    hurts; it gets a wider page unless COLUMNS says otherwise.
    """
    console = Console(**_options())
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


def say(message: str) -> None:
    """Print a plain message, never read as Rich markup or emoji.

    Messages hold names, paths and ``--by`` text a user typed: ``[/]`` in them must print as
    it is, not crash the command after its change was stored. A character that would hide
    (a right-to-left override, a zero-width space) shows as its escape.
    """
    stdout().print(plain(message), markup=False, emoji=False, highlight=False)


@cache
def stderr() -> Console:
    """The console for errors and progress, so piped results stay clean."""
    return Console(stderr=True, **_options())


def reset() -> None:
    """Forget cached consoles (tests swap stdout/stderr between commands)."""
    stdout.cache_clear()
    stderr.cache_clear()
