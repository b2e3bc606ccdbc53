"""The classification against the official Beslishulp AI-verordening 1.0.0 decision tree.

Every path through the tree (``tests/beslishulp.py`` walks all 3140) is turned into the
answers a definition would hold; the classification must reach the same conclusion id and
risk group, and name the same articles. The one documented difference (Art. 6(1)(b): a
product under Annex I section A without a third-party assessment is not high-risk) is
checked as a difference: the tree's id is reported as ``beslishulp_literal``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path as FilePath
from typing import Any

import pytest

from genai_pilots.domain.ai_act import classify
from genai_pilots.domain.definition import AiAct
from tests.beslishulp import Path, load_tree, obligation_articles, risk_group, walk
from tests.conftest import MINIMAL, Run, write

TREE = load_tree()
PATHS = walk(TREE)

SOURCING = {
    "We ontwikkelen enkel": "develop-only",
    "We ontwikkelen, maar gebruiken het niet alleen zelf": "develop-and-use",
    "We ontwikkelen en gebruiken het zelf": "develop-and-use",
    "We hebben opdracht gegeven om de toepassing te ontwikkelen": "commissioned",
    "We gebruiken een extern ontwikkelde toepassing zonder aanpassingen": "external",
    "We gebruiken een extern ontwikkelde toepassing met aanpassingen": "external-adapted",
    "We importeren van een leverancier buiten de EU": "import",
    "We kopen van een leverancier binnen de EU en verkopen het": "distribute",
    "Geen van bovenstaande": "none",
}
SYSTEM = {
    ("1.4.1", "Ja, het is een AI-systeem"): "ai-system",
    ("1.4.2", "AI-systeem voor algemene doeleinden"): "gpai-system",
    ("1.4.2", "AI-model voor algemene doeleinden"): "gpai-model",
    ("1.4.2", "Geen van bovenstaande"): "not-ai",
    ("1.6.1", "Ja"): "not-ai",
    ("1.6.2", "Nee"): "not-ai",
    ("1.6.3", "Ja"): "ai-system",
    ("1.6.3", "Nee"): "not-ai",
}
ANNEX_I = {"Ja Sectie A van Bijlage I": "section-a", "Ja Sectie B van Bijlage I": "section-b",
           "Geen van beide": "none"}  # fmt: skip
YES_NO = {
    "2.2": "prohibited_exception",
    "2.5": "profiling",
    "2.7.1": "third_party_conformity",
    "2.8": "systemic_risk",
    "2.10": "transparency_exception",
    "2.11": "open_source",
}


def answers_of(path: Path) -> dict[str, Any]:
    """What a definition holds after answering as the path did.

    Questions this project asks where the tree does not get a neutral answer: the kind of
    organisation (private), Annex III uses after an Annex I product (none), the third-party
    question for importers and distributors of an Annex I product (yes: the tree counts it
    high-risk), and open source where the tree skips it (no).
    """
    facts: dict[str, Any] = {
        "organisation": "private", "annex_iii": [], "third_party_conformity": True,
        "open_source": False,
    }  # fmt: skip
    for step in path.steps:
        question, answer = step.question_id, step.answer_text
        if question == "1.1":
            facts["system"] = "no-algorithm" if answer == "Nee" else None
        elif question == "1.2":
            facts["sourcing"] = SOURCING[answer]
        elif question == "1.3":
            facts["in_use"] = answer == "In gebruik"
            if facts["in_use"]:
                facts["in_use_since"] = dt.date(2026, 1, 1)
        elif (question, answer) in SYSTEM:
            facts["system"] = SYSTEM[(question, answer)]
        elif question == "1.5":
            facts["exception"] = "scientific-research" if answer == "Ja" else "none"
            facts["exception_justification"] = "Alleen voor wetenschappelijk onderzoek."
        elif question == "2.1":
            # the one practice the law-enforcement exceptions of question 2.2 can lift
            facts["prohibited"] = (
                ["realtime-remote-biometric-identification"] if answer == "Ja" else []
            )
        elif question == "2.3":
            facts["annex_i"] = ANNEX_I[answer]
        elif question == "2.4":
            facts["annex_iii"] = ["emergency-triage"] if answer == "Ja" else []
        elif question == "2.6":
            facts["exemption"] = "preparatory-task" if answer == "Ja" else "none"
            facts["exemption_justification"] = "Een voorbereidende taak; de mens beoordeelt."
        elif question == "2.9":
            facts["transparency_uses"] = ["interacts-with-people"] if answer == "Ja" else []
        elif question in YES_NO:
            facts[YES_NO[question]] = answer == "Ja"
    if facts.get("system") is None:  # this project asks what it is first; a GenAI pilot is one
        facts["system"] = "ai-system"
    return facts


def deviates(path: Path) -> bool:
    """A path through Annex I section A without a third-party assessment (Art. 6(1)(b))."""
    return path.answer("2.7.1") == "Nee"


def test_the_walk_covers_every_conclusion_of_the_tree() -> None:
    assert {p.conclusion_id for p in PATHS} == set(TREE.conclusions)
    assert len(PATHS) == 3140


def test_every_path_reaches_the_same_conclusion_and_risk_group() -> None:
    wrong: list[str] = []
    for path in PATHS:
        found = classify(AiAct.model_validate(answers_of(path)))
        expected = path.conclusion_id, risk_group(path, TREE)
        if deviates(path):
            continue
        if (found.beslishulp, found.risk_group) != expected or not found.complete:
            wrong.append(f"{expected} but {found.beslishulp}, {found.risk_group}: {path.steps}")
    assert wrong == [], f"{len(wrong)} paths differ, first: {wrong[:3]}"


def test_annex_i_without_a_third_party_is_the_one_reported_difference() -> None:
    differing = [p for p in PATHS if deviates(p)]
    assert differing
    for path in differing:
        found = classify(AiAct.model_validate(answers_of(path)))
        assert found.beslishulp_literal == path.conclusion_id
        assert found.risk_group == "not-high-risk"
        assert risk_group(path, TREE) == "high-risk"
        assert any("Art. 6(1)(b)" in note for note in found.notes)


def test_every_path_names_the_articles_the_tree_names() -> None:
    """The binding duties' articles equal the tree's headings, read the way the law does.

    The tree heads every high-risk deployer with Art. 26 *and* 27, while Art. 27 binds only
    public bodies and public services (and 5(b), 5(c)); a prohibited practice has no heading;
    the tree names no heading for Art. 6(4)/49(2) (a provider's exemption) or 49(3); and for a
    product of Annex I section B only Art. 6(1), 102-109 and 112 apply (Art. 2(2)), where the
    tree lists the duties of Chapter III.
    """
    wrong = []
    for path in PATHS:
        if deviates(path):
            continue
        found = classify(AiAct.model_validate(answers_of(path)))
        ours = {a for o in found.obligations if not o.voluntary for a in o.articles} - {5, 6, 49}
        if 26 in ours:
            ours.add(27)
        tree = obligation_articles(TREE.conclusions[path.conclusion_id])
        if path.answer("2.3") == "Ja Sectie B van Bijlage I":
            assert ours == set(), path.steps
            continue
        if ours != tree:
            wrong.append((path.conclusion_id, sorted(ours), sorted(tree)))
    assert wrong == [], wrong[:5]


def one_path_per_conclusion() -> list[Path]:
    shortest: dict[str, Path] = {}
    for path in PATHS:
        if deviates(path):
            continue
        known = shortest.get(path.conclusion_id)
        if known is None or len(path.steps) < len(known.steps):
            shortest[path.conclusion_id] = path
    return [shortest[key] for key in sorted(shortest)]


def _ai_act_yaml(facts: dict[str, Any]) -> str:
    lines = ["governance:", "  ai_act:"]
    for key, value in facts.items():
        if value is not None:
            text = value.isoformat() if isinstance(value, dt.date) else json.dumps(value)
            lines.append(f"    {key}: {text}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("path", one_path_per_conclusion(), ids=lambda p: p.conclusion_id)
def test_pilots_classify_json_gives_the_tree_conclusion(
    path: Path, run: Run, tmp_path: FilePath
) -> None:
    definition = write(tmp_path / "pilot.yaml", MINIMAL + _ai_act_yaml(answers_of(path)))
    result = run("classify", definition, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["beslishulp"] == {"version": TREE.version, "conclusion": path.conclusion_id,
                                  "literal": None}  # fmt: skip
    assert data["risk_group"] == risk_group(path, TREE)
    assert data["complete"] is True


def test_paths_per_group_are_counted_as_the_walker_counts_them() -> None:
    """A guard on the mapping itself: each tree risk group is reached by our answers too."""
    groups: dict[str, set[str]] = defaultdict(set)
    for path in PATHS:
        groups[risk_group(path, TREE)].add(path.conclusion_id)
    assert set(groups) == {
        "prohibited", "high-risk", "not-high-risk", "gpai-systemic-risk", "gpai-model",
        "out-of-scope",
    }  # fmt: skip
