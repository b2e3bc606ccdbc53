"""A playbook as people read it: per gate, each criterion and what it asks."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table

from genai_pilots.domain.playbook import Criterion, Playbook
from genai_pilots.domain.stages import STAGES


def _asks(c: Criterion) -> str:
    params = c.model_dump(
        exclude={"id", "kind", "says", "hint", "source", "when"}, exclude_none=True
    )
    text = escape(", ".join(f"{k}={v}" for k, v in params.items()))
    if c.when is not None:
        text += f" [muted]when {escape(str(c.when.model_dump(exclude_none=True)))}[/]"
    return text


def playbook_view(playbook: Playbook, origin: str) -> Group:
    """Every gate's criteria, then the per-setting overrides."""
    parts: list[Table | str] = [
        f"[bold]{escape(playbook.name)}[/] [muted]({escape(origin)})[/]",
    ]
    for stage in STAGES:
        table = Table(title=f"gate out of {stage.key} — {stage.label}", box=box.SIMPLE_HEAD,
                      title_justify="left", show_edge=False, pad_edge=False)  # fmt: skip
        for header in ("criterion", "kind", "asks", "source"):
            table.add_column(header, overflow="fold")
        for c in playbook.gates.for_stage(stage.key):
            table.add_row(
                f"{escape(c.id)}\n[muted]{escape(c.says)}[/]",
                c.kind,
                _asks(c),
                escape(c.source or ""),
            )
        parts.append(table)
    for setting, overrides in playbook.settings.items():
        for criterion, changes in overrides.items():
            parts.append(f"in {escape(setting)}: {escape(criterion)} with {escape(str(changes))}")
    return Group(*parts)
