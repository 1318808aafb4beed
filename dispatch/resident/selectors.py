"""Reads of resident service, each shaped for its page in a fixed number of queries."""
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from servicedesk.choices import Role
from servicedesk.models import Staff

from .choices import ReportStatus as RS
from .models import AttendanceDay, AttendanceSheet, ClientLink, DocumentsDue, QualityEvaluation, ReportStep, ResidentReport
from servicedesk.months import first_day, local_date

# the to-do of each role in the R-R2 chain
TODO_STATUS = {
    Role.SUPERVISOR: (RS.SUBMITTED, RS.STAMPED),
    Role.MANAGER: (RS.SUPERVISOR_APPROVED,),
    Role.GM_OFFICE: (RS.MANAGER_APPROVED,),
    Role.ADMIN: (RS.CLIENT_RATED,),
}
SEES_ALL = (Role.SUPERVISOR, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN)


def reports_for(*, staff: Staff, status: str | None = None, month: date | None = None):
    """Reports a person may see: the department's for the chain's roles, otherwise their own."""
    qs = ResidentReport.objects.select_related("site__client", "technician", "stamped_by")
    if not staff.has_role(*SEES_ALL):
        qs = qs.filter(technician=staff)
    if status:
        qs = qs.filter(status=status)
    if month:
        qs = qs.filter(month=first_day(month))
    return qs.order_by("-month", "site_id", "technician_id")


def todo_statuses(staff: Staff) -> list[str]:
    out = []
    for role, statuses in TODO_STATUS.items():
        if staff.has_role(role):
            out += [s for s in statuses if s not in out]
    return out


def todo(*, staff: Staff, limit: int = 100):
    statuses = todo_statuses(staff)
    if not statuses:
        return [], 0
    qs = ResidentReport.objects.filter(status__in=statuses).select_related("site__client", "technician").order_by("month", "submitted_at", "id")
    return list(qs[:limit]), qs.count()


def report_detail(*, pk: int) -> ResidentReport:
    return (
        ResidentReport.objects.select_related("site__client", "technician", "stamped_by")
        .prefetch_related(Prefetch("steps", queryset=ReportStep.objects.select_related("by")))
        .get(pk=pk)
    )


def live_rating_link(report) -> ClientLink | None:
    from .links import live_link
    from .choices import LinkPurpose

    return live_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk)


def documents_status(*, site_id: int, month: date) -> dict:
    """R-R4 for one site and month: which documents are in, when, and whether on time."""
    return documents_statuses(pairs=[(site_id, first_day(month))])[(site_id, first_day(month))]


def documents_statuses(*, pairs) -> dict:
    """{(site_id, month): {"due_on", "attendance_at", "evaluation_at", "reports": {tech_id: first_submitted_at}}} in 4 queries."""
    pairs = list(dict.fromkeys(pairs))
    sites = {p[0] for p in pairs}
    months = {p[1] for p in pairs}
    out = {p: {"due_on": None, "attendance_at": None, "evaluation_at": None, "reports": {}} for p in pairs}
    if not pairs:
        return out
    for row in DocumentsDue.objects.filter(site_id__in=sites, month__in=months):
        if (row.site_id, row.month) in out:
            out[(row.site_id, row.month)]["due_on"] = row.due_on
            out[(row.site_id, row.month)]["completed_at"] = row.completed_at
    for s in AttendanceSheet.objects.filter(site_id__in=sites, month__in=months, submitted_at__isnull=False):
        if (s.site_id, s.month) in out:
            out[(s.site_id, s.month)]["attendance_at"] = s.submitted_at
    for e in QualityEvaluation.objects.filter(site_id__in=sites, month__in=months):
        if (e.site_id, e.month) in out:
            out[(e.site_id, e.month)]["evaluation_at"] = e.submitted_at
    for r in ResidentReport.objects.filter(site_id__in=sites, month__in=months).values("site_id", "month", "technician_id", "first_submitted_at"):
        if (r["site_id"], r["month"]) in out:
            out[(r["site_id"], r["month"])]["reports"][r["technician_id"]] = r["first_submitted_at"]
    return out


def on_time(status: dict, technician_id: int, *, today: date | None = None) -> bool | None:
    """R-M3 "the month's documents were in on time": the attendance sheet, the quality evaluation and the
    technician's own report first submitted by the due date. None while not due and not all in."""
    due = status.get("due_on")
    if due is None:
        return None
    times = [status.get("attendance_at"), status.get("evaluation_at"), status["reports"].get(technician_id)]
    if all(t is not None for t in times):
        return all(local_date(t) <= due for t in times)
    if today is not None and today <= due:
        return None
    return False


