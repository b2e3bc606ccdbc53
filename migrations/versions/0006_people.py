"""People: the register's directory of logins, names and roles; approvals entered for others.

The directory starts empty, which keeps a single user's register working as before. Columns
are added without rebuilding tables, so the append-only triggers on ``approval`` stay.

Revision ID: 0006_people
Revises: 0005_append_only
Create Date: 2026-11-30 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_people"
down_revision: str | None = "0005_append_only"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The columns 0005's SQLite guard keeps unchanged when an approval is revoked.
_APPROVAL_COLUMNS = ("id", "pilot_id", "stage", "role", "by", "at", "note")


def _guard_approval(columns: tuple[str, ...]) -> None:
    """SQLite's guard on approval names its columns: give it the new one too."""
    same = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns)
    message = (
        "approval is append-only history: its rows are never deleted, and only revoked_at is "
        "set, once"
    )
    op.execute("DROP TRIGGER IF EXISTS approval_append_only_update")
    op.execute(
        "CREATE TRIGGER approval_append_only_update BEFORE UPDATE ON approval WHEN NOT "
        f"(OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL AND {same}) "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_person_login", "person", ["login"])
    op.add_column("approval", sa.Column("entered_by", sa.String(length=200), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # PostgreSQL's guard compares whole rows
        _guard_approval(_APPROVAL_COLUMNS + ("entered_by",))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _guard_approval(_APPROVAL_COLUMNS)
    op.drop_column("approval", "entered_by")
    op.drop_index("ix_person_login", table_name="person")
    op.drop_table("person")
