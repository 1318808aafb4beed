"""Sales and receivables' home-page to-dos (read by the workspace; servicedesk/declarations.py). One query each."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from .choices import ConfirmationStatus, ExtensionStatus, ReceivableStatus, StatementStatus
from .models import DueDateExtension, MonthlyStatement, SalesConfirmation


def _unregistered_copies(viewer, now):
    """R-S1: confirmations the client signed whose delivery copy the coordinator has not registered yet."""
    return SalesConfirmation.objects.filter(status=ConfirmationStatus.CLIENT_SIGNED).count()


def _my_sales_to_collect(viewer, now):
    """R-S6: my sales not paid in full yet."""
    return SalesConfirmation.objects.live().filter(technician=viewer, is_open=True).count()


def _overdue_receivables(viewer, now):
    """R-S3 / R-S2: open sales past their due date."""
    return SalesConfirmation.objects.live().filter(is_open=True, due_date__lt=timezone.localdate(now)).count()


def _statements_in(status):
    """R-S2: the key accounts' monthly statements waiting at one step."""

    def count(viewer, now):
        return MonthlyStatement.objects.filter(status=status).count()

    return count


def _extensions_in(status):
    """R-S4: the extension requests waiting for the manager, then the GM office."""

    def count(viewer, now):
        return DueDateExtension.objects.filter(status=status).count()

    return count


C, T, TL, M, F, GM = Role.COORDINATOR, Role.TECHNICIAN, Role.TEAM_LEAD, Role.MANAGER, Role.FINANCE, Role.GM_OFFICE
COMPILED, REVIEWED = StatementStatus.COMPILED, StatementStatus.REVIEWED

TODOS = [
    todo({C}, _("未登记的送货联"), "receivables:register", _unregistered_copies, key="unregistered_copies"),
    todo({T, TL}, _("待收款的销售"), "receivables:my_ledger", _my_sales_to_collect, key="my_sales"),
    todo({M}, _("待审核的对账单"), "receivables:statements", _statements_in(COMPILED), key="statements_to_review",
         query=f"?status={COMPILED.value}"),
    todo({M}, _("待经理审批的延期"), "receivables:extensions", _extensions_in(ExtensionStatus.PENDING_MANAGER), key="extensions_manager"),
    todo({F, M}, _("逾期应收"), "receivables:ledger", _overdue_receivables, key="overdue_receivables", tone="bad", query=f"?status={ReceivableStatus.OVERDUE.value}"),
    todo({F}, _("待财务核对的对账单"), "receivables:statements", _statements_in(REVIEWED), key="statements_to_check",
         query=f"?status={REVIEWED.value}"),
    todo({GM}, _("待总经办审批的延期"), "receivables:extensions", _extensions_in(ExtensionStatus.PENDING_GM), key="extensions_gm"),
]
