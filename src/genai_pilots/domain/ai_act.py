"""The EU AI Act classification of a pilot, from the answers in its definition.

The questions follow the government's *Beslishulp AI-verordening* (version 1.0.0): who you are
to the system (provider, deployer, importer, distributor), whether it is an AI system or a
general-purpose model, the Art. 2 exceptions, Art. 5, Annex I, Annex III with profiling and the
Art. 6(3) exemption, Art. 50 transparency (a duty *added* to any risk group), open source, and
systemic risk. The walk asks them in the Beslishulp's order and stops at the first unanswered
one, so an incomplete definition says which question is next.

Each conclusion carries the Beslishulp's conclusion id, so a user can cross-check it with the
official tool. One reading differs and is reported when it matters: a product under Annex I
section A is high-risk only when a third party assesses its conformity (Art. 6(1)(b)); the
Beslishulp 1.0.0 counts it high-risk either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from genai_pilots.domain.definition import AiAct, RiskClass
from genai_pilots.domain.obligations import Obligation, obligations_for
from genai_pilots.domain.text import is_blank
from genai_pilots.i18n import _

RISK_ORDER: dict[RiskClass, int] = {"minimal": 0, "limited": 1, "high": 2, "prohibited": 3}

Role = Literal["provider", "deployer", "importer", "distributor"]
RiskGroup = Literal[
    "prohibited", "high-risk", "not-high-risk", "gpai-systemic-risk", "gpai-model", "out-of-scope"
]
Route = Literal["annex-i", "annex-iii"]

ROLES: dict[str, tuple[Role, ...]] = {
    "develop-only": ("provider",),
    "develop-and-use": ("provider", "deployer"),
    "commissioned": ("provider",),
    "external": ("deployer",),
    "external-adapted": ("provider", "deployer"),
    "import": ("importer",),
    "distribute": ("distributor",),
    "none": (),
}

# The Beslishulp numbers its conclusions by role (12 provider, 13 deployer, 14 both, 15
# importer, 16 distributor), then kind (0 AI system, 1 general-purpose AI system, 2 model).
_ROLE_NUMBER = {
    ("provider",): 12,
    ("deployer",): 13,
    ("provider", "deployer"): 14,
    ("importer",): 15,
    ("distributor",): 16,
}
_KIND_NUMBER = {"ai-system": 0, "gpai-system": 1, "gpai-model": 2}

# Annex III uses that count only for public authorities (or those acting on their behalf).
PUBLIC_AUTHORITY_USES = frozenset({"public-benefits"})


class _Unanswered(Exception):
    """The walk reached a question the definition leaves open."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class Classification:
    """Where the answers lead: roles, risk group, transparency, obligations, Beslishulp id.

    ``next_question`` names the first question left open (then the rest is empty);
    ``beslishulp_literal`` is the id the Beslishulp 1.0.0 gives for the same answers when it
    differs from ``beslishulp`` (see the module docstring).
    """

    asked: tuple[str, ...]
    next_question: str | None = None
    roles: tuple[Role, ...] = ()
    system: str | None = None
    risk_group: RiskGroup | None = None
    route: Route | None = None
    transparency: tuple[str, ...] = ()
    beslishulp: str | None = None
    beslishulp_literal: str | None = None
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    annex_iii: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """Whether every question the walk asks is answered."""
        return self.next_question is None

    @property
    def risk_class(self) -> RiskClass | None:
        """The lowest class these answers allow (None while incomplete)."""
        if not self.complete:
            return None
        if self.risk_group == "prohibited":
            return "prohibited"
        if self.risk_group == "high-risk":
            return "high"
        return "limited" if self.transparency else "minimal"


