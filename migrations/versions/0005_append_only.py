"""Append-only history, enforced by the database itself.

Triggers refuse UPDATE and DELETE of ``event`` and ``register_event``; on ``approval`` and
``waiver`` they refuse DELETE and every UPDATE but the one the tool makes when it revokes or
supersedes a row: setting ``revoked_at`` once, from NULL, and nothing else. PostgreSQL also
refuses TRUNCATE (which bypasses row triggers). Only the owner of a table can drop its
triggers: on PostgreSQL that is the schema's administrator (``pilots db roles``); a SQLite
store is a single user's file. Measurements are not history here: an import replaces its rows.

A later migration that rebuilds one of these tables in SQLite's batch mode drops its triggers
with it and must create them again (``create_guards``).

Revision ID: 0005_append_only
Revises: 0004_controls
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005_append_only"
down_revision: str | None = "0004_controls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HISTORY = ("event", "register_event")
REVOCABLE = {
    "approval": ("id", "pilot_id", "stage", "role", "by", "at", "note"),
    "waiver": ("id", "pilot_id", "stage", "criterion", "until", "by", "reason", "at", "role"),
}


def _history_message(table: str) -> str:
    return f"{table} is append-only: history is never updated or deleted"


def _revocable_message(table: str) -> str:
    return (
        f"{table} is append-only history: its rows are never deleted, and only revoked_at is "
        "set, once"
    )


def _sqlite_guards(table: str) -> list[str]:
    if table in HISTORY:
        message = _history_message(table)
        update_when = ""
    else:
        message = _revocable_message(table)
        same = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in REVOCABLE[table])
        update_when = (
            f" WHEN NOT (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL AND {same})"
        )
    return [
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table}{update_when} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END",
    ]


_PG_FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION pilots_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '{_history_message("%")}', TG_TABLE_NAME;
END $$""",
    f"""CREATE OR REPLACE FUNCTION pilots_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL
     AND to_jsonb(NEW) - 'revoked_at' = to_jsonb(OLD) - 'revoked_at' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{_revocable_message("%")}', TG_TABLE_NAME;
END $$""",
]


def _pg_guards(table: str) -> list[str]:
    function = "pilots_append_only" if table in HISTORY else "pilots_revoke_only"
    return [
        f"CREATE TRIGGER {table}_append_only_update BEFORE UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {table}_append_only_delete BEFORE DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"CREATE TRIGGER {table}_append_only_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION pilots_append_only()",
    ]


def create_guards(table: str) -> None:
    """Create the triggers that keep ``table`` append-only, on this engine."""
    if op.get_bind().dialect.name == "sqlite":
        statements = _sqlite_guards(table)
    else:
        statements = _pg_guards(table)
    for statement in statements:
        op.execute(statement)


def drop_guards(table: str) -> None:
    """Drop the triggers of ``create_guards``."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    kinds = ("update", "delete") if sqlite else ("update", "delete", "truncate")
    for kind in kinds:
        on = "" if sqlite else f" ON {table}"
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{kind}{on}")


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for function in _PG_FUNCTIONS:
            op.execute(function)
    for table in (*HISTORY, *REVOCABLE):
        create_guards(table)


def downgrade() -> None:
    for table in (*HISTORY, *REVOCABLE):
        drop_guards(table)
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION IF EXISTS pilots_revoke_only()")
        op.execute("DROP FUNCTION IF EXISTS pilots_append_only()")
