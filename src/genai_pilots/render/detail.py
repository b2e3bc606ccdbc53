"""``pilots show``: one pilot's summary, current gate, review, approvals, waivers, history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genai_pilots import clock
from genai_pilots.render.gate import gate_checklist, gate_title
from genai_pilots.render.history import history_table
from genai_pilots.render.markup import escape, when
from genai_pilots.render.portfolio import progress_marker

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Group

    from genai_pilots.readmodels import PilotDetail


def detail_view(detail: PilotDetail) -> Group:
    """``pilots show``: summary, current gate, approvals and recent history."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    from genai_pilots.render.classification import classification_line

    row, definition = detail.pilot, detail.definition
    facts = definition.governance.ai_act
    summary = Table(box=None, show_header=False, pad_edge=False)
    summary.add_column(style="muted")
    summary.add_column(overflow="fold")
    lines: list[tuple[str, str]] = [
        ("name", escape(row.name)),
        ("setting", f"{escape(row.setting)} — {escape(row.department)}"),
        ("owner", f"{escape(definition.owner.name)} <{escape(definition.owner.email)}>"),
        ("stage", progress_marker(row.stage, row.outcome, row.paused)),
        ("risk class", escape(row.risk_class or "not declared")),
        ("AI Act", escape(classification_line(facts))),
        ("scope", escape(definition.start_klein.scope or "-")),
        ("value", escape(definition.start_klein.value_hypothesis or "-")),
        ("KPIs", escape(", ".join(f"{k.id} ({k.baseline:g} → {k.target:g} {k.unit})"
                                  for k in definition.start_klein.kpis) or "-")),
        ("entered stage", when(row.stage_entered_at)),
    ]  # fmt: skip
    for label, value in lines:
        summary.add_row(label, value)
    parts: list[Any] = [Panel(summary, title=f"[bold]{escape(row.id)}[/]", box=box.ROUNDED)]
    if detail.gate is not None:
        parts.append(Panel(gate_checklist(detail.gate), title=gate_title(row.id, detail.gate)))
    if row.review_since is not None and detail.review is not None:
        left = detail.review.failing
        needs = ", ".join(r.id for r in left) if left else "nothing: it closes on the next step"
        parts.append(
            Panel(
                Group(
                    Text.from_markup(
                        f"[error]governance review needed[/] since {when(row.review_since)}: "
                        "its governance facts changed, so the whole governance gate must pass "
                        f"again on the new facts, with fresh approvals. Still needed: "
                        f"{escape(needs)}."
                    ),
                    gate_checklist(detail.review),
                ),
                title="governance review",
                box=box.ROUNDED,
            )
        )
    claims = definition.governance.approvals
    if claims or detail.approvals:
        approvals = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for header in ("role", "by", "when", "status"):
            approvals.add_column(header)
        for a in detail.approvals:
            status = (
                f"[muted]revoked {when(a.revoked_at)}[/]"
                if a.revoked_at
                else f"[ok]recorded[/] for {a.stage}"
            )
            approvals.add_row(escape(a.role), escape(a.given_by), when(a.at), status)
        for c in claims:
            approvals.add_row(
                escape(c.role), escape(c.by), c.date.isoformat(),
                "[warning]claimed in YAML[/] (not counted; record it with pilots approve)",
            )  # fmt: skip
        parts.append(Panel(approvals, title="approvals"))
    if detail.waivers:
        waivers = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for header in ("criterion", "stage", "until", "by", "reason", "status"):
            waivers.add_column(header)
        today = clock.today()
        for w in detail.waivers:
            if w.revoked_at is not None:
                status = f"[muted]superseded {when(w.revoked_at)}[/]"
            elif w.until < today:
                status = "[muted]expired[/]"
            else:
                status = "[warning]in force: needs attention[/]"
            by = escape(w.by) + (f" ({escape(w.role)})" if w.role else "")
            waivers.add_row(
                escape(w.criterion), w.stage, w.until.isoformat(), by, escape(w.reason), status
            )
        parts.append(Panel(waivers, title="waivers"))
    parts.append(history_table(detail.events, title="recent history"))
    return Group(*parts)
