"""The executive in the middle of a busy day: logs in, opens the dashboard, downloads the quarterly PDF
(bench/busy_day.py, bench/real_path.py). Runs in a thread of the benchmark's own process; records when each
request ran, so the counters' latency while it ran can be picked out of the load's timeline."""

from __future__ import annotations

import re
import threading
import time
from datetime import date

from bench.run import percentile

USER, PASSWORD = "executive", "demo-password"  # kiosk/demo.py


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the login page")
    return match.group(1)


class Executive(threading.Thread):
    """At wall-clock time `at`: the dashboard (this quarter), then the quarterly PDF of the last quarter."""

    def __init__(self, base: str, at: float):
        super().__init__(daemon=True)
        self.base, self.at = base, at
        self.requests: list[dict] = []
        self.error: str | None = None

    def run(self) -> None:
        import requests

        from tambon.thaidate import fiscal_quarter_of

        try:
            web = requests.Session()
            page = web.get(f"{self.base}/login", timeout=30)
            web.post(f"{self.base}/login", data={"username": USER, "password": PASSWORD,
                                                 "csrf_token": _csrf(page.text)}, timeout=30)
            fy, q = fiscal_quarter_of(date.today())
            fy, q = (fy, q - 1) if q > 1 else (fy - 1, 4)
            time.sleep(max(0.0, self.at - time.time()))
            for name, path in (("dashboard", "/reports/?preset=quarter"),
                               ("quarterly PDF", f"/reports/quarterly.pdf?fiscal_year={fy}&quarter={q}")):
                t0 = time.time()
                res = web.get(self.base + path, timeout=600)
                self.requests.append({"name": name, "start": t0, "end": time.time(), "status": res.status_code,
                                      "bytes": len(res.content)})
        except Exception as exc:  # reported with the figures, never hides them
            self.error = f"{exc.__class__.__name__}: {exc}"


COUNTER_OPS = ("next", "recall", "complete", "no_show", "transfer", "cycle")


def counters_during(http: dict, executive: Executive) -> dict:
    """Counter requests planned while the executive's requests ran, against the rest of the window."""
    spans = [(r["start"] - http["wall_start"], r["end"] - http["wall_start"]) for r in executive.requests]
    inside, outside, before = [], [], []
    each: list[list[float]] = [[] for _ in spans]  # which of the executive's requests the counters wait on
    first = min((a for a, _ in spans), default=float("inf"))
    for op in COUNTER_OPS:
        for when, ms in zip(http.get("timeline", {}).get(op, ()), http["latency"].get(op, ()), strict=False):
            (inside if any(a <= when <= b for a, b in spans) else outside).append(ms)
            if when < first:
                before.append(ms)  # the day before the executive came: the baseline
            for n, (a, b) in enumerate(spans):
                if a <= when <= b:
                    each[n].append(ms)
    for request, during in zip(executive.requests, each, strict=True):
        request.update(counters_n=len(during), counters_p50=percentile(during, 50),
                       counters_p99=percentile(during, 99))
    return {"requests": executive.requests, "error": executive.error,
            "inside_n": len(inside), "inside_p50": percentile(inside, 50), "inside_p99": percentile(inside, 99),
            "inside_max": max(inside) if inside else float("nan"),
            "outside_n": len(outside), "outside_p99": percentile(outside, 99),
            "before_n": len(before), "before_p50": percentile(before, 50), "before_p99": percentile(before, 99)}


def add_history(url: str, instance_dir: str, tickets: int, complaints: int = 20_000, days: int = 365) -> dict:
    """Years of office history before today (bench/report_scale.py's generator), rolled up as the night job
    leaves it. Returns seconds taken."""
    from datetime import timedelta

    from bench.report_scale import _rollup, generate
    from tambon import create_app
    from tambon.db import get_session

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance_dir, "PRINTER_URL": "none"})
    engine = app.extensions["tambon.engine"]
    first = date.today() - timedelta(days=days)
    generated = generate(engine, tickets, complaints, first, days)
    with app.app_context():
        rollup = _rollup(get_session())
    if engine.dialect.name == "sqlite":  # an office's database is checkpointed; a WAL of gigabytes is not one
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return {"tickets": tickets, "generate_s": round(generated, 1), "rollup_s": rollup}
