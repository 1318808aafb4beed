"""Working days on the PRC statutory calendar (SPEC §11).

"N working days after D" is the N-th working day strictly after D. Every year
touched must be loaded in `CalendarYear`; otherwise `CalendarMissingError`.
"""
import csv
import io
from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from .choices import CalendarSource
from .errors import CalendarMissingError, DomainError
from .models import CalendarDay, CalendarYear


def loaded_years() -> set[int]:
    return set(CalendarYear.objects.values_list("year", flat=True))


def _require_years(first: int, last: int, loaded: set[int] | None = None) -> None:
    loaded = loaded_years() if loaded is None else loaded
    for year in range(first, last + 1):
        if year not in loaded:
            raise CalendarMissingError(year)


def is_working_day(d: date) -> bool:
    row = CalendarDay.objects.filter(date=d).values_list("is_working", flat=True).first()
    if row is None:
        raise CalendarMissingError(d.year)
    return row


def add_working_days(start: date, n: int) -> date:
    """The n-th working day strictly after `start` (n ≥ 1); `start` itself for n = 0."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    loaded = loaded_years()
    _require_years(start.year, start.year, loaded)
    if n == 0:
        return start
    days = list(
        CalendarDay.objects.filter(date__gt=start, is_working=True).order_by("date").values_list("date", flat=True)[:n]
    )
    if len(days) < n:
        # Ran off the end of the table: the year after the last loaded one is missing.
        last = days[-1].year if days else start.year
        missing = next(y for y in range(start.year, last + 2) if y not in loaded)
        raise CalendarMissingError(missing)
    result = days[-1]
    _require_years(start.year, result.year, loaded)  # no silent jump over a missing year
    return result


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d ≤ end (used for "within N working days" checks)."""
    if end <= start:
        return 0
    _require_years(start.year, end.year)
    return CalendarDay.objects.filter(date__gt=start, date__lte=end, is_working=True).count()


def load_year(
    *, year: int, holidays: dict[date, str], workdays: dict[date, str], source: str, by=None
) -> CalendarYear:
    """(Re)write every day of `year`: weekends off unless an adjusted workday, holidays off."""
    errors = []
    for d in list(holidays) + list(workdays):
        if d.year != year:
            errors.append(_("%(d)s 不在 %(year)s 年内。") % {"d": d, "year": year})
    for d in workdays:
        if d.weekday() < 5:
            errors.append(_("%(d)s 是周一至周五,不能作为调休上班日。") % {"d": d})
        if d in holidays:
            errors.append(_("%(d)s 不能同时是节假日和调休上班日。") % {"d": d})
    if errors:
        raise DomainError(" ".join(errors), field="dates")
    rows = []
    d = date(year, 1, 1)
    while d.year == year:
        if d in holidays:
            kind, name = CalendarDay.Kind.HOLIDAY, holidays[d]
        elif d in workdays:
            kind, name = CalendarDay.Kind.ADJUSTED_WORKDAY, workdays[d]
        elif d.weekday() >= 5:
            kind, name = CalendarDay.Kind.WEEKEND, ""
        else:
            kind, name = CalendarDay.Kind.WORKDAY, ""
        working = kind in (CalendarDay.Kind.WORKDAY, CalendarDay.Kind.ADJUSTED_WORKDAY)
        rows.append(CalendarDay(date=d, is_working=working, kind=kind, name=name or ""))
        d += timedelta(days=1)
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
        cal_year, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults=dict(
                source=source,
                loaded_by=getattr(by, "user", by),
                holidays=sum(1 for r in rows if r.kind == CalendarDay.Kind.HOLIDAY),
                adjusted_workdays=len(workdays),
            ),
        )
    return cal_year


def package_years() -> range:
    """The years the installed chinesecalendar package knows."""
    import chinese_calendar

    known = list(chinese_calendar.constants.holidays) + list(chinese_calendar.constants.workdays)
    return range(min(known).year, max(known).year + 1)


def load_year_from_package(year: int, *, by=None) -> CalendarYear:
    import chinese_calendar

    if year not in package_years():
        raise DomainError(
            _("chinesecalendar 软件包不知道 %(year)s 年的安排;请手工录入或上传日期表。") % {"year": year}, field="year"
        )
    holidays = {d: str(name or "") for d, name in chinese_calendar.constants.holidays.items() if d.year == year}
    # The package lists some weekend holidays too; a holiday on a weekday or weekend is off either way.
    workdays = {d: str(name or "") for d, name in chinese_calendar.constants.workdays.items() if d.year == year}
    holidays = {d: _holiday_name(n) for d, n in holidays.items()}
    workdays = {d: _holiday_name(n) for d, n in workdays.items()}
    return load_year(year=year, holidays=holidays, workdays=workdays, source=CalendarSource.PACKAGE, by=by)


_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_name(raw: str) -> str:
    raw = str(raw)
    for en, zh in _NAMES.items():
        if en in raw:
            return zh
    return raw[:40]


def sync_known_years(*, by=None) -> list[int]:
    """Load every year the package knows and the table lacks (idempotent; the beat job calls it)."""
    have = loaded_years()
    added = []
    for year in package_years():
        if year not in have:
            load_year_from_package(year, by=by)
            added.append(year)
    return added


HOLIDAY_WORDS = {"holiday", "休", "假", "节假日"}
WORKDAY_WORDS = {"workday", "班", "调休上班", "上班"}


def parse_date_list(text: str, *, year: int) -> tuple[dict[date, str], dict[date, str]]:
    """Parse an uploaded list: one `YYYY-MM-DD,类型,名称` per line; 类型 is 休/holiday or 班/workday.

    Errors name the line. Blank lines and lines starting with # are skipped.
    """
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    errors = []
    for lineno, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].strip().startswith("#"):
            continue
        cells = [c.strip() for c in row] + ["", ""]
        raw_date, kind, name = cells[0], cells[1].lower(), cells[2]
        try:
            d = date.fromisoformat(raw_date)
        except ValueError:
            errors.append(_("第 %(line)s 行:日期“%(value)s”无效,应为 YYYY-MM-DD。") % {"line": lineno, "value": raw_date})
            continue
        if d.year != year:
            errors.append(_("第 %(line)s 行:%(d)s 不在 %(year)s 年内。") % {"line": lineno, "d": d, "year": year})
        elif kind in HOLIDAY_WORDS:
            holidays[d] = name
        elif kind in WORKDAY_WORDS:
            workdays[d] = name
        else:
            errors.append(
                _("第 %(line)s 行:类型“%(value)s”无效,应为“休”(holiday) 或“班”(workday)。") % {"line": lineno, "value": cells[1]}
            )
    if errors:
        raise DomainError(" ".join(errors), field="dates")
    return holidays, workdays
