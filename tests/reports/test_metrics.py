"""Every queue figure of the known history (tests/reports/conftest.py), on SQLite and on PostgreSQL."""

from datetime import date

import pytest

from reports.metrics import queue_figures
from tambon.db import get_session
from tambon.thaidate import fiscal_quarter_bounds

DUR = ("n", "mean", "median", "p90", "max")


def _d(row, which):
    return tuple(row[which][k] for k in DUR)


def _by(rows, code):
    return next(r for r in rows if r["code"] == code)


def test_quarter_one_of_2570_every_figure(history_app):
    with history_app.app_context():
        start, end = fiscal_quarter_bounds(2570, 1)
        assert (start, end) == (date(2026, 10, 1), date(2026, 12, 31))
        f = queue_figures(get_session(), start, end)
    t = f["totals"]
    # T1 (issued 23:40 on 30 Sep, completed after midnight) is not here: it belongs to fiscal 2569.
    assert {k: t[k] for k in ("issued", "served", "no_show", "transferred", "cancelled", "open", "priority",
                              "served_within_target", "rated")} == {
        "issued": 7, "served": 4, "no_show": 1, "transferred": 1, "cancelled": 1, "open": 1, "priority": 1,
        "served_within_target": 2, "rated": 2}
    assert t["priority_share"] == round(1 / 7, 4)
    assert t["served_within_target_share"] == 0.5
    assert t["rating_mean"] == 4.0
    # Waits 10, 10, 10, 20, 30 min; p90 = 20 + 0.6 × (30 − 20) = 26 min.
    assert _d(t, "wait") == (5, 960.0, 600.0, 1560.0, 1800.0)
    # Service 10, 20, 20 (T5: first call 09:30 → completed 09:50 across the transfer), 30 min.
    assert _d(t, "service") == (4, 1200.0, 1200.0, 1620.0, 1800.0)

    tax, welfare, build, help_ = (_by(f["by_service"], c) for c in ("TAX", "WELFARE", "BUILD", "HELP"))
    assert (tax["issued"], tax["served"], tax["open"], tax["priority"]) == (3, 2, 1, 1)
    assert _d(tax, "wait") == (2, 1200.0, 1200.0, 1680.0, 1800.0)
    assert _d(tax, "service") == (2, 900.0, 900.0, 1140.0, 1200.0)
    assert (welfare["issued"], welfare["served"], welfare["no_show"]) == (2, 1, 1)
    assert _d(welfare, "wait") == (2, 600.0, 600.0, 600.0, 600.0)
    assert (build["issued"], build["cancelled"], build["wait"]["n"]) == (1, 1, 0)
    assert (help_["issued"], help_["served"], help_["transferred"]) == (1, 1, 1)
    assert help_["service"]["median"] == 1200.0

    counters = {r["key"]: r for r in f["by_counter"]}
    assert set(counters) == {1, 2, 3, None}
    assert _d(counters[1], "wait") == (2, 1200.0, 1200.0, 1680.0, 1800.0)   # T3, T2
    assert _d(counters[2], "wait") == (2, 900.0, 900.0, 1140.0, 1200.0)     # T4, T5
    assert (counters[2]["served"], counters[2]["no_show"]) == (1, 1)
    assert _d(counters[3], "service") == (1, 1800.0, 1800.0, 1800.0, 1800.0)
    assert counters[None]["issued"] == 2                                    # T6 cancelled, T7 never called

    staff = {r["code"]: r for r in f["by_staff"]}
    assert staff["counter1"]["issued"] == 2 and staff["counter1"]["served"] == 2
    assert staff["admin"]["issued"] == 2 and staff["admin"]["no_show"] == 1
    assert staff[""]["issued"] == 3                                          # counter 3 without a user + not called

    # Local weekday and hour: T8 issued 00:10 Friday local (= Thursday 17:10 UTC).
    weekdays = {r["key"]: r["issued"] for r in f["by_weekday"]}
    assert weekdays == {4: 6, 5: 1}
    hours = {r["key"]: r for r in f["by_hour"]}
    assert {h: r["issued"] for h, r in hours.items()} == {0: 1, 8: 3, 9: 1, 10: 1, 16: 1}
    assert _d(hours[8], "wait") == (3, 1000.0, 600.0, 1560.0, 1800.0)
    assert f["heatmap"] == {"hours": [0, 8, 9, 10, 16], "rows": [{"weekday": 4, "counts": [0, 3, 1, 1, 1]},
                                                                {"weekday": 5, "counts": [1, 0, 0, 0, 0]}]}
    assert f["daily"] == [{"day": "2026-10-01", "issued": 6, "served": 3, "mean_wait": 1050.0},
                          {"day": "2026-10-02", "issued": 1, "served": 1, "mean_wait": 600.0}]
    assert f["busiest_days"] == [{"day": "2026-10-01", "issued": 6}, {"day": "2026-10-02", "issued": 1}]
    assert [(w["ticket"], w["day"], w["hour"], w["wait"]) for w in f["worst_waits"]] == [
        ("A001", "2026-10-01", 8, 1800.0), ("D001", "2026-10-01", 9, 1200.0), ("A002", "2026-10-01", 8, 600.0),
        ("B001", "2026-10-01", 8, 600.0), ("B001", "2026-10-02", 0, 600.0)]
    assert [h["key"] for h in f["worst_hours"]] == [8, 9, 0]
    lanes = {r["key"]: r for r in f["by_priority"]}
    assert (lanes[True]["issued"], _d(lanes[True], "wait")) == (1, (1, 600.0, 600.0, 600.0, 600.0))
    assert (lanes[False]["issued"], lanes[False]["wait"]["median"]) == (6, 900.0)
    assert f["ratings"] == {"count": 2, "mean": 4.0, "distribution": {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}}


def test_fiscal_and_midnight_boundaries(history_app):
    with history_app.app_context():
        session = get_session()
        q4 = queue_figures(session, *fiscal_quarter_bounds(2569, 4))
        day1 = queue_figures(session, date(2026, 10, 1), date(2026, 10, 1))
        day2 = queue_figures(session, date(2026, 10, 2), date(2026, 10, 2))
        strict = queue_figures(session, *fiscal_quarter_bounds(2570, 1), target_wait_minutes=5)
    # The ticket of 30 Sep 23:40 is fiscal 2569 Q4 even though it was completed on 1 Oct.
    assert (q4["totals"]["issued"], q4["totals"]["served"]) == (1, 1)
    assert _d(q4["totals"], "wait") == (1, 600.0, 600.0, 600.0, 600.0)
    assert _d(q4["totals"], "service") == (1, 900.0, 900.0, 900.0, 900.0)
    assert q4["by_hour"][0]["key"] == 23
    # The ticket of 2 Oct 00:10 local is 1 Oct in UTC: it still belongs to 2 Oct.
    assert day1["totals"]["issued"] == 6 and day2["totals"]["issued"] == 1
    assert strict["totals"]["served_within_target"] == 0


@pytest.mark.parametrize("days", [0, 1])
def test_empty_period(app, office, days):
    with app.app_context():
        f = queue_figures(get_session(), date(2020, 1, 1), date(2020, 1, 1 + days))
    assert f["totals"]["issued"] == 0 and f["totals"]["wait"]["median"] is None
    assert f["by_service"] == [] and f["heatmap"] == {"hours": [], "rows": []}


def test_end_before_start_is_refused(app):
    with app.app_context(), pytest.raises(ValueError):
        queue_figures(get_session(), date(2026, 2, 1), date(2026, 1, 1))
