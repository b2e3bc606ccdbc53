"""``pilots validate``: check definition files, for people, pre-commit and CI."""

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from genai_pilots import settings
from genai_pilots.cli.language import english_for_machines


class OutputFormat(StrEnum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Definition files, or directories holding *.yaml / *.yml files."),
    ],
    output_format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format; github is chosen automatically when GITHUB_ACTIONS is set.",
            show_default="text",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    recursive: Annotated[
        bool, typer.Option("--recursive", "-r", help="Search directories recursively.")
    ] = False,
    playbook: Annotated[
        Path | None,
        typer.Option(
            "--playbook",
            help=settings.PLAYBOOK.option_help("Playbook whose gates claimed stages must pass."),
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only findings, no summary.")
    ] = False,
) -> None:
    """Check pilot definitions: YAML safety, schema, gates of the claimed stage, patient data.

    Exit code 0 when every file is valid, 1 when a file has errors (or warnings with
    --strict), 2 when the command cannot run (a path that does not exist).
    """
    from genai_pilots.render import findings as render
    from genai_pilots.render import wants_colour
    from genai_pilots.services.validation import validate_paths

    chosen = output_format or (
        OutputFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else OutputFormat.text
    )
    if chosen is not OutputFormat.text:
        english_for_machines(True)  # SARIF, JUnit, JSON and annotations are read by programs
    report = validate_paths(paths, recursive=recursive, playbook=playbook)
    if chosen is OutputFormat.text and not wants_colour():
        # Plain text needs no Rich: piped and CI runs start faster.
        lines = render.plain_lines(report.results)
        if not quiet:
            lines.append(render.summary(report.results))
        if lines:
            typer.echo("\n".join(lines))
    elif chosen is OutputFormat.text:
        from genai_pilots.render.console import stdout

        console = stdout()
        for line in render.text_lines(report.results):
            console.print(line)
        if not quiet:
            style = "error" if report.failed(strict=strict) else "ok"
            console.print(f"[{style}]{render.summary(report.results)}[/]")
    else:
        if chosen is OutputFormat.junit:
            text = render.to_junit(report.results, strict=strict)
        else:
            writer = {
                OutputFormat.json: render.to_json,
                OutputFormat.github: render.to_github,
                OutputFormat.sarif: render.to_sarif,
            }[chosen]
            text = writer(report.results)
        if text:
            typer.echo(text)
    raise typer.Exit(1 if report.failed(strict=strict) else 0)


def register(app: typer.Typer) -> None:
    """Add the command to the app."""
    app.command()(validate)
