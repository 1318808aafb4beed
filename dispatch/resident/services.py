"""Writes of resident service (R-R1–R-R4). Keyword-only arguments, explicit `now`, one transaction each."""
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role, ServiceMode
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Site, Staff
from servicedesk.notifications import notify, notify_many
from servicedesk.params import get_param
from servicedesk.texts import Date, message
from servicedesk.workdays import add_working_days_marked

from ..models import CloseOut
from . import links
from .choices import BAD_RATINGS, DayMark, LinkPurpose, Rating, ReportStatus as RS, SheetStatus
from .models import AttendanceDay, AttendanceSheet, DocumentsDue, QualityEvaluation, ReportStep, ResidentPost, ResidentReport
from servicedesk.months import first_day, last_day, local_date, previous_month

# R-R2: whose step each status is, and where approving it leads.
STEPS = {
    RS.SUBMITTED: (Role.SUPERVISOR, RS.SUPERVISOR_APPROVED),
    RS.SUPERVISOR_APPROVED: (Role.MANAGER, RS.MANAGER_APPROVED),
    RS.MANAGER_APPROVED: (Role.GM_OFFICE, RS.STAMPED),
}
# who may send a report back at each step (the client returns through the signed link)
RETURN_ROLES = {
    RS.SUBMITTED: (Role.SUPERVISOR,),
    RS.SUPERVISOR_APPROVED: (Role.MANAGER,),
    RS.MANAGER_APPROVED: (Role.GM_OFFICE,),
    RS.STAMPED: (Role.SUPERVISOR, Role.GM_OFFICE),
    RS.CLIENT_RATED: (Role.ADMIN,),
}
EDITABLE = (RS.DRAFT, RS.RETURNED)


# ---------------------------------------------------------------- site group and documents due
def site_lead(site: Site) -> Staff | None:
    post = ResidentPost.objects.filter(site=site).select_related("lead").first()
    return post.lead if post else None


