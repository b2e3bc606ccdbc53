"""Alembic driven from code: who may change the schema, and when.

The Alembic ``Config`` is built here from the engine (no alembic.ini), the connection is shared
through ``config.attributes``, and alembic is imported only when the schema is not at ``HEAD``:
it adds noticeable start-up time. A store at a revision we do not know was written by a newer
version and is refused rather than touched.

A SQLite store is one user's file: it migrates itself on first use. A PostgreSQL store is
shared: the first use of an empty database creates the schema (there is nothing to protect
yet), but an older schema is changed only by ``pilots db upgrade``, run by its administrator.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, text

from genai_pilots.errors import StoreError
from genai_pilots.i18n import _
from genai_pilots.store.layout import HEAD as HEAD  # re-exported: the revision this code needs

if TYPE_CHECKING:
    from alembic.config import Config

_PG_MIGRATION_LOCK = 7_461_207_501


def migrations_dir() -> Path:
    """The migration scripts: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "migrations", package.parent.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise StoreError(  # pragma: no cover - a broken installation
        _("the database migrations are missing from this installation"),
        hint=_("reinstall genai-pilots"),
    )


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for our scripts, bound to ``connection`` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _has_table(connection: Connection, name: str) -> bool:
    # A catalogue query: SQLAlchemy's inspector costs more than the rest of a status call.
    if connection.dialect.name == "sqlite":
        found = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": name},
        ).first()
        return found is not None
    found = connection.execute(text("SELECT to_regclass(:name)"), {"name": name}).scalar()
    return found is not None


def _has_version_table(connection: Connection) -> bool:
    return _has_table(connection, "alembic_version")


def current_revision(connection: Connection) -> str | None:
    """The store's schema revision, or ``None`` for an empty store."""
    if not _has_version_table(connection):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> dict[str, Any]:
    """Every revision in our scripts, by id."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return {rev.revision: rev for rev in scripts.walk_revisions()}


def heads() -> list[str]:
    """The head revisions of our scripts (there must be exactly one)."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def _refuse_unknown(revision: str) -> None:
    if revision not in known_revisions():
        raise StoreError(
            _("the store is at schema revision {revision}, written by a newer genai-pilots").format(
                revision=revision
            ),
            hint=_("upgrade genai-pilots (pip install -U genai-pilots) to use this store"),
        )


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})"))


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the store up to ``revision``, one transaction, one migrating process at a time.

    On a PostgreSQL database set up with ``pilots db roles`` only members of ``pilots_admin``
    migrate, acting as that role, and the grants are renewed afterwards.
    """
    from alembic import command

    from genai_pilots.store import roles

    with engine.begin() as connection:
        _lock(connection)
        team = roles.is_set_up(connection)
        if team:
            roles.act_as_admin(connection)
        current = current_revision(connection)
        if current is not None:
            _refuse_unknown(current)
        elif _has_table(connection, "pilot"):
            raise StoreError(
                _(
                    "the store has the register's tables but no schema revision: its "
                    "alembic_version table was removed outside genai-pilots"
                ),
                hint=_("restore the store from a backup, or ask its administrator"),
            )
        command.upgrade(alembic_config(connection), revision)
        if team and revision in ("head", HEAD):
            # tables a migration added get their grants, and changed grants apply
            for statement in roles.grant_statements(roles.register_tables()):
                connection.execute(text(statement))


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the store down to ``revision`` (``base`` empties it)."""
    from alembic import command

    with engine.begin() as connection:
        _lock(connection)
        command.downgrade(alembic_config(connection), revision)


def ensure_current(engine: Engine) -> None:
    """Bring the store to ``HEAD`` if that is ours to do; cheap when it already is.

    An older PostgreSQL schema is refused with a hint: migrating a shared store is its
    administrator's decision (``pilots db upgrade``), not a side effect of someone's command.
    """
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
    except Exception as exc:  # the driver's errors differ per engine
        raise StoreError(
            _("cannot open the store: {error}").format(
                error=f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            ),
            hint=_("check --db / GENAI_PILOTS_DB and that the database is reachable"),
        ) from None
    if current == HEAD:
        return
    if current is not None and engine.dialect.name != "sqlite":
        _refuse_unknown(current)
        raise StoreError(
            _(
                "the store is at schema revision {revision}; this version of genai-pilots "
                "needs {head}"
            ).format(revision=current, head=HEAD),
            hint=_("its administrator (a member of pilots_admin) runs `pilots db upgrade`"),
        )
    upgrade(engine)  # refuses a revision it does not know, under the migration lock
