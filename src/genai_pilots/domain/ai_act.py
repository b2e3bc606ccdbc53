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
    """The lowest risk class the facts allow, and the legal reasons for it."""

    risk_class: RiskClass
    reasons: tuple[str, ...]


def derive_risk_class(facts: AiAct) -> DerivedRisk:
    """Derive the minimum AI Act risk class from the facts a pilot declares."""
    high: list[str] = []
    if facts.medical_device and facts.mdr_class in _NOTIFIED_BODY_CLASSES:
        high.append(
            f"a medical device of MDR class {facts.mdr_class} needs a notified body "
            "(Art. 6(1), Annex I)"
        )
    if facts.ivdr:
        high.append("an in-vitro diagnostic device under the IVDR (Art. 6(1), Annex I)")
    if facts.emergency_triage:
        high.append("emergency triage of patients (Art. 6(2), Annex III 5(d))")
    if facts.access_to_care:
        high.append("decisions on access to healthcare services (Art. 6(2), Annex III 5(a))")
    if high:
        return DerivedRisk("high", tuple(high))
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
