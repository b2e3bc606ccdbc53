"""Options shared by the register commands, declared once."""

from pathlib import Path
from typing import Annotated

import typer

from genai_pilots import settings

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
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why; recorded in the history.")]
