"""Rich views of the register: portfolio, gate checklist, pilot detail, history, import plan."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_pilots import clock
from genai_pilots.domain.audit import format_utc, utc
from genai_pilots.domain.events import MOVES, EventKind
from genai_pilots.domain.gates import GateResult
from genai_pilots.domain.stages import STAGES, stage, stage_key

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Console, Group
    from rich.table import Table

    from genai_pilots.readmodels import (
        AdvanceResult,
        HistoryEvent,
        ImportResult,
        PilotDetail,
        PilotSummary,
        Portfolio,
    )

_RISK_STYLE = {"prohibited": "bold red", "high": "red", "limited": "yellow", "minimal": "green"}


when = format_utc


def escape(text: str) -> str:
    """Rich's markup escape, imported on first use: piped output never loads Rich."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _tagged(style: str, text: str, markup: bool) -> str:
    return f"[{style}]{text}[/]" if markup else text


def progress_marker(current: str, outcome: str | None, paused: bool, *, markup: bool = True) -> str:
    """Five steps, filled up to the current stage: ``●●○○○ governance``."""
    if outcome is not None:
        style = "ok" if outcome == "scaled" else "error"
        return f"{_tagged(style, '●●●●●', markup)} {_tagged(style, outcome, markup)}"
    order = stage(stage_key(current)).order
    dots = "●" * order + "○" * (len(STAGES) - order)
    return f"{dots} {current}" + (" " + _tagged("warning", "(paused)", markup) if paused else "")


def funnel_line(portfolio: Portfolio) -> str:
    """Pilots per stage, then how many ended each way."""
    stages = " → ".join(f"{key} {portfolio.funnel[key]}" for key in (s.key for s in STAGES))
    return (
        f"{portfolio.total} pilots: {stages} | "
        f"scaled {portfolio.funnel['scaled']} · stopped {portfolio.funnel['stopped']}"
    )


def portfolio_table(portfolio: Portfolio) -> Table:
    """The portfolio: one row per pilot with its stage, readiness and first blocker.

    Related facts share a cell (id over name, setting over owner) so the table stays
    readable in an 80-column terminal.
    """
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    longest_id = min(max((len(p.id) for p in portfolio.pilots), default=8), 40)
    longest_setting = max((len(p.setting) for p in portfolio.pilots), default=8)
    table.add_column("pilot", overflow="fold", min_width=longest_id, max_width=longest_id)
    table.add_column(
        "setting / owner", overflow="fold", min_width=longest_setting, max_width=longest_setting
    )
    table.add_column("stage", no_wrap=True)
    table.add_column("gate", no_wrap=True, justify="right")
    table.add_column("first blocker", overflow="fold", min_width=14, max_width=28)
    table.add_column("risk", no_wrap=True)
    table.add_column("activity", no_wrap=True)
    for p in portfolio.pilots:
        table.add_row(*_portfolio_cells(p))
    return table


def _portfolio_cells(p: PilotSummary) -> list[str]:
    gate = "" if p.outcome else f"{p.gate_met}/{p.gate_total}"
    if not p.outcome and p.gate_met == p.gate_total:
        gate = f"[ok]{gate} ✓[/]"
    risk = p.risk_class or "-"
    marker, _, label = progress_marker(p.stage, p.outcome, p.paused).partition(" ")
    if p.review_needed:
        label += "\n[error]review needed[/]"
    return [
        f"[bold]{escape(p.id)}[/]\n[muted]{escape(p.name)}[/]",
        f"{escape(p.setting)}\n[muted]{escape(p.owner)}[/]",
        f"{marker}\n{label}",
        gate,
        escape(p.blocker or ""),
        f"[{_RISK_STYLE.get(risk, 'muted')}]{risk}[/]",
        p.last_activity.date().isoformat(),
    ]


def portfolio_json(portfolio: Portfolio) -> str:
    """The portfolio for scripts."""
    return json.dumps(
        {
            "total": portfolio.total,
            "shown": len(portfolio.pilots),
            "funnel": portfolio.funnel,
            "pilots": [_summary_json(p) for p in portfolio.pilots],
            "overrides": [
                {"pilot": o.pilot_id, "at": o.at.isoformat(), "by": o.actor, "from": o.from_stage,
                 "to": o.to, "failing": o.failing, "reason": o.reason}
                for o in portfolio.overrides
            ],
            "waivers": [
                {"pilot": w.pilot_id, "criterion": w.criterion, "until": w.until.isoformat(),
                 "by": w.by, "role": w.role, "expiring": w.expiring}
                for w in portfolio.waivers
            ],
            "expiring_waivers": [
                {"pilot": w.pilot_id, "criterion": w.criterion, "until": w.until.isoformat(),
                 "by": w.by}
                for w in portfolio.expiring_waivers
            ],
            "playbook_warnings": portfolio.playbook_warnings,
        },
        indent=2,
        ensure_ascii=False,
    )  # fmt: skip


