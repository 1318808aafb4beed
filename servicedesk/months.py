"""Month arithmetic, one home for every app (Asia/Shanghai): the first and last day of a month, the months either
side, a month's bounds as aware datetimes, and "YYYY-MM" parsed with an error naming the field."""
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError


def first_day(d: date) -> date:
    return d.replace(day=1)


month_start = first_day  # the name the month close and the report use


def next_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1)


def previous_month(d: date) -> date:
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)


def last_day(d: date) -> date:
    return next_month(d) - timedelta(days=1)


def month_bounds(d: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(first_day(d), time.min), tz),
        timezone.make_aware(datetime.combine(next_month(d), time.min), tz),
    )


def parse_month(value, *, field: str = "month") -> date:
    """"2026-11" (or a date) → date(2026, 11, 1); a clear error naming the field otherwise."""
    if isinstance(value, date):
        return value.replace(day=1)
    text = str(value or "").strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?", text)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise DomainError(_("月份格式应为 YYYY-MM,例如 2026-11。"), field=field)
    return date(int(m.group(1)), int(m.group(2)), 1)


def local_date(dt: datetime) -> date:
    return timezone.localtime(dt).date()
