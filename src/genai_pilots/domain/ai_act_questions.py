"""The questions behind ``governance.ai_act``, in this project's own words.

One question per answer field, with its options and the Beslishulp question it stands for, so
``pilots classify`` can ask them on a terminal and ``validate`` can name the next one to answer.
Which question comes next is decided by the walk in ``ai_act``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from genai_pilots.i18n import N_

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
    N_("What is it, in the terms of the AI Act?"),
    "choice",
    (
        ("ai-system", N_("an AI system: it infers from input how to produce output such as text, "
         "predictions or recommendations (Art. 3(1)); any product built on a language model")),
        ("gpai-system", N_("a general-purpose AI system: built on a general-purpose model and "
         "usable for many tasks, e.g. a general chat assistant")),
        ("gpai-model", N_("a general-purpose AI model itself (not yet a system around it)")),
        ("not-ai", N_("an algorithm that is no AI system: fixed rules set by people, plain "
         "statistics or data processing without inference")),
        ("no-algorithm", N_("no algorithm at all")),
    ),
    N_("Unsure? An application that only follows rules people wrote is no AI system; one that "
    "learns from data or reasons from knowledge and affects what happens is."),
    "1.1, 1.4.1, 1.4.2, 1.6",
)  # fmt: skip

_SOURCING = Question(
    "sourcing",
    N_("How does your organisation come by it?"),
    "choice",
    (
        ("develop-only", N_("we develop it, for others to use")),
        ("develop-and-use", N_("we develop it and use it ourselves")),
        ("commissioned", N_("we had it developed for us, under our name")),
        ("external", N_("we use a supplier's system as delivered")),
        ("external-adapted", N_("we use a supplier's system and changed it (purpose, model or "
         "set-up): that makes us its provider too")),
        ("import", N_("we bring a system from outside the EU onto the EU market")),
        ("distribute", N_("we buy it within the EU and supply it to others")),
        ("none", N_("none of these")),
    ),
    N_("Provider (develops or has it developed, or substantially changes it), deployer (uses it "
    "under its own authority), importer or distributor: Art. 3(3)-(7) and Art. 25."),
    "1.2",
)  # fmt: skip

QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        _SYSTEM,
        _SOURCING,
        Question(
            "in_use", N_("Is it already used in practice?"), "yes-no",
            help=N_("A pilot whose output reaches real patients or decisions counts as in use, "
            "whatever it is called (Art. 111)."),
            beslishulp="1.3",
        ),
        Question(
            "in_use_since", N_("Since when (the day it was first used in practice)?"), "date",
            help=N_("A date, e.g. 2026-03-01. Art. 111 postpones duties only for systems in use "
            "before they apply."),
            beslishulp="1.3",
        ),
        Question(
            "exception",
            N_("Does one of the Art. 2 exceptions put it outside the AI Act?"),
            "choice",
            (
                ("none", N_("no")),
                ("military-defence-security", N_("only for military, defence or national "
                 "security purposes")),
                ("third-country-authority", N_("used by a public authority of a third country "
                 "under international cooperation on law enforcement or justice")),
                ("pre-market-research", N_("research, testing or development before it is placed "
                 "on the market or put into service; testing in real conditions is not")),
                ("scientific-research", N_("developed and used for scientific research only")),
            ),
            N_("A pilot in care with real patients is not pre-market research."),
            "1.5",
        ),
        Question(
            "exception_justification", N_("Why does that exception apply?"), "text",
            beslishulp="1.5",
        ),
        Question(
            "prohibited",
            N_("Which practices prohibited by Art. 5 does it fall under?"),
            "several",
            (
                ("subliminal-manipulation", N_("manipulates people below their awareness")),
                ("exploiting-vulnerabilities", N_("exploits age, disability or social or "
                 "economic situation to distort behaviour")),
                ("social-scoring", N_("scores people on social behaviour or personal traits")),
                ("crime-prediction", N_("predicts crime from profiling or personality alone")),
                ("face-scraping", N_("builds face databases by untargeted scraping")),
                ("emotion-recognition-work-education", N_("infers emotions at work or in "
                 "education, other than for medical or safety reasons")),
                ("biometric-categorisation-sensitive", N_("infers race, beliefs, sexual "
                 "orientation and the like from biometric data")),
                ("realtime-remote-biometric-identification", N_("real-time remote biometric "
                 "identification in public spaces for law enforcement")),
                ("non-consensual-intimate-imagery", N_("generates intimate images of identifiable "
                 "people without their consent")),
            ),
            N_("Answer with none when it falls under none of them."),
            "2.1",
        ),
        Question(
            "prohibited_exception",
            N_("Does one of the two law-enforcement exceptions of Art. 5 apply?"),
            "yes-no",
            help=N_("Targeted search for victims or missing persons, preventing a threat to life "
            "or a terrorist attack, or locating suspects of listed serious crimes."),
            beslishulp="2.2",
        ),
        Question(
            "annex_i",
            N_("Is it (a safety component of) a product under the product law of Annex I?"),
            "choice",
            (
                ("none", N_("no")),
                ("section-a", N_("section A: e.g. medical devices (MDR), in-vitro diagnostics "
                 "(IVDR), machinery, toys, radio equipment")),
                ("section-b", N_("section B: e.g. aviation, vehicles, marine equipment, rail")),
            ),
            N_("Software that is itself a medical device under the MDR or IVDR counts."),
            "2.3",
        ),
        Question(
            "third_party_conformity",
            N_("Does that product law have a third party (a notified body) assess its conformity?"),
            "yes-no",
            help=N_("Yes for MDR class IIa, IIb and III and IVDR class B, C and D; no for a "
            "self-certified MDR class I or IVDR class A device. Only then is it high-risk "
            "(Art. 6(1)(b))."),
            beslishulp="2.7.1",
        ),
        Question(
            "annex_iii",
            N_("Which Annex III uses is it intended for?"),
            "several",
            (
                ("remote-biometric-identification", N_("1(a) remote biometric identification")),
                ("biometric-categorisation", N_("1(b) biometric categorisation by sensitive "
                 "traits")),
                ("emotion-recognition", N_("1(c) emotion recognition")),
                ("critical-infrastructure", N_("2 safety component of critical infrastructure")),
                ("education-admission", N_("3(a) admission to education")),
                ("education-assessment", N_("3(b) evaluating learning outcomes")),
                ("education-level", N_("3(c) deciding the level of education someone gets")),
                ("exam-monitoring", N_("3(d) monitoring students during tests")),
                ("recruitment", N_("4(a) recruiting or selecting staff")),
                ("work-decisions", N_("4(b) decisions on work relations: promotion, dismissal, "
                 "allocating tasks by behaviour or traits, monitoring or evaluating staff")),
                ("public-benefits", N_("5(a) deciding eligibility for public assistance benefits "
                 "and services, healthcare services included, by or for a public authority")),
                ("creditworthiness", N_("5(b) creditworthiness or credit score")),
                ("life-health-insurance", N_("5(c) risk and pricing in life or health insurance")),
                ("emergency-triage", N_("5(d) classifying emergency calls, dispatching emergency "
                 "services, or emergency healthcare patient triage")),
                ("law-enforcement", N_("6 law enforcement")),
                ("migration-asylum-border", N_("7 migration, asylum and border control")),
                ("administration-of-justice", N_("8(a) administration of justice")),
                ("elections", N_("8(b) influencing elections or voting")),
            ),
            N_("Answer with none when it is intended for none of them. Rostering or allocating "
            "staff tasks by their behaviour or traits is 4(b)."),
            "2.4",
        ),
        Question(
            "organisation",
            N_("What kind of organisation uses it?"),
            "choice",
            (
                ("public-authority", N_("a public authority, a body governed by public law, or "
                 "acting on behalf of one")),
                ("public-service", N_("a private organisation providing public services, such as "
                 "most Dutch care providers")),
                ("private", N_("a private organisation providing no public services")),
            ),
            N_("It decides whether Annex III 5(a) applies, whether a fundamental rights impact "
            "assessment is due (Art. 27) and when duties start for systems in use (Art. 111(2))."),
            "",
        ),
        Question(
            "profiling", N_("Does it profile natural persons?"), "yes-no",
            help=N_("Automated evaluation of personal aspects such as health, behaviour or "
            "reliability (GDPR Art. 4(4)). An Annex III system that profiles is always "
            "high-risk."),
            beslishulp="2.5",
        ),
        Question(
            "exemption",
            N_("Does one of the Art. 6(3) conditions hold, so the Annex III use poses no "
            "significant risk?"),
            "choice",
            (
                ("none", N_("no")),
                ("narrow-procedural-task", N_("it performs a narrow procedural task")),
                ("improves-completed-human-activity", N_("it improves the result of a human "
                 "activity already completed")),
                ("detects-decision-patterns", N_("it detects decision patterns or deviations "
                 "without replacing or influencing the human assessment")),
                ("preparatory-task", N_("it performs a preparatory task to an assessment")),
            ),
            N_("Claiming one requires a documented assessment (Art. 6(4)); you will be asked "
            "for it."),
            "2.6",
        ),
        Question(
            "exemption_justification",
            N_("Why does the use pose no significant risk of harm (the Art. 6(4) assessment)?"),
            "text",
            beslishulp="2.6",
        ),
        Question(
            "open_source",
            N_("Is it released under a free and open-source licence, with its parameters public?"),
            "yes-no",
            beslishulp="2.11",
        ),
        Question(
            "transparency_uses",
            N_("In which Art. 50 situations is it used?"),
            "several",
            (
                ("interacts-with-people", N_("it talks or writes with people directly, like a "
                 "chatbot or voice assistant")),
                ("generates-content", N_("it generates synthetic text, audio, images or video")),
                ("emotion-or-biometric-categorisation", N_("it recognises emotions or "
                 "categorises people by biometric data")),
                ("deepfake", N_("it makes image, audio or video content that looks real")),
                ("public-interest-text", N_("it writes text published to inform the public on "
                 "matters of public interest")),
            ),
            N_("These duties come on top of any risk group. Answer with none when none applies."),
            "2.9",
        ),
        Question(
            "transparency_exception",
            N_("Does the law permit it to detect, prevent, investigate or prosecute crime?"),
            "yes-no",
            beslishulp="2.10",
        ),
        Question(
            "systemic_risk",
            N_("Does the model have systemic risk (trained with more than 10^25 FLOP, or so "
            "designated)?"),
            "yes-no",
            beslishulp="2.8",
        ),
    )
}  # fmt: skip