@dataclass(slots=True)
class _Walk:
    """The state of one walk through the questions."""

    facts: AiAct
    tree_reading: bool  # count Annex I section A high-risk without a third party, as 1.0.0 does
    asked: list[str] = field(default_factory=list)
    roles: tuple[Role, ...] = ()  # once the sourcing question is answered
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def ask(self, key: str) -> Any:
        self.asked.append(key)
        value = getattr(self.facts, key)
        if value is None or (isinstance(value, str) and is_blank(value)):
            raise _Unanswered(key)
        return value

    def ask_list(self, key: str) -> tuple[str, ...]:
        return tuple(self.ask(key))


@dataclass(frozen=True, slots=True)
class _Outcome:
    roles: tuple[Role, ...]
    system: str
    group: RiskGroup
    conclusion: str
    route: Route | None = None
    transparency: tuple[str, ...] = ()
    annex_iii: tuple[str, ...] = ()
    exempted: bool = False  # an Annex III use found not high-risk under Art. 6(3)


# Practices of Art. 5 that the law-enforcement exceptions of Art. 5(2)-(7) can lift.
EXCEPTABLE_PRACTICES = frozenset({"realtime-remote-biometric-identification"})


def classify(facts: AiAct | None) -> Classification:
    """Walk the questions over a definition's answers and conclude."""
    if facts is None:
        return Classification(asked=(), next_question="system")
    walk = _Walk(facts, tree_reading=False)
    try:
        outcome = _conclude(walk)
    except _Unanswered as open_question:
        return Classification(asked=tuple(walk.asked), next_question=open_question.key)
    literal = _literal(facts, outcome.conclusion)
    if literal is not None and facts.annex_i in ("section-a", "section-b"):
        walk.notes.append(
            _(
                "the Beslishulp 1.0.0 gives {literal} for these answers: it counts a product "
                "under Annex I as high-risk even without a third-party conformity assessment; "
                "Art. 6(1)(b) requires one"
            ).format(literal=literal)
        )
    elif literal is not None:
        walk.notes.append(
            _(
                "the Beslishulp 1.0.0 gives {literal} for these answers: it does not ask who "
                "decides on Annex III 5(a)"
            ).format(literal=literal)
        )
    sector_law_only = outcome.route == "annex-i" and facts.annex_i == "section-b"
    if sector_law_only:
        walk.notes.append(
            _(
                "Annex I section B: only Art. 6(1), 102-109 and 112 apply (Art. 2(2)); the duties "
                "come through the sector's own product law, so none are listed here"
            )
        )
    return Classification(
        asked=tuple(walk.asked),
        roles=outcome.roles,
        system=outcome.system,
        risk_group=outcome.group,
        route=outcome.route,
        transparency=() if sector_law_only else outcome.transparency,
        beslishulp=outcome.conclusion,
        beslishulp_literal=literal,
        reasons=tuple(walk.reasons),
        notes=tuple(walk.notes),
        obligations=obligations_for(
            roles=outcome.roles,
            system=outcome.system,
            group=outcome.group,
            transparency=outcome.transparency,
            annex_iii=outcome.annex_iii,
            organisation=facts.organisation,
            in_use_since=facts.in_use_since if facts.in_use else None,
            open_source=bool(facts.open_source),
            sector_law_only=sector_law_only,
            exempted=outcome.exempted,
        ),
        annex_iii=outcome.annex_iii,
    )


def _literal(facts: AiAct, ours: str) -> str | None:
    """The id the Beslishulp 1.0.0 gives for the same answers, where it differs from ours."""
    try:
        literal = _conclude(_Walk(facts, tree_reading=True)).conclusion
    except _Unanswered:  # it would ask what this reading did not need: unknown
        return None
    return None if literal == ours else literal


def _id(roles: tuple[Role, ...], system: str, last: int) -> str:
    return f"{_ROLE_NUMBER[roles]}.{_KIND_NUMBER[system]}.{last}"