def set_site_lead(*, site: Site, lead: Staff, by: Staff) -> ResidentPost:
    if not by.has_role(Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(_("只有部门经理或行政部可以指定驻点组长。"))
    if not site.resident:
        raise DomainError(_("该网点不是驻点单位。"), field="site")
    post, _created = ResidentPost.objects.update_or_create(site=site, defaults={"lead": lead})
    return post


def documents_due_on(*, month: date) -> tuple[date, dict]:
    """R-R4 decision: the N-th working day of the next month (`resident.documents_due_working_day`)."""
    p = get_param("resident.documents_due_working_day", on=last_day(month))
    due, provisional = add_working_days_marked(last_day(month), int(p.value))
    return due, {"rule": "R-R4", "inputs": {"month": month.strftime("%Y-%m")}, "params": [p.as_explanation()], "provisional": provisional}


def ensure_documents_due(*, site: Site, month: date) -> DocumentsDue:
    month = first_day(month)
    row = DocumentsDue.objects.filter(site=site, month=month).first()
    if row is None:
        due, why = documents_due_on(month=month)
        row, _created = DocumentsDue.objects.get_or_create(
            site=site, month=month, defaults={"due_on": due, "explanation": why, "provisional": why["provisional"]}
        )
    return row


def refresh_documents(*, site: Site, month: date, now: datetime) -> DocumentsDue:
    """Mark the month's documents complete once attendance, quality evaluation and every report are in."""
    row = ensure_documents_due(site=site, month=month)
    if row.completed_at is not None:
        return row
    sheet_in = AttendanceSheet.objects.filter(site=site, month=row.month, submitted_at__isnull=False).exists()
    evaluation_in = QualityEvaluation.objects.filter(site=site, month=row.month).exists()
    technicians = set(Staff.objects.filter(resident_site=site, active=True).values_list("pk", flat=True))
    reported = set(
        ResidentReport.objects.filter(site=site, month=row.month, first_submitted_at__isnull=False).values_list("technician_id", flat=True)
    )
    if sheet_in and evaluation_in and technicians <= reported and reported:
        row.completed_at = now
        row.save(update_fields=["completed_at"])
    return row


def open_documents_due(*, now: datetime) -> int:
    """Beat (R-R4): the previous month's documents row for every resident site (idempotent)."""
    month = previous_month(local_date(now))
    due, why = documents_due_on(month=month)
    sites = list(Site.objects.filter(resident=True).values_list("pk", flat=True))
    rows = [DocumentsDue(site_id=pk, month=month, due_on=due, explanation=why, provisional=why["provisional"]) for pk in sites]
    DocumentsDue.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def remind_overdue_documents(*, now: datetime) -> int:
    """Beat (R-R4): remind the site's lead and admin once a day about each overdue month's documents."""
    today = local_date(now)
    rows = list(
        DocumentsDue.objects.filter(completed_at__isnull=True, due_on__lt=today)
        .exclude(last_reminded_on=today)
        .select_related("site__client", "site__resident_post__lead__user")
    )
    if not rows:
        return 0
    admins = list(Staff.objects.active().with_role(Role.ADMIN).select_related("user"))
    alerts = []
    for row in rows:
        post = getattr(row.site, "resident_post", None)
        recipients = admins + ([post.lead] if post else [])
        text = message(N_("%(site)s %(month)s 的驻点月度资料(考勤表、月报、质量评价表)已超过截止日期 %(due)s,请尽快提交。"),
                       site=str(row.site), month=row.month.strftime("%Y-%m"), due=Date(row.due_on))
        alerts.append((recipients, f"resident-docs:{row.pk}:{today.isoformat()}", text, reverse("dispatch:resident:documents")))
        row.last_reminded_on = today
    with transaction.atomic():
        notify_many(alerts=alerts, now=now)
        DocumentsDue.objects.bulk_update(rows, ["last_reminded_on"])
    return len(rows)


def recompute_provisional_documents_due(*, year: int, user=None, now: datetime) -> list[DocumentsDue]:
    """SPEC §11: open documents rows whose due date was computed on a provisional year are computed again when the
    official year is loaded; a move is kept in the row's explanation (old date, new date, why, who) and the site's
    lead is told once. Completed rows are never touched. Runs inside the transaction that loads the year."""
    by = Staff.objects.filter(user=user).first() if user is not None else None
    rows = list(
        DocumentsDue.objects.select_for_update(of=("self",))
        .filter(completed_at__isnull=True, provisional=True)
        .select_related("site__client", "site__resident_post__lead")
        .order_by("pk")
    )
    dues: dict[date, tuple[date, dict]] = {}
    moved, alerts = [], []
    reason = message(N_("%(year)s 年官方工作日历已录入,截止日期按官方日历重算(SPEC §11)"), year=year)
    for row in rows:
        if row.month not in dues:
            dues[row.month] = documents_due_on(month=row.month)
        due, why = dues[row.month]
        moves = list(row.explanation.get("moves", []))
        if due != row.due_on:
            moves.append({"from": row.due_on.isoformat(), "to": due.isoformat(), "reason": reason,
                          "by": by.name if by else "", "at": now.isoformat()})
            post = getattr(row.site, "resident_post", None)
            if post is not None:
                text = message(N_("%(site)s %(month)s 驻点月度资料的截止日期已由 %(old)s 调整为 %(new)s(%(year)s 年官方工作日历已录入)。"),
                               site=str(row.site), month=row.month.strftime("%Y-%m"), old=Date(row.due_on), new=Date(due),
                               year=year)
                alerts.append(([post.lead], f"calendar-{year}-{now:%Y%m%d%H%M%S}-docs-{row.pk}", text,
                               reverse("dispatch:resident:documents")))
            moved.append(row)
        row.due_on, row.provisional = due, why["provisional"]
        row.explanation = {**why, "moves": moves}
    with transaction.atomic():
        DocumentsDue.objects.bulk_update(rows, ["due_on", "provisional", "explanation"])
        notify_many(alerts=alerts, now=now)
    return moved


def on_calendar_year_loaded(sender, *, year: int, user=None, now: datetime, **kwargs) -> None:
    recompute_provisional_documents_due(year=year, user=user, now=now)


# ---------------------------------------------------------------- attendance (R-R1)
def _require_lead(site: Site, by: Staff) -> None:
    lead = site_lead(site)
    if not (by.has_role(Role.MANAGER, Role.ADMIN) or (lead is not None and lead.pk == by.pk)):
        raise PermissionDenied(_("只有本驻点的组长可以填写考勤表。"))


def attendance_sheet(*, site: Site, month: date, by: Staff, create: bool = True) -> AttendanceSheet:
    """The site's sheet of the month, for its lead. `create=False` (reading a page: a GET writes nothing) gives the
    stored sheet or a blank, unsaved one; the sheet is stored when the lead first saves a mark."""
    if not site.resident:
        raise DomainError(_("该网点不是驻点单位。"), field="site")
    _require_lead(site, by)
    lead = site_lead(site) or by
    if not create:
        stored = AttendanceSheet.objects.filter(site=site, month=first_day(month)).first()
        return stored or AttendanceSheet(site=site, month=first_day(month), lead=lead)
    sheet, _created = AttendanceSheet.objects.get_or_create(site=site, month=first_day(month), defaults={"lead": lead})
    return sheet


def mark_attendance(*, sheet: AttendanceSheet, by: Staff, marks: list[dict], now: datetime) -> AttendanceSheet:
    """`marks` = [{"technician": id, "day": date, "mark": DayMark}], all or nothing. An empty mark clears the day."""
    _require_lead(sheet.site, by)
    with transaction.atomic():
        sheet = AttendanceSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.status == SheetStatus.SUBMITTED:
            raise ConflictError(_("考勤表已提交行政部,不能再修改。"))
        residents = set(Staff.objects.filter(resident_site_id=sheet.site_id).values_list("pk", flat=True))
        first, last = sheet.month, last_day(sheet.month)
        for n, m in enumerate(marks, start=1):
            if m.get("technician") not in residents:
                raise DomainError(_("第 %(n)s 行:该技术员不是本驻点的驻点技术员。") % {"n": n}, field="marks")
            if not isinstance(m.get("day"), date) or not first <= m["day"] <= last:
                raise DomainError(_("第 %(n)s 行:日期不在本月内。") % {"n": n}, field="marks")
            if m.get("mark") and m["mark"] not in DayMark.values:
                raise DomainError(_("第 %(n)s 行:考勤类型无效。") % {"n": n}, field="marks")
        for m in marks:
            if m.get("mark"):
                AttendanceDay.objects.update_or_create(technician_id=m["technician"], day=m["day"], defaults={"sheet": sheet, "mark": m["mark"]})
            else:
                AttendanceDay.objects.filter(sheet=sheet, technician_id=m["technician"], day=m["day"]).delete()
    return sheet


def submit_attendance(*, sheet: AttendanceSheet, by: Staff, now: datetime) -> AttendanceSheet:
    _require_lead(sheet.site, by)
    with transaction.atomic():
        sheet = AttendanceSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.status == SheetStatus.SUBMITTED:
            raise ConflictError(_("考勤表已提交。"))
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, now
        sheet.save(update_fields=["status", "submitted_at"])
        refresh_documents(site=sheet.site, month=sheet.month, now=now)
        notify(  # R-R1: submitted to admin
            recipients=list(Staff.objects.active().with_role(Role.ADMIN).select_related("user")),
            key=f"attendance-submitted:{sheet.pk}",
            message=message(N_("%(site)s %(month)s 驻点考勤表已提交。"), site=str(sheet.site), month=sheet.month.strftime("%Y-%m")),
            link=f"{reverse('dispatch:resident:attendance')}?site={sheet.site_id}&month={sheet.month:%Y-%m}",
            now=now,
        )
    return sheet


def submit_quality_evaluation(*, site: Site, month: date, content: str, by: Staff, now: datetime) -> QualityEvaluation:
    if not by.has_role(Role.SUPERVISOR, Role.MANAGER, Role.ADMIN) and (site_lead(site) is None or site_lead(site).pk != by.pk):
        raise PermissionDenied(_("只有驻点组长、监督组长或部门经理可以提交质量评价表。"))
    if not (content or "").strip():
        raise DomainError(_("请填写质量评价内容。"), field="content")
    with transaction.atomic():
        ev, created = QualityEvaluation.objects.get_or_create(
            site=site, month=first_day(month), defaults={"content": content.strip(), "submitted_by": by, "submitted_at": now}
        )
        if not created:
            raise ConflictError(_("本月的质量评价表已提交。"))
        refresh_documents(site=site, month=month, now=now)
    return ev


# ---------------------------------------------------------------- the monthly report (R-R2)
def resident_counts(*, technician: Staff, month: date) -> dict:
    """Counts by service kind of the technician's resolved resident work orders of the month."""
    from servicedesk.months import month_bounds

    start, end = month_bounds(month)
    rows = (
        CloseOut.objects.filter(technician=technician, completed_at__gte=start, completed_at__lt=end, work_order__service_mode=ServiceMode.RESIDENT)
        .values("work_order__content")
        .annotate(n=Count("id"))
    )
    return {r["work_order__content"]: r["n"] for r in rows}


def _step(report, *, action, old, by=None, client="", now, reason=""):
    ReportStep.objects.create(report=report, action=action, from_status=old, to_status=report.status, by=by, by_client=client, at=now, reason=reason)


def _locked(report) -> ResidentReport:
    return ResidentReport.objects.select_for_update(of=("self",)).select_related("site", "technician").get(pk=report.pk)


def start_report(*, technician: Staff, month: date, by: Staff, now: datetime) -> ResidentReport:
    """The technician's report of a month (created once), with counts drawn from their resident work orders."""
    if by.pk != technician.pk:
        raise PermissionDenied(_("只能填写本人的驻场月报。"))
    if not technician.resident_site_id:
        raise DomainError(_("您不是驻点技术员,没有驻场月报。"), field="technician")
    month = first_day(month)
    with transaction.atomic():
        report, created = ResidentReport.objects.get_or_create(
            technician=technician, month=month, defaults={"site_id": technician.resident_site_id}
        )
        if created or report.status in EDITABLE:
            report.counts = resident_counts(technician=technician, month=month)
            report.save(update_fields=["counts"])
        ensure_documents_due(site=report.site, month=month)
    return report


def update_report(*, report: ResidentReport, by: Staff, work_done: str, issues: str = "", suggestions: str = "", now: datetime) -> ResidentReport:
    with transaction.atomic():
        report = _locked(report)
        if report.technician_id != by.pk:
            raise PermissionDenied(_("只能填写本人的驻场月报。"))
        if report.status not in EDITABLE:
            raise ConflictError(_("月报已提交,当前状态“%(s)s”下不能修改。") % {"s": report.get_status_display()})
        report.work_done, report.issues, report.suggestions = work_done.strip(), issues.strip(), suggestions.strip()
        report.counts = resident_counts(technician=report.technician, month=report.month)
        report.version += 1
        report.save()
    return report


def submit_report(*, report: ResidentReport, by: Staff, now: datetime) -> ResidentReport:
    with transaction.atomic():
        report = _locked(report)
        if report.technician_id != by.pk:
            raise PermissionDenied(_("只能提交本人的驻场月报。"))
        if report.status not in EDITABLE:
            raise ConflictError(_("月报当前状态“%(s)s”不能提交。") % {"s": report.get_status_display()})
        if not report.work_done.strip():
            raise DomainError(_("请填写本月工作内容。"), field="work_done")
        old = report.status
        report.status, report.submitted_at, report.returned_reason = RS.SUBMITTED, now, ""
        report.first_submitted_at = report.first_submitted_at or now
        report.version += 1
        report.save()
        _step(report, action="submit", old=old, by=by, now=now)
        refresh_documents(site=report.site, month=report.month, now=now)
    return report


def approve_report(*, report: ResidentReport, by: Staff, now: datetime) -> ResidentReport:
    """R-R2: supervisor → manager → GM office (records the stamp: who and when, and issues the client's link)."""
    with transaction.atomic():
        report = _locked(report)
        step = STEPS.get(report.status)
        if step is None:
            raise ConflictError(_("月报当前状态“%(s)s”没有待审批的步骤。") % {"s": report.get_status_display()})
        role, target = step
        if not by.has_role(role):
            raise PermissionDenied(_("当前步骤应由%(role)s审批。") % {"role": Role(role).label})
        old = report.status
        report.status = target
        if target == RS.STAMPED:
            report.stamped_by, report.stamped_at = by, now
        report.version += 1
        report.save()
        _step(report, action="stamp" if target == RS.STAMPED else "approve", old=old, by=by, now=now)
        if target == RS.STAMPED:
            links.issue_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk, by=by, now=now)
    return report


