"""``pilots publication set | show``: who publishes the register's pilots, and where to ask.

Named for what the settings are for (publishing to the Algoritmeregister), not ``settings``:
in this tool a *setting* is already a care setting (``--setting polikliniek``) and an
environment variable (``pilots --help``, Environment).
"""

from typing import Annotated

import typer

from genai_pilots.cli.options import ByOption, DbOption, JsonOption

app = typer.Typer(
    help="The organisation's name and general contact for Algoritmeregister publications, "
    "shared by everyone using the register."
)


@app.command("set")
def set_(
    key: Annotated[str, typer.Argument(help="organisation or contact.")],
    value: Annotated[
        str,
        typer.Argument(
            help="The organisation's full name; or a general e-mail address or https:// "
            "contact page (never a person's own)."
        ),
    ],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why; recorded in the register's history.")
    ] = None,
    by: ByOption = None,
    db: DbOption = None,
) -> None:
    """Set the organisation or the contact for publications (admins only; recorded)."""
    from genai_pilots.i18n import _
    from genai_pilots.render.console import say
    from genai_pilots.services.register_settings import set_register_setting
    from genai_pilots.services.transactions import open_store

    store = open_store(db, create=True)
    setting, changed = set_register_setting(store, key, value, by=by, reason=reason)
    if changed:
        say(
            _("{key} is now {value} (recorded in the register's history)").format(
                key=setting.key, value=setting.value
            )
        )
    else:
        say(
            _("{key} is already {value}; nothing was changed").format(
                key=setting.key, value=setting.value
            )
        )


@app.command()
def show(as_json: JsonOption = False, db: DbOption = None) -> None:
    """The publication settings, who set them and when."""
    from genai_pilots.render.console import say
    from genai_pilots.render.publication import settings_json, settings_lines
    from genai_pilots.services.register_settings import register_settings
    from genai_pilots.services.transactions import open_store

    settings = register_settings(open_store(db))
    if as_json:
        typer.echo(settings_json(settings))
        return
    for line in settings_lines(settings):
        say(line)


def register(root: typer.Typer) -> None:
    """Add the group to the app."""
    root.add_typer(app, name="publication")
