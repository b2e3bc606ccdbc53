"""Synthetic datasets evaluated on their files, recorded in the register, and checked again.

``evaluate`` reads a real and a synthetic CSV file (``domain.synthetic``: within its budget,
typed from the real file), counts exact copies and direct identifiers itself, asks SDMetrics
for the quality and privacy scores (``sdmetrics_scores``), and records the result as the
evaluation of one dataset of one pilot: scores, row and column counts, the library and both
files' SHA-256, never a value of either file. A new evaluation of a dataset replaces its row;
the history keeps each one.

Staleness: the register cannot watch files, so ``verify`` hashes them again and *records* what
changed. An evaluation whose file changed or went missing is marked stale, in the chain, and
the synthetic-data gate no longer counts it until the dataset is evaluated again. Run
``pilots synth verify`` before advancing (or in CI, as ``pilots evidence verify``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.csvfile import Table
from genai_pilots.domain.events import SyntheticEvaluated, SyntheticStale
from genai_pilots.domain.playbook import Playbook, synthetic_criterion
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.synthetic import (
    IDENTIFIER_CODES,
    MAX_BYTES,
    Dataset,
    DatasetProblem,
    EvaluationRecord,
    Kind,
    Thresholds,
    column_problem,
    copies,
    declaration,
    evaluation_record,
    infer_kinds,
    kinds_from_metadata,
    read_raw,
    reordered,
    scan_identifiers,
    shortfalls,
    typed,
)
from genai_pilots.errors import UsageError
from genai_pilots.i18n import N_, _, number
from genai_pilots.readmodels import SyntheticCheck, SyntheticEvaluation, SyntheticFile
from genai_pilots.services.events import append_event, pilot_to_change
from genai_pilots.services.files import UnusableFile, hash_document, read_input, shown, status
from genai_pilots.services.identity import who_acts
from genai_pilots.services.transactions import Store, reading, retrying, transaction
from genai_pilots.store.models import PilotRow, SyntheticEvaluationRow
from genai_pilots.store.queries import get_pilot

Step = Callable[[str], None]
STEPS = (
    N_("reading the files"), N_("exact copies and identifiers"), N_("quality report"),
    N_("distance to closest record"), N_("disclosure protection"), N_("recording"),
)  # fmt: skip
"""The steps ``evaluate`` reports, in order (disclosure only with sensitive columns).

Reported in English (they are keys: ``STEPS.index``); whoever shows one translates it.
"""
_HINT = N_("pass a CSV file (Excel's CSV in Dutch works as saved)")


def _nothing(_: str) -> None:
    """The default progress report: none."""


def _declared(pilot: PilotRow, dataset: str) -> dict[str, str]:
    """Each declared dataset's fingerprint; a usage error when ``dataset`` is not among them."""
    fingerprints = declared_now(pilot)
    if dataset not in fingerprints:
        listed = ", ".join(fingerprints) if fingerprints else _("none")
        raise UsageError(
            _(
                "{pilot} declares no dataset '{dataset}' (its synthetic_data.datasets: {listed})"
            ).format(pilot=pilot.id, dataset=dataset, listed=listed),
            hint=_("name one of them, or add the dataset to the definition and import it again"),
        )
    return fingerprints


def _read(path: Path) -> tuple[bytes, str]:
    """A dataset file's bytes and SHA-256: a regular file (it is hashed again by verify)."""
    where = os.path.realpath(path)
    if any(p.startswith(("/dev/", "/proc/")) for p in (where, os.path.abspath(path))):
        raise UsageError(
            _(
                "{file}: it names a stream ({where}), not a file that `synth verify` can "
                "hash again later"
            ).format(file=shown(path), where=where),
            hint=_("save the dataset as a file and pass its path"),
        )
    found = status(path, hint=_(_HINT))
    if found is not None and not os.path.isfile(path):
        hash_document(path, hint=_(_HINT))  # names what it is instead (a pipe, a directory, ...)
    data = read_input(path, what=_("dataset file"), hint=_(_HINT), limit=MAX_BYTES)
    return data, hashlib.sha256(data).hexdigest()


def _located(path: Path, problem: DatasetProblem) -> UsageError:
    return UsageError(
        _("{problem}; nothing was recorded").format(problem=problem.located(shown(path))),
        hint=_("fix the file and run the command again"),
    )


