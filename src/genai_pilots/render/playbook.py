"""A playbook as people read it: per gate, each criterion and what it asks."""

from __future__ import annotations

from rich.console import Group

from genai_pilots import i18n
from genai_pilots.domain.obligations import APPLIES_FROM
from genai_pilots.domain.playbook import Criterion, Playbook
from genai_pilots.domain.stages import STAGES
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape

_NOT_ASKED = {"id", "kind", "says", "hint", "source", "when", "waivable", "required_by_law",
              "obligation", "early"}  # fmt: skip


def _asks(c: Criterion) -> str:
    params = c.model_dump(exclude=_NOT_ASKED, exclude_none=True)
    text = escape(", ".join(f"{k}={v}" for k, v in params.items()))
    if c.when is not None:
        text += " " + _("[muted]when {condition}[/]").format(
            condition=escape(str(c.when.model_dump(exclude_none=True)))
        )
    if not c.can_be_waived:
        text += " " + _("[muted](never waived)[/]")
    return text


def basis(c: Criterion) -> str:
    """Law or policy, and for an AI Act duty the date it applies from (and if asked early)."""
    if c.obligation:
        dates = [d for d in (APPLIES_FROM[key] for key in c.obligation) if d is not None]
        duties = ", ".join(c.obligation)
        early = _("; asked now") if c.early else ""
        if dates:
            return _("law from {day} ({duties}{early})").format(
                day=i18n.day(min(dates)), duties=duties, early=early
            )
        return _("law ({duties}{early})").format(duties=duties, early=early)
    return _("law") if c.required_by_law else _("policy")


def legal_basis_markdown(playbook: Playbook) -> str:
    """The criteria as a Markdown table: gate, criterion, basis, source (for docs and FGs).

    The table is committed in the docs: English, whatever the language.
    """
    with i18n.machine():
        return _legal_basis_markdown(playbook)


def _legal_basis_markdown(playbook: Playbook) -> str:
    rows = ["| gate | criterion | asks | basis | source |", "|---|---|---|---|---|"]
    for stage in STAGES:
        for c in playbook.gates.for_stage(stage.key):
            cells = (stage.key, f"`{c.id}`", c.says, basis(c), c.source or "")
            rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def playbook_view(playbook: Playbook, origin: str) -> Group:
    """Every gate's criteria, then the per-setting overrides, fitted to the terminal.

    Columns, most important first: the criterion (its id, never left out or cut, over what it
    says), what it asks, its basis in law or policy, its source and its kind; narrow, the text
    folds, then kind, source and basis are left out, in that order.
    """
    from genai_pilots.render.fit import Column, FittedTable

    parts: list[FittedTable | str] = [
        f"[bold]{escape(playbook.name)}[/] [muted]({escape(origin)})[/]",
    ]
    for stage in STAGES:
        criteria = playbook.gates.for_stage(stage.key)
        longest_id = max((len(c.id) for c in criteria), default=9)
        table = FittedTable(
            [
                Column(
                    _("criterion"), 0, narrowest=longest_id, widest=max(longest_id, 40), yields=9
                ),
                Column(_("kind"), 5),
                Column(_("asks"), 1, narrowest=12),
                Column(_("basis"), 3, narrowest=12),
                Column(_("source"), 4, narrowest=12),
            ],
            title=_("gate out of {stage} — {label}").format(stage=stage.key, label=stage.label),
        )
        for c in criteria:
            table.add_row(
                f"{escape(c.id)}\n[muted]{escape(c.says)}[/]",
                c.kind,
                _asks(c),
                escape(basis(c)),
                escape(c.source or ""),
            )
        parts.extend(["", table])
    for setting, overrides in playbook.settings.items():
        for criterion, changes in overrides.items():
            parts.append(
                _("in {setting}: {criterion} with {changes}").format(
                    setting=escape(setting),
                    criterion=escape(criterion),
                    changes=escape(str(changes)),
                )
            )
    return Group(*parts)
