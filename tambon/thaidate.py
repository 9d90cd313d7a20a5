"""Thai calendar arithmetic in one place: local business dates, Buddhist-era years, fiscal years.

The office's day starts at local midnight (Asia/Bangkok by default), never at UTC midnight: a ticket
taken at 07:30 local time belongs to today, and one at 23:30 local still belongs to today too.
The Thai fiscal year runs 1 October – 30 September and is named by the Buddhist-era year it ends in:
fiscal 2569 = 1 Oct 2025 – 30 Sep 2026; Q1 = Oct–Dec.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

BE_OFFSET = 543

MONTHS_TH = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
             "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]
MONTHS_TH_ABBR = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
                  "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."]
WEEKDAYS_TH = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@lru_cache(maxsize=8)
def zone(name: str = "Asia/Bangkok") -> ZoneInfo:
    return ZoneInfo(name)


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(moment: datetime, tz: str = "Asia/Bangkok") -> datetime:
    if moment.tzinfo is None:  # stored values are naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(tz))


def business_date(moment: datetime, tz: str = "Asia/Bangkok") -> date:
    """The office's local calendar date of an instant."""
    return to_local(moment, tz).date()


def local_day_bounds(day: date, tz: str = "Asia/Bangkok") -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, as aware UTC instants."""
    start = datetime.combine(day, time.min, tzinfo=zone(tz))
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone(tz))
    return start.astimezone(UTC), end.astimezone(UTC)


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def ce_year(year_be: int) -> int:
    return year_be - BE_OFFSET


def thai_digits(text: str) -> str:
    return text.translate(THAI_DIGITS)


def format_date(day: date, *, abbr: bool = True) -> str:
    """24 พ.ย. 2569 (abbr) or 24 พฤศจิกายน 2569."""
    months = MONTHS_TH_ABBR if abbr else MONTHS_TH
    return f"{day.day} {months[day.month - 1]} {be_year(day.year)}"


def format_datetime(moment: datetime, tz: str = "Asia/Bangkok", *, abbr: bool = True) -> str:
    """24 พ.ย. 2569 14:05 in local time."""
    local = to_local(moment, tz)
    return f"{format_date(local.date(), abbr=abbr)} {local:%H:%M}"


def fiscal_year_of(day: date) -> int:
    """Buddhist-era fiscal year that contains the day (October starts the next fiscal year)."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[date, date]:
    """[first day, last day] of a Thai fiscal year given in Buddhist era."""
    end_ce = ce_year(fiscal_year_be)
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def fiscal_quarter_bounds(fiscal_year_be: int, quarter: int) -> tuple[date, date]:
    """[first day, last day] of quarter 1–4 (Q1 = Oct–Dec)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1, 2, 3 or 4")
    first, _ = fiscal_year_bounds(fiscal_year_be)
    start_month_index = first.month - 1 + 3 * (quarter - 1)  # months since January of first.year
    start = date(first.year + start_month_index // 12, start_month_index % 12 + 1, 1)
    end_index = start_month_index + 3
    next_start = date(first.year + end_index // 12, end_index % 12 + 1, 1)
    return start, next_start - timedelta(days=1)


def fiscal_quarter_of(day: date) -> tuple[int, int]:
    """(fiscal year BE, quarter) of a date."""
    return fiscal_year_of(day), ((day.month - 10) % 12) // 3 + 1


# --- words for documents: times and durations as a person reads them ---------------------------------------

def format_time(moment: datetime, tz: str = "Asia/Bangkok") -> str:
    """08:43 น. (local time)."""
    return f"{to_local(moment, tz):%H:%M} น."


def format_period(start: date, end: date, *, abbr: bool = True) -> str:
    """1 ต.ค. 2569 – 31 ธ.ค. 2569."""
    return f"{format_date(start, abbr=abbr)} – {format_date(end, abbr=abbr)}"


def format_month_span(start: date, end: date) -> str:
    """ตุลาคม 2569 – ธันวาคม 2569 (each month with its own year: a span may cross the calendar year)."""
    return f"{MONTHS_TH[start.month - 1]} {be_year(start.year)} – {MONTHS_TH[end.month - 1]} {be_year(end.year)}"


def _trim(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def format_minutes(seconds: float | None) -> str:
    """A wait or service time in minutes, one decimal: "16.7 นาที"; "-" when there is none."""
    return "-" if seconds is None else f"{seconds / 60:.1f} นาที"


def format_duration(seconds: float | None) -> str:
    """A longer span as a person says it: under an hour in minutes, under two days in hours and minutes,
    else in days with one decimal ("3 นาที", "4 ชั่วโมง 30 นาที", "8 วัน", "2.5 วัน"); "-" when none."""
    if seconds is None:
        return "-"
    seconds = max(0.0, float(seconds))
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} นาที"
    if seconds < 2 * 86400:
        hours, rest = divmod(minutes, 60)
        return f"{hours} ชั่วโมง" + (f" {rest} นาที" if rest else "")
    return f"{_trim(seconds / 86400)} วัน"
