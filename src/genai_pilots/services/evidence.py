"""Evidence behind gate criteria: a document's hash or a link, recorded; never the document.

The register keeps where a document is, its SHA-256 and size, not the document: it stays where
the organisation keeps it (a DMS, a share). ``verify`` hashes each file again, so a document
changed or removed since it was recorded is found. A link (http or https) is only recorded:
the register never fetches anything, so of a link only the expiry is checked.

Evidence is numbered per pilot in the order it was added (1, 2, ...); rows are never deleted,
a withdrawn one stays, marked, so the numbers never move.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from sqlmodel import Session, col, select

from genai_pilots import clock, i18n
from genai_pilots.domain.due import ten_years_ahead
from genai_pilots.domain.events import EvidenceAdded, EvidenceWithdrawn
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.stages import STAGE_KEYS, StageKey
from genai_pilots.domain.stored_definitions import stored_definition
from genai_pilots.domain.text import is_blank
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _
from genai_pilots.readmodels import EvidenceCheck, EvidenceEntry
from genai_pilots.services.entries import evidence_entry
from genai_pilots.services.events import append_event, pilot_to_change
from genai_pilots.services.files import UnusableFile, hash_document, shown, status
from genai_pilots.services.governance import close_review_if_met
from genai_pilots.services.identity import who_acts
from genai_pilots.services.transactions import (
    Store,
    reading,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import EvidenceRow, PilotRow
from genai_pilots.store.queries import get_pilot

_LINK = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
MAX_LOCATION = 2000
MAX_NAME = 300
MAX_NOTE = 4000


def criterion_stage(
    pilot: PilotRow, playbook: Playbook, criterion: str, stage: str | None
) -> StageKey:
    """The stage whose gate holds ``criterion`` for this pilot, in the playbook in force.

    A criterion id in several gates needs ``stage``; an unknown one is named with near matches.
    """
    setting = stored_definition(pilot.definition).setting
    ids = {key: [c.id for c in playbook.criteria(key, setting)] for key in STAGE_KEYS}
    holding = [key for key in STAGE_KEYS if criterion in ids[key]]
    if stage is not None and stage not in STAGE_KEYS:
        raise UsageError(
            _("--stage {stage!r} is not a stage").format(stage=stage),
            hint=_("use one of {stages}").format(stages=", ".join(STAGE_KEYS)),
        )
    if not holding:
        every = sorted({i for found in ids.values() for i in found})
        near = difflib.get_close_matches(criterion, every, n=3, cutoff=0.5)
        hint = (
            _("did you mean {names}?").format(names=_(" or ").join(near))
            if near
            else _("`pilots playbook show` lists the criteria of the playbook {name}").format(
                name=playbook.name
            )
        )
        raise UsageError(
            _("the playbook {name} has no criterion '{criterion}'").format(
                name=playbook.name, criterion=criterion
            ),
            hint=hint,
        )
    if stage is not None:
        if stage not in holding:
            raise UsageError(
                _("the {stage} gate has no criterion '{criterion}'").format(
                    stage=stage, criterion=criterion
                ),
                hint=_("it is in the gate of: {stages}").format(stages=", ".join(holding)),
            )
        return next(key for key in holding if key == stage)
    if len(holding) > 1:
        raise UsageError(
            _("'{criterion}' is a criterion of several gates ({stages})").format(
                criterion=criterion, stages=", ".join(holding)
            ),
            hint=_("say which with --stage"),
        )
    return holding[0]


def _located(target: str) -> tuple[str, str, str | None, int | None]:
    """(location, name, sha256, size) of a document or link; the file is hashed now."""
    if _LINK.match(target):
        scheme = target.split(":", 1)[0].lower()
        if scheme not in ("http", "https"):
            raise UsageError(
                _("{link}: only http and https links can be recorded, not {scheme}").format(
                    link=shown(target), scheme=scheme
                ),
                hint=_("give the document's web address, or the path of the file itself"),
            )
        if len(target) > MAX_LOCATION:
            raise UsageError(
                _("the link is longer than {limit} characters").format(limit=MAX_LOCATION)
            )
        parts = urlsplit(target)
        host = parts.hostname or ""
        if not host or any(c.isspace() for c in target):
            raise UsageError(
                _("{link}: not a web address (no host, or spaces in it)").format(
                    link=shown(target)
                ),
                hint=_("give the document's full address, e.g. https://intranet.example/dpia.pdf"),
            )
        _refuse_secrets(parts.username is not None, parse_qsl(parts.query, keep_blank_values=True))
        name = target.rstrip("/").rsplit("/", 1)[-1] or target
        return target, name[:MAX_NAME], None, None
    path = Path(os.path.abspath(target))
    if len(str(path)) > MAX_LOCATION:
        raise UsageError(
            _("{path}: the path is longer than {limit} characters").format(
                path=shown(path), limit=MAX_LOCATION
            )
        )
    hint = _("pass the path of the document (a regular file)")
    sha256, size = hash_document(path, hint=hint)
    return str(path), path.name[:MAX_NAME], sha256, size


# Query parameters that carry a credential (signed links, tokens, keys): a link with one in
# it would be kept in the history for good, and a public link published with it.
_SECRET_PARAMETER = re.compile(
    r"(token|key|secret|password|passwd|pwd|sig|signature|auth|credential|session|sas|"
    r"x-amz-.*|x-goog-.*|code)",
    re.IGNORECASE,
)


def _refuse_secrets(with_user: bool, query: list[tuple[str, str]]) -> None:
    """A link is kept in the history and may be published: no credentials in it."""
    if with_user:
        raise UsageError(
            _(
                "the link holds a user name (and maybe a password) before its host: it would be "
                "kept in the history for good"
            ),
            hint=_("give the address without 'user:password@'; whoever opens it signs in"),
        )
    secret = next((name for name, _value in query if _SECRET_PARAMETER.fullmatch(name)), None)
    if secret is not None:
        raise UsageError(
            _(
                "the link carries a credential in its query ({secret}=...): it would be kept in "
                "the history for good"
            ).format(secret=secret),
            hint=_("give the document's plain address, without a token or signature"),
        )


def _pilot_evidence(session: Session, pilot_id: str) -> list[EvidenceRow]:
    """A pilot's evidence rows, in the order they were added (their numbers, from 1)."""
    statement = select(EvidenceRow).where(EvidenceRow.pilot_id == pilot_id)
    return list(session.exec(statement.order_by(col(EvidenceRow.id))))


