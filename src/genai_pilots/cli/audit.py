"""``pilots audit verify``: check that the history is intact."""

from typing import Annotated

import typer

from genai_pilots.cli.options import DbOption, JsonOption

app = typer.Typer(help="Check that the register's history has not been tampered with.")


@app.command()
def verify(
    pilot_id: Annotated[str | None, typer.Argument(help="One pilot; all when omitted.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Recompute every hash chain; name the first broken event of each pilot (exit 1)."""
    from genai_pilots.render import audit as view
    from genai_pilots.render.console import stdout
    from genai_pilots.services.audit import verify as verify_history
    from genai_pilots.services.transactions import open_store

    report = verify_history(open_store(db), pilot_id)
    if as_json:
        typer.echo(view.verify_json(report.pilots, report.events, report.broken))
    else:
        console = stdout()
        for line in view.broken_chain_lines(report.broken):
            console.print(line)
        console.print(view.verify_verdict(report.pilots, report.events, report.broken))
    raise typer.Exit(1 if report.broken else 0)


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="audit")
