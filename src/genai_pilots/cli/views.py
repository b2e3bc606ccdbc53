"""``pilots status | show | gate | history``: where pilots stand and how they got there."""

from typing import Annotated

import typer

from genai_pilots.cli.options import DbOption, JsonOption, PlaybookOption, outcome_shown

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]


def status(
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="Only pilots in this stage (or: scaled, stopped)."),
    ] = None,
    setting: Annotated[str | None, typer.Option("--setting", help="Only this setting.")] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only owners whose name contains this.")
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", min=1, max=1_000_000, help="Show at most this many pilots (by id)."
        ),
    ] = 20,
    show_all: Annotated[bool, typer.Option("--all", help="Show every pilot.")] = False,
    as_json: JsonOption = False,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """The portfolio: each pilot's stage, gate readiness and first blocker, and the funnel.

    Large registers are summarised: the funnel counts every pilot, the table shows the first
    --limit (20, one screen) by id; --all shows all, --stage/--setting/--owner narrow it down.
    """
    from genai_pilots.domain.stages import OUTCOMES, STAGE_KEYS
    from genai_pilots.errors import UsageError
    from genai_pilots.i18n import _, ngettext
    from genai_pilots.render import on_terminal
    from genai_pilots.render import portfolio as view
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.portfolio import portfolio
    from genai_pilots.services.transactions import open_store

    if stage is not None and stage not in (*STAGE_KEYS, *OUTCOMES):
        raise UsageError(
            _("unknown stage {stage!r}").format(stage=stage),
            hint=_("use one of {stages}").format(stages=", ".join((*STAGE_KEYS, *OUTCOMES))),
        )
    store = open_store(db)
    result = portfolio(
        store, load_playbook(playbook, store), stage=stage, setting=setting, owner=owner,
        limit=None if show_all else limit,
    )  # fmt: skip
    if as_json:
        typer.echo(view.portfolio_json(result))
        return
    if not result.pilots:
        filters = [f"--{name} {value}" for name, value in
                   (("stage", stage), ("setting", setting), ("owner", owner)) if value]  # fmt: skip
        typer.echo(
            ngettext(
                "no pilots match {filters}; leave it out to see the whole portfolio",
                "no pilots match {filters}; leave them out to see the whole portfolio",
                len(filters),
            ).format(filters=" ".join(filters))
            if filters
            else _("no pilots in the register; `pilots import DIR` loads definitions")
        )
        return
    more = ""
    if len(result.pilots) < result.total:
        more = ngettext(
            "showing {shown} of {count} pilots (by id); --all shows all, "
            "--stage/--setting/--owner narrow it down",
            "showing {shown} of {count} pilots (by id); --all shows all, "
            "--stage/--setting/--owner narrow it down",
            result.total,
        ).format(shown=len(result.pilots), count=result.total)
    if not on_terminal():  # plain, aligned text: no Rich layout for pipes and logs
        lines = [*view.portfolio_plain(result), *([more] if more else []), view.funnel_line(result)]
        typer.echo("\n".join(lines + view.attention_lines(result, markup=False)))
        return
    from genai_pilots.render.console import show

    show(
        view.portfolio_table(result),
        *([f"[muted]{more}[/]"] if more else []),
        view.funnel_line(result),
        *view.attention_lines(result),
    )


def show(pilot_id: PilotArg, playbook: PlaybookOption = None, db: DbOption = None) -> None:
    """One pilot: summary, the checklist of its current gate, approvals, recent history."""
    from genai_pilots.render import detail as view
    from genai_pilots.render.console import show
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.portfolio import pilot_detail
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    detail = pilot_detail(store, pilot_id, load_playbook(playbook, store))
    show(view.detail_view(detail))


def gate(
    pilot_id: PilotArg, as_json: JsonOption = False, playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """The checklist of a pilot's current gate; exit 0 when it is met, 1 when not."""
    from genai_pilots.errors import CheckFailed
    from genai_pilots.i18n import _
    from genai_pilots.render import gate as view
    from genai_pilots.render.console import stdout
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.portfolio import pilot_detail
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    detail = pilot_detail(store, pilot_id, load_playbook(playbook, store), recent=0)
    if detail.gate is None:
        raise CheckFailed(
            _("{pilot} has ended ({outcome}); it has no open gate").format(
                pilot=pilot_id, outcome=outcome_shown(str(detail.pilot.outcome))
            )
        )
    if as_json:
        typer.echo(view.gate_json(pilot_id, detail.gate))
    else:
        view.print_gate(stdout(), pilot_id, detail.gate)
    raise typer.Exit(0 if detail.gate.met else 1)


def history(pilot_id: PilotArg, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Everything that happened to a pilot: who, when, what and why."""
    from genai_pilots.i18n import _
    from genai_pilots.render import history as view
    from genai_pilots.render.console import show
    from genai_pilots.services.portfolio import history as pilot_history
    from genai_pilots.services.transactions import open_store

    events = pilot_history(open_store(db), pilot_id)
    if as_json:
        typer.echo(view.history_json(pilot_id, events))
    else:
        show(view.history_table(events, title=_("history of {pilot}").format(pilot=pilot_id)))


def due(
    within: Annotated[
        str,
        typer.Option(
            "--within", help="How far ahead: days or weeks (30d, 8w, or a number of days)."
        ),
    ] = "30d",
    as_json: JsonOption = False,
    ical: Annotated[
        bool, typer.Option("--ical", help="Print an iCalendar (RFC 5545) file to subscribe to.")
    ] = False,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """What is due across the portfolio, overdue first, then soonest; exit 1 when any is overdue.

    Steering reviews by each pilot's bijsturen.review_cadence, waivers and evidence that expire,
    incident notifications, and what waits: approvals and open governance reviews.
    """
    from genai_pilots.cli.language import english_for_machines
    from genai_pilots.domain.due import WithinError, parse_within
    from genai_pilots.errors import UsageError
    from genai_pilots.i18n import _
    from genai_pilots.render import due as view
    from genai_pilots.render import on_terminal
    from genai_pilots.services.due import due_list
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.transactions import open_store

    if as_json and ical:
        raise UsageError(_("pass --json or --ical, not both"))
    try:
        days = parse_within(within)
    except WithinError as exc:
        raise UsageError(str(exc)) from None
    store = open_store(db)
    if ical:  # a calendar file is read by programs and kept: English, as --json
        english_for_machines(True)
    result = due_list(store, load_playbook(playbook, store), days)
    if as_json:
        typer.echo(view.due_json(result))
    elif ical:
        from genai_pilots import clock

        typer.echo(view.due_ical(result, clock.now()), nl=False)
    elif not on_terminal() or not result.items:
        typer.echo("\n".join(view.due_plain(result)))
    else:
        from genai_pilots.render.console import show as draw

        draw(view.due_table(result), view.summary_line(result))
    raise typer.Exit(1 if result.overdue else 0)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    for command in (status, show, gate, history, due):
        app.command()(command)
