"""A private, throw-away PostgreSQL cluster (initdb in a temporary folder, its own port and socket folder), so a
test may restart or crash PostgreSQL without touching the machine's shared server.

Needs root (to run the server as the ``postgres`` account with ``runuser``) and PostgreSQL's server binaries
(``pg_config --bindir``, or /usr/lib/postgresql/*/bin). :func:`unavailable_reason` says why not, for a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.integration.server import free_port


def bindir() -> Path | None:
    candidates = []
    if shutil.which("pg_config"):
        found = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if found.returncode == 0:
            candidates.append(found.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def unavailable_reason() -> str | None:
    if os.geteuid() != 0:
        return "a private PostgreSQL cluster needs root (runuser -u postgres)"
    if shutil.which("runuser") is None:
        return "runuser not installed"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no 'postgres' system account"
    if bindir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) not found"
    return None


class PrivateCluster:
    """``with PrivateCluster() as pg: pg.create_database('x'); pg.restart('fast')``"""

    def __init__(self, fsync: bool = True):
        self.bin = bindir()
        assert self.bin is not None
        self.fsync = fsync
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="tambon-pgcluster-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        account = pwd.getpwnam("postgres")
        os.chown(self.root, account.pw_uid, account.pw_gid)

    def _as_postgres(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True,
                                timeout=timeout, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stdout}\n{result.stderr}\n"
                               f"{self.log.read_text() if self.log.exists() else ''}")

    def _pg_ctl(self, *args: str) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
                   + ("" if self.fsync else " -c fsync=off -c full_page_writes=off"))
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                          "-w", "-t", "30", *args)

    def start(self) -> PrivateCluster:
        self._as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                          "-E", "UTF8", "--locale=C", "--no-sync")
        self._pg_ctl("start")
        return self

    def restart(self, mode: str = "fast") -> float:
        """``pg_ctl restart -m MODE`` (fast: clients disconnected, clean shutdown; immediate: like a crash,
        recovery from the WAL on start). Returns the seconds until it accepts connections again."""
        began = time.monotonic()
        self._pg_ctl("-m", mode, "restart")
        return time.monotonic() - began

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._pg_ctl("-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PrivateCluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *_exc) -> None:
        self.stop()
