"""``pilots approve | revoke | waive``: the decisions a gate asks of people other than the owner."""

from typing import Annotated

import typer

from genai_pilots.cli.options import (
    DAY_FORMS,
    ByOption,
    DbOption,
    PlaybookOption,
    ReasonOption,
    day_given,
)

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]
RoleOption = Annotated[
    str, typer.Option("--role", help="The role you approve in, e.g. privacy_officer.")
]


def approve(
    pilot_id: PilotArg,
    role: RoleOption,
    note: Annotated[str | None, typer.Option("--note", help="A remark kept with it.")] = None,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Approve a pilot's current gate in one role; the owner can never approve their own pilot."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.governance import approve as record_approval
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    result = record_approval(
        store, pilot_id, role, governing_playbook(store, playbook), by=by, note=note
    )
    say(
        _("{by} approved {pilot} as {role} for {stage}").format(
            by=result.by, pilot=pilot_id, role=role, stage=result.stage
        )
    )
    if result.review_completed:
        say(
            _("governance review of {pilot} completed: it can advance again").format(pilot=pilot_id)
        )
    elif result.review is not None:
        from genai_pilots.render.detail import still_needed

        left = still_needed(pilot_id, result.review, markup=False)
        say(_("governance review of {pilot} still needs: {left}").format(pilot=pilot_id, left=left))


def revoke(
    pilot_id: PilotArg,
    role: RoleOption,
    reason: ReasonOption,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Withdraw an approval of a pilot's current gate."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.governance import revoke as revoke_approval
    from genai_pilots.services.transactions import open_store

    revoke_approval(open_store(db), pilot_id, role, reason=reason, by=by)
    say(_("revoked the {role} approval of {pilot}").format(role=role, pilot=pilot_id))


def waive(
    pilot_id: PilotArg,
    criterion: Annotated[str, typer.Argument(help="The criterion id, as `pilots gate` shows it.")],
    reason: ReasonOption,
    until: Annotated[
        str,
        typer.Option("--until", help=f"Last day the waiver holds ({DAY_FORMS})."),
    ],
    role: Annotated[
        str | None,
        typer.Option("--role", help="The approving role you waive in, e.g. privacy_officer."),
    ] = None,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Let one criterion of a pilot's current gate count as met until a date, then block again.

    A governance decision: given in one of the gate's approving roles, never by the owner, and
    never for approvals or criteria the playbook marks as not waivable.
    """
    from genai_pilots import i18n
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.governance import waive as grant_waiver
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    waiver = grant_waiver(
        store, pilot_id, criterion, governing_playbook(store, playbook),
        until=day_given(until, "--until"), reason=reason, role=role, by=by,
    )  # fmt: skip
    say(
        _("{criterion} of {pilot} counts as met until {until} ({by})").format(
            criterion=criterion, pilot=pilot_id, until=i18n.day(waiver.until), by=waiver.by
        )
    )


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    for command in (approve, revoke, waive):
        app.command()(command)
