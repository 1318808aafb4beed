"""Reads of callbacks, and the monthly figures (R-K8, R-K9) that the bonuses and the monthly report reuse.

Decision: a callback belongs to the month in which its visit was completed (the
month's work is judged by its callbacks), in Asia/Shanghai time.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from servicedesk.months import month_bounds
from servicedesk.params import get_param

from .choices import CallbackStatus, Satisfaction
from .models import Callback, Complaint

HUNDRED = Decimal(100)


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole as a percentage, 2 places ROUND_HALF_UP; undefined (None, shown "—") when whole is 0 (R-K9)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def queue(*, statuses=None):
    qs = Callback.objects.select_related("work_order", "work_order__site", "client", "technician")
    if statuses:
        return qs.filter(status__in=statuses).order_by("due_at")
    return qs.queue()


ABOUT_ME_DAYS = 7


def about_me(*, technician, now: datetime):
    """The callbacks answered about `technician`'s visits in the last 7 days, newest first: what the clients said.
    The technician's home to-do counts these and the page lists these (one selector for both)."""
    return (
        Callback.objects.filter(technician=technician, answered_at__gte=now - timedelta(days=ABOUT_ME_DAYS))
        .select_related("work_order", "client")
        .order_by("-answered_at", "-pk")
    )


QUEUE_STATUSES = ("due", "overdue")


def complaints(*, show: str = "", now: datetime, viewer=None):
    """The manager's complaints list; `show` narrows it to what a home to-do counts: "open" (not yet handled),
    "reply_overdue" (R-K10: no reply by the deadline) or "to_decide" (R-K10: not decided yet, never one naming the
    viewer, who may not decide it). The to-dos count with this same selector."""
    qs = Complaint.objects.select_related("client", "technician", "responsible", "work_order", "handled_by")
    if show == "open":
        qs = qs.filter(status="open")
    elif show == "reply_overdue":
        qs = qs.filter(replied_at__isnull=True, reply_due_at__lt=now)
    elif show == "to_decide":
        qs = qs.filter(outcome="")
        if viewer is not None:
            qs = qs.exclude(technician_id=viewer.pk)
    return qs.order_by("status", "-created_at")


def queue_counts() -> dict[str, int]:
    """How many open callbacks there are by status, for the queue's header (one query)."""
    from .models import OPEN_STATUSES

    rows = Callback.objects.filter(status__in=OPEN_STATUSES).values("status").annotate(n=Count("pk")).order_by()
    counts = {r["status"]: r["n"] for r in rows}
    counts["total"] = sum(counts.values())
    return counts


@dataclass(frozen=True)
class TechnicianMonth:
    technician_id: int
    technician_name: str
    answered: int
    very_satisfied: int
    unreachable: int
    complaints: int

    @property
    def very_satisfied_rate(self) -> Decimal | None:
        return percent(self.very_satisfied, self.answered)


def own_work_complaints(start: datetime, end: datetime, *, person_ids=None) -> dict[int, tuple[str, int]]:
    """R-M2 / R-K10 Decision: {person: (name, n)} of the complaints taken in [start, end) that the manager decided
    were the person's own work, except those whose P8 for that person was then rejected or withdrawn. One query."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef

    from penalties.choices import PenaltyStatus
    from penalties.models import Penalty

    from .choices import ComplaintOutcome

    dropped = Penalty.objects.filter(
        source_type=ContentType.objects.get_for_model(Complaint), source_id=OuterRef("pk"), rule="P8", joint_role="",
        person_id=OuterRef("responsible_id"), status__in=(PenaltyStatus.REJECTED, PenaltyStatus.WITHDRAWN),
    )
    qs = Complaint.objects.filter(
        created_at__gte=start, created_at__lt=end, outcome=ComplaintOutcome.OWN_WORK, responsible__isnull=False
    ).exclude(Exists(dropped))
    if person_ids is not None:
        qs = qs.filter(responsible_id__in=person_ids)
    return {
        r["responsible_id"]: (r["responsible__name"], r["n"])
        for r in qs.values("responsible_id", "responsible__name").annotate(n=Count("pk")).order_by()
    }


def technician_month_figures(month: date, *, technician_ids=None) -> dict[int, TechnicianMonth]:
    """Per technician: answered callbacks, very-satisfied count and rate, unreachable, complaints. Two queries."""
    start, end = month_bounds(month)
    qs = Callback.objects.filter(completed_at__gte=start, completed_at__lt=end)
    if technician_ids is not None:
        qs = qs.filter(technician_id__in=technician_ids)
    rows = qs.values("technician_id", "technician__name").annotate(
        answered=Count("pk", filter=Q(status=CallbackStatus.DONE)),
        very=Count("pk", filter=Q(status=CallbackStatus.DONE, satisfaction=Satisfaction.VERY_SATISFIED)),
        unreachable=Count("pk", filter=Q(status=CallbackStatus.UNREACHABLE)),
    )
    complaints = own_work_complaints(start, end, person_ids=technician_ids)
    result = {
        r["technician_id"]: TechnicianMonth(
            r["technician_id"], r["technician__name"], r["answered"], r["very"], r["unreachable"], complaints.get(r["technician_id"], ("", 0))[1]
        )
        for r in rows
    }
    for tech_id, (name, n) in complaints.items():
        if tech_id not in result:
            result[tech_id] = TechnicianMonth(tech_id, name, 0, 0, 0, n)
    return result


@dataclass(frozen=True)
class DepartmentMonth:
    clients_served: int
    clients_called_back: int
    overdue: int
    target: Decimal
    target_version: int

    @property
    def coverage(self) -> Decimal | None:
        return percent(self.clients_called_back, self.clients_served)

    @property
    def below_target(self) -> bool:
        return self.coverage is not None and self.coverage < self.target


SERVED_ACTIONS = ("resolve", "return_device")


def department_month_figures(month: date) -> DepartmentMonth:
    """R-K8 coverage (clients called back ÷ clients served, target ≥ `callback.coverage_target_percent`) and
    overdue callbacks. Two queries.

    R-K8 Decision: clients *served* come from the month's work itself — work orders resolved on site or carry-in
    devices returned in the month (their `WorkOrderEvent`) — together with the clients of the month's callbacks;
    counting only the clients that already have a callback row would make coverage 100 % by construction.
    A carry-in device returned to its client is a service too."""
    from servicedesk.models import WorkOrderEvent

    start, end = month_bounds(month)
    agg = Callback.objects.filter(completed_at__gte=start, completed_at__lt=end).aggregate(
        called=Count("client", distinct=True, filter=Q(status=CallbackStatus.DONE)),
        overdue=Count("pk", filter=Q(overdue_at__isnull=False)),
    )
    # a UNION of two index range scans (events by time, callbacks by completion), not an OR across two joins
    served = (
        WorkOrderEvent.objects.filter(action__in=SERVED_ACTIONS, at__gte=start, at__lt=end)
        .values_list("work_order__client_id", flat=True)
        .order_by()
        .union(Callback.objects.filter(completed_at__gte=start, completed_at__lt=end).values_list("client_id", flat=True).order_by())
        .count()
    )
    target = get_param("callback.coverage_target_percent", on=(end - timedelta(days=1)).date())
    return DepartmentMonth(served, agg["called"], agg["overdue"], target.value, target.version)


def work_order_panel(work_order, request) -> dict:
    """The technician sees the callback result on their work order."""
    return {"callback": Callback.objects.filter(work_order=work_order).first()}
