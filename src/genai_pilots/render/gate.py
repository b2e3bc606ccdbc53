"""``pilots gate``: a gate's checklist, its title and its JSON; also what a refused change shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from genai_pilots.domain.gates import GateResult
from genai_pilots.domain.stages import stage
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape, json_text, tagged

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Console
    from rich.table import Table


def gate_checklist(gate: GateResult) -> Table:
    """Each criterion of a gate: met or not, why, what to do, and where the rule comes from."""
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(width=2)
    table.add_column(overflow="fold")
    for r in gate.results:
        if not r.applies:
            said = _("{says} (does not apply)").format(says=escape(r.says))
            table.add_row("[muted]–[/]", f"[muted]{said}[/]")
            continue
        mark = "[ok]✓[/]" if r.met else "[warning]…[/]" if r.pending else "[error]✗[/]"
        source = f" [muted]({escape(r.source)})[/]" if r.source else ""
        text = f"{escape(r.says)} [muted]\\[{r.id}][/]{source}\n  [muted]{escape(r.detail)}[/]"
        if not r.met:
            text += f"\n  [hint]→ {escape(r.hint)}[/]"
        table.add_row(mark, text)
    return table


def gate_title(pilot_id: str, gate: GateResult) -> str:
    """``Gate out of governance (Sterke governance): 9/12 met``."""
    met, total = gate.score
    state = tagged("ok", _("met"), True) if gate.met else tagged("error", _("not met"), True)
    label = stage(gate.stage).label
    return _("{pilot}: gate out of {stage} ({label}) — {met}/{total}, {state}").format(
        pilot=escape(pilot_id), stage=gate.stage, label=label, met=met, total=total, state=state
    )


def print_gate(console: Console, pilot_id: str, gate: GateResult) -> None:
    """A gate's title and checklist: what ``gate`` shows, and what a refused change names."""
    console.print(gate_title(pilot_id, gate))
    console.print(gate_checklist(gate))


def gate_json(pilot_id: str, gate: GateResult) -> str:
    """A gate for scripts."""
    return json_text(
        {
            "pilot": pilot_id,
            "stage": gate.stage,
            "met": gate.met,
            "criteria": [
                {"id": r.id, "says": r.says, "met": r.met, "applies": r.applies,
                 "blocks": r.blocks, "pending": r.pending,
                 "law_from": r.law_from.isoformat() if r.law_from else None,
                 "detail": r.detail, "hint": r.hint, "source": r.source}
                for r in gate.results
            ],
        }
    )  # fmt: skip
