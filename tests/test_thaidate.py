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
