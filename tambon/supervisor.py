"""Companion processes of `tambon serve` (the print worker: `tambon printer run`), kept alive.

The supervisor is a thread of the serving command's own process (gunicorn's master), so it starts and
stops with the server. It learns that a companion died from the end of its output pipe rather than from
its exit status, because gunicorn's master reaps every child process it has, its workers' and ours alike.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time

log = logging.getLogger(__name__)

RESTART_DELAYS = (0.2, 0.5, 1, 2, 5, 10)  # seconds before restarting a companion that keeps dying
# A companion that ends on purpose (nothing to do, e.g. no printer configured; or told to stop by SIGTERM, as
# when the whole process group of the server is stopped) prints a line starting with this: no restart.
DONE = "[done]"


def companion(*args: str) -> list[str]:
    """The command line of a `tambon` subcommand run by this same Python."""
    return [sys.executable, "-m", "tambon.cli", *args]


class Supervisor:
    """Keeps one companion command alive: started with the server, restarted whenever it dies (with a
    growing pause if it keeps dying), stopped with the server. One that says DONE is left stopped."""

    def __init__(self, argv: list[str], env: dict | None = None):
        self.argv = argv
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Supervisor:
        self._thread = threading.Thread(target=self._keep_alive, name="supervisor", daemon=True)
        self._thread.start()
        return self

    def _keep_alive(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            started = time.monotonic()
            self.proc = subprocess.Popen(self.argv, env=self.env, stdout=subprocess.PIPE, text=True)
            done = False
            assert self.proc.stdout is not None
            for line in self.proc.stdout:  # until the worker's end closes: it has exited
                sys.stdout.write(line)
                done = done or line.startswith(DONE)
            code = self.proc.wait()
            if self._stopping.is_set() or done:
                return
            failures = 0 if time.monotonic() - started > 60 else failures + 1  # a crash loop waits longer
            delay = RESTART_DELAYS[min(failures, len(RESTART_DELAYS) - 1)]
            log.warning("%s (pid %s) exited with %s; restarting in %.1f s", " ".join(self.argv[-3:]),
                        self.proc.pid, code, delay)
            if self._stopping.wait(delay):
                return
            self.restarts += 1

    def stop(self, timeout: float = 10) -> None:
        self._stopping.set()
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._thread is not None:
            self._thread.join(timeout)
