"""Companion processes of `tambon serve` (the print worker: `tambon printer run`), kept alive.

`tambon serve` starts ``python -m tambon.supervisor COMMAND…``: a small process of its own (not a thread of
gunicorn's master, which reaps every child it has and keeps a supervising thread from seeing its own child
die) that runs the companion, restarts it whenever it dies (with a growing pause if it keeps dying), and
stops it, and itself, when told to (SIGTERM) or when the server that started it is gone. A companion that
ends on purpose — nothing to do (no printer configured), or told to stop — says so by creating the file
named in TAMBON_DONE_FILE (:func:`say_done`); any other end is a death.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

RESTART_DELAYS = (0.2, 0.5, 1, 2, 5, 10)  # seconds before restarting a companion that keeps dying
DONE_FILE_ENV = "TAMBON_DONE_FILE"


def companion(*args: str) -> list[str]:
    """The command line of a `tambon` subcommand run by this same Python."""
    return [sys.executable, "-m", "tambon.cli", *args]


def say_done() -> None:
    """In a companion: it ends on purpose, do not restart it."""
    path = os.environ.get(DONE_FILE_ENV)
    if path:
        Path(path).touch()


class Supervisor:
    """Keeps one companion command alive: started with the server, restarted whenever it dies (with a
    growing pause if it keeps dying), stopped with the server. One that calls :func:`say_done` is left
    stopped."""

    def __init__(self, argv: list[str], env: dict | None = None):
        self.argv = argv
        fd, name = tempfile.mkstemp(prefix="tambon-companion-", suffix=".done")
        os.close(fd)
        self.done_file = Path(name)
        self.env = {**(os.environ if env is None else env), DONE_FILE_ENV: name}
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.parent: int | None = None  # as a process of its own: the server's pid

    def start(self) -> Supervisor:
        self._thread = threading.Thread(target=self.keep_alive, name="supervisor", daemon=True)
        self._thread.start()
        return self

    def keep_alive(self) -> None:
        failures = 0
        while not self.stopping.is_set():
            started = time.monotonic()
            self.done_file.unlink(missing_ok=True)
            self.proc = subprocess.Popen(self.argv, env=self.env)
            # Polled, so that a stop request or the server's end is noticed too.
            while (code := self.proc.poll()) is None and not self.stopping.wait(0.2):
                if self.parent is not None and os.getppid() != self.parent:
                    self.stopping.set()  # the server is gone: so are we (stop() ends the companion)
            if self.stopping.is_set() or self.done_file.exists():
                return
            failures = 0 if time.monotonic() - started > 60 else failures + 1  # a crash loop waits longer
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            log.warning("%s (pid %s) exited with %s; restarting in %.1f s", " ".join(self.argv[-3:]),
                        self.proc.pid, code, delay)
            if self.stopping.wait(delay):
                return
            self.restarts += 1

    def stop(self, timeout: float = 10) -> None:
        self.stopping.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._thread is not None:
            self._thread.join(timeout)
        self.done_file.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    """``python -m tambon.supervisor tambon-subcommand args…``: supervise it until SIGTERM or the parent's end."""
    import signal

    supervisor = Supervisor(companion(*argv))
    supervisor.parent = os.getppid()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: supervisor.stopping.set())
    supervisor.keep_alive()
    supervisor.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
