"""``pilots synth evaluate | list | verify``: synthetic datasets evaluated rather than declared."""

from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import ByOption, DbOption, JsonOption, PlaybookOption

app = typer.Typer(
    help="Synthetic datasets evaluated on their files (quality, privacy, exact copies, direct "
    "identifiers) and recorded: the synthetic-data gate counts the evaluations, not claims. "
    "Needs the extra: pip install 'genai-pilots\\[synthetic]'."
)

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]


@app.command()
def evaluate(
    pilot_id: PilotArg,
    dataset: Annotated[
        str, typer.Argument(help="The dataset's name, as in synthetic_data.datasets[*].name.")
    ],
    real: Annotated[
        Path,
        typer.Option("--real", help="The real data as CSV (read here, never stored).",
                     metavar="REAL.csv"),
    ],
    synthetic: Annotated[
        Path,
        typer.Option("--synthetic", help="Its synthetic counterpart as CSV, same columns.",
                     metavar="SYNTH.csv"),
    ],
    metadata: Annotated[
        Path | None,
        typer.Option("--metadata", help="SDMetrics' single-table metadata (JSON) naming each "
                     "column's sdtype; default: taken from the real file's values.",
                     metavar="FILE", show_default=False),
    ] = None,
    sensitive: Annotated[
        list[str] | None,
        typer.Option("--sensitive", help="A column an attacker must not learn (repeat it); "
                     "disclosure protection is measured on these, the other columns known.",
                     metavar="COL", show_default=False),
    ] = None,
    as_json: JsonOption = False,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """Score a dataset's synthetic file and record it; exit 1 if the gate would not count it."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import show, stderr, stdout
    from genai_pilots.render.synthetic import evaluation_json, evaluation_lines, evaluation_view
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.synthetic import STEPS, evaluate_synthetic
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    rules = governing_playbook(store, playbook)
    console = stderr()
    if console.is_terminal and not as_json:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:
            task = progress.add_task(_("evaluating"), total=len(STEPS))

            def step(name: str) -> None:
                progress.update(task, description=_(name), completed=STEPS.index(name))

            found = evaluate_synthetic(
                store, pilot_id, dataset, real, synthetic, rules, metadata=metadata,
                sensitive=sensitive or (), by=by, step=step,
            )  # fmt: skip
    else:
        found = evaluate_synthetic(
            store, pilot_id, dataset, real, synthetic, rules, metadata=metadata,
            sensitive=sensitive or (), by=by,
        )  # fmt: skip
    from genai_pilots.render.console import say
    from genai_pilots.render.synthetic import verdict_line

    if as_json:
        typer.echo(evaluation_json(found))
    elif stdout().is_terminal:
        show(evaluation_view(found))
        say(verdict_line(found))
    else:
        for line in evaluation_lines(found):
            say(line)
        say(verdict_line(found))
    raise typer.Exit(1 if found.verdict else 0)


@app.command("list")
def list_(
    pilot_id: PilotArg, as_json: JsonOption = False, playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """A pilot's evaluations, one per dataset, and whether the gate in force counts each."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.render.synthetic import evaluation_lines, evaluations_json, verdict_line
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.synthetic import synthetic_of
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    found = synthetic_of(store, pilot_id, governing_playbook(store, playbook))
    if as_json:
        typer.echo(evaluations_json(pilot_id, found))
        return
    if not found:
        say(
            _(
                "No synthetic dataset of {pilot} evaluated yet. Evaluate one with "
                "`pilots synth evaluate {pilot} DATASET --real REAL.csv --synthetic SYNTH.csv`."
            ).format(pilot=pilot_id)
        )
        return
    for evaluation in found:
        for line in evaluation_lines(evaluation):
            say(line)
        say(f"  {verdict_line(evaluation)}")


@app.command()
def verify(
    pilot_id: Annotated[
        str | None, typer.Argument(help="Only this pilot's evaluations (default: all).")
    ] = None,
    as_json: JsonOption = False,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Hash the evaluated files again; a changed or missing one makes its evaluation stale.

    Staleness is recorded in the pilot's history, and the synthetic-data gate no longer counts
    that evaluation until the dataset is evaluated again. Exit 1 if a file changed, else 0.
    """
    from genai_pilots.render.console import say
    from genai_pilots.render.synthetic import check_lines, checks_json
    from genai_pilots.services.synthetic import verify_synthetic
    from genai_pilots.services.transactions import open_store

    checks = verify_synthetic(open_store(db), pilot_id, by=by)
    if as_json:
        typer.echo(checks_json(checks))
    else:
        for line in check_lines(checks):
            say(line)
    raise typer.Exit(1 if any(c.problem for c in checks) else 0)


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="synth")
