"""``pilots evidence add | list | withdraw | verify``: the documents behind gate criteria."""

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
)

app = typer.Typer(
    help="Evidence behind gate criteria: a document's SHA-256 and place, or a link; re-checked "
    "with `verify`. The register keeps no documents."
)

PilotArg = Annotated[str, typer.Argument(help="The pilot's id.")]
NumberArg = Annotated[
    int, typer.Argument(help="The evidence's number, as `pilots evidence list` shows it.", min=1)
]


@app.command()
def add(
    pilot_id: PilotArg,
    criterion: Annotated[str, typer.Argument(help="The criterion id, as `pilots gate` shows it.")],
    document: Annotated[
        str,
        typer.Argument(
            help="The document's path (hashed now, left where it is) or an http(s) link.",
            metavar="FILE|URL",
        ),
    ],
    valid_until: Annotated[
        str | None,
        typer.Option(
            "--valid-until",
            help=f"Last day it counts ({DAY_FORMS}); default: for good.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A remark kept with it.")] = None,
    stage: Annotated[
        str | None,
        typer.Option("--stage", help="The gate's stage, when the criterion is in several."),
    ] = None,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Record a document or link as evidence for a criterion of the pilot's playbook."""
    from genai_pilots import i18n
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.evidence import add_evidence
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    entry = add_evidence(
        store, pilot_id, criterion, document, governing_playbook(store, playbook), stage=stage,
        valid_until=day_given(valid_until, "--valid-until") if valid_until else None,
        note=note, by=by,
    )  # fmt: skip
    what = (
        _("link {url}").format(url=entry.location)
        if entry.is_link
        else _("{file} ({size} bytes, sha256 {sha256})").format(
            file=entry.location, size=i18n.number(entry.size or 0, ","), sha256=entry.sha256
        )
    )
    fields = {"number": entry.number, "pilot": pilot_id, "criterion": criterion,
              "stage": entry.stage, "what": what}  # fmt: skip
    if entry.valid_until:
        say(
            _(
                "evidence {number} of {pilot} for {criterion} ({stage}): {what}, valid until "
                "{until}"
            ).format(**fields, until=i18n.day(entry.valid_until))
        )
    else:
        say(_("evidence {number} of {pilot} for {criterion} ({stage}): {what}").format(**fields))


@app.command("list")
def list_(pilot_id: PilotArg, as_json: JsonOption = False, db: DbOption = None) -> None:
    """A pilot's evidence by number: criterion, document or link, and whether it still counts."""
    from genai_pilots.render.console import show
    from genai_pilots.render.evidence import evidence_json, evidence_table
    from genai_pilots.services.evidence import evidence_of
    from genai_pilots.services.transactions import open_store

    entries = evidence_of(open_store(db), pilot_id)
    if as_json:
        typer.echo(evidence_json(pilot_id, entries))
    else:
        show(evidence_table(entries, pilot_id))


@app.command()
def withdraw(
    pilot_id: PilotArg, number: NumberArg, reason: ReasonOption, by: ByOption = None,
    db: DbOption = None,
) -> None:  # fmt: skip
    """Withdraw evidence (wrong, or replaced): it stays on record, marked, and no longer counts."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.evidence import withdraw_evidence
    from genai_pilots.services.transactions import open_store

    entry = withdraw_evidence(open_store(db), pilot_id, number, reason=reason, by=by)
    say(
        _("withdrew evidence {number} of {pilot} ({criterion}: {name})").format(
            number=entry.number, pilot=pilot_id, criterion=entry.criterion, name=entry.name
        )
    )


@app.command()
def verify(
    pilot_id: Annotated[
        str | None, typer.Argument(help="Only this pilot's evidence (default: all).")
    ] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Hash every document again: exit 1 if one changed, is missing or expired, else 0.

    A link is checked for its expiry only: the register fetches nothing.
    """
    from genai_pilots.render.console import say
    from genai_pilots.render.evidence import check_lines, checks_json
    from genai_pilots.services.evidence import verify_evidence
    from genai_pilots.services.transactions import open_store

    checks = verify_evidence(open_store(db), pilot_id)
    if as_json:
        typer.echo(checks_json(checks))
    else:
        for line in check_lines(checks):
            say(line)
    raise typer.Exit(1 if any(c.problem is not None for c in checks) else 0)


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="evidence")
