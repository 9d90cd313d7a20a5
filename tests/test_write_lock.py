"""The SQLite write lock's ``flock`` half: how a server process waits while another one writes."""

from __future__ import annotations

import fcntl
import os
import threading
from functools import partial

import gevent
import pytest

from tambon.db import take_flock
from tests.waiting import blocked_on_flock, wait_until


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
    holder, waiter, third = (_lock_file(tmp_path / "w.lock") for _ in range(3))
    fcntl.flock(holder, fcntl.LOCK_EX)
    tries: list[int] = []
    writer = threading.Thread(target=take_flock, args=(waiter, lambda: tries.append(1)), kwargs={"spin_seconds": 0.02})
    writer.start()
    wait_until(lambda: blocked_on_flock(os.getpid()), what="the writer blocked in flock()")
    tries_when_blocked = len(tries)
    fcntl.flock(holder, fcntl.LOCK_UN)
    writer.join(10)
    assert not writer.is_alive()
    assert tries and len(tries) == tries_when_blocked  # it stopped trying once it waited in the kernel
    with pytest.raises(BlockingIOError):  # the writer holds it now
        fcntl.flock(third, fcntl.LOCK_EX | fcntl.LOCK_NB)
    for fd in (holder, waiter, third):
        os.close(fd)
