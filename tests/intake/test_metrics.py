"""complaint_figures and overdue_now, exact on a known history, on SQLite and PostgreSQL; the public
statistics page."""

from __future__ import annotations

from datetime import date

import pytest

from intake import complaints, metrics
from intake.settings import IntakeSettings
from tests.conftest import at
from tests.intake.conftest import body, db, setup_office, user

S = IntakeSettings()


def build_history(app) -> dict:
    with db(app) as s:
        officer, executive, counter = (user(s, n) for n in ("officer1", "executive", "counter1"))
        codes = {}
        codes["H"] = complaints.submit(s, body(subject="ตุลาคม"), now=at("2026-10-15 10:00")).tracking_code
        a = complaints.submit(s, body(subject="A ไฟดับ"), now=at("2026-11-02 09:00")).tracking_code
        complaints.acknowledge(s, a, officer, now=at("2026-11-02 13:00"))
        complaints.assign(s, a, officer, division="กองช่าง", settings=S, now=at("2026-11-02 14:00"))
        complaints.answer(s, a, officer, text="ซ่อมแล้ว", close=True, now=at("2026-11-10 09:00"))
        b = complaints.submit(s, body(subject="B ถนนพัง"), now=at("2026-11-03 10:00"))
        complaints.acknowledge(s, b.tracking_code, officer, now=at("2026-11-05 10:00"))
        complaints.answer(s, b.tracking_code, officer, text="ซ่อมแล้ว", now=at("2026-11-25 10:00"))
        complaints.reopen(s, b.tracking_code, b.pin, reason="ยังเป็นหลุมอยู่", settings=S, now=at("2026-11-26 09:00"))
        complaints.answer(s, b.tracking_code, officer, text="ซ่อมใหม่แล้ว", now=at("2026-12-01 10:00"))
        c = complaints.submit(s, body(type="question", subject="C สอบถาม", channel="phone"), staff_user=counter,
                              now=at("2026-11-10 14:00")).tracking_code
        d = complaints.submit(s, body(type="corruption", subject="D ทุจริต"), now=at("2026-11-11 09:00")).tracking_code
        complaints.acknowledge(s, d, executive, now=at("2026-11-11 11:00"))
        complaints.assign(s, d, executive, division="สำนักปลัด", assignee_id=officer.id, settings=S,
                          now=at("2026-11-11 12:00"))
        complaints.progress(s, d, officer, note="สอบข้อเท็จจริง", now=at("2026-11-12 09:00"))
        e = complaints.submit(s, body(type="corruption", subject="E ทุจริต"), now=at("2026-11-12 09:00")).tracking_code
        complaints.acknowledge(s, e, executive, now=at("2026-11-12 10:00"))
        complaints.reject(s, e, executive, reason="ไม่มีข้อมูลเพียงพอ", now=at("2026-11-13 09:00"))
        f = complaints.submit(s, body(type="praise", subject="F ชมเชย"), now=at("2026-11-30 23:30")).tracking_code
        g = complaints.submit(s, body(subject="G ธันวาคม"), now=at("2026-12-01 00:30")).tracking_code
        codes.update(A=a, B=b.tracking_code, C=c, D=d, E=e, F=f, G=g)
    return codes


EXPECTED_NOVEMBER = {
    "received": 6,
    "by_type": {"complaint": 2, "question": 1, "corruption": 2, "praise": 1},
    "by_channel": {"web": 5, "phone": 1},
    "by_division": {"กองช่าง": 1, "สำนักปลัด": 1, "": 4},
    "by_status": {"closed": 1, "answered": 1, "received": 2, "in_progress": 1, "rejected": 1},
    "acknowledged_on_time": 3,      # A, D, E (B acknowledged two days after receipt: late)
    "answered": 3,                  # A, B, E
    "answered_on_time": 2,          # A, E — B's first answer missed its original deadline (18 Nov)
    "open_overdue": 2,              # C (due 25 Nov), D (due 26 Nov); F is due 15 Dec
    "on_time_share": 0.4,           # 2 / (3 + 2)
    "median_hours_to_acknowledge": 3.0,   # 1, 2, 4, 48 hours
    "median_days_to_answer": 8.0,         # E 1 day, A 8 days, B 28 days (to its latest answer)
    "closed_not_solved": 1,               # B
    # ITA categories: complaints apart from the question (C) and the praise (F), which are not complaints.
    "general": {"total": 2, "completed": 2, "in_progress": 0, "answered_on_time": 1, "open_overdue": 0,
                "on_time_share": 0.5},                      # A on time, B late
    "staff_conduct": {"total": 0, "completed": 0, "in_progress": 0, "answered_on_time": 0, "open_overdue": 0,
                      "on_time_share": None},
    "corruption": {"total": 2, "completed": 1, "in_progress": 1, "answered_on_time": 1, "open_overdue": 1,
                   "on_time_share": 0.5},                   # E rejected on time, D open past its deadline
    "complaints": {"total": 4, "completed": 3, "in_progress": 1, "answered_on_time": 2, "open_overdue": 1,
                   "on_time_share": 0.5},
    "feedback": {"total": 2, "completed": 0, "in_progress": 2, "answered_on_time": 0, "open_overdue": 1,
                 "on_time_share": 0.0},                     # C (question) overdue, F (praise) not yet due
}