def _metadata_kinds(path: Path, names: Sequence[str]) -> list[Any]:
    data = read_input(path, what=_("metadata file"), hint=_("pass SDMetrics' metadata as JSON"))
    try:
        parsed = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(
            _("{file}: not JSON ({error}); nothing was recorded").format(
                file=shown(path), error=exc
            ),
            hint=_("pass SDMetrics' single-table metadata"),
        ) from None
    except RecursionError:
        raise UsageError(
            _("{file}: its JSON is nested too deeply to be metadata; nothing was recorded").format(
                file=shown(path)
            ),
            hint=_("pass SDMetrics' single-table metadata"),
        ) from None
    try:
        return kinds_from_metadata(parsed, names)
    except DatasetProblem as problem:
        raise _located(path, problem) from None


@dataclass(frozen=True, slots=True)
class ReadDatasets:
    """Both files read and typed alike, and what proves which files they were.

    ``strict`` holds both typed as their values read, when a metadata file called a column of
    numbers or dates categorical: distances to the closest record are also measured on that
    reading, so a metadata file cannot make near values look far apart.
    """

    real: Dataset
    synthetic: Dataset
    synthetic_raw: Table
    real_sha256: str
    synthetic_sha256: str
    strict: tuple[Dataset, Dataset] | None = None


def _typed(path: Path, raw: Table, kinds: Sequence[Kind], other: str) -> Dataset:
    try:
        return typed(raw, kinds, other=other)
    except DatasetProblem as problem:
        raise _located(path, problem) from None


def read_datasets(
    real_path: Path, synthetic_path: Path, metadata: Path | None = None
) -> ReadDatasets:
    """Both files read, the synthetic one in the real one's column order, typed alike."""
    real_data, real_sha = _read(real_path)
    synthetic_data, synthetic_sha = _read(synthetic_path)
    if real_sha == synthetic_sha:
        raise UsageError(
            _(
                "{real} and {synthetic} hold the same bytes: the synthetic file is the real "
                "one; nothing was recorded"
            ).format(real=shown(real_path), synthetic=shown(synthetic_path)),
            hint=_("pass the real data as --real and the generated data as --synthetic"),
        )
    try:
        real_raw = read_raw(real_data)
    except DatasetProblem as problem:
        raise _located(real_path, problem) from None
    try:
        synthetic_raw = read_raw(synthetic_data, real_raw.header)
    except DatasetProblem as problem:
        raise _located(synthetic_path, problem) from None
    if (different := column_problem(real_raw.header, synthetic_raw.header)) is not None:
        raise UsageError(
            _("{file}:{line}: {problem}; nothing was recorded").format(
                file=shown(synthetic_path), line=synthetic_raw.header_line, problem=different
            ),
            hint=_("the header of {synthetic} must name the columns of {real}").format(
                synthetic=shown(synthetic_path), real=shown(real_path)
            ),
        )
    synthetic_raw = reordered(synthetic_raw, real_raw.header)
    inferred = infer_kinds(real_raw)
    kinds, other = inferred, f"{shown(real_path)}"
    if metadata is not None:
        kinds, other = _metadata_kinds(metadata, real_raw.header), f"{shown(metadata)}"
    real = _typed(real_path, real_raw, kinds, other)
    synthetic = _typed(synthetic_path, synthetic_raw, kinds, other)
    strict = None
    if any(k == "categorical" and i != "categorical" for k, i in zip(kinds, inferred, strict=True)):
        as_read = [i if k == "categorical" else k for k, i in zip(kinds, inferred, strict=True)]
        other = f"{shown(real_path)}"
        strict = (
            _typed(real_path, real_raw, as_read, other),
            _typed(synthetic_path, synthetic_raw, as_read, other),
        )
    return ReadDatasets(real, synthetic, synthetic_raw, real_sha, synthetic_sha, strict)


def _thresholds(playbook: Playbook, setting: str) -> Thresholds | None:
    found = synthetic_criterion(playbook, setting)
    return found.limits() if found is not None else None


def _record(row: SyntheticEvaluationRow) -> EvaluationRecord:
    return evaluation_record(row.dataset, row.quality, row.privacy, row.exact_copies,
                             row.identifiers, row.stale_reason, row.near_copies,
                             row.synthetic_rows, row.declared_sha256, row.evaluated_at)  # fmt: skip


def declared_now(pilot: PilotRow) -> dict[str, str]:
    """The fingerprint of each dataset's declaration in the pilot's stored definition."""
    datasets = stored_definition(pilot.definition).synthetic_data.datasets
    return {item.name: declaration(item.model_dump(mode="json")) for item in datasets}


