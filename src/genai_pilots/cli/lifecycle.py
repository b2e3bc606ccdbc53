"""``pilots new | advance | pause | resume``: change where a pilot stands."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import ByOption, DbOption, PlaybookOption, ReasonOption
from genai_pilots.i18n import N_

_REQUIRED = (
    ("pilot_id", "--id", N_("Pilot id (lower-case letters, digits, hyphens)")),
    ("name", "--name", N_("Name")),
    ("setting", "--setting", N_("Setting (polikliniek, kliniek, thuiszorg, ggz, ...)")),
    ("department", "--department", N_("Department")),
    ("owner_name", "--owner-name", N_("Owner's name")),
    ("owner_email", "--owner-email", N_("Owner's e-mail")),
)


def new(
    pilot_id: Annotated[str | None, typer.Option("--id", help="Pilot id (slug).")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Pilot name.")] = None,
    setting: Annotated[str | None, typer.Option("--setting", help="Care setting.")] = None,
    department: Annotated[str | None, typer.Option("--department", help="Department.")] = None,
    owner_name: Annotated[str | None, typer.Option("--owner-name", help="Owner's name.")] = None,
    owner_email: Annotated[
        str | None, typer.Option("--owner-email", help="Owner's e-mail.")
    ] = None,
    scaffold_file: Annotated[
        Path | None,
        typer.Option(
            "--scaffold",
            help="Write a commented YAML skeleton to this file instead of registering.",
            dir_okay=False,
        ),
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Register a new pilot at start-klein, or write a skeleton definition with --scaffold.

    Missing values are asked for on a terminal; in scripts pass them all as options.
    """
    from genai_pilots.errors import UsageError
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say

    values = {
        "pilot_id": pilot_id, "name": name, "setting": setting, "department": department,
        "owner_name": owner_name, "owner_email": owner_email,
    }  # fmt: skip
    for key, _option, prompt in _REQUIRED:
        if not values[key] and sys.stdin.isatty():
            values[key] = typer.prompt(_(prompt))
    missing = [option for key, option, _prompt in _REQUIRED if not values[key]]
    if missing:
        raise UsageError(
            _("missing {options}").format(options=", ".join(missing)),
            hint=_("pass every value as an option, or run on a terminal"),
        )
    given = {k: str(v) for k, v in values.items()}
    if scaffold_file is not None:
        from genai_pilots.domain.scaffold import scaffold
        from genai_pilots.services.exporting import write_atomically
        from genai_pilots.services.files import occupied

        if occupied(scaffold_file):
            raise UsageError(
                _("{file} exists; choose another file or remove it").format(file=scaffold_file)
            )
        write_atomically(scaffold_file, scaffold(**given))
        say(_("wrote {file}: fill it in, then `pilots validate {file}`").format(file=scaffold_file))
        return
    from genai_pilots.services.lifecycle import build_definition, create_pilot
    from genai_pilots.services.transactions import open_store

    definition = build_definition(
        {
            "id": given["pilot_id"], "name": given["name"], "setting": given["setting"],
            "department": given["department"],
            "owner": {"name": given["owner_name"], "email": given["owner_email"]},
        }
    )  # fmt: skip
    create_pilot(open_store(db, create=True), definition, by=by)
    say(
        _("registered {pilot} at start-klein; next: pilots gate {pilot}").format(
            pilot=definition.id
        )
    )
    from genai_pilots.domain.text import hiding_problem

    for option, value in (("--name", definition.name), ("--department", definition.department)):
        problem = hiding_problem(value, definition.id)
        if problem is not None:  # as `pilots validate` warns about a file
            say(_("warning: {option}: {problem}").format(option=option, problem=problem))


class OutcomeChoice(StrEnum):
    """How a pilot ends when it leaves bijsturen."""

    scaled = "scaled"
    stopped = "stopped"


def advance(
    pilot_id: Annotated[str, typer.Argument(help="The pilot to move on.")],
    outcome: Annotated[
        OutcomeChoice | None,
        typer.Option(
            "--outcome",
            help="End the pilot: scaled (naar praktijk; leaving bijsturen, its gate met) or "
            "stopped (at any stage, with --reason: the same as `pilots decide ID stop`).",
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Pass a failing gate; needs --reason, recorded as override."),
    ] = False,
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why (required with --force and --outcome stopped)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would happen; change nothing.")
    ] = False,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Move a pilot through the gate of its current stage, or end it.

    Refuses while any criterion fails and names each one (exit 1). Stopping needs no gate:
    --outcome stopped --reason '...' works at any stage, as `pilots decide ID stop` does.
    """
    from genai_pilots.render.advance import advance_message
    from genai_pilots.render.console import stdout
    from genai_pilots.render.gate import print_gate
    from genai_pilots.services.lifecycle import GateNotMet
    from genai_pilots.services.lifecycle import advance as advance_pilot
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.transactions import open_store

    console = stdout()
    store = open_store(db)
    try:
        result = advance_pilot(
            store, pilot_id, governing_playbook(store, playbook), by=by, dry_run=dry_run,
            force=force, reason=reason,
            outcome=None if outcome is None else outcome.value,
        )  # fmt: skip
    except GateNotMet as refused:
        print_gate(console, pilot_id, refused.gate)
        raise
    console.print(advance_message(result))


def _pause_or_resume(
    pilot_id: str, paused: bool, reason: str, by: str | None, db: str | None
) -> None:
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.lifecycle import set_paused
    from genai_pilots.services.transactions import open_store

    set_paused(open_store(db), pilot_id, paused, reason=reason, by=by)
    say((_("{pilot} paused") if paused else _("{pilot} resumed")).format(pilot=pilot_id))


def pause(
    pilot_id: Annotated[str, typer.Argument(help="The pilot to pause.")],
    reason: ReasonOption,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Pause a pilot at its current stage; it cannot advance until resumed."""
    _pause_or_resume(pilot_id, True, reason, by, db)


def resume(
    pilot_id: Annotated[str, typer.Argument(help="The pilot to resume.")],
    reason: ReasonOption,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Resume a paused pilot."""
    _pause_or_resume(pilot_id, False, reason, by, db)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    for command in (new, advance, pause, resume):
        app.command()(command)
