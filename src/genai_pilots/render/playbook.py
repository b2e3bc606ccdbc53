"""A playbook as people read it: per gate, each criterion and what it asks."""

from __future__ import annotations

from rich.console import Group

from genai_pilots.domain.obligations import APPLIES_FROM
from genai_pilots.domain.playbook import Criterion, Playbook
from genai_pilots.domain.stages import STAGES
from genai_pilots.render.markup import escape

_NOT_ASKED = {"id", "kind", "says", "hint", "source", "when", "waivable", "required_by_law",
              "obligation", "early"}  # fmt: skip


def _asks(c: Criterion) -> str:
    params = c.model_dump(exclude=_NOT_ASKED, exclude_none=True)
    text = escape(", ".join(f"{k}={v}" for k, v in params.items()))
    if c.when is not None:
        text += f" [muted]when {escape(str(c.when.model_dump(exclude_none=True)))}[/]"
    if not c.can_be_waived:
        text += " [muted](never waived)[/]"
    return text


def basis(c: Criterion) -> str:
    """Law or policy, and for an AI Act duty the date it applies from (and if asked early)."""
    if c.obligation:
        dates = [d for d in (APPLIES_FROM[key] for key in c.obligation) if d is not None]
        when = f" from {min(dates)}" if dates else ""
        duties = ", ".join(c.obligation)
        early = "; asked now" if c.early else ""
        return f"law{when} ({duties}{early})"
    return "law" if c.required_by_law else "policy"


def legal_basis_markdown(playbook: Playbook) -> str:
    """The criteria as a Markdown table: gate, criterion, basis, source (for docs and FGs)."""
    rows = ["| gate | criterion | asks | basis | source |", "|---|---|---|---|---|"]
    for stage in STAGES:
        for c in playbook.gates.for_stage(stage.key):
            cells = (stage.key, f"`{c.id}`", c.says, basis(c), c.source or "")
            rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def playbook_view(playbook: Playbook, origin: str) -> Group:
    """Every gate's criteria, then the per-setting overrides, fitted to the terminal.

    Columns, most important first: the criterion (its id, never left out or cut, over what it
    says), what it asks, its basis in law or policy, its source and its kind; narrow, the text
    folds, then kind, source and basis are left out, in that order.
    """
    from genai_pilots.render.fit import Column, FittedTable

    parts: list[FittedTable | str] = [
        f"[bold]{escape(playbook.name)}[/] [muted]({escape(origin)})[/]",
    ]
    for stage in STAGES:
        criteria = playbook.gates.for_stage(stage.key)
        longest_id = max((len(c.id) for c in criteria), default=9)
        table = FittedTable(
            [
                Column("criterion", 0, narrowest=longest_id, widest=max(longest_id, 40), yields=9),
                Column("kind", 5),
                Column("asks", 1, narrowest=12),
                Column("basis", 3, narrowest=12),
                Column("source", 4, narrowest=12),
            ],
            title=f"gate out of {stage.key} — {stage.label}",
        )
        for c in criteria:
            table.add_row(
                f"{escape(c.id)}\n[muted]{escape(c.says)}[/]",
                c.kind,
                _asks(c),
                escape(basis(c)),
                escape(c.source or ""),
            )
        parts.extend(["", table])
    for setting, overrides in playbook.settings.items():
        for criterion, changes in overrides.items():
            parts.append(f"in {escape(setting)}: {escape(criterion)} with {escape(str(changes))}")
    return Group(*parts)