def return_report(*, report: ResidentReport, by: Staff, reason: str, now: datetime) -> ResidentReport:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("退回时请填写原因。"), field="reason")
    with transaction.atomic():
        report = _locked(report)
        roles = RETURN_ROLES.get(report.status)
        if roles is None:
            raise ConflictError(_("月报当前状态“%(s)s”不能退回。") % {"s": report.get_status_display()})
        if not by.has_role(*roles):
            raise PermissionDenied(_("当前步骤应由%(role)s处理。") % {"role": "、".join(str(Role(r).label) for r in roles)})
        old = report.status
        _reopen(report, reason=reason, now=now)
        _step(report, action="return", old=old, by=by, now=now, reason=reason)
    _notify_returned(report, reason=reason, now=now)
    return report


def _reopen(report, *, reason, now):
    """Back to the technician: the stamp and any rating link of this round are void."""
    from .models import ClientLink

    report.status, report.returned_reason = RS.RETURNED, reason
    report.stamped_by = report.stamped_at = None
    report.client_rating, report.client_comment, report.client_name, report.rated_at = "", "", "", None
    report.version += 1
    report.save()
    ClientLink.objects.filter(
        purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)


def _notify_returned(report, *, reason, now):
    notify(
        recipients=[report.technician],
        key=f"resident-report-returned:{report.pk}:{report.version}",
        message=message(N_("您 %(month)s 的驻场月报被退回:%(reason)s"), month=report.month.strftime("%Y-%m"), reason=reason),
        link=reverse("dispatch:resident:report", args=[report.pk]),
        now=now,
    )


