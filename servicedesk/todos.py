"""The core's home-page to-dos (read by the workspace; servicedesk/declarations.py)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .declarations import todo
from .workdays import years_to_announce


def _missing_calendar(viewer, now):
    """SPEC §11: the years whose official working-day calendar is due and not loaded yet."""
    return len(years_to_announce(timezone.localdate(now)))


TODOS = [
    todo({Role.ADMIN, Role.MANAGER}, _("待录入官方日历的年份"), "servicedesk:calendar", _missing_calendar, key="missing_calendar", tone="bad"),
]
