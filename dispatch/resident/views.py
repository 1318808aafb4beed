"""Pages of resident service (thin): the chain's to-dos, the report (phone + browser), the printable
report with approvals and stamp, the lead's attendance sheet, the quality evaluation, overdue documents,
and the client's public rating page behind a signed link (R-R3)."""
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import error_text
from servicedesk.models import Site
from servicedesk.pdf import pdf_response
from servicedesk.network import client_ip
from servicedesk.permissions import require_role, require_staff

from . import links, selectors, services
from .choices import DayMark, Rating, ReportStatus
from .models import ResidentReport
from servicedesk.months import first_day, parse_month, previous_month

CHAIN = (Role.SUPERVISOR, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN)


# ---------------------------------------------------------------- the chain (browser)
@login_required
def reports(request):
    """The chain's to-dos (supervisor, manager, GM office stamp, admin archive) and a bounded list."""
    me = require_staff(request.user)
    require_role(request.user, *CHAIN)
    todo, todo_total = selectors.todo(staff=me)
    status = request.GET.get("status") or None
    month = None
    if request.GET.get("month"):
        try:
            month = parse_month(request.GET["month"])
        except DomainError as exc:
            messages.error(request, exc.message)
    qs = selectors.reports_for(staff=me, status=status, month=month)
    rows = list(qs[:100])
    docs = selectors.documents_statuses(pairs=[(r.site_id, r.month) for r in rows + todo])
    today = timezone.localdate()
    for r in rows + todo:
        r.on_time = selectors.on_time(docs[(r.site_id, r.month)], r.technician_id, today=today)
    return render(request, "resident/reports.html", {
        "todo": todo, "todo_total": todo_total, "rows": rows, "total": qs.count(), "statuses": ReportStatus.choices, "status": status,
        "month": month,
    })


def _visible_report(me, pk):
    try:
        report = selectors.report_detail(pk=pk)
    except ResidentReport.DoesNotExist:
        raise Http404 from None
    if report.technician_id != me.pk and not me.has_role(*CHAIN):
        raise Http404  # another person's report: not found, never "exists but not yours" (rule 6)
    return report


@login_required
def report(request, pk):
    me = require_staff(request.user)
    report = _visible_report(me, pk)
    link = selectors.live_rating_link(report) if report.status == ReportStatus.STAMPED and me.has_role(*CHAIN) else None
    step = services.STEPS.get(report.status)
    return render(request, "resident/report.html", {
        "report": report,
        "can_approve": bool(step) and me.has_role(step[0]),
        "approve_label": _("盖章") if report.status == ReportStatus.MANAGER_APPROVED else _("审核通过"),
        "can_return": report.status in services.RETURN_ROLES and me.has_role(*services.RETURN_ROLES[report.status]),
        "can_archive": report.status == ReportStatus.CLIENT_RATED and me.has_role(Role.ADMIN),
        "rating_url": request.build_absolute_uri(f"/r/{link.token}/") if link else "",
        "documents_on_time": selectors.documents_on_time(report, today=timezone.localdate()),
        "photos": selectors.report_photos(report, viewer=me),
    })


@login_required
def print_report(request, pk):
    """The printable report: content, approvals, the GM office stamp record and the client's rating."""
    report = _visible_report(require_staff(request.user), pk)
    return render(request, "resident/print.html", {"report": report})


@login_required
def report_pdf(request, pk):
    """R-R2: the report as the client's paper (A4 PDF, Chinese unless `?lang=en`) — content, approvals, the GM
    office stamp and the client's rating — for the technician and the chain; 404 for anyone else (rule 6)."""
    me = require_staff(request.user)
    try:
        report = _visible_report(me, pk)
    except PermissionDenied:
        raise Http404 from None
    return pdf_response(request, template="resident/report_pdf.html", context={"report": report},
                        filename=f"驻场月报-{report.month:%Y-%m}-{report.technician.name}.pdf")


