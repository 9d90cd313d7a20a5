"""What every durable outbox shares (the print jobs of kiosk/printing, the notices of notify/): who claims
a row, whether that claimer is gone, how long to wait before the next try, and a worker thread's loop of passes.

A row is claimed by ``worker_id()`` ("host:pid") before anything leaves the machine; a claim whose process
is gone on this host may be taken over at once, one on another host only when its lease runs out."""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from collections.abc import Callable


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_gone(owner: str | None) -> bool:
    """True only for a claimer on this host whose process no longer exists (never for this process)."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only the lease can tell
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def backoff(base: float, ceiling: float, attempts: int) -> float:
    """Seconds before try number ``attempts + 1``: doubling from ``base`` up to ``ceiling``, with a little
    jitter so several workers do not retry in step."""
    delay = min(ceiling, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.9, 1.0)


def run_passes(drain_once: Callable[[], int], pass_jobs: int, *, stop: threading.Event, wake: threading.Event,
               poll: float, log: logging.Logger, name: str) -> None:
    """A worker thread's loop: a pass (drain_once, returning how many rows it tried), then a wait for a
    wake-up or `poll` seconds — unless the pass ended at its limit `pass_jobs`: then more are due, and the
    next pass starts at once. Until `stop` is set."""
    while not stop.is_set():
        try:
            if drain_once() >= pass_jobs:
                continue
        except Exception:  # the database may be briefly unavailable: try again shortly
            log.exception("%s pass failed", name)
        wake.wait(poll)
        wake.clear()
