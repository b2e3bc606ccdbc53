"""``pilots training add | import | list | remove``: the ledger the skills gate counts."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import (
    DAY_FORMS,
    ByOption,
    DbOption,
    JsonOption,
    ReasonOption,
    day_given,
    means_stdout,
)

app = typer.Typer(
    help="The training ledger (AI literacy, Art. 4): who was trained for a pilot, in what, "
    "until when. The skills gate counts it; it is staff personal data."
)

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]
PersonOption = Annotated[
    str,
    typer.Option(
        "--person", help="The person trained: their login or their name.", metavar="LOGIN|NAME"
    ),
]


@app.command()
def add(
    pilot_id: PilotArg,
    person: PersonOption,
    course: Annotated[str, typer.Option("--course", help="The course or training followed.")],
    date: Annotated[str, typer.Option("--date", help=f"The day it was given ({DAY_FORMS}).")],
    valid_until: Annotated[
        str | None,
        typer.Option(
            "--valid-until",
            help=f"The last day it counts ({DAY_FORMS}); default: for good.",
            show_default=False,
        ),
    ] = None,
    setting: Annotated[
        str | None,
        typer.Option("--setting", help="Where the person works (default: the pilot's setting)."),
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record one person's training; nobody records their own."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.training import add_training
    from genai_pilots.services.transactions import open_store

    done = add_training(
        open_store(db), pilot_id, person, course, day_given(date, "--date"),
        valid_until=day_given(valid_until, "--valid-until") if valid_until else None,
        setting=setting, by=by,
    )  # fmt: skip
    if done.stored:
        say(_("recorded the training of 1 person for {pilot}").format(pilot=pilot_id))
    else:
        say(_("skipped: that training is already recorded for {pilot}").format(pilot=pilot_id))
    say(_current_people(pilot_id, done.people))


@app.command("import")
def import_(
    pilot_id: PilotArg,
    csv_file: Annotated[
        Path,
        typer.Argument(
            help="A learning system's export: person,course,date[,valid_until,setting]; '-' "
            "reads standard input. Excel's CSV in Dutch works as saved (';', D-M-YYYY dates, "
            "UTF-8 or cp1252).",
            metavar="FILE.csv",
        ),
    ],
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="The CSV file's delimiter: ',', ';' or tab (default: found).",
            show_default=False,
        ),
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Record every row of a CSV file (all rows or none); rows already recorded are skipped."""
    from genai_pilots.i18n import _, ngettext
    from genai_pilots.render.console import say, stderr
    from genai_pilots.services.training import import_training
    from genai_pilots.services.transactions import open_store

    piped = None
    if means_stdout(csv_file):
        from genai_pilots.services.files import STDIN, read_stdin

        piped, csv_file = read_stdin(sys.stdin.buffer, what=_("CSV file")), STDIN
    done = import_training(
        open_store(db), pilot_id, csv_file, by=by, delimiter=delimiter, data=piped
    )
    stderr().print(
        _("note: read {file} as {read_as}").format(file=csv_file, read_as=done.read_as),
        markup=False, highlight=False,
    )  # fmt: skip
    say(
        ngettext(
            "recorded {count} trainings for {pilot} from {file}",
            "recorded {count} trainings for {pilot} from {file}",
            done.stored,
        ).format(count=done.stored, pilot=pilot_id, file=csv_file)
    )
    if done.skipped:
        lines = ", ".join(str(line) for line in done.skipped)
        count = len(done.skipped)
        say(
            ngettext(
                "skipped {count} rows already recorded (lines {lines})",
                "skipped {count} rows already recorded (lines {lines})",
                count,
            ).format(count=count, lines=lines)
        )
    say(_current_people(pilot_id, done.people))


@app.command("list")
def list_(pilot_id: PilotArg, as_json: JsonOption = False, db: DbOption = None) -> None:
    """A pilot's trainings by person, whether each still counts, and what the gate counts."""
    from genai_pilots.render.console import show
    from genai_pilots.render.training import training_json, training_view
    from genai_pilots.services.training import training_of
    from genai_pilots.services.transactions import open_store

    ledger = training_of(open_store(db), pilot_id)
    if as_json:
        typer.echo(training_json(ledger))
    else:
        show(training_view(ledger))


@app.command()
def remove(
    pilot_id: PilotArg, person: PersonOption, reason: ReasonOption, by: ByOption = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """Erase a person's trainings (deleted, not marked); the reason, never the name, is kept."""
    from genai_pilots.i18n import ngettext
    from genai_pilots.render.console import say
    from genai_pilots.services.training import remove_training
    from genai_pilots.services.transactions import open_store

    done = remove_training(open_store(db), pilot_id, person, reason=reason, by=by)
    spelled = ", ".join(f"'{s}'" for s in done.spellings)
    say(
        ngettext(
            "erased {count} training of {person} for {pilot} (as {spellings}); the history "
            "records the erasure, not the person",
            "erased {count} trainings of {person} for {pilot} (as {spellings}); the history "
            "records the erasure, not the person",
            done.rows,
        ).format(count=done.rows, person=done.person, pilot=pilot_id, spellings=spelled)
    )
    say(_current_people(pilot_id, done.people))


def _current_people(pilot_id: str, count: int) -> str:
    """How many people the pilot has with a current training."""
    from genai_pilots.i18n import ngettext

    return ngettext(
        "{pilot}: {count} people with a current training",
        "{pilot}: {count} people with a current training",
        count,
    ).format(pilot=pilot_id, count=count)


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="training")
