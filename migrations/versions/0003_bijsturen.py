"""Bijsturen: where a measurement came from, and how often a pilot was adjusted.

Revision ID: 0003_bijsturen
Revises: 0002_governance
Create Date: 2026-11-29 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_bijsturen"
down_revision: str | None = "0002_governance"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=10), nullable=False, server_default="cli")
        )
    with op.batch_alter_table("pilot", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("iterations", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("pilot", schema=None) as batch_op:
        batch_op.drop_column("iterations")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_column("source")
