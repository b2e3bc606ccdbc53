"""Register settings: the organisation's name and its general contact, shared by a team.

A new table, one row per key; it starts empty, and an empty register table adds nothing to
the register chain's state digests (``domain.state``), so every chain of an older store still
verifies after the upgrade without sealing anything.

Revision ID: 0007_register_settings
Revises: 0006_people
Create Date: 2026-11-30 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_register_settings"
down_revision: str | None = "0006_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_setting",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_register_setting")),
    )


def downgrade() -> None:
    op.drop_table("register_setting")
