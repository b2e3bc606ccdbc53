"""``pilots db upgrade | current | info | check | backup | dump | restore | copy | roles``."""

from pathlib import Path
from typing import Annotated

import typer

from genai_pilots.cli.options import DbOption, JsonOption

app = typer.Typer(help="The register's database: schema migrations and location.")


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Migrate the store to this version's schema (done automatically on first use)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.database import upgrade_store

    before, after = upgrade_store(db)
    if before == after:
        say(_("already at schema revision {revision}").format(revision=after))
    elif before:
        say(
            _("upgraded from {before} to schema revision {revision}").format(
                before=before, revision=after
            )
        )
    else:
        say(_("upgraded from empty to schema revision {revision}").format(revision=after))


@app.command()
def current(db: DbOption = None) -> None:
    """Print the store's schema revision (and whether it is this version's)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.database import describe_store

    info = describe_store(db)
    state = (
        _("up to date")
        if info.revision == info.head
        else _("this version expects {revision}").format(revision=info.head)
    )
    revision = info.revision or _("empty (no schema yet)")
    say(f"{revision} ({state})")


@app.command()
def info(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Where the store is, which engine, schema revision and size (never a password)."""
    import json

    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.database import describe_store

    details = describe_store(db)
    if as_json:  # for scripts: `jq -r .file` finds the SQLite file in any language
        typer.echo(json.dumps({
            "url": details.url, "engine": details.backend,
            "file": None if details.path is None else str(details.path),
            "revision": details.revision, "head": details.head,
            "pilots": details.pilots, "events": details.events,
        }, indent=2))  # fmt: skip
        return
    revision = _("{revision} (this version: {head})").format(
        revision=details.revision or _("empty"), head=details.head
    )
    rows = [
        (_("url"), details.url),
        (_("engine"), details.backend),
        *([(_("file"), details.path)] if details.path is not None else []),
        (_("revision"), revision),
        (_("pilots"), details.pilots),
        (_("events"), details.events),
    ]
    width = max(len(label) for label, _value in rows) + 2  # the values in one column
    for label, value in rows:
        say(f"{label + ':':<{width}}{value}")


