"""``pilots schema``: the JSON Schema of a pilot definition, for editors and other validators."""

import typer


def schema() -> None:
    """Print the JSON Schema of a pilot definition.

    Point your editor at it with a modeline on the first line of a definition:
    # yaml-language-server: $schema=path/to/pilot.schema.json
    """
    from genai_pilots.render.schema import schema_json
    from genai_pilots.services.schema import definition_schema

    typer.echo(schema_json(definition_schema()))


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(schema)
