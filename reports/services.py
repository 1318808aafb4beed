"""Writes of the monthly report (R-T1, R-T2): compile a month into its snapshot, approve it.

Keyword-only, one transaction each, explicit `now`. An approved month is never changed: compile and approve
refuse it with a ConflictError (HTTP 409) and the stored body stays byte for byte what was approved.
"""
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.months import month_start, previous_month
from servicedesk.workdays import first_working_day_of_month

from . import selectors
from .compiler import build_body, canonical_json, digest_of
from .models import MonthlyReport, ReportStatus

MANAGERS = (Role.MANAGER,)


def _require_manager(by) -> None:
    if by is None:
        return  # the scheduled job
    if not (by.user.is_superuser or (by.active and by.has_role(*MANAGERS))):
        raise PermissionDenied(_("只有部门经理可以编制或审批月度报表。"))


def _check_month(month: date, now: datetime) -> date:
    month = month_start(month)
    if month > timezone.localtime(now).date().replace(day=1):
        raise DomainError(_("不能编制未来月份的报表:%(m)s。") % {"m": month.strftime("%Y-%m")}, field="month")
    return month


def compile_month(*, month: date, now: datetime, by=None, auto: bool = False) -> MonthlyReport:
    """R-T1: (re)compile the month's snapshot. Same data → same bytes. Approved → ConflictError, unchanged."""
    _require_manager(by)
    month = _check_month(month, now)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(month=month).first()
        if report is not None and report.is_approved:
            raise ConflictError(
                _("%(m)s 的月度报表已审批,不能重新编制。") % {"m": month.strftime("%Y-%m")}, code="report_approved"
            )
        with translation.override(settings.LANGUAGE_CODE):  # stored labels never depend on the caller's language
            body = canonical_json(build_body(month))
        if report is None:
            report = MonthlyReport(month=month)
        report.body = body
        report.digest = digest_of(body)
        report.compiled_at = now
        report.compiled_by = by
        report.compile_count += 1
        if auto and report.auto_compiled_at is None:
            report.auto_compiled_at = now
        report.save()
    return report


def approve(*, month: date, by, now: datetime, digest: str = "", drafts_confirmed: bool = False) -> MonthlyReport:
    """R-T2: the manager approves the compiled month; it is archived for admin and frozen.
    `digest` (optional) guards against approving a body other than the one reviewed. While some of the month's
    bonus statements (R-M9) are still drafts the approval needs `drafts_confirmed` — the manager has seen the list
    (reports.selectors.draft_statements) and approves anyway; otherwise it is refused naming how many."""
    if by is None:
        raise PermissionDenied(_("只有部门经理可以编制或审批月度报表。"))
    _require_manager(by)
    month = month_start(month)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(month=month).first()
        if report is None:
            raise DomainError(_("%(m)s 的月度报表尚未编制,不能审批。") % {"m": month.strftime("%Y-%m")}, field="month")
        if report.is_approved:
            raise ConflictError(_("%(m)s 的月度报表已审批。") % {"m": month.strftime("%Y-%m")}, code="report_approved")
        if digest and digest != report.digest:
            raise ConflictError(_("报表在您查看后已重新编制,请刷新后再审批。"), code="stale_report")
        drafts = selectors.draft_statements(month)
        if drafts and not drafts_confirmed:
            raise DomainError(
                _("%(m)s 还有 %(n)s 张月度结算单是草稿(%(who)s):请确认仍要审批月报。")
                % {"m": month.strftime("%Y-%m"), "n": len(drafts), "who": "、".join(s.person.name for s in drafts)},
                field="drafts_confirmed", code="draft_statements",
            )
        report.status = ReportStatus.APPROVED
        report.approved_by = by
        report.approved_at = now
        report.save(update_fields=["status", "approved_by", "approved_at"])
    return report


def scheduled_compile(*, on: date, now: datetime) -> MonthlyReport | None:
    """R-T1 beat job: from the first working day of a month on, close the previous month (R-M9 statements, once)
    and then compile its report — once. Before that day (a holiday-bounded month start) nothing happens; a missed
    run is caught up the next day; a month already compiled by the job, or approved, is left alone. The month
    close always comes first, so the report never shows rewards and fines as "—" for want of statements."""
    from bonuses import selectors as bonus_selectors
    from bonuses import services as bonus_services

    if on < first_working_day_of_month(on):
        return None
    target = previous_month(on)
    existing = MonthlyReport.objects.filter(month=target).only("status", "auto_compiled_at").first()
    if existing is not None and (existing.auto_compiled_at is not None or existing.is_approved):
        return None
    if not bonus_selectors.is_compiled(target):
        bonus_services.compile_month(month=target, by=None, now=now)
    return compile_month(month=target, now=now, by=None, auto=True)


def recompile_draft(*, month: date, now: datetime) -> MonthlyReport | None:
    """R-T1: the month's statements changed — compile its report again while it is a draft. No report yet (the
    scheduled job or the manager compiles it) or an approved one (never rewritten, R-T2): nothing happens."""
    report = MonthlyReport.objects.filter(month=month_start(month)).only("status").first()
    if report is None or report.is_approved:
        return None
    return compile_month(month=month, now=now, by=None)


def on_statements_changed(sender, *, month: date, **kwargs) -> None:
    """Receiver of bonuses.signals.statements_changed (connected in ReportsConfig.ready)."""
    recompile_draft(month=month, now=timezone.now())
