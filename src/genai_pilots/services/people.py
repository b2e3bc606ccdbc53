"""The register's directory of people: who may act in it, in which roles.

Adding and removing people are register-wide changes, recorded in the register chain. The
first entry is the login adding it, as admin; from then on only an admin changes the directory,
never their own entry. So it always keeps an admin: the one making a change is one, and is not
the one changed.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from genai_pilots import clock
from genai_pilots.domain.events import PersonAdded, PersonRemoved
from genai_pilots.domain.people import Person
from genai_pilots.domain.playbook import Playbook
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _
from genai_pilots.services.events import append_register_event, ensure_register_intact
from genai_pilots.services.identity import (
    ADMIN,
    directory,
    login_of,
    normalised,
    refuse_on_behalf,
    refuse_without_role,
    who_acts,
)
from genai_pilots.services.transactions import Store, reading, require_reason, retrying, transaction
from genai_pilots.store.models import PersonRow

_EMAIL_SHAPE = "@"


def known_roles(playbook: Playbook) -> list[str]:
    """The roles a person can hold: the playbook's, and admin (who manages the directory)."""
    return [*playbook.roles, ADMIN]


def people(store: Store) -> list[Person]:
    """Everyone in the directory now."""
    with reading(store) as session:
        return directory(session).people


def _current(session: Session, login: str) -> PersonRow | None:
    rows = session.exec(select(PersonRow).where(col(PersonRow.removed_at).is_(None))).all()
    return next((r for r in rows if r.login == login), None)


@retrying
def add_person(
    store: Store,
    login: str,
    *,
    name: str,
    email: str,
    roles: Sequence[str],
    playbook: Playbook,
    by: str | None = None,
) -> Person:
    """Add someone to the directory, or give someone in it a new name, e-mail or roles."""
    login = normalised(login, _("the login"))
    name = normalised(name, "--name")
    email = normalised(email, "--email")
    if _EMAIL_SHAPE not in email:
        raise UsageError(_("--email '{email}' is not an e-mail address").format(email=email))
    allowed = known_roles(playbook)
    unknown = [r for r in roles if r not in allowed]
    if unknown:
        raise UsageError(
            _("unknown role {roles}").format(roles=", ".join(unknown)),
            hint=_("roles of the register's playbook: {roles}").format(roles=", ".join(allowed)),
        )
    now = clock.now()
    with transaction(store) as session:
        ensure_register_intact(session)
        acting = who_acts(session, by)
        refuse_on_behalf(acting, _("change the directory"))
        current = directory(session)
        if not current:
            first = login_of(session)
            if login != first or ADMIN not in roles:
                raise CheckFailed(
                    _(
                        "the first person in the directory is you, as its admin: {login}, "
                        "with --role admin (anyone else would lock you out)"
                    ).format(login=first),
                    hint=_("pilots people add {login} --name ... --email ... --role admin").format(
                        login=first
                    ),
                )
        else:
            refuse_without_role(acting, ADMIN, _("change the register's directory"))
            if acting.person is not None and acting.person.login == login:
                raise CheckFailed(
                    _(
                        "nobody changes their own entry in the directory (four eyes): another "
                        "admin does"
                    ),
                )
        clash = next(
            (p for p in current.people
             if p.login != login and (p.is_named(name) or p.is_named(email))),
            None,
        )  # fmt: skip
        if clash is not None:
            raise CheckFailed(
                _(
                    "'{name}' <{email}> is already in the directory as login {login}: "
                    "one person, one entry"
                ).format(name=name, email=email, login=clash.login),
            )
        existing = _current(session, login)
        if existing is not None:
            existing.removed_at = now
            session.add(existing)
        session.add(
            PersonRow(
                login=login, name=name, email=email, roles=sorted(set(roles)),
                added_by=acting.recorded, added_at=now,
            )
        )  # fmt: skip
        session.flush()
        event = PersonAdded(login, name, email, sorted(set(roles)))
        append_register_event(session, event, actor=acting.recorded, at=now)
    return Person(login, name, email, frozenset(roles))


@retrying
def remove_person(store: Store, login: str, *, reason: str, by: str | None = None) -> None:
    """Take someone out of the directory (their entry stays, marked, for the history)."""
    require_reason(reason)
    now = clock.now()
    with transaction(store) as session:
        ensure_register_intact(session)
        acting = who_acts(session, by)
        refuse_on_behalf(acting, _("change the directory"))
        refuse_without_role(acting, ADMIN, _("change the register's directory"))
        if acting.person is not None and acting.person.login == login:
            raise CheckFailed(_("nobody removes themselves from the directory: another admin does"))
        existing = _current(session, login)
        if existing is None:
            raise UsageError(
                _("no login '{login}' in the directory").format(login=login),
                hint=_("`pilots people list` shows who is"),
            )
        existing.removed_at = now
        session.add(existing)
        session.flush()
        append_register_event(
            session, PersonRemoved(existing.login), actor=acting.recorded, at=now, reason=reason
        )
