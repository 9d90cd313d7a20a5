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