def archive_report(*, report: ResidentReport, by: Staff, now: datetime) -> ResidentReport:
    with transaction.atomic():
        report = _locked(report)
        if not by.has_role(Role.ADMIN):
            raise PermissionDenied(_("只有行政部可以归档月报。"))
        if report.status != RS.CLIENT_RATED:
            raise ConflictError(_("只有客户已评价的月报才能归档。"))
        old = report.status
        report.status, report.archived_at = RS.ARCHIVED, now
        report.version += 1
        report.save()
        _step(report, action="archive", old=old, by=by, now=now)
    return report


def new_rating_link(*, report: ResidentReport, by: Staff, now: datetime):
    """A fresh link for a stamped report (the old one is revoked), e.g. when the first expired."""
    if not by.has_role(Role.SUPERVISOR, Role.GM_OFFICE, Role.MANAGER):
        raise PermissionDenied(_("您的角色无权执行此操作。"))
    if report.status != RS.STAMPED:
        raise ConflictError(_("月报不在客户评价步骤,不能生成评价链接。"))
    return links.issue_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk, by=by, now=now)


# ---------------------------------------------------------------- the client's step (signed link, R-R3)
def report_for_token(*, token: str, now: datetime) -> ResidentReport:
    link = links.resolve_link(token=token, purpose=LinkPurpose.RESIDENT_RATING, now=now)
    return ResidentReport.objects.select_related("site__client", "technician", "stamped_by").get(pk=link.object_id)


