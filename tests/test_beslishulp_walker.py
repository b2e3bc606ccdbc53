"""The helper that walks the Beslishulp AI-verordening decision tree (tests/beslishulp.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path as FilePath

import pytest

from tests.beslishulp import (
    And,
    Has,
    Not,
    Or,
    Path,
    Step,
    Tree,
    TreeError,
    dead_ends,
    holds,
    load_tree,
    obligation_articles,
    parse_condition,
    risk_group,
    risk_group_from_text,
    untaken_redirects,
    walk,
)


@pytest.fixture(scope="module")
def tree() -> Tree:
    return load_tree()


@pytest.fixture(scope="module")
def paths(tree: Tree) -> list[Path]:
    return walk(tree)


def labels(*names: str) -> frozenset[str]:
    return frozenset(names)


# --- the condition language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "given", "expected"),
    [
        ('"a" in labels', labels("a"), True),
        ('"a" in labels', labels("b"), False),
        ('!("a" in labels)', labels("b"), True),
        ('!("a" in labels)', labels("a"), False),
        ('"a" in labels && "b" in labels', labels("a"), False),
        ('"a" in labels || "b" in labels', labels("b"), True),
        # && binds tighter than ||: a || (b && c)
        ('"a" in labels || "b" in labels && "c" in labels', labels("a"), True),
        ('"a" in labels || "b" in labels && "c" in labels', labels("b"), False),
        ('("a" in labels || "b" in labels) && "c" in labels', labels("a"), False),
        ('("a" in labels || "b" in labels) && "c" in labels', labels("b", "c"), True),
        ('!("a" in labels) && !("b" in labels) && !("c" in labels)', labels(), True),
        ('!("a" in labels) && !("b" in labels) && !("c" in labels)', labels("c"), False),
        ('!!("a" in labels)', labels("a"), True),
        ('"hoog-risico AI" in labels', labels("geen hoog-risico AI"), False),
    ],
)
def test_conditions_evaluate(source: str, given: frozenset[str], expected: bool) -> None:
    assert holds(parse_condition(source), given) is expected


def test_conditions_parse_to_the_expected_shape() -> None:
    assert parse_condition('!("a" in labels) && "b" in labels || "c" in labels') == Or(
        And(Not(Has("a")), Has("b")), Has("c")
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('"a" in labels == "b"', "unknown token at '== \"b\"'"),
        ("'a' in labels", "unknown token"),
        ('"a" in labels & "b" in labels', "unknown token at '& "),
        ('__import__("os").system("true")', "unknown token at '__import__"),
        ('"a" in labelz', "unknown token at 'labelz'"),
        ('"unterminated in labels', "unknown token"),
        ('"a" in', "expected 'labels', found end of condition"),
        ('("a" in labels', "expected ')'"),
        ('"a" in labels)', "unexpected ')' after a complete condition"),
        ('"a" in labels "b" in labels', "unexpected '\"b\"' after a complete condition"),
        ('"a" in labels ||', "expected a term, found end of condition"),
        ("labels", "unexpected 'labels'"),
        ("", "expected a term"),
    ],
)
def test_conditions_refuse_anything_else(source: str, message: str) -> None:
    with pytest.raises(TreeError, match="condition") as raised:
        parse_condition(source)
    assert message in str(raised.value)


# --- the walk over the real tree --------------------------------------------------------------


def test_the_tree_is_version_1_0_0_with_22_questions_and_50_conclusions(tree: Tree) -> None:
    assert (tree.version, len(tree.questions), len(tree.conclusions)) == ("1.0.0", 22, 50)


def test_every_conclusion_and_every_question_is_reached(tree: Tree, paths: list[Path]) -> None:
    reached = {p.conclusion_id for p in paths}
    assert sorted(set(tree.conclusions) - reached) == []
    assert reached <= set(tree.conclusions)
    asked = {s.question_id for p in paths for s in p.steps}
    assert asked == set(tree.questions)


def test_no_dead_ends(tree: Tree) -> None:
    assert dead_ends(tree) == []


def test_path_counts(tree: Tree, paths: list[Path]) -> None:
    assert len(paths) == 3140
    assert len(set(paths)) == len(paths)
    assert all(p.steps[0].question_id == "1.1" for p in paths)
    groups = Counter(risk_group(p, tree) for p in paths)
    assert groups == {
        "high-risk": 1596,
        "not-high-risk": 900,
        "out-of-scope": 558,
        "prohibited": 48,
        "gpai-model": 26,
        "gpai-systemic-risk": 12,
    }


def test_labels_are_the_union_of_the_steps(paths: list[Path]) -> None:
    for path in paths:
        assert path.labels == frozenset(label for s in path.steps for label in s.labels_added)


EXTERN = "We gebruiken een extern ontwikkelde toepassing zonder aanpassingen"
OWN_USE = "We ontwikkelen en gebruiken het zelf"
IMPORT = "We importeren van een leverancier buiten de EU"
DISTRIBUTE = "We kopen van een leverancier binnen de EU en verkopen het"
AI_SYSTEM = "Ja, het is een AI-systeem"
NO_AI_SYSTEM = "Nee, het is geen AI-systeem"
GPAI_MODEL = "AI-model voor algemene doeleinden"
TO_RISK = "Naar risicogroep bepaling"

# Read off the YAML by hand: (question, answer) in order, the conclusion, the risk group.
HAND_CHECKED = {
    "no algorithm": ([("1.1", "Nee")], "11.0", "out-of-scope"),
    "deployer, Annex III, no profiling, no exemption, no transparency": (
        [
            ("1.1", "Ja"),
            ("1.2", EXTERN),
            ("1.3", "In gebruik"),
            ("1.4.1", AI_SYSTEM),
            ("1.5", "Nee"),
            ("2.0", TO_RISK),
            ("2.1", "Nee"),
            ("2.3", "Geen van beide"),
            ("2.4", "Ja"),
            ("2.7.2", "Nee"),
            ("2.5", "Nee"),
            ("2.6", "Nee"),
            ("2.9", "Nee"),
        ],
        "13.0.2",
        "high-risk",
    ),
    "provider and deployer, not high-risk, open source, no transparency": (
        [
            ("1.1", "Ja"),
            ("1.2", OWN_USE),
            ("1.3", "In ontwikkeling"),
            ("1.4.1", AI_SYSTEM),
            ("1.5", "Nee"),
            ("2.0", TO_RISK),
            ("2.1", "Nee"),
            ("2.3", "Geen van beide"),
            ("2.4", "Nee"),
            ("2.11", "Ja"),
            ("2.9", "Nee"),
        ],
        "11.2",
        "out-of-scope",
    ),
    "provider and deployer of a prohibited system": (
        [
            ("1.1", "Ja"),
            ("1.2", OWN_USE),
            ("1.3", "In gebruik"),
            ("1.4.1", AI_SYSTEM),
            ("1.5", "Nee"),
            ("2.0", TO_RISK),
            ("2.1", "Ja"),
            ("2.2", "Nee"),
        ],
        "14.0.0",
        "prohibited",
    ),
    "provider of a general-purpose AI model with systemic risk": (
        [
            ("1.1", "Ja"),
            ("1.2", "We ontwikkelen enkel"),
            ("1.3", "In ontwikkeling"),
            ("1.4.1", NO_AI_SYSTEM),
            ("1.4.2", GPAI_MODEL),
            ("1.5", "Nee"),
            ("2.0", TO_RISK),
            ("2.8", "Ja"),
        ],
        "12.2.1",
        "gpai-systemic-risk",
    ),
    "importer, prohibited practice with an exception (no risk label)": (
        [
            ("1.1", "Ja"),
            ("1.2", IMPORT),
            ("1.3", "In gebruik"),
            ("1.4.1", AI_SYSTEM),
            ("1.5", "Nee"),
            ("2.0", TO_RISK),
            ("2.1", "Ja"),
            ("2.2", "Ja"),
        ],
        "15.0.1",
        "high-risk",
    ),
    "distributor of a general-purpose AI model (no risk label)": (
        [
            ("1.1", "Ja"),
            ("1.2", DISTRIBUTE),
            ("1.3", "In gebruik"),
            ("1.4.1", NO_AI_SYSTEM),
            ("1.4.2", GPAI_MODEL),
        ],
        "16.2.1",
        "gpai-model",
    ),
}


@pytest.mark.parametrize("case", HAND_CHECKED, ids=list(HAND_CHECKED))
def test_hand_checked_paths(case: str, tree: Tree, paths: list[Path]) -> None:
    answers, conclusion, group = HAND_CHECKED[case]
    found = [p for p in paths if [(s.question_id, s.answer_text) for s in p.steps] == answers]
    assert len(found) == 1
    (path,) = found
    assert path.conclusion_id == conclusion
    assert risk_group(path, tree) == group
    assert risk_group(path) == group  # the default tree is the same copy


def test_path_answer_and_labels(paths: list[Path]) -> None:
    (path,) = [
        p
        for p in paths
        if p.answer("1.2") == EXTERN
        and p.answer("1.3") == "In gebruik"
        and p.answer("2.4") == "Ja"
        and p.answer("2.7.2") == "Nee"
        and p.answer("2.5") == "Nee"
        and p.answer("2.6") == "Nee"
        and p.answer("2.9") == "Nee"
        and p.answer("1.4.1") == AI_SYSTEM
        and p.answer("2.1") == "Nee"
    ]
    assert path.answer("2.8") is None
    assert path.steps[-1] == Step("2.9", "Nee", ("geen transparantieverplichting",))
    assert path.labels == {
        "gebruiksverantwoordelijke",
        "in gebruik",
        "AI-systeem",
        "niet van toepassing",
        "hoog-risico AI",
        "geen transparantieverplichting",
    }


def test_paths_without_a_risk_label_are_importers_and_distributors(
    tree: Tree, paths: list[Path]
) -> None:
    risk = {"verboden AI", "hoog-risico AI", "geen hoog-risico AI", "systeemrisico"}
    risk |= {"geen systeemrisico"}
    bare = [p for p in paths if not p.conclusion_id.startswith("11.") and not p.labels & risk]
    assert Counter(p.conclusion_id for p in bare) == {
        "15.0.1": 4,
        "16.0.1": 4,
        "15.1.1": 2,
        "16.1.1": 2,
        "15.2.1": 2,
        "16.2.1": 2,
    }
    assert all(p.labels & {"importeur", "distributeur"} for p in bare)
    for path in bare:
        prohibited_exception = path.answer("2.2") == "Ja"
        assert prohibited_exception or path.answer("1.4.2") == GPAI_MODEL
        expected = "high-risk" if prohibited_exception else "gpai-model"
        assert risk_group(path, tree) == expected


def test_risk_group_by_labels_agrees_with_the_conclusion_text_but_once(
    tree: Tree, paths: list[Path]
) -> None:
    disagree = Counter(
        (p.conclusion_id, risk_group(p, tree))
        for p in paths
        if risk_group(p, tree) != risk_group_from_text(tree.conclusions[p.conclusion_id])
    )
    # a deployer of a model with systemic risk (2.8 Ja) gets the same conclusion as without
    assert disagree == {("13.2.1", "gpai-systemic-risk"): 2}


def test_risk_group_refuses_contradicting_labels() -> None:
    path = Path((), labels("hoog-risico AI", "geen hoog-risico AI"), "12.0.2")
    with pytest.raises(TreeError, match="high-risk"):
        risk_group(path)


def test_redirects_that_no_path_takes(tree: Tree) -> None:
    untaken = Counter(
        (q, a, r.target.question_id or r.target.conclusion_id)
        for q, a, r in untaken_redirects(tree)
    )
    nee_2_11 = ["14.0.2", "14.0.4", "14.1.2", "14.1.4", "13.0.2", "13.0.4", "13.1.2", "13.1.4"]
    nee_2_11 += ["12.0.2", "12.0.4", "12.1.2", "12.1.4"]
    assert untaken == {
        # the first redirect, to 2.0, already takes every AI model
        ("1.5", "Nee", "13.2.1"): 1,
        # 2.9 is only reached with "hoog-risico AI" or after 2.11 answered: never back to 2.11
        ("2.9", "Nee", "2.11"): 1,
        ("2.10", "Ja", "2.11"): 1,
        # so 2.11 never comes after a transparency answer, nor for a high-risk system
        ("2.11", "Ja", "11.2"): 1,
        **{("2.11", "Nee", c): 1 for c in nee_2_11},
    }


# --- obligations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("conclusion", "articles"),
    [
        ("11.0", set()),
        ("12.0.0", set()),
        ("12.0.2", {4, 16}),
        ("12.0.4", {4}),
        ("13.0.1", {4, 26, 27, 50}),
        ("13.0.2", {4, 26, 27}),
        ("14.1.1", {4, 16, 26, 27, 50, 53, 54}),
        ("12.2.1", {53, 54, 55}),
        ("12.2.3", {53, 54}),  # its "Geldig vanaf (Artikel 111 ...)" heading is not counted
        ("13.2.1", set()),
        ("15.0.1", {23}),
        ("16.1.1", {24}),
        ("15.0.3", set()),
    ],
)
def test_obligation_articles(tree: Tree, conclusion: str, articles: set[int]) -> None:
    assert obligation_articles(tree.conclusions[conclusion]) == articles


def test_obligations_follow_the_labels_on_every_path(tree: Tree, paths: list[Path]) -> None:
    for path in paths:
        articles = obligation_articles(tree.conclusions[path.conclusion_id])
        group, has = risk_group(path, tree), path.labels
        if group == "high-risk":
            assert ("aanbieder" in has) == (16 in articles), path
            assert ("gebruiksverantwoordelijke" in has) == ({26, 27} <= articles), path
            assert ("importeur" in has) == (23 in articles), path
            assert ("distributeur" in has) == (24 in articles), path
        assert ("transparantieverplichting" in has) == (50 in articles), path
        if group in {"high-risk", "not-high-risk"}:
            assert (4 in articles) != bool(has & {"importeur", "distributeur"}), path
        if group == "gpai-systemic-risk":
            assert ("aanbieder" in has) == (55 in articles), path


# --- the walker on small made-up trees --------------------------------------------------------

SMALL = """\
version: test
questions:
  - questionId: "1.1"
    question: first
    answers:
      - answer: a
        labels: ["x"]
        nextQuestionId: "1.2"
      - answer: b
        nextQuestionId: "1.2"
  - questionId: "1.2"
    question: second
    answers:
      - answer: c
        redirects:
          - nextConclusionId: "9.1"
            if: '"x" in labels'
          - nextQuestionId: "1.1"
            if: '{condition}'
