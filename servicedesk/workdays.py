"""Working days on the PRC statutory calendar (SPEC §11).

"N working days after D" is the N-th working day strictly after D. A year the table holds officially (from the
chinesecalendar package, typed or uploaded by an administrator) is used as it is. A year it does not hold is
computed **provisionally** from the statutory holidays of 《全国年节及纪念日放假办法》 and stored as such
(`CalendarSource.PROVISIONAL`), so the department never stops for want of a calendar; every result that touched a
provisional year says so (`add_working_days_marked`), and loading the official year replaces it and lets the apps
recompute their open due dates (`servicedesk.events.calendar_year_loaded`).
"""
import csv
import io
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from .choices import CalendarSource
from .errors import CalendarMissingError, DomainError
from .events import calendar_year_loaded
from .models import CalendarDay, CalendarYear

# The package's first year; the statutory days below are known from here (1999, 2007, 2013 and 2024 versions of
# the holiday regulation). Lunar dates are known to the lunardate package up to 2099.
FIRST_YEAR = 2004
LAST_YEAR = 2099
MAKE_UP = "补假"


# --------------------------------------------------------------------------- the statutory days and a provisional year
def _lunar(year: int, month: int, day: int) -> date:
    from lunardate import LunarDate

    return LunarDate(year, month, day).to_solar_date()


def _qingming(year: int) -> date:
    import chinese_calendar

    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    return next(d for d, name in terms if name == "清明")


