from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dispatch"
    verbose_name = _("派单")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav
        from servicedesk.roles import ROLE_PERMISSIONS
        from servicedesk.views import WORK_ORDER_PANELS

        from .views import work_order_panel

        register_nav("dispatch:board", _("派单看板"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("dispatch:intake", _("受理报修"), {Role.COORDINATOR, Role.MANAGER})
        register_nav("dispatch:my_work", _("我的工作"), {Role.TECHNICIAN, Role.TEAM_LEAD})
        _register_issue11(register_nav, Role)
        from servicedesk.events import calendar_year_loaded

        from .resident.services import on_calendar_year_loaded

        calendar_year_loaded.connect(on_calendar_year_loaded, dispatch_uid="dispatch.resident.calendar_year_loaded")
        entry = ("dispatch/panel.html", work_order_panel)
        if entry not in WORK_ORDER_PANELS:
            WORK_ORDER_PANELS.append(entry)
        view = [f"dispatch.view_{m}" for m in ("assignment", "deadline", "refusal", "handover", "closeout", "carryinrepair", "clientchase")]
        for role in (Role.COORDINATOR, Role.MANAGER, Role.SUPERVISOR, Role.GM_OFFICE):
            for perm in view:
                if perm not in ROLE_PERMISSIONS.setdefault(role, []):
                    ROLE_PERMISSIONS[role].append(perm)


def _register_issue11(register_nav, Role):
    """Issue 11: resident service, team projects and maintenance contracts — pages, to-dos, beat tasks."""
    from servicedesk.todos import register_todo

    from .contracts import tasks as _contract_tasks  # noqa: F401  (registers the beat tasks)
    from .resident import admin as _issue11_admin  # noqa: F401
    from .resident import tasks as _resident_tasks  # noqa: F401

    chain = {Role.SUPERVISOR, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN}
    register_nav("dispatch:resident:reports", _("驻场月报"), chain)
    register_nav("dispatch:resident:my", _("驻场月报"), {Role.TECHNICIAN})
    register_nav("dispatch:resident:attendance", _("驻点考勤"), {Role.MANAGER, Role.ADMIN})  # site leads: from their resident page
    register_nav("dispatch:projects:list", _("团队项目"), None)
    register_nav("dispatch:contracts:list", _("维保合同"), {Role.MANAGER, Role.COORDINATOR, Role.SALES})

    def reports_in(*statuses):
        def count(viewer, now):
            from .resident.models import ResidentReport

            return ResidentReport.objects.filter(status__in=statuses).count()

        return count

    def my_returned(viewer, now):
        from .resident.models import ResidentReport

        return ResidentReport.objects.filter(technician=viewer, status="returned").count()

    def overdue_documents(viewer, now):
        from django.utils import timezone

        from .resident.models import DocumentsDue

        return DocumentsDue.objects.filter(completed_at__isnull=True, due_on__lt=timezone.localtime(now).date()).count()

    register_todo({Role.SUPERVISOR}, _("驻场月报待审核"), "dispatch:resident:reports", reports_in("submitted"), key="resident-supervisor")
    register_todo({Role.SUPERVISOR}, _("驻场月报待客户评价"), "dispatch:resident:reports", reports_in("stamped"), key="resident-client",
                  query="?status=stamped")
    register_todo({Role.MANAGER}, _("驻场月报待经理审批"), "dispatch:resident:reports", reports_in("supervisor_approved"), key="resident-manager")
    register_todo({Role.GM_OFFICE}, _("驻场月报待盖章"), "dispatch:resident:reports", reports_in("manager_approved"), key="resident-stamp")
    register_todo({Role.ADMIN}, _("驻场月报待归档"), "dispatch:resident:reports", reports_in("client_rated"), key="resident-archive")
    register_todo({Role.ADMIN, Role.MANAGER, Role.SUPERVISOR}, _("逾期驻点资料"), "dispatch:resident:documents", overdue_documents,
                  key="resident-documents", tone="bad")
    register_todo({Role.TECHNICIAN}, _("被退回的驻场月报"), "dispatch:resident:my", my_returned, key="resident-returned", tone="bad")