def _view(
    row: SyntheticEvaluationRow,
    limits: Thresholds | None,
    declared: dict[str, str],
    replaced: bool = False,
    real_changed: str | None = None,
) -> SyntheticEvaluation:
    verdict = (
        tuple(shortfalls(_record(row), limits, declared=declared.get(row.dataset),
                         today=clock.today()))
        if limits is not None
        else None
    )  # fmt: skip
    return SyntheticEvaluation(
        row.pilot_id, row.dataset,
        SyntheticFile(row.real_location, row.real_sha256, row.real_rows),
        SyntheticFile(row.synthetic_location, row.synthetic_sha256, row.synthetic_rows),
        row.columns, row.quality, row.privacy, row.exact_copies, row.identifiers,
        dict(row.scores), row.library, row.evaluated_at, row.evaluated_by, row.stale_reason,
        verdict, replaced, row.near_copies, real_changed,
    )  # fmt: skip


def _rows(session: Session, pilot_id: str | None) -> list[SyntheticEvaluationRow]:
    statement = select(SyntheticEvaluationRow)
    if pilot_id is not None:
        statement = statement.where(SyntheticEvaluationRow.pilot_id == pilot_id)
    order = (col(SyntheticEvaluationRow.pilot_id), col(SyntheticEvaluationRow.dataset))
    return list(session.exec(statement.order_by(*order)))


@retrying
def evaluate_synthetic(
    store: Store,
    pilot_id: str,
    dataset: str,
    real_path: Path,
    synthetic_path: Path,
    playbook: Playbook,
    *,
    metadata: Path | None = None,
    sensitive: Sequence[str] = (),
    by: str | None = None,
    step: Step = _nothing,
) -> SyntheticEvaluation:
    """Score a dataset's synthetic file against its real one and record the evaluation.

    Checked before any work: SDMetrics is installed, the pilot declares the dataset. Nothing
    is recorded when a file cannot be read as the other one's counterpart.
    """
    from genai_pilots.services import sdmetrics_scores

    sdmetrics_scores.library()
    with reading(store) as session:
        _declared(get_pilot(session, pilot_id), dataset)
    step(STEPS[0])
    read = read_datasets(real_path, synthetic_path, metadata)
    real, synthetic = read.real, read.synthetic
    unknown = [c for c in sensitive if c not in real.names]
    if unknown:
        raise UsageError(
            _("--sensitive {columns}: not a column of {file}").format(
                columns=", ".join(unknown), file=shown(real_path)
            ),
            hint=_("its columns: {columns}").format(columns=", ".join(real.names)),
        )
    if sensitive and len(set(sensitive)) == len(real.names):
        raise UsageError(_("--sensitive names every column; disclosure needs known columns too"),
                         hint=_("mark only the columns an attacker must not learn"))  # fmt: skip
    step(STEPS[1])
    found = copies(real, synthetic)
    identifiers = scan_identifiers(read.synthetic_raw)
    marked = list(dict.fromkeys(sensitive))
    scores = sdmetrics_scores.score(real, synthetic, marked, step, strict=read.strict)
    step(STEPS[-1])
    details: dict[str, Any] = {
        "column_shapes": scores.column_shapes,
        "column_pairs": scores.column_pairs,
        "worst_columns": [[c, s] for c, s in scores.worst_columns],
        "dcr_baseline_protection": scores.dcr,
        "disclosure_protection": scores.disclosure,
        "sensitive": marked,
        "known": scores.known,
        "identifiers": {code: identifiers.counts.get(code, 0) for code in IDENTIFIER_CODES},
        "first_identifiers": {c: [line, where] for c, (line, where) in identifiers.first.items()},
        "subsampled": scores.subsampled,
        "read_as": {"real": real.read_as, "synthetic": synthetic.read_as},
    }
    if scores.dcr_as_read is not None:
        details["dcr_as_read"] = scores.dcr_as_read
    real_sha, synthetic_sha = read.real_sha256, read.synthetic_sha256
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        pilot = pilot_to_change(session, pilot_id)
        declared = _declared(pilot, dataset)
        held = session.exec(
            select(SyntheticEvaluationRow).where(
                SyntheticEvaluationRow.pilot_id == pilot_id,
                SyntheticEvaluationRow.dataset == dataset,
            )
        ).first()
        real_changed = held.real_sha256 if held and held.real_sha256 != real_sha else None
        values: dict[str, Any] = {
            "real_location": os.path.abspath(real_path), "real_sha256": real_sha,
            "synthetic_location": os.path.abspath(synthetic_path),
            "synthetic_sha256": synthetic_sha, "real_rows": real.rows,
            "synthetic_rows": synthetic.rows, "columns": len(real.names),
            "quality": scores.quality, "privacy": scores.privacy, "exact_copies": found.exact,
            "identifiers": identifiers.total, "scores": details, "library": scores.library,
            "evaluated_at": now, "evaluated_by": acting.recorded, "stale_at": None,
            "stale_reason": None, "near_copies": found.near,
            "declared_sha256": declared[dataset],
        }  # fmt: skip
        if held is None:
            row = SyntheticEvaluationRow(pilot_id=pilot_id, dataset=dataset, **values)
        else:
            row = held
            for name, value in values.items():
                setattr(row, name, value)
        session.add(row)
        event = SyntheticEvaluated(
            dataset, real_path.name, real_sha, synthetic_path.name, synthetic_sha,
            (real.rows, synthetic.rows), len(real.names), scores.quality, scores.privacy,
            found.exact, dict(details["identifiers"]), scores.library, held is not None,
            found.near, real_changed is not None,
        )  # fmt: skip
        append_event(session, pilot, event, actor=acting.recorded, at=now)
        limits = _thresholds(playbook, pilot.setting)
        return _view(row, limits, declared, replaced=held is not None, real_changed=real_changed)


