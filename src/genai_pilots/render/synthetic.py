"""``pilots synth evaluate | list | verify``: a dataset's scores, and what a new check found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from genai_pilots import i18n
from genai_pilots.domain.audit import utc
from genai_pilots.domain.synthetic import (
    IDENTIFIER_CODES,
    NEAR_COPY_COLUMNS,
    file_problem,
    stale_text,
)
from genai_pilots.i18n import _
from genai_pilots.render.markup import escape, json_text

if TYPE_CHECKING:  # annotations only: Rich is imported on first use
    from genai_pilots.readmodels import SyntheticCheck, SyntheticEvaluation


def _fraction(value: float | None) -> str:
    return "–" if value is None else i18n.number(value, ".2f")


def verdict_line(e: SyntheticEvaluation) -> str:
    """Whether the gate in force would count it, and why not."""
    if e.verdict is None:
        return _("the playbook in force asks no synthetic-data evaluation")
    if not e.verdict:
        return _("passes the synthetic-data gate's thresholds for {dataset}").format(
            dataset=e.dataset
        )
    return _("fails the synthetic-data gate for {dataset}: {shortfalls}").format(
        dataset=e.dataset, shortfalls="; ".join(e.verdict)
    )


def _rows(e: SyntheticEvaluation) -> list[tuple[str, str]]:
    s = e.scores
    num = i18n.number
    worst = ", ".join(f"{c} {num(v, '.2f')}" for c, v in s.get("worst_columns", []))
    found = s.get("identifiers", {})
    ids = ", ".join(f"{n} {_(IDENTIFIER_CODES[c])}" for c, n in found.items() if n) or _("none")
    firsts = s.get("first_identifiers", {})
    if firsts:
        ids += _(" (first: {places})").format(
            places="; ".join(
                _("{code} line {line}, column {column}").format(
                    code=_(IDENTIFIER_CODES[c]), line=line, column=where
                )
                for c, (line, where) in firsts.items()
            )
        )
    sub = s.get("subsampled") or {}
    disclosure = (
        _(", disclosure {score} of {columns}").format(
            score=_fraction(s.get("disclosure_protection")),
            columns=", ".join(s.get("sensitive", [])),
        )
        if s.get("sensitive")
        else ""
    )
    rows = [
        (_("quality"), _("{score} (column shapes {shapes}, column pairs {pairs})").format(
            score=num(e.quality, ".2f"), shapes=_fraction(s.get("column_shapes")),
            pairs=_fraction(s.get("column_pairs")))),
        (_("worst columns"), worst or "–"),
        (_("privacy"), _("{score} (DCR baseline protection {dcr}{disclosure})").format(
            score=num(e.privacy, ".2f"), dcr=_fraction(s.get("dcr_baseline_protection")),
            disclosure=disclosure)),
        (_("exact copies"), _("{copies} of {rows} synthetic rows are real rows").format(
            copies=e.exact_copies, rows=num(e.synthetic.rows, ","))),
        (_("near copies"), _near(e)),
        (_("identifiers"), ids),
        (_("rows × columns"), _("real {real}, synthetic {synthetic} × {columns}").format(
            real=num(e.real.rows, ","), synthetic=num(e.synthetic.rows, ","), columns=e.columns)),
        (_("real file"), f"{e.real.location} (sha256 {e.real.sha256[:12]}…)"),
        (_("synthetic file"), f"{e.synthetic.location} (sha256 {e.synthetic.sha256[:12]}…)"),
        (_("library"), e.library + (_(" (subsampled: {counts})").format(
            counts=", ".join(f"{k} {num(v, ',')}" for k, v in sub.items())) if sub else "")),
    ]  # fmt: skip
    if e.real_changed:
        rows.append(
            (
                _("real file changed"),
                _("the evaluation this replaces used another real file (sha256 {sha256}…)").format(
                    sha256=e.real_changed[:12]
                ),
            )
        )
    if e.stale:
        rows.append((_("stale"), stale_text(e.stale)))
    return rows


def _near(e: SyntheticEvaluation) -> str:
    if e.near_copies is None:
        if e.columns < NEAR_COPY_COLUMNS:
            return _("not counted (fewer than {columns} columns, and of numbers and dates)").format(
                columns=NEAR_COPY_COLUMNS
            )
        return _("not counted (evaluated by an earlier release)")
    return _(
        "{copies} of {rows} synthetic rows (equal to a real row but for one column, or with a "
        "real row's own numbers and dates)"
    ).format(copies=e.near_copies, rows=i18n.number(e.synthetic.rows, ","))


def evaluation_view(e: SyntheticEvaluation) -> Any:
    """A short two-column table of one evaluation, its verdict under it."""
    from rich.table import Table

    title = f"{e.pilot_id}: {e.dataset}" + (
        _(" (replaces the earlier evaluation)") if e.replaced else ""
    )
    table = Table(title=escape(title), show_header=False, title_justify="left")
    table.add_column("what", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    for what, value in _rows(e):
        table.add_row(escape(what), escape(value))
    return table


def evaluation_lines(e: SyntheticEvaluation) -> list[str]:
    """The same as plain lines, for a pipe or a log."""
    return [f"{e.pilot_id} {e.dataset}"] + [f"  {what}: {value}" for what, value in _rows(e)]


def _evaluation(e: SyntheticEvaluation) -> dict[str, Any]:
    return {
        "pilot": e.pilot_id, "dataset": e.dataset,
        "real": {"location": e.real.location, "sha256": e.real.sha256, "rows": e.real.rows},
        "synthetic": {"location": e.synthetic.location, "sha256": e.synthetic.sha256,
                      "rows": e.synthetic.rows},
        "columns": e.columns, "quality": e.quality, "privacy": e.privacy,
        "exact_copies": e.exact_copies, "near_copies": e.near_copies,
        "identifiers": e.identifiers, "scores": e.scores,
        "library": e.library, "evaluated_at": utc(e.evaluated_at).isoformat(),
        "evaluated_by": e.evaluated_by, "stale": e.stale,
        "passes": None if e.verdict is None else not e.verdict,
        "shortfalls": list(e.verdict or ()), "replaced": e.replaced,
        "real_changed_from": e.real_changed,
    }  # fmt: skip


def evaluation_json(e: SyntheticEvaluation) -> str:
    """One evaluation for scripts."""
    return json_text(_evaluation(e))


def evaluations_json(pilot_id: str, found: Sequence[SyntheticEvaluation]) -> str:
    """A pilot's evaluations for scripts."""
    return json_text({"pilot": pilot_id, "evaluations": [_evaluation(e) for e in found]})


