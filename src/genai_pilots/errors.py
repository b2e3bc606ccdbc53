"""One error hierarchy for the whole tool.

Every error a user can cause is a ``PilotsError``: it carries a message, an optional hint that
says how to fix it, and the exit code. The CLI turns these into output in exactly one place
(``cli.boundary``); nothing else prints errors or chooses exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, as ruff and check-jsonschema use them."""

    OK = 0
    CHECK_FAILED = 1  # a check found something: invalid definition, unmet gate, broken chain
    USAGE = 2  # the command could not run as asked: bad option, missing path, unusable store
    INTERNAL = 3  # a bug: details go to a log file
    INTERRUPTED = 130


class PilotsError(Exception):
    """Base class of every expected error; rendered as one line plus an optional hint."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(PilotsError):
    """The command cannot run as asked (a path that does not exist, a bad value)."""

    exit_code = ExitCode.USAGE


class CheckFailed(PilotsError):
    """A check ran and found a problem (a gate not met, a broken audit chain)."""

    exit_code = ExitCode.CHECK_FAILED


class NotFound(UsageError):
    """A pilot, KPI or criterion that the user named does not exist."""


class StoreError(PilotsError):
    """The store cannot be opened or is at a schema this version cannot use."""

    exit_code = ExitCode.USAGE


class NoStore(StoreError):
    """No store at the path given, and the command would not create one."""
