"""Working days and deadlines: weekends, Thai public holidays (fixed-date ones by rule, the rest from the
``holidays`` table or COMPLAINT_HOLIDAYS), and the office's deadline rules.

Counting (documented in README "Deadlines"):
- "within N working days" of a complaint received on local date R = the end (23:59:59 local) of the N-th
  working day after R. Received Friday evening with N = 1 → due Monday; received Saturday → due Monday.
- "within M calendar days" = end of R + M days; when that day is not a working day the deadline moves to
  the next working day (as the Administrative Procedure Act s. 64 counts periods).
- Fixed-date national holidays that fall on a Saturday or Sunday get a substitute day (วันหยุดชดเชย): the
  next day that is neither weekend nor holiday. Rows of the ``holidays`` table are taken as given: the
  cabinet announces lunar holidays and special days off each year; add them with
  ``tambon complaints holiday add``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import Holiday
from intake.settings import Deadline, IntakeSettings
from tambon.thaidate import zone

# (month, day, Thai name, English name): official holidays of Thai government offices on fixed dates.
FIXED_HOLIDAYS = (
    (1, 1, "วันขึ้นปีใหม่", "New Year's Day"),
    (4, 6, "วันจักรี", "Chakri Memorial Day"),
    (4, 13, "วันสงกรานต์", "Songkran"),
    (4, 14, "วันสงกรานต์", "Songkran"),
    (4, 15, "วันสงกรานต์", "Songkran"),
    (5, 4, "วันฉัตรมงคล", "Coronation Day"),
    (6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี", "Queen Suthida's Birthday"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว", "King's Birthday"),
    (8, 12, "วันแม่แห่งชาติ", "Mother's Day"),
    (10, 13, "วันนวมินทรมหาราช", "King Bhumibol Memorial Day"),
    (10, 23, "วันปิยมหาราช", "Chulalongkorn Day"),
    (12, 5, "วันพ่อแห่งชาติ", "Father's Day"),
    (12, 10, "วันรัฐธรรมนูญ", "Constitution Day"),
    (12, 31, "วันสิ้นปี", "New Year's Eve"),
)
WEEKEND = (5, 6)  # Saturday, Sunday (date.weekday())


def fixed_holidays(year: int) -> dict[date, str]:
    """Fixed-date holidays of a (Gregorian) year plus their substitute days."""
    days = {date(year, m, d): th for m, d, th, _en in FIXED_HOLIDAYS}
    result = dict(days)
    for day in sorted(days):
        if day.weekday() in WEEKEND:
            sub = day + timedelta(days=1)
            while sub.weekday() in WEEKEND or sub in result:
                sub += timedelta(days=1)
            result[sub] = f"ชดเชย{days[day]}"
    return result


class WorkingCalendar:
    def __init__(self, holidays: Iterable[date] = (), *, builtin: bool = True):
        self.holidays = set(holidays)
        self.builtin = builtin
        self._years: set[int] = set()

    def _ensure_year(self, year: int) -> None:
        if self.builtin:
            for y in (year - 1, year, year + 1):  # a substitute day may spill into the next year
                if y not in self._years:
                    self._years.add(y)
                    self.holidays.update(fixed_holidays(y))

    def is_working_day(self, day: date) -> bool:
        self._ensure_year(day.year)
        return day.weekday() not in WEEKEND and day not in self.holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n = 0: ``day`` itself if working, else the next one)."""
        if n == 0:
            return self.roll_forward(day)
        current, left = day, n
        while left:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def roll_forward(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count


def load_calendar(session: Session, settings: IntakeSettings) -> WorkingCalendar:
    days = set(session.scalars(select(Holiday.day)))
    for text in settings.extra_holidays:
        days.add(date.fromisoformat(text))
    return WorkingCalendar(days, builtin=settings.builtin_holidays)


def end_of_local_day(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone(tz)).astimezone(UTC)


def due_dates(calendar: WorkingCalendar, received_on: date, deadline: Deadline) -> tuple[date, date]:
    """(acknowledge-by date, answer-by date) for a complaint received on a local date."""
    ack = calendar.add_working_days(received_on, deadline.ack_working_days)
    if deadline.answer_in_working_days:
        answer = calendar.add_working_days(received_on, deadline.answer_days)
    else:
        answer = calendar.roll_forward(received_on + timedelta(days=deadline.answer_days))
    return ack, answer
