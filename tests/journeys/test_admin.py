"""Admin at a desk (1366×900) loads next year's working-day calendar by typing the year's lines on the calendar
page: a mistyped line is named and nothing is loaded; the corrected lines load the year (holidays and adjusted
working days), which the page then lists and the working-day rules use."""
from datetime import date

from servicedesk import workdays
from servicedesk.choices import Role
from servicedesk.models import CalendarYear

from ..calendars import OFFICIAL_2027, make_provisional
from .builders import person
from .helpers import login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

# the State Council's 2027 notice as the admin types it (every statutory day off) and one adjusted Saturday
LINES = OFFICIAL_2027.strip() + "\n2027-02-20,班,春节调休\n"


def test_admin_loads_a_calendar_year(reference_data, pages, journey_now):
    now = journey_now
    person("admin", "行政甲", Role.ADMIN, now=now)
    make_provisional(2027, 2028)  # no official 2027 yet, whatever the installed package knows
    workdays.ensure_years(2027, 2027)  # a due date already computed it provisionally

    page = pages.desk("admin")
    login(page, "admin")
    visit(page, "/core/calendar/")
    assert "按法定假日暂算" in text(page)  # 2027 is listed as provisional
    screen(page, "admin-calendar")
    # a mistyped date is named by its line, nothing is loaded
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=dates_text]", LINES.replace("2027-02-11,休", "2027-02-31,休"))
    submit(page, "form[enctype] button[type=submit]")
    assert "第 8 行" in text(page) and "2027-02-31" in text(page)
    assert CalendarYear.objects.get(year=2027).source == "provisional"
    screen(page, "admin-calendar-error")
    # a list that forgets a statutory day (端午) is refused naming it
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=dates_text]", LINES.replace("2027-06-09,休,端午节\n", ""))
    submit(page, "form[enctype] button[type=submit]")
    assert "2027-06-09(端午节)" in text(page)
    assert CalendarYear.objects.get(year=2027).source == "provisional"
    # the whole notice loads
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=dates_text]", LINES)
    submit(page, "form[enctype] button[type=submit]")
    assert "2027 年日历已录入:18 个节假日,1 个调休上班日" in text(page)
    screen(page, "admin-calendar-loaded")
    year = CalendarYear.objects.get(year=2027)
    assert (year.source, year.holidays, year.adjusted_workdays) == ("manual", 18, 1)
    assert not workdays.is_working_day(date(2027, 2, 10)) and workdays.is_working_day(date(2027, 2, 20))
