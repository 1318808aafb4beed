"""Calendar years the tests load themselves (SPEC §11), so no test depends on which years the installed
chinesecalendar package knows: the official 2026 notice as published, a 2027 notice as an administrator
would type it, and a way to make a year provisional (absent from the table)."""
from datetime import date

from servicedesk import workdays
from servicedesk.choices import CalendarSource
from servicedesk.models import CalendarDay, CalendarYear

# 国务院办公厅关于2026年部分节假日安排的通知 (as published; 休 = day off, 班 = adjusted weekend workday)
OFFICIAL_2026 = """
2026-01-01,休,元旦
2026-01-02,休,元旦
2026-01-03,休,元旦
2026-01-04,班,元旦
2026-02-14,班,春节
2026-02-15,休,春节
2026-02-16,休,春节
2026-02-17,休,春节
2026-02-18,休,春节
2026-02-19,休,春节
2026-02-20,休,春节
2026-02-21,休,春节
2026-02-22,休,春节
2026-02-23,休,春节
2026-02-28,班,春节
2026-04-04,休,清明节
2026-04-05,休,清明节
2026-04-06,休,清明节
2026-05-01,休,劳动节
2026-05-02,休,劳动节
2026-05-03,休,劳动节
2026-05-04,休,劳动节
2026-05-05,休,劳动节
2026-05-09,班,劳动节
2026-06-19,休,端午节
2026-06-20,休,端午节
2026-06-21,休,端午节
2026-09-20,班,国庆节
2026-09-25,休,中秋节
2026-09-26,休,中秋节
2026-09-27,休,中秋节
2026-10-01,休,国庆节
2026-10-02,休,国庆节
2026-10-03,休,国庆节
2026-10-04,休,国庆节
2026-10-05,休,国庆节
2026-10-06,休,国庆节
2026-10-07,休,国庆节
2026-10-10,班,国庆节
"""

# A 2027 notice as an administrator would type it: 春节 5–11 February off, every statutory day off.
OFFICIAL_2027 = """
2027-01-01,休,元旦
2027-02-05,休,春节
2027-02-06,休,春节
2027-02-07,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-04-05,休,清明节
2027-05-01,休,劳动节
2027-05-02,休,劳动节
2027-05-03,休,劳动节
2027-06-09,休,端午节
2027-09-15,休,中秋节
2027-10-01,休,国庆节
2027-10-02,休,国庆节
2027-10-03,休,国庆节
2027-10-04,休,国庆节
"""

TEXTS = {2026: OFFICIAL_2026, 2027: OFFICIAL_2027}


def load_official(year: int, *, by=None, now=None) -> CalendarYear:
    holidays, adjusted = workdays.parse_date_list(TEXTS[year], year=year)
    return workdays.load_year(year=year, holidays=holidays, workdays=adjusted, source=CalendarSource.UPLOAD, by=by, now=now)


def make_provisional(*years: int) -> None:
    """The table without these years: the next computation that needs them stores them provisionally."""
    CalendarDay.objects.filter(date__gte=date(min(years), 1, 1), date__lte=date(max(years), 12, 31)).delete()
    CalendarYear.objects.filter(year__in=years).delete()
