"""The home page's to-dos per role (issue 13, defect 12).

`register_todo(roles, label, url_name, count_fn)` adds one to-do: `count_fn(viewer, now)` returns
an int with ONE query, so the home page costs a fixed number of queries whatever the data.
Apps may register their own from AppConfig.ready(); the to-dos of the apps that existed when
this module was written are registered below with lazy imports (their modules are not edited).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .errors import DomainError


@dataclass(frozen=True)
class Todo:
    key: str
    roles: frozenset
    label: object
    url_name: str
    count_fn: Callable
    tone: str = "warn"  # "bad" for overdue things
    query: str = ""  # appended to the URL, e.g. "?status=new"


TODOS: list[Todo] = []


def register_todo(roles, label, url_name: str, count_fn: Callable, *, key: str | None = None, tone: str = "warn", query: str = "") -> None:
    """Add a to-do for `roles` (iterable of Role). Idempotent on `key` (default: url_name + label)."""
    key = key or f"{url_name}|{label}"
    if any(t.key == key for t in TODOS):
        return
    TODOS.append(Todo(key, frozenset(roles), label, url_name, count_fn, tone, query))


def todos_for(viewer, *, now: datetime | None = None) -> list[dict]:
    """The viewer's to-dos with their counts: [{label, count, url, tone}], one query per to-do."""
    if viewer is None:
        return []
    now = now or timezone.now()
    everything = viewer.user.is_superuser and not viewer.roles  # a superuser with roles sees those roles' to-dos
    out = []
    for todo in TODOS:
        if not (everything or viewer.has_role(*todo.roles)):
            continue
        try:
            url = reverse(todo.url_name) + todo.query
        except NoReverseMatch:
            continue  # the app is not installed
        try:
            count = todo.count_fn(viewer, now)
            error = ""
        except DomainError as exc:  # e.g. CalendarMissingError: say so, keep the page
            count, error = None, str(exc.message)
        out.append({"key": todo.key, "label": todo.label, "count": count, "url": url, "tone": todo.tone, "error": error})
    out.sort(key=lambda t: 0 if t["count"] else 1)  # things to do first, the zeros after (stable: registry order)
    return out


# --- the existing apps' to-dos (lazy imports: the registry must not import the apps at load) ----------------


def _unassigned(viewer, now):
    from .models import WorkOrder

    return WorkOrder.objects.filter(status="new").count()


def _my_open_visits(viewer, now):
    """Today's and pending visits: my work orders that are dispatched and not yet resolved."""
    from .choices import OPEN_STATUSES
    from .models import WorkOrder

    return WorkOrder.objects.filter(technician=viewer, status__in=OPEN_STATUSES).exclude(status="new").count()


def _overdue_callbacks(viewer, now):
    from callbacks import selectors

    return selectors.queue(statuses=["overdue"]).count()


def _due_callbacks(viewer, now):
    from callbacks import selectors

    return selectors.queue(statuses=["due"]).count()


def _callbacks_about_me(viewer, now):
    """Callbacks answered about my visits in the last 7 days (what the clients said)."""
    from callbacks import selectors

    return selectors.about_me(technician=viewer, now=now).count()


def _unregistered_copies(viewer, now):
    from receivables.models import SalesConfirmation

    return SalesConfirmation.objects.filter(status="client_signed").count()


def _my_sales_to_collect(viewer, now):
    from receivables.models import SalesConfirmation

    return SalesConfirmation.objects.live().filter(technician=viewer, is_open=True).count()


def _overdue_receivables(viewer, now):
    from receivables.models import SalesConfirmation

    return SalesConfirmation.objects.live().filter(is_open=True, due_date__lt=timezone.localdate(now)).count()


def _statements_status(status):
    def count(viewer, now):
        from receivables.models import MonthlyStatement

        return MonthlyStatement.objects.filter(status=status).count()

    return count


def _extensions(status):
    def count(viewer, now):
        from receivables.models import DueDateExtension

        return DueDateExtension.objects.filter(status=status).count()

    return count


