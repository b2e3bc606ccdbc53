"""The AI Act classification in use: the questionnaire, obligations and their dates in the
gates, Annex III's conditions, the supplier's certificate, and what a playbook may not weaken."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from genai_pilots.domain.ai_act import classify
from genai_pilots.domain.definition import AiAct, PilotDefinition
from genai_pilots.domain.gates import evaluate_gate
from genai_pilots.domain.importing import ValidDefinition, plan_change
from genai_pilots.domain.playbook_changes import weakenings
from genai_pilots.domain.playbook_loading import parse_playbook
from genai_pilots.domain.stored_definitions import definition_json
from genai_pilots.domain.yamlsafe import load_mapping
from genai_pilots.services.playbooks import default_playbook
from tests.conftest import EXAMPLES, MINIMAL, Run, write

BEFORE = dt.date(2026, 11, 30)  # high-risk and Art. 50 duties not yet in force
AFTER = dt.date(2028, 1, 15)

ANSWERED = {
    "system": "ai-system", "sourcing": "external", "in_use": False, "exception": "none",
    "prohibited": [], "annex_i": "none", "annex_iii": [], "open_source": False,
    "transparency_uses": [],
}  # fmt: skip


def facts(**changes: Any) -> AiAct:
    return AiAct.model_validate({**ANSWERED, **changes})


def keys(found: Any) -> list[str]:
    return [o.key for o in found.obligations]


# --- the conclusion ---------------------------------------------------------------------------


def test_a_deployer_of_an_emergency_triage_system_bears_the_deployer_duties() -> None:
    found = classify(facts(annex_iii=["emergency-triage"], organisation="public-service",
                           profiling=False, exemption="none"))  # fmt: skip
    assert (found.beslishulp, found.risk_group, found.risk_class) == ("13.0.2", "high-risk", "high")
    assert keys(found) == ["ai-literacy", "high-risk-deployer", "inform-workers",
                           "inform-affected-persons", "fria", "codes-of-conduct"]  # fmt: skip
    fria = next(o for o in found.obligations if o.key == "fria")
    assert (fria.article, fria.applies_from) == ("Art. 27", dt.date(2027, 12, 2))


def test_access_to_care_is_annex_iii_only_for_a_public_authority() -> None:
    private = classify(facts(annex_iii=["public-benefits"], organisation="public-service"))
    assert private.risk_group == "not-high-risk"
    assert any("public authorities" in note for note in private.notes)
    public = classify(facts(annex_iii=["public-benefits"], organisation="public-authority",
                            profiling=False, exemption="none"))  # fmt: skip
    assert public.risk_group == "high-risk"


def test_a_fundamental_rights_assessment_follows_the_kind_of_organisation() -> None:
    triage = {"annex_iii": ["emergency-triage"], "profiling": False, "exemption": "none"}
    assert "fria" not in keys(classify(facts(**triage, organisation="private")))
    assert "fria" in keys(classify(facts(**triage, organisation="public-authority")))
    insurer = {**triage, "annex_iii": ["life-health-insurance"]}
    assert "fria" in keys(classify(facts(**insurer, organisation="private")))


def test_the_exemption_of_art_6_3_needs_its_documented_assessment() -> None:
    planning = facts(annex_iii=["work-decisions"], profiling=False, exemption="preparatory-task")
    open_question = classify(planning)
    assert open_question.next_question == "exemption_justification"
    done = classify(
        facts(
            annex_iii=["work-decisions"],
            profiling=False,
            exemption="preparatory-task",
            exemption_justification="Het concept.",
        )
    )
    assert (done.risk_group, done.beslishulp) == ("not-high-risk", "13.0.4")
    profiled = classify(facts(annex_iii=["work-decisions"], profiling=True,
                              organisation="private"))  # fmt: skip
    assert profiled.risk_group == "high-risk"


def test_transparency_is_added_to_any_class_not_a_class_of_its_own() -> None:
    chatbot = classify(facts(transparency_uses=["interacts-with-people"],
                             transparency_exception=False))  # fmt: skip
    assert (chatbot.risk_class, chatbot.beslishulp) == ("limited", "13.0.3")
    high = classify(facts(annex_iii=["emergency-triage"], organisation="private", profiling=False,
                          exemption="none", transparency_uses=["interacts-with-people"],
                          transparency_exception=False))  # fmt: skip
    assert (high.risk_class, high.beslishulp, high.transparency) == (
        "high",
        "13.0.1",
        ("interacts-with-people",),
    )


def test_a_self_certified_device_is_not_high_risk_through_annex_i() -> None:
    ivdr_a = classify(facts(annex_i="section-a", third_party_conformity=False))
    assert ivdr_a.risk_group == "not-high-risk"
    assert ivdr_a.beslishulp == "13.0.4" and ivdr_a.beslishulp_literal == "13.0.2"
    notified = classify(facts(annex_i="section-a", third_party_conformity=True,
                              organisation="private"))  # fmt: skip
    assert notified.route == "annex-i" and notified.beslishulp == "13.0.2"


def test_systems_already_in_use_wait_for_a_significant_change_unless_public() -> None:
    triage = {"annex_iii": ["emergency-triage"], "profiling": False, "exemption": "none",
              "in_use": True, "in_use_since": dt.date(2026, 3, 1)}  # fmt: skip
    assert classify(facts(**{**triage, "in_use_since": None})).next_question == "in_use_since"
    private = classify(facts(**triage, organisation="public-service"))
    duty = next(o for o in private.obligations if o.key == "high-risk-deployer")
    assert duty.applies_from is None and "significantly" in (duty.condition or "")
    public = classify(facts(**triage, organisation="public-authority"))
    duty = next(o for o in public.obligations if o.key == "high-risk-deployer")
    assert duty.applies_from == dt.date(2030, 8, 2)
    later = classify(facts(**{**triage, "in_use_since": dt.date(2028, 1, 1)},
                           organisation="public-service"))  # fmt: skip
    duty = next(o for o in later.obligations if o.key == "high-risk-deployer")
    assert duty.applies_from == dt.date(2027, 12, 2)  # put into service after: no postponement


def test_only_real_time_biometric_identification_has_law_enforcement_exceptions() -> None:
    scoring = classify(facts(prohibited=["social-scoring"], prohibited_exception=True))
    assert scoring.risk_group == "prohibited" and scoring.beslishulp == "13.0.0"
    assert "prohibited_exception" not in scoring.asked


def test_annex_i_section_b_brings_no_ai_act_duties_of_its_own() -> None:
    vehicle = classify(facts(annex_i="section-b", third_party_conformity=True,
                             organisation="private", transparency_uses=["generates-content"],
                             transparency_exception=False))  # fmt: skip
    assert vehicle.risk_group == "high-risk" and vehicle.obligations == ()
    assert vehicle.transparency == () and vehicle.beslishulp == "13.0.1"
    assert any("Art. 2(2)" in note for note in vehicle.notes)
    self_assessed = classify(facts(annex_i="section-b", third_party_conformity=False,
                                   transparency_uses=["generates-content"],
                                   transparency_exception=False))  # fmt: skip
    assert self_assessed.risk_group == "not-high-risk"
    assert "ai-literacy" in keys(self_assessed) and "transparency" in keys(self_assessed)
    assert self_assessed.beslishulp_literal == "13.0.1"


def test_a_public_authority_registers_its_use_and_a_provider_its_exemption() -> None:
    triage = {"annex_iii": ["emergency-triage"], "profiling": False, "exemption": "none"}
    public = classify(facts(**triage, organisation="public-authority"))
    assert "eu-database-registration" in keys(public)
    exempt = classify(facts(sourcing="develop-and-use", annex_iii=["work-decisions"],
                            profiling=False, exemption="preparatory-task",
                            exemption_justification="Een voorbereidende taak; de planner "
                            "beslist en publiceert zelf."))  # fmt: skip
    assert "exemption-assessment" in keys(exempt)


def test_5a_for_a_private_care_provider_names_the_beslishulp_id_it_would_give() -> None:
    found = classify(facts(annex_iii=["public-benefits"], organisation="public-service",
                           profiling=False, exemption="none"))  # fmt: skip
    assert (found.beslishulp, found.beslishulp_literal) == ("13.0.4", "13.0.2")


@pytest.mark.parametrize(
    ("answers", "field", "code"),
    [
        ({"sourcing": "distribute"}, "governance.ai_act.sourcing", "ai-act-care"),
        ({"sourcing": "develop-only"}, "governance.ai_act.sourcing", "ai-act-care"),
        ({"prohibited": ["realtime-remote-biometric-identification"],
          "prohibited_exception": True}, "governance.ai_act.prohibited_exception", "ai-act-care"),
        ({"transparency_uses": ["generates-content"], "transparency_exception": True},
         "governance.ai_act.transparency_exception", "ai-act-care"),
        ({"exception": "military-defence-security", "exception_justification": "x" * 50},
         "governance.ai_act.exception", "ai-act-care"),
        ({"in_use": True, "in_use_since": dt.date(2026, 1, 1), "exception": "pre-market-research",
          "exception_justification": "Onderzoek voor de markt, dat duurt nog een tijd."},
         "governance.ai_act.exception", "ai-act-care"),
        ({"exception": "pre-market-research", "exception_justification": "y" * 50,
          "medical_device": True}, "governance.ai_act.exception_justification",
         "ai-act-contradiction"),
        ({"system": "not-ai", "generative": True}, "governance.ai_act.in_use",
         "ai-act-contradiction"),
    ],
    ids=["distributor", "develop-only", "prohibited-exception", "transparency-exception",
         "military", "research-in-use", "out-of-scope-device", "not-ai-generative"],
)  # fmt: skip
def test_answers_a_care_pilot_cannot_give_are_errors(
    answers: dict[str, Any], field: str, code: str
) -> None:
    text = MINIMAL + yaml.safe_dump({"governance": {"ai_act": {**ANSWERED, **answers}}})
    assert (code, field, "error") in validated(text)


@pytest.mark.parametrize("blank", [" ", "\t", "\u200b", "\u00a0\u200b ", "\ufeff"], ids=repr)
def test_blank_text_is_no_answer(blank: str) -> None:
    exempt = facts(annex_iii=["work-decisions"], profiling=False, exemption="preparatory-task",
                   exemption_justification=blank)  # fmt: skip
    assert classify(exempt).next_question == "exemption_justification"
    gate = evaluate_gate(
        default_playbook(), "governance",
        pilot({"governance": {"legal_basis": blank, "fria": blank}}), today=BEFORE,
    )  # fmt: skip
    assert not criterion(gate, "legal-basis").met


def test_a_short_justification_is_a_warning() -> None:
    answers = {**ANSWERED, "annex_iii": ["work-decisions"], "profiling": False,
               "exemption": "preparatory-task", "exemption_justification": "x"}  # fmt: skip
    text = MINIMAL + yaml.safe_dump({"governance": {"ai_act": answers}})
    assert ("ai-act-care", "governance.ai_act.exemption_justification", "warning") in validated(
        text
    )


def test_a_private_care_provider_is_told_healthcare_is_a_public_service() -> None:
    answers = {**ANSWERED, "annex_iii": ["emergency-triage"], "profiling": False,
               "exemption": "none", "organisation": "private"}  # fmt: skip
    text = MINIMAL + yaml.safe_dump({"governance": {"ai_act": answers}})
    assert ("ai-act-care", "governance.ai_act.organisation", "warning") in validated(text)


# --- answers in a file ------------------------------------------------------------------------


def validated(text: str) -> list[tuple[str, str, str]]:
    from genai_pilots.domain.validation import validate_text

    result = validate_text(text.encode(), "p.yaml", default_playbook(), BEFORE)
    return [(f.code, f.field, f.severity.value) for f in result.findings]


def test_earlier_facts_contradicted_by_the_answers_are_an_error() -> None:
    text = MINIMAL + "governance:\n  ai_act:\n    emergency_triage: true\n    annex_iii: []\n"
    assert ("ai-act-contradiction", "governance.ai_act.annex_iii", "error") in validated(text)


def test_an_answer_the_walk_never_reads_is_a_warning() -> None:
    answers = yaml.safe_dump({"governance": {"ai_act": {**ANSWERED, "profiling": True}}})
    assert ("ai-act-unused", "governance.ai_act.profiling", "warning") in validated(
        MINIMAL + answers
    )


def test_classify_asks_the_open_questions_and_keeps_the_rest_of_the_file(
    run: Run, tmp_path: Path
) -> None:
    original = (
        "# ons eigen commentaar\n" + MINIMAL
        + "governance:\n  # de FG kijkt mee\n  dpia: {status: done}  # afgerond\n"
        + "  human_oversight: De arts leest mee.\n"
    )  # fmt: skip
    path = write(tmp_path / "p.yaml", original)
    answers = "ai-system\nexternal\nno\nnone\nnone\nnone\nnone\nno\n1,2\nno\n"
    result = run("classify", path, "--ask", input=answers)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ons eigen commentaar\n")
    assert "  # de FG kijkt mee\n  dpia: {status: done}  # afgerond\n" in text
    data = yaml.safe_load(text)["governance"]["ai_act"]
    assert data["transparency_uses"] == ["interacts-with-people", "generates-content"]
    assert data["risk_class"] == "limited"
    assert "13.0.3" in result.stdout
    assert run("validate", path).exit_code == 0


@pytest.mark.parametrize(
    "governance",
    ["", "governance: {}\n", "governance:\n  ai_act: {risk_class: minimal}\n",
     "governance: {dpia: {status: done}}\n", "governance:\n  ai_act: null  # vul in\n"],
    ids=["no-governance", "empty-flow", "flow-ai-act", "flow-governance", "null-commented"],
)  # fmt: skip
def test_classify_writes_answers_whatever_shape_governance_has(
    run: Run, tmp_path: Path, governance: str
) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL + governance)
    answers = "ai-system\nexternal\nno\nnone\nnone\nnone\nnone\nno\nnone\n"
    assert run("classify", path, "--ask", input=answers).exit_code == 0
    written = yaml.safe_load(path.read_text(encoding="utf-8"))["governance"]
    assert written["ai_act"]["risk_class"] == "minimal"
    assert ("dpia" in written) == ("dpia" in governance)
    assert ("# vul in" in path.read_text(encoding="utf-8")) == ("# vul in" in governance)
    data = json.loads(run("classify", path, "--json").stdout)
    assert data["beslishulp"]["conclusion"] == "13.0.4"


def test_classify_without_answers_says_which_question_is_next(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL)
    result = run("classify", path)
    assert result.exit_code == 1
    assert "next question: What is it, in the terms of the AI Act?" in result.stdout
    data = json.loads(run("classify", path, "--json").stdout)
    assert data["complete"] is False
    assert data["next_question"]["field"] == "governance.ai_act.system"


def test_input_that_ends_early_writes_nothing(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL)
    result = run("classify", path, "--ask", input="ai-system\nexternal\n")
    assert result.exit_code == 2
    assert "nothing was written" in result.stderr
    assert path.read_text(encoding="utf-8") == MINIMAL


def test_a_wrong_answer_is_asked_again(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL)
    answers = "robot\n1\nexternal\nmisschien\nno\nnone\nnone\nnone\nnone\nno\nnone\n"
    result = run("classify", path, "--ask", input=answers)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("not an answer this question takes") == 2


def test_classify_refuses_what_it_cannot_read(run: Run, tmp_path: Path) -> None:
    missing = run("classify", tmp_path / "nope.yaml")
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    broken = write(tmp_path / "broken.yaml", MINIMAL + "governance: [\n")
    result = run("classify", broken)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {broken}:")
    assert "Traceback" not in result.output


def test_classify_a_registered_pilot_writes_a_file_to_import(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL)
    assert run("import", path, "--by", "innovatie", "--db", store_url).exit_code == 0
    answers = "ai-system\nexternal\nno\nnone\nnone\nnone\nnone\nno\nnone\n"
    refused = run("classify", "minimal-pilot", "--ask", "--db", store_url, input=answers)
    assert refused.exit_code == 2
    assert "pass -o FILE, then `pilots import FILE`" in refused.stderr
    out = tmp_path / "answered.yaml"
    result = run("classify", "minimal-pilot", "--ask", "-o", out, "--db", store_url, input=answers)
    assert result.exit_code == 0, result.output
    assert run("import", out, "--by", "innovatie", "--db", store_url).exit_code == 0
    data = json.loads(run("classify", "minimal-pilot", "--json", "--db", store_url).stdout)
    assert data["beslishulp"]["conclusion"] == "13.0.4"


# --- obligations in the gates -----------------------------------------------------------------


def pilot(extra: dict[str, Any]) -> PilotDefinition:
    text = MINIMAL + yaml.safe_dump(extra, allow_unicode=True)
    return PilotDefinition.model_validate(load_mapping(text.encode()).data)


HIGH_RISK = {"governance": {"ai_act": {**ANSWERED, "risk_class": "high",
             "annex_iii": ["emergency-triage"], "organisation": "private", "profiling": False,
             "exemption": "none"}, "log_retention_months": 3}}  # fmt: skip


def criterion(gate: Any, criterion_id: str) -> Any:
    return next(r for r in gate.results if r.id == criterion_id)


def test_a_duty_asked_early_blocks_and_says_from_when_the_law_requires_it() -> None:
    gate = evaluate_gate(default_playbook(), "governance", pilot(HIGH_RISK), today=BEFORE)
    logs = criterion(gate, "high-risk-logs")
    assert not logs.met and logs.blocks
    assert "required by law from 2027-12-02" in logs.detail
    assert "organisation policy until the law applies" in logs.detail
    later = criterion(
        evaluate_gate(default_playbook(), "governance", pilot(HIGH_RISK), today=AFTER),
        "high-risk-logs",
    )
    assert "required by law since 2027-12-02" in later.detail


def law_timed_playbook() -> Any:
    text = (
        "name: wacht\ngates:\n  governance:\n"
        "    - {id: logs, kind: threshold, field: governance.log_retention_months, value: 6,"
        " obligation: [high-risk-deployer], says: Logs, hint: Keep them.}\n"
    )
    parsed, findings = parse_playbook(text.encode(), "wacht.yaml")
    assert findings == [] and parsed is not None
    return parsed


def test_a_duty_not_in_force_is_shown_with_its_date_and_does_not_block() -> None:
    gate = evaluate_gate(law_timed_playbook(), "governance", pilot(HIGH_RISK), today=BEFORE)
    logs = criterion(gate, "logs")
    assert gate.met and gate.pending == (logs,)
    assert logs.pending and logs.law_from == dt.date(2027, 12, 2)
    assert "required by law from 2027-12-02, not yet in force" in logs.detail
    assert gate.score == (0, 0)
    after = evaluate_gate(law_timed_playbook(), "governance", pilot(HIGH_RISK), today=AFTER)
    assert not after.met and criterion(after, "logs").blocks


def test_a_duty_the_pilot_does_not_bear_does_not_apply() -> None:
    minimal = {"governance": {"ai_act": {**ANSWERED, "risk_class": "minimal"}}}
    gate = evaluate_gate(law_timed_playbook(), "governance", pilot(minimal), today=AFTER)
    logs = criterion(gate, "logs")
    assert not logs.applies and "not a duty of this pilot" in logs.detail


def test_an_incomplete_classification_counts_every_duty() -> None:
    open_answers = {"governance": {"ai_act": {"risk_class": "minimal"}}}
    gate = evaluate_gate(default_playbook(), "governance", pilot(open_answers), today=BEFORE)
    assert criterion(gate, "fria").applies and criterion(gate, "fria").blocks
    assert criterion(gate, "ai-act-classified").blocks


# --- the supplier's certificate ---------------------------------------------------------------


def supplier(*certificates: dict[str, Any]) -> PilotDefinition:
    return pilot({"governance": {"vendor": {"name": "Leverancier",
                                            "certifications": list(certificates)}}})  # fmt: skip


def cert(standard: str, until: str) -> dict[str, Any]:
    return {"standard": standard, "certificate": "C-1", "certified_by": "DNV",
            "valid_until": dt.date.fromisoformat(until)}  # fmt: skip


@pytest.mark.parametrize(
    ("certificates", "met", "detail"),
    [
        ([], False, "no NEN 7510 certificate"),
        ([cert("ISO/IEC 27001:2022", "2030-01-01")], False,
         "no NEN 7510 certificate (only ISO/IEC 27001:2022)"),
        ([cert("NEN 7510:2017", "2026-01-31")], False,
         "the NEN 7510:2017 certificate expired on 2026-01-31"),
        ([cert("NEN 7510-1:2024", "2028-01-31")], True, "valid until 2028-01-31"),
        ([cert("nen7510", "2027-01-31"), cert("NEN 7510:2017", "2025-01-31")], True,
         "valid until 2027-01-31"),
        ([cert("NEN 75100", "2028-01-31")], False, "no NEN 7510 certificate"),
        ([cert("NEN 7510 (aangevraagd)", "2028-01-31")], False, "no NEN 7510 certificate"),
        ([cert("ISO 27001 (NEN 7510 equivalent)", "2028-01-31")], False, "no NEN 7510"),
        ([cert("NEN 7510:20171", "2028-01-31")], False, "no NEN 7510 certificate"),
        ([cert("NEN 7510-2:2017", "2028-01-31")], False, "no NEN 7510 certificate"),
        ([cert("NEN 7510:2017", "9999-12-31")], False, "more than 3 years ahead"),
        ([{**cert("NEN 7510:2017", "2028-01-31"), "certificate": " \u200b"}], False,
         "the certificate has no certificate"),
    ],
    ids=["none", "iso-27001", "expired", "later-edition", "one-valid", "75100", "applied-for",
         "equivalent", "five-digit-year", "part-2", "far-future", "blank-number"],
)  # fmt: skip
def test_the_supplier_check_checks(certificates: list[Any], met: bool, detail: str) -> None:
    gate = evaluate_gate(default_playbook(), "governance", supplier(*certificates), today=BEFORE)
    result = criterion(gate, "supplier-nen7510")
    assert result.met is met
    assert detail in result.detail


def test_free_text_in_the_old_nen7510_field_no_longer_passes() -> None:
    old = pilot({"governance": {"vendor": {"name": "L", "nen7510": "ISO27001-123"}}})
    gate = evaluate_gate(default_playbook(), "governance", old, today=BEFORE)
    assert not criterion(gate, "supplier-nen7510").met


# --- what a playbook may not weaken -----------------------------------------------------------


def changed_default(criterion_id: str, **changes: Any) -> Any:
    from genai_pilots.domain.playbook import Playbook

    base = default_playbook()
    data = base.model_dump(mode="json", by_alias=True, exclude_none=True)
    for item in data["gates"]["governance"]:
        if item["id"] == criterion_id:
            item.update(changes)
    return Playbook.model_validate(data)


@pytest.mark.parametrize(
    ("criterion_id", "changes", "what"),
    [
        ("high-risk-logs", {"early": False}, "waits for the law instead of asking it now"),
        ("fria", {"obligation": ["importer"]}, "no longer checks the duties fria"),
        ("legal-basis", {"obligation": ["fria"]}, "applies only to pilots with the duties fria"),
        ("supplier-nen7510", {"standards": ["NEN 7510", "ISO/IEC 27001"]},
         "also accepts ISO/IEC 27001"),
    ],
)  # fmt: skip
def test_narrowing_a_legal_duty_is_a_weakening(
    criterion_id: str, changes: dict[str, Any], what: str
) -> None:
    found = weakenings(default_playbook(), changed_default(criterion_id, **changes))
    assert [w.what for w in found if w.criterion == criterion_id] == [what]


def waiting_playbook(tmp_path: Path) -> Path:
    """A playbook whose log criterion waits for the law instead of asking it now."""
    return write(
        tmp_path / "wacht.yaml",
        "name: wacht\nextends: default\ngates:\n  governance:\n"
        "    - {id: high-risk-logs, kind: threshold, field: governance.log_retention_months,"
        " value: 6, obligation: [high-risk-deployer], says: Logs, hint: Keep them.,"
        " required_by_law: true, waivable: false}\n",
    )


def test_a_playbook_that_waits_for_the_law_is_refused_without_allow_weaker(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    waiting = waiting_playbook(tmp_path)
    refused = run("playbook", "set", waiting, "--reason", "later", "--db", store_url)
    assert refused.exit_code == 1
    assert (
        "weakens 1 criterion that the law, four eyes or patient privacy require" in refused.stderr
    )


# --- definitions stored before the questions existed ------------------------------------------


def test_an_unchanged_file_stays_unchanged_against_a_definition_stored_earlier() -> None:
    text = (EXAMPLES / "triage-huisartsenpost.yaml").read_bytes()
    definition = PilotDefinition.model_validate(load_mapping(text).data)
    stored = definition_json(definition)
    for key in (
        "system",
        "sourcing",
        "in_use",
        "exception",
        "prohibited",
        "annex_i",
        "third_party_conformity",
        "annex_iii",
        "organisation",
        "transparency_uses",
    ):
        stored["governance"]["ai_act"].pop(key)  # as an earlier release stored it
    stored["governance"].pop("ai_disclosure")
    stored["governance"]["vendor"]["certifications"] = []

    class Earlier:
        definition = stored
        stage = "governance"
        outcome = None

    assert plan_change(ValidDefinition.of(definition, "t.yaml", (1, 1)), Earlier).action == (
        "update"
    )
    same = PilotDefinition.model_validate(
        {**definition.model_dump(mode="json"), "governance": stored["governance"]}, strict=False
    )
    unchanged = plan_change(ValidDefinition.of(same, "t.yaml", (1, 1)), Earlier)
    assert (unchanged.action, unchanged.changes, unchanged.regating) == ("unchanged", [], [])


# --- the legal-basis page ---------------------------------------------------------------------


def test_the_legal_basis_page_is_what_the_code_says() -> None:
    from genai_pilots.render.classification import obligations_markdown
    from genai_pilots.render.playbook import legal_basis_markdown

    page = (EXAMPLES.parent / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    assert legal_basis_markdown(default_playbook()) in page
    assert obligations_markdown() in page


def test_playbook_show_legal_names_law_and_policy(run: Run, tmp_path: Path) -> None:
    result = run("playbook", "show", "--legal", "--db", f"sqlite:///{tmp_path / 'p.db'}")
    assert result.exit_code == 0, result.output
    assert "| governance | `high-risk-logs` |" in result.stdout
    assert "law from 2027-12-02 (high-risk-deployer; asked now)" in result.stdout
    assert "| skills | `champions` | Champions named | policy |" in result.stdout


@pytest.mark.store
def test_the_gate_shows_a_duty_waiting_for_the_law_without_blocking(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    waiting = waiting_playbook(tmp_path)
    stored = run("playbook", "set", waiting, "--reason", "de wet volgen", "--allow-weaker",
                 "--by", "kwaliteit", "--db", store_url)  # fmt: skip
    assert stored.exit_code == 0, stored.output
    assert run("import", EXAMPLES / "triage-huisartsenpost.yaml", "--by", "innovatie",
               "--db", store_url).exit_code == 0  # fmt: skip
    gate = json.loads(run("gate", "triage-huisartsenpost", "--json", "--db", store_url).stdout)
    logs = next(c for c in gate["criteria"] if c["id"] == "high-risk-logs")
    assert (logs["met"], logs["pending"], logs["blocks"]) == (False, True, False)
    assert logs["law_from"] == "2027-12-02"
    assert "required by law from 2027-12-02, not yet in force" in logs["detail"]
    shown = run("gate", "triage-huisartsenpost", "--db", store_url)
    assert "…   Logs [high-risk-logs]" in shown.stdout


def test_a_playbook_asking_an_edition_accepts_later_ones_and_refuses_non_names() -> None:
    text = (
        "name: editie\ngates:\n  governance:\n"
        "    - {id: c, kind: certified, field: governance.vendor.certifications,"
        " standards: ['NEN 7510:2017'], says: s, hint: h}\n"
    )
    rules, findings = parse_playbook(text.encode(), "editie.yaml")
    assert findings == [] and rules is not None
    for standard, met in (("NEN 7510-1:2024", True), ("NEN 7510:2024", True),
                          ("NEN 7510:2011", False), ("NEN 7510", False)):  # fmt: skip
        gate = evaluate_gate(rules, "governance", supplier(cert(standard, "2028-01-31")),
                             today=BEFORE)  # fmt: skip
        assert gate.met is met, standard
    blank = text.replace("['NEN 7510:2017']", "['NEN 7510', ' ']")
    _, refused = parse_playbook(blank.encode(), "editie.yaml")
    assert any("is not a standard's name" in f.message for f in refused)


# --- writing into a team's file -----------------------------------------------------------------

ALL_NO = "ai-system\nexternal\nno\nnone\nnone\nnone\nnone\nno\nnone\n"


def test_again_changes_only_the_answers_that_changed(run: Run, tmp_path: Path) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL)
    assert run("classify", path, "--ask", input=ALL_NO).exit_code == 0
    text = path.read_text(encoding="utf-8").replace(
        "    annex_i: none\n", "    annex_i: none  # geen medisch hulpmiddel\n"
    )
    path.write_text(text.replace("    sourcing: external\n",
                                 "    # de leverancier levert het zo\n    sourcing: external\n"),
                    encoding="utf-8")  # fmt: skip
    answers = "\n\nyes\n2026-03-01\n\n\n\n\n\n\n"  # Enter keeps each answer; in use now
    result = run("classify", path, "--ask", "--again", input=answers)
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "    annex_i: none  # geen medisch hulpmiddel\n" in after
    assert "    # de leverancier levert het zo\n    sourcing: external\n" in after
    assert "    in_use: true\n" in after and "    in_use_since: 2026-03-01\n" in after
    unchanged = run("classify", path, "--ask", "--again", input="\n" * 11)
    assert "no answer changed; nothing was written" in unchanged.stdout


def test_line_endings_byte_order_mark_and_permissions_are_kept(run: Run, tmp_path: Path) -> None:
    import os
    import stat

    path = tmp_path / "p.yaml"
    path.write_bytes(("\ufeff" + MINIMAL + "governance:\n  dpia: {status: done}\n").replace(
        "\n", "\r\n").encode())  # fmt: skip
    os.chmod(path, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    assert run("classify", link, "--ask", input=ALL_NO).exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\n" not in raw.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and link.is_symlink()
    assert run("validate", path).exit_code == 0


def test_a_read_only_file_is_left_alone(run: Run, tmp_path: Path) -> None:
    import os

    path = write(tmp_path / "p.yaml", MINIMAL)
    os.chmod(path, 0o444)
    result = run("classify", path, "--ask", input=ALL_NO)
    assert result.exit_code == 2 and "read-only" in result.stderr
    assert path.read_text(encoding="utf-8") == MINIMAL


def test_an_edit_made_while_the_questions_were_answered_is_not_overwritten(
    tmp_path: Path,
) -> None:
    from genai_pilots.errors import UsageError
    from genai_pilots.services.exporting import write_atomically

    path = write(tmp_path / "p.yaml", MINIMAL)
    read = path.read_bytes()
    path.write_text(MINIMAL + "# een collega was sneller\n", encoding="utf-8")
    with pytest.raises(UsageError, match="changed while the questions were answered"):
        write_atomically(path, "nieuw", unchanged_since=read)
    assert path.read_text(encoding="utf-8").endswith("sneller\n")


def test_output_options_are_checked_before_any_question(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    path = write(tmp_path / "p.yaml", MINIMAL)
    assert run("import", path, "--by", "innovatie", "--db", store_url).exit_code == 0
    other = write(tmp_path / "andere-pilot.yaml", "# van een ander team\n")
    taken = run("classify", "minimal-pilot", "--ask", "-o", other, "--db", store_url, input="")
    assert taken.exit_code == 2 and "exists" in taken.stderr
    assert other.read_text(encoding="utf-8") == "# van een ander team\n"
    assert "What is it" not in taken.stderr  # refused before the first question
    alone = run("classify", "minimal-pilot", "-o", tmp_path / "new.yaml", "--db", store_url)
    assert alone.exit_code == 2 and "--ask" in alone.stderr


def test_classify_asks_without_click_installed(tmp_path: Path) -> None:
    """Typer no longer brings click: the questionnaire must not need it."""
    import subprocess
    import sys

    path = write(tmp_path / "p.yaml", MINIMAL)
    code = ("import sys; sys.modules['click'] = None; sys.argv = ['pilots', 'classify', "
            f"{str(path)!r}, '--ask']; from genai_pilots.cli import main; main()")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], input=ALL_NO, capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "13.0.4" in done.stdout


def test_a_condition_on_what_the_answers_say_holds_without_the_earlier_facts(
    run: Run, tmp_path: Path
) -> None:
    text = (EXAMPLES / "patientvragen-chatbot-thuiszorg.yaml").read_text(encoding="utf-8")
    stripped = write(tmp_path / "c.yaml", text.replace("    patient_facing: true\n", ""))
    result = run("validate", "--playbook", EXAMPLES / "playbooks" / "zorggroep-oost.yaml",
                 stripped)  # fmt: skip
    assert "missing approval of ethics_committee" in result.stdout


def test_a_dry_run_says_the_real_run_would_be_refused(
    run: Run, store_url: str, tmp_path: Path
) -> None:
    waiting = waiting_playbook(tmp_path)
    dry = run("playbook", "set", waiting, "--reason", "later", "--dry-run", "--db", store_url)
    assert dry.exit_code == 0
    assert "a real run is refused without --allow-weaker" in dry.stdout


def test_ask_with_json_keeps_stdout_pure_json(tmp_path: Path) -> None:
    """A real process: the test runner would echo the typed answers onto stdout itself."""
    import subprocess
    import sys

    path = write(tmp_path / "p.yaml", MINIMAL)
    done = subprocess.run(
        [sys.executable, "-m", "genai_pilots", "classify", str(path), "--ask", "--json"],
        input=ALL_NO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["beslishulp"]["conclusion"] == "13.0.4"
    assert "wrote the answers" in done.stderr


def test_in_use_since_a_day_still_to_come_is_an_error() -> None:
    answers = {**ANSWERED, "in_use": True, "in_use_since": dt.date(2099, 1, 1)}
    text = MINIMAL + yaml.safe_dump({"governance": {"ai_act": answers}})
    assert ("ai-act-in-use", "governance.ai_act.in_use_since", "error") in validated(text)


def test_a_list_of_blank_names_is_no_list_of_names() -> None:
    gate = evaluate_gate(default_playbook(), "skills", pilot({"skills": {"champions": [" "]}}),
                         today=BEFORE)  # fmt: skip
    assert not criterion(gate, "champions").met