def rate_report(*, token: str, rating: str, comment: str = "", client_name: str = "", now: datetime) -> ResidentReport:
    if rating not in Rating.values:
        raise DomainError(_("请选择评价:很好、好、一般、较差或差。"), field="rating")
    with transaction.atomic():
        link = links.resolve_link(token=token, purpose=LinkPurpose.RESIDENT_RATING, now=now, for_update=True)
        report = _locked(ResidentReport(pk=link.object_id))
        if report.status != RS.STAMPED:
            raise ConflictError(_("该月报不在客户评价步骤,不能评价。"))
        old = report.status
        report.client_rating, report.client_comment = rating, (comment or "").strip()[:2000]
        report.client_name, report.rated_at, report.status = (client_name or "").strip()[:40], now, RS.CLIENT_RATED
        report.version += 1
        report.save()
        link.used_at = now
        link.save(update_fields=["used_at"])
        _step(report, action="rate", old=old, client=report.client_name or _("客户"), now=now, reason=report.client_comment)
        if rating in BAD_RATINGS:
            managers = list(Staff.objects.active().with_role(Role.MANAGER).select_related("user"))
            notify(
                recipients=managers,
                key=f"resident-bad-rating:{report.pk}",
                message=message(N_("客户对 %(site)s %(tech)s %(month)s 的驻场服务评价为“%(rating)s”:%(comment)s"),
                                site=str(report.site), tech=str(report.technician), month=report.month.strftime("%Y-%m"),
                                rating=Rating(rating).label, comment=report.client_comment or "—"),
                link=reverse("dispatch:resident:report", args=[report.pk]),
                now=now,
            )
    return report