@login_required
@require_POST
def act(request, pk, action):
    me = require_staff(request.user)
    report = _visible_report(me, pk)
    now = timezone.now()
    try:
        if action == "approve":
            services.approve_report(report=report, by=me, now=now)
            messages.success(request, _("已处理。"))
        elif action == "return":
            services.return_report(report=report, by=me, reason=request.POST.get("reason", ""), now=now)
            messages.success(request, _("已退回。"))
        elif action == "archive":
            services.archive_report(report=report, by=me, now=now)
            messages.success(request, _("已归档。"))
        elif action == "link":
            services.new_rating_link(report=report, by=me, now=now)
            messages.success(request, _("已生成新的客户评价链接,旧链接作废。"))
        elif action == "submit":
            services.submit_report(report=report, by=me, now=now)
            messages.success(request, _("月报已提交。"))
        else:
            raise Http404
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    if action == "submit":
        return redirect("dispatch:resident:my")
    return redirect("dispatch:resident:report", pk=report.pk)


# ---------------------------------------------------------------- the technician's phone
@login_required
def my_reports(request):
    me = require_staff(request.user)
    rows = list(selectors.reports_for(staff=me).filter(technician=me)[:24])
    today = timezone.localdate()
    return render(request, "mobile/resident_reports.html", {
        "is_site_lead": bool(_lead_sites(me)) and not me.has_role(Role.MANAGER, Role.ADMIN),
        "rows": rows, "is_resident": bool(me.resident_site_id), "this_month": first_day(today), "last_month": previous_month(today),
    })


@login_required
def my_report(request, month):
    me = require_staff(request.user)
    try:
        month = parse_month(month)
    except DomainError:
        raise Http404 from None
    now = timezone.now()
    try:
        report = services.start_report(technician=me, month=month, by=me, now=now)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:resident:my")
    errors = {}
    if request.method == "POST":
        try:
            report = services.update_report(report=report, by=me, now=now, work_done=request.POST.get("work_done", ""),
                                            issues=request.POST.get("issues", ""), suggestions=request.POST.get("suggestions", ""))
            if request.POST.get("submit"):
                services.submit_report(report=report, by=me, now=now)
                messages.success(request, _("月报已提交,等待监督组长审核。"))
                return redirect("dispatch:resident:my")
            messages.success(request, _("已保存。"))
            return redirect("dispatch:resident:my_report", month=month.strftime("%Y-%m"))
        except (DomainError, ValidationError) as exc:
            errors[getattr(exc, "field", None) or "general"] = error_text(exc)
    report = selectors.report_detail(pk=report.pk)
    return render(request, "mobile/resident_report_form.html", {
        "report": report, "errors": errors, "editable": report.status in services.EDITABLE,
        "data": request.POST if request.method == "POST" else None,
        "photos": selectors.report_photos(report, viewer=me),
    })


# ---------------------------------------------------------------- the lead's attendance sheet (R-R1)
def _lead_sites(me):
    qs = Site.objects.filter(resident=True).select_related("client")
    if not me.has_role(Role.MANAGER, Role.ADMIN):
        qs = qs.filter(resident_post__lead=me)
    return list(qs.order_by("client__name", "name"))


