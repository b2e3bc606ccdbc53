"""Exporting pilots as definition files that import back to the same state."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

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
