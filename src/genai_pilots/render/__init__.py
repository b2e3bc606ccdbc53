"""Output: Rich for terminals, plain text when piped, machine formats. Formats, never decides."""

from __future__ import annotations

import os
import sys


def wants_colour() -> bool:
    """Whether text output goes to a colour terminal (decided without importing Rich)."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()