def check_lines(checks: Sequence[SyntheticCheck]) -> list[str]:
    """One plain line per evaluation: ok, or which file changed; then a summary line."""
    lines = []
    for c in checks:
        problems = [file_problem(k, v) for k, v in c.files.items() if v is not None]
        state = _("ok") if not problems else ", ".join(problems)
        if c.stale is not None:
            state = _("still stale ({why}); evaluate it again").format(why=stale_text(c.stale))
        marked = _("; marked stale") if c.newly_stale else ""
        lines.append(f"{state}: {c.pilot_id} {c.dataset}: " + "; ".join(c.details) + marked)
    bad = sum(c.problem for c in checks)
    lines.append(
        _(
            "{checked} evaluations checked: {bad} stale, or with a changed or missing file (not "
            "counted until evaluated again)"
        ).format(checked=len(checks), bad=bad)
        if bad
        else _("{checked} evaluations checked: all files unchanged").format(checked=len(checks))
    )
    return lines


def checks_json(checks: Sequence[SyntheticCheck]) -> str:
    """What ``synth verify`` found, for scripts."""
    rows = [
        {"pilot": c.pilot_id, "dataset": c.dataset, "files": c.files, "details": list(c.details),
         "marked_stale": c.newly_stale, "stale": c.stale}
        for c in checks
    ]  # fmt: skip
    return json_text({"checked": len(rows), "problems": sum(c.problem for c in checks),
                      "evaluations": rows})  # fmt: skip
