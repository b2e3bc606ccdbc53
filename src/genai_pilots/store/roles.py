"""PostgreSQL group roles: what each kind of user may do to the register's tables.

The grants follow the commands, so plain SQL cannot do what the tool would refuse:

- ``pilots_reader`` reads every table.
- ``pilots_editor`` imports, advances, pauses and measures: it writes pilots, appends events,
  replaces and retracts measurements, records trainings and synthetic-data evaluations
  (replacing a dataset's evaluation, marking it stale), and marks approvals and waivers
  superseded (``revoked_at`` only) because an import that changes a governance fact re-opens
  governance. It cannot approve, waive, store a playbook or erase a training.
- ``pilots_approver`` adds approvals, waivers and playbooks, sets the register settings
  (organisation, contact), and erases a person's trainings (their admin in the directory
  decides it): the governance decisions.
- ``pilots_admin`` owns the tables and the trigger functions, so only its members change the
  schema (``pilots db upgrade``) or could drop the append-only triggers.

Nobody but the owner gets UPDATE or DELETE on the history, and the triggers refuse it even to
the owner until they are dropped. A table in neither ``EDITOR_GRANTS`` nor ``APPROVER_GRANTS``
is only readable: a test keeps every table of the models listed in one of them or in
``READ_ONLY``, so a new table gets its grants decided.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from genai_pilots.errors import StoreError
from genai_pilots.i18n import _

READER = "pilots_reader"
EDITOR = "pilots_editor"
APPROVER = "pilots_approver"
ADMIN = "pilots_admin"
GROUPS = (READER, EDITOR, APPROVER, ADMIN)

# table -> the privileges (besides SELECT) each role adds; a serial id means its sequence too.
EDITOR_GRANTS: dict[str, str] = {
    "pilot": "INSERT, UPDATE",
    "event": "INSERT",
    "register_event": "INSERT",
    "register": "UPDATE (head_hash)",
    "measurement": "INSERT, DELETE, UPDATE (retracted_at)",
    "approval": "UPDATE (revoked_at)",
    "waiver": "UPDATE (revoked_at)",
    "evidence": "INSERT, UPDATE (withdrawn_at)",
    "incident": "INSERT, UPDATE (summary, serious, death, widespread, closed_at, closed_by, "
    "close_reason)",
    "incident_notice": "INSERT",
    "training": "INSERT",
    # a re-evaluation replaces its dataset's row; verify marks it stale
    "synthetic_evaluation": "INSERT, UPDATE",
}
APPROVER_GRANTS: dict[str, str] = {
    "approval": "INSERT",
    "waiver": "INSERT",
    "playbook": "INSERT",
    "register_setting": "INSERT, UPDATE (value, set_by, set_at)",
    "training": "DELETE",  # erasure of staff personal data (a directory admin decides it)
}
READ_ONLY = ("alembic_version", "person")  # the directory: changed by pilots_admin only
# tables whose rows get their id from a sequence when inserted
SERIAL = (
    "event", "register_event", "measurement", "approval", "waiver", "playbook", "evidence",
    "incident", "incident_notice", "training", "synthetic_evaluation",
)  # fmt: skip
FUNCTIONS = ("pilots_append_only()", "pilots_revoke_only()")


def _create_role(name: str) -> str:
    return (
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{name}') THEN CREATE ROLE {name} NOLOGIN; END IF; END $$"
    )


def role_statements(tables: list[str]) -> list[str]:
    """Create the group roles, make ``pilots_admin`` the owner, then grant (idempotent).

    Run by the database's owner or a superuser; it makes the login running it a member of
    ``pilots_admin`` (needed to hand the tables over).
    """
    statements = [_create_role(name) for name in GROUPS]
    statements += [
        f"GRANT {READER} TO {EDITOR}",
        f"GRANT {EDITOR} TO {APPROVER}",
        "DO $$ BEGIN IF NOT pg_has_role(current_user, 'pilots_admin', 'MEMBER') THEN "
        "EXECUTE format('GRANT pilots_admin TO %I', current_user); END IF; END $$",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {ADMIN}",
    ]
    statements += [f"ALTER TABLE {table} OWNER TO {ADMIN}" for table in tables]
    statements += [f"ALTER FUNCTION {function} OWNER TO {ADMIN}" for function in FUNCTIONS]
    return statements + grant_statements(tables)


def register_tables() -> list[str]:
    """Every table of the register, Alembic's own included, in a stable order."""
    from genai_pilots.store.models import metadata

    return [table.name for table in metadata.sorted_tables] + list(READ_ONLY)


def is_set_up(connection: Connection) -> bool:
    """Whether ``pilots db roles`` set this PostgreSQL database up (``pilots_admin`` owns it)."""
    if connection.dialect.name != "postgresql":
        return False
    found = connection.execute(
        text(
            "SELECT CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = :admin) "
            "THEN has_schema_privilege(:admin, 'public', 'CREATE') ELSE false END"
        ),
        {"admin": ADMIN},
    ).scalar()
    return bool(found)


def act_as_admin(connection: Connection) -> None:
    """Change the schema as ``pilots_admin`` (so it owns what is created), or refuse."""
    if not is_admin(connection):
        raise StoreError(
            _("only members of pilots_admin change the schema of this register"),
            hint=_("ask its administrator to run `pilots db upgrade`"),
        )
    connection.execute(text(f"SET LOCAL ROLE {ADMIN}"))


def grant_statements(tables: list[str]) -> list[str]:
    """The grants of the three user roles on ``tables``, replacing any they had before."""
    users = f"{READER}, {EDITOR}, {APPROVER}"
    statements = [
        f"REVOKE ALL ON {', '.join(tables)} FROM {users}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {users}",
        f"GRANT USAGE ON SCHEMA public TO {READER}",
        f"GRANT SELECT ON {', '.join(tables)} TO {READER}",
    ]
    for role, grants in ((EDITOR, EDITOR_GRANTS), (APPROVER, APPROVER_GRANTS)):
        for table, privileges in grants.items():
            if table not in tables:
                continue
            statements.append(f"GRANT {privileges} ON {table} TO {role}")
            if table in SERIAL and "INSERT" in privileges:
                statements.append(f"GRANT USAGE ON SEQUENCE {table}_id_seq TO {role}")
    return statements


def is_admin(connection: Connection) -> bool:
    """Whether the login is a member of ``pilots_admin`` (who may write every table)."""
    member = connection.execute(
        text("SELECT pg_has_role(current_user, :admin, 'MEMBER')"), {"admin": ADMIN}
    ).scalar()
    return bool(member)
