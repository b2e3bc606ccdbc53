"""The one source of "now", so tests can control time (waivers expire, stages take days)."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in UTC."""
    return now().date()
