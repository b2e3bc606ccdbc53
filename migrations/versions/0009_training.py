"""The training ledger behind the skills gate: who was trained, in what, when, until when.

One new table hanging off a pilot; it starts empty, and a table with no rows of a pilot adds
nothing to its state digests (``domain.state``), so every chain of an older store still
verifies after the upgrade without sealing anything. Its rows are staff personal data, deleted
on erasure (``pilots training remove``), so no trigger makes it append-only.

Revision ID: 0009_training
Revises: 0008_post_market
Create Date: 2026-11-30 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_training"
down_revision: str | None = "0008_post_market"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.String(length=80), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("setting", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"], ["pilot.id"], name=op.f("fk_training_pilot_id_pilot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training")),
    )
    op.create_index("ix_training_pilot_id", "training", ["pilot_id"])


def downgrade() -> None:
    op.drop_index("ix_training_pilot_id", table_name="training")
    op.drop_table("training")
