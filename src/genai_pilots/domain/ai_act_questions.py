"""The questions behind ``governance.ai_act``, in this project's own words.

One question per answer field, with its options and the Beslishulp question it stands for, so
``pilots classify`` can ask them on a terminal and ``validate`` can name the next one to answer.
Which question comes next is decided by the walk in ``ai_act``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["choice", "several", "yes-no", "text", "date"]


@dataclass(frozen=True, slots=True)
class Question:
    """A question, how it is answered, and where it sits in the Beslishulp."""

    key: str
    text: str
    kind: Kind
    options: tuple[tuple[str, str], ...] = ()  # (value, what it means)
    help: str = ""
    beslishulp: str = ""


_SYSTEM = Question(
    "system",
    "What is it, in the terms of the AI Act?",
    "choice",
    (
        ("ai-system", "an AI system: it infers from input how to produce output such as text, "
         "predictions or recommendations (Art. 3(1)); any product built on a language model"),
        ("gpai-system", "a general-purpose AI system: built on a general-purpose model and "
         "usable for many tasks, e.g. a general chat assistant"),
        ("gpai-model", "a general-purpose AI model itself (not yet a system around it)"),
        ("not-ai", "an algorithm that is no AI system: fixed rules set by people, plain "
         "statistics or data processing without inference"),
        ("no-algorithm", "no algorithm at all"),
    ),
    "Unsure? An application that only follows rules people wrote is no AI system; one that "
    "learns from data or reasons from knowledge and affects what happens is.",
    "1.1, 1.4.1, 1.4.2, 1.6",
)  # fmt: skip

_SOURCING = Question(
    "sourcing",
    "How does your organisation come by it?",
    "choice",
    (
        ("develop-only", "we develop it, for others to use"),
        ("develop-and-use", "we develop it and use it ourselves"),
        ("commissioned", "we had it developed for us, under our name"),
        ("external", "we use a supplier's system as delivered"),
        ("external-adapted", "we use a supplier's system and changed it (purpose, model or "
         "set-up): that makes us its provider too"),
        ("import", "we bring a system from outside the EU onto the EU market"),
        ("distribute", "we buy it within the EU and supply it to others"),
        ("none", "none of these"),
    ),
    "Provider (develops or has it developed, or substantially changes it), deployer (uses it "
    "under its own authority), importer or distributor: Art. 3(3)-(7) and Art. 25.",
    "1.2",
)  # fmt: skip

QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        _SYSTEM,
        _SOURCING,
        Question(
            "in_use", "Is it already used in practice?", "yes-no",
            help="A pilot whose output reaches real patients or decisions counts as in use, "
            "whatever it is called (Art. 111).",
            beslishulp="1.3",
        ),
        Question(
            "in_use_since", "Since when (the day it was first used in practice)?", "date",
            help="A date, e.g. 2026-03-01. Art. 111 postpones duties only for systems in use "
            "before they apply.",
            beslishulp="1.3",
        ),
        Question(
            "exception",
            "Does one of the Art. 2 exceptions put it outside the AI Act?",
            "choice",
            (
                ("none", "no"),
                ("military-defence-security", "only for military, defence or national "
                 "security purposes"),
                ("third-country-authority", "used by a public authority of a third country "
                 "under international cooperation on law enforcement or justice"),
                ("pre-market-research", "research, testing or development before it is placed "
                 "on the market or put into service; testing in real conditions is not"),
                ("scientific-research", "developed and used for scientific research only"),
            ),
            "A pilot in care with real patients is not pre-market research.",
            "1.5",
        ),
        Question(
            "exception_justification", "Why does that exception apply?", "text",
            beslishulp="1.5",
        ),
        Question(
            "prohibited",
            "Which practices prohibited by Art. 5 does it fall under?",
            "several",
            (
                ("subliminal-manipulation", "manipulates people below their awareness"),
                ("exploiting-vulnerabilities", "exploits age, disability or social or "
                 "economic situation to distort behaviour"),
                ("social-scoring", "scores people on social behaviour or personal traits"),
                ("crime-prediction", "predicts crime from profiling or personality alone"),
                ("face-scraping", "builds face databases by untargeted scraping"),
                ("emotion-recognition-work-education", "infers emotions at work or in "
                 "education, other than for medical or safety reasons"),
                ("biometric-categorisation-sensitive", "infers race, beliefs, sexual "
                 "orientation and the like from biometric data"),
                ("realtime-remote-biometric-identification", "real-time remote biometric "
                 "identification in public spaces for law enforcement"),
                ("non-consensual-intimate-imagery", "generates intimate images of identifiable "
                 "people without their consent"),
            ),
            "Answer with none when it falls under none of them.",
            "2.1",
        ),
        Question(
            "prohibited_exception",
            "Does one of the two law-enforcement exceptions of Art. 5 apply?",
            "yes-no",
            help="Targeted search for victims or missing persons, preventing a threat to life "
            "or a terrorist attack, or locating suspects of listed serious crimes.",
            beslishulp="2.2",
        ),
        Question(
            "annex_i",
            "Is it (a safety component of) a product under the product law of Annex I?",
            "choice",
            (
                ("none", "no"),
                ("section-a", "section A: e.g. medical devices (MDR), in-vitro diagnostics "
                 "(IVDR), machinery, toys, radio equipment"),
                ("section-b", "section B: e.g. aviation, vehicles, marine equipment, rail"),
            ),
            "Software that is itself a medical device under the MDR or IVDR counts.",
            "2.3",
        ),
        Question(
            "third_party_conformity",
            "Does that product law have a third party (a notified body) assess its conformity?",
            "yes-no",
            help="Yes for MDR class IIa, IIb and III and IVDR class B, C and D; no for a "
            "self-certified MDR class I or IVDR class A device. Only then is it high-risk "
            "(Art. 6(1)(b)).",
            beslishulp="2.7.1",
        ),
        Question(
            "annex_iii",
            "Which Annex III uses is it intended for?",
            "several",
            (
                ("remote-biometric-identification", "1(a) remote biometric identification"),
                ("biometric-categorisation", "1(b) biometric categorisation by sensitive traits"),
                ("emotion-recognition", "1(c) emotion recognition"),
                ("critical-infrastructure", "2 safety component of critical infrastructure"),
                ("education-admission", "3(a) admission to education"),
                ("education-assessment", "3(b) evaluating learning outcomes"),
                ("education-level", "3(c) deciding the level of education someone gets"),
                ("exam-monitoring", "3(d) monitoring students during tests"),
                ("recruitment", "4(a) recruiting or selecting staff"),
                ("work-decisions", "4(b) decisions on work relations: promotion, dismissal, "
                 "allocating tasks by behaviour or traits, monitoring or evaluating staff"),
                ("public-benefits", "5(a) deciding eligibility for public assistance benefits "
                 "and services, healthcare services included, by or for a public authority"),
                ("creditworthiness", "5(b) creditworthiness or credit score"),
                ("life-health-insurance", "5(c) risk and pricing in life or health insurance"),
                ("emergency-triage", "5(d) classifying emergency calls, dispatching emergency "
                 "services, or emergency healthcare patient triage"),
                ("law-enforcement", "6 law enforcement"),
                ("migration-asylum-border", "7 migration, asylum and border control"),
                ("administration-of-justice", "8(a) administration of justice"),
                ("elections", "8(b) influencing elections or voting"),
            ),
            "Answer with none when it is intended for none of them. Rostering or allocating "
            "staff tasks by their behaviour or traits is 4(b).",
            "2.4",
        ),
        Question(
            "organisation",
            "What kind of organisation uses it?",
            "choice",
            (
                ("public-authority", "a public authority, a body governed by public law, or "
                 "acting on behalf of one"),
                ("public-service", "a private organisation providing public services, such as "
                 "most Dutch care providers"),
                ("private", "a private organisation providing no public services"),
            ),
            "It decides whether Annex III 5(a) applies, whether a fundamental rights impact "
            "assessment is due (Art. 27) and when duties start for systems in use (Art. 111(2)).",
            "",
        ),
        Question(
            "profiling", "Does it profile natural persons?", "yes-no",
            help="Automated evaluation of personal aspects such as health, behaviour or "
            "reliability (GDPR Art. 4(4)). An Annex III system that profiles is always "
            "high-risk.",
            beslishulp="2.5",
        ),
        Question(
            "exemption",
            "Does one of the Art. 6(3) conditions hold, so the Annex III use poses no "
            "significant risk?",
            "choice",
            (
                ("none", "no"),
                ("narrow-procedural-task", "it performs a narrow procedural task"),
                ("improves-completed-human-activity", "it improves the result of a human "
                 "activity already completed"),
                ("detects-decision-patterns", "it detects decision patterns or deviations "
                 "without replacing or influencing the human assessment"),
                ("preparatory-task", "it performs a preparatory task to an assessment"),
            ),
            "Claiming one requires a documented assessment (Art. 6(4)); you will be asked "
            "for it.",
            "2.6",
        ),
        Question(
            "exemption_justification",
            "Why does the use pose no significant risk of harm (the Art. 6(4) assessment)?",
            "text",
            beslishulp="2.6",
        ),
        Question(
            "open_source",
            "Is it released under a free and open-source licence, with its parameters public?",
            "yes-no",
            beslishulp="2.11",
        ),
        Question(
            "transparency_uses",
            "In which Art. 50 situations is it used?",
            "several",
            (
                ("interacts-with-people", "it talks or writes with people directly, like a "
                 "chatbot or voice assistant"),
                ("generates-content", "it generates synthetic text, audio, images or video"),
                ("emotion-or-biometric-categorisation", "it recognises emotions or "
                 "categorises people by biometric data"),
                ("deepfake", "it makes image, audio or video content that looks real"),
                ("public-interest-text", "it writes text published to inform the public on "
                 "matters of public interest"),
            ),
            "These duties come on top of any risk group. Answer with none when none applies.",
            "2.9",
        ),
        Question(
            "transparency_exception",
            "Does the law permit it to detect, prevent, investigate or prosecute crime?",
            "yes-no",
            beslishulp="2.10",
        ),
        Question(
            "systemic_risk",
            "Does the model have systemic risk (trained with more than 10^25 FLOP, or so "
            "designated)?",
            "yes-no",
            beslishulp="2.8",
        ),
    )
}  # fmt: skip
