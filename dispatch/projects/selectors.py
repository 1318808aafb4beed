"""Reads of team projects, shaped for their pages and the month close (fixed query counts)."""
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils import timezone

from servicedesk.months import first_day, month_bounds
from .choices import ProjectStatus
from .models import DailyReport, Project, ProjectMember, ProjectShare, WorkRecord


def project_list(*, status: str | None = None, staff=None, limit: int = 100):
    qs = Project.objects.select_related("client", "site", "manager").annotate(member_count=Count("members"))
    if status:
        qs = qs.filter(status=status)
    if staff is not None:
        from django.db.models import Q

        qs = qs.filter(Q(manager=staff) | Q(members__staff=staff)).distinct()
    return list(qs.order_by("-created_at", "-id")[:limit]), qs.count()


def project_detail(*, pk: int) -> Project:
    return (
        Project.objects.select_related("client", "site", "manager", "documents_responsible", "completed_by", "contract")
        .prefetch_related(
            Prefetch("members", queryset=ProjectMember.objects.select_related("staff")),
            Prefetch("shares", queryset=ProjectShare.objects.select_related("person")),
            Prefetch("daily_reports", queryset=DailyReport.objects.select_related("by")),
            Prefetch("work_records", queryset=WorkRecord.objects.select_related("technician")),
        )
        .get(pk=pk)
    )


def completed_in(*, month: date):
    start, end = month_bounds(month)
    return list(
        Project.objects.filter(status=ProjectStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end)
        .prefetch_related("members")
        .order_by("completed_at", "id")
    )


def shares_completed_in(*, month: date):
    start, end = month_bounds(month)
    return list(
        ProjectShare.objects.filter(project__completed_at__gte=start, project__completed_at__lt=end)
        .select_related("project")
        .order_by("project_id", "role", "person_id")
    )


def month_projects(month) -> list[dict]:
    """For the monthly report (R-T1): projects active or completed in the month, as plain dicts."""
    month = first_day(month)
    start, end = month_bounds(month)
    from django.db.models import Q

    projects = list(
        Project.objects.filter(Q(completed_at__gte=start, completed_at__lt=end) | Q(status=ProjectStatus.PLANNED, planned_start__lt=end.date()))
        .select_related("client", "manager")
        .prefetch_related(Prefetch("shares"), "members")
        .order_by("planned_start", "id")
    )
    return [
        {
            "project": p.pk,
            "number": p.number,
            "name": p.name,
            "client": p.client.name,
            "kind": p.kind,
            "status": p.status,
            "contract_amount": str(p.contract_amount) if p.contract_amount is not None else None,
            "manager": p.manager_id,
            "manager_name": p.manager.name,
            "members": len(p.members.all()),
            "planned_start": p.planned_start.isoformat(),
            "planned_end": p.planned_end.isoformat(),
            "completed_at": timezone.localtime(p.completed_at).isoformat() if p.completed_at else None,
            "client_satisfied": p.client_satisfied,
            "pool": str(p.pool) if p.pool is not None else None,
            "paid": str(sum((s.amount for s in p.shares.all()), start=Decimal("0.00"))),
        }
        for p in projects
    ]
