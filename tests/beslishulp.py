"""Walk the official Beslishulp AI-verordening decision tree (a test helper, not a test file).

The tree (``tests/reference/beslishulp/decision-tree.yaml``, EUPL 1.2) is a list of questions
and conclusions. An answer may add ``labels`` and then names the next question
(``nextQuestionId``), a conclusion (``nextConclusionId``), or ``redirects``: the first redirect
whose ``if`` holds over the labels collected so far is taken. ``walk`` enumerates every path from
question ``1.1`` to a conclusion; ``dead_ends`` lists the answers where no redirect holds, and
``untaken_redirects`` the redirects that no path takes.

The ``if`` expressions are parsed here, never ``eval``-ed: string literals, ``in``, ``labels``,
``!``, ``&&``, ``||`` and parentheses, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FilePath
from typing import Any

import yaml

TREE_FILE = FilePath(__file__).resolve().parent / "reference" / "beslishulp" / "decision-tree.yaml"
START = "1.1"


class TreeError(ValueError):
    """The tree file, or a condition in it, is not what this helper can read."""


# --- conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Has:
    """``"label" in labels``."""

    label: str


@dataclass(frozen=True)
class Not:
    """``!operand``."""

    operand: Expr


@dataclass(frozen=True)
class And:
    """``left && right``."""

    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or:
    """``left || right``."""

    left: Expr
    right: Expr


Expr = Has | Not | And | Or

_TOKEN = re.compile(r'\s*(?:(?P<string>"[^"]*")|(?P<op>&&|\|\||[!()])|(?P<word>in|labels)\b)')


def _tokens(source: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    while position < len(source):
        if source[position:].isspace():
            break
        match = _TOKEN.match(source, position)
        if match is None:
            rest = source[position:].lstrip()
            raise TreeError(f"unknown token at {rest[:20]!r} in condition {source!r}")
        tokens.append(match.group(match.lastgroup or ""))
        position = match.end()
    return tokens


def parse_condition(source: str) -> Expr:
    """Parse an ``if`` expression; raise ``TreeError`` on anything outside the small grammar.

    or := and ("||" and)* ; and := unary ("&&" unary)* ;
    unary := "!" unary | "(" or ")" | STRING "in" "labels"
    """
    tokens = _tokens(source)
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take(expected: str | None = None) -> str:
        nonlocal position
        token = peek()
        if token is None or (expected is not None and token != expected):
            found = "end of condition" if token is None else repr(token)
            wanted = repr(expected) if expected else "a term"
            raise TreeError(f"expected {wanted}, found {found} in condition {source!r}")
        position += 1
        return token

    def disjunction() -> Expr:
        expr = conjunction()
        while peek() == "||":
            take()
            expr = Or(expr, conjunction())
        return expr

    def conjunction() -> Expr:
        expr = unary()
        while peek() == "&&":
            take()
            expr = And(expr, unary())
        return expr

    def unary() -> Expr:
        token = take()
        if token == "!":
            return Not(unary())
        if token == "(":
            expr = disjunction()
            take(")")
            return expr
        if token.startswith('"'):
            take("in")
            take("labels")
            return Has(token[1:-1])
        raise TreeError(f"unexpected {token!r} in condition {source!r}")

    expr = disjunction()
    if peek() is not None:
        raise TreeError(f"unexpected {peek()!r} after a complete condition {source!r}")
    return expr


def holds(expr: Expr, labels: frozenset[str]) -> bool:
    """Whether a parsed condition holds over the collected labels."""
    match expr:
        case Has(label):
            return label in labels
        case Not(operand):
            return not holds(operand, labels)
        case And(left, right):
            return holds(left, labels) and holds(right, labels)
        case Or(left, right):
            return holds(left, labels) or holds(right, labels)


# --- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where an answer or redirect leads: exactly one of a question and a conclusion."""

    question_id: str | None = None
    conclusion_id: str | None = None


@dataclass(frozen=True)
class Redirect:
    """One ``redirects`` entry: its condition as written and parsed, and where it leads."""

    source: str
    condition: Expr
    target: Target


@dataclass(frozen=True)
class Answer:
    """An answer: the labels it adds, then a target or a list of redirects."""

    text: str
    labels: tuple[str, ...]
    target: Target | None
    redirects: tuple[Redirect, ...]


@dataclass(frozen=True)
class Question:
    """A question and its answers, in the tree's order."""

    question_id: str
    text: str
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class Conclusion:
    """A conclusion: what the user is told, and the obligations (HTML fragments)."""

    conclusion_id: str
    text: str
    obligation: str


