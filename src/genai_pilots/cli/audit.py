"""``pilots audit verify`` and ``pilots audit anchor``: check that the history is intact."""

from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import DbOption, JsonOption, means_stdout

app = typer.Typer(help="Check that the register's history has not been tampered with.")


@app.command()
def verify(
    pilot_id: Annotated[str | None, typer.Argument(help="One pilot; all when omitted.")] = None,
    anchor_file: Annotated[
        Path | None,
        typer.Option(
            "--anchor",
            help="An anchor file of `pilots audit anchor`: also prove that the history up to "
            "it is the one anchored.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Recompute every hash chain; name the first broken event of each pilot (exit 1)."""
    from genai_pilots.readmodels import AnchorCheck
    from genai_pilots.render import audit as view
    from genai_pilots.render.console import stdout
    from genai_pilots.services.audit_pass import verify_quickly

    checked: AnchorCheck | None = None
    whole = pilot_id is None and anchor_file is None
    report = verify_quickly(db) if whole else None  # all intact, without loading SQLAlchemy
    if report is None:
        from genai_pilots.services.audit import check_anchor, read_anchor
        from genai_pilots.services.audit import verify as verify_history
        from genai_pilots.services.transactions import open_store

        anchor = read_anchor(anchor_file) if anchor_file is not None else None
        store = open_store(db)
        report = verify_history(store, pilot_id)
        checked = check_anchor(store, anchor, pilot_id) if anchor is not None else None
    broken = report.broken + (checked.broken if checked else [])
    if as_json:
        typer.echo(view.verify_json(report.pilots, report.events, broken, checked))
    else:
        console = stdout()
        for line in view.broken_chain_lines(broken):
            console.print(line)
        console.print(view.verify_verdict(report.pilots, report.events, report.broken))
        if checked is not None:
            console.print(view.anchor_verdict(checked))
    raise typer.Exit(1 if broken else 0)


@app.command()
def anchor(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The anchor file to write; stdout when omitted."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Verify the store, then write every chain's head and a root hash, to keep outside it."""
    import sys

    from genai_pilots.errors import CheckFailed
    from genai_pilots.i18n import _, ngettext
    from genai_pilots.render import audit as view
    from genai_pilots.render.console import say, stderr
    from genai_pilots.services.audit import make_anchor
    from genai_pilots.services.exporting import write_atomically
    from genai_pilots.services.transactions import open_store

    if means_stdout(output):
        output = None  # written to stdout, as without -o
    report, made = make_anchor(open_store(db))
    if made is None:
        for line in view.broken_chain_lines(report.broken):
            stderr().print(line)
        raise CheckFailed(
            ngettext(
                "not anchored: {count} chains are broken, and an anchor must never fix a broken "
                "history",
                "not anchored: {count} chains are broken, and an anchor must never fix a broken "
                "history",
                len(report.broken),
            ).format(count=len(report.broken)),
            hint=_(
                "find out what happened (`pilots audit verify`) and restore a good backup first"
            ),
        )
    if output is not None:
        write_atomically(output, made.as_json())
        for line in view.anchor_summary(made, str(output)):
            say(line)
        return
    sys.stdout.write(made.as_json())
    for line in view.anchor_summary(made, None):
        stderr().print(line, markup=False, emoji=False, highlight=False)


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="audit")
