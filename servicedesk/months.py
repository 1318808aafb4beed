"""Month arithmetic, one home for every app (Asia/Shanghai): the first and last day of a month, the months either
side, n months on, a month's bounds as dates or as aware datetimes, and "YYYY-MM" parsed with an error naming
the field (or, for a page, the default in its place)."""
import calendar
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError

_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_REQUIRED = object()

# The years a month or day typed by a person may name. Year 0 is no date, and a month near 9999 overflows the
# month arithmetic (its next month, its bounds): both answer "out of range" (400 on the API, the default month
# or day on a page) rather than a 500. The department's records start long after 2000, and the official and
# provisional working-day calendars (SPEC §11) reach no further than 2099.
FIRST_YEAR = 2000
LAST_YEAR = 2099


def in_range(d: date | None) -> bool:
    """Whether a typed date is within the years the product works with (FIRST_YEAR … LAST_YEAR)."""
    return d is not None and FIRST_YEAR <= d.year <= LAST_YEAR


def parse_day(value, *, default=None) -> date | None:
    """A page's "YYYY-MM-DD" (an `as_of` or `day` from the query string): the date, or `default` when none, no
    valid one or one outside FIRST_YEAR … LAST_YEAR is given (a page falls back rather than failing)."""
    try:
        parsed = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return default
    return parsed if in_range(parsed) else default


def first_day(d: date) -> date:
    return d.replace(day=1)


month_start = first_day  # the name the month close and the report use


def next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(d: date) -> date:
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)


def last_day(d: date) -> date:
    return next_month(d) - timedelta(days=1)


def add_months(d: date, n: int) -> date:
    """The same day `n` months on (or back), held to the last day of a shorter month: 31 Jan + 1 → 28/29 Feb."""
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def date_bounds(d: date) -> tuple[date, date]:
    """[first day, first day of the next month) as dates, for date columns."""
    return first_day(d), next_month(d)


def month_bounds(d: date) -> tuple[datetime, datetime]:
    """[first day 00:00, first day of the next month 00:00) in Asia/Shanghai, for datetime columns."""
    tz = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(first_day(d), time.min), tz),
        timezone.make_aware(datetime.combine(next_month(d), time.min), tz),
    )


def parse_month(value, *, field: str = "month", default=_REQUIRED) -> date | None:
    """"2026-11" (or "2026-11-15", or a date) → date(2026, 11, 1). Nothing given → `default` when one is passed
    (None included), else an error asking for the month; anything else → an error naming the field (rule 4:
    validation messages name the field; the API answers 400 {field: [message]})."""
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    if not text:
        if default is not _REQUIRED:
            return default
        raise DomainError(_("请指定月份(YYYY-MM)。"), field=field)
    m = _MONTH.fullmatch(text)
    try:
        parsed = date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)) if m else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise DomainError(_("月份格式应为 YYYY-MM,例如 2026-11。"), field=field)
    if not in_range(parsed):
        raise DomainError(
            _("月份 %(value)s 超出范围:年份应在 %(first)s 到 %(last)s 之间。")
            % {"value": f"{parsed:%Y-%m}", "first": FIRST_YEAR, "last": LAST_YEAR},
            field=field,
            code="month_range",
        )
    return parsed.replace(day=1)


def month_or(value, default: date | None) -> date | None:
    """A page's month from the query string: the month given, or `default` when none or no valid one is given
    (a page shows a month rather than an error for a mistyped link)."""
    try:
        return parse_month(value, default=default)
    except DomainError:
        return default


def local_date(dt: datetime) -> date:
    return timezone.localtime(dt).date()
