"""``pilots status``: the portfolio as a Rich table, as plain text, and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genai_pilots.domain.stages import STAGES, stage, stage_key
from genai_pilots.render.markup import escape, json_text, plain, tagged

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.readmodels import PilotSummary, Portfolio
    from genai_pilots.render.fit import FittedTable


_RISK_STYLE = {"prohibited": "bold red", "high": "red", "limited": "yellow", "minimal": "green"}


def progress_marker(current: str, outcome: str | None, paused: bool, *, markup: bool = True) -> str:
    """Five steps, filled up to the current stage: ``●●○○○ governance``."""
    if outcome is not None:
        style = "ok" if outcome == "scaled" else "error"
        return f"{tagged(style, '●●●●●', markup)} {tagged(style, outcome, markup)}"
    order = stage(stage_key(current)).order
    dots = "●" * order + "○" * (len(STAGES) - order)
    return f"{dots} {current}" + (" " + tagged("warning", "(paused)", markup) if paused else "")


def funnel_line(portfolio: Portfolio) -> str:
    """Pilots per stage, then how many ended each way."""
    stages = " → ".join(f"{key} {portfolio.funnel[key]}" for key in (s.key for s in STAGES))
    return (
        f"{portfolio.total} pilots: {stages} | "
        f"scaled {portfolio.funnel['scaled']} · stopped {portfolio.funnel['stopped']}"
    )


def portfolio_table(portfolio: Portfolio) -> FittedTable:
    """The portfolio: one row per pilot, one or two lines high, fitted to the terminal.

    Columns, most important first: the pilot id (never left out, never cut or folded; its
    name under it is cut with "…" to the column), the stage (its five-step marker over its
    name, which is cut first), gate readiness, the first blocker (at most two lines), the risk
    class, setting over owner (cut), and the last activity. When the terminal is too narrow for
    all of them, the first blocker and setting/owner give up room first, then the columns are
    left out from the end of that list: activity, setting/owner, risk, first blocker, gate,
    and the table says which.
    """
    from genai_pilots.render.fit import Column, FittedTable

    longest_id = max((len(p.id) for p in portfolio.pilots), default=5)
    table = FittedTable(
        [
            Column(
                "pilot", 0, narrowest=longest_id, widest=max(longest_id, 40), cut=True, yields=9
            ),
            Column("stage", 1, squeeze=5, cut=True),
            Column("gate", 2, justify="right"),
            Column("first blocker", 4, narrowest=12, widest=30),
            Column("risk", 5),
            Column("setting/owner", 6, narrowest=13, widest=24, cut=True),
            Column("activity", 7),
        ]
    )
    for p in portfolio.pilots:
        table.add_row(*_portfolio_cells(p))
    return table


def _portfolio_cells(p: PilotSummary) -> list[Any]:
    from genai_pilots.render.fit import clamp
    from genai_pilots.render.fit import stacked as lines

    gate = "" if p.outcome else f"{p.gate_met}/{p.gate_total}"
    if not p.outcome and p.gate_met == p.gate_total:
        gate = f"[ok]{gate} ✓[/]"
    risk = p.risk_class or "-"
    marker, _, label = progress_marker(p.stage, p.outcome, False).partition(" ")
    flags = [tagged("warning", "paused", True)] if p.paused and not p.outcome else []
    if p.review_needed:
        flags.append("[error]review[/]")
    return [
        lines(f"[bold]{escape(p.id)}[/]", f"[muted]{escape(p.name)}[/]"),
        lines(" ".join([marker, *flags]), label),
        gate,
        clamp(escape(p.blocker or ""), 2),
        f"[{_RISK_STYLE.get(risk, 'muted')}]{risk}[/]",
        lines(escape(p.setting), f"[muted]{escape(p.owner)}[/]"),
        p.last_activity.date().isoformat(),
    ]


def portfolio_json(portfolio: Portfolio) -> str:
    """The portfolio for scripts."""
    return json_text(
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
            "overdue": portfolio.overdue,
            "skills_short": [
                {"pilot": s.pilot_id, "trained": s.counted,
                 "target": int(s.target) if s.target.is_integer() else s.target,
                 "needs": s.minimum}
                for s in portfolio.skills_short
            ],
        }
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
    """A weaker playbook, what is overdue, overrides, waivers in force, re-opened governance."""

    def tag(style: str, text: str) -> str:
        return tagged(style, text, markup)

    def esc(text: str) -> str:
        return escape(text) if markup else plain(text)

    lines = [f"{tag('error', 'playbook')} {esc(w)}" for w in portfolio.playbook_warnings]
    if portfolio.overdue:
        lines.append(
            f"{tag('error', f'{portfolio.overdue} overdue')}: reviews, waivers, evidence, "
            "trainings or incident notifications past their day; `pilots due` lists them"
        )
    for o in portfolio.overrides:
        lines.append(
            f"{tag('error', 'override')} {esc(o.pilot_id)}: "
            + (f"{o.from_stage} → {o.to}" if o.to else f"gate out of {o.from_stage}")
            + " on "
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
    for s in portfolio.skills_short:
        lines.append(
            f"{tag('warning', 'too few trained')} {esc(s.pilot_id)}: past the skills gate, "
            f"{s.counted} of {s.target:g} people have a current training "
            f"({s.counted / s.target:.0%}, the gate asks {s.minimum:.0%}); "
            f"`pilots training list {esc(s.pilot_id)}`"
        )
    for p in portfolio.pilots:
        if p.review_needed:
            lines.append(f"{tag('error', 'governance review needed')} {esc(p.id)}")
        if p.unrecorded_approvals:
            lines.append(
                f"{tag('warning', 'approvals not recorded')} {esc(p.id)}: past its gates without "
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
            p.id, _clip(plain(p.name), 40), p.setting, _clip(plain(p.owner), 24), stage_text,
            gate, _clip(plain(p.blocker or ""), 48), p.risk_class or "-",
            p.last_activity.date().isoformat(),
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]  # fmt: skip
