"""``pilots classify``: a conclusion as a panel for people, as JSON for scripts, and as a line."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.domain.ai_act import Classification, classify
from genai_pilots.domain.ai_act_questions import QUESTIONS
from genai_pilots.i18n import N_, _
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:  # annotations only
    from rich.console import Console

    from genai_pilots.domain.definition import AiAct

BESLISHULP_VERSION = "1.0.0"

_GROUP = {
    "prohibited": N_("a prohibited practice"),
    "high-risk": N_("high-risk"),
    "not-high-risk": N_("not high-risk"),
    "gpai-systemic-risk": N_("a general-purpose model with systemic risk"),
    "gpai-model": N_("a general-purpose model"),
    "out-of-scope": N_("outside the AI Act"),
}


def classification_line(facts: AiAct | None) -> str:
    """One line for ``show``: roles, risk group, duties added, Beslishulp id."""
    found = classify(facts)
    if not found.complete:
        return _("classification incomplete (next: {question})").format(
            question=found.next_question
        )
    roles = _(" and ").join(found.roles) or _("no role")
    group = _(_GROUP[found.risk_group or "out-of-scope"])
    if found.transparency:
        line = _("{roles}; {group} with transparency duties").format(roles=roles, group=group)
    else:
        line = f"{roles}; {group}"
    return line + f" (Beslishulp {found.beslishulp})"


def classification_data(
    found: Classification, facts: AiAct | None, today: dt.date, pilot: str | None
) -> dict[str, Any]:
    """The conclusion as plain data (what ``--json`` prints)."""
    question = QUESTIONS[found.next_question] if found.next_question else None
    return {
        "pilot": pilot,
        "complete": found.complete,
        "next_question": None
        if question is None
        else {
            "field": f"governance.ai_act.{question.key}",
            "question": question.text,
            "options": [value for value, _ in question.options],
        },
        "roles": list(found.roles),
        "system": found.system,
        "risk_group": found.risk_group,
        "risk_class": found.risk_class,
        "declared_risk_class": facts.risk_class if facts is not None else None,
        "high_risk_route": found.route,
        "transparency": list(found.transparency),
        "obligations": [
            {
                "key": o.key,
                "article": o.article,
                "title": o.title,
                "applies_from": o.applies_from.isoformat() if o.applies_from else None,
                "in_force": o.in_force(today),
                "condition": o.condition,
                "voluntary": o.voluntary,
            }
            for o in found.obligations
        ],
        "beslishulp": {
            "version": BESLISHULP_VERSION,
            "conclusion": found.beslishulp,
            "literal": found.beslishulp_literal,
        },
        "reasons": list(found.reasons),
        "notes": list(found.notes),
    }


def classification_json(data: dict[str, Any]) -> str:
    """Indented JSON, ending in a newline."""
    return json_text(data) + "\n"


def print_classification(console: Console, data: dict[str, Any]) -> None:
    """The conclusion for people: what it is, why, and which duties apply from when."""
    from rich.table import Table

    who = escape(data["pilot"] or "")
    if not data["complete"]:
        question = data["next_question"]
        console.print(_("{who}: [error]classification incomplete[/]").format(who=who))
        console.print(
            _("  next question: {question}").format(question=escape(question["question"]))
        )
        console.print(_("  [hint]→ answer {field}[/]").format(field=escape(question["field"])))
        return
    group = _(_GROUP[data["risk_group"]])
    roles = _(" and ").join(data["roles"]) or _("no role")
    console.print(
        _("{who}: [bold]{roles}[/] of {system} — [bold]{group}[/] (risk class {risk})").format(
            who=who, roles=escape(roles), system=escape(data["system"] or ""),
            group=escape(group), risk=data["risk_class"],
        )
    )  # fmt: skip
    if data["transparency"]:
        console.print(
            _("  transparency duties (Art. 50): {duties}").format(
                duties=escape(", ".join(data["transparency"]))
            )
        )
    for reason in data["reasons"]:
        console.print(_("  [muted]because {reason}[/]").format(reason=escape(reason)))
    for note in data["notes"]:
        console.print(_("  [warning]note: {note}[/]").format(note=escape(note)))
    beslishulp = data["beslishulp"]
    console.print(
        _("  Beslishulp AI-verordening {version}: conclusion {conclusion}").format(
            version=beslishulp["version"], conclusion=beslishulp["conclusion"]
        )
    )
    if not data["obligations"]:
        console.print(_("  no obligations under the AI Act"))
        return
    table = Table(box=None, pad_edge=False, show_header=True, header_style="muted")
    table.add_column(_("article"))
    table.add_column(_("obligation"), overflow="fold")
    table.add_column(_("from"))
    for o in data["obligations"]:
        applies = o["applies_from"] and i18n.day(dt.date.fromisoformat(o["applies_from"]))
        when = _("voluntary") if o["voluntary"] else applies or _("on a condition")
        if not o["voluntary"]:
            when = f"[ok]{when}[/]" if o["in_force"] else f"[warning]{when}[/]"
        text = escape(o["title"])
        if o["condition"]:
            text += f"\n[muted]{escape(o['condition'])}[/]"
        table.add_row(escape(o["article"]), text, when)
    console.print(table)


def obligations_markdown() -> str:
    """Every AI Act duty the classification can name, with its article and first date."""
    from genai_pilots.domain.obligations import APPLIES_FROM, DUTIES

    rows = ["| duty | article | what it asks | applies from |", "|---|---|---|---|"]
    for key, duty in DUTIES.items():
        first = APPLIES_FROM[key]
        rows.append(f"| `{key}` | {duty.article} | {duty.title} | {first or 'voluntary'} |")
    return "\n".join(rows) + "\n"