def _summary_json(p: PilotSummary) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "setting": p.setting,
        "owner": p.owner,
        "stage": p.stage,
        "outcome": p.outcome,
        "paused": p.paused,
        "risk_class": p.risk_class,
        "gate": {"met": p.gate_met, "total": p.gate_total},
        "blocker": p.blocker,
        "review_needed": p.review_needed,
        "unrecorded_approvals": list(p.unrecorded_approvals),
        "last_activity": p.last_activity.isoformat(),
    }


def attention_lines(portfolio: Portfolio, *, markup: bool = True) -> list[str]:
    """Overrides, waivers in force, a playbook weaker than the law, re-opened governance."""

    def tag(style: str, text: str) -> str:
        return _tagged(style, text, markup)

    def esc(text: str) -> str:
        return escape(text) if markup else text

    lines = [f"{tag('error', 'playbook')} {esc(w)}" for w in portfolio.playbook_warnings]
    for o in portfolio.overrides:
        lines.append(
            f"{tag('error', 'override')} {esc(o.pilot_id)}: {o.from_stage} → {o.to} on "
            f"{o.at.date()} by {esc(o.actor)} despite {esc(', '.join(o.failing))}"
            + (f" — {esc(o.reason)}" if o.reason else "")
        )
    for w in portfolio.waivers:
        label = "waiver expires" if w.expiring else "waiver in force"
        granted = esc(w.by) + (f" as {esc(w.role)}" if w.role else "")
        lines.append(
            f"{tag('warning', label)} {esc(w.pilot_id)}: {esc(w.criterion)} "
            f"{'on' if w.expiring else 'until'} {w.until} (granted by {granted})"
        )
    for p in portfolio.pilots:
        if p.review_needed:
            lines.append(f"{tag('error', 'governance review needed')} {esc(p.id)}")
        if p.unrecorded_approvals:
            lines.append(
                f"{tag('warning', 'approvals not recorded')} {esc(p.id)}: past governance without "
                f"{esc(', '.join(p.unrecorded_approvals))} approving in the register (claimed in "
                "its file, or overridden)"
            )
    return lines


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def portfolio_plain(portfolio: Portfolio) -> list[str]:
    """The portfolio as aligned plain text: for pipes, files and logs (no Rich layout)."""
    header = ["pilot", "name", "setting", "owner", "stage", "gate", "first blocker", "risk",
              "activity"]  # fmt: skip
    rows = [header]
    for p in portfolio.pilots:
        stage_text = progress_marker(p.stage, p.outcome, p.paused, markup=False)
        stage_text += " review needed" if p.review_needed else ""
        gate = "" if p.outcome else f"{p.gate_met}/{p.gate_total}"
        rows.append([
            p.id, _clip(p.name, 40), p.setting, _clip(p.owner, 24), stage_text, gate,
            _clip(p.blocker or "", 48), p.risk_class or "-", p.last_activity.date().isoformat(),
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]  # fmt: skip


def gate_checklist(gate: GateResult) -> Table:
    """Each criterion of a gate: met or not, why, what to do, and where the rule comes from."""
    from rich.table import Table

    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(width=2)
    table.add_column(overflow="fold")
    for r in gate.results:
        if not r.applies:
            table.add_row("[muted]–[/]", f"[muted]{escape(r.says)} (does not apply)[/]")
            continue
        mark = "[ok]✓[/]" if r.met else "[error]✗[/]"
        source = f" [muted]({escape(r.source)})[/]" if r.source else ""
        text = f"{escape(r.says)} [muted]\\[{r.id}][/]{source}\n  [muted]{escape(r.detail)}[/]"
        if not r.met:
            text += f"\n  [hint]→ {escape(r.hint)}[/]"
        table.add_row(mark, text)
    return table


def gate_title(pilot_id: str, gate: GateResult) -> str:
    """``Gate out of governance (Sterke governance): 9/12 met``."""
    met, total = gate.score
    state = "[ok]met[/]" if gate.met else "[error]not met[/]"
    label = stage(gate.stage).label
    return f"{escape(pilot_id)}: gate out of {gate.stage} ({label}) — {met}/{total}, {state}"


def print_gate(console: Console, pilot_id: str, gate: GateResult) -> None:
    """A gate's title and checklist: what ``gate`` shows, and what a refused change names."""
    console.print(gate_title(pilot_id, gate))
    console.print(gate_checklist(gate))


def gate_json(pilot_id: str, gate: GateResult) -> str:
    """A gate for scripts."""
    return json.dumps(
        {
            "pilot": pilot_id,
            "stage": gate.stage,
            "met": gate.met,
            "criteria": [
                {"id": r.id, "says": r.says, "met": r.met, "applies": r.applies,
                 "detail": r.detail, "hint": r.hint, "source": r.source}
                for r in gate.results
            ],
        },
        indent=2,
        ensure_ascii=False,
    )  # fmt: skip


def _event_text(event: HistoryEvent) -> str:
    payload = event.payload
    kind = event.kind
    if kind == EventKind.DEFINITION_CHANGED:
        changes = payload.get("changes", [])
        shown = "; ".join(f"{c['field']}: {c['old']!s} → {c['new']!s}" for c in changes[:3]) + (
            f"; +{len(changes) - 3} more" if len(changes) > 3 else ""
        )
        return f"definition changed ({escape(str(payload.get('source', '')))}): {escape(shown)}"
    if kind in MOVES:
        text = f"{payload.get('from')} → {payload.get('to') or payload.get('outcome')}"
        if kind == EventKind.OVERRIDE:
            text += f" [error]OVERRIDE[/] of {escape(', '.join(payload.get('failing', [])))}"
        return text
    if kind in {EventKind.APPROVED, EventKind.REVOKED}:
        who = f" (given by {payload['by']})" if kind == EventKind.REVOKED else ""
        return escape(f"{payload.get('role')} for {payload.get('stage')}{who}")
    if kind == EventKind.WAIVED:
        return escape(
            f"{payload.get('criterion')} of {payload.get('stage')} until {payload.get('until')}"
        )
    if kind == EventKind.GOVERNANCE_REVIEW_NEEDED:
        return "[error]governance re-opened[/]: " + escape(", ".join(payload.get("fields", [])))
    if kind == EventKind.IMPORTED:
        return escape(
            f"{payload.get('action')} from {payload.get('source')} at {payload.get('stage')}"
        )
    details = ", ".join(f"{k}={v}" for k, v in payload.items() if v not in (None, "", []))
    return escape(details)


def history_table(events: Sequence[HistoryEvent], title: str | None = None) -> Table:
    """Events, oldest first: when, who, what, why."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=title)
    table.add_column("#", justify="right")
    table.add_column("when (UTC)", no_wrap=True)
    table.add_column("who")
    table.add_column("event")
    table.add_column("details", overflow="fold")
    table.add_column("reason", overflow="fold")
    for e in events:
        table.add_row(
            str(e.seq), when(e.at), escape(e.actor), escape(e.kind), _event_text(e),
            escape(e.reason or ""),
        )  # fmt: skip
    return table


def history_json(pilot_id: str, events: Sequence[HistoryEvent]) -> str:
    """A pilot's history for scripts, hashes included."""
    rows: list[dict[str, Any]] = [
        {"seq": e.seq, "at": utc(e.at).isoformat(), "actor": e.actor, "kind": e.kind,
         "payload": e.payload, "reason": e.reason, "hash": e.hash}
        for e in events
    ]  # fmt: skip
    return json.dumps({"pilot": pilot_id, "events": rows}, indent=2, ensure_ascii=False)


def detail_view(detail: PilotDetail) -> Group:
    """``pilots show``: summary, current gate, approvals and recent history."""
    from rich import box
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

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
        ("risk class", escape(row.risk_class or "not declared")
         + (" (medical device)" if facts and facts.medical_device else "")),
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
            approvals.add_row(escape(a.role), escape(a.by), when(a.at), status)
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


def advance_message(result: AdvanceResult) -> str:
    """One line saying what ``advance`` did or would do."""
    target = result.to_stage or f"ended: {result.outcome}"
    verb = "would move" if not result.applied else "moved"
    forced = " [error](override: gate not met)[/]" if result.forced else ""
    label = f" ({stage(result.to_stage).label})" if result.to_stage else ""
    return f"{verb} {escape(result.pilot_id)}: {result.from_stage} → {target}{label}{forced}"
