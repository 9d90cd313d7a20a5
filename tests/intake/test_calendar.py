"""Deadline arithmetic across weekends, fixed-date holidays with substitute days, table holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake import complaints
from intake.calendar import WorkingCalendar, due_dates, fixed_holidays
from intake.models import Holiday
from intake.settings import Deadline, IntakeSettings, parse_deadlines
from tambon.db import write_transaction
from tambon.thaidate import business_date
from tests.conftest import at
from tests.intake.conftest import body

CAL = WorkingCalendar()
STANDARD = Deadline()  # acknowledge in 1 working day, answer in 15 calendar days rolled to a working day


@pytest.mark.parametrize(("received", "ack", "answer"), [
    (date(2026, 11, 24), date(2026, 11, 25), date(2026, 12, 9)),    # Tue → Wed; +15 = Wed 9 Dec
    (date(2026, 11, 27), date(2026, 11, 30), date(2026, 12, 14)),   # Fri → Mon; 12 Dec is a Saturday → Mon 14
    (date(2026, 11, 28), date(2026, 11, 30), date(2026, 12, 14)),   # received on a Saturday
    (date(2026, 12, 4), date(2026, 12, 8), date(2026, 12, 21)),     # Fri → Sat, Sun, Mon 7 Dec substitute → Tue 8
    (date(2026, 12, 9), date(2026, 12, 11), date(2026, 12, 24)),    # 10 Dec Constitution Day skipped
    (date(2026, 12, 16), date(2026, 12, 17), date(2027, 1, 4)),     # +15 = 31 Dec, 1 Jan, weekend → Mon 4 Jan
    (date(2026, 4, 10), date(2026, 4, 16), date(2026, 4, 27)),      # Fri before Songkran (13–15 Apr)
])
def test_standard_deadlines(received, ack, answer):
    assert due_dates(CAL, received, STANDARD) == (ack, answer)


def test_substitute_day_for_a_weekend_holiday():
    days = fixed_holidays(2026)
    assert date(2026, 12, 5) in days and date(2026, 12, 7) in days  # Sat 5 Dec → Mon 7 Dec
    assert "ชดเชย" in days[date(2026, 12, 7)]
    assert date(2027, 1, 1) in CAL.holidays or not CAL.is_working_day(date(2027, 1, 1))


def test_working_day_answer_deadline():
    deadline = Deadline(1, 15, answer_in_working_days=True)
    # 1 Dec … 23 Dec 2026 skipping weekends, the 7 Dec substitute day and 10 Dec
    assert due_dates(CAL, date(2026, 11, 30), deadline) == (date(2026, 12, 1), date(2026, 12, 23))


def test_table_holidays_and_config_holidays_count():
    cal = WorkingCalendar({date(2026, 12, 3)})  # e.g. a cabinet-announced day off
    assert due_dates(cal, date(2026, 12, 2), STANDARD)[0] == date(2026, 12, 4)
    assert not WorkingCalendar(builtin=False).holidays
    assert WorkingCalendar(builtin=False).is_working_day(date(2026, 12, 10))


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=40))
def test_add_working_days_property(start, n):
    result = CAL.add_working_days(start, n)
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(start, result) == n
    assert CAL.working_days_between(start, result - timedelta(days=1)) == n - 1


def test_local_date_decides_not_utc(isession):
    # Friday 23:30 in Bangkok is still Friday (16:30 UTC); Saturday 00:30 is Saturday. Both → Monday.
    fri = complaints.submit(isession, body(subject="เรื่องคืนวันศุกร์"), now=at("2026-11-27 23:30"))
    sat = complaints.submit(isession, body(subject="เรื่องเช้ามืดวันเสาร์"), now=at("2026-11-28 00:30"))
    thu = complaints.submit(isession, body(subject="เรื่องคืนวันพฤหัส"), now=at("2026-11-26 23:59"))
    assert business_date(fri.ack_due_at) == business_date(sat.ack_due_at) == date(2026, 11, 30)
    assert business_date(thu.ack_due_at) == date(2026, 11, 27)
    assert fri.ack_due_at == at("2026-11-30 23:59") + timedelta(seconds=59)


def test_holidays_table_is_used_by_submit(isession):
    with write_transaction(isession):
        isession.add(Holiday(day=date(2026, 11, 25), name_th="วันหยุดพิเศษ", name_en="Special day off"))
    r = complaints.submit(isession, body(), now=at("2026-11-24 10:00"))
    assert business_date(r.ack_due_at) == date(2026, 11, 26)


def test_deadlines_configurable_per_type(isession):
    settings = IntakeSettings(deadlines={"*": Deadline(), **parse_deadlines("question:2/5w,corruption:1/30c")})
    q = complaints.submit(isession, body(type="question", subject="สอบถาม"), settings=settings,
                          now=at("2026-11-24 10:00"))
    assert business_date(q.ack_due_at) == date(2026, 11, 26) and business_date(q.due_at) == date(2026, 12, 1)
    c = complaints.submit(isession, body(type="corruption", subject="ทุจริต"), settings=settings,
                          now=at("2026-11-24 10:00"))
    assert business_date(c.due_at) == date(2026, 12, 24)
    g = complaints.submit(isession, body(subject="ทั่วไป"), settings=settings, now=at("2026-11-24 10:00"))
    assert business_date(g.due_at) == date(2026, 12, 9)


@pytest.mark.parametrize("bad", ["question:1/5", "nosuchtype:1/5w", "question:x/5w", "question:1/0c", "junk"])
def test_bad_deadline_config_is_refused(bad):
    with pytest.raises(ValueError):
        parse_deadlines(bad)


def test_settings_from_environment_style_config():
    s = IntakeSettings.from_config({"COMPLAINT_DEADLINES": "*:1/15w", "COMPLAINT_DIVISIONS": "สำนักปลัด, กองช่าง",
                                    "COMPLAINT_HOLIDAYS": "2026-12-03", "COMPLAINT_BUILTIN_HOLIDAYS": "0"})
    assert s.deadline_for("praise") == Deadline(1, 15, True)
    assert s.divisions == ("สำนักปลัด", "กองช่าง") and s.extra_holidays == ("2026-12-03",)
    assert s.builtin_holidays is False
