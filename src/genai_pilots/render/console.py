"""Consoles that follow the terminal: colour only on a TTY, ``NO_COLOR`` honoured (by Rich)."""

from __future__ import annotations

import os
import re
import sys
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
    colourless = os.environ.get("NO_COLOR", "") != ""
    return {"theme": THEME, "highlight": False, "soft_wrap": True} | (
        {"color_system": None} if colourless else {}
    )


PIPED_WIDTH = 160


class _NoTrailingSpaces:
    """Standard output without the spaces Rich pads table lines with, for pipes and files.

    Spaces before a line's end are held back until the next character shows whether more of
    the line follows, so a line cut over two writes loses its padding too.
    """

    def __init__(self) -> None:
        self._held = ""

    def write(self, text: str) -> int:
        text = self._held + text
        body = text.rstrip(" ")
        self._held = text[len(body) :]
        sys.stdout.write(_PADDED_LINE_END.sub("\n", body))
        return len(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)


_PADDED_LINE_END = re.compile(r" +\n")


@cache
def stdout() -> Console:
    """The console for results; plain text when piped or when NO_COLOR is set.

    Piped output goes to a file, a pager or a CI log, where wrapping tables at 80 columns only
    hurts; it gets a wider page unless COLUMNS says otherwise, and no line ends in padding.
    """
    console = _following_the_terminal(Console(**_options()))
    if not console.is_terminal:
        console.file = _NoTrailingSpaces()  # type: ignore[assignment]
        if "COLUMNS" not in os.environ:
            console.width = PIPED_WIDTH
    return console


def _following_the_terminal(console: Console) -> Console:
    """On a terminal, text wraps at words at its width; piped, a message stays one line."""
    console.soft_wrap = not console.is_terminal
    return console


def show(*renderables: Any) -> None:
    """Print a view: tables fitted and text wrapped at the width of the terminal (or page).

    Unlike a message (``say``), a view is laid out to the width: no line of it is longer,
    except an id longer than the whole width, which is never cut.
    """
    console = stdout()
    for renderable in renderables:
        console.print(renderable, soft_wrap=False, crop=False)


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
    return _following_the_terminal(Console(stderr=True, **_options()))


def reset() -> None:
    """Forget cached consoles (tests swap stdout/stderr between commands)."""
    stdout.cache_clear()
    stderr.cache_clear()
