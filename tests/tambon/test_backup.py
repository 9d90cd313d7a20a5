"""Backup and restore into a fresh instance, compared row by row (SQLite and PostgreSQL)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import MetaData, select

from kiosk import queue
from kiosk.demo import load_demo
from tambon import import_all_models
from tambon.db import get_session, make_engine

TAMBON = str(Path(sys.executable).with_name("tambon"))


def all_rows(url):
    import_all_models()
    engine = make_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        rows = {name: sorted(map(tuple, conn.execute(select(table)).all()), key=repr)
                for name, table in meta.tables.items()}
    engine.dispose()
    return rows


def fill(app):
    with app.app_context():
        session = get_session()
        load_demo(session)
        for _ in range(5):
            queue.issue_ticket(session, "TAX")
        queue.call_next(session, 1)
        queue.complete(session, 1)


def cli(url, tmp_path, *args):
    env = {**os.environ, "DATABASE_URL": url, "TAMBON_INSTANCE": str(tmp_path / "inst"), "PRINTER_URL": "none"}
    result = subprocess.run([TAMBON, *args], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_sqlite_backup_restores_every_row(app, tmp_path, sqlite_template):
    import shutil

    fill(app)
    source_url = app.config["DATABASE_URL"]
    backup = tmp_path / "b.sqlite3"
    cli(source_url, tmp_path, "backup", "--out", str(backup))
    fresh = tmp_path / "fresh.sqlite3"
    shutil.copy(sqlite_template, fresh)
    cli(f"sqlite:///{fresh}", tmp_path, "restore", "--from", str(backup), "--yes")
    assert all_rows(f"sqlite:///{fresh}") == all_rows(source_url)
    assert len(all_rows(source_url)["ticket_events"]) == 7


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "TAMBON_INSTANCE": str(tmp_path / "i")}
    result = subprocess.run([TAMBON, "restore", "--from", str(junk), "--yes"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "backup" in result.stderr.lower()


@pytest.mark.postgres
def test_postgresql_backup_restores_every_row(pg_app, tmp_path, pg_available):
    import shutil
    import uuid

    import psycopg

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump not installed")
    fill(pg_app)
    source_url = pg_app.config["DATABASE_URL"]
    backup = tmp_path / "b.dump"
    cli(source_url, tmp_path, "backup", "--out", str(backup))
    name = f"tambon_r_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_available, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = source_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        cli(target, tmp_path, "restore", "--from", str(backup), "--yes")
        assert all_rows(target) == all_rows(source_url)
    finally:
        with psycopg.connect(pg_available, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
