"""Synthetic data evaluated rather than declared: one evaluation per dataset of a pilot.

One new table hanging off a pilot; it starts empty, and a table with no rows of a pilot adds
nothing to its state digests (``domain.state``), so every chain of an older store still
verifies after the upgrade without sealing anything. It holds scores, counts and both files'
SHA-256, never the data. A re-evaluation replaces the row of its dataset (the history keeps
each one); ``pilots synth verify`` marks a row stale when a file changed.

Revision ID: 0010_synthetic
Revises: 0009_training
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_synthetic"
down_revision: str | None = "0009_training"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "synthetic_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.String(length=80), nullable=False),
        sa.Column("dataset", sa.String(length=200), nullable=False),
        sa.Column("real_location", sa.String(length=2000), nullable=False),
        sa.Column("real_sha256", sa.String(length=64), nullable=False),
        sa.Column("synthetic_location", sa.String(length=2000), nullable=False),
        sa.Column("synthetic_sha256", sa.String(length=64), nullable=False),
        sa.Column("real_rows", sa.Integer(), nullable=False),
        sa.Column("synthetic_rows", sa.Integer(), nullable=False),
        sa.Column("columns", sa.Integer(), nullable=False),
        sa.Column("quality", sa.Float(), nullable=False),
        sa.Column("privacy", sa.Float(), nullable=False),
        sa.Column("exact_copies", sa.Integer(), nullable=False),
        sa.Column("identifiers", sa.Integer(), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("library", sa.String(length=100), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evaluated_by", sa.String(length=200), nullable=False),
        sa.Column("stale_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stale_reason", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["pilot_id"], ["pilot.id"], name=op.f("fk_synthetic_evaluation_pilot_id_pilot")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synthetic_evaluation")),
        sa.UniqueConstraint("pilot_id", "dataset", name=op.f("uq_synthetic_evaluation_pilot_id")),
    )


def downgrade() -> None:
    op.drop_table("synthetic_evaluation")
