"""Month arithmetic has one home (servicedesk/months.py): the month close, the report, callbacks, dispatch figures
and resident service all count months the same way (Asia/Shanghai)."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk import months
from servicedesk.errors import DomainError

SH = ZoneInfo("Asia/Shanghai")


def test_months_either_side_and_the_last_day_across_years_and_leap_february():
    assert months.month_start(date(2026, 12, 15)) == months.first_day(date(2026, 12, 15)) == date(2026, 12, 1)
    assert months.next_month(date(2026, 12, 31)) == date(2027, 1, 1)
    assert months.previous_month(date(2027, 1, 31)) == date(2026, 12, 1)
    assert months.last_day(date(2028, 2, 10)) == date(2028, 2, 29)
    assert months.last_day(date(2027, 2, 10)) == date(2027, 2, 28)


def test_month_bounds_are_shanghai_midnights():
    start, end = months.month_bounds(date(2026, 12, 5))
    assert (start, end) == (datetime(2026, 12, 1, tzinfo=SH), datetime(2027, 1, 1, tzinfo=SH))
    assert start.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize("raw", ["2026-13", "26-11", "", "十一月"])
def test_a_month_that_is_not_yyyy_mm_names_the_field(raw):
    with pytest.raises(DomainError) as exc:
        months.parse_month(raw, field="month")
    assert exc.value.field == "month" and "YYYY-MM" in str(exc.value.message)
    assert months.parse_month("2026-11") == date(2026, 11, 1)
