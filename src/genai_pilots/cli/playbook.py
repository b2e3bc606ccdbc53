"""``pilots playbook show | validate | set``: the gate criteria in force."""

from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import ByOption, DbOption, PlaybookOption

app = typer.Typer(help="The playbook: which criteria each stage gate asks for.")

FileArg = Annotated[Path, typer.Argument(help="A playbook YAML file.")]


@app.command()
def show(playbook: PlaybookOption = None, db: DbOption = None) -> None:
    """Show the playbook in force, gate by gate, and where it comes from."""
    from genai_pilots.render.console import stdout
    from genai_pilots.render.playbook import playbook_view
    from genai_pilots.services.playbooks import playbook_in_force
    from genai_pilots.services.store import open_store

    in_force = playbook_in_force(playbook, None if playbook else open_store(db))
    stdout().print(playbook_view(in_force.playbook, in_force.origin))


@app.command()
def validate(path: FileArg) -> None:
    """Check a playbook file: unknown kinds, bad field paths and overrides, with line numbers."""
    from genai_pilots.domain.stages import STAGE_KEYS
    from genai_pilots.render.console import say, stdout
    from genai_pilots.services.playbooks import read_playbook_file

    _, (playbook, findings) = read_playbook_file(path)
    console = stdout()
    for finding in findings:
        console.print(finding.format(), markup=False)
    if playbook is None:
        say(f"{path}: {len(findings)} errors")
        raise typer.Exit(1)
    gates = sum(len(playbook.gates.for_stage(k)) for k in STAGE_KEYS)
    say(f"{path}: valid ({playbook.name}, {gates} criteria)")


@app.command("set")
def set_(path: FileArg, by: ByOption = None, db: DbOption = None) -> None:
    """Store a playbook in the register; from now on it is in force for every command."""
    from genai_pilots.render.console import say
    from genai_pilots.services.governance import set_playbook
    from genai_pilots.services.store import open_store

    playbook = set_playbook(open_store(db), path, by=by)
    say(f"playbook {playbook.name} is now in force in the register")


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="playbook")
