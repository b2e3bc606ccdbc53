"""Options shared by the register commands, declared once."""

from pathlib import Path
from typing import Annotated

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (sqlite:///FILE or postgresql+psycopg://...); default: "
        "GENAI_PILOTS_DB, else pilots.db in your user data directory.",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Who acts; default: GENAI_PILOTS_USER, else your login."),
]
PlaybookOption = Annotated[
    Path | None,
    typer.Option(
        "--playbook", help="Playbook file with the gate criteria [env: GENAI_PILOTS_PLAYBOOK]."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ReasonOption = Annotated[str, typer.Option("--reason", help="Why; recorded in the history.")]