def statutory_days(year: int) -> list[tuple[date, str]]:
    """The days off every citizen is entitled to by 《全国年节及纪念日放假办法》 in force in `year`, in order.

    2025 on (2024 revision): 元旦; 春节 除夕 and 正月初一–初三; 清明; 劳动节 1–2 May; 端午; 中秋; 国庆 1–3 Oct.
    2014–2024 (2013): 春节 初一–初三, 劳动节 1 May. 2008–2013 (2007): 春节 除夕–初二, 劳动节 1 May.
    2004–2007 (1999): 元旦, 春节 初一–初三, 劳动节 1–3 May, 国庆 1–3 Oct; no 清明, 端午 or 中秋."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarMissingError(year)
    new_year = _lunar(year, 1, 1)
    eve = new_year - timedelta(days=1)
    if year >= 2025:
        spring, labour = [eve, *(new_year + timedelta(days=i) for i in range(3))], [date(year, 5, 1), date(year, 5, 2)]
    elif year >= 2014:
        spring, labour = [new_year + timedelta(days=i) for i in range(3)], [date(year, 5, 1)]
    elif year >= 2008:
        spring, labour = [eve, new_year, new_year + timedelta(days=1)], [date(year, 5, 1)]
    else:
        spring, labour = [new_year + timedelta(days=i) for i in range(3)], [date(year, 5, d) for d in (1, 2, 3)]
    days = [(date(year, 1, 1), "元旦")] + [(d, "春节") for d in spring] + [(d, "劳动节") for d in labour]
    if year >= 2008:
        days += [(_qingming(year), "清明节"), (_lunar(year, 5, 5), "端午节"), (_lunar(year, 8, 15), "中秋节")]
    days += [(date(year, 10, d), "国庆节") for d in (1, 2, 3)]
    return sorted(days, key=lambda item: item[0])


def provisional_holidays(year: int) -> dict[date, str]:
    """The days off of a year nobody has announced yet: every statutory day, and for each one that falls on a
    Saturday or Sunday (or on another statutory day, as 中秋 on 3 October 2028) a make-up day on the next working
    day(s) after that holiday (art. 6). No adjusted weekend workday is assumed."""
    groups: dict[str, list[date]] = {}
    for d, name in statutory_days(year):
        groups.setdefault(name, []).append(d)
    off: dict[date, str] = {}
    for name, days in sorted(groups.items(), key=lambda item: min(item[1])):
        owed = 0
        for d in days:
            if d in off or d.weekday() >= 5:
                owed += 1
            off.setdefault(d, name)
        d = max(days) + timedelta(days=1)
        while owed and d.year == year:
            if d.weekday() < 5 and d not in off:
                off[d] = f"{name}{MAKE_UP}"
                owed -= 1
            d += timedelta(days=1)
    return dict(sorted(off.items()))


def _day_rows(year: int, holidays: dict[date, str], workdays: dict[date, str]) -> list[CalendarDay]:
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
        rows.append(CalendarDay(date=d, is_working=working, kind=kind, name=(name or "")[:40]))
        d += timedelta(days=1)
    return rows


def ensure_years(first: int, last: int) -> dict[int, str]:
    """Every year from `first` to `last` in the table — a missing one computed provisionally and stored — and
    their sources. Concurrent requests may both compute a year: the second insert is ignored, never an error."""
    have = dict(CalendarYear.objects.filter(year__gte=first, year__lte=last).values_list("year", "source"))
    for year in range(first, last + 1):
        if year in have:
            continue
        rows = _day_rows(year, provisional_holidays(year), {})
        try:
            with transaction.atomic():
                CalendarDay.objects.bulk_create(rows, ignore_conflicts=True)
                CalendarYear.objects.get_or_create(
                    year=year,
                    defaults=dict(
                        source=CalendarSource.PROVISIONAL,
                        holidays=sum(1 for r in rows if r.kind == CalendarDay.Kind.HOLIDAY),
                        adjusted_workdays=0,
                    ),
                )
        except IntegrityError:  # another request stored it in the meantime
            pass
        have[year] = CalendarYear.objects.filter(year=year).values_list("source", flat=True).first()
    return have


def loaded_years() -> set[int]:
    """Years whose official calendar is loaded (provisional years are not)."""
    return set(CalendarYear.objects.exclude(source=CalendarSource.PROVISIONAL).values_list("year", flat=True))


def provisional_years(first: int, last: int) -> list[int]:
    return sorted(year for year, source in ensure_years(first, last).items() if source == CalendarSource.PROVISIONAL)


def is_working_day(d: date) -> bool:
    ensure_years(d.year, d.year)
    return CalendarDay.objects.filter(date=d).values_list("is_working", flat=True).get()


def add_working_days_marked(start: date, n: int) -> tuple[date, bool]:
    """The n-th working day strictly after `start` (n ≥ 1; `start` itself for n = 0) and whether the computation
    touched a provisional year (SPEC §11: the result is then marked "按法定假日暂算")."""
    if n < 0:
        raise ValueError("n must be ≥ 0")
    sources = ensure_years(start.year, start.year)
    last_year, days = start.year, []
    while n:
        days = list(
            CalendarDay.objects.filter(date__gt=start, date__lte=date(last_year, 12, 31), is_working=True)
            .order_by("date")
            .values_list("date", flat=True)[:n]
        )
        if len(days) == n:
            break
        last_year += 1
        sources.update(ensure_years(last_year, last_year))
    result = days[-1] if n else start
    provisional = any(sources.get(y) == CalendarSource.PROVISIONAL for y in range(start.year, result.year + 1))
    return result, provisional


def add_working_days(start: date, n: int) -> date:
    """The n-th working day strictly after `start` (n ≥ 1); `start` itself for n = 0."""
    return add_working_days_marked(start, n)[0]


def first_working_day_of_month(month: date) -> date:
    """The first working day of the month of `month` (R-M9, R-T1 beat jobs)."""
    first = month.replace(day=1)
    return add_working_days(first - timedelta(days=1), 1)


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d ≤ end (used for "within N working days" checks)."""
    if end <= start:
        return 0
    ensure_years(start.year, end.year)
    return CalendarDay.objects.filter(date__gt=start, date__lte=end, is_working=True).count()


# --------------------------------------------------------------------------- loading an official year
def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DomainError(
            _("年份 %(year)s 超出范围:只能录入 %(first)s–%(last)s 年的日历。") % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR},
            field="year",
        )


def _missing_statutory(year: int, holidays: dict[date, str], workdays: dict[date, str]) -> list[str]:
    """Statutory days that the list would leave as working days (a weekend statutory day not listed is off anyway)."""
    return [
        f"{d.isoformat()}({name})"
        for d, name in statutory_days(year)
        if d not in holidays and (d.weekday() < 5 or d in workdays)
    ]