def test_complaint_figures_exact(any_app):
    setup_office(any_app)
    codes = build_history(any_app)
    with db(any_app) as s:
        figures = metrics.complaint_figures(s, date(2026, 11, 1), date(2026, 11, 30),
                                            as_of=at("2026-12-10 10:00"))
        assert figures.pop("first_received_at") == at("2026-10-15 10:00")
        assert figures == EXPECTED_NOVEMBER
        december = metrics.complaint_figures(s, date(2026, 12, 1), date(2026, 12, 31), as_of=at("2026-12-10 10:00"))
        assert december["received"] == 1 and december["by_type"] == {"complaint": 1}
        assert december["on_time_share"] is None and december["median_days_to_answer"] is None
        empty = metrics.complaint_figures(s, date(2026, 6, 1), date(2026, 6, 30))
        assert empty["received"] == 0 and empty["by_type"] == {} and empty["median_hours_to_acknowledge"] is None
        overdue = metrics.overdue_now(s, as_of=at("2026-12-10 10:00"))
        assert [(o["tracking_code"], o["type"], o["division"], o["days_overdue"]) for o in overdue] == [
            (codes["H"], "complaint", None, 41), (codes["C"], "question", None, 15), (codes["D"], "corruption", "สำนักปลัด", 14)]
        assert set(overdue[0]) == {"tracking_code", "type", "division", "due_at", "days_overdue", "confidential"}
        assert metrics.overdue_now(s, as_of=at("2026-12-10 10:00"), limit=2) == overdue[:2]  # the most overdue
        assert metrics.overdue_now_count(s, as_of=at("2026-12-10 10:00")) == 3
        assert metrics.by_source(s, date(2026, 11, 1), date(2026, 11, 30)) == {"": 6}


def test_public_stats_page(intake_app, iclient):
    build_history(intake_app)
    import re

    html = iclient.get("/complaints/stats?fy=2570").get_data(as_text=True)
    assert "ปีงบประมาณ 2570" in html
    november = re.search(r"พฤศจิกายน 2569</th>(.*?)</tr>", html, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", november)
    from tambon.thaidate import business_date, utcnow

    with db(intake_app) as s:  # the page counts up to today (F, received 30 Nov, may still be in the future)
        f = metrics.complaint_figures(s, date(2026, 11, 1), min(date(2026, 11, 30), business_date(utcnow())))
    expected = [str(f[c][n]) for c in ("general", "staff_conduct", "corruption")
                for n in ("total", "completed", "in_progress")]
    assert cells[:9] == expected == ["2", "2", "0", "0", "0", "0", "2", "1", "1"]
    assert cells[10] == "1"  # B: closed, not solved
    assert cells[11] == str(f["feedback"]["total"])  # the question and (once received) the praise: not complaints
    assert "คำถาม ข้อเสนอแนะ และคำชมเชย (ไม่ใช่เรื่องร้องเรียน)" in html
    fy69 = iclient.get("/complaints/stats?fy=2569").get_data(as_text=True)
    # FY 2569 (Oct 2025 – Sep 2026) had none: 12 months, 4 quarters, 2 halves and the year say so
    assert fy69.count("ไม่มีเรื่องร้องเรียนในช่วงเวลานี้") == 19
    for private in ("ไฟดับ", "ถนนพัง", "ทุจริต", "officer1", "ร้องเรียนพฤติกรรม"):
        assert private not in html.replace("การทุจริตและประพฤติมิชอบ", "")
    assert iclient.get("/complaints/stats?fy=abc").status_code == 200
    assert iclient.get("/complaints/stats?fy=1999").status_code == 422


def test_fiscal_periods_cover_the_thai_fiscal_year():
    periods = metrics.fiscal_periods(2570)
    assert [p["kind"] for p in periods].count("month") == 12
    assert periods[0]["start"] == date(2026, 10, 1) and periods[11]["end"] == date(2027, 9, 30)
    halves = [p for p in periods if p["kind"] == "half"]
    assert (halves[0]["end"], halves[1]["start"]) == (date(2027, 3, 31), date(2027, 4, 1))
    assert periods[-1]["label_th"] == "ทั้งปีงบประมาณ 2570"


@pytest.mark.parametrize("fy", [2570])
def test_stats_rows_match_figures(intake_app, fy):
    build_history(intake_app)
    with db(intake_app) as s:
        rows = metrics.public_table(s, fy, today=date(2026, 12, 10))
    nov = next(r for r in rows if r["kind"] == "month" and r["start"] == date(2026, 11, 1))
    assert nov["general"] == EXPECTED_NOVEMBER["general"]
    assert nov["complaints"]["total"] == 4 and nov["feedback"]["total"] == 2
    jan = next(r for r in rows if r["kind"] == "month" and r["start"] == date(2027, 1, 1))
    assert jan["future"] is True
    q1 = next(r for r in rows if r["kind"] == "quarter")
    assert q1["received"] == 8
