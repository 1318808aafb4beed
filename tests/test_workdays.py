"""PRC working-day calendar (SPEC §11)."""
from datetime import date

import pytest

from servicedesk import workdays
from servicedesk.errors import CalendarMissingError, DomainError
from servicedesk.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def test_seven_working_days_after_2026_09_30_is_2026_10_15():
    # skips the National Day holiday (10-01..10-07) and counts the adjusted Saturday workday 10-10
    assert workdays.add_working_days(date(2026, 9, 30), 7) == date(2026, 10, 15)


def test_one_working_day_after_new_year_holiday_is_the_adjusted_sunday():
    assert workdays.add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 4)


@pytest.mark.parametrize(
    "d, working",
    [
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 10), True),  # adjusted Saturday workday
        (date(2026, 11, 21), False),  # ordinary Saturday
        (date(2026, 11, 23), True),  # ordinary Monday
    ],
)
def test_is_working_day(d, working):
    assert workdays.is_working_day(d) is working


def test_zero_working_days_is_the_start_itself():
    assert workdays.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_year_missing_from_the_table_is_an_error_not_a_guess():
    assert not CalendarYear.objects.filter(year=2027).exists()
    with pytest.raises(CalendarMissingError) as exc:
        workdays.add_working_days(date(2026, 12, 28), 7)
    assert exc.value.year == 2027 and "2027" in str(exc.value.message)
    with pytest.raises(CalendarMissingError):
        workdays.is_working_day(date(2027, 1, 4))


def test_years_known_by_the_package_are_loaded():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert {2024, 2025, 2026} <= years
    assert CalendarDay.objects.filter(date__year=2026).count() == 365


def test_administrator_enters_2027_from_a_list_of_dates():
    text = "# 2027 安排\n2027-01-01,休,元旦\n2027-02-06,班,春节调休\n2027-02-08,休,春节\n"
    holidays, adjusted = workdays.parse_date_list(text, year=2027)
    workdays.load_year(year=2027, holidays=holidays, workdays=adjusted, source="upload")
    assert workdays.is_working_day(date(2027, 2, 6)) is True  # Saturday made a workday
    assert workdays.is_working_day(date(2027, 2, 8)) is False  # Monday holiday
    assert workdays.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert CalendarYear.objects.get(year=2027).holidays == 2


def test_bad_upload_names_the_line_and_saves_nothing():
    with pytest.raises(DomainError) as exc:
        workdays.parse_date_list("2027-01-01,休,元旦\n2027-13-01,休,坏日期\n2027-02-06,放假,?\n", year=2027)
    msg = str(exc.value.message)
    assert "第 2 行" in msg and "第 3 行" in msg
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_weekday_cannot_be_an_adjusted_workday():
    with pytest.raises(DomainError):
        workdays.load_year(year=2027, holidays={}, workdays={date(2027, 2, 3): "x"}, source="manual")
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_sync_is_idempotent():
    assert workdays.sync_known_years() == []
    assert CalendarDay.objects.filter(date__year=2026).count() == 365
