"""Bonuses' home-page to-dos: the month close (read by the workspace; servicedesk/declarations.py). One query each."""
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from .choices import StatementStatus
from .models import Statement


def _last_month(now):
    return (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(day=1)


def _draft_statements_last_month(viewer, now):
    """R-M9: last month's statements the manager has not approved yet."""
    return Statement.objects.filter(month=_last_month(now), status=StatementStatus.DRAFT).count()


def _statements_to_archive(viewer, now):
    """R-M9: approved statements (any month) waiting for admin to archive them."""
    return Statement.objects.filter(status=StatementStatus.APPROVED).count()


TODOS = [
    todo({Role.MANAGER}, _("上月未审批的月度结算单"), "bonuses:month", _draft_statements_last_month, key="draft_statements_last_month"),
    todo({Role.ADMIN}, _("待归档的已审批结算单"), "bonuses:archive", _statements_to_archive, key="statements_to_archive"),
]
