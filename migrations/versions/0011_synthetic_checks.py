"""Synthetic evaluations that say more: near copies counted, the declaration fingerprinted.

Two nullable columns on ``synthetic_evaluation``, added without rebuilding the table. Rows of
an older store keep them NULL, which leaves their state digests as they were (``domain.state``
leaves out a column whose value is NULL), so every chain still verifies after the upgrade. The
gate reads a NULL declaration as an evaluation made before near copies were counted: it asks
for the dataset to be evaluated again, rather than trusting what was never checked.

Revision ID: 0011_synthetic_checks
Revises: 0010_synthetic
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_synthetic_checks"
down_revision: str | None = "0010_synthetic"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("synthetic_evaluation", sa.Column("near_copies", sa.Integer(), nullable=True))
    op.add_column(
        "synthetic_evaluation", sa.Column("declared_sha256", sa.String(length=64), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("synthetic_evaluation") as batch:
        batch.drop_column("declared_sha256")
        batch.drop_column("near_copies")