@login_required
def attendance(request):
    """Browser grid and phone day view: the lead marks present / leave / absent / business trip."""
    me = require_staff(request.user)
    sites = _lead_sites(me)
    if not sites:
        raise PermissionDenied(_("您不是驻点组长。"))
    site = next((s for s in sites if str(s.pk) == request.GET.get("site", request.POST.get("site", ""))), sites[0])
    try:
        month = parse_month(request.GET.get("month") or request.POST.get("month") or timezone.localdate())
    except DomainError:
        month = first_day(timezone.localdate())
    # a GET writes nothing (the sheet is stored by the first save); a POST saves through the services
    sheet = services.attendance_sheet(site=site, month=month, by=me, create=request.method == "POST")
    now = timezone.now()
    if request.method == "POST":
        try:
            if request.POST.get("submit_sheet"):
                services.submit_attendance(sheet=sheet, by=me, now=now)
                messages.success(request, _("考勤表已提交行政部。"))
            else:
                marks = []
                for key, value in request.POST.items():
                    if not key.startswith("m-"):
                        continue
                    _m, tid, day = key.split("-", 2)
                    try:
                        marks.append({"technician": int(tid), "day": date.fromisoformat(day), "mark": value})
                    except ValueError:
                        raise DomainError(_("考勤数据格式不正确。"), field="marks") from None
                services.mark_attendance(sheet=sheet, by=me, marks=marks, now=now)
                messages.success(request, _("考勤已保存。"))
        except (DomainError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        return redirect(f"{request.path}?site={site.pk}&month={month:%Y-%m}" + (f"&day={request.POST.get('day')}" if request.POST.get("day") else ""))
    techs, days, grid = selectors.sheet_grid(sheet=sheet)
    day = None
    if request.GET.get("day"):
        try:
            day = date.fromisoformat(request.GET["day"])
        except ValueError:
            day = None
    today = timezone.localdate()
    if day is None or not (days and days[0] <= day <= days[-1]):
        day = today if days and days[0] <= today <= days[-1] else (days[0] if days else today)
    day_marks = [(t, dict(row).get(day, "")) for t, row in grid]
    return render(request, "resident/attendance.html", {
        "sites": sites, "site": site, "month": month, "sheet": sheet, "days": days, "grid": grid, "marks": DayMark.choices,
        "day": day, "day_marks": day_marks, "editable": sheet.status == "draft",
    })


@login_required
def evaluation(request):
    me = require_staff(request.user)
    require_role(request.user, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.TEAM_LEAD, Role.TECHNICIAN)
    sites = list(Site.objects.filter(resident=True).select_related("client").order_by("client__name", "name"))
    if request.method == "POST":
        try:
            site = get_object_or_404(Site, pk=request.POST.get("site"), resident=True)
            services.submit_quality_evaluation(site=site, month=parse_month(request.POST.get("month")), content=request.POST.get("content", ""),
                                               by=me, now=timezone.now())
            messages.success(request, _("质量评价表已提交。"))
            return redirect("dispatch:resident:evaluation")
        except (DomainError, ValidationError) as exc:
            messages.error(request, error_text(exc))
    return render(request, "resident/evaluation.html", {"sites": sites, "last_month": previous_month(timezone.localdate())})


@login_required
def documents(request):
    """R-R4: overdue documents, most overdue first, with what is missing."""
    require_role(request.user, *CHAIN, Role.TEAM_LEAD)
    rows, total = selectors.overdue_documents(on=timezone.localdate())
    return render(request, "resident/documents.html", {"rows": rows, "total": total})


# ---------------------------------------------------------------- the client's public page (signed link)
def public_rating(request, token):
    """R-R3: the client sees the report and rates it (or returns it with a reason). No account, one use."""
    now = timezone.now()
    try:
        links.check_rate(key=client_ip(request), now=now)
        report = services.report_for_token(token=token, now=now)
    except (links.LinkError, links.LinkUsed, links.TooManyAttempts) as exc:
        return render(request, "resident/public_message.html", {"message": exc.message}, status=exc.status_code)
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "complain":
                services.client_complaint(token=token, words=request.POST.get("words", ""),
                                          client_name=request.POST.get("client_name", ""), now=now)
                return render(request, "resident/public_message.html", {"message": _("投诉已收到,部门经理会在答复期限内与您联系。谢谢!"), "ok": True})
            if request.POST.get("action") == "return":
                services.client_return(token=token, reason=request.POST.get("reason", ""), client_name=request.POST.get("client_name", ""), now=now)
                return render(request, "resident/public_message.html", {"message": _("已退回,我们会尽快修改后重新提交。谢谢!"), "ok": True})
            services.rate_report(token=token, rating=request.POST.get("rating", ""), comment=request.POST.get("comment", ""),
                                 client_name=request.POST.get("client_name", ""), now=now)
            return render(request, "resident/public_message.html", {"message": _("评价已提交,感谢您的反馈!"), "ok": True})
        except (links.LinkError, links.LinkUsed) as exc:
            return render(request, "resident/public_message.html", {"message": exc.message}, status=exc.status_code)
        except DomainError as exc:
            errors[exc.field or "general"] = exc.message
    return render(request, "resident/public_rating.html", {"report": report, "ratings": Rating.choices, "errors": errors, "data": request.POST}, status=400 if errors else 200)
