"""The AI Act questionnaire on a terminal: one question at a time, the walk decides the next."""

import datetime as dt
import sys
from typing import Any

import typer

from genai_pilots.domain.ai_act import classify, is_lower
from genai_pilots.domain.ai_act_questions import QUESTIONS, Question
from genai_pilots.domain.definition import AiAct
from genai_pilots.errors import UsageError
from genai_pilots.i18n import _
from genai_pilots.render.console import stderr
from genai_pilots.render.markup import escape

_NONE = ("none", "geen", "-")


def _suggestion(facts: dict[str, Any], key: str) -> Any:
    """A default read from the facts of earlier releases, so a team confirms rather than types."""
    device = facts.get("medical_device") or facts.get("ivdr")
    suggestions: dict[str, Any] = {
        "annex_i": "section-a" if device else None,
        "third_party_conformity": (facts.get("mdr_class") in ("IIa", "IIb", "III")) or None,
        "annex_iii": ["emergency-triage"] if facts.get("emergency_triage") else None,
        "transparency_uses": (
            ["interacts-with-people"] + (["generates-content"] if facts.get("generative") else [])
            if facts.get("patient_facing")
            else None
        ),
    }
    return suggestions.get(key)


def _show(question: Question) -> None:
    console = stderr()
    console.print(f"\n[bold]{escape(_(question.text))}[/]")
    if question.help:
        console.print(f"[muted]{escape(_(question.help))}[/]")
    for number, (value, meaning) in enumerate(question.options, start=1):
        console.print(f"  {number}. [bold]{escape(value)}[/] — {escape(_(meaning))}")


def _pick(question: Question, typed: str) -> str | None:
    """An option by its number or its value."""
    values = [value for value, _meaning in question.options]
    if typed.isdigit() and 1 <= int(typed) <= len(values):
        return values[int(typed) - 1]
    return typed if typed in values else None


def _answer(question: Question, default: Any) -> Any:
    """Ask until the answer is one the question accepts."""
    while True:
        if question.kind == "yes-no":
            shown = None if default is None else (_("yes") if default else _("no"))
            typed = typer.prompt(_("yes or no"), default=shown, err=True).strip().lower()
            if typed in ("yes", "y", "ja", "j", "true"):
                return True
            if typed in ("no", "n", "nee", "false"):
                return False
        elif question.kind == "date":
            shown = None if default is None else str(default)
            typed = typer.prompt(_("date (YYYY-MM-DD)"), default=shown, err=True).strip()
            try:
                return dt.date.fromisoformat(typed)
            except ValueError:
                pass
        elif question.kind == "text":
            typed = typer.prompt(_("answer"), default=default, err=True).strip()
            if typed:
                return typed
        elif question.kind == "choice":
            typed = typer.prompt(_("number or value"), default=default, err=True).strip()
            picked = _pick(question, typed)
            if picked is not None:
                return picked
        else:
            shown = None if default is None else (", ".join(default) or _("none"))
            typed = typer.prompt(_("numbers or values, comma-separated, or none"), default=shown,
                                 err=True).strip()  # fmt: skip
            if typed.lower() in _NONE:
                return []
            picked_all = [_pick(question, part.strip()) for part in typed.split(",")]
            if picked_all and all(p is not None for p in picked_all):
                return list(dict.fromkeys(p for p in picked_all if p is not None))
        again = escape(_("not an answer this question takes; try again"))
        stderr().print(f"[error]{again}[/]")


def run_questionnaire(answers: dict[str, Any], *, again: bool = False) -> bool:
    """Ask the open questions (all of them with ``again``), updating ``answers`` in place.

    Returns whether an answer changed. Input that ends before the last question leaves
    ``answers`` as they were.
    """
    before = dict(answers)
    working = dict(answers)
    if again:
        for key in QUESTIONS:
            working.pop(key, None)
    try:
        while True:
            found = classify(AiAct.model_validate(working))
            if found.next_question is None:
                break
            question = QUESTIONS[found.next_question]
            _show(question)
            default = before.get(question.key)
            if default is None:
                default = _suggestion(before, question.key)
            working[question.key] = _answer(question, default)
    except typer.Abort:  # input ended, or Ctrl-C
        raise UsageError(
            _("the questionnaire ended before the last answer; nothing was written"),
            hint=_("answer every question, or write them under governance.ai_act by hand"),
        ) from None
    if not sys.stdin.isatty():
        stderr().print()  # answers typed on a terminal end their line; piped ones do not
    lowest = found.risk_class
    declared = working.get("risk_class")
    if lowest is not None and (declared is None or is_lower(declared, lowest)):
        working["risk_class"] = lowest
        stderr().print(
            "[hint]"
            + escape(
                _("risk_class set to {risk_class}, the lowest class these answers allow").format(
                    risk_class=lowest
                )
            )
            + "[/]"
        )
    answers.clear()
    answers.update(working)
    return working != before
