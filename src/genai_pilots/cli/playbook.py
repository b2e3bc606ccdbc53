"""``pilots playbook show | validate | set``: the gate criteria in force."""

from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import ByOption, DbOption, PlaybookOption, ReasonOption

app = typer.Typer(help="The playbook: which criteria each stage gate asks for.")

FileArg = Annotated[Path, typer.Argument(help="A playbook YAML file.")]


@app.command()
def show(
    playbook: PlaybookOption = None,
    legal: Annotated[
        bool,
        typer.Option("--legal", help="Print each criterion's legal basis as a Markdown table."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Show the playbook in force, gate by gate, and where it comes from.

    Each criterion says whether the law asks it (and for an AI Act duty, from which date) or
    organisation policy does.
    """
    from genai_pilots.errors import NoStore
    from genai_pilots.render.console import show
    from genai_pilots.render.playbook import legal_basis_markdown, playbook_view
    from genai_pilots.services.playbooks import playbook_in_force
    from genai_pilots.services.transactions import open_store

    try:
        store = None if playbook else open_store(db)
    except NoStore:  # no register yet: the playbook it would start with
        store = None
    in_force = playbook_in_force(playbook, store)
    if legal:
        typer.echo(legal_basis_markdown(in_force.playbook), nl=False)
        return
    show(playbook_view(in_force.playbook, in_force.origin))


@app.command()
def validate(path: FileArg) -> None:
    """Check a playbook file: unknown kinds, bad field paths and overrides, with line numbers."""
    from genai_pilots.domain.stages import STAGE_KEYS
    from genai_pilots.i18n import ngettext
    from genai_pilots.render.console import say, stdout
    from genai_pilots.services.playbooks import language_warnings, read_playbook_file

    data, (playbook, findings) = read_playbook_file(path)
    if playbook is not None:  # texts in one language only: a warning, they fall back
        findings = language_warnings(data, str(path))
    console = stdout()
    for finding in findings:
        console.print(finding.format(), markup=False)
    if playbook is None:
        count = len(findings)
        say(
            ngettext("{path}: {count} errors", "{path}: {count} errors", count).format(
                path=path, count=count
            )
        )
        raise typer.Exit(1)
    gates = sum(len(playbook.gates.for_stage(k)) for k in STAGE_KEYS)
    say(
        ngettext(
            "{path}: valid ({name}, {count} criteria)",
            "{path}: valid ({name}, {count} criteria)",
            gates,
        ).format(path=path, name=playbook.name, count=gates)
    )


@app.command("set")
def set_(
    path: FileArg,
    reason: ReasonOption,
    allow_weaker: Annotated[
        bool,
        typer.Option(
            "--allow-weaker",
            help="Store it even though it weakens what the law or four eyes require (recorded, "
            "and shown in status for as long as it is in force).",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would become weaker; store nothing.")
    ] = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Store a playbook in the register; from now on it is in force for every command.

    It first lists what becomes weaker than the playbook in force. One that weakens a criterion
    the law or four eyes require is refused unless --allow-weaker. Every change is kept in the
    register's own hash-chained history, with who, when and why.
    """
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.playbook_storage import PlaybookWeakensLaw, set_playbook
    from genai_pilots.services.transactions import open_store

    try:
        change = set_playbook(
            open_store(db, create=True), path, reason=reason, allow_weaker=allow_weaker,
            dry_run=dry_run, by=by,
        )  # fmt: skip
    except PlaybookWeakensLaw as refused:
        for weakening in refused.change.protected:
            say(_("weaker than the default allows: {what}").format(what=weakening.shown()))
        raise
    for weakening in change.weaker:
        say(_("weaker than the playbook in force: {what}").format(what=weakening.shown()))
    protected = (
        _("weaker than the default allows (stored with --allow-weaker): {what}")
        if change.stored or allow_weaker
        else _("weaker than the default allows (a real run is refused without --allow-weaker): "
               "{what}")
    )  # fmt: skip
    for weakening in change.protected:
        say(protected.format(what=weakening.shown()))
    if not change.weaker:
        say(_("nothing becomes weaker than the playbook in force"))
    if change.stored:
        say(_("playbook {name} is now in force in the register").format(name=change.playbook.name))
    else:
        say(_("dry run: playbook {name} was not stored").format(name=change.playbook.name))


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="playbook")
