"""Regenerate the database of the previous release, for the upgrade test (tests/test_upgrade_from_release.py).

    .venv/bin/python tests/data/make_release_fixture.py [--tag v0.1.0] [--no-postgres]

It extracts the release's source with `git archive` into a temporary folder (the repository's checkout and
worktrees are not touched), and runs *that* code (PYTHONPATH first, so its packages shadow the installed
ones; the dependencies are the current virtualenv's): `tambon db upgrade`, `tambon demo`, then a morning of
queue and complaint activity on a fixed business day through the release's own domain functions. The
result is written as plain SQL text, reviewable in a diff:

- tests/data/release-<version>.sqlite.sql      Python's ``sqlite3.Connection.iterdump()`` (the `.dump` format)
- tests/data/release-<version>.postgresql.sql  ``pg_dump --no-owner --no-privileges`` (plain SQL, load with psql)
- tests/data/release-<version>.json            what the test needs to know: the day, a token, a complaint's
                                               tracking code and PIN (demo data, not secrets)

PostgreSQL: a throw-away database on the shared server (TAMBON_TEST_POSTGRES, as in tests/conftest.py),
dropped afterwards. Passwords hashes, public ids and tracking codes are random, so two runs differ; the
shapes and counts do not.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PG_ADMIN_URL = os.environ.get("TAMBON_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
DAY = "2026-11-24"  # the release day (a Tuesday); all activity happens on it, Bangkok time


def _activity() -> None:
    """Runs inside the release's code (child process): a morning at the office on DAY."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from kiosk import queue
    from tambon import create_app
    from tambon.auth import service as users
    from tambon.auth.models import User
    from tambon.db import get_session

    def at(hhmm: str) -> datetime:
        return datetime.fromisoformat(f"{DAY} {hhmm}").replace(tzinfo=ZoneInfo("Asia/Bangkok"))

    import tambon

    # The release's code must be what runs here, not the installed (current) one.
    assert Path(tambon.__file__).resolve().is_relative_to(Path.cwd().resolve()), tambon.__file__
    app = create_app()
    with app.app_context():
        from intake import complaints

        s = get_session()
        officer = s.scalar(select(User).where(User.username == "officer1"))
        minute = 0

        def tick() -> datetime:
            nonlocal minute
            minute += 1
            return at(f"09:{minute:02d}")

        for code, n in (("TAX", 6), ("WELFARE", 4), ("BUILD", 2), ("HELP", 2)):
            for i in range(n):
                queue.issue_ticket(s, code, priority=(code == "WELFARE" and i == 2), now=tick(), kiosk="kiosk-1")
        # Counter 1: served, no-show, then one left called; counter 2: served and rated, then parked;
        # counter 3: transferred to another service.
        queue.call_next(s, 1, now=tick())
        queue.start_service(s, 1, now=tick())
        served = queue.complete(s, 1, now=tick())
        queue.call_next(s, 1, now=tick())
        queue.no_show(s, 1, now=tick())
        queue.call_next(s, 1, now=tick())
        queue.call_next(s, 2, now=tick())
        rated = queue.complete(s, 2, now=tick())
        queue.rate_ticket(s, rated.public_id, 5, "บริการดีมาก", now=tick())
        queue.call_next(s, 2, now=tick())
        queue.park(s, 2, reason="ไปถ่ายเอกสาร", now=tick())
        queue.call_next(s, 3, now=tick())
        queue.transfer(s, 3, "WELFARE", now=tick())
        token = users.create_token(s, "counter1", "fixture")

        citizen = {"type": "complaint", "subject": "ไฟถนนดับ", "details": "ไฟถนนหน้าวัดดับมาสามคืนแล้ว ขอให้ซ่อม",
                   "place": "หมู่ 3", "contact": {"name": "สมหญิง ใจดี", "phone": "0812345678"}, "consent": True}
        first = complaints.submit(s, citizen, now=tick())
        complaints.acknowledge(s, first.tracking_code, officer, note="รับเรื่องแล้ว", now=tick())
        second = complaints.submit(s, {"type": "praise", "subject": "ขอบคุณ", "details": "เจ้าหน้าที่ช่อง 1 บริการดีมาก",
                                       "anonymous": True, "consent": True}, now=tick())
        print(json.dumps({"day": DAY, "token": token, "served": served.label,
                          "complaints": [{"tracking_code": first.tracking_code, "pin": first.pin,
                                          "status": "acknowledged"},
                                         {"tracking_code": second.tracking_code, "pin": second.pin,
                                          "status": "received"}]}))


def _run_release(source: Path, env: dict, *args: str) -> str:
    """Run the release's `tambon` CLI (or this file's activity mode) with the release's code first on the path."""
    code = ("import sys; sys.argv[0] = 'tambon'; from tambon.cli import main; main()" if args[0] != "--activity"
            else f"import runpy; import sys; sys.argv = ['x', '--activity']; runpy.run_path({str(__file__)!r}, "
                 "run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code, *(a for a in args if a != "--activity")], env=env,
                            cwd=source, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _extract(tag: str, into: Path) -> Path:
    archive = into / "release.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", "-o", str(archive), tag], check=True)
    source = into / "src"
    with tarfile.open(archive) as tar:
        tar.extractall(source, filter="data")
    return source


def _build(source: Path, tmp: Path, database_url: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(source), "DATABASE_URL": database_url, "PRINTER_URL": "none",
           "TAMBON_INSTANCE": str(tmp / f"instance-{uuid.uuid4().hex[:6]}"), "SECRET_KEY": "release-fixture"}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    _run_release(source, env, "db", "upgrade")
    _run_release(source, env, "demo")
    return json.loads(_run_release(source, env, "--activity").strip().splitlines()[-1])


def _sqlite(source: Path, tmp: Path, version: str) -> dict:
    path = tmp / "release.sqlite3"
    manifest = _build(source, tmp, f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        dump = "\n".join(conn.iterdump()) + "\n"
        manifest["revisions"] = sorted(r for r, in conn.execute("SELECT version_num FROM alembic_version"))
    (HERE / f"release-{version}.sqlite.sql").write_text(dump)
    return manifest


def _postgresql(source: Path, tmp: Path, version: str) -> dict:
    import psycopg

    name = f"tambon_fixture_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = re.sub(r"/[^/]*$", f"/{name}", PG_ADMIN_URL)
    try:
        manifest = _build(source, tmp, url)
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "--dbname", url], check=True,
                              capture_output=True, text=True).stdout
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    # pg_dump ≥ 15.14 brackets the script with \restrict <random key>; keep the file stable between runs.
    dump = re.sub(r"^\\(un)?restrict \S+$", r"\\\1restrict release-fixture", dump, flags=re.M)
    (HERE / f"release-{version}.postgresql.sql").write_text(dump)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tag", default="v0.1.0")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--activity", action="store_true", help=argparse.SUPPRESS)  # internal: child mode
    args = parser.parse_args()
    if args.activity:
        _activity()
        return
    version = args.tag.removeprefix("v")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source = _extract(args.tag, tmp)
        sqlite = _sqlite(source, tmp, version)
        manifest = {"release": args.tag, "revisions": sqlite.pop("revisions"), "sqlite": sqlite}
        if not args.no_postgres:
            manifest["postgresql"] = _postgresql(source, tmp, version)
    (HERE / f"release-{version}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote tests/data/release-{version}.* from {args.tag}")


if __name__ == "__main__":
    main()
