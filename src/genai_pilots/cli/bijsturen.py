"""``pilots measure | kpis | decide | metrics | report``: measure, steer and report."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import (
    DAY_FORMS,
    ByOption,
    DbOption,
    JsonOption,
    PlaybookOption,
    ReasonOption,
    day_given,
    means_stdout,
    number_given,
    outcome_shown,
)

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]


def measure(
    pilot_id: PilotArg,
    kpi: Annotated[str | None, typer.Argument(help="The KPI id.")] = None,
    value: Annotated[
        str | None,
        typer.Argument(
            help="The measured value: 3.5 or 3,5 (no thousands separators).", show_default=False
        ),
    ] = None,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Record every row of a CSV file: kpi,date,value[,setting,note]. Excel's CSV "
            "in Dutch works as saved (';', decimal commas, D-M-YYYY dates, UTF-8 or cp1252). "
            "- reads it from stdin.",
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="The CSV file's delimiter: ',', ';' or tab (default: found).",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help=f"Day of the measurement, {DAY_FORMS} (default today).",
            show_default=False,
        ),
    ] = None,
    setting: Annotated[
        str | None, typer.Option("--setting", help="Where it was measured (default: the pilot's).")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A remark kept with it.")] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record a KPI measurement, or a whole CSV file of them (all rows or none)."""
    from genai_pilots import i18n
    from genai_pilots.errors import UsageError
    from genai_pilots.i18n import _, ngettext
    from genai_pilots.render.console import say, stderr
    from genai_pilots.services.measuring import measure as record
    from genai_pilots.services.measuring import measure_csv
    from genai_pilots.services.transactions import open_store

    if csv_file is not None:
        if kpi is not None or value is not None:
            raise UsageError(_("pass either KPI VALUE or --csv FILE, not both"))
        piped = None
        if means_stdout(csv_file):
            from genai_pilots.services.files import STDIN, read_stdin

            piped, csv_file = read_stdin(sys.stdin.buffer, what=_("CSV file")), STDIN
        done = measure_csv(open_store(db), pilot_id, csv_file, by=by, delimiter=delimiter,
                           data=piped)  # fmt: skip
        stderr().print(
            _("note: read {file} as {read_as}").format(file=csv_file, read_as=done.read_as),
            markup=False, highlight=False,
        )  # fmt: skip
        count = len(done.stored)
        say(
            ngettext(
                "recorded {count} measurements of {pilot} from {file}",
                "recorded {count} measurements of {pilot} from {file}",
                count,
            ).format(count=count, pilot=pilot_id, file=csv_file)
        )
        if done.skipped:
            lines = ", ".join(str(r.line) for r in done.skipped)
            count = len(done.skipped)
            say(
                ngettext(
                    "skipped {count} rows already recorded (lines {lines})",
                    "skipped {count} rows already recorded (lines {lines})",
                    count,
                ).format(count=count, lines=lines)
            )
        return
    if delimiter is not None:
        raise UsageError(_("--delimiter is for --csv FILE"), hint=_("drop it, or add --csv FILE"))
    if kpi is None or value is None:
        raise UsageError(
            _("pass KPI and VALUE, or --csv FILE"), hint=_("pilots measure ID KPI VALUE")
        )
    done = record(
        open_store(db), pilot_id, kpi, number_given(value, "VALUE"),
        date=day_given(date, "--date") if date is not None else None,
        setting=setting, note=note, by=by,
    )  # fmt: skip
    for row in done.stored:
        say(
            _("recorded {kpi} = {value} for {pilot} on {date}").format(
                kpi=kpi, value=i18n.number(row.value, "g"), pilot=pilot_id, date=i18n.day(row.date)
            )
        )
    for row in done.skipped:
        say(
            _("skipped: {kpi} = {value} on {date} is already recorded for {pilot}").format(
                kpi=kpi, value=i18n.number(row.value, "g"), date=i18n.day(row.date), pilot=pilot_id
            )
        )