def _conclude(walk: _Walk) -> _Outcome:  # noqa: C901, PLR0911, PLR0912 - one question after another
    """The Beslishulp's walk, in its order; raises ``_Unanswered`` at the first open question."""
    facts = walk.facts
    system = str(walk.ask("system"))
    if system == "no-algorithm":
        walk.reasons.append(_("no algorithm: the AI Act does not apply"))
        return _Outcome((), system, "out-of-scope", "11.0")
    roles = walk.roles = ROLES[str(walk.ask("sourcing"))]
    if not roles:
        walk.reasons.append(_("neither provider, deployer, importer nor distributor (Art. 3)"))
        return _Outcome((), system, "out-of-scope", "11.3")
    if walk.ask("in_use") and not walk.tree_reading:
        walk.ask("in_use_since")
    if system == "not-ai":
        walk.reasons.append(_("not an AI system or general-purpose model (Art. 3(1), 3(63))"))
        return _Outcome(roles, system, "out-of-scope", "11.1")
    trader = roles[0] in ("importer", "distributor")
    if system == "gpai-model" and trader:
        walk.reasons.append(
            _("importers and distributors of a general-purpose model have no duties")
        )
        return _Outcome(roles, system, "gpai-model", f"{_ROLE_NUMBER[roles]}.2.1")
    if walk.ask("exception") != "none":
        walk.ask("exception_justification")
        walk.reasons.append(
            _("an Art. 2 exception applies ({exception})").format(exception=facts.exception)
        )
        return _Outcome(roles, system, "out-of-scope", "11.2")
    if system == "gpai-model":
        return _model(walk, roles)
    prohibited = walk.ask("prohibited")
    if prohibited:
        excepted = set(prohibited) <= EXCEPTABLE_PRACTICES and walk.ask("prohibited_exception")
        if not excepted:
            walk.reasons.append(
                _("a prohibited practice (Art. 5): {practices}").format(
                    practices=", ".join(facts.prohibited or [])
                )
            )
            return _Outcome(roles, system, "prohibited", f"{_ROLE_NUMBER[roles]}.0.0")
        walk.notes.append(
            _("a prohibited practice under a law-enforcement exception (Art. 5(2)-(7))")
        )
        if trader:
            walk.reasons.append(_("a practice allowed only under Art. 5 exceptions: high-risk"))
            return _Outcome(roles, system, "high-risk", _id(roles, system, 1))
    route = _annex_i(walk, trader)
    uses: tuple[str, ...] = ()
    exempted = False
    if route is None:
        route, uses, exempted = _annex_iii(walk)
    elif not trader and not walk.tree_reading:
        uses = _listed_uses(walk)  # Art. 26(11) and 27 follow an Annex III use as well
        if uses:
            walk.notes.append(_("also an Annex III use: {uses}").format(uses=", ".join(uses)))
    high = route is not None
    if trader:
        return _Outcome(
            roles, system, "high-risk" if high else "not-high-risk",
            _id(roles, system, 1 if high else 3), route, annex_iii=uses,
        )  # fmt: skip
    if high and not walk.tree_reading:
        walk.ask("organisation")  # Art. 27 and Art. 111(2) depend on it
    open_source = False if high else bool(walk.ask("open_source"))
    situations = walk.ask_list("transparency_uses")
    duties: tuple[str, ...] = ()
    if situations:
        if walk.ask("transparency_exception"):
            walk.notes.append(_("Art. 50 duties lifted: use permitted by law to fight crime"))
        else:
            duties = situations
            walk.reasons.append(
                _("transparency duties (Art. 50): {situations}").format(
                    situations=", ".join(situations)
                )
            )
    group: RiskGroup = "high-risk" if high else "not-high-risk"
    if not high and open_source and not duties:
        walk.reasons.append(_("free and open source, not high-risk, no Art. 50 duty (Art. 2(12))"))
        return _Outcome(roles, system, "out-of-scope", "11.2")
    last = (1 if duties else 2) if high else (3 if duties else 4)
    return _Outcome(roles, system, group, _id(roles, system, last), route, duties, uses, exempted)


