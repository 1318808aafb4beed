"""PRC working-day calendar (SPEC §11): official years as loaded, provisional years from the statutory holidays.

Every year a test needs is loaded by the test itself (tests/calendars.py), never taken from whichever years the
installed chinesecalendar package happens to know."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from servicedesk import workdays
from servicedesk.choices import CalendarSource, Role
from servicedesk.errors import CalendarMissingError, DomainError
from servicedesk.models import CalendarDay, CalendarYear, Notification

from .calendars import OFFICIAL_2027, load_official, make_provisional
from .factories import staff_with

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def official_2026():
    load_official(2026)


@pytest.fixture
def provisional_2027():
    make_provisional(2027, 2028)


# --------------------------------------------------------------------------- an official year (2026, as published)
def test_seven_working_days_after_2026_09_30_is_2026_10_15(official_2026):
    # skips the National Day holiday (10-01..10-07) and counts the adjusted Saturday workday 10-10
    assert workdays.add_working_days(date(2026, 9, 30), 7) == date(2026, 10, 15)


def test_seven_working_days_after_thursday_2026_09_24_is_monday_2026_10_12(official_2026):
    # 25–27 Sep 中秋 off; 28, 29, 30 Sep are days 1–3; 1–7 Oct off; 8, 9 Oct days 4–5; Sat 10 Oct (adjusted) 6; 12 Oct 7
    assert workdays.add_working_days_marked(date(2026, 9, 24), 7) == (date(2026, 10, 12), False)


def test_one_working_day_after_new_year_holiday_is_the_adjusted_sunday(official_2026):
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
def test_is_working_day(official_2026, d, working):
    assert workdays.is_working_day(d) is working


def test_zero_working_days_is_the_start_itself(official_2026):
    assert workdays.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


# --------------------------------------------------------------------------- a provisional year (2027, not announced)
def test_statutory_days_of_2027_by_the_2024_regulation():
    assert workdays.statutory_days(2027) == [
        (date(2027, 1, 1), "元旦"),
        (date(2027, 2, 5), "春节"),  # 除夕
        (date(2027, 2, 6), "春节"),  # 正月初一
        (date(2027, 2, 7), "春节"),
        (date(2027, 2, 8), "春节"),  # 初三
        (date(2027, 4, 5), "清明节"),
        (date(2027, 5, 1), "劳动节"),
        (date(2027, 5, 2), "劳动节"),
        (date(2027, 6, 9), "端午节"),  # 五月初五
        (date(2027, 9, 15), "中秋节"),  # 八月十五
        (date(2027, 10, 1), "国庆节"),
        (date(2027, 10, 2), "国庆节"),
        (date(2027, 10, 3), "国庆节"),
    ]


def test_provisional_2027_makes_up_weekend_statutory_days_on_the_next_working_days(provisional_2027):
    off = workdays.provisional_holidays(2027)
    # 初一–初二 fall on Sat/Sun 6–7 February: made up on Tue 9 and Wed 10 February (art. 6)
    assert [d for d in off if d.month == 2] == [date(2027, 2, d) for d in (5, 6, 7, 8, 9, 10)]
    # 劳动节 Sat 1 / Sun 2 May → Mon 3, Tue 4; 国庆 Sat 2 / Sun 3 October → Mon 4, Tue 5
    assert [d for d in off if d.month == 5] == [date(2027, 5, d) for d in (1, 2, 3, 4)]
    assert [d for d in off if d.month == 10] == [date(2027, 10, d) for d in (1, 2, 3, 4, 5)]
    # no adjusted weekend workday is assumed: every Saturday and Sunday of 2027 is off
    workdays.ensure_years(2027, 2027)
    assert not CalendarDay.objects.filter(date__year=2027, kind=CalendarDay.Kind.ADJUSTED_WORKDAY).exists()
    # 104 weekend days; 7 statutory days on weekdays; 6 on weekends (6–7 Feb, 1–2 May, 2–3 Oct), each made up
    assert CalendarDay.objects.filter(date__year=2027, is_working=True).count() == 365 - 104 - 7 - 6


def test_seven_working_days_after_friday_2027_01_29_is_monday_2027_02_15_provisional(provisional_2027):
    # 1–4 Feb are days 1–4; 5, 8, 9, 10 off (6, 7 a weekend); 11, 12, 15 are days 5–7
    assert workdays.add_working_days_marked(date(2027, 1, 29), 7) == (date(2027, 2, 15), True)
    assert CalendarYear.objects.get(year=2027).source == CalendarSource.PROVISIONAL
    assert CalendarDay.objects.get(date=date(2027, 2, 9)).name == "春节补假"


def test_a_computation_that_reaches_into_a_provisional_year_is_marked(official_2026, provisional_2027):
    # 29, 30, 31 Dec 2026 are days 1–3; 1 Jan 2027 元旦; 4–7 Jan days 4–7
    assert workdays.add_working_days_marked(date(2026, 12, 28), 7) == (date(2027, 1, 7), True)
    assert workdays.add_working_days_marked(date(2026, 12, 1), 7) == (date(2026, 12, 10), False)
    assert workdays.is_working_day(date(2027, 2, 10)) is False


def test_years_outside_2004_to_2099_cannot_be_computed():
    with pytest.raises(CalendarMissingError) as exc:
        workdays.add_working_days(date(2003, 12, 1), 3)
    assert exc.value.year == 2003 and "2004–2099" in str(exc.value.message)


# --------------------------------------------------------------------------- loading an official year
def test_administrator_loads_2027_and_the_provisional_year_is_replaced(provisional_2027, admin_staff):
    assert workdays.add_working_days_marked(date(2027, 1, 29), 7) == (date(2027, 2, 15), True)
    load_official(2027, by=admin_staff)
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.loaded_by, year.holidays) == (CalendarSource.UPLOAD, admin_staff.user, 18)
    # 5–11 February off: 1–4 Feb days 1–4, 12 Feb day 5, 15 and 16 Feb days 6–7
    assert workdays.add_working_days_marked(date(2027, 1, 29), 7) == (date(2027, 2, 16), False)
    assert workdays.loaded_years() >= {2027}


def test_a_list_missing_a_statutory_day_is_refused_naming_it(provisional_2027):
    text = OFFICIAL_2027.replace("2027-06-09,休,端午节\n", "").replace("2027-09-15,休,中秋节\n", "")
    holidays, adjusted = workdays.parse_date_list(text, year=2027)
    with pytest.raises(DomainError) as exc:
        workdays.load_year(year=2027, holidays=holidays, workdays=adjusted, source=CalendarSource.MANUAL)
    msg = str(exc.value.message)
    assert "2027-06-09(端午节)" in msg and "2027-09-15(中秋节)" in msg and exc.value.field == "dates"
    assert not CalendarYear.objects.filter(year=2027).exists()  # nothing saved


def test_a_weekend_statutory_day_need_not_be_listed_but_may_not_be_a_workday(provisional_2027):
    text = OFFICIAL_2027.replace("2027-05-01,休,劳动节\n", "")  # Saturday: off anyway
    holidays, adjusted = workdays.parse_date_list(text, year=2027)
    workdays.load_year(year=2027, holidays=holidays, workdays=adjusted, source=CalendarSource.MANUAL)
    assert workdays.is_working_day(date(2027, 5, 1)) is False
    text = OFFICIAL_2027.replace("2027-05-01,休,劳动节", "2027-05-01,班,调休")
    holidays, adjusted = workdays.parse_date_list(text, year=2027)
    with pytest.raises(DomainError) as exc:
        workdays.load_year(year=2027, holidays=holidays, workdays=adjusted, source=CalendarSource.MANUAL)
    assert "2027-05-01(劳动节)" in str(exc.value.message)


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("2027-01-01,休,元旦\n2026-12-31,休,跨年\n", 2027, ["第 2 行", "2026-12-31", "不在 2027 年内"]),
        ("2027-01-01,休,元旦\n2027-02-05,休,除夕\n2027-01-01,休,又一次\n", 2027, ["第 3 行", "2027-01-01", "与第 1 行重复"]),
        ("2027-01-01,休,元旦\n2027-02-06,放假,?\n", 2027, ["第 2 行", "类型“放假”无效"]),
        ("2027-13-01,休,坏日期\n", 2027, ["第 1 行", "日期“2027-13-01”无效"]),
        ("2003-01-01,休,元旦\n", 2003, ["2003", "2004–2099"]),
    ],
)
def test_bad_calendar_lines_are_named_and_nothing_is_saved(provisional_2027, text, year, expected):
    with pytest.raises(DomainError) as exc:
        workdays.parse_date_list(text, year=year)
    for part in expected:
        assert part in str(exc.value.message)
    assert not CalendarYear.objects.filter(year__in=[2003, 2027]).exists()


def test_weekday_cannot_be_an_adjusted_workday(provisional_2027):
    holidays, _adjusted = workdays.parse_date_list(OFFICIAL_2027, year=2027)
    with pytest.raises(DomainError) as exc:
        workdays.load_year(year=2027, holidays=holidays, workdays={date(2027, 2, 3): "x"}, source="manual")
    assert "2027-02-03" in str(exc.value.message)
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_sync_from_the_package_loads_only_years_not_loaded_officially(official_2026, provisional_2027):
    workdays.ensure_years(2027, 2027)  # 2027 is provisional now
    known = workdays.package_years()
    added = workdays.sync_known_years()
    assert 2026 not in added  # loaded already
    assert (2027 in added) is (2027 in known)  # a package that knows 2027 replaces the provisional year
    assert workdays.sync_known_years() == []  # idempotent
    assert CalendarDay.objects.filter(date__year=2026).count() == 365


# --------------------------------------------------------------------------- the weekly reminder
def test_from_november_admins_and_the_manager_are_reminded_once_a_week(provisional_2027, admin_staff, manager, technician):
    mon = datetime(2026, 11, 2, 9, 0, tzinfo=SH)
    assert workdays.remind_calendar(now=datetime(2026, 10, 26, 9, 0, tzinfo=SH)) == []  # October: not yet
    assert workdays.remind_calendar(now=mon) == [2027]
    assert workdays.remind_calendar(now=mon.replace(day=4)) == [2027]  # Wednesday, same week: no second message
    mine = Notification.objects.filter(key__startswith="calendar-remind-2027")
    assert sorted(mine.values_list("recipient__name", flat=True)) == sorted([admin_staff.name, manager.name])
    workdays.remind_calendar(now=mon.replace(day=9))  # next week: once more
    assert mine.filter(recipient=manager).count() == 2
    assert not Notification.objects.filter(recipient=technician).exists()
    load_official(2027)
    assert workdays.remind_calendar(now=mon.replace(day=16)) == []
    assert mine.filter(recipient=manager).count() == 2


def test_a_deactivated_manager_is_not_reminded(provisional_2027):
    gone = staff_with(Role.MANAGER, name="离职经理")
    gone.active = False
    gone.save(update_fields=["active"])
    workdays.remind_calendar(now=datetime(2026, 12, 3, 9, 0, tzinfo=SH))
    assert not Notification.objects.filter(recipient=gone).exists()
