from datetime import timedelta

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _last_month_report_unapproved(viewer, now):
    """R-T2: 1 while last month's report is missing or not approved yet (one query)."""
    from .models import MonthlyReport, ReportStatus

    last = (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(day=1)
    return 0 if MonthlyReport.objects.filter(month=last, status=ReportStatus.APPROVED).exists() else 1


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("月度报表")

    def ready(self):
        from bonuses.signals import statements_changed
        from servicedesk.choices import Role

        from .services import on_statements_changed

        # R-T1: the draft report follows the month's statements (compiled again, approved, archived)
        statements_changed.connect(on_statements_changed, dispatch_uid="reports-recompile-draft")
        from servicedesk.context_processors import register_nav
        from servicedesk.todos import register_todo

        register_todo({Role.MANAGER}, _("上月月报未审批"), "reports:monthly", _last_month_report_unapproved,
                      key="last_month_report", tone="bad")

        register_nav("reports:monthly", _("月度报表"), {Role.MANAGER, Role.GM_OFFICE})
        register_nav("reports:archive", _("报表归档"), {Role.MANAGER, Role.ADMIN, Role.GM_OFFICE})
        register_nav("reports:my", _("我的月报"), {Role.TECHNICIAN})