def load_year(
    *, year: int, holidays: dict[date, str], workdays: dict[date, str], source: str, by=None, now: datetime | None = None
) -> CalendarYear:
    """(Re)write every day of `year` officially: weekends off unless an adjusted workday, holidays off.

    A list must keep every statutory day off (SPEC §11). In the same transaction the apps recompute their open
    due dates that were computed provisionally (`calendar_year_loaded`)."""
    _check_year(year)
    if source == CalendarSource.PROVISIONAL:
        raise ValueError("a provisional year is computed by ensure_years, never loaded")
    errors = []
    for d in list(holidays) + list(workdays):
        if d.year != year:
            errors.append(_("%(d)s 不在 %(year)s 年内。") % {"d": d, "year": year})
    for d in workdays:
        if d.weekday() < 5:
            errors.append(_("%(d)s 是周一至周五,不能作为调休上班日。") % {"d": d})
        if d in holidays:
            errors.append(_("%(d)s 不能同时是节假日和调休上班日。") % {"d": d})
    if not errors:
        missing = _missing_statutory(year, holidays, workdays)
        if missing:
            errors.append(
                _("缺少法定节假日(《全国年节及纪念日放假办法》):%(days)s。每个法定节假日都必须休息。")
                % {"days": "、".join(missing)}
            )
    if errors:
        raise DomainError(" ".join(errors), field="dates")
    rows = _day_rows(year, holidays, workdays)
    user = getattr(by, "user", by)
    now = now or timezone.now()
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
        cal_year, _created = CalendarYear.objects.update_or_create(
            year=year,
            defaults=dict(
                source=source,
                loaded_by=user,
                loaded_at=now,
                holidays=sum(1 for r in rows if r.kind == CalendarDay.Kind.HOLIDAY),
                adjusted_workdays=len(workdays),
            ),
        )
        calendar_year_loaded.send(sender=CalendarYear, year=year, user=user, now=now)
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
    have = loaded_years()  # official years only: a provisional one is replaced by the package's data
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
    _check_year(year)
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    seen: dict[date, int] = {}
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
        elif d in seen:
            errors.append(_("第 %(line)s 行:%(d)s 与第 %(first)s 行重复。") % {"line": lineno, "d": d, "first": seen[d]})
        elif kind in HOLIDAY_WORDS:
            holidays[d], seen[d] = name, lineno
        elif kind in WORKDAY_WORDS:
            workdays[d], seen[d] = name, lineno
        else:
            errors.append(
                _("第 %(line)s 行:类型“%(value)s”无效,应为“休”(holiday) 或“班”(workday)。") % {"line": lineno, "value": cells[1]}
            )
    if errors:
        raise DomainError(" ".join(errors), field="dates")
    return holidays, workdays


# --------------------------------------------------------------------------- the weekly reminder
def years_to_announce(today: date) -> list[int]:
    """Years the administrators should load: this year while it is provisional, and from 1 November next year
    until its official calendar is in (the State Council announces it in late autumn)."""
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    official = loaded_years()
    return [y for y in years if y not in official]


def remind_calendar(*, now: datetime) -> list[int]:
    """Beat (daily, SPEC §11): remind administrators and the department manager once a week — idempotent per ISO
    week and recipient — until every year of `years_to_announce` is loaded. Returns the years reminded of."""
    from django.urls import reverse

    from .choices import Role
    from .models import Staff
    from .notifications import notify_many
    from .texts import message

    today = timezone.localdate(now)
    years = years_to_announce(today)
    if not years:
        return []
    recipients = list(
        Staff.objects.active().filter(user__groups__name__in=[Role.ADMIN, Role.MANAGER]).distinct().select_related("user")
    )
    iso_year, week, _day = today.isocalendar()
    alerts = []
    for year in years:
        text = message(N_(  # rule 7: read in each reader's language, e-mailed in the recipient's
            "%(year)s 年的官方工作日历(国务院办公厅节假日安排)还没有录入:按工作日计算的期限暂按法定假日计算,"
            "标有“按法定假日暂算”。请在“工作日历”中录入或上传 %(year)s 年的安排,系统会自动重算未结的期限。"
        ), year=year)
        alerts.append((recipients, f"calendar-remind-{year}-{iso_year}-W{week:02d}", text, reverse("servicedesk:calendar")))
    notify_many(alerts=alerts, now=now)
    return years
