"""Reports' home-page to-do (read by the workspace; servicedesk/declarations.py). One query."""
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from .models import MonthlyReport, ReportStatus


def _last_month_report_unapproved(viewer, now):
    """R-T2: 1 while last month's report is missing or not approved yet."""
    last = (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    return 0 if MonthlyReport.objects.filter(month=last, status=ReportStatus.APPROVED).exists() else 1


TODOS = [
    todo({Role.MANAGER}, _("上月月报未审批"), "reports:monthly", _last_month_report_unapproved, key="last_month_report", tone="bad"),
]
