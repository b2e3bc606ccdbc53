"""Every setting read from the environment, in one place: its name, default and help.

A command-line option that a setting backs takes its help text from here, and ``pilots --help``
lists them all, so the documentation cannot drift from what the code reads. An empty value
counts as unset (``FOO= pilots ...`` is how a shell clears a setting for one command).
This module imports only the standard library: ``pilots --help`` and ``pilots validate`` use it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from genai_pilots.i18n import N_, _


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment variable the tool reads."""

    env: str
    help: str
    default: str

    def value(self) -> str | None:
        """The value set in the environment, or ``None`` when unset or empty."""
        return os.environ.get(self.env) or None

    def option_help(self, text: str) -> str:
        """An option's help that names the variable backing it."""
        return f"{text} \\[env: {self.env}]"  # escaped: the help is Rich markup


HOME = Setting(
    "GENAI_PILOTS_HOME",
    N_("Folder for the default SQLite store and the crash logs."),
    N_("your user data directory"),
)
DB = Setting(
    "GENAI_PILOTS_DB",
    N_("Database URL of the register (sqlite:///FILE or postgresql+psycopg://...)."),
    N_("pilots.db in GENAI_PILOTS_HOME"),
)
USER = Setting(
    "GENAI_PILOTS_USER",
    N_("Who acts, when --by is not given."),
    N_("your login"),
)
PLAYBOOK = Setting(
    "GENAI_PILOTS_PLAYBOOK",
    N_("Playbook file to show or validate against, instead of the register's."),
    N_("the register's playbook, else the default"),
)
ORGANISATION = Setting(
    "GENAI_PILOTS_ORGANISATION",
    N_("Organisation name for Algoritmeregister exports, instead of the register's setting."),
    N_("the register's (pilots publication set organisation ...)"),
)
LANG = Setting(
    "GENAI_PILOTS_LANG",
    N_("Language of messages, tables, help and the report: nl or en (--json stays English)."),
    N_("the locale (LANG=nl_NL.UTF-8 gives Dutch), else English"),
)
DEBUG = Setting(
    "GENAI_PILOTS_DEBUG",
    N_("Set to 1 to show tracebacks of unexpected errors instead of logging them."),
    N_("off"),
)

ALL = (DB, USER, PLAYBOOK, HOME, ORGANISATION, LANG, DEBUG)


def environment_help() -> str:
    """The environment variables, for the end of ``pilots --help``."""
    lines = [_("Environment:")]
    lines += [
        "  "
        + _("{name}: {help} Default: {default}.").format(
            name=s.env, help=_(s.help), default=_(s.default)
        )
        for s in ALL
    ]
    return "\n\n".join(lines)
