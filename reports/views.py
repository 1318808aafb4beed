"""Pages of the monthly report: the manager's month (tables + charts), the archive, the technician's own month.
Thin: they read the stored snapshot (one query) and call the services for compile/approve."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.months import month_or, next_month, previous_month
from servicedesk.permissions import has_role, require_role, require_staff, staff_of

from . import selectors, services
from .api import readable, workbook_response
from .definitions import definitions


def _default_month() -> date:
    return previous_month(timezone.localdate())


def _url(month: date) -> str:
    return f"{reverse('reports:monthly')}?month={month:%Y-%m}"


@login_required
def monthly(request):
    require_role(request.user, *selectors.VIEWERS)
    month = month_or(request.GET.get("month"), _default_month())
    report = selectors.report_for(month)
    ctx = {
        "month": month,
        "prev": previous_month(month),
        "next": next_month(month),
        "report": report,
        "can_manage": has_role(request.user, Role.MANAGER),
        "modes": selectors.mode_labels(),
        "kinds": selectors.kind_labels(),
    }
    if report is not None:
        body = report.data
        ctx.update(drafts=selectors.draft_statements(month) if not report.is_approved else [],
                   body=body, rows=selectors.technician_rows(body), d=selectors.department_view(body), charts=selectors.chart_data(body),
                   definitions=definitions(body))
    return render(request, "reports/monthly.html", ctx)


@login_required
@require_POST
def compile_view(request):
    require_role(request.user, Role.MANAGER)
    month = month_or(request.POST.get("month"), _default_month())
    try:
        services.compile_month(month=month, by=staff_of(request.user), now=timezone.now())
        messages.success(request, _("%(m)s 月度报表已编制。") % {"m": month.strftime("%Y-%m")})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_url(month))


@login_required
@require_POST
def approve_view(request):
    require_role(request.user, Role.MANAGER)
    month = month_or(request.POST.get("month"), _default_month())
    try:
        services.approve(month=month, by=staff_of(request.user), now=timezone.now(), digest=request.POST.get("digest", ""),
                         drafts_confirmed=request.POST.get("drafts_confirmed") == "1")
        messages.success(request, _("%(m)s 月度报表已审批并归档。") % {"m": month.strftime("%Y-%m")})
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_url(month))


@login_required
def export(request, month: str):
    require_role(request.user, *selectors.ARCHIVE_VIEWERS)
    report = selectors.report_for(month_or(month, _default_month()))
    if report is None:
        raise Http404(_("该月的报表尚未编制。"))
    if not readable(request.user, report):
        raise PermissionDenied
    return workbook_response(report)


@login_required
def archive(request):
    require_role(request.user, *selectors.ARCHIVE_VIEWERS)
    return render(request, "reports/archive.html", {"rows": selectors.archive_rows(120)})


@login_required
def archived(request, month: str):
    """An approved month read from the archive (admin sees approved months only)."""
    require_role(request.user, *selectors.ARCHIVE_VIEWERS)
    m = month_or(month, _default_month())
    report = selectors.report_for(m)
    if report is None or not readable(request.user, report):
        raise Http404(_("该月没有已审批的报表。"))
    body = report.data
    return render(
        request,
        "reports/monthly.html",
        {"month": m, "report": report, "body": body, "rows": selectors.technician_rows(body), "d": selectors.department_view(body), "charts": selectors.chart_data(body),
         "definitions": definitions(body), "can_manage": False, "archived": True,
         "modes": selectors.mode_labels(), "kinds": selectors.kind_labels()},
    )


@login_required
def my_report(request):
    """The technician's own row of the report, on the phone, with the same definitions (R-T1)."""
    staff = require_staff(request.user)
    month = month_or(request.GET.get("month"), _default_month())
    report = selectors.report_for(month)
    row = selectors.technician_row(report, staff.pk) if report is not None else None
    ctx = {"month": month, "prev": previous_month(month), "report": report, "row": row,
           "modes": selectors.mode_labels(), "kinds": selectors.kind_labels()}
    if report is not None:
        ctx["definitions"] = definitions(report.data)
    return render(request, "mobile/my_report.html", ctx)
