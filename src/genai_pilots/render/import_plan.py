"""``pilots import``: the plan per pilot (create, update with its diff, unchanged) and a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_pilots.i18n import N_, _
from genai_pilots.render.markup import escape

ACTIONS = {"create": N_("create"), "update": N_("update"), "unchanged": N_("unchanged")}

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Console

    from genai_pilots.readmodels import ImportResult


def import_plan(result: ImportResult, console: Console) -> None:
    """Per pilot: create, update with its field-level diff, or unchanged; then a summary."""
    for p in result.planned:
        style = {"create": "ok", "update": "warning", "unchanged": "muted"}[p.action]
        action = _(ACTIONS[p.action])
        line = f"[{style}]{action:9}[/] {escape(p.pilot_id)} [muted]({escape(p.source)})[/]"
        if p.stage_to and p.action == "update":
            line += " " + _("stage {old} → {new}").format(old=p.stage_from, new=p.stage_to)
        elif p.stage_to and p.stage_to != "start-klein":
            line += " " + _("at stage {stage}").format(stage=p.stage_to)
        if p.note:
            line += f" [muted]— {escape(p.note)}[/]"
        if p.regating:
            line += " " + _("[error]re-opens governance ({fields})[/]").format(
                fields=escape(", ".join(p.regating))
            )
        console.print(line)
        for change in p.changes:
            console.print(
                f"    {escape(change.field)}: [error]{escape(repr(change.old))}[/] → "
                f"[ok]{escape(repr(change.new))}[/]"
            )
    said = (
        _("imported: {created} created, {updated} updated, {unchanged} unchanged")
        if result.applied
        else _(
            "would import (dry run, nothing stored): {created} created, {updated} updated, "
            "{unchanged} unchanged"
        )
    )
    console.print(
        said.format(
            created=result.count("create"),
            updated=result.count("update"),
            unchanged=result.count("unchanged"),
        )
    )