def client_complaint(*, token: str, words: str, client_name: str = "", now: datetime):
    """R-K10: the client complains through the rating link (about this technician's month of service)."""

    def subject(report_id):
        report = ResidentReport.objects.select_related("site__client", "technician").get(pk=report_id)
        return report.site.client, report.technician

    return links.complain_through_link(token=token, purpose=LinkPurpose.RESIDENT_RATING, words=words,
                                       client_name=client_name, now=now, subject=subject)


def client_return(*, token: str, reason: str, client_name: str = "", now: datetime) -> ResidentReport:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("退回时请填写原因。"), field="reason")
    with transaction.atomic():
        link = links.resolve_link(token=token, purpose=LinkPurpose.RESIDENT_RATING, now=now, for_update=True)
        report = _locked(ResidentReport(pk=link.object_id))
        if report.status != RS.STAMPED:
            raise ConflictError(_("该月报不在客户评价步骤。"))
        link.used_at = now
        link.save(update_fields=["used_at"])
        old = report.status
        _reopen(report, reason=reason, now=now)
        _step(report, action="return", old=old, client=(client_name or "").strip()[:40] or _("客户"), now=now, reason=reason)
    _notify_returned(report, reason=reason, now=now)
    return report


def on_leave_ids(*, on: date) -> set[int]:
    """R-R1 → dispatch: technicians marked on leave that day on an attendance sheet."""
    return set(AttendanceDay.objects.filter(day=on, mark=DayMark.LEAVE).values_list("technician_id", flat=True))


def on_leave_by_day(*, days) -> dict[date, set[int]]:
    """`on_leave_ids` for several days in one query: {day: {technician ids}}."""
    out: dict[date, set[int]] = {d: set() for d in days}
    for tech_id, day in AttendanceDay.objects.filter(day__in=list(out), mark=DayMark.LEAVE).values_list("technician_id", "day"):
        out[day].add(tech_id)
    return out
