"""Output: Rich for terminals, plain text when piped, machine formats. Formats, never decides."""

from __future__ import annotations

import os
import sys


def wants_colour() -> bool:
    """Whether text output goes to a colour terminal (decided without importing Rich)."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def on_terminal() -> bool:
    """Whether output goes to a terminal (or ``FORCE_COLOR`` says so), colours or not.

    A terminal gets views fitted to its width; ``NO_COLOR`` takes the colours away, not the
    layout.
    """
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()
