"""What a new playbook makes weaker than an old one, criterion by criterion and per setting.

A change is weaker when a pilot could pass a gate it would have failed before: a criterion
removed, a threshold or minimum lowered, more values accepted, an approving role dropped, a
condition added that makes it apply less, or a waiver allowed where none was; trained people
counted in the register replaced by the number a definition claims (``trained`` to ``ratio``;
the other way round asks more), or champions no longer asked to be trained; a synthetic-data
evaluation asking a lower score or allowing more copies or identifiers. Anything else that
changes what a criterion checks (its field, its kind, its operator) counts as weaker too: it is
no longer the same check. Stricter changes are not listed.

Some criteria of the default playbook are protected: those it marks ``required_by_law``, every
approvals criterion (four eyes), and the evaluation of synthetic data on its files (what keeps
copied patient rows and identifiers out of a pilot). A playbook that weakens them is stored only
on purpose, and stays visible for as long as it is in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from genai_pilots.domain.field_paths import number_path_problem
from genai_pilots.domain.playbook import (
    Approvals,
    Certified,
    Criterion,
    Evidenced,
    Measurements,
    OneOf,
    Playbook,
    Ratio,
    SyntheticEvaluated,
    Threshold,
    Trained,
)
from genai_pilots.domain.stages import STAGE_KEYS, StageKey
from genai_pilots.i18n import N_, _

# What changed: in English (``what``, stored in the events that record a playbook and a pass
# under it) and as people read it, in the language of the moment.
Said = tuple[str, str]


def _said(message: str, **fields: Any) -> Said:
    """``message`` (marked with ``N_``) filled in: in English, and in the current language."""
    return message.format(**fields), _(message).format(**fields)


@dataclass(frozen=True, slots=True)
class Weakening:
    """One way a criterion of one gate became weaker (``setting`` None: for every setting)."""

    stage: StageKey
    criterion: str
    what: str
    setting: str | None = None
    protected: str | None = None  # why the old criterion may not be weakened, if it may not
    what_shown: str | None = field(default=None, compare=False)  # ``what`` for people

    def describe(self) -> str:
        """One line in English, as events record it: where, which criterion, what changed."""
        where = f"{self.stage}/{self.criterion}"
        if self.setting:
            where += f" in {self.setting}"
        return f"{where}: {self.what}" + (f" ({self.protected})" if self.protected else "")

    def shown(self) -> str:
        """``describe`` for people, in the language of the moment."""
        where = f"{self.stage}/{self.criterion}"
        if self.setting:
            where = _("{where} in {setting}").format(where=where, setting=self.setting)
        line = f"{where}: {self.what_shown or self.what}"
        return line + (f" ({_(self.protected)})" if self.protected else "")


def protection(criterion: Criterion) -> str | None:
    """Why a criterion may not be weakened: the law requires it, or it is four eyes."""
    if criterion.required_by_law:
        return N_("required by law")
    if isinstance(criterion, Approvals):
        return N_("four eyes")
    if isinstance(criterion, SyntheticEvaluated):
        return N_("keeps patient data out of synthetic data")
    return None


def _condition(criterion: Criterion) -> Any:
    return criterion.when.model_dump(exclude_none=True) if criterion.when else None


def _lowered(name: str, old: float, new: float) -> list[Said]:
    if new < old:
        return [_said(N_("{name} lowered from {old:g} to {new:g}"), name=name, old=old, new=new)]
    return []


def _criterion_changes(old: Criterion, new: Criterion) -> list[Said]:
    """The ways ``new`` asks less than ``old`` (same id)."""
    counted = isinstance(old, Ratio) and isinstance(new, Trained)  # a claim, now counted
    if old.kind != new.kind and not counted:
        return [_said(N_("kind changed from {old} to {new}"), old=old.kind, new=new.kind)]
    found: list[Said] = []
    for name in ("field", "numerator", "denominator", "datasets"):
        was = getattr(old, name, None)
        if was != getattr(new, name, None):
            now = getattr(new, name)
            if name != "field" and was is not None and number_path_problem(was) is not None:
                found.append(
                    _said(
                        N_(
                            "checks {now} instead of {was} (which is no number, so {criterion} "
                            "could never be met until now)"
                        ),
                        now=now,
                        was=was,
                        criterion=old.id,
                    )
                )
            else:
                found.append(_said(N_("checks {now} instead of {was}"), now=now, was=was))
    if isinstance(old, Threshold) and isinstance(new, Threshold):
        if old.op != new.op:
            found.append(_said(N_("operator changed from {old} to {new}"), old=old.op, new=new.op))
        elif old.op in (">=", ">"):
            found += _lowered("value", old.value, new.value)
        elif old.op in ("<=", "<") and new.value > old.value:
            found.append(
                _said(N_("value raised from {old:g} to {new:g}"), old=old.value, new=new.value)
            )
        elif old.op == "==" and new.value != old.value:
            found.append(
                _said(N_("value changed from {old:g} to {new:g}"), old=old.value, new=new.value)
            )
    elif isinstance(old, Ratio) and isinstance(new, Ratio):
        found += _lowered("min", old.min, new.min)
    elif isinstance(old, Ratio | Trained) and isinstance(new, Trained):
        found += _lowered("min", old.min, new.min)
        champions = old.champions if isinstance(old, Trained) else None
        if champions is not None and new.champions is None:
            found.append(
                _said(
                    N_("no longer asks the champions ({champions}) to be trained"),
                    champions=champions,
                )
            )
        elif champions is not None and new.champions != champions:
            found.append(
                _said(
                    N_("checks champions {now} instead of {was}"),
                    now=new.champions,
                    was=champions,
                )
            )
    elif isinstance(old, SyntheticEvaluated) and isinstance(new, SyntheticEvaluated):
        found += _lowered("min_quality", old.min_quality, new.min_quality)
        found += _lowered("min_privacy", old.min_privacy, new.min_privacy)
        for name in ("max_exact_copies", "max_identifiers", "max_near_copy_share", "valid_days"):
            before, after = getattr(old, name), getattr(new, name)
            if after > before:
                found.append(
                    _said(N_("{name} raised from {old} to {new}"), name=name, old=before, new=after)
                )
    elif isinstance(old, Measurements) and isinstance(new, Measurements):
        found += _lowered("min_count", old.min_count, new.min_count)
        found += _lowered("min_days", old.min_days, new.min_days)
    elif isinstance(old, OneOf) and isinstance(new, OneOf):
        added = [v for v in new.values if v not in old.values]
        if added:
            values = ", ".join(str(v) for v in added)
            found.append(_said(N_("also accepts {values}"), values=values))
    elif isinstance(old, Approvals) and isinstance(new, Approvals):
        dropped = [r for r in old.roles if r not in new.roles]
        if dropped:
            found.append(_said(N_("no longer asks {roles}"), roles=", ".join(dropped)))
        if old.distinct_people and not new.distinct_people:
            found.append(_said(N_("one person may now give several of its approvals")))
        if new.delegation and not old.delegation:
            found.append(_said(N_("approvals entered on behalf of someone else now count")))
    elif isinstance(old, Evidenced) and isinstance(new, Evidenced):
        if old.evidence_for != new.evidence_for:
            found.append(
                _said(
                    N_("asks evidence of {now} instead of {was}"),
                    now=new.evidence_for,
                    was=old.evidence_for,
                )
            )
    elif isinstance(old, Certified) and isinstance(new, Certified):
        more = [v for v in new.standards if v not in old.standards]
        if more:
            found.append(_said(N_("also accepts {values}"), values=", ".join(more)))
    if old.obligation is None and new.obligation is not None:
        found.append(
            _said(
                N_("applies only to pilots with the duties {duties}"),
                duties=", ".join(new.obligation),
            )
        )
    elif old.obligation is not None and new.obligation is not None:
        dropped_duties = [o for o in old.obligation if o not in new.obligation]
        if dropped_duties:
            found.append(
                _said(N_("no longer checks the duties {duties}"), duties=", ".join(dropped_duties))
            )
    if old.obligation is not None and old.early and new.obligation is not None and not new.early:
        found.append(_said(N_("waits for the law instead of asking it now")))
    when = _condition(new)
    if when is not None and when != _condition(old):  # no condition at all is stricter
        found.append(_said(N_("applies only when {when}"), when=when))
    if new.can_be_waived and not old.can_be_waived:
        found.append(_said(N_("may now be waived")))
    return found


def _gate_weakenings(
    old: Playbook, new: Playbook, stage: StageKey, setting: str | None
) -> list[Weakening]:
    before = {c.id: c for c in old.criteria(stage, setting)}
    after = {c.id: c for c in new.criteria(stage, setting)}
    found = []
    for criterion_id, criterion in before.items():
        why = protection(criterion)
        if criterion_id not in after:
            found.append(Weakening(stage, criterion_id, "removed", setting, why, _("removed")))
            continue
        for what, shown in _criterion_changes(criterion, after[criterion_id]):
            found.append(Weakening(stage, criterion_id, what, setting, why, shown))
    return found


def weakenings(old: Playbook, new: Playbook) -> list[Weakening]:
    """Every way ``new`` asks less than ``old``; per setting only where it differs."""
    settings = sorted({str(s) for s in (*old.settings, *new.settings)})
    found: list[Weakening] = []
    for stage in STAGE_KEYS:
        general = _gate_weakenings(old, new, stage, None)
        found += general
        seen = {(w.criterion, w.what) for w in general}
        for setting in settings:
            found += [
                w
                for w in _gate_weakenings(old, new, stage, setting)
                if (w.criterion, w.what) not in seen
            ]
    return found


def weakened_protected(default: Playbook, new: Playbook) -> list[Weakening]:
    """What ``new`` weakens of the default's criteria that the law or four eyes require."""
    return [w for w in weakenings(default, new) if w.protected]
