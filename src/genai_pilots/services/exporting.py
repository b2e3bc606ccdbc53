"""Exporting pilots as definition files that import back to the same state."""

from __future__ import annotations

import os
import stat
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func
from sqlmodel import Session, col, select

from genai_pilots.domain.definition import DECISION_FOR
from genai_pilots.domain.events import EventKind
from genai_pilots.domain.stages import is_later
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.errors import NotFound, UsageError
from genai_pilots.i18n import N_, _
from genai_pilots.services.files import (
    describe_os_error,
    exists,
    read_input,
    shown,
    status,
    writable_folder,
    writable_target,
)
from genai_pilots.services.transactions import Store, reading
from genai_pilots.store.models import (
    ApprovalRow,
    EventRow,
    MeasurementRow,
    PilotRow,
    TrainingRow,
    WaiverRow,
)
from genai_pilots.store.queries import CHUNK


@dataclass(frozen=True, slots=True)
class ExportedPilot:
    """A pilot's definition as it stands in the register (stage and outcome included)."""

    pilot_id: str
    data: dict[str, Any]
    notes: tuple[str, ...] = ()  # what the file cannot carry, to say so


def pilots_named(session: Session, pilot_ids: Sequence[str]) -> list[PilotRow]:
    """The named pilots by id (all when none are named); an id the register lacks is named."""
    statement = select(PilotRow).order_by(col(PilotRow.id))
    if pilot_ids:
        statement = statement.where(col(PilotRow.id).in_(list(pilot_ids)))
    rows = list(session.exec(statement).all())
    missing = sorted(set(pilot_ids) - {r.id for r in rows})
    if missing:
        raise NotFound(_("no pilot with id {ids}").format(ids=", ".join(repr(m) for m in missing)))
    return rows


def export_pilots(store: Store, pilot_ids: Sequence[str] = ()) -> list[ExportedPilot]:
    """The definitions of the named pilots (all when none are named), with register state.

    What the register recorded goes into the file as far as a definition can carry it, so the
    file imports into an empty register at the same stage and outcome: every measurement in
    force, the decision that ended the pilot (with its reason), the approvals recorded (as the
    claims they become in another register) and every override of a gate (who, when, why).
    """
    with reading(store) as session:
        rows = pilots_named(session, pilot_ids)
        recorded = _recorded(session, [r.id for r in rows])
    exported = []
    for row in rows:
        definition = stored_definition(row.definition)
        data = definition.model_dump(mode="python", exclude_defaults=True)
        data["stage"] = row.stage
        if row.outcome:
            data["outcome"] = row.outcome
        held = recorded.get(row.id)
        _carry(data, held, row.outcome)
        notes = []
        current = [w for w in (held.waivers if held else []) if w["stage"] == row.stage]
        if current and row.outcome is None:
            shown = ", ".join(w["failing"][0] for w in current)
            notes.append(
                _(
                    "{pilot}: waivers of its current gate are not in the file ({criteria}); "
                    "give them again in the other register"
                ).format(pilot=row.id, criteria=shown)
            )
        if row.review_since is not None:
            notes.append(
                _(
                    "{pilot}: its governance review is open; the file imports only once the gate "
                    "passes again (or after the review is closed here)"
                ).format(pilot=row.id)
            )
        if held is not None and held.trainings:
            notes.append(
                _(
                    "{pilot}: its training ledger ({count} trainings) is not in the file, being "
                    "staff personal data; import the learning system's export in the other "
                    "register, or move the whole register with `pilots db copy`"
                ).format(pilot=row.id, count=held.trainings)
            )
        exported.append(ExportedPilot(row.id, _ordered(data), tuple(notes)))
    return exported


@dataclass(slots=True)
class _Recorded:
    """What the register holds of one pilot beyond its definition."""

    measurements: list[dict[str, Any]] = field(default_factory=list)
    approvals: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    waivers: list[dict[str, Any]] = field(default_factory=list)  # as overrides of their gate
    decision_reason: str | None = None
    trainings: int = 0  # rows in its training ledger: not in the file (staff personal data)


