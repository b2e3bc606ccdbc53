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
down_revision: str | None = "0004_controls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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


def downgrade() -> None:
    op.drop_column("approval", "entered_by")
    op.drop_index("ix_person_login", table_name="person")
    op.drop_table("person")
