"""KPI trends and portfolio metrics for the terminal and for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group
from rich.table import Table

from genai_pilots.domain.kpis import KpiTrend
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:
    from genai_pilots.readmodels import PortfolioMetrics

_ARROW = {"lower": "↓", "higher": "↑"}


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def trends_table(trends: Sequence[KpiTrend], title: str | None = None) -> Table:
    """Per KPI (and per setting where there are several): baseline, target, latest, progress."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=title)
    for header, justify in (
        ("KPI", "left"), ("setting", "left"), ("baseline", "right"), ("target", "right"),
        ("latest", "right"), ("change", "right"), ("progress", "right"), ("trend", "left"),
        ("n", "right"),
    ):  # fmt: skip
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for t in trends:
        change = "–" if t.change is None else f"{t.change:+g}"
        style = {True: "ok", False: "error", None: "muted"}[t.improving]
        progress = "–" if t.progress is None else (
            f"{t.progress:.0%}" if abs(t.progress) < 100 else (">9999%" if t.progress > 0
                                                               else "<-9999%")
        )  # fmt: skip
        table.add_row(
            escape(t.kpi.id) if t.setting is None else "",
            escape(t.setting or "all"),
            _num(t.kpi.baseline), f"{_num(t.kpi.target)} {_ARROW[t.kpi.direction]}",
            _num(t.latest), f"[{style}]{change}[/]", f"[{style}]{progress}[/]", t.sparkline,
            str(len(t.points)),
        )  # fmt: skip
    return table


def trends_json(pilot_id: str, trends: Sequence[KpiTrend]) -> str:
    """KPI trends for scripts."""
    return json_text(
        {
            "pilot": pilot_id,
            "kpis": [
                {"kpi": t.kpi.id, "setting": t.setting, "baseline": t.kpi.baseline,
                 "target": t.kpi.target, "direction": t.kpi.direction, "latest": t.latest,
                 "change": t.change, "progress": t.progress, "improving": t.improving,
                 "points": [[d.isoformat(), v] for d, v in t.points]}
                for t in trends
            ],
        }
    )  # fmt: skip


def metrics_json(metrics: PortfolioMetrics) -> str:
    """Portfolio metrics for scripts."""
    return json_text(
        {
            "pilots": metrics.portfolio.total,
            "per_stage": metrics.portfolio.funnel,
            "per_setting": metrics.per_setting,
            "median_days_in_stage": {k: round(v, 1) for k, v in metrics.median_days.items()},
            "overrides": metrics.overrides,
            "active_waivers": metrics.active_waivers,
            "expiring_waivers": len(metrics.portfolio.expiring_waivers),
            "top_blockers": [
                {"criterion": c, "says": says, "pilots": n} for c, says, n in metrics.blockers
            ],
        }
    )


def metrics_view(metrics: PortfolioMetrics) -> Group:
    """Time in stage, per setting, overrides and waivers, and the top blockers."""
    stages = Table(title="median days in stage", box=box.SIMPLE_HEAD, title_justify="left")
    per_stage = metrics.portfolio.funnel
    for key in per_stage:
        stages.add_column(key, justify="right")
    stages.add_row(*(str(n) for n in per_stage.values()))
    stages.add_row(
        *(f"{metrics.median_days[k]:.0f} d" if k in metrics.median_days else "–" for k in per_stage)
    )
    settings = Table(title="pilots per setting", box=box.SIMPLE_HEAD, title_justify="left")
    settings.add_column("setting")
    settings.add_column("pilots per stage")
    for setting, counts in metrics.per_setting.items():
        settings.add_row(escape(setting), ", ".join(f"{k} {n}" for k, n in counts.items()))
    blockers = Table(title="criteria that block the most pilots", box=box.SIMPLE_HEAD,
                     title_justify="left")  # fmt: skip
    blockers.add_column("criterion")
    blockers.add_column("pilots", justify="right")
    for criterion, says, n in metrics.blockers:
        blockers.add_row(f"{escape(says)} [muted]\\[{criterion}][/]", str(n))
    summary = (
        f"{metrics.portfolio.total} pilots · {metrics.overrides} overrides · "
        f"{metrics.active_waivers} active waivers "
        f"({len(metrics.portfolio.expiring_waivers)} expiring within 14 days)"
    )
    return Group(summary, stages, settings, blockers)
