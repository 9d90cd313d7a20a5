"""The print worker yields the CPU (SCHED_IDLE) except while it holds the database's write lock (SCHED_BATCH):
every statement that writes runs inside ``PrintWorker.writing``, the hook the worker process sets."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from kiosk.printing.process import CpuPolicy
from tambon.db import get_engine
from tambon.thaidate import utcnow
from tests.kiosk.printing.conftest import worker
from tests.kiosk.printing.test_outbox import issue

pytestmark = pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="Linux scheduling policies only")


def in_a_thread(fn):
    """Scheduling policies are per thread: try them on one of our own, not on the test runner's."""
    out: dict = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test
            out["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_policy_is_idle_except_while_writing():
    def observe():
        policy = CpuPolicy()
        outside = os.sched_getscheduler(0)
        with policy.writing():
            inside = os.sched_getscheduler(0)
        return policy.idle, outside, inside, os.sched_getscheduler(0)

    idle, outside, inside, after = in_a_thread(observe)
    if not idle:  # not root and no CAP_SYS_NICE: SCHED_BATCH throughout
        assert outside == inside == after == os.SCHED_BATCH
    else:
        assert (outside, inside, after) == (os.SCHED_IDLE, os.SCHED_BATCH, os.SCHED_IDLE)


def test_every_write_of_the_worker_runs_inside_its_writing_hook(printing_app, printer):
    w = worker(printing_app)
    depth = 0
    writes: list[tuple[str, bool]] = []

    @contextmanager
    def writing():
        nonlocal depth
        depth += 1
        try:
            yield
        finally:
            depth -= 1

    def seen(_conn, _cursor, statement, *_args):
        verb = " ".join(statement.split()[:2]).upper()
        if verb.split()[0] in {"INSERT", "UPDATE", "DELETE"} or verb == "BEGIN IMMEDIATE":
            writes.append((verb, depth > 0))

    client = printing_app.test_client()
    for _ in range(3):
        issue(client)
    printer.stop()  # the first try fails: the failure path writes too
    with printing_app.app_context():
        engine = get_engine()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            w.writing = writing
            now = utcnow()
            assert w.drain_once(now) == 1  # fails: the printer is off; retried after the back-off
            printer.start()
            assert w.drain_once(now + timedelta(seconds=w.settings.retry_max + 1)) == 3
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert len(writes) >= 5  # claims, the failed try put back, the printed records
    assert all(inside for _, inside in writes), writes
