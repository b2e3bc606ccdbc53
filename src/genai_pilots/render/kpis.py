"""KPI trends and portfolio metrics for the terminal and for scripts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group

from genai_pilots import i18n
from genai_pilots.domain.kpis import KpiTrend
from genai_pilots.i18n import _
from genai_pilots.render.fit import Column, FittedTable
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:
    from genai_pilots.readmodels import PortfolioMetrics

_ARROW = {"lower": "↓", "higher": "↑"}


def _num(value: float | None) -> str:
    return "–" if value is None else i18n.number(value, "g")


def trends_table(trends: Sequence[KpiTrend], title: str | None = None) -> FittedTable:
    """Per KPI (and per setting where there are several): baseline, target, latest, progress.

    Every row names its KPI and setting. Columns, most important first: the KPI (never left
    out, never cut), the setting, latest value, progress toward the target, target, baseline,
    change, the sparkline and the number of values; narrow, they are left out from the end.
    """
    table = FittedTable(
        [
            Column(_("KPI"), 0),
            Column(_("setting"), 1, narrowest=8, cut=True),
            Column(_("baseline"), 5, justify="right"),
            Column(_("target"), 4, justify="right"),
            Column(_("latest"), 2, justify="right"),
            Column(_("change"), 6, justify="right"),
            Column(_("progress"), 3, justify="right"),
            Column(_("trend"), 7),
            Column(_("n"), 8, justify="right"),
        ],
        title=escape(title) if title else None,
    )
    for t in trends:
        change = "–" if t.change is None else i18n.number(t.change, "+g")
        style = {True: "ok", False: "error", None: "muted"}[t.improving]
        progress = "–" if t.progress is None else (
            i18n.number(t.progress, ".0%") if abs(t.progress) < 100 else (">9999%" if t.progress > 0
                                                               else "<-9999%")
        )  # fmt: skip
        table.add_row(
            escape(t.kpi.id) if t.setting is None else f"[muted]{escape(t.kpi.id)}[/]",
            escape(t.setting or _("all")),
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
            "pilots": metrics.total,
            "per_stage": metrics.funnel,
            "per_setting": metrics.per_setting,
            "median_days_in_stage": {k: round(v, 1) for k, v in metrics.median_days.items()},
            "overrides": metrics.overrides,
            "active_waivers": metrics.active_waivers,
            "expiring_waivers": metrics.expiring_waivers,
            "top_blockers": [
                {"criterion": c, "says": says, "pilots": n} for c, says, n in metrics.blockers
            ],
            "incidents_per_setting": {
                setting: {"open": still_open, "all": every}
                for setting, (still_open, every) in metrics.incidents.items()
            },
        }
    )


def metrics_view(metrics: PortfolioMetrics) -> Group:
    """Time in stage, per setting (with incidents), overrides and waivers, and the top blockers.

    Each table has one row per thing it counts, named in its first column (never left out).
    """
    from genai_pilots.domain.stages import outcome_name

    per_stage = metrics.funnel
    stages = FittedTable(
        [Column(_("stage"), 0), Column(_("pilots"), 1, justify="right"),
         Column(_("median days"), 2, justify="right")],
        title=_("pilots per stage, and median days in stage"),
    )  # fmt: skip
    for key, count in per_stage.items():
        days = metrics.median_days.get(key)
        stages.add_row(outcome_name(key), str(count), "–" if days is None else f"{days:.0f}")
    settings = FittedTable(
        [Column(_("setting"), 0), Column(_("pilots per stage"), 1, narrowest=14),
         Column(_("incidents (open)"), 2, justify="right")],
        title=_("pilots and incidents per setting"),
    )  # fmt: skip
    for setting, counts in metrics.per_setting.items():
        still_open, every = metrics.incidents.get(setting, (0, 0))
        settings.add_row(
            escape(setting), ", ".join(f"{outcome_name(k)} {n}" for k, n in counts.items()),
            f"{every} ({still_open})" if every else "–",
        )  # fmt: skip
    blockers = FittedTable(
        [Column(_("criterion"), 0), Column(_("pilots"), 1, justify="right"),
         Column(_("what it asks"), 2, narrowest=10)],
        title=_("criteria that block the most pilots"),
    )  # fmt: skip
    for criterion, says, n in metrics.blockers:
        blockers.add_row(escape(criterion), str(n), escape(says))
    summary = _(
        "{total} pilots · {overrides} overrides · {waivers} active waivers "
        "({expiring} expiring within 14 days)"
    ).format(
        total=metrics.total,
        overrides=metrics.overrides,
        waivers=metrics.active_waivers,
        expiring=metrics.expiring_waivers,
    )
    return Group(summary, stages, "", settings, "", blockers)
