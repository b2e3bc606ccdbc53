"""Governance: waivers, playbooks stored in the register, and re-gating (pilot.review_since).

Revision ID: 0002_governance
Revises: 0001_initial
Create Date: 2026-11-29 14:34:19.931345
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_governance"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "playbook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook")),
    )
    op.create_table(
        "waiver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("criterion", sa.String(length=80), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=4000), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pilot_id"], ["pilot.id"], name=op.f("fk_waiver_pilot_id_pilot")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waiver")),
    )
    with op.batch_alter_table("waiver", schema=None) as batch_op:
        batch_op.create_index("ix_waiver_pilot_stage", ["pilot_id", "stage"], unique=False)
    with op.batch_alter_table("pilot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pilot", schema=None) as batch_op:
        batch_op.drop_column("review_since")
    with op.batch_alter_table("waiver", schema=None) as batch_op:
        batch_op.drop_index("ix_waiver_pilot_stage")

    op.drop_table("waiver")
    op.drop_table("playbook")
