"""The SQLite write lock's ``flock`` half: how a server process waits while another one writes."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from functools import partial

import gevent
import pytest

from tambon.db import _other_requests_runner, take_flock


def _lock_file(path) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT, 0o600)


def test_a_gevent_worker_runs_its_other_requests_while_another_process_writes(tmp_path):
    """Two open files of one lock file conflict as two processes do. While the other "process" holds the
    lock, the writer keeps giving way to the other greenlets, and takes the lock once it is let go."""
    holder, waiter, third = (_lock_file(tmp_path / "w.lock") for _ in range(3))
    fcntl.flock(holder, fcntl.LOCK_EX)
    steps: list[str] = []

    def other_request():
        for n in range(3):
            steps.append(f"other {n}")
            gevent.sleep(0)
        steps.append("released")
        fcntl.flock(holder, fcntl.LOCK_UN)

    def writer():
        take_flock(waiter, partial(gevent.sleep, 0), spin_seconds=5)
        steps.append("took")

    # Should the writer block the thread instead (the greenlet above would never run), let go anyway after a
    # while: the order of the steps then shows it.
    fallback = threading.Timer(3.0, fcntl.flock, (holder, fcntl.LOCK_UN))
    fallback.start()
    done = gevent.joinall([gevent.spawn(writer), gevent.spawn(other_request)], timeout=10, raise_error=True)
    fallback.cancel()
    assert len(done) == 2
    assert steps == ["other 0", "other 1", "other 2", "released", "took"]
    with pytest.raises(BlockingIOError):  # the writer holds it now
        fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)
    for fd in (holder, waiter, third):
        os.close(fd)


def test_a_writer_that_has_tried_long_enough_waits_for_the_lock(tmp_path):
    """A write that holds the lock longer than the spin (the CLI's, a backup) is waited for, not polled."""
    holder, waiter = (_lock_file(tmp_path / "w.lock") for _ in range(2))
    fcntl.flock(holder, fcntl.LOCK_EX)
    tries: list[float] = []
    releaser = threading.Timer(0.3, fcntl.flock, (holder, fcntl.LOCK_UN))
    start = time.monotonic()
    releaser.start()
    take_flock(waiter, lambda: tries.append(time.monotonic()), spin_seconds=0.02)
    took = time.monotonic() - start
    releaser.join()
    assert took >= 0.29
    assert tries and tries[-1] - start < 0.25  # it stopped trying well before the lock came free
    os.close(holder)
    os.close(waiter)


def test_only_a_gevent_worker_gives_way_while_waiting_for_the_write_lock():
    """Threads (tests, the CLI, gthread) just block; a process gevent has patched (a `tambon serve` worker)
    runs its other greenlets in between."""
    assert _other_requests_runner() is None
    code = ("from gevent import monkey; monkey.patch_all()\n"
            "from tambon.db import _other_requests_runner\n"
            "run = _other_requests_runner(); assert run is not None; run(); print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
