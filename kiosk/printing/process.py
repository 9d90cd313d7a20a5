"""The printer worker as a process of its own (the supervisor that keeps it running: tambon/supervisor.py).

`tambon serve` starts ``tambon printer run`` beside the web server and restarts it whenever it dies, so
rendering and sending tickets never take CPU from a request handler's process (it runs as SCHED_IDLE:
only on a core nothing else wants — see CpuPolicy). The web server wakes it after each issue or reprint
with one datagram on a Unix socket in the instance folder; without a wake-up it still looks for due jobs
every PRINT_POLL_SECONDS. The outbox protocol (outbox.py) is the same in both places: the job row is the
truth, claims are committed before a byte is sent, a worker killed mid-send leaves a job that the next
worker retires and reprints as สำเนา / COPY.

PRINT_WORKER picks where the worker runs: "process" (what `tambon serve` sets for its server processes)
or "thread" inside the app (the default: the development server and tests).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tambon.supervisor import say_done

log = logging.getLogger(__name__)

WAKE_SOCKET = "printer-wake.sock"
STATE_FILE = "printer-worker.json"
# How the worker yields the CPU (Linux; see CpuPolicy): SCHED_IDLE, so that printing runs only on a core no
# request and no other program wants — issuing and serving never slow down for it, the backlog prints
# after — except while it holds the database's write lock: then SCHED_BATCH, so that a counter waiting
# for that lock never waits behind a worker that waits for the CPU. Not a lower nice value by default.
DEFAULT_NICE = 0


def wake_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / WAKE_SOCKET


def state_path(instance_path: str | Path) -> Path:
    return Path(instance_path) / STATE_FILE


def wake(instance_path: str | Path) -> bool:
    """Tell a worker process that a job is waiting. Never blocks; False when no worker listens."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.setblocking(False)
        try:
            sock.sendto(b"!", str(wake_path(instance_path)))
        except OSError:  # no worker (yet), or its queue is full of wake-ups already: either way it will look
            return False
    return True


def worker_state(instance_path: str | Path) -> dict | None:
    """What the worker process last wrote about itself (pid, heartbeat), if that process still lives."""
    try:
        state = json.loads(state_path(instance_path).read_text())
        os.kill(int(state["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state


def run(worker, instance: str | Path, *, stop: threading.Event | None = None,
        exit_with_parent: bool = False) -> None:
    """Drain the outbox (the app's kiosk.printing.outbox.PrintWorker) until stopped (SIGTERM / SIGINT, or
    `stop`), waking on each datagram."""
    stop = stop or threading.Event()
    parent = os.getppid()
    path = wake_path(instance)
    path.unlink(missing_ok=True)
    inbox = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    inbox.bind(str(path))
    os.chmod(path, 0o600)
    state = state_path(instance)

    def heartbeat() -> None:
        tmp = state.with_suffix(".tmp")
        tmp.write_text(json.dumps({"pid": os.getpid(), "heartbeat": time.time()}))
        os.replace(tmp, state)

    worker.warm_up()
    try:
        while not stop.is_set():
            heartbeat()
            more_due = False
            try:
                more_due = worker.drain_once() >= worker.pass_jobs
            except Exception:  # the database may be briefly unavailable: try again shortly
                log.exception("print worker pass failed")
            if exit_with_parent and os.getppid() != parent:
                log.warning("the server that started the print worker is gone: stopping")
                return
            if more_due:  # the pass ended at its limit, not at an empty outbox: the next one at once
                continue
            inbox.settimeout(worker.settings.poll)
            try:
                inbox.recv(64)
                inbox.setblocking(False)
                while True:  # several wake-ups at once mean one more pass
                    inbox.recv(64)
            except (TimeoutError, BlockingIOError, InterruptedError):
                pass
    finally:
        inbox.close()
        path.unlink(missing_ok=True)
        state.unlink(missing_ok=True)


class CpuPolicy:
    """The print worker's scheduling: SCHED_IDLE while it renders and sends, SCHED_BATCH while it holds the
    database's write lock (:meth:`writing`). Going back from SCHED_IDLE needs root or CAP_SYS_NICE; a worker
    without either runs as SCHED_BATCH throughout (its wake-ups still never preempt a request)."""

    def __init__(self) -> None:
        self.idle = False
        if not hasattr(os, "SCHED_IDLE"):
            return
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))  # may it come back? (privilege)
        except PermissionError:
            log.info("print worker: no CAP_SYS_NICE, so it runs as SCHED_BATCH (not SCHED_IDLE)")
            return
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        self.idle = True

    @contextmanager
    def writing(self) -> Iterator[None]:
        if not self.idle:
            yield
            return
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
        try:
            yield
        finally:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))

    @property
    def name(self) -> str:
        return "SCHED_IDLE (SCHED_BATCH while writing)" if self.idle else "SCHED_BATCH"


def run_cli(worker, instance: str | Path, *, nice: int, exit_with_parent: bool) -> int:
    """`tambon printer run`: 0 when nothing is configured to print (the supervisor then leaves it be)."""
    if not worker.enabled:
        print("ไม่มีเครื่องพิมพ์ (PRINTER_URL=none) / nothing to print on (PRINTER_URL=none)", flush=True)
        say_done()
        return 0
    if nice:
        os.nice(nice)
    policy = CpuPolicy()
    worker.writing = policy.writing
    stop = threading.Event()

    def stop_soon(*_args) -> None:
        stop.set()
        wake(instance)  # out of the wait for a wake-up at once

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop_soon)
    print(f"print worker running (pid {os.getpid()}, {policy.name})", flush=True)
    run(worker, instance, stop=stop, exit_with_parent=exit_with_parent)
    if stop.is_set():
        say_done()
        print(f"print worker stopped (pid {os.getpid()})", flush=True)
    return 0