def _recorded(session: Session, pilot_ids: Sequence[str]) -> dict[str, _Recorded]:
    """Measurements in force, approvals in force, overrides and the ending decision, by pilot."""
    found: dict[str, _Recorded] = defaultdict(_Recorded)
    for start in range(0, len(pilot_ids), CHUNK):
        chunk = list(pilot_ids[start : start + CHUNK])
        for m in session.exec(
            select(MeasurementRow)
            .where(
                col(MeasurementRow.pilot_id).in_(chunk), col(MeasurementRow.retracted_at).is_(None)
            )
            .order_by(col(MeasurementRow.date), col(MeasurementRow.id))
        ):
            point = {"kpi": m.kpi, "date": m.date, "value": m.value}
            point |= {"setting": m.setting} if m.setting else {}
            found[m.pilot_id].measurements.append(point | ({"note": m.note} if m.note else {}))
        for a in session.exec(
            select(ApprovalRow)
            .where(col(ApprovalRow.pilot_id).in_(chunk), col(ApprovalRow.revoked_at).is_(None))
            .order_by(col(ApprovalRow.at), col(ApprovalRow.id))
        ):
            note = f"recorded in the register for {a.stage} on {a.at.date()}" + (
                f": {a.note}" if a.note else ""
            )
            found[a.pilot_id].approvals.append(
                {"role": a.role, "by": a.by, "date": a.at.date(), "note": note}
            )
        for w in session.exec(
            select(WaiverRow)
            .where(col(WaiverRow.pilot_id).in_(chunk), col(WaiverRow.revoked_at).is_(None))
            .order_by(col(WaiverRow.at), col(WaiverRow.id))
        ):
            found[w.pilot_id].waivers.append({
                "stage": w.stage, "by": w.by, "date": w.at.date(),
                "reason": f"waived {w.criterion} until {w.until}: {w.reason}",
                "failing": [w.criterion],
            })  # fmt: skip
        for e in session.exec(
            select(EventRow)
            .where(
                col(EventRow.pilot_id).in_(chunk),
                col(EventRow.kind).in_([EventKind.OVERRIDE, EventKind.DECIDED]),
            )
            .order_by(col(EventRow.pilot_id), col(EventRow.seq))
        ):
            if e.kind == EventKind.DECIDED:
                if e.payload.get("outcome"):
                    found[e.pilot_id].decision_reason = e.reason
                continue
            found[e.pilot_id].overrides.append({
                "stage": e.payload.get("from"), "by": e.actor, "date": e.at.date(),
                "reason": e.reason or "no reason recorded",
                "failing": list(e.payload.get("failing", [])),
            })  # fmt: skip
        for pilot_id, trainings in session.exec(
            select(TrainingRow.pilot_id, func.count())
            .where(col(TrainingRow.pilot_id).in_(chunk))
            .group_by(TrainingRow.pilot_id)
        ):
            found[pilot_id].trainings = trainings
    return found


def _carry(data: dict[str, Any], recorded: _Recorded | None, outcome: str | None) -> None:
    """Put what the register recorded into the definition data, without repeating any of it."""
    bijsturen = data.setdefault("bijsturen", {})
    if outcome is not None:
        bijsturen.setdefault("decision", DECISION_FOR[outcome])  # type: ignore[index]
        if (
            recorded is not None
            and recorded.decision_reason
            and not bijsturen.get("decision_reason")
        ):
            bijsturen["decision_reason"] = recorded.decision_reason
    if recorded is None:
        return
    if recorded.measurements:
        own = data.get("setting")  # a value in the pilot's own setting says no setting
        points = [
            {k: v for k, v in m.items() if not (k == "setting" and v == own)}
            for m in recorded.measurements
        ]
        bijsturen["measurements"] = _unique(
            [*bijsturen.get("measurements", []), *points], ("kpi", "date", "value", "setting")
        )
    if recorded.approvals:
        governance = data.setdefault("governance", {})
        governance["approvals"] = _unique(
            [*governance.get("approvals", []), *recorded.approvals], ("role", "by", "date")
        )
    # a waiver of a gate the pilot has passed travels as an override: another register has
    # no waiver to judge it by, and must not read it as a gate that was met
    passed = [w for w in recorded.waivers if is_later(data["stage"], w["stage"]) or outcome]
    if recorded.overrides or passed:
        data["overrides"] = _unique(
            [*data.get("overrides", []), *recorded.overrides, *passed],
            ("stage", "by", "date", "reason"),
        )
    if not bijsturen:
        data.pop("bijsturen")