def retract(
    pilot_id: PilotArg,
    kpi: Annotated[str, typer.Argument(help="The KPI id.")],
    date: Annotated[str, typer.Argument(help=f"Day of the measurement, {DAY_FORMS}.")],
    reason: ReasonOption,
    value: Annotated[
        str | None,
        typer.Option("--value", help="Which value, when the day has several (3.5 or 3,5)."),
    ] = None,
    setting: Annotated[
        str | None, typer.Option("--setting", help="Which setting, when the day has several.")
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Take back a wrong measurement: it stays in the register, marked, and no longer counts."""
    from genai_pilots import i18n
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.measuring import retract as retract_measurement
    from genai_pilots.services.transactions import open_store

    row = retract_measurement(
        open_store(db), pilot_id, kpi, day_given(date, "DATE"), reason=reason, setting=setting,
        value=None if value is None else number_given(value, "--value"), by=by,
    )  # fmt: skip
    say(
        _("retracted {kpi} = {value} of {pilot} on {date}").format(
            kpi=kpi, value=i18n.number(row.value, "g"), pilot=pilot_id, date=i18n.day(row.date)
        )
    )


def kpis(pilot_id: PilotArg, as_json: JsonOption = False, db: DbOption = None) -> None:
    """Each KPI against baseline and target: latest value, change, progress, trend per setting."""
    from genai_pilots.i18n import _
    from genai_pilots.render import kpis as view
    from genai_pilots.render.console import show
    from genai_pilots.services.portfolio import kpi_trends
    from genai_pilots.services.transactions import open_store

    found = kpi_trends(open_store(db), pilot_id)
    if as_json:
        typer.echo(view.trends_json(pilot_id, found))
    else:
        show(view.trends_table(found, title=_("KPIs of {pilot}").format(pilot=pilot_id)))


class DecisionChoice(StrEnum):
    """The three bijsturen decisions."""

    scale = "scale"
    adjust = "adjust"
    stop = "stop"


def decide(
    pilot_id: PilotArg,
    decision: Annotated[
        DecisionChoice, typer.Argument(help="scale (naar praktijk), adjust, or stop.")
    ],
    reason: ReasonOption,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Decide in bijsturen: scale, adjust or stop.

    Scale ends the pilot as scaled (its gate must be met), stop ends it as stopped, adjust
    keeps it in bijsturen and counts the iteration.
    """
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say, stdout
    from genai_pilots.render.gate import print_gate
    from genai_pilots.services.lifecycle import GateNotMet
    from genai_pilots.services.lifecycle import decide as record_decision
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    console = stdout()
    try:
        result = record_decision(
            store,
            pilot_id,
            decision.value,
            governing_playbook(store, playbook),
            reason=reason,
            by=by,
        )
    except GateNotMet as refused:
        print_gate(console, pilot_id, refused.gate)
        raise
    if result.outcome:
        say(
            _("{pilot} ended: {outcome}").format(
                pilot=pilot_id, outcome=outcome_shown(result.outcome)
            )
        )
    else:
        say(
            _("{pilot} stays in bijsturen (iteration {iteration})").format(
                pilot=pilot_id, iteration=result.iteration
            )
        )


def review(
    pilot_id: PilotArg,
    note: Annotated[str, typer.Option("--note", help="What the review found; recorded.")],
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record a steering review of a pilot in bijsturen: its cadence counts from here.

    `pilots due` lists reviews overdue by the pilot's bijsturen.review_cadence.
    """
    from genai_pilots.domain.due import cadence_name
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.lifecycle import review as record_review
    from genai_pilots.services.transactions import open_store

    cadence = record_review(open_store(db), pilot_id, note=note, by=by)
    say(
        _("recorded a steering review of {pilot} ({cadence} cadence)").format(
            pilot=pilot_id, cadence=cadence_name(cadence)
        )
        if cadence
        else _("recorded a steering review of {pilot}; it has no bijsturen.review_cadence").format(
            pilot=pilot_id
        )
    )


def metrics(
    as_json: JsonOption = False, playbook: PlaybookOption = None, db: DbOption = None
) -> None:
    """Portfolio metrics: time in stage, per stage and setting, overrides, top blockers.

    Also counts waivers, and lists the gate criteria that block the most pilots.
    """
    from genai_pilots.render.console import show
    from genai_pilots.render.kpis import metrics_json, metrics_view
    from genai_pilots.services.metrics import portfolio_metrics
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    result = portfolio_metrics(store, load_playbook(playbook, store))
    if as_json:
        typer.echo(metrics_json(result))
    else:
        show(metrics_view(result))


def report(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The HTML file to write; - for stdout.")
    ],
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Write the board report: one self-contained HTML file (no network needed to open it)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.render.report import render_report
    from genai_pilots.services.exporting import write_atomically
    from genai_pilots.services.playbooks import load_playbook
    from genai_pilots.services.report import report_data
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    html = render_report(report_data(store, load_playbook(playbook, store)))
    if means_stdout(output):
        sys.stdout.write(html)
        return
    write_atomically(output, html)
    say(_("wrote {file} ({size} KiB)").format(file=output, size=len(html.encode()) // 1024))


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    # a negative value (``measure ID KPI -5``) is a value, not an unknown option
    numbers = {"ignore_unknown_options": True}
    app.command(context_settings=numbers)(measure)
    app.command(context_settings=numbers)(retract)
    for plain in (kpis, decide, review, metrics, report):
        app.command()(plain)
