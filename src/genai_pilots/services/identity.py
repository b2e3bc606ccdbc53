"""Who acts: the database login on PostgreSQL, the OS login on SQLite, as the directory knows it.

With an empty directory the register is a single user's (a SQLite file is mode 0600) and names
are taken as given, normalised (``--by``, else ``GENAI_PILOTS_USER``, else the OS login). Once
the directory has anyone in it, the person acting is the one whose login opened the
connection; ``--by`` (or ``GENAI_PILOTS_USER``) may name someone else only to enter a decision
on their behalf, which is recorded as such and counts as an approval only where the playbook
allows delegation.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session, col, select

from genai_pilots import settings
from genai_pilots.domain.people import BadName, Directory, Person, Roster, normalise_name
from genai_pilots.errors import CheckFailed, UsageError
from genai_pilots.i18n import _
from genai_pilots.store.models import PersonRow

ADMIN = "admin"  # the role that manages the directory itself


@dataclass(frozen=True, slots=True)
class Acting:
    """Who acts: the person behind the login, and whom they named with ``--by``, if another.

    Every permission (roles, admin, four eyes) is judged on the login's person; the one named
    on whose behalf a decision is entered only counts where the playbook allows delegating an
    approval, and is never a way around a check.
    """

    name: str  # the name the decision is recorded under
    person: Person | None = None  # the login's person (None: no directory in use)
    behalf: Person | None = None  # the person ``--by`` named, when not the login's person

    @property
    def entered_by(self) -> str | None:
        """The login that entered a decision on someone else's behalf."""
        return self.person.login if self.behalf is not None and self.person else None

    @property
    def recorded(self) -> str:
        """The actor as the history records it."""
        if self.entered_by is None:
            return self.name
        return f"{self.name} (entered by {self.entered_by})"

    @property
    def people(self) -> tuple[Person, ...]:
        """Everyone this decision is someone's: the login's person, and whom they named."""
        return tuple(p for p in (self.person, self.behalf) if p is not None)

    def holds(self, role: str) -> bool:
        """Whether the login's person holds ``role`` (always, with no directory in use)."""
        return self.person is None or role in self.person.roles


def os_login() -> str:
    """The operating-system login of this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def normalised(raw: str, what: str) -> str:
    """A name in its one form, or a one-line usage error saying what is wrong with it."""
    try:
        return normalise_name(raw, what)
    except BadName as problem:
        raise UsageError(str(problem)) from None


def claimed_actor(by: str | None) -> str | None:
    """Who the command says acts: ``--by``, else ``GENAI_PILOTS_USER``; ``None``: not said."""
    if by is not None:
        return normalised(by, "--by")
    from_environment = settings.USER.value()
    return normalised(from_environment, settings.USER.env) if from_environment else None


def login_of(session: Session) -> str:
    """The login behind this connection: PostgreSQL's ``session_user``, else the OS login."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.execute(text("SELECT session_user")).scalar())
    return os_login()


def directory(session: Session) -> Directory:
    """The people in the register's directory now."""
    rows = session.exec(
        select(PersonRow).where(col(PersonRow.removed_at).is_(None)).order_by(col(PersonRow.id))
    ).all()
    return Directory([Person(r.login, r.name, r.email, frozenset(r.roles)) for r in rows])


def roster(session: Session) -> Roster:
    """Whom the spellings in a ledger name: the directory's people, each counted once.

    Read once per session (the views that count several ledgers share it); no command changes
    the directory and counts a ledger in one transaction.
    """
    found = session.info.get("roster")
    if not isinstance(found, Roster):
        found = session.info["roster"] = Roster(directory(session).people)
    return found


def by_login(people: Directory, login: str) -> Person | None:
    """The person whose login this is: logins are compared exactly (PostgreSQL's are)."""
    return next((p for p in people.people if p.login == login), None)


def who_acts(session: Session, by: str | None) -> Acting:
    """Who acts in this transaction, checked against the directory when it is in use."""
    claimed = claimed_actor(by)
    people = directory(session)
    if not people:
        return Acting(claimed or normalised(os_login(), _("the login")))
    login = login_of(session)
    me = by_login(people, login)
    if me is None:
        raise CheckFailed(
            _("login '{login}' is not in the register's directory, so it cannot act in it").format(
                login=login
            ),
            hint=_(
                "a directory admin adds you: pilots people add {login} --name ... --role ..."
            ).format(login=login),
        )
    if claimed is None or me.is_named(claimed):
        return Acting(me.name, me)
    other = people.find(claimed)
    if other is None:
        raise UsageError(
            _("--by '{claimed}' names nobody in the register's directory").format(claimed=claimed),
            hint=_("`pilots people list` shows who is in it; leave out --by to act as yourself"),
        )
    return Acting(other.name, me, behalf=other)


def refuse_without_role(acting: Acting, role: str, doing: str) -> None:
    """With the directory in use, only a person who holds ``role`` acts in it."""
    if not acting.holds(role):
        held = ", ".join(sorted(acting.person.roles)) if acting.person else ""
        name = acting.person.name if acting.person else acting.name
        message = (
            _(
                "{name} does not hold the role {role} in the register's directory, so cannot "
                "{doing} (their roles: {held})"
            )
            if held
            else _(
                "{name} does not hold the role {role} in the register's directory, so cannot "
                "{doing} (they hold no role)"
            )
        )
        raise CheckFailed(
            message.format(name=name, role=role, doing=_(doing), held=held),
            hint=_(
                "a directory admin gives the role: pilots people add LOGIN --role {role} ..."
            ).format(role=role),
        )


def refuse_on_behalf(acting: Acting, doing: str) -> None:
    """Only an approval may be entered for someone else (where the playbook allows it)."""
    if acting.behalf is not None:
        raise CheckFailed(
            _(
                "login {login} cannot {doing} on behalf of {name}: only approvals can be delegated"
            ).format(login=acting.entered_by, doing=_(doing), name=acting.behalf.name),
            hint=_("leave out --by (and GENAI_PILOTS_USER): the decision is your own"),
        )


def refuse_without_any_role(acting: Acting, roles: list[str], doing: str) -> None:
    """With the directory in use, only a person holding one of ``roles`` decides this."""
    if acting.person is None or not roles or any(r in acting.person.roles for r in roles):
        return
    raise CheckFailed(
        _("{name} holds none of the roles that decide this ({roles}), so cannot {doing}").format(
            name=acting.person.name, roles=", ".join(roles), doing=_(doing)
        ),
        hint=_("someone who holds one of them decides it"),
    )
