"""Dispatch's home-page to-dos: the desk's unassigned orders, the technician's visits, and the resident service's
monthly reports and site documents (read by the workspace; servicedesk/declarations.py). One query each."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import OPEN_STATUSES, Role, WorkOrderStatus
from servicedesk.declarations import todo
from servicedesk.models import WorkOrder

from .resident.choices import ReportStatus
from .resident.models import DocumentsDue, ResidentReport


def _unassigned(viewer, now):
    """R-W3: requests taken in and not dispatched yet (status new)."""
    return WorkOrder.objects.filter(status=WorkOrderStatus.NEW).count()


def _my_open_visits(viewer, now):
    """Today's and pending visits: my work orders that are dispatched and not yet resolved."""
    return WorkOrder.objects.filter(technician=viewer, status__in=OPEN_STATUSES).exclude(status=WorkOrderStatus.NEW).count()


def _reports_in(*statuses):
    """R-R2: the resident reports waiting at one step of their approval chain."""

    def count(viewer, now):
        return ResidentReport.objects.filter(status__in=statuses).count()

    return count


def _my_returned_reports(viewer, now):
    """R-R2: my resident reports sent back to me."""
    return ResidentReport.objects.filter(technician=viewer, status=ReportStatus.RETURNED).count()


def _overdue_documents(viewer, now):
    """R-R4: the resident sites' monthly documents past their due day."""
    return DocumentsDue.objects.filter(completed_at__isnull=True, due_on__lt=timezone.localtime(now).date()).count()


C, T, M, GM, A, SUP, TL = (
    Role.COORDINATOR, Role.TECHNICIAN, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN, Role.SUPERVISOR, Role.TEAM_LEAD,
)

TODOS = [
    todo({C, M}, _("待派工单"), "dispatch:board", _unassigned, key="unassigned", tone="bad"),
    todo({T, TL}, _("我的待上门工单"), "dispatch:my_work", _my_open_visits, key="my_visits"),
    # R-R2: the resident report's approval chain, one to-do per step for the role that takes it
    todo({SUP}, _("驻场月报待审核"), "dispatch:resident:reports", _reports_in(ReportStatus.SUBMITTED), key="resident-supervisor"),
    todo({SUP}, _("驻场月报待客户评价"), "dispatch:resident:reports", _reports_in(ReportStatus.STAMPED), key="resident-client",
         query=f"?status={ReportStatus.STAMPED.value}"),
    todo({M}, _("驻场月报待经理审批"), "dispatch:resident:reports", _reports_in(ReportStatus.SUPERVISOR_APPROVED), key="resident-manager"),
    todo({GM}, _("驻场月报待盖章"), "dispatch:resident:reports", _reports_in(ReportStatus.MANAGER_APPROVED), key="resident-stamp"),
    todo({A}, _("驻场月报待归档"), "dispatch:resident:reports", _reports_in(ReportStatus.CLIENT_RATED), key="resident-archive"),
    todo({A, M, SUP}, _("逾期驻点资料"), "dispatch:resident:documents", _overdue_documents, key="resident-documents", tone="bad"),
    todo({T}, _("被退回的驻场月报"), "dispatch:resident:my", _my_returned_reports, key="resident-returned", tone="bad"),
]
