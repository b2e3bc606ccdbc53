"""``pilots show``: one pilot's summary, gate, review, approvals, waivers, incidents, history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from genai_pilots import clock, i18n
from genai_pilots.i18n import _
from genai_pilots.render.evidence import evidence_table
from genai_pilots.render.gate import gate_checklist, gate_title
from genai_pilots.render.history import history_table
from genai_pilots.render.incidents import incidents_table
from genai_pilots.render.markup import escape, plain, when
from genai_pilots.render.portfolio import progress_marker

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from rich.console import Group

    from genai_pilots.domain.gates import GateResult
    from genai_pilots.readmodels import PilotDetail


def detail_view(detail: PilotDetail) -> Group:
    """``pilots show``: summary, current gate, review, approvals, waivers, and recent history.

    Incidents and evidence have a part each when there are some.

    Each part opens with a rule naming it (long titles are lines under it, wrapped), and uses
    the whole width: the pilot's id is never cut or folded down to 40 columns. Every row of
    every table is labelled, and each table fits the width (``render.fit``).
    """
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from genai_pilots.render.classification import classification_line
    from genai_pilots.render.fit import Column, FittedTable

    row, definition = detail.pilot, detail.definition
    facts = definition.governance.ai_act
    summary = Table(box=None, show_header=False, pad_edge=False)
    summary.add_column(style="muted", no_wrap=True)
    summary.add_column(overflow="fold")
    lines: list[tuple[str, str]] = [
        (_("name"), escape(row.name)),
        (_("setting"), f"{escape(row.setting)} — {escape(row.department)}"),
        (_("owner"), f"{escape(definition.owner.name)} <{escape(definition.owner.email)}>"),
        (_("stage"), progress_marker(row.stage, row.outcome, row.paused)),
        (_("risk class"), escape(row.risk_class or _("not declared"))),
        (_("AI Act"), escape(classification_line(facts))),
        (_("scope"), escape(definition.start_klein.scope or "-")),
        (_("value"), escape(definition.start_klein.value_hypothesis or "-")),
        (_("KPIs"), escape(", ".join(
            f"{k.id} ({i18n.number(k.baseline, 'g')} → {i18n.number(k.target, 'g')} {k.unit})"
            for k in definition.start_klein.kpis) or "-")),
        (_("trained"), escape(trained_line(detail))),
        (_("entered stage"), when(row.stage_entered_at)),
    ]  # fmt: skip
    for label, value in lines:
        summary.add_row(label, value)

    def part(title: str) -> Rule:
        return Rule(f"[bold]{title}[/]", align="left", style="muted")

    # the id on a line of its own, the whole width: never cut or folded
    parts: list[Any] = [part(_("pilot")), Text(row.id, style="bold"), summary]
    if detail.gate is not None:
        parts += [
            part(_("current gate")),
            Text.from_markup(gate_title(row.id, detail.gate)),
            gate_checklist(detail.gate),
        ]
    if row.review_since is not None and detail.review is not None:
        parts += [
            part(_("governance review")),
            Text.from_markup(
                _(
                    "[error]governance review needed[/] since {since}: its governance facts "
                    "changed, so the whole governance gate must pass again on the new facts, "
                    "with fresh approvals."
                ).format(since=when(row.review_since))
            ),
            Text.from_markup(
                _("Still needed: {needs}.").format(needs=still_needed(row.id, detail.review))
            ),
            gate_checklist(detail.review),
        ]
    claims = definition.governance.approvals
    if claims or detail.approvals:
        approvals = FittedTable(
            [Column(_("role"), 0), Column(_("by"), 1, narrowest=10), Column(_("when"), 3),
             Column(_("status"), 2, narrowest=14)]
        )  # fmt: skip
        for a in detail.approvals:
            status = (
                _("[muted]revoked {when}[/]").format(when=when(a.revoked_at))
                if a.revoked_at
                else _("[ok]recorded[/] for {stage}").format(stage=a.stage)
            )
            approvals.add_row(escape(a.role), escape(a.given_by), when(a.at), status)
        for c in claims:
            approvals.add_row(
                escape(c.role), escape(c.by), i18n.day(c.date),
                _("[warning]claimed in YAML[/] (not counted; record it with pilots approve)"),
            )  # fmt: skip
        parts += [part(_("approvals")), approvals]
    if detail.waivers:
        waivers = FittedTable(
            [Column(_("criterion"), 0), Column(_("stage"), 4), Column(_("until"), 1),
             Column(_("by"), 3, narrowest=10), Column(_("reason"), 5, narrowest=12),
             Column(_("status"), 2, narrowest=12)]
        )  # fmt: skip
        today = clock.today()
        for w in detail.waivers:
            if w.revoked_at is not None:
                status = _("[muted]superseded {when}[/]").format(when=when(w.revoked_at))
            elif w.until < today:
                status = _("[muted]expired[/]")
            else:
                status = _("[warning]in force: needs attention[/]")
            by = escape(w.by) + (f" ({escape(w.role)})" if w.role else "")
            waivers.add_row(
                escape(w.criterion), w.stage, i18n.week(w.until), by, escape(w.reason), status
            )
        parts += [part(_("waivers")), waivers]
    if detail.incidents:
        parts += [
            part(_("incidents")),
            incidents_table(detail.incidents, _("incidents of {pilot}").format(pilot=row.id)),
        ]
    if detail.evidence:
        parts += [part(_("evidence")), evidence_table(detail.evidence, row.id)]
    parts += [part(_("recent history")), history_table(detail.events)]
    return Group(*parts)


def trained_line(detail: PilotDetail) -> str:
    """People with a current training in the register, of the target, and the file's claim."""
    skills = detail.definition.skills
    if skills.target_users is None and not detail.trained:
        return "-"
    claim = skills.trained_users
    claimed = (
        _(" (the definition claims {claim})").format(claim=claim)
        if claim is not None and claim != detail.trained
        else ""
    )
    if skills.target_users is not None:
        return _("{trained} of {target} in the register's training ledger{claimed}").format(
            trained=detail.trained, target=skills.target_users, claimed=claimed
        )
    return _("{trained} in the register's training ledger{claimed}").format(
        trained=detail.trained, claimed=claimed
    )


def still_needed(pilot_id: str, review: GateResult, *, markup: bool = True) -> str:
    """What a governance review still needs: each failing criterion, with the roles to approve.

    ``pilots advance`` and ``pilots approve`` point here when a review is open.
    """
    esc = escape if markup else plain
    needs = []
    for r in review.failing:
        if r.missing_roles:
            needs.append(
                _(
                    "{criterion} (approval as {roles}: `pilots approve {pilot} --role ROLE`, "
                    "not by its owner)"
                ).format(
                    criterion=esc(r.id),
                    roles=esc(_(" and ").join(r.missing_roles)),
                    pilot=esc(pilot_id),
                )
            )
        else:
            needs.append(esc(r.id))
    return "; ".join(needs) if needs else _("nothing: it closes on the next step")