def _pending_penalties(viewer, now):
    """Only the proposals the viewer may decide (P8 Decision: never those about themselves — the GM office, or
    another manager, decides those), read by the same selector as the review queue."""
    from penalties.selectors import pending_for

    return pending_for(viewer).count()


def _my_pending_penalties(viewer, now):
    from penalties.models import Penalty

    return Penalty.objects.filter(status="pending", person=viewer).count()


def _open_dismissal_flags(viewer, now):
    from penalties.models import DismissalFlag

    return DismissalFlag.objects.filter(status="open").count()


def _open_complaints(viewer, now):
    from callbacks import selectors

    return selectors.complaints(show="open", now=now).count()


def _sales_disputes(viewer, now):
    from billing import selectors

    return selectors.disputes_count(viewer=viewer)


def _awaiting_plans(viewer, now):
    from billing import selectors

    return selectors.awaiting_repair_plans(viewer=viewer).count()


def _missing_calendar(viewer, now):
    from .workdays import years_to_announce

    return len(years_to_announce(timezone.localdate(now)))


C, T, M, F, S, GM, A, SUP, TL = (
    Role.COORDINATOR, Role.TECHNICIAN, Role.MANAGER, Role.FINANCE, Role.SALES, Role.GM_OFFICE, Role.ADMIN,
    Role.SUPERVISOR, Role.TEAM_LEAD,
)

register_todo({C, M}, _("待派工单"), "dispatch:board", _unassigned, key="unassigned", tone="bad")
register_todo({C}, _("逾期未回访"), "callbacks:queue", _overdue_callbacks, key="overdue_callbacks", tone="bad", query="?status=overdue")
register_todo({C}, _("今日待回访"), "callbacks:queue", _due_callbacks, key="due_callbacks", query="?status=due")
register_todo({C}, _("未登记的送货联"), "receivables:register", _unregistered_copies, key="unregistered_copies")
register_todo({T, TL}, _("我的待上门工单"), "dispatch:my_work", _my_open_visits, key="my_visits")
register_todo({T, TL}, _("近 7 天对我的回访"), "callbacks:mine", _callbacks_about_me, key="callbacks_about_me")
register_todo({T, TL}, _("待收款的销售"), "receivables:my_ledger", _my_sales_to_collect, key="my_sales")
register_todo({T, TL}, _("待审核的我的扣分"), "penalties:mine", _my_pending_penalties, key="my_penalties")
register_todo({M}, _("待决定的处罚建议"), "penalties:review", _pending_penalties, key="pending_penalties", tone="bad")
register_todo({M}, _("待审核的对账单"), "receivables:statements", _statements_status("compiled"), key="statements_to_review", query="?status=compiled")
register_todo({M}, _("待经理审批的延期"), "receivables:extensions", _extensions("pending_manager"), key="extensions_manager")
register_todo({M}, _("待处理的投诉"), "callbacks:complaints", _open_complaints, key="open_complaints", tone="bad", query="?show=open")
register_todo({M}, _("待处理的辞退标记"), "penalties:review", _open_dismissal_flags, key="dismissal_flags")  # deciding is the manager's
register_todo({F, M}, _("逾期应收"), "receivables:ledger", _overdue_receivables, key="overdue_receivables", tone="bad", query="?status=overdue")
register_todo({F}, _("待财务核对的对账单"), "receivables:statements", _statements_status("reviewed"), key="statements_to_check", query="?status=reviewed")
register_todo({GM}, _("待决定的针对经理的处罚建议"), "penalties:review", _pending_penalties, key="penalties_about_managers", tone="bad")
register_todo({GM}, _("待总经办审批的延期"), "receivables:extensions", _extensions("pending_gm"), key="extensions_gm")
register_todo({S}, _("收费争议"), "billing:queue", _sales_disputes, key="sales_disputes")
register_todo({S}, _("待客户确认的维修方案"), "billing:queue", _awaiting_plans, key="awaiting_plans")
register_todo({A, M}, _("待录入官方日历的年份"), "servicedesk:calendar", _missing_calendar, key="missing_calendar", tone="bad")
