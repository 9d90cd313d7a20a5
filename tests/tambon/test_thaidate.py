from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tambon import thaidate
from tests.conftest import at


def test_format_in_buddhist_era():
    assert thaidate.format_datetime(at("2026-11-24 14:05")) == "24 พ.ย. 2569 14:05"
    assert thaidate.format_date(date(2026, 11, 24), abbr=False) == "24 พฤศจิกายน 2569"


def test_business_date_uses_local_midnight():
    assert thaidate.business_date(at("2026-11-24 23:59")) == date(2026, 11, 24)
    assert thaidate.business_date(at("2026-11-25 00:00")) == date(2026, 11, 25)


def test_fiscal_year_and_quarters():
    assert thaidate.fiscal_year_bounds(2569) == (date(2025, 10, 1), date(2026, 9, 30))
    assert thaidate.fiscal_quarter_bounds(2569, 1) == (date(2025, 10, 1), date(2025, 12, 31))
    assert thaidate.fiscal_quarter_bounds(2569, 2) == (date(2026, 1, 1), date(2026, 3, 31))
    assert thaidate.fiscal_quarter_bounds(2569, 4) == (date(2026, 7, 1), date(2026, 9, 30))
    assert thaidate.fiscal_year_of(date(2026, 9, 30)) == 2569
    assert thaidate.fiscal_year_of(date(2026, 10, 1)) == 2570
    with pytest.raises(ValueError):
        thaidate.fiscal_quarter_bounds(2569, 5)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_is_in_exactly_its_fiscal_quarter(day):
    year, quarter = thaidate.fiscal_quarter_of(day)
    start, end = thaidate.fiscal_quarter_bounds(year, quarter)
    assert start <= day <= end
    first, last = thaidate.fiscal_year_bounds(year)
    assert first <= day <= last


def test_document_words_for_times_periods_and_durations():
    assert thaidate.format_time(at("2026-12-07 08:43")) == "08:43 น."
    assert thaidate.format_period(date(2026, 10, 1), date(2026, 12, 31)) == "1 ต.ค. 2569 – 31 ธ.ค. 2569"
    assert thaidate.format_month_span(date(2026, 10, 1), date(2027, 3, 31)) == "ตุลาคม 2569 – มีนาคม 2570"
    assert thaidate.format_minutes(1002) == "16.7 นาที" and thaidate.format_minutes(None) == "-"
    # 0.0534 hours and 0.0047 days (the dashboard's raw medians) as a person reads them
    assert thaidate.format_duration(0.0534 * 3600) == "3 นาที"
    assert thaidate.format_duration(0.0047 * 86400) == "7 นาที"
    assert thaidate.format_duration(4.5 * 3600) == "4 ชั่วโมง 30 นาที"
    assert thaidate.format_duration(3 * 3600) == "3 ชั่วโมง"
    assert thaidate.format_duration(8 * 86400) == "8 วัน" and thaidate.format_duration(2.5 * 86400) == "2.5 วัน"
    assert thaidate.format_duration(None) == "-"


@given(st.floats(min_value=0, max_value=400 * 86400, allow_nan=False))
def test_durations_never_print_long_floats(seconds):
    import re

    text = thaidate.format_duration(seconds)
    assert re.fullmatch(r"\d+ นาที|\d+ ชั่วโมง( \d+ นาที)?|\d+(\.\d)? วัน", text), text
