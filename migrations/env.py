"""Alembic environment: run with the connection the application passes in.

The application builds the Alembic config in code (genai_pilots.store.migrate) and shares its
open connection via ``config.attributes["connection"]``. Run offline (``--sql``) it renders
SQL for the URL in the config.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from genai_pilots.store.models import metadata

config = context.config


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    from genai_pilots.store.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url")))
    with engine.begin() as new_connection:
        _configure(new_connection)


run()
