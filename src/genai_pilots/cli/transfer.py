"""``pilots import | export``: definition files in git ⇄ the register."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from genai_pilots import settings
from genai_pilots.cli.options import ByOption, DbOption, PlaybookOption, means_stdout

PROGRESS_FROM = 200  # files; below this an import is quick enough to need no bar


def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="Definition files, or directories holding them.")
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the plan (create / update / unchanged).")
    ] = False,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Search directories recursively.")
    ] = False,
    by: ByOption = None,
    playbook: PlaybookOption = None,
    db: DbOption = None,
) -> None:
    """Import definition files into the register: all of them, or nothing.

    Every file is validated first (as `pilots validate` does: its warnings are shown too); if
    any has errors nothing is stored. Pilots are matched by id; unchanged files change and
    record nothing.
    """
    from contextlib import ExitStack

    from genai_pilots.i18n import _
    from genai_pilots.render.console import stderr, stdout
    from genai_pilots.render.findings import text_lines
    from genai_pilots.render.import_plan import import_plan
    from genai_pilots.services.importing import ImportRejected, import_paths
    from genai_pilots.services.transactions import open_store

    store = open_store(db, create=True)
    with ExitStack() as stack:
        progress = None
        if stderr().is_terminal and not dry_run:
            from rich.progress import Progress

            bar = stack.enter_context(Progress(console=stderr(), transient=True))
            task = bar.add_task(_("importing"), total=None)

            def progress(done: int, total: int) -> None:
                if total >= PROGRESS_FROM:
                    bar.update(task, completed=done, total=total)

        try:
            result = import_paths(
                store, paths, dry_run=dry_run, by=by, recursive=recursive, playbook=playbook,
                progress=progress,
            )  # fmt: skip
        except ImportRejected as rejected:
            for line in text_lines(rejected.report.results):
                stdout().print(line)
            raise
    for line in text_lines(result.report.results):  # warnings, as validate shows them
        stdout().print(line)
    import_plan(result, stdout())


class ExportFormat(StrEnum):
    """What ``export`` writes."""

    yaml = "yaml"
    algoritmeregister = "algoritmeregister"


def export(
    ctx: typer.Context,
    pilot_ids: Annotated[
        list[str] | None, typer.Argument(help="Pilots to export; all when none are named.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Directory for <id>.yaml files (yaml) or the JSON file."
        ),
    ] = None,
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="yaml: definitions that import back; algoritmeregister: JSON for publication.",
        ),
    ] = ExportFormat.yaml,
    organisation: Annotated[
        str | None,
        typer.Option(
            "--organisation",
            envvar=settings.ORGANISATION.env,
            help=settings.ORGANISATION.option_help(
                "Organisation name for this Algoritmeregister export, instead of the "
                "register's (`pilots publication set organisation ...`)."
            ),
            show_default=False,
            show_envvar=False,  # the help names it already
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite files in the -o folder that say something else."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Export pilots as definition files, or as Algoritmeregister records.

    YAML definitions import back to the same stage and outcome. Algoritmeregister JSON holds
    one record per pilot in the publication standard v1.0, each checked against it first: a
    record the register would refuse is named and nothing is written.
    """
    from genai_pilots.errors import UsageError
    from genai_pilots.i18n import _, ngettext
    from genai_pilots.render.console import say
    from genai_pilots.render.yamltext import definition_yaml
    from genai_pilots.services.exporting import (
        check_output_dir,
        export_pilots,
        write_atomically,
        write_definitions,
    )
    from genai_pilots.services.transactions import open_store

    if means_stdout(output):
        output = None  # written to stdout, as without -o
    given = ctx.get_parameter_source("organisation")
    typed = given is not None and given.name == "COMMANDLINE"
    if organisation is not None and typed and export_format is not ExportFormat.algoritmeregister:
        raise UsageError(_("--organisation is for --format algoritmeregister only"),
                         hint=_("drop it, or add --format algoritmeregister"))  # fmt: skip
    if export_format is ExportFormat.algoritmeregister:
        from genai_pilots.render.algoritmeregister import algoritmeregister_json, finding_lines
        from genai_pilots.render.console import stderr
        from genai_pilots.services.algoritmeregister import (
            RecordsRefused,
            algoritmeregister_records,
        )

        try:
            publication = algoritmeregister_records(
                open_store(db), pilot_ids or [], organisation=organisation
            )
        except RecordsRefused as refused:
            for line in finding_lines(refused.findings):
                stderr().print(line, markup=False, highlight=False)
            raise
        records = publication.records
        if organisation:
            where = "--organisation" if typed else settings.ORGANISATION.env
            stderr().print(_("organisation from {where}, not the register's setting: "
                             "{organisation}").format(where=where, organisation=organisation),
                           markup=False, highlight=False)  # fmt: skip
        if publication.unclassified:
            stderr().print(
                _("left out, their AI Act classification is open (`pilots classify`): {pilots}")
                .format(pilots=", ".join(publication.unclassified)),
                markup=False, highlight=False,
            )  # fmt: skip
        text = algoritmeregister_json(records)
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomically(output, text)
            say(
                ngettext(
                    "wrote {count} Algoritmeregister record to {file}",
                    "wrote {count} Algoritmeregister records to {file}",
                    len(records),
                ).format(count=len(records), file=output)
            )
        return
    from genai_pilots.services.verified import require_verified

    if output is not None:
        check_output_dir(output)
    store = open_store(db)
    require_verified(store, pilot_ids or [], "an export is made")
    exported = export_pilots(store, pilot_ids or [])
    _say_what_files_cannot_carry(store, exported)
    if output is None:
        sys.stdout.write("---\n".join(definition_yaml(p.data) for p in exported))
        return
    written, same = write_definitions(output, exported, definition_yaml, overwrite=force)
    shown = ", ".join(p.name for p in written[:10]) + (" ..." if len(written) > 10 else "")
    message = ngettext(
        "exported {count} pilots to {folder}: {written} written",
        "exported {count} pilots to {folder}: {written} written",
        len(exported),
    ).format(count=len(exported), folder=output, written=len(written))
    message += f" ({shown})" if written else ""
    if same:
        message += _(", {count} already the same").format(count=len(same))
    say(message)


def _say_what_files_cannot_carry(store: Any, exported: list[Any]) -> None:
    """Tell on stderr what a definition file cannot carry (waivers, a review, the playbook)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import stderr
    from genai_pilots.services.playbook_storage import stored_playbook

    notes = [note for pilot in exported for note in pilot.notes]
    if stored_playbook(store) is not None:
        notes.append(_("the register's own playbook is not in the files: store it in the other "
                       "register with `pilots playbook set`"))  # fmt: skip
    for note in notes:
        stderr().print(_("note: {note}").format(note=note), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("import")(import_)
    app.command()(export)