@app.command()
def check(db: DbOption = None) -> None:
    """Run the engine's integrity check and verify every history (exit 1 if anything is wrong)."""
    from rich.markup import escape

    from genai_pilots.i18n import _
    from genai_pilots.render.audit import broken_chain_lines
    from genai_pilots.render.console import stdout
    from genai_pilots.services.audit_pass import check_quickly

    result = check_quickly(db)  # all well, without loading SQLAlchemy
    if result is None:
        from genai_pilots.services.database import check_store

        result = check_store(db)
    console = stdout()
    for problem in result.engine_problems:
        label = _("store")
        console.print(f"[error]{label}[/]: {escape(problem)}")
    for line in broken_chain_lines(result.audit.broken):
        console.print(line)
    verdict = "[ok]" + _("ok") + "[/]" if result.ok else "[error]" + _("problems found") + "[/]"
    audit = result.audit
    console.print(
        _("integrity check and {pilots} histories ({events} events): {verdict}").format(
            pilots=audit.pilots, events=audit.events, verdict=verdict
        )
    )
    raise typer.Exit(0 if result.ok else 1)


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="The new backup file (it must not exist).")],
    db: DbOption = None,
) -> None:
    """Copy the SQLite store with SQLite's online backup (safe while others use it)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.database import backup_store

    written = backup_store(target, db)
    say(
        _("backed up to {file}; restore by copying it over the store file (see README)").format(
            file=written
        )
    )


@app.command()
def dump(
    target: Annotated[
        Path, typer.Argument(help="The dump file to write (replaced atomically); - for stdout.")
    ],
    db: DbOption = None,
) -> None:
    """Write the whole register, history and hashes included, as one portable file.

    JSON Lines (docs/dump-format.md), from one snapshot: `pilots db restore` loads it into an
    empty store on either engine. It holds people's names: keep it as you keep the store.
    """
    import contextlib
    import io
    import sys

    from genai_pilots.errors import UsageError
    from genai_pilots.i18n import _
    from genai_pilots.render.archive import moved, progress_bar
    from genai_pilots.render.console import say, stderr
    from genai_pilots.services.archive import dump_file, dump_to
    from genai_pilots.services.transactions import open_store

    store = open_store(db)
    if str(target) == "-":
        sys.stdout.flush()
        utf8 = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:  # UTF-8 whatever the locale: the format says so
            result = dump_to(store, utf8)
            utf8.flush()
        except BrokenPipeError:
            raise UsageError(_("the dump's reader stopped before the dump was complete")) from None
        finally:
            with contextlib.suppress(OSError, ValueError):
                utf8.detach()  # stdout stays open for what follows
        stderr().print(_("dumped {what}").format(what=moved(result)), markup=False, highlight=False)
        return
    with progress_bar(stderr().is_terminal) as progress:
        result = dump_file(store, target, progress)
    say(
        _("dumped {what} (schema {revision}) to {file}").format(
            what=moved(result), revision=result.schema_revision, file=target
        )
    )


@app.command()
def restore(
    source: Annotated[
        Path, typer.Argument(help="A file written by `pilots db dump`; - for stdin.")
    ],
    db: DbOption = None,
) -> None:
    """Load a dump into an empty store: every row, every chain verified, or nothing.

    One transaction: a line that is not a dump line (exit 2) or a chain that does not verify
    (exit 1) rolls it all back and names the line, or the pilot and event.
    """
    import sys

    from genai_pilots.i18n import _
    from genai_pilots.render.archive import checked, moved, progress_bar
    from genai_pilots.render.audit import broken_chain_lines
    from genai_pilots.render.console import say, stderr
    from genai_pilots.services.archive import DumpDoesNotVerify, restore_file, restore_from

    with progress_bar(stderr().is_terminal) as progress:
        try:
            if str(source) == "-":
                result = restore_from(db, sys.stdin.buffer, "<stdin>", progress)
            else:
                result = restore_file(db, source, progress)
        except DumpDoesNotVerify as refused:
            for line in broken_chain_lines(refused.broken):
                stderr().print(line)
            raise
    say(
        _("restored {what} from {file}{checked}").format(
            what=moved(result), file=source, checked=checked(result)
        )
    )


@app.command()
def copy(
    to: Annotated[
        str,
        typer.Option(
            "--to",
            help="The empty store to copy into: sqlite:///FILE or postgresql+psycopg://...",
            show_default=False,
        ),
    ],
    db: DbOption = None,
) -> None:
    """Copy the whole register into an empty store, e.g. SQLite to PostgreSQL, verified.

    The same stream as dump and restore, without a file: one transaction on the target,
    committed only when every chain verifies there.
    """
    from genai_pilots.i18n import _
    from genai_pilots.render.archive import checked, moved, progress_bar
    from genai_pilots.render.audit import broken_chain_lines
    from genai_pilots.render.console import say, stderr
    from genai_pilots.services.archive import DumpDoesNotVerify, copy_store, describe_target

    with progress_bar(stderr().is_terminal) as progress:
        try:
            result = copy_store(db, to, progress)
        except DumpDoesNotVerify as refused:
            for line in broken_chain_lines(refused.broken):
                stderr().print(line)
            raise
    say(
        _("copied {what} to {target}{checked}").format(
            what=moved(result), target=describe_target(to), checked=checked(result)
        )
    )


@app.command()
def roles(
    db: DbOption = None,
    sql: Annotated[
        bool, typer.Option("--sql", help="Print the SQL instead of running it (for psql).")
    ] = False,
) -> None:
    """Create the PostgreSQL group roles and their grants (idempotent; see README)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.database import database_roles

    statements = database_roles(db, dry_run=sql)
    if sql:
        typer.echo("".join(f"{statement};\n" for statement in statements), nl=False)
        return
    say(
        _(
            "roles pilots_reader, pilots_editor, pilots_approver and pilots_admin are set up; "
            "grant one to a login with: GRANT pilots_editor TO alice;"
        )
    )


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="db")
