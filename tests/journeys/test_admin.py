"""Admin at a desk (1366×900) loads next year's working-day calendar by typing the year's lines on the calendar
page: a mistyped line is named and nothing is loaded; the corrected lines load the year (holidays and adjusted
working days), which the page then lists and the working-day rules use."""
from datetime import date

from servicedesk import workdays
from servicedesk.choices import Role
from servicedesk.models import CalendarYear

from .builders import person
from .helpers import login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

LINES = """2027-01-01,休,元旦
2027-02-06,班,春节调休
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-12,休,春节
"""


def test_admin_loads_a_calendar_year(reference_data, pages, journey_now):
    now = journey_now
    person("admin", "行政甲", Role.ADMIN, now=now)
    CalendarYear.objects.filter(year=2027).delete()  # the year the admin is about to type (a clean start whatever was seeded)

    page = pages.desk("admin")
    login(page, "admin")
    visit(page, "/core/calendar/")
    screen(page, "admin-calendar")
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=dates_text]", LINES.replace("2027-02-12,休", "2027-02-31,休"))
    submit(page, "form[enctype] button[type=submit]")
    assert "第 5 行" in text(page) and "2027-02-31" in text(page)
    assert not CalendarYear.objects.filter(year=2027).exists()
    screen(page, "admin-calendar-error")
    page.fill("input[name=year]", "2027")
    page.fill("textarea[name=dates_text]", LINES)
    submit(page, "form[enctype] button[type=submit]")
    assert "2027 年日历已录入:4 个节假日,1 个调休上班日" in text(page)
    screen(page, "admin-calendar-loaded")
    year = CalendarYear.objects.get(year=2027)
    assert (year.holidays, year.adjusted_workdays) == (4, 1)
    assert not workdays.is_working_day(date(2027, 2, 10)) and workdays.is_working_day(date(2027, 2, 6))
