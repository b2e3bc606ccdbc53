"""Exporting pilots as definition files that import back to the same state."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from genai_pilots.domain.events import ENDING
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.errors import NotFound, UsageError
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import PilotRow


@dataclass(frozen=True, slots=True)
class ExportedPilot:
    """A pilot's definition as it stands in the register (stage and outcome included)."""

    pilot_id: str
    data: dict[str, Any]


def export_pilots(store: Store, pilot_ids: Sequence[str] = ()) -> list[ExportedPilot]:
    """The definitions of the named pilots (all when none are named), with register state."""
    with reading(store) as session:
        statement = select(PilotRow).order_by(col(PilotRow.id))
        if pilot_ids:
            statement = statement.where(col(PilotRow.id).in_(list(pilot_ids)))
        rows = session.exec(statement).all()
    missing = sorted(set(pilot_ids) - {r.id for r in rows})
    if missing:
        raise NotFound(f"no pilot with id {', '.join(repr(m) for m in missing)}")
    exported = []
    for row in rows:
        definition = stored_definition(row.definition)
        data = definition.model_dump(mode="python", exclude_defaults=True)
        data["stage"] = row.stage
        if row.outcome:
            data["outcome"] = row.outcome
        exported.append(ExportedPilot(row.id, _ordered(data)))
    return exported


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Identity and state first, then the stage sections, as in a hand-written file."""
    order = ["id", "name", "setting", "department", "owner", "stage", "outcome"]
    head = {key: data[key] for key in order if key in data}
    return head | {key: value for key, value in data.items() if key not in head}


def write_atomically(path: Path, text: str) -> None:
    """Write a file so that a crash never leaves half of it behind.

    Missing folders are made. A place that cannot be written (a directory, a device or a pipe,
    which a rename would replace, a folder that cannot be made, no permission) is the user's to
    fix: a one-line usage error, never a traceback.
    """
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory", hint="pass a file name")
    if path.exists() and not path.is_file():
        raise UsageError(
            f"cannot write {path}: it is not a regular file (a device or a pipe)",
            hint="pass the name of a file",
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise UsageError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint="pass a file in a folder you can write",
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_output_dir(directory: Path) -> None:
    """An export target must be a directory (or not exist yet)."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is not a directory", hint="pass -o with a directory")


# Status of the Dutch Algoritmeregister, derived from where a pilot stands.
REGISTER_STATUS = {None: "In ontwikkeling", "scaled": "In gebruik", "stopped": "Buiten gebruik"}


def _short(text: str | None, limit: int = 300) -> str:
    if not text:
        return ""
    first = text.split(". ")[0].strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def algoritmeregister_records(
    store: Store, pilot_ids: Sequence[str] = (), *, organisation: str = ""
) -> list[dict[str, Any]]:
    """Records with the fields of the Algoritmeregister publication standard, one per pilot."""
    from sqlmodel import col, select

    from genai_pilots.domain.ai_act import classify
    from genai_pilots.store.models import EventRow

    exported = export_pilots(store, pilot_ids)
    ids = [p.pilot_id for p in exported]
    with reading(store) as session:
        ended = {
            e.pilot_id: e.at.date().isoformat()
            for e in session.exec(
                select(EventRow).where(
                    col(EventRow.pilot_id).in_(ids),
                    col(EventRow.kind).in_(ENDING),
                )
            )
            if e.payload.get("outcome")
        }
    records = []
    for item in exported:
        d = stored_definition(item.data)
        outcome = item.data.get("outcome")
        g = d.governance
        facts = g.ai_act
        derived = classify(facts) if facts else None
        assessments = []
        if g.dpia is not None:
            assessments.append(
                {"name": "DPIA", "status": g.dpia.status, "reference": g.dpia.reference or ""}
            )
        if g.fria:
            assessments.append({"name": "FRIA (IAMA)", "status": "done", "reference": g.fria})
        vendor = g.vendor
        risks = [f"EU AI Act risk class: {facts.risk_class if facts else 'not declared'}"]
        if derived is not None:
            risks.extend(derived.reasons)
        if g.transparency:
            risks.append(f"Transparency: {g.transparency}")
        period = d.start_klein.period
        records.append(
            {
                "name": d.name,
                "organization": organisation,
                "department": d.department,
                "description_short": _short(d.start_klein.scope or d.start_klein.value_hypothesis),
                "status": REGISTER_STATUS[outcome],
                "goal": " ".join(
                    t for t in (d.start_klein.value_hypothesis, d.start_klein.scale_vision) if t
                ),
                "human_intervention": g.human_oversight or "",
                "risk_management": "; ".join(risks),
                "lawful_basis": g.legal_basis or "",
                "impact_assessments": assessments,
                "source_data": "; ".join(
                    [
                        ds.name + (f": {ds.description}" if ds.description else "")
                        for ds in d.synthetic_data.datasets
                    ]
                    + ([f"data location: {g.data_location}"] if g.data_location else [])
                ),  # fmt: skip
                "methods_and_models": (
                    f"{vendor.model or ''} {vendor.model_version or ''}".strip()
                    + (" (generative AI)" if facts is None or facts.generative else "")
                    if vendor
                    else ""
                ),
                "provider": vendor.name if vendor else "",
                "contact_email": d.owner.email,
                "begin_date": period.start.isoformat() if period else None,
                "end_date": (
                    ended.get(item.pilot_id, period.end.isoformat() if period else None)
                    if outcome == "stopped"
                    else None
                ),
                "lang": "NLD",
                "source_id": item.pilot_id,
            }
        )
    return records
