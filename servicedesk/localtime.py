"""Times as people read them: Asia/Shanghai, "2026-11-23 17:40" (docs/developers.md rule 7).

Use `local_dt(dt)` wherever Python builds a text (notifications, __str__, explanations);
templates use `{{ dt|date:"Y-m-d H:i" }}`, which renders local time under USE_TZ.
"""
from datetime import date, datetime

from django.utils import timezone


def local_dt(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(fmt)
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)
