"""Alembic migrations produce exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tambon import import_all_models, migrate
from tambon.db import Base, make_engine


def drift(url):
    import_all_models()
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_sqlite_schema_matches_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    migrate.upgrade(url)
    assert drift(url) == []


@pytest.mark.postgres
def test_postgresql_schema_matches_models(pg_url):
    assert drift(pg_url) == []


def test_downgrade_to_empty_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    migrate.upgrade(url)
    assert drift(url) == []
