"""Alembic environment: the URL comes from the config (set by `vigil db upgrade`)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from vigil.all_models import Base
from vigil.core.db import is_sqlite, make_engine
from vigil.core.migrate import schema_filter

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=schema_filter(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///vigil.db"
    engine = make_engine(url)
    if is_sqlite(url):
        # Alembic manages its own transaction; plain BEGIN is enough here.
        engine.dispose()
        from sqlalchemy import create_engine

        engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
