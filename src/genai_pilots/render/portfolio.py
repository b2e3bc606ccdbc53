"""``pilots status``: the portfolio as a Rich table, as plain text, and as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.domain.stages import STAGES, stage, stage_key
from genai_pilots.i18n import N_, _
from genai_pilots.render.markup import escape, json_text, plain, tagged

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.readmodels import PilotSummary, Portfolio
    from genai_pilots.render.fit import FittedTable


_RISK_STYLE = {"prohibited": "bold red", "high": "red", "limited": "yellow", "minimal": "green"}
OUTCOMES = {"scaled": N_("scaled"), "stopped": N_("stopped")}


def outcome_word(outcome: str) -> str:
    """How an ended pilot ended, in words (the key itself when it has none)."""
    return _(OUTCOMES[outcome]) if outcome in OUTCOMES else outcome


def progress_marker(current: str, outcome: str | None, paused: bool, *, markup: bool = True) -> str:
    """Five steps, filled up to the current stage: ``●●○○○ governance``."""
    if outcome is not None:
        style = "ok" if outcome == "scaled" else "error"
        return f"{tagged(style, '●●●●●', markup)} {tagged(style, outcome_word(outcome), markup)}"
    order = stage(stage_key(current)).order
    dots = "●" * order + "○" * (len(STAGES) - order)
    return f"{dots} {current}" + (" " + tagged("warning", _("(paused)"), markup) if paused else "")


def funnel_line(portfolio: Portfolio) -> str:
    """Pilots per stage, then how many ended each way."""
    stages = " → ".join(f"{key} {portfolio.funnel[key]}" for key in (s.key for s in STAGES))
    return _("{total} pilots: {stages} | scaled {scaled} · stopped {stopped}").format(
        total=portfolio.total,
        stages=stages,
        scaled=portfolio.funnel["scaled"],
        stopped=portfolio.funnel["stopped"],
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
                _("pilot"), 0, narrowest=longest_id, widest=max(longest_id, 40), cut=True, yields=9
            ),
            Column(_("stage"), 1, squeeze=5, cut=True),
            Column(_("gate"), 2, justify="right"),
            Column(_("first blocker"), 4, narrowest=12, widest=30),
            Column(_("risk"), 5),
            Column(_("setting/owner"), 6, narrowest=13, widest=24, cut=True),
            Column(_("activity"), 7),
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
    marker, _space, label = progress_marker(p.stage, p.outcome, False).partition(" ")
    flags = [tagged("warning", _("paused"), True)] if p.paused and not p.outcome else []
    if p.review_needed:
        flags.append(tagged("error", _("review"), True))
    return [
        lines(f"[bold]{escape(p.id)}[/]", f"[muted]{escape(p.name)}[/]"),
        lines(" ".join([marker, *flags]), label),
        gate,
        clamp(escape(p.blocker or ""), 2),
        f"[{_RISK_STYLE.get(risk, 'muted')}]{risk}[/]",
        lines(escape(p.setting), f"[muted]{escape(p.owner)}[/]"),
        i18n.day(p.last_activity.date()),
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

    playbook = tag("error", _("playbook"))
    lines = [f"{playbook} {esc(w)}" for w in portfolio.playbook_warnings]
    if portfolio.overdue:
        overdue = _("{count} overdue").format(count=portfolio.overdue)
        lines.append(
            _(
                "{overdue}: reviews, waivers, evidence, trainings or incident notifications past "
                "their day; `pilots due` lists them"
            ).format(overdue=tag("error", overdue))
        )
    for o in portfolio.overrides:
        move = (
            f"{o.from_stage} → {o.to}"
            if o.to
            else _("gate out of {stage}").format(stage=o.from_stage)
        )
        line = _("{override} {pilot}: {move} on {day} by {actor} despite {failing}").format(
            override=tag("error", _("override")),
            pilot=esc(o.pilot_id),
            move=move,
            day=i18n.day(o.at.date()),
            actor=esc(o.actor),
            failing=esc(", ".join(o.failing)),
        )
        lines.append(line + (f" — {esc(o.reason)}" if o.reason else ""))
    for w in portfolio.waivers:
        label = _("waiver expires") if w.expiring else _("waiver in force")
        granted = (
            _("{by} as {role}").format(by=esc(w.by), role=esc(w.role)) if w.role else esc(w.by)
        )
        said = (
            _("{label} {pilot}: {criterion} on {day} (granted by {granted})")
            if w.expiring
            else _("{label} {pilot}: {criterion} until {day} (granted by {granted})")
        )
        lines.append(
            said.format(
                label=tag("warning", label),
                pilot=esc(w.pilot_id),
                criterion=esc(w.criterion),
                day=i18n.week(w.until),
                granted=granted,
            )
        )
    for s in portfolio.skills_short:
        lines.append(
            _(
                "{label} {pilot}: past the skills gate, {counted} of {target} people have a "
                "current training ({share}, the gate asks {minimum}); "
                "`pilots training list {pilot}`"
            ).format(
                label=tag("warning", _("too few trained")),
                pilot=esc(s.pilot_id),
                counted=s.counted,
                target=i18n.number(s.target, "g"),
                share=i18n.number(s.counted / s.target, ".0%"),
                minimum=i18n.number(s.minimum, ".0%"),
            )
        )
    for p in portfolio.pilots:
        if p.review_needed:
            lines.append(tag("error", _("governance review needed")) + f" {esc(p.id)}")
        if p.unrecorded_approvals:
            lines.append(
                _(
                    "{label} {pilot}: past its gates without {roles} approving in the register "
                    "(claimed in its file, or overridden)"
                ).format(
                    label=tag("warning", _("approvals not recorded")),
                    pilot=esc(p.id),
                    roles=esc(", ".join(p.unrecorded_approvals)),
                )
            )
    return lines


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def portfolio_plain(portfolio: Portfolio) -> list[str]:
    """The portfolio as aligned plain text: for pipes, files and logs (no Rich layout)."""
    header = [_("pilot"), _("name"), _("setting"), _("owner"), _("stage"), _("gate"),
              _("first blocker"), _("risk"), _("activity")]  # fmt: skip
    rows = [header]
    for p in portfolio.pilots:
        stage_text = progress_marker(p.stage, p.outcome, p.paused, markup=False)
        stage_text += " " + _("review needed") if p.review_needed else ""
        gate = "" if p.outcome else f"{p.gate_met}/{p.gate_total}"
        rows.append([
            p.id, _clip(plain(p.name), 40), p.setting, _clip(plain(p.owner), 24), stage_text,
            gate, _clip(plain(p.blocker or ""), 48), p.risk_class or "-",
            i18n.day(p.last_activity.date()),
        ])  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            for row in rows]  # fmt: skip
