"""Algoritmeregister records: what each pilot publishes, checked against the standard first.

A record holds only fields the publication standard defines. Who publishes and where the
public can ask come from the register settings (``pilots publication set``), never from a
pilot owner's own address. Every record is checked against the standard shipped in the
package (``domain.algoritmeregister``) before anything is written: one broken record and
nothing is written.

Text copied from a definition (name, goal, human oversight, legal basis) is published as the
team wrote it or not at all: over the standard's length it is refused, naming the pilot, the
field and where it comes from. Only summaries this module composes (the short description,
risks, data, technical working, tags) are shortened, at a word, with a visible "…".
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.ai_act import Classification, classify
from genai_pilots.domain.algoritmeregister import (
    Standard,
    UseHistory,
    check_record,
    is_https_url,
    month,
    publication_category,
    register_use,
)
from genai_pilots.domain.definition import AiAct, PilotDefinition
from genai_pilots.domain.events import ENDING, ENTERING
from genai_pilots.domain.pii import scan
from genai_pilots.domain.register_settings import (
    CONTACT,
    ORGANISATION,
    BadSetting,
    normalise_organisation,
    set_command,
)
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _, ngettext
from genai_pilots.readmodels import PublicationFinding
from genai_pilots.services.events import ensure_register_intact
from genai_pilots.services.exporting import pilots_named
from genai_pilots.services.register_settings import (
    personal_addresses,
    read_settings,
    refuse_personal,
)
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import EventRow, EvidenceRow, PilotRow

STANDARD_FILE = "data/algoritmeregister/v1_0.json"
CATEGORY = "Zorg en gezondheid"  # the standard's theme for care
DPIA_TITLE = "Data Protection Impact Assessment (DPIA)"
FRIA_TITLE = "Impact Assessment Mensenrechten en Algoritmes (IAMA)"  # the Dutch FRIA
_RISK_LABELS = {
    "prohibited": "verboden praktijk",
    "high": "hoog risico",
    "limited": "beperkt risico (transparantieverplichting)",
    "minimal": "minimaal risico",
}
_SEVERITY = ("minimal", "limited", "high", "prohibited")


@cache
def standard() -> Standard:
    """The publication standard v1.0, read from the package once, when first needed."""
    text = resources.files("genai_pilots").joinpath(STANDARD_FILE).read_text(encoding="utf-8")
    return Standard.from_config(json.loads(text))


class RecordsRefused(CheckFailed):
    """Records the register would refuse; nothing is written. Carries the findings."""

    def __init__(self, findings: list[PublicationFinding]) -> None:
        pilots = len({f.pilot_id for f in findings})
        counted = ngettext("{count} finding", "{count} findings", len(findings)).format(
            count=len(findings)
        )
        super().__init__(
            ngettext(
                "{pilots} record breaks the Algoritmeregister publication standard {version} "
                "({findings} above); nothing was written",
                "{pilots} records break the Algoritmeregister publication standard {version} "
                "({findings} above); nothing was written",
                pilots,
            ).format(pilots=pilots, version=standard().version, findings=counted),
            hint=_(
                "fix each field where its definition has it, import the definition, and export "
                "again"
            ),
        )
        self.findings = findings


class MissingSetting(UsageError):
    """The register lacks a setting every record needs: the export cannot run."""

    def __init__(self, keys: list[str]) -> None:
        names = _(" and ").join(f"'{k}'" for k in keys)
        super().__init__(
            ngettext(
                "the register has no {names} for Algoritmeregister records (it is required); "
                "nothing was written",
                "the register has no {names} for Algoritmeregister records (they are required); "
                "nothing was written",
                len(keys),
            ).format(names=names),
            hint=_(" and ").join(f"`{set_command(k)}`" for k in keys),
        )


def _ai_act_class(facts: AiAct | None, found: Classification) -> tuple[str | None, bool]:
    """The class a pilot is published under, and whether it affects people.

    The class is as declared, never below what its answers lead to; it affects people when
    patients see it, Art. 50 duties apply, or it has an Annex III use.
    """
    if facts is None:
        return None, False
    classes = [c for c in (facts.risk_class, found.risk_class) if c]
    affects = facts.patient_facing or bool(found.transparency) or bool(found.annex_iii)
    return (max(classes, key=_SEVERITY.index) if classes else None), affects


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _summary(text: str, limit: int | None) -> str:
    """A composed summary within ``limit``: cut at a word, the cut shown by "…"."""
    if limit is None or len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def _limit(field: str) -> int | None:
    rule = standard().fields.get(field)
    return rule.max_length if rule is not None else None


def _uses(session: Session, ids: Sequence[str]) -> dict[str, dict[str, dt.date]]:
    """When the register saw each pilot enter and end (one query)."""
    kinds = sorted(ENTERING | ENDING)
    statement = (
        select(EventRow.pilot_id, EventRow.kind, EventRow.at, EventRow.payload)
        .where(col(EventRow.pilot_id).in_(list(ids)), col(EventRow.kind).in_(kinds))
        .order_by(col(EventRow.pilot_id), col(EventRow.seq))
    )
    seen: dict[str, dict[str, dt.date]] = defaultdict(dict)
    for pilot_id, kind, at, payload in session.exec(statement):
        day, dates = at.date(), seen[pilot_id]
        if kind in ENTERING:
            dates.setdefault("entered", day)
        if kind in ENDING and payload.get("outcome"):
            dates.setdefault("ended", day)
    return seen


def _record(
    row: PilotRow,
    definition: PilotDefinition,
    dates: dict[str, dt.date],
    organisation: str,
    contact: str,
    today: dt.date,
    found: Classification,
    links: dict[str, str] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """One pilot's record, and for each field copied from the definition where it comes from.

    ``links``: a public web address on record as evidence, by criterion (``dpia``, ``fria``):
    the standard lists each impact assessment with its link.
    """
    links = links or {}
    start, governance = definition.start_klein, definition.governance
    facts, vendor, dpia = governance.ai_act, governance.vendor, governance.dpia
    sources: dict[str, str] = {"name": "name"}
    use = register_use(
        UseHistory(
            row.outcome, facts.in_use_since if facts is not None and facts.in_use else None,
            (start.period.start, start.period.end) if start.period else None,
            dates.get("ended"), dates.get("entered", row.created_at.date()),
        ),
        today,
    )  # fmt: skip
    risk_class, affects_people = _ai_act_class(facts, found)
    record: dict[str, Any] = {
        "name": " ".join(definition.name.split()),
        "organization": organisation,
        "category": [CATEGORY],
        "status": use.status,
        "contact_email": contact,
        "publication_category": publication_category(risk_class, affects_people),
        "lang": "nld",
        "standard_version": standard().version,
        "source_id": row.id,
    }
    if use.begin is not None:
        record["begin_date"] = month(use.begin)
    if use.end is not None:
        record["end_date"] = month(use.end)
    described = start.scope or start.value_hypothesis
    sources["description_short"] = (
        "start_klein.value_hypothesis" if start.value_hypothesis and not start.scope
        else "start_klein.scope"
    )  # fmt: skip
    sources |= {
        "risks": "governance.transparency", "source_data": "synthetic_data.datasets",
        "methods_and_models": "governance.vendor", "tags": "department",
        "impacttoetsen_grouping": "governance.dpia.reference or governance.fria",
    }  # fmt: skip
    if described:
        record["description_short"] = _summary(described, _limit("description_short"))
    copied = {
        "goal": ("start_klein.value_hypothesis", start.value_hypothesis),
        "human_intervention": ("governance.human_oversight", governance.human_oversight),
        "lawful_basis": ("governance.legal_basis", governance.legal_basis),
        "provider": ("governance.vendor.name", vendor.name if vendor else None),
    }
    if dpia is not None and dpia.status == "not-required" and dpia.justification:
        copied["impacttoetsen"] = ("governance.dpia.justification", dpia.justification)
    for field, (source, value) in copied.items():
        sources[field] = source
        if value:
            record[field] = value.strip()
    assessments = []
    if dpia is not None and dpia.status == "done":
        assessments.append(_assessment(DPIA_TITLE, dpia.reference, links.get("dpia")))
    if governance.fria:
        assessments.append(_assessment(FRIA_TITLE, governance.fria, links.get("fria")))
    if assessments:
        record["impacttoetsen_grouping"] = assessments
    record |= _summaries(definition, risk_class, found.beslishulp)
    order = list(standard().fields)
    ordered = dict(sorted(record.items(), key=lambda kv: order.index(kv[0])))
    return ordered, sources


def _summaries(
    definition: PilotDefinition, risk_class: str | None, conclusion: str | None
) -> dict[str, str]:
    """The fields this module composes from several facts, each shortened to its limit."""
    governance = definition.governance
    facts, vendor = governance.ai_act, governance.vendor
    found: dict[str, str] = {}
    risks = []
    if risk_class is not None:
        risks.append(f"Risicoklasse volgens de AI-verordening: {_RISK_LABELS[risk_class]}.")
    if conclusion is not None:
        risks.append(f"Beslishulp AI-verordening 1.0.0: conclusie {conclusion}.")
    if governance.transparency:
        risks.append(f"Transparantie: {_sentence(governance.transparency)}")
    if governance.log_retention_months is not None:
        risks.append(f"Logbestanden worden {governance.log_retention_months} maanden bewaard.")
    if risks:
        found["risks"] = _summary(" ".join(risks), _limit("risks"))
    data = [
        _sentence(ds.name + (f": {ds.description.strip()}" if ds.description else ""))
        for ds in definition.synthetic_data.datasets
    ]
    if governance.data_location:
        data.append(_sentence(f"Verwerkingslocatie: {governance.data_location}"))
    if data:
        found["source_data"] = _summary(" ".join(data), _limit("source_data"))
    if vendor is not None and (vendor.product or vendor.model):
        parts = [p for p in (vendor.product, vendor.model) if p]
        text = ", model ".join(parts) if len(parts) == 2 else parts[0]
        if vendor.model_version:
            text += f" (versie {vendor.model_version})"
        if facts is None or facts.generative:
            text += "; generatieve AI"
        found["methods_and_models"] = _summary(text, _limit("methods_and_models"))
    tags = [definition.department, definition.setting]
    if facts is None or facts.generative:
        tags.append("generatieve AI")
    found["tags"] = _summary(", ".join(tags), _limit("tags"))
    return found


def _assessment(title: str, reference: str | None, evidence: str | None = None) -> dict[str, str]:
    """An impact assessment as the standard lists them: its title, and a link if public.

    The definition's reference when it is a public address, else the evidence on record for it.
    """
    for candidate in ((reference or "").strip(), (evidence or "").strip()):
        if is_https_url(candidate):
            return {"title": title, "link": candidate}
    return {"title": title}


def _published_links(session: Session, pilot_ids: list[str]) -> dict[str, dict[str, str]]:
    """Per pilot, the newest https evidence in force for each criterion (a public link)."""
    today = clock.today()
    rows = session.exec(
        select(EvidenceRow)
        .where(col(EvidenceRow.pilot_id).in_(pilot_ids), col(EvidenceRow.withdrawn_at).is_(None))
        .order_by(col(EvidenceRow.id))
    ).all()
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.sha256 is None and (row.valid_until is None or row.valid_until >= today):
            found.setdefault(row.pilot_id, {})[row.criterion] = row.location
    return found


def _settings(session: Session, organisation: str | None) -> tuple[str, str]:
    """The organisation (``organisation`` overrides the register's) and the general contact."""
    stored = read_settings(session)
    if organisation:
        try:
            stored[ORGANISATION] = normalise_organisation(organisation)
        except BadSetting as problem:
            raise UsageError(f"--organisation: {problem}") from None
    missing = [key for key in (ORGANISATION, CONTACT) if not stored.get(key)]
    if missing:
        raise MissingSetting(missing)
    contact = stored[CONTACT]
    refuse_personal(contact, personal_addresses(session))  # a person may be added since
    return stored[ORGANISATION], contact


@dataclass(frozen=True, slots=True)
class Publication:
    """The records, and the pilots left out because their AI Act classification is open."""

    records: list[dict[str, Any]]
    unclassified: list[str]


def algoritmeregister_records(
    store: Store, pilot_ids: Sequence[str] = (), *, organisation: str | None = None
) -> Publication:
    """One record per pilot (all when none are named), each checked against the standard.

    Only a register that verifies is published. A pilot whose AI Act classification is open
    has no category: named, it is refused; otherwise it is left out and listed. Personal data
    (e-mail addresses, phone numbers, IBANs) anywhere but the general contact is refused.
    ``organisation`` overrides the register's setting for this export. Refuses (nothing is
    returned) when a setting is missing or the contact is someone's own address (exit 2),
    when the register differs from its history, or when any record breaks a rule of the
    standard: ``RecordsRefused`` names every pilot, field and rule (exit 1).
    """
    from genai_pilots.services.verified import require_verified

    today = clock.today()
    with reading(store) as session:
        ensure_register_intact(session, lock=False)  # settings edited by SQL are not published
    require_verified(store, pilot_ids, "a publication is made")
    with reading(store) as session:
        organisation_name, contact = _settings(session, organisation)
        rows = pilots_named(session, pilot_ids)
        uses = _uses(session, [r.id for r in rows])
        links = _published_links(session, [r.id for r in rows])
    records, findings, skipped = [], [], []
    for row in rows:
        definition = stored_definition(row.definition)
        found = classify(definition.governance.ai_act)  # once per pilot: category, risks
        if not found.complete:
            if pilot_ids:
                findings.append(PublicationFinding(
                    row.id, "publication_category", "classified",
                    _("its AI Act classification is incomplete, so its category is unknown; "
                      "run `pilots classify` and import the answers"), "governance.ai_act",
                ))  # fmt: skip
            else:
                skipped.append(row.id)
            continue
        record, sources = _record(
            row, definition, uses.get(row.id, {}), organisation_name, contact, today, found,
            links.get(row.id),
        )  # fmt: skip
        public = {k: v for k, v in record.items() if k != "contact_email"}
        for hit in scan(public):
            field = ".".join(str(part) for part in hit.path)
            top = str(hit.path[0])
            findings.append(PublicationFinding(
                row.id, field, "personal-data",
                _("{problem}: a public record holds no personal data").format(
                    problem=hit.message.split(";")[0]
                ),
                sources.get(top),
            ))  # fmt: skip
        for finding in check_record(record, standard(), plain_text=True):
            top = finding.field.split("[", 1)[0].split(".", 1)[0]
            findings.append(
                PublicationFinding(
                    row.id, finding.field, finding.rule, finding.message, sources.get(top)
                )
            )
        records.append(record)
    if findings:
        raise RecordsRefused(findings)
    return Publication(records, skipped)
