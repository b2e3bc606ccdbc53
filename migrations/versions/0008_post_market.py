"""Post-market steering: evidence behind gate criteria, incidents and their notifications.

Three new tables hanging off a pilot; they start empty, and a table with no rows of a pilot
adds nothing to its state digests (``domain.state``), so every chain of an older store still
verifies after the upgrade without sealing anything.

Revision ID: 0008_post_market
Revises: 0007_register_settings
Create Date: 2026-11-30 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_post_market"
down_revision: str | None = "0007_register_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pilot_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["pilot_id"], ["pilot.id"], name=op.f(f"fk_{table}_pilot_id_pilot")
    )


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("criterion", sa.String(length=80), nullable=False),
        sa.Column("location", sa.String(length=2000), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=4000), nullable=True),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        _pilot_key("evidence"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index("ix_evidence_pilot_criterion", "evidence", ["pilot_id", "criterion"])
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=4000), nullable=False),
        sa.Column("occurred", sa.Date(), nullable=False),
        sa.Column("aware", sa.Date(), nullable=False),
        sa.Column("serious", sa.Boolean(), nullable=False),
        sa.Column("death", sa.Boolean(), nullable=False),
        sa.Column("widespread", sa.Boolean(), nullable=False),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=200), nullable=True),
        sa.Column("close_reason", sa.String(length=4000), nullable=True),
        _pilot_key("incident"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("pilot_id", "number", name=op.f("uq_incident_pilot_id")),
    )
    op.create_table(
        "incident_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pilot_id", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=4000), nullable=True),
        _pilot_key("incident_notice"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_notice")),
    )
    op.create_index("ix_incident_notice_pilot_number", "incident_notice", ["pilot_id", "number"])


def downgrade() -> None:
    op.drop_index("ix_incident_notice_pilot_number", table_name="incident_notice")
    op.drop_table("incident_notice")
    op.drop_table("incident")
    op.drop_index("ix_evidence_pilot_criterion", table_name="evidence")
    op.drop_table("evidence")
