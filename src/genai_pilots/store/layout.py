"""The tables as plain data, for reading the store straight from the driver.

``audit verify`` and ``db check`` read every row of the register. Importing SQLAlchemy and the
models costs about half a second, a quarter of the whole check on a 100,000-event register, so
their fast pass reads with the driver alone and needs the tables' columns without the models.
This module is that description; a test keeps it equal to ``store.models`` and the revision
equal to Alembic's head. Standard library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

# The newest revision in migrations/; a test keeps it equal to Alembic's single head.
HEAD = "0011_synthetic_checks"

Kind = Literal["plain", "json", "moment", "day", "flag"]
Dialect = Literal["sqlite", "postgresql"]

COLUMNS: dict[str, tuple[tuple[str, Kind], ...]] = {
    "pilot": (
        ("id", "plain"), ("name", "plain"), ("setting", "plain"), ("department", "plain"),
        ("owner_name", "plain"), ("owner_email", "plain"), ("stage", "plain"),
        ("outcome", "plain"), ("paused", "flag"), ("risk_class", "plain"),
        ("definition", "json"), ("definition_hash", "plain"), ("created_at", "moment"),
        ("last_activity_at", "moment"), ("stage_entered_at", "moment"), ("head_hash", "plain"),
        ("review_since", "moment"), ("iterations", "plain"),
    ),
    "event": (
        ("id", "plain"), ("pilot_id", "plain"), ("seq", "plain"), ("at", "moment"),
        ("actor", "plain"), ("kind", "plain"), ("payload", "json"), ("reason", "plain"),
        ("prev_hash", "plain"), ("hash", "plain"), ("state", "json"),
    ),
    "approval": (
        ("id", "plain"), ("pilot_id", "plain"), ("stage", "plain"), ("role", "plain"),
        ("by", "plain"), ("at", "moment"), ("note", "plain"), ("revoked_at", "moment"),
        ("entered_by", "plain"),
    ),
    "measurement": (
        ("id", "plain"), ("pilot_id", "plain"), ("kpi", "plain"), ("date", "day"),
        ("value", "plain"), ("setting", "plain"), ("note", "plain"), ("recorded_at", "moment"),
        ("actor", "plain"), ("source", "plain"), ("retracted_at", "moment"),
    ),
    "waiver": (
        ("id", "plain"), ("pilot_id", "plain"), ("stage", "plain"), ("criterion", "plain"),
        ("until", "day"), ("by", "plain"), ("reason", "plain"), ("at", "moment"),
        ("role", "plain"), ("revoked_at", "moment"),
    ),
    "evidence": (
        ("id", "plain"), ("pilot_id", "plain"), ("stage", "plain"), ("criterion", "plain"),
        ("location", "plain"), ("name", "plain"), ("sha256", "plain"), ("size", "plain"),
        ("valid_until", "day"), ("note", "plain"), ("added_by", "plain"),
        ("added_at", "moment"), ("withdrawn_at", "moment"),
    ),
    "incident": (
        ("id", "plain"), ("pilot_id", "plain"), ("number", "plain"), ("summary", "plain"),
        ("occurred", "day"), ("aware", "day"), ("serious", "flag"), ("death", "flag"),
        ("widespread", "flag"), ("opened_by", "plain"), ("opened_at", "moment"),
        ("closed_at", "moment"), ("closed_by", "plain"), ("close_reason", "plain"),
    ),
    "incident_notice": (
        ("id", "plain"), ("pilot_id", "plain"), ("number", "plain"), ("recipient", "plain"),
        ("at", "moment"), ("by", "plain"), ("note", "plain"),
    ),
    "training": (
        ("id", "plain"), ("pilot_id", "plain"), ("person", "plain"), ("course", "plain"),
        ("date", "day"), ("valid_until", "day"), ("setting", "plain"),
    ),
    "synthetic_evaluation": (
        ("id", "plain"), ("pilot_id", "plain"), ("dataset", "plain"), ("real_location", "plain"),
        ("real_sha256", "plain"), ("synthetic_location", "plain"), ("synthetic_sha256", "plain"),
        ("real_rows", "plain"), ("synthetic_rows", "plain"), ("columns", "plain"),
        ("quality", "plain"), ("privacy", "plain"), ("exact_copies", "plain"),
        ("identifiers", "plain"), ("scores", "json"), ("library", "plain"),
        ("evaluated_at", "moment"), ("evaluated_by", "plain"), ("stale_at", "moment"),
        ("stale_reason", "plain"), ("near_copies", "plain"), ("declared_sha256", "plain"),
    ),
    "register": (("id", "plain"), ("head_hash", "plain")),
    "register_event": (
        ("id", "plain"), ("seq", "plain"), ("at", "moment"), ("actor", "plain"),
        ("kind", "plain"), ("payload", "json"), ("reason", "plain"), ("prev_hash", "plain"),
        ("hash", "plain"), ("state", "json"),
    ),
    "playbook": (
        ("id", "plain"), ("name", "plain"), ("source", "plain"), ("set_by", "plain"),
        ("set_at", "moment"), ("reason", "plain"),
    ),
    "person": (
        ("id", "plain"), ("login", "plain"), ("name", "plain"), ("email", "plain"),
        ("roles", "json"), ("added_by", "plain"), ("added_at", "moment"),
        ("removed_at", "moment"),
    ),
    "register_setting": (
        ("key", "plain"), ("value", "plain"), ("set_by", "plain"), ("set_at", "moment"),
    ),
}  # fmt: skip

# Tables whose rows belong to one pilot (the history excepted), and the register-wide tables
# the register chain proves: as ``services.events.pilot_tables`` and ``register_tables`` list them.
PILOT_TABLES = (
    "approval", "evidence", "incident", "incident_notice", "measurement",
    "synthetic_evaluation", "training", "waiver",
)  # fmt: skip
REGISTER_TABLES = ("playbook", "person", "register_setting")


def read_as(table: str, dialect: Dialect, *, without: tuple[str, ...] = ()) -> str:
    """The select list that reads ``table`` fast: JSON as its stored text, moments as UTC text.

    SQLite keeps moments as UTC text already; PostgreSQL is asked for the same text, so no
    value needs converting in Python (``domain.state.moment_text`` is the form).
    """
    return select_list(table, dialect, names(table, without=without))


def select_list(table: str, dialect: Dialect, columns: Sequence[str]) -> str:
    """``read_as`` for the named columns of ``table``, in the order given."""
    kinds = dict(COLUMNS[table])
    return ", ".join(_read_one(name, kinds[name], dialect) for name in columns)


def _read_one(name: str, kind: Kind, dialect: Dialect) -> str:
    column = f'"{name}"'
    if kind == "json":
        return f"CAST({column} AS TEXT) AS {column}"
    if dialect == "sqlite" or kind in ("plain", "flag"):
        return column
    if kind == "moment":
        return f"to_char(timezone('UTC', {column}), 'YYYY-MM-DD HH24:MI:SS.US') AS {column}"
    return f"to_char({column}, 'YYYY-MM-DD') AS {column}"


def names(table: str, *, without: tuple[str, ...] = ()) -> list[str]:
    """The names of ``table``'s columns, in the order ``read_as`` reads them."""
    return [name for name, _ in COLUMNS[table] if name not in without]


def of_kind(table: str, kind: Kind) -> list[str]:
    """The columns of ``table`` of one kind (its JSON columns, its flags, ...)."""
    return [name for name, k in COLUMNS[table] if k == kind]
