"""``pilots incident add | update | notify | close | list``: what went wrong, and who was told."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from genai_pilots.cli.options import (
    DAY_FORMS,
    ByOption,
    DbOption,
    JsonOption,
    ReasonOption,
    day_given,
)

if TYPE_CHECKING:
    from genai_pilots.readmodels import IncidentEntry

app = typer.Typer(
    help="Incidents in practice: numbered per pilot, reported by the AI Act's deadlines; an open "
    "serious incident holds the bijsturen gate."
)

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]
NumberArg = Annotated[
    int, typer.Argument(help="The incident's number, as `pilots incident list` shows it.", min=1)
]


class RecipientChoice(StrEnum):
    """Who an incident is reported to."""

    provider = "provider"
    authority = "authority"
    igj = "igj"


def _severity(serious: bool | None, death: bool | None, widespread: bool | None) -> dict[str, bool]:
    given = {"serious": serious, "death": death, "widespread": widespread}
    return {name: value for name, value in given.items() if value is not None}


def _said(sentence: str, entry: "IncidentEntry") -> None:
    """``sentence`` (translated, with fields number, pilot and severity), then what is due."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.render.incidents import deadline_lines

    say(sentence.format(number=entry.number, pilot=entry.pilot_id, severity=entry.severity))
    if entry.closed_at is None:
        for line in deadline_lines(entry, markup=False):
            say("  " + _("notify {deadline}").format(deadline=line))


@app.command()
def add(
    pilot_id: PilotArg,
    summary: Annotated[str, typer.Option("--summary", help="What happened, briefly.")],
    occurred: Annotated[
        str, typer.Option("--occurred", help=f"The day it happened ({DAY_FORMS}).")
    ],
    aware: Annotated[
        str | None,
        typer.Option(
            "--aware",
            help=f"The day you became aware of it ({DAY_FORMS}); deadlines run from it. "
            "Default: today.",
            show_default=False,
        ),
    ] = None,
    serious: Annotated[
        bool, typer.Option("--serious", help="A serious incident (AI Act Art. 3(49)).")
    ] = False,
    death: Annotated[bool, typer.Option("--death", help="It led to a person's death.")] = False,
    widespread: Annotated[
        bool,
        typer.Option("--widespread", help="A widespread infringement or critical disruption."),
    ] = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record an incident; a serious one holds the bijsturen gate until it is closed."""
    from genai_pilots.i18n import _
    from genai_pilots.services.incidents import open_incident
    from genai_pilots.services.transactions import open_store

    entry = open_incident(
        open_store(db), pilot_id, summary=summary, occurred=day_given(occurred, "--occurred"),
        aware=day_given(aware, "--aware") if aware else None, serious=serious, death=death,
        widespread=widespread, by=by,
    )  # fmt: skip
    _said(_("incident {number} of {pilot} recorded ({severity})"), entry)


@app.command()
def update(
    pilot_id: PilotArg,
    number: NumberArg,
    summary: Annotated[str | None, typer.Option("--summary", help="What happened, now.")] = None,
    serious: Annotated[
        bool | None,
        typer.Option(
            "--serious/--not-serious", help="Serious, or (with --reason) not.", show_default=False
        ),
    ] = None,  # fmt: skip
    death: Annotated[
        bool | None,
        typer.Option(
            "--death/--no-death", help="A death, or (with --reason) not.", show_default=False
        ),
    ] = None,  # fmt: skip
    widespread: Annotated[
        bool | None,
        typer.Option(
            "--widespread/--not-widespread",
            help="Widespread, or (with --reason) not.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Why; needed to take a severity off."),
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Change an open incident's summary, or add to its severity (taking one off needs --reason)."""
    from genai_pilots.i18n import _
    from genai_pilots.services.incidents import update_incident
    from genai_pilots.services.transactions import open_store

    entry = update_incident(
        open_store(db), pilot_id, number, summary=summary,
        severity=_severity(serious, death, widespread), reason=reason, by=by,
    )  # fmt: skip
    _said(_("incident {number} of {pilot} updated ({severity})"), entry)


@app.command()
def notify(
    pilot_id: PilotArg,
    number: NumberArg,
    to: Annotated[
        RecipientChoice,
        typer.Option("--to", help="provider (the supplier), authority (market surveillance), igj."),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            help=f"The day they were told ({DAY_FORMS}); default: today.",
            show_default=False,
        ),
    ] = None,  # fmt: skip
    note: Annotated[str | None, typer.Option("--note", help="A remark (a case number).")] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record that an incident was reported to the provider, the authority or IGJ."""
    from genai_pilots.i18n import _
    from genai_pilots.services.incidents import notify_incident
    from genai_pilots.services.transactions import open_store

    entry = notify_incident(
        open_store(db), pilot_id, number, to.value,
        on=day_given(on, "--on") if on else None, note=note, by=by,
    )  # fmt: skip
    sentences = {
        RecipientChoice.provider: _(
            "incident {number} of {pilot} reported to provider ({severity})"
        ),
        RecipientChoice.authority: _(
            "incident {number} of {pilot} reported to authority ({severity})"
        ),
        RecipientChoice.igj: _("incident {number} of {pilot} reported to igj ({severity})"),
    }
    _said(sentences[to], entry)


@app.command()
def close(
    pilot_id: PilotArg, number: NumberArg, reason: ReasonOption, by: ByOption = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """Close a handled incident; a serious one no longer holds the bijsturen gate."""
    from genai_pilots.i18n import _
    from genai_pilots.services.incidents import close_incident
    from genai_pilots.services.transactions import open_store

    entry = close_incident(open_store(db), pilot_id, number, reason=reason, by=by)
    _said(_("incident {number} of {pilot} closed ({severity})"), entry)


@app.command("list")
def list_(
    pilot_id: Annotated[
        str | None, typer.Argument(help="Only this pilot's (default: all).")
    ] = None,
    open_only: Annotated[bool, typer.Option("--open", help="Only open incidents.")] = False,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Incidents, and for each open one whom to notify by when: notified, open or overdue."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import show
    from genai_pilots.render.incidents import incidents_json, incidents_table
    from genai_pilots.services.incidents import incidents
    from genai_pilots.services.transactions import open_store

    found = incidents(open_store(db), pilot_id, open_only=open_only)
    if as_json:
        typer.echo(incidents_json(found))
        return
    if pilot_id:
        title = (_("open incidents of {pilot}") if open_only else _("incidents of {pilot}")).format(
            pilot=pilot_id
        )
    else:
        title = _("open incidents") if open_only else _("incidents")
    show(incidents_table(found, title))


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="incident")
