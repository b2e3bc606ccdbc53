"""Gate evaluation for each criterion kind, `when`, per-setting overrides, and four eyes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from genai_pilots.domain.definition import PilotDefinition
from genai_pilots.domain.gates import ApprovalRecord, evaluate_gate
from genai_pilots.domain.measurements import Measurement
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.playbook_loading import parse_playbook
from genai_pilots.domain.yamlsafe import load_mapping
from genai_pilots.services.playbooks import default_playbook, load_playbook
from tests.conftest import EXAMPLES, MINIMAL, write


def pilot(extra: str = "", setting: str = "polikliniek") -> PilotDefinition:
    text = MINIMAL.replace("setting: polikliniek", f"setting: {setting}") + extra
    return PilotDefinition.model_validate(load_mapping(text.encode()).data)


def playbook(gate: str, criteria: str, settings: str = "") -> Playbook:
    text = f"name: test\ngates:\n  {gate}:\n{criteria}" + settings
    parsed, findings = parse_playbook(text.encode(), "test-playbook.yaml")
    assert findings == []
    assert parsed is not None
    return parsed


def test_present_with_wildcard_needs_every_item() -> None:
    rules = playbook(
        "synthetic-data",
        "    - {id: m, kind: present, field: 'synthetic_data.datasets[*].method', "
        "says: s, hint: h}\n",
    )
    none = evaluate_gate(rules, "synthetic-data", pilot())
    assert not none.met and none.failing[0].detail == "synthetic_data.datasets has no items"
    half = pilot("synthetic_data:\n  datasets: [{name: a, method: m}, {name: b}]\n")
    result = evaluate_gate(rules, "synthetic-data", half)
    assert not result.met
    assert result.failing[0].detail == "1 of 2 items lack method"
    full = pilot("synthetic_data:\n  datasets: [{name: a, method: m}]\n")
    assert evaluate_gate(rules, "synthetic-data", full).met


def test_one_of() -> None:
    rules = playbook(
        "governance",
        "    - {id: d, kind: one-of, field: governance.dpia.status, values: [done], "
        "says: s, hint: h}\n",
    )
    assert not evaluate_gate(rules, "governance", pilot()).met
    assert evaluate_gate(rules, "governance", pilot("governance:\n  dpia: {status: done}\n")).met


@pytest.mark.parametrize(("op", "value", "met"), [(">=", 6, True), (">", 6, False), ("<", 7, True)])
def test_threshold(op: str, value: int, met: bool) -> None:
    rules = playbook(
        "governance",
        f"    - {{id: t, kind: threshold, field: governance.log_retention_months, op: '{op}', "
        f"value: {value}, says: s, hint: h}}\n",
    )
    result = evaluate_gate(rules, "governance", pilot("governance:\n  log_retention_months: 6\n"))
    assert result.met is met


def test_ratio_and_per_setting_override() -> None:
    rules = playbook(
        "skills",
        "    - {id: trained, kind: ratio, numerator: skills.trained_users, "
        "denominator: skills.target_users, min: 0.8, says: s, hint: h}\n",
        "settings:\n  thuiszorg:\n    trained: {min: 0.9}\n",
    )
    skills = "skills: {target_users: 10, trained_users: 8}\n"
    assert evaluate_gate(rules, "skills", pilot(skills)).met
    thuiszorg = evaluate_gate(rules, "skills", pilot(skills, setting="thuiszorg"))
    assert not thuiszorg.met
    assert thuiszorg.failing[0].detail == "8 of 10 = 80% (needs 90%)"
    zero = evaluate_gate(rules, "skills", pilot("skills: {target_users: 0, trained_users: 0}\n"))
    assert zero.failing[0].detail == "skills.target_users is 0; it must be above 0"


TRAINED = (
    "    - {id: trained, kind: trained, numerator: skills.trained_users, "
    "denominator: skills.target_users, champions: skills.champions, min: 0.8, says: s, "
    "hint: h}\n"
)


def test_trained_counts_the_ledger_in_the_register_and_the_claim_without_one() -> None:
    from genai_pilots.domain.training import Training

    rules = playbook("skills", TRAINED, "settings:\n  thuiszorg:\n    trained: {min: 0.9}\n")
    skills = "skills: {target_users: 5, trained_users: 5, champions: [Dr. K. Smit]}\n"
    day = dt.date(2026, 6, 1)
    assert evaluate_gate(rules, "skills", pilot(skills), today=day).met  # validate: the claim
    ledger = [
        Training("Dr. K. Smit", "AI", dt.date(2026, 1, 5)),
        Training("dr. k. smit", "AI, opfrissing", dt.date(2026, 5, 1)),  # the same person
        Training("L. Brouwer", "AI", dt.date(2026, 1, 5), dt.date(2026, 5, 31)),  # ran out
        Training("M. Öztürk", "AI", dt.date(2026, 1, 5), dt.date(2026, 6, 1)),  # its last day
        Training("R. van Dijk", "AI", dt.date(2026, 1, 5)),
        Training("E. Hendriks", "AI", dt.date(2026, 6, 2)),  # not given yet
    ]
    counted = evaluate_gate(rules, "skills", pilot(skills), today=day, training=ledger)
    assert not counted.met
    assert counted.failing[0].detail == (
        "3 of 5 trained in the register = 60% (needs 80%); the definition claims 5; 2 people's "
        "trainings expired; champions trained"
    )
    more = [*ledger, Training("J. Kok", "AI", day)]
    assert evaluate_gate(rules, "skills", pilot(skills), today=day, training=more).met
    home = evaluate_gate(
        rules, "skills", pilot(skills, setting="thuiszorg"), today=day, training=more
    )
    assert home.failing[0].detail.startswith("4 of 5 trained in the register = 80% (needs 90%)")
    no_champion = [t for t in more if "Smit" not in t.person and "smit" not in t.person]
    held = evaluate_gate(rules, "skills", pilot(skills), today=day, training=no_champion)
    assert held.failing[0].detail.endswith("champion Dr. K. Smit has no current training")
    empty = evaluate_gate(rules, "skills", pilot("skills: {target_users: 0}\n"), training=[])
    assert empty.failing[0].detail == "skills.target_users is 0; it must be above 0"


def test_counting_trained_people_instead_of_a_claim_is_what_a_playbook_weakens() -> None:
    from genai_pilots.domain.playbook_changes import weakenings

    before = playbook("skills", TRAINED)
    ratio = TRAINED.replace("kind: trained", "kind: ratio").replace(
        "champions: skills.champions, ", ""
    )
    assert [w.describe() for w in weakenings(before, playbook("skills", ratio))] == [
        "skills/trained: kind changed from trained to ratio"
    ]
    lax = TRAINED.replace("champions: skills.champions, ", "").replace("0.8", "0.5")
    assert [w.describe() for w in weakenings(before, playbook("skills", lax))] == [
        "skills/trained: min lowered from 0.8 to 0.5",
        "skills/trained: no longer asks the champions (skills.champions) to be trained",
    ]
    assert weakenings(playbook("skills", ratio), before) == []  # counting is stricter
    wrong = TRAINED.replace("champions: skills.champions", "champions: skills.champoins")
    _, findings = parse_playbook(f"name: t\ngates:\n  skills:\n{wrong}".encode(), "p.yaml")
    assert [f.message for f in findings] == [
        "'skills.champoins' is not a field of a pilot definition; see `pilots schema`"
    ]


def test_approvals_need_someone_other_than_the_owner() -> None:
    rules = playbook(
        "governance",
        "    - {id: a, kind: approvals, roles: [privacy_officer, ciso], says: s, hint: h}\n",
    )
    subject = pilot()
    by_owner = [ApprovalRecord("privacy_officer", "I. Vos"), ApprovalRecord("ciso", "R. Bakker")]
    result = evaluate_gate(rules, "governance", subject, approvals=by_owner)
    assert not result.met
    assert result.failing[0].detail == (
        "missing approval of privacy_officer (the owner cannot approve their own pilot)"
    )
    by_email = [ApprovalRecord("privacy_officer", "I.VOS@example.org")]
    assert not evaluate_gate(rules, "governance", subject, approvals=by_email).met
    others = [ApprovalRecord("privacy_officer", "M. de Vries"), ApprovalRecord("ciso", "R. Bakker")]
    assert evaluate_gate(rules, "governance", subject, approvals=others).met


def test_measurements_per_kpi_over_a_period() -> None:
    rules = playbook(
        "bijsturen",
        "    - {id: m, kind: measurements, min_count: 2, min_days: 30, says: s, hint: h}\n",
    )
    subject = pilot(
        "start_klein:\n  kpis:\n"
        "    - {id: tijd, name: T, unit: min, baseline: 10, target: 5, direction: lower}\n"
    )
    day = dt.date(2026, 1, 1)
    short = [Measurement("tijd", day, 9), Measurement("tijd", day + dt.timedelta(days=10), 8)]
    result = evaluate_gate(rules, "bijsturen", subject, measurements=short)
    assert result.failing[0].detail.endswith("short: tijd (2 over 10 days)")
    enough = [*short, Measurement("tijd", day + dt.timedelta(days=40), 6)]
    assert evaluate_gate(rules, "bijsturen", subject, measurements=enough).met


def test_when_makes_a_criterion_apply_only_if_the_condition_holds() -> None:
    rules = playbook(
        "governance",
        "    - {id: logs, kind: threshold, field: governance.log_retention_months, value: 6, "
        "when: {field: governance.ai_act.risk_class, equals: high}, says: s, hint: h}\n",
    )
    limited = evaluate_gate(
        rules, "governance", pilot("governance:\n  ai_act: {risk_class: limited}\n")
    )
    assert limited.met and limited.score == (0, 0)
    high = evaluate_gate(rules, "governance", pilot("governance:\n  ai_act: {risk_class: high}\n"))
    assert not high.met and high.score == (0, 1)


def test_default_playbook_covers_every_stage_and_cites_the_law() -> None:
    rules = default_playbook()
    for stage in ("start-klein", "governance", "skills", "synthetic-data", "bijsturen"):
        assert rules.criteria(stage), stage
    sources = " ".join(c.source or "" for c in rules.criteria("governance"))
    for article in ("Art. 5", "Art. 35", "Art. 26(6)", "NEN 7510", "Art. 28"):
        assert article in sources


def test_example_playbook_is_valid_and_changes_the_outcome(tmp_path: Path) -> None:
    custom = load_playbook(EXAMPLES / "playbooks" / "zorggroep-oost.yaml")
    assert custom.name == "zorggroep-oost"
    assert [c.id for c in custom.criteria("governance")][-1] == "ethics"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            "name: p\ngates:\n  skills:\n    - {id: x, kind: magic, says: s, hint: h}\n",
            (4, 7),
            "Input tag 'magic' found using 'kind' does not match",
        ),
        (
            "name: p\ngates:\n  skills:\n    - {id: x, kind: present, field: skills.trainin_plan, "
            "says: s, hint: h}\n",
            (4, 37),
            "'skills.trainin_plan' is not a field of a pilot definition",
        ),
        (
            "name: p\ngates:\n  skills:\n    - {id: x, kind: present, field: skills.training_plan,"
            " says: s, hint: h}\nsettings:\n  thuiszorg:\n    y: {min: 1}\n",
            (7, 5),
            "no criterion has id 'y'",
        ),
        (
            "name: p\ngates:\n  skills:\n    - {id: x, kind: present, field: skills.training_plan,"
            " says: s, hint: h}\nsettings:\n  thuiszorg:\n    x: {min: 1}\n",
            (7, 9),
            "'min' is not a parameter of criterion 'x'",
        ),
    ],
)
def test_bad_playbooks_are_findings_with_positions(
    text: str, where: tuple[int, int], message: str, tmp_path: Path
) -> None:
    path = write(tmp_path / "playbook.yaml", text)
    playbook_obj, findings = parse_playbook(path.read_bytes(), str(path))
    assert playbook_obj is None
    assert (findings[0].line, findings[0].col) == where
    assert message in findings[0].message
