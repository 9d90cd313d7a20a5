"""tambon/concurrency.py: CPU-heavy work leaves a gevent server's request loop free; elsewhere it is a call.

The gevent half runs in a subprocess, because monkey-patching the standard library cannot be undone in the
test process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from tambon.concurrency import cooperative, cpu_bound, run_cpu_bound, socketio_async_mode


def test_without_gevent_the_work_runs_in_the_calling_thread():
    assert not cooperative()
    assert socketio_async_mode() == "threading"
    assert run_cpu_bound(threading.get_ident) == threading.get_ident()
    assert cpu_bound(lambda a, *, b: a + b)(2, b=3) == 5
    with pytest.raises(ZeroDivisionError):
        run_cpu_bound(lambda: 1 / 0)


GEVENT_SCRIPT = textwrap.dedent("""
    from gevent import monkey
    monkey.patch_all()

    import threading, time
    import gevent
    from tambon.concurrency import cooperative, run_cpu_bound, socketio_async_mode

    assert cooperative() and socketio_async_mode() == "gevent"
    ticks = []

    def ticker():  # stands for the other requests of the process
        while len(ticks) < 50:
            ticks.append(1)
            gevent.sleep(0.001)

    def spin(deadline):
        # Pure CPU work that only ends early if the loop keeps running beside it.
        end = time.perf_counter() + deadline
        while time.perf_counter() < end and len(ticks) < 5:
            pass
        return len(ticks), threading.get_ident()

    loop_thread = threading.get_ident()
    gevent.spawn(ticker)
    gevent.sleep(0)  # the ticker runs once
    seen_on_loop, _ = spin(0.3)  # on the loop itself: the ticker is held
    seen_off_loop, thread = run_cpu_bound(spin, 10.0)
    try:
        run_cpu_bound(lambda: 1 / 0)
        raised = False
    except ZeroDivisionError:
        raised = True
    # Four reports drawing charts at once (matplotlib, imported after patching) all finish.
    from reports import charts
    drawn = gevent.joinall([gevent.spawn(charts.bar_chart, ["ก", "ข"], [1, i], title=str(i)) for i in range(4)],
                           timeout=30)
    charts_done = sum(1 for g in drawn if g.successful() and g.value[1:4] == b"PNG")
    print(seen_on_loop, seen_off_loop, thread != loop_thread, raised, charts_done)
""")


def test_under_gevent_cpu_work_runs_in_a_real_thread_while_the_loop_serves():
    done = subprocess.run([sys.executable, "-c", GEVENT_SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    seen_on_loop, seen_off_loop, other_thread, raised, charts_done = done.stdout.split()
    assert seen_on_loop == "1"  # a computation on the loop holds everyone else: the reason for the pool
    assert int(seen_off_loop) >= 5  # the loop ran beside the computation
    assert other_thread == "True"
    assert raised == "True"
    assert charts_done == "4"
