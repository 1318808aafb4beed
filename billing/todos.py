"""Billing's home-page to-dos for the salesperson (read by the workspace; servicedesk/declarations.py)."""
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role
from servicedesk.declarations import todo

from . import selectors


def _sales_disputes(viewer, now):
    """R-B9: the disputed lines and on-site fees of my clients (the queue page counts with the same selector)."""
    return selectors.disputes_count(viewer=viewer)


def _awaiting_plans(viewer, now):
    """R-B6: repair plans waiting for my client's consent."""
    return selectors.awaiting_repair_plans(viewer=viewer).count()


TODOS = [
    todo({Role.SALES}, _("收费争议"), "billing:queue", _sales_disputes, key="sales_disputes"),
    todo({Role.SALES}, _("待客户确认的维修方案"), "billing:queue", _awaiting_plans, key="awaiting_plans"),
]