def _model(walk: _Walk, roles: tuple[Role, ...]) -> _Outcome:
    """A general-purpose AI model, for its provider or deployer."""
    number = _ROLE_NUMBER[roles]
    if walk.ask("systemic_risk"):
        walk.reasons.append(_("a general-purpose model with systemic risk (Art. 51)"))
        return _Outcome(roles, "gpai-model", "gpai-systemic-risk", f"{number}.2.1")
    if roles == ("deployer",):
        return _Outcome(roles, "gpai-model", "gpai-model", "13.2.1")
    last = 2 if walk.ask("open_source") else 3
    return _Outcome(roles, "gpai-model", "gpai-model", f"{number}.2.{last}")


def _annex_i(walk: _Walk, trader: bool) -> Route | None:
    """Art. 6(1): a product (or its safety component) under Annex I product law.

    High-risk only where a third party assesses its conformity (Art. 6(1)(b)), for section A
    and B alike.
    """
    section = walk.ask("annex_i")
    if section not in ("section-a", "section-b"):
        return None
    if walk.tree_reading and (trader or section == "section-b"):
        return "annex-i"  # the Beslishulp asks no third-party question there
    name = "A" if section == "section-a" else "B"
    if walk.ask("third_party_conformity") or walk.tree_reading:
        walk.reasons.append(
            _(
                "a product under Annex I section {section} whose conformity a third party "
                "assesses (Art. 6(1))"
            ).format(section=name)
        )
        return "annex-i"
    walk.notes.append(
        _(
            "Annex I section {section} without a third-party conformity assessment: not "
            "high-risk through Annex I (Art. 6(1)(b))"
        ).format(section=name)
    )
    return None


def _listed_uses(walk: _Walk) -> tuple[str, ...]:
    """The Annex III uses that count for this organisation."""
    listed = walk.ask_list("annex_iii")
    if walk.tree_reading:  # the Beslishulp does not ask who decides
        return listed
    if set(listed) & PUBLIC_AUTHORITY_USES and walk.ask("organisation") != "public-authority":
        walk.notes.append(
            _("Annex III 5(a) covers public authorities (or those acting on their behalf) only")
        )
        return tuple(u for u in listed if u not in PUBLIC_AUTHORITY_USES)
    return listed


def _annex_iii(walk: _Walk) -> tuple[Route | None, tuple[str, ...], bool]:
    """Art. 6(2) and 6(3): an Annex III use, unless an exemption holds and nobody is profiled.

    Returns the route (None: not high-risk), the uses, and whether Art. 6(3) exempted them.
    """
    facts = walk.facts
    uses = _listed_uses(walk)
    if not uses:
        return None, (), False
    if walk.ask("profiling"):
        walk.reasons.append(_("an Annex III use that profiles natural persons (Art. 6(3))"))
        return "annex-iii", uses, False
    if walk.ask("exemption") != "none":
        walk.ask("exemption_justification")  # Art. 6(4): the assessment is documented
        if "provider" not in walk.roles:
            walk.notes.append(
                _(
                    "the Art. 6(3) assessment is the provider's (Art. 6(4)): the justification "
                    "should name the supplier's documented assessment"
                )
            )
        walk.reasons.append(
            _("Annex III use exempted under Art. 6(3) ({exemption})").format(
                exemption=facts.exemption
            )
        )
        return None, uses, True
    walk.reasons.append(_("an Annex III use (Art. 6(2)): {uses}").format(uses=", ".join(uses)))
    return "annex-iii", uses, False


