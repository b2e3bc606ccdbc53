"""Controls: events fix the state they leave, a register-wide chain, waiver roles, retractions.

Every existing pilot gets one ``state-sealed`` event that records the digests of its rows as the
upgrade finds them, so ``audit verify`` can prove the tables from then on; stored playbooks are
sealed the same way in the new register chain. Run ``pilots audit verify`` before upgrading:
the upgrade seals what it finds.

Revision ID: 0004_controls
Revises: 0003_bijsturen
Create Date: 2026-11-30 08:00:00
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from genai_pilots.domain.audit import GENESIS, event_hash
from genai_pilots.domain.state import pilot_state, register_state

revision: str = "0004_controls"
down_revision: str | None = "0003_bijsturen"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "genai-pilots upgrade"
REGISTER_CHAIN = "@register"


def _create_tables() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.JSON(), nullable=True))
    with op.batch_alter_table("waiver", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("playbook", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=4000), nullable=True))
    op.create_table(
        "register_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=4000), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_event")),
        sa.UniqueConstraint("seq", name="uq_register_event_seq"),
    )
    op.create_table(
        "register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register")),
    )


def _seal(connection: sa.Connection) -> None:
    meta = sa.MetaData()
    meta.reflect(connection, only=["pilot", "event", "approval", "waiver", "measurement",
                                   "playbook", "register_event", "register"])  # fmt: skip
    # Reflection reads SQLite's DATETIME and JSON columns as such, so values come back typed
    # exactly as the application reads them.
    pilot, event = meta.tables["pilot"], meta.tables["event"]
    owned: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name in ("approval", "measurement", "waiver"):
        for row in connection.execute(sa.select(meta.tables[name])).mappings():
            owned[row["pilot_id"]][name].append(dict(row))
    heads: dict[str, int] = dict(
        connection.execute(  # type: ignore[arg-type]
            sa.select(event.c.pilot_id, sa.func.max(event.c.seq)).group_by(event.c.pilot_id)
        ).all()
    )
    now = dt.datetime.now(dt.UTC)
    for row in connection.execute(sa.select(pilot)).mappings().all():
        values = dict(row)
        values["last_activity_at"] = now
        state = pilot_state(values, owned[values["id"]])
        seq = heads.get(values["id"], 0) + 1
        payload = {"schema": revision}
        digest = event_hash(
            values["head_hash"], values["id"], seq, now, ACTOR, "state-sealed", payload, None,
            state,
        )  # fmt: skip
        connection.execute(
            event.insert().values(
                pilot_id=values["id"], seq=seq, at=now, actor=ACTOR, kind="state-sealed",
                payload=payload, reason=None, prev_hash=values["head_hash"], hash=digest,
                state=state,
            )
        )  # fmt: skip
        connection.execute(
            pilot.update()
            .where(pilot.c.id == values["id"])
            .values(head_hash=digest, last_activity_at=now)
        )
    playbooks = [dict(r) for r in connection.execute(sa.select(meta.tables["playbook"])).mappings()]
    ids = [pilot_id for (pilot_id,) in connection.execute(sa.select(pilot.c.id))]
    head = GENESIS
    if playbooks or ids:
        state = register_state({"playbook": playbooks}, ids)
        payload = {"schema": revision}
        head = event_hash(GENESIS, REGISTER_CHAIN, 1, now, ACTOR, "state-sealed", payload, None,
                          state)  # fmt: skip
        connection.execute(
            meta.tables["register_event"].insert().values(
                seq=1, at=now, actor=ACTOR, kind="state-sealed", payload=payload, reason=None,
                prev_hash=GENESIS, hash=head, state=state,
            )
        )  # fmt: skip
    connection.execute(meta.tables["register"].insert().values(id=1, head_hash=head))


def upgrade() -> None:
    _create_tables()
    _seal(op.get_bind())


def downgrade() -> None:
    # The sealed events stay: a downgraded release cannot check their state, but keeps them.
    op.drop_table("register")
    op.drop_table("register_event")
    with op.batch_alter_table("playbook", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("measurement", schema=None) as batch_op:
        batch_op.drop_column("retracted_at")
    with op.batch_alter_table("waiver", schema=None) as batch_op:
        batch_op.drop_column("revoked_at")
        batch_op.drop_column("role")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_column("state")
