"""A long SQLite read in a gevent server process (the executive's dashboard over years of tickets) lets the
process's other requests run and write meanwhile, instead of holding them until it ends (tambon/db.py).

Runs in a subprocess: monkey-patching the standard library cannot be undone in the test process."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from gevent import monkey
    monkey.patch_all()

    import sqlite3
    import gevent
    from sqlalchemy import text
    from tambon.db import make_engine

    path = sys.argv[1]
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE history (id INTEGER PRIMARY KEY, service INTEGER, wait INTEGER)")
        setup.executemany("INSERT INTO history (service, wait) VALUES (?, ?)",
                          ((i % 37, i % 1009) for i in range(600_000)))
        setup.execute("CREATE TABLE actions (id INTEGER PRIMARY KEY)")
    engine = make_engine(f"sqlite:///{path}")
    state = {"ready": False, "reading": False, "ticks": 0, "writes": 0}

    def counter():  # stands for a counter's requests: a tick and a small write, again and again
        with engine.connect() as conn:
            state["ready"] = True
            while state["reading"] is not None:
                if state["reading"]:
                    state["ticks"] += 1
                    conn.execute(text("INSERT INTO actions DEFAULT VALUES"))
                    conn.commit()
                    state["writes"] += 1
                gevent.sleep(0.001)

    def dashboard():
        with engine.connect() as conn:
            state["reading"] = True
            rows = conn.execute(text("SELECT service, COUNT(*), AVG(wait), SUM(wait * wait) FROM history "
                                     "WHERE wait % 3 <> 1 GROUP BY service")).all()
            state["reading"] = False
        return len(rows)

    background = gevent.spawn(counter)
    while not state["ready"]:  # the counter has its connection before the read begins
        gevent.sleep(0)
    groups = gevent.spawn(dashboard).get(timeout=120)
    state["reading"] = None
    background.join(10)
    print(groups, state["ticks"], state["writes"])
""")


def test_a_long_read_lets_the_other_requests_run_and_write(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "long.sqlite3")], capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    groups, ticks, writes = map(int, done.stdout.split())
    assert groups == 37
    # The counter kept working while the read ran (before the fix: not once until it had ended).
    assert ticks >= 5 and writes >= 5
