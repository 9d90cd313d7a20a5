"""Consistent online backup and restore: SQLite's backup API, or pg_dump / pg_restore for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from tambon.errors import Invalid
from tambon.files import private_file

SQLITE_PREFIX = "sqlite:///"


def _sqlite_copy(source: str | Path, target: str | Path) -> None:
    """Page-by-page copy through SQLite's backup API: consistent while the service keeps writing (WAL)."""
    src, dest = sqlite3.connect(source), sqlite3.connect(target)
    try:
        with dest:
            src.backup(dest)
    finally:
        src.close()
        dest.close()


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Invalid("missing_tool", f"ไม่พบคำสั่ง {name}", f"{name} not found (apt-get install postgresql-client)")
    return path


def _pg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _unsupported(url: str) -> Invalid:
    kind = url.split(":")[0]
    return Invalid("unsupported_database", f"สำรอง/กู้คืนฐานข้อมูลชนิด {kind} ไม่ได้", f"Cannot back up or restore {kind}")


def backup(database_url: str, target: Path) -> None:
    """Write a backup to ``target``, created 0600 before a byte is written (it holds personal data)."""
    if not database_url.startswith((SQLITE_PREFIX, "postgresql")):
        raise _unsupported(database_url)
    private_file(target)
    if database_url.startswith(SQLITE_PREFIX):
        _sqlite_copy(database_url[len(SQLITE_PREFIX):], target)
    elif database_url.startswith("postgresql"):
        subprocess.run([_pg_tool("pg_dump"), "--format=custom", f"--file={target}", _pg_url(database_url)],
                       check=True)
    else:
        raise _unsupported(database_url)


def check_sqlite_backup(source: Path) -> None:
    """Refuse a damaged file, or a database that is not one of ours, before anything is replaced."""
    check = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise Invalid("damaged_backup", "ไฟล์สำรองเสียหาย", "The backup file is damaged")
        if check.execute("SELECT count(*) FROM sqlite_master WHERE name='alembic_version'").fetchone()[0] != 1:
            raise Invalid("not_a_backup", "ไม่ใช่ไฟล์สำรองของระบบนี้", "Not a backup of this service")
    except sqlite3.DatabaseError as err:
        raise Invalid("unreadable_backup", "อ่านไฟล์สำรองไม่ได้", f"Cannot read the backup: {err}") from err
    finally:
        check.close()


def restore(database_url: str, source: Path) -> None:
    if database_url.startswith(SQLITE_PREFIX):
        check_sqlite_backup(source)
        _sqlite_copy(source, database_url[len(SQLITE_PREFIX):])
    elif database_url.startswith("postgresql"):
        subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                        f"--dbname={_pg_url(database_url)}", str(source)], check=True)
    else:
        raise _unsupported(database_url)