def _checked_note(note: str | None) -> str | None:
    if note is not None and len(note) > MAX_NOTE:
        raise UsageError(
            _("--note is longer than {limit} characters").format(limit=MAX_NOTE),
            hint=_("keep it short"),
        )
    return None if note is None or is_blank(note) else note


@retrying
def add_evidence(
    store: Store,
    pilot_id: str,
    criterion: str,
    target: str,
    playbook: Playbook,
    *,
    stage: str | None = None,
    valid_until: dt.date | None = None,
    note: str | None = None,
    by: str | None = None,
) -> EvidenceEntry:
    """Record a document (hashed now, where it is) or a link as evidence for a criterion."""
    now = clock.now()
    if valid_until is not None and valid_until < now.date():
        raise UsageError(
            _("--valid-until {day} has passed: expired evidence counts for nothing").format(
                day=i18n.day(valid_until)
            ),
            hint=_("record the current version of the document, with the day it runs out"),
        )
    latest = ten_years_ahead(now.date())
    if valid_until is not None and valid_until > latest:
        raise UsageError(
            _(
                "--valid-until {day} is more than ten years ahead (the last day allowed is "
                "{latest}), so `pilots due` would never remind anyone of it"
            ).format(day=i18n.day(valid_until), latest=i18n.day(latest)),
            hint=_(
                "give the day the document runs out, or leave --valid-until out when it has no end"
            ),
        )
    note = _checked_note(note)
    location, name, sha256, size = _located(target)
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        key = criterion_stage(pilot, playbook, criterion, stage)
        number = len(_pilot_evidence(session, pilot_id)) + 1
        row = EvidenceRow(
            pilot_id=pilot_id, stage=key, criterion=criterion, location=location, name=name,
            sha256=sha256, size=size, valid_until=valid_until, note=note, added_by=actor,
            added_at=now,
        )  # fmt: skip
        session.add(row)
        event = EvidenceAdded(
            number, key, criterion, location, name, sha256, size, valid_until, note
        )
        append_event(session, pilot, event, actor=actor, at=now)
        if pilot.review_since is not None and pilot.outcome is None:
            close_review_if_met(session, pilot, playbook, actor=actor, now=now)
        return evidence_entry(row, number)