def synthetic_of(store: Store, pilot_id: str, playbook: Playbook) -> list[SyntheticEvaluation]:
    """A pilot's evaluations, one per dataset, with what the gate in force says of each."""
    with reading(store) as session:
        pilot = get_pilot(session, pilot_id)
        limits = _thresholds(playbook, pilot.setting)
        declared = declared_now(pilot)
        return [_view(r, limits, declared) for r in _rows(session, pilot_id)]


def _file_problem(location: str, sha256: str) -> tuple[str | None, str]:
    path = Path(location)
    try:
        if status(path) is None:
            return "missing", _("{file} is not there any more").format(file=shown(path))
        found, size = hash_document(path)
    except UnusableFile as exc:
        return "unreadable", f"{shown(path)}: {exc.problem}"
    if found != sha256:
        return "changed", _(
            "{file}: its SHA-256 is {found}…, recorded {recorded}… ({size} bytes)"
        ).format(file=shown(path), found=found[:12], recorded=sha256[:12], size=number(size, ","))
    return None, _("{file}: unchanged").format(file=shown(path))


@retrying
def verify_synthetic(
    store: Store, pilot_id: str | None = None, *, by: str | None = None
) -> list[SyntheticCheck]:
    """Hash the files of every evaluation again; record the ones that changed as stale.

    Files are hashed outside any transaction; then, in one, each evaluation with a changed,
    missing or unreadable file that is not yet marked stale is marked (a ``synthetic-stale``
    event in its pilot's chain). An evaluation already stale is reported, not marked again.
    """
    with reading(store) as session:
        if pilot_id is not None:
            get_pilot(session, pilot_id)
        rows = [(r.pilot_id, r.dataset, r.real_location, r.real_sha256, r.synthetic_location,
                 r.synthetic_sha256, r.stale_reason) for r in _rows(session, pilot_id)]  # fmt: skip
    checks: list[SyntheticCheck] = []
    for pilot, dataset, real_at, real_sha, synthetic_at, synthetic_sha, stale in rows:
        real_problem, real_detail = _file_problem(real_at, real_sha)
        synthetic_problem, synthetic_detail = _file_problem(synthetic_at, synthetic_sha)
        files = {"real": real_problem, "synthetic": synthetic_problem}
        newly = stale is None and any(v is not None for v in files.values())
        checks.append(SyntheticCheck(pilot, dataset, files, (real_detail, synthetic_detail), newly,
                                     stale))  # fmt: skip
    marking = [c for c in checks if c.newly_stale]
    if marking:
        now = clock.now()
        with transaction(store) as session:
            acting = who_acts(session, by)
            for check in marking:
                pilot_row = pilot_to_change(session, check.pilot_id)
                row = session.exec(
                    select(SyntheticEvaluationRow).where(
                        SyntheticEvaluationRow.pilot_id == check.pilot_id,
                        SyntheticEvaluationRow.dataset == check.dataset,
                    )
                ).one()
                changed = {k: v for k, v in check.files.items() if v is not None}
                row.stale_at = now
                row.stale_reason = (
                    ", ".join(f"{k} file {v}" for k, v in changed.items())
                    + f" since it was evaluated (found {now.date()})"
                )
                session.add(row)
                event = SyntheticStale(check.dataset, changed)
                append_event(session, pilot_row, event, actor=acting.recorded, at=now)
    return checks