def _unique(items: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """Items in order, each once by ``key``: what the file had first, then what is added."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for item in items:
        marker = tuple(item.get(k) for k in key)
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return kept


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    """Identity and state first, then the stage sections, as in a hand-written file."""
    order = ["id", "name", "setting", "department", "owner", "stage", "outcome", "overrides"]
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
    cannot be written (``files.writable_target``: a directory, a device or a pipe, a dangling
    link, a path through a file, a name too long, no permission) is the user's to fix: a
    one-line usage error, never a traceback.
    """
    try:
        path = writable_target(path)
    except UsageError as refused:
        raise UsageError(
            _("cannot write {problem}").format(problem=refused.message), hint=refused.hint
        ) from None
    found = status(path)
    mode = None if found is None else stat.S_IMODE(found.st_mode)
    if unchanged_since is not None and _read(path) != unchanged_since:
        raise UsageError(
            _("{path} changed while the questions were answered; nothing was written").format(
                path=shown(path)
            ),
            hint=_("run the command again on the file as it is now"),
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # a short prefix: the temporary name must fit where the final one just fits
        prefix = f".{path.name[:80]}."
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    except OSError as exc:
        raise UsageError(
            _("cannot write {path}: {problem}").format(
                path=shown(path), problem=describe_os_error(exc)
            ),
            hint=_("pass a file in a folder you can write"),
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
            _("cannot write {path}: {problem}; nothing was changed").format(
                path=shown(path), problem=describe_os_error(exc)
            ),
            hint=_("check the file's permissions and attributes"),
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> bytes | None:
    """The file's bytes to compare with, ``None`` when it cannot be read (or is far too large)."""
    try:
        return read_input(path, what=N_("file"))
    except UsageError:
        return None


def _body(text: str) -> str:
    """A written definition without its first line when that is the export's header comment."""
    return text.split("\n", 1)[1] if text.startswith("# Exported from") else text


def write_definitions(
    directory: Path,
    exported: Sequence[ExportedPilot],
    as_yaml: Callable[[dict[str, Any]], str],
    *,
    overwrite: bool = False,
) -> tuple[list[Path], list[Path]]:
    """Write ``<id>.yaml`` per pilot into ``directory``: (written, already the same).

    A file there that says something else (a team's own edits) is never overwritten unless
    ``overwrite``: the export is refused and names them, before anything is written.
    """
    check_output_dir(directory)
    planned = [(directory / f"{p.pilot_id}.yaml", as_yaml(p.data)) for p in exported]
    same: list[Path] = []
    differing: list[Path] = []
    for path, text in planned:
        if exists(path):
            current = _read(path)
            old = current.decode("utf-8", errors="replace") if current is not None else ""
            (same if _body(old) == _body(text) else differing).append(path)
    if differing and not overwrite:
        names = ", ".join(p.name for p in differing[:5])
        if len(differing) > 5:
            names = _("{names} and {count} more").format(names=names, count=len(differing) - 5)
        raise UsageError(
            _(
                "{count} file(s) in {folder} say something else than the register ({names}); "
                "nothing was written"
            ).format(count=len(differing), folder=directory, names=names),
            hint=_("export to another folder and compare, or pass --force to overwrite them"),
        )
    written = [write_atomically(path, text) for path, text in planned if path not in same]
    return written, same


def check_output_dir(directory: Path) -> None:
    """An export target must be a directory, or a place where one can be made."""
    writable_folder(directory)
