"""EU AI Act risk classes, derived from a pilot's facts.

The derivation is deliberately conservative: it returns the lowest class the facts allow, so
a declared class below it is always wrong, while a team may still declare a higher class.
"""

from __future__ import annotations

from dataclasses import dataclass

from genai_pilots.domain.definition import AiAct, RiskClass

RISK_ORDER: dict[RiskClass, int] = {"minimal": 0, "limited": 1, "high": 2, "prohibited": 3}
_NOTIFIED_BODY_CLASSES = {"IIa", "IIb", "III"}


@dataclass(frozen=True, slots=True)
class DerivedRisk:
    """The lowest risk class the facts allow, the legal reasons, and the high-risk route."""

    risk_class: RiskClass
    reasons: tuple[str, ...]
    annex_i: bool = False  # Art. 6(1): product safety law (MDR/IVDR) with a notified body
    annex_iii: bool = False  # Art. 6(2): a use listed in Annex III (FRIA applies, Art. 27)


def derive_risk_class(facts: AiAct) -> DerivedRisk:
    """Derive the minimum AI Act risk class from the facts a pilot declares."""
    annex_i: list[str] = []
    annex_iii: list[str] = []
    if facts.medical_device and facts.mdr_class in _NOTIFIED_BODY_CLASSES:
        annex_i.append(
            f"a medical device of MDR class {facts.mdr_class} needs a notified body "
            "(Art. 6(1), Annex I)"
        )
    if facts.ivdr:
        annex_i.append("an in-vitro diagnostic device under the IVDR (Art. 6(1), Annex I)")
    if facts.emergency_triage:
        annex_iii.append("emergency triage of patients (Art. 6(2), Annex III 5(d))")
    if facts.access_to_care:
        annex_iii.append("decisions on access to healthcare services (Art. 6(2), Annex III 5(a))")
    if annex_i or annex_iii:
        return DerivedRisk("high", tuple(annex_i + annex_iii), bool(annex_i), bool(annex_iii))
    if facts.patient_facing:
        what = (
            "generated output that patients see"
            if facts.generative
            else "a system patients talk to"
        )
        return DerivedRisk("limited", (f"{what} must disclose it is AI (Art. 50)",))
    return DerivedRisk("minimal", ())


def is_lower(declared: RiskClass, derived: RiskClass) -> bool:
    """Whether ``declared`` is a lower class than ``derived``."""
    return RISK_ORDER[declared] < RISK_ORDER[derived]
