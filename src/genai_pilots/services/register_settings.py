"""Register settings: reading them, and setting one as a register-wide change.

Setting a value is recorded in the register's own hash chain, in the transaction that stores
it, so ``audit verify`` proves the ``register_setting`` table as it proves the directory. With
the directory in use only an admin sets them, for themselves (never on someone's behalf): what
an organisation publishes in its name is not each user's to choose.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.events import EventKind, RegisterSettingSet
from genai_pilots.domain.register_settings import (
    CONTACT,
    SETTINGS,
    BadSetting,
    normalise_setting,
    personal_owner,
)
from genai_pilots.errors import UsageError
from genai_pilots.i18n import _
from genai_pilots.readmodels import RegisterSetting
from genai_pilots.services.events import append_register_event, ensure_register_intact
from genai_pilots.services.identity import (
    ADMIN,
    refuse_on_behalf,
    refuse_without_role,
    who_acts,
)
from genai_pilots.services.transactions import Store, reading, retrying, transaction
from genai_pilots.store.models import EventRow, PersonRow, PilotRow, RegisterSettingRow


def read_settings(session: Session) -> dict[str, str]:
    """The settings that have a value, by key, read in the caller's transaction."""
    return {r.key: r.value for r in session.exec(select(RegisterSettingRow)).all()}


def register_settings(store: Store) -> list[RegisterSetting]:
    """Every setting the register knows, set or not, in a fixed order."""
    with reading(store) as session:
        rows = {r.key: r for r in session.exec(select(RegisterSettingRow)).all()}
    found = []
    for key, info in SETTINGS.items():
        row = rows.get(key)
        if row is None:
            found.append(RegisterSetting(key, info.meaning))
        else:
            found.append(RegisterSetting(key, info.meaning, row.value, row.set_by, row.set_at))
    return found


def personal_addresses(session: Session) -> list[tuple[str, str]]:
    """(name, e-mail) of every pilot owner, now or before, and everyone ever in the directory."""
    owners = session.exec(select(PilotRow.owner_name, PilotRow.owner_email)).all()
    people = session.exec(select(PersonRow.name, PersonRow.email)).all()
    earlier = session.exec(
        select(EventRow.pilot_id, EventRow.payload).where(
            col(EventRow.kind) == EventKind.DEFINITION_CHANGED
        )
    ).all()
    former = [
        (_("an earlier owner of {pilot}").format(pilot=pilot_id), str(change.get("old")))
        for pilot_id, payload in earlier
        for change in payload.get("changes", [])
        if change.get("field") == "owner.email" and change.get("old")
    ]
    return [(name, email) for name, email in [*owners, *people, *former]]


class PersonalContact(UsageError):
    """A contact that is someone's own address: the standard asks for a general one."""

    def __init__(self, contact: str, owner: str) -> None:
        super().__init__(
            _(
                "the contact {contact} is the personal e-mail address of {owner}; the "
                "Algoritmeregister asks for a general one"
            ).format(contact=contact, owner=owner),
            hint=_(
                "give a department mailbox (e.g. algoritmes@...) or an https:// contact "
                "page: pilots publication set contact ADDRESS"
            ),
        )


def refuse_personal(contact: str, addresses: Sequence[tuple[str, str]]) -> None:
    """Refuse a contact that is the personal address of a pilot owner or a person."""
    owner = personal_owner(contact, addresses)
    if owner is not None:
        raise PersonalContact(contact, owner)


@retrying
def set_register_setting(
    store: Store, key: str, value: str, *, by: str | None = None, reason: str | None = None
) -> tuple[RegisterSetting, bool]:
    """Give a register setting a value, recorded in the register chain; admins only.

    The value is checked first (``domain.register_settings``); a contact that is the
    personal address of a pilot owner or of anyone in the directory is refused. Returns the
    setting and whether it changed: setting the value it already has records nothing.
    """
    try:
        clean = normalise_setting(key, value)
    except BadSetting as problem:
        raise UsageError(str(problem), hint=f"pilots publication set {key} ...") from None
    now = clock.now()
    with transaction(store) as session:
        ensure_register_intact(session)
        acting = who_acts(session, by)
        refuse_on_behalf(acting, _("change the register's settings"))
        refuse_without_role(acting, ADMIN, _("change the register's settings"))
        if key == CONTACT:
            refuse_personal(clean, personal_addresses(session))
        row = session.get(RegisterSettingRow, key)
        previous = row.value if row is not None else None
        if row is not None and previous == clean:
            same = RegisterSetting(key, SETTINGS[key].meaning, clean, row.set_by, row.set_at)
            return same, False
        if row is None:
            row = RegisterSettingRow(key=key, value=clean, set_by=acting.recorded, set_at=now)
        else:
            row.value, row.set_by, row.set_at = clean, acting.recorded, now
        session.add(row)
        session.flush()
        event = RegisterSettingSet(key, clean, previous)
        append_register_event(session, event, actor=acting.recorded, at=now, reason=reason)
    return RegisterSetting(key, SETTINGS[key].meaning, clean, acting.recorded, now), True