def is_lower(declared: RiskClass, derived: RiskClass) -> bool:
    """Whether ``declared`` is a lower class than ``derived``."""
    return RISK_ORDER[declared] < RISK_ORDER[derived]


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Something wrong with the answers: the field, what is wrong, and whether it is an error."""

    field: str
    message: str
    code: str
    error: bool = True


# Answers that do not steer the walk but are kept for what they say elsewhere.
_NOT_STEERING = frozenset({"risk_class", "organisation"})
_LEGACY = ("medical_device", "mdr_class", "ivdr", "emergency_triage", "access_to_care",
           "patient_facing", "generative")  # fmt: skip
_NOTIFIED_BODY_MDR = frozenset({"IIa", "IIb", "III"})


def answer_problems(facts: AiAct, found: Classification) -> list[AnswerProblem]:
    """What is wrong with the answers.

    A declared class too low, answers a care pilot cannot give, answers the walk never reads,
    and earlier facts the answers contradict.
    """
    problems: list[AnswerProblem] = []
    lowest = found.risk_class
    if facts.risk_class is not None and lowest is not None and is_lower(facts.risk_class, lowest):
        why = "; ".join(found.reasons) or found.risk_group or ""
        problems.append(
            AnswerProblem(
                "risk_class",
                _(
                    "declared '{declared}' but the answers make it at least '{lowest}': "
                    "{why}; set risk_class: {lowest}"
                ).format(declared=facts.risk_class, lowest=lowest, why=why),
                "ai-act-risk-class",
            )
        )
    problems.extend(_not_for_care(facts, found))
    if found.complete:
        asked = set(found.asked) | _NOT_STEERING | set(_LEGACY)
        for key in type(facts).model_fields:
            if key not in asked and getattr(facts, key) is not None:
                problems.append(
                    AnswerProblem(
                        key,
                        _(
                            "answered but not used: the answers before it make '{key}' "
                            "irrelevant; remove it or check the earlier answers"
                        ).format(key=key),
                        "ai-act-unused",
                        error=False,
                    )
                )
    problems.extend(_legacy_contradictions(facts, found))
    return problems


_DEPLOYING = ("develop-and-use", "external", "external-adapted")
_JUSTIFICATIONS = ("exception_justification", "exemption_justification")
MIN_JUSTIFICATION = 40  # characters: a sentence that says why, not a word


def _not_for_care(facts: AiAct, found: Classification) -> list[AnswerProblem]:
    """Answers a pilot in care cannot truthfully give, each with the one it should."""
    problems: list[AnswerProblem] = []

    def refuse(field: str, message: str, *, error: bool = True) -> None:
        problems.append(AnswerProblem(field, message, "ai-act-care", error))

    if facts.sourcing is not None and facts.sourcing not in _DEPLOYING:
        refuse("sourcing", _("'{sourcing}' leaves out that you use it: a pilot runs in your "
               "own care, which makes you its deployer; answer develop-and-use (you built it or "
               "had it built), external or external-adapted").format(
                   sourcing=facts.sourcing))  # fmt: skip
    if facts.prohibited_exception:
        refuse("prohibited_exception", _("the exceptions of Art. 5(2)-(7) serve law "
               "enforcement, not care; answer false"))  # fmt: skip
    if facts.transparency_exception:
        refuse("transparency_exception", _("Art. 50 lifts its duties only for systems the law "
               "permits to fight crime, not for care; answer false"))  # fmt: skip
    if facts.exception in ("military-defence-security", "third-country-authority"):
        refuse(
            "exception",
            _("'{exception}' is no ground for a pilot in care; answer none").format(
                exception=facts.exception
            ),
        )
    elif facts.exception in ("pre-market-research", "scientific-research") and facts.in_use:
        refuse("exception", _("'{exception}' does not cover a system used in practice "
               "(in_use: true): testing in real conditions and use in care fall under the AI "
               "Act; answer none").format(exception=facts.exception))  # fmt: skip
    if facts.organisation == "private":
        refuse("organisation", _("healthcare is a public service (Recital 96): a care provider "
               "answers public-service unless it offers no care to the public"),
               error=False)  # fmt: skip
    for name in _JUSTIFICATIONS:
        text = getattr(facts, name)
        if text is not None and not is_blank(text) and len(text.strip()) < MIN_JUSTIFICATION:
            refuse(name, _("too short to document why ({count} characters): say in "
                   "a sentence or two what makes it apply").format(count=len(text.strip())),
                   error=False)  # fmt: skip
    return problems


def _legacy_contradictions(facts: AiAct, found: Classification) -> list[AnswerProblem]:
    """Facts of earlier releases that the answers contradict (answers left open are not)."""
    problems: list[AnswerProblem] = []
    set_explicitly = facts.model_fields_set

    def contradicts(fact: str, says: str, answer: str, holds: bool | None) -> None:
        if holds is False:
            problems.append(
                AnswerProblem(
                    answer,
                    _("{fact} says {says}, but {answer} does not; correct one of them").format(
                        fact=fact, says=says, answer=answer
                    ),
                    "ai-act-contradiction",
                )
            )

    outside = found.complete and found.risk_group == "out-of-scope"
    claims = [
        (facts.medical_device or facts.ivdr, "medical_device/ivdr", _("it is a device under "
         "the MDR or IVDR")),
        (facts.emergency_triage, "emergency_triage", _("it triages emergency patients")),
        (facts.access_to_care, "access_to_care", _("it decides on access to care")),
        (facts.patient_facing, "patient_facing", _("patients talk to it or see its output")),
        (facts.generative and "generative" in set_explicitly, "generative",
         _("it generates text, audio or images")),
    ]  # fmt: skip
    if outside:
        where = found.asked[-1] if found.asked else "system"
        for claimed, fact, says in claims:
            if claimed:
                problems.append(
                    AnswerProblem(
                        where,
                        _(
                            "{fact} says {says}, but the answers put it outside the AI Act "
                            "({reasons}); correct one of them"
                        ).format(fact=fact, says=says, reasons="; ".join(found.reasons)),
                        "ai-act-contradiction",
                    )
                )
        return problems
    uses = facts.annex_iii
    if facts.medical_device and facts.mdr_class in _NOTIFIED_BODY_MDR:
        contradicts(
            "medical_device with mdr_class " + str(facts.mdr_class),
            _("a notified body assesses it"),
            "annex_i",
            None if facts.annex_i is None else facts.annex_i == "section-a",
        )
        contradicts(
            "mdr_class " + str(facts.mdr_class),
            _("a notified body assesses it"),
            "third_party_conformity",
            facts.third_party_conformity,
        )
    if facts.medical_device or facts.ivdr:
        contradicts(
            "medical_device/ivdr",
            _("it is a device under the MDR or IVDR (Annex I section A)"),
            "annex_i",
            None if facts.annex_i is None else facts.annex_i == "section-a",
        )
    if facts.emergency_triage:
        contradicts(
            "emergency_triage",
            _("it triages emergency patients (Annex III 5(d))"),
            "annex_iii",
            None if uses is None else "emergency-triage" in uses,
        )
    if facts.access_to_care:
        contradicts(
            "access_to_care",
            _("it decides on access to care (Annex III 5(a) when a public authority decides)"),
            "annex_iii",
            None if uses is None else "public-benefits" in uses,
        )
    situations = facts.transparency_uses
    if facts.patient_facing:
        contradicts(
            "patient_facing",
            _("patients talk to it or see its output (Art. 50)"),
            "transparency_uses",
            None
            if situations is None
            else bool({"interacts-with-people", "generates-content"} & set(situations)),
        )
    if facts.generative and "generative" in set_explicitly and situations == []:
        problems.append(
            AnswerProblem(
                "transparency_uses",
                _(
                    "generative: true, yet no Art. 50 situation: generated text, audio or images "
                    "fall under Art. 50(2) unless it only assists standard editing; add "
                    "generates-content, or set generative: false"
                ),
                "ai-act-contradiction",
                error=False,
            )
        )
    return problems