@dataclass(frozen=True)
class Tree:
    """The decision tree: questions and conclusions by id, and the tree's version."""

    version: str
    questions: Mapping[str, Question]
    conclusions: Mapping[str, Conclusion]


def _target(raw: Mapping[str, Any], where: str) -> Target:
    target = Target(raw.get("nextQuestionId"), raw.get("nextConclusionId"))
    if (target.question_id is None) == (target.conclusion_id is None):
        raise TreeError(f"{where}: needs exactly one of nextQuestionId and nextConclusionId")
    return target


def _answer(raw: Mapping[str, Any], question_id: str) -> Answer:
    where = f"question {question_id}, answer {raw['answer']!r}"
    redirects = tuple(
        Redirect(r["if"], parse_condition(r["if"]), _target(r, where))
        for r in raw.get("redirects", ())
    )
    has_target = "nextQuestionId" in raw or "nextConclusionId" in raw
    if has_target == bool(redirects):
        raise TreeError(f"{where}: needs a next question or conclusion, or redirects (not both)")
    target = _target(raw, where) if has_target else None
    return Answer(raw["answer"], tuple(raw.get("labels", ())), target, redirects)


def load_tree(path: FilePath = TREE_FILE) -> Tree:
    """Read the decision tree from its YAML file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions: dict[str, Question] = {}
    for q in raw["questions"]:
        qid = str(q["questionId"])
        answers = tuple(_answer(a, qid) for a in q["answers"])
        questions[qid] = Question(qid, q["question"], answers)
    conclusions = {
        str(c["conclusionId"]): Conclusion(str(c["conclusionId"]), c["conclusion"], c["obligation"])
        for c in raw["conclusions"]
    }
    return Tree(str(raw["version"]), questions, conclusions)


# --- walking ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One answered question on a path."""

    question_id: str
    answer_text: str
    labels_added: tuple[str, ...]


@dataclass(frozen=True)
class Path:
    """A way through the tree from question 1.1 to a conclusion."""

    steps: tuple[Step, ...]
    labels: frozenset[str]
    conclusion_id: str

    def answer(self, question_id: str) -> str | None:
        """The answer given to a question on this path, or None if the path does not ask it."""
        return next((s.answer_text for s in self.steps if s.question_id == question_id), None)


@dataclass(frozen=True)
class DeadEnd:
    """An answer whose redirects all fail for the labels collected on the way there."""

    question_id: str
    answer_text: str
    labels: frozenset[str]


def _explore(tree: Tree) -> Iterator[Path | DeadEnd]:
    """Depth-first over every answer; a question asked twice on one path is a cycle: an error."""

    def visit(
        qid: str, steps: tuple[Step, ...], labels: frozenset[str]
    ) -> Iterator[Path | DeadEnd]:
        if any(s.question_id == qid for s in steps):
            trail = " -> ".join(s.question_id for s in steps)
            raise TreeError(f"cycle: question {qid} asked again after {trail}")
        if qid not in tree.questions:
            raise TreeError(f"unknown question {qid} after {steps[-1] if steps else 'the start'}")
        for answer in tree.questions[qid].answers:
            here = (*steps, Step(qid, answer.text, answer.labels))
            collected = labels | frozenset(answer.labels)
            target = answer.target or next(
                (r.target for r in answer.redirects if holds(r.condition, collected)), None
            )
            if target is None:
                yield DeadEnd(qid, answer.text, collected)
            elif target.conclusion_id is not None:
                if target.conclusion_id not in tree.conclusions:
                    raise TreeError(f"unknown conclusion {target.conclusion_id} after {here[-1]}")
                yield Path(here, collected, target.conclusion_id)
            else:
                assert target.question_id is not None
                yield from visit(target.question_id, here, collected)

    return visit(START, (), frozenset())


def walk(tree: Tree) -> list[Path]:
    """Every path from question 1.1 to a conclusion, depth-first in the tree's answer order."""
    return [p for p in _explore(tree) if isinstance(p, Path)]


def dead_ends(tree: Tree) -> list[DeadEnd]:
    """Every (question, answer, labels) reached on a walk where no redirect holds."""
    return [d for d in _explore(tree) if isinstance(d, DeadEnd)]


