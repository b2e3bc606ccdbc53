"""``pilots people add | list | remove``: who may act in the register, in which roles."""

from typing import Annotated

import typer

from genai_pilots.cli.options import ByOption, DbOption, JsonOption, ReasonOption

app = typer.Typer(
    help="The register's directory: logins, names and roles. Empty: a single user's register."
)

LoginArg = Annotated[
    str, typer.Argument(help="Their login: the PostgreSQL role they connect as, or OS login.")
]


@app.command()
def add(
    login: LoginArg,
    name: Annotated[str, typer.Option("--name", help="Their full name.")],
    email: Annotated[str, typer.Option("--email", help="Their e-mail address.")],
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role", help="A role they hold (repeat for more): the playbook's, or admin."
        ),
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Add someone to the directory, or change their name, e-mail or roles (admins only)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.people import add_person
    from genai_pilots.services.playbooks import governing_playbook
    from genai_pilots.services.transactions import open_store

    store = open_store(db, create=True)
    person = add_person(
        store, login, name=name, email=email, roles=role or [],
        playbook=governing_playbook(store), by=by,
    )  # fmt: skip
    roles = ", ".join(sorted(person.roles)) or _("no roles")
    say(
        _("{login} ({name}) is in the directory: {roles}").format(
            login=person.login, name=person.name, roles=roles
        )
    )


@app.command("list")
def list_(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Everyone in the directory, with their roles."""
    from genai_pilots.render.console import show
    from genai_pilots.render.people import people_json, people_table
    from genai_pilots.services.people import people
    from genai_pilots.services.transactions import open_store

    found = people(open_store(db))
    if as_json:
        typer.echo(people_json(found))
        return
    show(people_table(found))


@app.command()
def remove(login: LoginArg, reason: ReasonOption, by: ByOption = None, db: DbOption = None) -> None:
    """Take someone out of the directory (admins only; the directory keeps an admin)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.people import remove_person
    from genai_pilots.services.transactions import open_store

    remove_person(open_store(db), login, reason=reason, by=by)
    say(_("{login} is no longer in the directory").format(login=login))


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="people")