@retrying
def withdraw_evidence(
    store: Store, pilot_id: str, number: int, *, reason: str, by: str | None = None
) -> EvidenceEntry:
    """Withdraw evidence (replaced, or wrong): it stays on record, marked, and counts no more."""
    require_reason(reason)
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        pilot = pilot_to_change(session, pilot_id)
        rows = _pilot_evidence(session, pilot_id)
        if not 1 <= number <= len(rows):
            message = (
                _("{pilot} has no evidence number {number} (it has 1 to {count})")
                if rows
                else _("{pilot} has no evidence number {number} (it has none)")
            )
            raise UsageError(
                message.format(pilot=pilot_id, number=number, count=len(rows)),
                hint=_("`pilots evidence list {pilot}` shows the numbers").format(pilot=pilot_id),
            )
        row = rows[number - 1]
        if row.withdrawn_at is not None:
            raise CheckFailed(
                _("evidence {number} of {pilot} was already withdrawn").format(
                    number=number, pilot=pilot_id
                )
            )
        row.withdrawn_at = now
        session.add(row)
        event = EvidenceWithdrawn(number, row.criterion, row.name)
        append_event(session, pilot, event, actor=actor, at=now, reason=reason)
        return evidence_entry(row, number)


def evidence_of(store: Store, pilot_id: str) -> list[EvidenceEntry]:
    """A pilot's evidence, withdrawn pieces included, numbered."""
    with reading(store) as session:
        get_pilot(session, pilot_id)
        return [evidence_entry(r, n) for n, r in enumerate(_pilot_evidence(session, pilot_id), 1)]


def numbered(rows: Sequence[EvidenceRow]) -> list[EvidenceEntry]:
    """Evidence rows of one or more pilots as entries, each numbered within its pilot."""
    counts: dict[str, int] = {}
    entries = []
    for row in sorted(rows, key=lambda r: (r.pilot_id, r.id or 0)):
        counts[row.pilot_id] = counts.get(row.pilot_id, 0) + 1
        entries.append(evidence_entry(row, counts[row.pilot_id]))
    return entries


def _check(entry: EvidenceEntry, today: dt.date) -> EvidenceCheck:
    """Hash a file again; judge a link by its expiry only (the register fetches nothing)."""
    if entry.sha256 is not None:
        path = Path(entry.location)
        try:
            found = status(path)
            if found is None:
                detail = _("{path} is not there any more").format(path=shown(path))
                return EvidenceCheck(entry, "missing", detail)
            sha256, size = hash_document(path)
        except UnusableFile as exc:
            return EvidenceCheck(entry, "unreadable", exc.problem)
        if sha256 != entry.sha256:
            return EvidenceCheck(
                entry, "changed",
                _(
                    "its SHA-256 is {found}…, recorded {recorded}… ({size} bytes, recorded "
                    "{recorded_size})"
                ).format(
                    found=sha256[:12], recorded=entry.sha256[:12],
                    size=i18n.number(size, ","), recorded_size=i18n.number(entry.size or 0, ","),
                ),
            )  # fmt: skip
    if entry.expired(today):
        until = i18n.day(entry.valid_until) if entry.valid_until else ""
        detail = _("it was valid until {day}").format(day=until)
        return EvidenceCheck(entry, "expired", detail)
    if entry.is_link:
        return EvidenceCheck(entry, None, _("a link: only its expiry is checked"))
    return EvidenceCheck(entry, None, _("unchanged"))


def verify_evidence(store: Store, pilot_id: str | None = None) -> list[EvidenceCheck]:
    """Every piece of evidence in force (of one pilot, or all), checked again.

    Each is unchanged, changed, missing, unreadable or expired. Files are hashed after the
    store is read, outside its transaction.
    """
    with reading(store) as session:
        statement = select(EvidenceRow)
        if pilot_id is not None:
            get_pilot(session, pilot_id)
            statement = statement.where(EvidenceRow.pilot_id == pilot_id)
        entries = numbered(session.exec(statement).all())
    today = clock.today()
    return [_check(e, today) for e in entries if e.withdrawn_at is None]
