"""The board report: one self-contained HTML file.

Jinja2 renders the page with autoescaping on, so every text a user typed is escaped; chart data
goes in as JSON through ``tojson`` (which escapes ``<``, ``>`` and ``&``), and Chart.js, shipped
inside the package, draws it. A character that would hide in the text (a right-to-left override,
a zero-width space) is shown as its escape, as in every view. No network, no CDN: the file works
when mailed or archived.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from genai_pilots import __version__, i18n
from genai_pilots.domain.stages import STAGES
from genai_pilots.i18n import _
from genai_pilots.readmodels import ReportData
from genai_pilots.render.markup import plain
from genai_pilots.render.portfolio import outcome_word


def _shown(value: Any) -> Any:
    """Every text the page shows, with characters that would hide written as escapes.

    (Markup, the output of ``tojson`` and the like, is left as it is.)
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return plain(value)
    return value


def _environment() -> Environment:
    """Jinja with autoescaping and the i18n extension: the page's texts in the current language.

    ``newstyle`` gettext escapes what is put into a translated text and formats it with
    ``%(name)s`` fields, as ``{% trans %}`` blocks do.
    """
    env = Environment(
        loader=PackageLoader("genai_pilots", "data"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n._, ngettext=i18n.ngettext, newstyle=True
    )
    env.policies["ext.i18n.trimmed"] = True
    env.filters["day"] = i18n.day
    env.filters["moment"] = i18n.moment
    env.filters["week"] = i18n.week
    env.filters["number"] = i18n.number
    env.filters["outcome"] = outcome_word
    return env


def _chart_data(data: ReportData) -> dict[str, Any]:
    funnel = data.metrics.funnel
    return {
        "words": {
            "pilots": _("pilots"),
            "medianDays": _("median days"),
            "baseline": _("baseline"),
            "target": _("target"),
        },
        "funnel": {"labels": list(funnel), "values": list(funnel.values())},
        "timeInStage": {
            "labels": [s.key for s in STAGES],
            "values": [round(data.metrics.median_days.get(s.key, 0), 1) for s in STAGES],
        },
        "kpis": [
            {
                "pilot": p.pilot_id,
                "charts": [
                    {
                        "kpi": t.kpi.id,
                        "title": f"{t.kpi.name} ({t.kpi.unit})",
                        "baseline": t.kpi.baseline,
                        "target": t.kpi.target,
                        "series": dict(p.series.get(t.kpi.id, {})),
                    }
                    for t in p.trends
                    if t.setting is None and p.series.get(t.kpi.id)
                ],
            }
            for p in data.kpis
        ],
    }


DUE_ROWS = 20


def _due(data: ReportData) -> dict[str, Any]:
    """What is overdue or due soon, the first ``DUE_ROWS`` of it; what waits is only counted."""
    from genai_pilots.render.due import summary_line, when

    if data.due is None:
        return {"shown": [], "within": 0, "summary": "", "more": 0}
    dated = [i for i in data.due.items if i.state != "waiting"]
    return {
        "shown": [
            {"pilot_id": i.pilot_id, "what": i.what, "due": i18n.week(i.due), "when": when(i),
             "overdue": i.overdue, "detail": i.detail}
            for i in dated[:DUE_ROWS]
        ],
        "within": data.due.within,
        "summary": summary_line(data.due),
        "more": max(0, len(dated) - DUE_ROWS),
    }  # fmt: skip


def render_report(data: ReportData) -> str:
    """The complete HTML document."""
    chart_js = (
        resources.files("genai_pilots")
        .joinpath("data/vendor/chart.umd.min.js")
        .read_text(encoding="utf-8")
    )
    template = _environment().get_template("report.html.j2")
    html: str = template.render(
        data=data,
        stages=STAGES,
        charts=_chart_data(data),
        due=_due(data),
        chart_js=chart_js,
        version=__version__,
        today=data.generated.date(),
        lang=i18n.current(),
    )
    return html
