"""``pilots import``: the plan per pilot (create, update with its diff, unchanged) and a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_pilots.render.markup import escape

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Console

    from genai_pilots.readmodels import ImportResult


def import_plan(result: ImportResult, console: Console) -> None:
    """Per pilot: create, update with its field-level diff, or unchanged; then a summary."""
    for p in result.planned:
        style = {"create": "ok", "update": "warning", "unchanged": "muted"}[p.action]
        line = f"[{style}]{p.action:9}[/] {escape(p.pilot_id)} [muted]({escape(p.source)})[/]"
        if p.stage_to and p.action == "update":
            line += f" stage {p.stage_from} → {p.stage_to}"
        elif p.stage_to and p.stage_to != "start-klein":
            line += f" at stage {p.stage_to}"
        if p.note:
            line += f" [muted]— {escape(p.note)}[/]"
        if p.regating:
            line += f" [error]re-opens governance ({escape(', '.join(p.regating))})[/]"
        console.print(line)
        for change in p.changes:
            console.print(
                f"    {escape(change.field)}: [error]{escape(repr(change.old))}[/] → "
                f"[ok]{escape(repr(change.new))}[/]"
            )
    verb = "imported" if result.applied else "would import (dry run, nothing stored)"
    console.print(
        f"{verb}: {result.count('create')} created, {result.count('update')} updated, "
        f"{result.count('unchanged')} unchanged"
    )
