"""Options shared by the register commands, declared once, and how typed values are read."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from genai_pilots import settings
from genai_pilots.cli.language import english_for_machines
from genai_pilots.i18n import N_, _

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=settings.DB.option_help(
            "Database URL (sqlite:///FILE or postgresql+psycopg://...); default: pilots.db in "
            "your user data directory."
        ),
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help=settings.USER.option_help("Who acts; default: your login.")),
]
PlaybookOption = Annotated[
    Path | None,
    typer.Option(
        "--playbook", help=settings.PLAYBOOK.option_help("Playbook file with the gate criteria.")
    ),
]
JsonOption = Annotated[
    bool,
    typer.Option(
        "--json", callback=english_for_machines, help="Print JSON for scripts (always English)."
    ),
]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why; recorded in the history.")]
DAY_FORMS = "YYYY-MM-DD or D-M-YYYY"
# How a pilot ended, as people read it (the outcome keys stay as they are stored)
_OUTCOMES = {"scaled": N_("scaled"), "stopped": N_("stopped")}


def outcome_shown(outcome: str) -> str:
    """An outcome key (``scaled``, ``stopped``) in the language people read."""
    return _(_OUTCOMES[outcome]) if outcome in _OUTCOMES else outcome


def means_stdout(path: Path | None) -> bool:
    """Whether ``-o`` names standard output (``-o -``), as it does for most tools."""
    return path is not None and str(path) == "-"


def day_given(text: str, name: str) -> dt.date:
    """A day typed as ``name`` (``--date``, ``DATE``): YYYY-MM-DD or D-M-YYYY."""
    from genai_pilots.domain.notation import NotationError, read_date
    from genai_pilots.errors import UsageError

    try:
        return read_date(text)
    except NotationError as exc:
        raise UsageError(f"{name}: {exc}") from None


def number_given(text: str, name: str) -> float:
    """A number typed as ``name`` (``VALUE``, ``--value``): a decimal point or comma."""
    from genai_pilots.domain.notation import NotationError, command_line_number
    from genai_pilots.errors import UsageError

    try:
        return command_line_number(text)
    except NotationError as exc:
        raise UsageError(f"{name}: {exc}") from None
