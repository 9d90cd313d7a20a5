"""Start the real server (`tambon serve`, gunicorn) as a subprocess for integration tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import requests

from tests.command import run_tambon

TAMBON = str(Path(sys.executable).with_name("tambon"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict, port: int | None = None, log: Path | None = None):
        # The report worker process only where a test asks for it (REPORTS_WORKER=process): each one costs
        # seconds of CPU to start, and most served tests are about something else.
        self.env = {**os.environ, "REPORTS_WORKER": "inline", **env}
        self.log = log  # where `tambon serve` writes its stderr (warnings, gunicorn's log); None: dropped
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, stdin: str | None = None) -> str:
        """A `tambon` command on this server's instance and database (in the test's process)."""
        result = run_tambon(self.env, *args, stdin=stdin)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self, timeout: float = 30) -> Server:
        with open(self.log, "wb") if self.log else nullcontext(subprocess.DEVNULL) as stderr:
            self.proc = subprocess.Popen([TAMBON, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                                         env=self.env, stdout=subprocess.DEVNULL, stderr=stderr,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start" + (": " + self.log.read_text(errors="replace")[-2000:]
                                                     if self.log else ""))

    def kill(self) -> None:
        """SIGKILL the whole process group (gunicorn arbiter and worker): no chance to clean up."""
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None

    def stop(self) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
            self.proc = None
