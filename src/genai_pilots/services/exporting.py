"""Exporting pilots as definition files that import back to the same state."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

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


def write_atomically(path: Path, text: str, *, unchanged_since: bytes | None = None) -> Path:
    """Write a file so that a crash never leaves half of it behind; returns where it went.

    With ``unchanged_since`` the file must still hold those bytes: an edit made meanwhile is
    never overwritten. Where a file may be written is ``atomic_file``'s to say.
    """
    with atomic_file(path, unchanged_since=unchanged_since) as (handle, target):
        handle.write(text)
    return target


@contextmanager
def atomic_file(
    path: Path, *, unchanged_since: bytes | None = None
) -> Iterator[tuple[TextIO, Path]]:
    """A text file written next to ``path`` and renamed onto it only when the block ends.

    For a file too large to hold in memory (``pilots db dump``): write to the handle as you go.
    An error in the block leaves ``path`` as it was and no temporary file behind. Missing
    folders are made. A symbolic link is followed (its target is written), an existing file
    keeps its permissions (a new one is 0600), and a read-only one is refused. A place that
    cannot be written (a directory, a device or a pipe, a folder that cannot be made, no
    permission) is the user's to fix: a one-line usage error, never a traceback.
    """
    path = path.resolve() if path.is_symlink() else path
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory", hint="pass a file name")
    if path.exists() and not path.is_file():
        raise UsageError(
            f"cannot write {path}: it is not a regular file (a device or a pipe)",
            hint="pass the name of a file",
        )
    mode = None
    if path.exists():
        mode = stat.S_IMODE(path.stat().st_mode)
        if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):  # even for root
            raise UsageError(f"cannot write {path}: it is read-only", hint="make it writable first")
    if unchanged_since is not None and _read(path) != unchanged_since:
        raise UsageError(
            f"{path} changed while the questions were answered; nothing was written",
            hint="run the command again on the file as it is now",
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
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle, path
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise UsageError(
            f"cannot write {path}: {exc.strerror or exc}; nothing was changed",
            hint="check the file's permissions and attributes",
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def check_output_dir(directory: Path) -> None:
    """An export target must be a directory (or not exist yet)."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} is not a directory", hint="pass -o with a directory")
