"""Alembic environment: the URL comes from the caller (tambon.migrate) or DATABASE_URL."""

import os

from alembic import context

from tambon import import_all_models
from tambon.db import Base, make_engine

import_all_models()
config = context.config
url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL") or "sqlite:///instance/tambon.sqlite3"
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
