"""Throw-away PostgreSQL databases for benchmarks: created fresh, always dropped afterwards."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"


def create_database(prefix: str, admin_url: str = ADMIN_URL) -> tuple[str, str]:
    """Create an empty database; returns (name, its URL)."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, re.sub(r"/[^/]*$", f"/{name}", admin_url)


def drop_database(name: str, admin_url: str = ADMIN_URL) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def temporary_database(prefix: str, admin_url: str = ADMIN_URL) -> Iterator[str]:
    """A fresh database URL for the duration of the block."""
    name, url = create_database(prefix, admin_url)
    try:
        yield url
    finally:
        drop_database(name, admin_url)


# --- a generated history kept for the next run (busy_day --history-cache) -------------------------------

# What the kept database depends on: the schema, the demo office, the generator and the rollup that made it.
HISTORY_INPUTS = ("migrations", "kiosk/demo.py", "kiosk/setup.py", "bench/report_scale.py", "bench/executive.py",
                  "reports/rollup.py", "reports/facts.py")


def history_template_name(root, **params) -> str:
    """A database name for one generated history: the hash of every file it was made by, the parameters
    (tickets, counters …) and today's date (the history ends yesterday), so a change to any of them, or a new
    day, makes a new one and a kept database is never used for another history."""
    import hashlib
    from datetime import date
    from pathlib import Path

    digest = hashlib.sha256(repr((sorted(params.items()), date.today().isoformat())).encode())
    for name in HISTORY_INPUTS:
        path = Path(root) / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return f"tambon_bench_history_{digest.hexdigest()[:16]}"


def database_exists(name: str, admin_url: str = ADMIN_URL) -> bool:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def copy_database(source: str, target: str, admin_url: str = ADMIN_URL) -> None:
    """target := a file-level copy of source (CREATE DATABASE … TEMPLATE), dropping target first. Nothing may
    be connected to source meanwhile."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
