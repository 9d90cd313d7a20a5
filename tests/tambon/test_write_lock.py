"""The SQLite write lock's ``flock`` half: how a server process waits while another one writes."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys

import pytest

from tambon.db import take_flock

# A gevent worker (patched) whose writer waits for a lock another "process" holds (two open files of one lock
# file conflict as two processes do): its other greenlet keeps running meanwhile and lets the lock go.
GEVENT_WORKER = """
from gevent import monkey; monkey.patch_all()
import fcntl, os, sys, gevent
from tambon.db import take_flock
path = sys.argv[1]
holder, waiter = (os.open(path, os.O_RDWR | os.O_CREAT, 0o600) for _ in range(2))
fcntl.flock(holder, fcntl.LOCK_EX)
steps = []
def writer():
    take_flock(waiter)
    steps.append("took")
def other_request():
    for n in range(3):
        steps.append(f"other {n}")
        gevent.sleep(0)
    steps.append("released")
    fcntl.flock(holder, fcntl.LOCK_UN)
gevent.joinall([gevent.spawn(writer), gevent.spawn(other_request)], raise_error=True)
print(" | ".join(steps))
"""


def test_a_gevent_worker_runs_its_other_requests_while_another_process_writes(tmp_path):
    done = subprocess.run([sys.executable, "-c", GEVENT_WORKER, str(tmp_path / "w.lock")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "other 0 | other 1 | other 2 | released | took"


def test_the_writer_holds_the_lock_until_it_lets_go(tmp_path):
    writer, other = (os.open(tmp_path / "w.lock", os.O_RDWR | os.O_CREAT, 0o600) for _ in range(2))
    take_flock(writer)
    with pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.flock(writer, fcntl.LOCK_UN)
    take_flock(other)
    for fd in (writer, other):
        os.close(fd)
