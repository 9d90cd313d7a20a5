"""`python -m bench.busy_day` for a few seconds on SQLite: it produces figures and finds no integrity fault.

Keeps the benchmark from rotting between `make bench` runs (the figures themselves are not checked: a CI
machine's speed says nothing)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_busy_day_runs_and_finds_no_fault(tmp_path):
    out = tmp_path / "summary.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.busy_day", "--configs", "sqlite", "--seconds", "3", "--warmup", "1",
         "--displays", "6", "--display-procs", "1", "--grouped-displays", "2", "--load-procs", "1",
         "--history", "3000", "--no-write", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text())["sqlite"]
    assert figures["faults"] == 0
    assert figures["integrity"]["tickets"] > 0
    for op in ("issue", "next", "ticket", "queue"):
        assert figures["endpoints"][op]["n"] > 0, op
        assert figures["endpoints"][op]["p99"] > 0, op
    assert figures["errors"] == {}
    assert figures["server_cpu"] > 0 and figures["rss_end"] > 0
    # the executive's dashboard and quarterly PDF ran in the middle, and the day's tickets were printed
    assert [(r["name"], r["status"]) for r in figures["executive"]["requests"]] == [
        ("dashboard", 200), ("quarterly PDF", 200)], figures["executive"]
    assert figures["executive"]["inside_n"] + figures["executive"]["outside_n"] > 0
    assert figures["printing"]["states"].get("printed", 0) > 0
    display = figures["display"]
    assert display["n"] > 0 and display["missed"] == 0 and display["disconnects"] == 0


@pytest.mark.skipif(not hasattr(__import__("os"), "SCHED_BATCH"), reason="SCHED_BATCH is Linux's")
def test_a_saturation_load_generator_yields_to_the_server():
    """bench.load.yield_to_the_server puts its process (a load generator) under SCHED_BATCH, and nothing else."""
    code = ("import os; from bench.load import yield_to_the_server as y; before = os.sched_getscheduler(0); "
            "print(before, y(), os.sched_getscheduler(0), os.SCHED_OTHER, os.SCHED_BATCH)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    before, switched, after, other, batch = done.stdout.split()
    assert (before, switched, after) == (other, "True", batch)
    import os

    assert os.sched_getscheduler(0) == os.SCHED_OTHER  # this process (the tests') is untouched


def test_a_kept_history_is_named_by_everything_that_made_it(tmp_path):
    """busy_day --history-cache copies a kept history only when its inputs are unchanged."""
    from bench.pg import HISTORY_INPUTS, history_template_name

    for name in HISTORY_INPUTS:
        path = tmp_path / (f"{name}/versions/0001.py" if "." not in name else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# v1\n")
    first = history_template_name(tmp_path, tickets=1000, counters=30)
    assert first == history_template_name(tmp_path, tickets=1000, counters=30)
    assert first != history_template_name(tmp_path, tickets=2000, counters=30)
    (tmp_path / "migrations/versions/0002.py").write_text("# a new migration\n")
    second = history_template_name(tmp_path, tickets=1000, counters=30)
    assert second != first
    (tmp_path / "reports/facts.py").write_text("# v2\n")
    assert history_template_name(tmp_path, tickets=1000, counters=30) not in (first, second)