conclusions:
  - conclusionId: "9.1"
    conclusion: done
    obligation: ""
"""


def small(tmp_path: FilePath, condition: str = '"y" in labels', **edit: str) -> Tree:
    """The small tree with the second redirect's condition, and ``{old: new}`` text edits."""
    text = SMALL.format(condition=condition)
    for old, new in edit.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    file = tmp_path / "tree.yaml"
    file.write_text(text, encoding="utf-8")
    return load_tree(file)


def test_a_redirect_that_never_holds_is_a_dead_end(tmp_path: FilePath) -> None:
    tree = small(tmp_path)
    assert [p.conclusion_id for p in walk(tree)] == ["9.1"]
    (dead,) = dead_ends(tree)
    assert (dead.question_id, dead.answer_text, dead.labels) == ("1.2", "c", frozenset())
    assert [(q, a, r.source) for q, a, r in untaken_redirects(tree)] == [
        ("1.2", "c", '"y" in labels')
    ]


def test_a_cycle_is_refused(tmp_path: FilePath) -> None:
    tree = small(tmp_path, condition='!("x" in labels)')
    with pytest.raises(TreeError, match=r"cycle: question 1.1 asked again after 1.1 -> 1.2"):
        walk(tree)


def test_unknown_targets_are_refused(tmp_path: FilePath) -> None:
    back = 'nextQuestionId: "1.1"'
    with pytest.raises(TreeError, match="unknown question 7.7"):
        walk(small(tmp_path, '!("x" in labels)', **{back: 'nextQuestionId: "7.7"'}))
    with pytest.raises(TreeError, match="unknown conclusion 9.9"):
        walk(small(tmp_path, **{'nextConclusionId: "9.1"': 'nextConclusionId: "9.9"'}))


def test_an_answer_needs_exactly_one_way_on(tmp_path: FilePath) -> None:
    both = {"- answer: c\n": '- answer: c\n        nextQuestionId: "1.1"\n'}
    with pytest.raises(TreeError, match="question 1.2, answer 'c': needs a next question"):
        small(tmp_path, **both)


def test_a_bad_condition_in_the_file_is_refused(tmp_path: FilePath) -> None:
    with pytest.raises(TreeError, match="unknown token at 'eval"):
        small(tmp_path, condition='eval("1")')