def untaken_redirects(tree: Tree) -> list[tuple[str, str, Redirect]]:
    """Every (question id, answer text, redirect) that no path takes: it never holds first."""
    taken: set[tuple[str, str, int]] = set()
    for path in walk(tree):
        labels: frozenset[str] = frozenset()
        for step in path.steps:
            labels |= frozenset(step.labels_added)
            answers = tree.questions[step.question_id].answers
            answer = next(a for a in answers if a.text == step.answer_text)
            index = next(
                (i for i, r in enumerate(answer.redirects) if holds(r.condition, labels)), None
            )
            if index is not None:
                taken.add((step.question_id, step.answer_text, index))
    return [
        (question.question_id, answer.text, redirect)
        for question in tree.questions.values()
        for answer in question.answers
        for index, redirect in enumerate(answer.redirects)
        if (question.question_id, answer.text, index) not in taken
    ]


# --- reading conclusions ----------------------------------------------------------------------

RISK_LABELS = {
    "verboden AI": "prohibited",
    "hoog-risico AI": "high-risk",
    "geen hoog-risico AI": "not-high-risk",
    "systeemrisico": "gpai-systemic-risk",
    "geen systeemrisico": "gpai-model",
}


def risk_group_from_text(conclusion: Conclusion) -> str:
    """The risk group a conclusion's text names (for paths that carry no risk label)."""
    if conclusion.conclusion_id.startswith("11."):
        return "out-of-scope"
    text = conclusion.text
    if "verboden" in text:
        return "prohibited"
    if "niet-hoog-risico" in text:
        return "not-high-risk"
    # 15.0.1 and 15.1.1 write "hoog risico", without the hyphen
    if re.search(r"hoog[- ]risico", text):
        return "high-risk"
    if "AI-model voor algemene doeleinden" in text:
        return "gpai-systemic-risk" if "systeemrisico" in text else "gpai-model"
    raise TreeError(f"conclusion {conclusion.conclusion_id} names no risk group: {text!r}")


@cache
def _default_tree() -> Tree:
    return load_tree()


def risk_group(path: Path, tree: Tree | None = None) -> str:
    """The risk group a path ends in: ``out-of-scope`` for conclusions 11.*, else by its labels.

    ``tree`` is only read for paths without a risk label; it defaults to the copy in the tests.

    Paths with more than one risk label raise ``TreeError``. Paths with none take the group
    from the conclusion's text (``risk_group_from_text``). In tree 1.0.0 those are 16 of the
    3140 paths, all importers and distributors whose answers skip the risk questions:

    - a prohibited practice with an exception (2.1 Ja, 2.2 Ja) goes straight to 15.0.1, 15.1.1,
      16.0.1 or 16.1.1, the high-risk conclusions, without Annex I or III being asked (12 paths);
    - an AI model for general purposes (1.4.2) goes straight to 15.2.1 or 16.2.1, without the
      exception (1.5) or systemic-risk (2.8) questions (4 paths): ``gpai-model``.

    The labels win over the text: a deployer of a model with systemic risk (2.8 Ja) reaches
    13.2.1, whose text names no systemic risk, and is ``gpai-systemic-risk`` here.
    """
    if path.conclusion_id.startswith("11."):
        return "out-of-scope"
    groups = {RISK_LABELS[label] for label in path.labels & RISK_LABELS.keys()}
    if len(groups) > 1:
        raise TreeError(f"path to {path.conclusion_id} has risk labels for {sorted(groups)}")
    if groups:
        return groups.pop()
    tree = tree or _default_tree()
    return risk_group_from_text(tree.conclusions[path.conclusion_id])


_HEADING = re.compile(r"<strong>(.*?)</strong>", re.DOTALL)
_ARTICLE = re.compile(r"Artikel\s+(\d+)")


def obligation_articles(conclusion: Conclusion) -> set[int]:
    """The article numbers named in the ``<strong>`` headings of a conclusion's obligations.

    "Verplichtingen voor alle AI-systemen" names no article itself; its "AI-geletterdheid
    (Artikel 4)" line counts as article 4. "Geldig vanaf (Artikel 111 ...)" is a date heading,
    not an obligation (it is ``<i>`` everywhere but one ``<strong>`` in 12.2.3): skipped.
    """
    articles: set[int] = set()
    for heading in _HEADING.findall(conclusion.obligation):
        if heading.strip().startswith("Geldig vanaf"):
            continue
        articles.update(int(n) for n in _ARTICLE.findall(heading))
        if heading.strip().startswith("Verplichtingen voor alle AI-systemen"):
            if "AI-geletterdheid (Artikel 4)" in conclusion.obligation:
                articles.add(4)
    return articles
