"""The AI Act's obligations, who bears them, and the date from which each applies.

Dates are those of Art. 113 and Art. 111: the high-risk duties from 2 December 2027 as the
government's *Beslishulp AI-verordening* 1.0.0 states them (Art. 113 as amended; the text as
published had 2 August 2026 for Annex III and 2 August 2027 for Annex I), Art. 50 from
2 August 2026 (Art. 113; the Beslishulp's 2 December 2027 is not the Regulation's). They live
here, once, so a change in the law is one edit; ``docs/legal-basis.md`` shows them next to the
criteria of the default playbook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

from genai_pilots.i18n import N_

ObligationKey = Literal[
    "ai-literacy",
    "prohibited-practice",
    "high-risk-provider",
    "high-risk-deployer",
    "inform-workers",
    "inform-affected-persons",
    "fria",
    "transparency",
    "gpai-provider",
    "gpai-systemic-risk",
    "importer",
    "distributor",
    "eu-database-registration",
    "exemption-assessment",
    "codes-of-conduct",
    "gpai-codes-of-practice",
]
OBLIGATION_KEYS: tuple[str, ...] = get_args(ObligationKey)

PROHIBITIONS_FROM = dt.date(2025, 2, 2)  # Art. 113(a): Chapters I and II
GPAI_FROM = dt.date(2025, 8, 2)  # Art. 113(b): Chapter V
GPAI_EXISTING_FROM = dt.date(2027, 8, 2)  # Art. 111(3): models placed before 2 August 2025
HIGH_RISK_FROM = dt.date(2027, 12, 2)  # as the Beslishulp 1.0.0 states
TRANSPARENCY_FROM = dt.date(2026, 8, 2)  # Art. 113: Art. 50 is not among the postponed duties
PUBLIC_EXISTING_FROM = dt.date(2030, 8, 2)  # Art. 111(2): high-risk in use by public authorities

# Annex III uses for which every deployer assesses fundamental rights (Art. 27(1)).
FRIA_USES = frozenset({"creditworthiness", "life-health-insurance"})
# Art. 50 situations whose duty lies with the provider (50(1), (2)); the rest are the deployer's.
PROVIDER_TRANSPARENCY = frozenset({"interacts-with-people", "generates-content"})


@dataclass(frozen=True, slots=True)
class Obligation:
    """One duty that applies, with its article, from when, and what the law conditions it on.

    ``applies_from`` is None for a voluntary code, or when the duty waits for an event the
    register cannot see (``condition`` says which). ``title`` and ``condition`` are English
    messages (marked with ``N_``): gates cache obligations and ``--json`` prints them, so they
    are translated only where shown (``i18n._``).
    """

    key: ObligationKey
    article: str
    title: str
    applies_from: dt.date | None
    articles: tuple[int, ...]
    condition: str | None = None
    voluntary: bool = False

    def in_force(self, today: dt.date) -> bool:
        """Whether the duty binds on ``today`` (a voluntary one never does)."""
        return not self.voluntary and self.applies_from is not None and self.applies_from <= today


@dataclass(frozen=True, slots=True)
class _Duty:
    article: str
    title: str
    articles: tuple[int, ...]


DUTIES: dict[str, _Duty] = {
    "ai-literacy": _Duty("Art. 4", N_("AI literacy of the staff who operate and use it"), (4,)),
    "prohibited-practice": _Duty(
        "Art. 5", N_("A prohibited practice: stop using it, take it off the market"), (5,)
    ),
    "high-risk-provider": _Duty(
        "Art. 16 (with Art. 9-15, 17, 43, 47-49)",
        N_(
            "Provider of a high-risk system: requirements, quality management, conformity "
            "assessment, EU declaration, CE marking, registration"
        ),
        (16,),
    ),
    "high-risk-deployer": _Duty(
        "Art. 26(1)-(6)",
        N_(
            "Deployer of a high-risk system: use per instructions, trained human oversight, "
            "relevant input data, monitoring, logs kept at least six months"
        ),
        (26,),
    ),
    "inform-workers": _Duty(
        "Art. 26(7)",
        N_("Tell workers' representatives and the staff concerned before use at the workplace"),
        (26,),
    ),
    "inform-affected-persons": _Duty(
        "Art. 26(11)",
        N_("Tell the people it decides, or helps decide, about that it is used on them"),
        (26,),
    ),
    "fria": _Duty("Art. 27", N_("A fundamental rights impact assessment before first use"), (27,)),
    "transparency": _Duty(
        "Art. 50",
        N_("Tell people they deal with AI; mark generated content as such"),
        (50,),
    ),
    "gpai-provider": _Duty(
        "Art. 53-54",
        N_(
            "Provider of a general-purpose model: technical documentation, information for "
            "downstream providers, copyright policy, summary of training content"
        ),
        (53, 54),
    ),
    "gpai-systemic-risk": _Duty(
        "Art. 55",
        N_(
            "A model with systemic risk: evaluation, risk mitigation, incident reporting, "
            "cybersecurity"
        ),
        (55,),
    ),
    "importer": _Duty(
        "Art. 23", N_("Importer of a high-risk system: check conformity before placing it"), (23,)
    ),
    "distributor": _Duty(
        "Art. 24",
        N_("Distributor of a high-risk system: check CE marking and documents before supply"),
        (24,),
    ),
    "eu-database-registration": _Duty(
        "Art. 26(8) and 49(3)",
        N_(
            "A public authority registers its use of an Annex III high-risk system in the EU "
            "database, and uses no system that is not registered"
        ),
        (26, 49),
    ),
    "exemption-assessment": _Duty(
        "Art. 6(4) and 49(2)",
        N_(
            "A provider that finds an Annex III system not high-risk documents that assessment "
            "and registers the system"
        ),
        (6, 49),
    ),
    "codes-of-conduct": _Duty(
        "Art. 95", N_("Codes of conduct for voluntary application of requirements"), (95,)
    ),
    "gpai-codes-of-practice": _Duty(
        "Art. 56", N_("Codes of practice for general-purpose models"), (56,)
    ),
}


# The date each duty applies from to a system put into service from now on (Art. 111
# may move it later for one already in use).
APPLIES_FROM: dict[str, dt.date | None] = {
    "ai-literacy": PROHIBITIONS_FROM,
    "prohibited-practice": PROHIBITIONS_FROM,
    "high-risk-provider": HIGH_RISK_FROM,
    "high-risk-deployer": HIGH_RISK_FROM,
    "inform-workers": HIGH_RISK_FROM,
    "inform-affected-persons": HIGH_RISK_FROM,
    "fria": HIGH_RISK_FROM,
    "transparency": TRANSPARENCY_FROM,
    "gpai-provider": GPAI_FROM,
    "gpai-systemic-risk": GPAI_FROM,
    "importer": HIGH_RISK_FROM,
    "distributor": HIGH_RISK_FROM,
    "eu-database-registration": HIGH_RISK_FROM,
    "exemption-assessment": HIGH_RISK_FROM,
    "codes-of-conduct": None,
    "gpai-codes-of-practice": None,
}


def _obligation(
    key: ObligationKey,
    applies_from: dt.date | None,
    condition: str | None = None,
    *,
    voluntary: bool = False,
) -> Obligation:
    duty = DUTIES[key]
    return Obligation(
        key, duty.article, duty.title, applies_from, duty.articles, condition, voluntary
    )


def _high_risk_date(
    in_use_since: dt.date | None, organisation: str | None
) -> tuple[dt.date | None, str | None]:
    """When high-risk duties apply (Art. 111(2)).

    A system put into service before the date waits for a significant change of design,
    unless public authorities use it: then it must comply by 2 August 2030.
    """
    if in_use_since is None or in_use_since >= HIGH_RISK_FROM:
        return HIGH_RISK_FROM, None
    if organisation == "public-authority":
        return PUBLIC_EXISTING_FROM, N_("in use before 2027-12-02 by a public authority")
    return None, N_(
        "in use before 2027-12-02: applies once its design changes significantly (Art. 111(2))"
    )


def _transparency_holder(roles: tuple[str, ...], duties: tuple[str, ...]) -> str | None:
    """Art. 50(1)-(2) bind the provider, 50(3)-(4) the deployer: say so when it is not you."""
    if "provider" in roles or not set(duties) <= PROVIDER_TRANSPARENCY:
        return None
    return N_("Art. 50(1)-(2) bind the provider: make sure the system you use meets them")


def obligations_for(  # noqa: PLR0913 - the facts the law conditions duties on
    *,
    roles: Iterable[str],
    system: str,
    group: str,
    transparency: Iterable[str],
    annex_iii: Iterable[str],
    organisation: str | None,
    in_use_since: dt.date | None,
    open_source: bool,
    sector_law_only: bool = False,
    exempted: bool = False,
) -> tuple[Obligation, ...]:
    """The duties a conclusion carries, in the order of the law."""
    roles = tuple(roles)
    uses = set(annex_iii)
    duties = tuple(transparency)
    found: list[Obligation] = []
    if group == "out-of-scope":
        return ()
    if group == "prohibited":
        return (_obligation("prohibited-practice", PROHIBITIONS_FROM),)
    operates = bool({"provider", "deployer"} & set(roles))
    if system == "gpai-model":
        if "provider" in roles:
            since: dt.date | None = GPAI_FROM
            condition: str | None = None
            if in_use_since is not None and in_use_since < GPAI_FROM:
                since = GPAI_EXISTING_FROM
                condition = N_("placed on the market before 2025-08-02")
            note = condition
            if open_source and group != "gpai-systemic-risk":
                note = N_(
                    "open-source: documentation duties lifted, copyright policy and "
                    "training summary remain (Art. 53(2))"
                )
            found.append(_obligation("gpai-provider", since, note))
            if group == "gpai-systemic-risk":
                found.append(_obligation("gpai-systemic-risk", since, condition))
        if operates:
            found.append(_obligation("gpai-codes-of-practice", None, voluntary=True))
        return tuple(found)
    if sector_law_only:  # Art. 2(2): Annex I section B: only Art. 6(1), 102-109 and 112 apply
        return ()
    if operates:
        found.append(_obligation("ai-literacy", PROHIBITIONS_FROM))
    high = group == "high-risk"
    since, condition = _high_risk_date(in_use_since, organisation)
    if high and "provider" in roles:
        found.append(_obligation("high-risk-provider", since, condition))
    if high and "deployer" in roles:
        found.append(_obligation("high-risk-deployer", since, condition))
        found.append(
            _obligation("inform-workers", since, condition or N_("for deployers who are employers"))
        )
        if uses:  # an Annex III use, whichever route made it high-risk
            found.append(_obligation("inform-affected-persons", since, condition))
            public = organisation in ("public-authority", "public-service")
            if (public and uses - {"critical-infrastructure"}) or uses & FRIA_USES:
                found.append(_obligation("fria", since, condition))
            if organisation == "public-authority":
                found.append(_obligation("eu-database-registration", since, condition))
    if duties and operates:
        found.append(
            _obligation("transparency", TRANSPARENCY_FROM, _transparency_holder(roles, duties))
        )
    if system == "gpai-system" and "provider" in roles:
        found.append(
            _obligation(
                "gpai-provider", GPAI_FROM, N_("when you also provide the model it is built on")
            )
        )
    if exempted and "provider" in roles:
        found.append(_obligation("exemption-assessment", since, condition))
    if high and "importer" in roles:
        found.append(_obligation("importer", since, condition))
    if high and "distributor" in roles:
        found.append(_obligation("distributor", since, condition))
    if operates:
        found.append(_obligation("codes-of-conduct", None, voluntary=True))
    return tuple(found)