def documents_on_time(report: ResidentReport, *, today: date | None = None) -> bool | None:
    return on_time(documents_status(site_id=report.site_id, month=report.month), report.technician_id, today=today)


def overdue_documents(*, on: date, limit: int = 100):
    """R-R4: the months whose documents are past due and not all in, most overdue first, with what is missing."""
    qs = DocumentsDue.objects.filter(completed_at__isnull=True, due_on__lt=on).select_related("site__client", "site__resident_post__lead")
    rows = list(qs.order_by("due_on", "site_id")[:limit])
    total = qs.count()
    statuses = documents_statuses(pairs=[(r.site_id, r.month) for r in rows])
    residents = {}
    for s in Staff.objects.filter(resident_site_id__in={r.site_id for r in rows}, active=True).values("pk", "name", "resident_site_id"):
        residents.setdefault(s["resident_site_id"], []).append(s)
    for r in rows:
        st = statuses[(r.site_id, r.month)]
        r.missing = []
        if st["attendance_at"] is None:
            r.missing.append("attendance")
        if st["evaluation_at"] is None:
            r.missing.append("evaluation")
        r.missing_reports = [s["name"] for s in residents.get(r.site_id, []) if st["reports"].get(s["pk"]) is None]
        r.days_late = (on - r.due_on).days
    return rows, total


def sheet_grid(*, sheet: AttendanceSheet):
    """The attendance sheet as rows of (technician, [mark per day]) in 2 queries."""
    from servicedesk.months import last_day

    techs = list(Staff.objects.filter(resident_site_id=sheet.site_id).order_by("name"))
    stored = AttendanceDay.objects.filter(sheet=sheet) if sheet.pk else AttendanceDay.objects.none()  # a blank sheet: none yet
    marks = {(d.technician_id, d.day): d.mark for d in stored}
    days = [sheet.month.replace(day=n) for n in range(1, last_day(sheet.month).day + 1)]
    return techs, days, [(t, [(d, marks.get((t.pk, d), "")) for d in days]) for t in techs]


def month_ratings(month) -> list[dict]:
    """For the monthly report (R-T1, R-M3/R-M4): every resident report of the month with its client rating (plain dicts)."""
    month = first_day(month)
    reports = list(
        ResidentReport.objects.filter(month=month).select_related("site__client", "technician").order_by("site_id", "technician_id")
    )
    statuses = documents_statuses(pairs=[(r.site_id, r.month) for r in reports])
    today = timezone.localdate()
    return [
        {
            "report": r.pk,
            "site": r.site_id,
            "site_name": str(r.site),
            "client": r.site.client.name,
            "person": r.technician_id,
            "person_name": r.technician.name,
            "month": r.month.strftime("%Y-%m"),
            "status": r.status,
            "client_rating": r.client_rating or None,
            "rated_at": timezone.localtime(r.rated_at).isoformat() if r.rated_at else None,
            "documents_on_time": on_time(statuses[(r.site_id, r.month)], r.technician_id, today=today),
        }
        for r in reports
    ]


def rated_between(*, start, end):
    """Reports the client rated in [start, end) — the month a rating's money lands in (R-M3/R-M4)."""
    return list(
        ResidentReport.objects.filter(rated_at__gte=start, rated_at__lt=end)
        .exclude(client_rating="")
        .exclude(status=RS.RETURNED)
        .select_related("site__client", "site__resident_post__lead", "technician")
        .order_by("rated_at", "id")
    )


def report_photos(report, *, viewer, limit: int = 24) -> list:
    """The newest photos of the work orders the report counts (the technician's resident orders closed out in the
    month, resident_counts), those `viewer` may see (R-R2: the month's work, shown; two queries)."""
    from servicedesk.choices import ServiceMode
    from servicedesk.months import month_bounds
    from servicedesk.selectors import photos_of_orders

    from ..models import CloseOut

    start, end = month_bounds(report.month)
    ids = CloseOut.objects.filter(
        technician_id=report.technician_id, completed_at__gte=start, completed_at__lt=end, work_order__service_mode=ServiceMode.RESIDENT,
    ).values_list("work_order_id", flat=True)
    return photos_of_orders(ids, viewer=viewer, limit=limit)
