"""The playbook stored in the register: reading the one in force, and storing a new one.

Storing is a register-wide change: it is recorded in the register's own hash chain, and what
the new playbook makes weaker than the law or four eyes require is refused unless allowed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.events import PlaybookSet
from genai_pilots.domain.playbook import Playbook
from genai_pilots.domain.playbook_changes import Weakening, weakened_protected, weakenings
from genai_pilots.errors import CheckFailed
from genai_pilots.i18n import _, ngettext
from genai_pilots.services.events import append_register_event, ensure_register_intact
from genai_pilots.services.identity import (
    ADMIN,
    refuse_on_behalf,
    refuse_without_role,
    who_acts,
)
from genai_pilots.services.playbooks import (
    REGISTER_SOURCE,
    PlaybookInvalid,
    default_playbook,
    parse_complete,
    read_playbook_file,
)
from genai_pilots.services.transactions import (
    Store,
    reading,
    require_reason,
    retrying,
    transaction,
)
from genai_pilots.store.models import PlaybookRow


@dataclass(frozen=True, slots=True)
class PlaybookChange:
    """What ``playbook set`` found (and, unless a dry run, stored)."""

    playbook: Playbook
    weaker: list[Weakening]
    protected: list[Weakening]  # of those the default's protected criteria (law, four eyes)
    stored: bool


class PlaybookWeakensLaw(CheckFailed):
    """A playbook asks less than the law requires; carried for rendering."""

    def __init__(self, change: PlaybookChange) -> None:
        count = len(change.protected)
        super().__init__(
            ngettext(
                "playbook {name} weakens {count} criterion that the law, four eyes or patient "
                "privacy require; nothing was stored",
                "playbook {name} weakens {count} criteria that the law, four eyes or patient "
                "privacy require; nothing was stored",
                count,
            ).format(name=change.playbook.name, count=count),
            hint=_(
                "keep what the default playbook asks (`extends: default`), or pass "
                "--allow-weaker: it is recorded, and `pilots status` keeps showing it"
            ),
        )
        self.change = change


def _newest(session: Session) -> PlaybookRow | None:
    """The newest playbook row: the one in force."""
    return session.exec(select(PlaybookRow).order_by(col(PlaybookRow.id).desc()).limit(1)).first()


def stored_playbook(store: Store) -> tuple[str, str, str] | None:
    """The newest playbook stored in the register: (YAML text, who set it, when)."""
    with reading(store) as session:
        row = _newest(session)
    if row is None:
        return None
    return row.source, row.set_by, row.set_at.date().isoformat()


def _in_force(session: Session) -> Playbook:
    """The playbook in force in the register, read in the caller's transaction."""
    row = _newest(session)
    if row is None:
        return default_playbook()
    playbook, findings = parse_complete(row.source.encode(), REGISTER_SOURCE)
    if playbook is None:
        raise PlaybookInvalid(findings)
    return playbook


@retrying
def set_playbook(
    store: Store,
    path: Path,
    *,
    reason: str,
    allow_weaker: bool = False,
    dry_run: bool = False,
    by: str | None = None,
) -> PlaybookChange:
    """Store a playbook in the register, in force from now on, recorded in the register chain.

    What it makes weaker than the playbook in force is listed; what it makes weaker than the
    default's protected criteria (required by law, or four eyes) is refused unless
    ``allow_weaker``.
    """
    require_reason(reason)
    data, (playbook, findings) = read_playbook_file(path)
    if playbook is None:
        raise PlaybookInvalid(findings)
    now = clock.now()
    with transaction(store) as session:
        acting = who_acts(session, by)
        actor = acting.recorded
        if not dry_run:
            refuse_on_behalf(acting, _("set the register's playbook"))
            refuse_without_role(acting, ADMIN, _("set the register's playbook"))
        ensure_register_intact(session)
        current = _in_force(session)
        change = PlaybookChange(
            playbook,
            weakenings(current, playbook),
            weakened_protected(default_playbook(), playbook),
            stored=not dry_run,
        )
        if change.protected and not allow_weaker and not dry_run:
            raise PlaybookWeakensLaw(change)
        if dry_run:
            return change
        source = data.decode("utf-8")
        session.add(
            PlaybookRow(name=playbook.name, source=source, set_by=actor, set_at=now, reason=reason)
        )
        event = PlaybookSet(
            playbook.name,
            hashlib.sha256(data).hexdigest(),
            [w.describe() for w in change.weaker],
            [w.describe() for w in change.protected],
            allow_weaker,
        )
        append_register_event(session, event, actor=actor, at=now, reason=reason)
    return change
