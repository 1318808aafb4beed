"""Pages of sales and receivables (thin: services decide, selectors read)."""
import io
import os
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.models import Client, Staff
from servicedesk.permissions import require_role, staff_of

from . import excel, selectors, services
from .choices import OverdueCause, ReceivableStatus, StatementStatus
from .models import ExportJob, OverdueReview, OverdueReviewItem, SalesConfirmation

FINANCE_SIDE = (Role.FINANCE, Role.MANAGER)
SYNC_EXPORT_LIMIT = 5000  # larger exports go to the Celery job with a progress bar
PAGE_ROWS = 200


def _as_of(request):
    try:
        return date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _filters(request):
    try:
        return selectors.LedgerFilters.from_dict(request.GET), None
    except DomainError as exc:
        return selectors.LedgerFilters(), {exc.field: str(exc.message)}


@login_required
def ledger(request):
    """Finance's receivable ledger (R-S8) with filters, ageing per client and bucket, and the Excel export."""
    require_role(request.user, *FINANCE_SIDE)
    as_of = _as_of(request)
    filters, error = _filters(request)
    viewer = staff_of(request.user)
    buckets, _explanation = selectors.ageing_buckets(on=as_of)
    qs = selectors.ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    rows = list(qs.select_related("client", "technician", "salesperson").order_by("client__name", "sold_on", "number")[:PAGE_ROWS])
    labels = {b.key: b.label for b in buckets} | {selectors.SETTLED.key: selectors.SETTLED.label}
    for row in rows:
        row.bucket_label = labels.get(row.bucket, row.bucket)
    summary = selectors.ageing_summary(as_of=as_of, filters=filters, viewer=viewer)
    jobs = ExportJob.objects.filter(requested_by=viewer).order_by("-created_at")[:5] if viewer else []
    return render(request, "receivables/ledger.html", {
        "rows": rows, "summary": summary, "as_of": as_of, "filters": filters, "error": error, "page_rows": PAGE_ROWS,
        "clients": Client.objects.filter(sales_confirmations__isnull=False).distinct().only("id", "name"),
        "technicians": Staff.objects.technicians().only("id", "name"),
        "statuses": ReceivableStatus.choices, "jobs": jobs, "query": request.GET.urlencode(),
    })


@login_required
def export(request):
    """GET: a small export downloads at once; POST (or too many rows): a Celery job with a progress bar."""
    require_role(request.user, *FINANCE_SIDE)
    as_of = _as_of(request)
    viewer = staff_of(request.user)
    source = request.POST if request.method == "POST" else request.GET
    try:
        filters = selectors.LedgerFilters.from_dict(source)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("receivables:ledger")
    count = selectors.ledger(as_of=as_of, filters=filters, viewer=viewer).count()
    if request.method == "POST" or count > SYNC_EXPORT_LIMIT:
        job = services.start_export_job(filters=filters.as_dict(), as_of=as_of, by=viewer, now=timezone.now())
        messages.info(request, _("导出任务已提交(%(n)s 行),完成后可下载。") % {"n": count})
        return redirect(f"{_ledger_url()}?{source.urlencode() if hasattr(source, 'urlencode') else ''}#job-{job.pk}")
    buf = io.BytesIO()
    excel.export_ledger(out=buf, as_of=as_of, filters=filters, viewer=viewer)
    response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="receivables-{as_of:%Y%m%d}.xlsx"'
    return response


def _ledger_url():
    from django.urls import reverse

    return reverse("receivables:ledger")


@login_required
def export_status(request, pk):
    """htmx fragment polled by the ledger page until the job is done."""
    require_role(request.user, *FINANCE_SIDE)
    job = get_object_or_404(ExportJob, pk=pk, requested_by=staff_of(request.user))
    return render(request, "receivables/_export_job.html", {"job": job})


@login_required
def export_download(request, pk):
    require_role(request.user, *FINANCE_SIDE)
    job = get_object_or_404(ExportJob, pk=pk, requested_by=staff_of(request.user))
    if not job.file:
        raise Http404
    path = os.path.join(settings.MEDIA_ROOT, job.file)
    if not os.path.exists(path):
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True, filename=os.path.basename(path))


@login_required
def my_ledger(request):
    """R-S6: a technician's own sales ledger with the latest reconciliation differences."""
    require_role(request.user, Role.TECHNICIAN)
    me = staff_of(request.user)
    as_of = timezone.localdate()
    if request.method == "POST":
        conf = get_object_or_404(SalesConfirmation.objects.filter(technician=me), pk=request.POST.get("confirmation"))
        services.record_in_ledger(confirmation=conf, by=me, now=timezone.now())
        messages.success(request, _("%(n)s 已记入我的销售台账。") % {"n": conf.number})
        return redirect("receivables:my_ledger")
    rows = list(selectors.technician_ledger(technician=me, as_of=as_of)[:PAGE_ROWS])
    rec = me.sales_reconciliations.order_by("-week_of").first()
    differences = list(rec.differences.select_related("confirmation__client")) if rec else []
    return render(request, "receivables/my_ledger.html", {"rows": rows, "rec": rec, "differences": differences, "as_of": as_of})


@login_required
def confirmation_detail(request, pk):
    staff = staff_of(request.user)
    if staff is None and not request.user.is_superuser:
        raise PermissionDenied
    conf = get_object_or_404(selectors.confirmations_for(staff).prefetch_related("due_date_changes", "extensions", "payments"), pk=pk)
    return render(request, "receivables/confirmation_detail.html", {"conf": conf})


@login_required
def register(request):
    """R-S1: the coordinator scans or types the number of a returned delivery copy."""
    require_role(request.user, Role.COORDINATOR, Role.MANAGER)
    error = None
    number = ""
    if request.method == "POST":
        number = request.POST.get("number", "")
        try:
            conf = services.register_delivery_copy(number=number, by=staff_of(request.user), now=timezone.now())
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("已登记送货联 %(n)s(%(c)s,¥%(a)s)。") % {"n": conf.number, "c": conf.client.name, "a": conf.amount})
            return redirect("receivables:register")
    recent = SalesConfirmation.objects.filter(registered_at__isnull=False).select_related("client", "technician").order_by("-registered_at")[:20]
    return render(request, "receivables/register.html", {"error": error, "number": number, "recent": recent}, status=400 if error else 200)


@login_required
def overdue_review(request):
    """R-S6/R-S7: Monday-morning overdue review with follow-up owner and notes; technician-caused → P11 (R-S5)."""
    require_role(request.user, Role.MANAGER)
    review = OverdueReview.objects.order_by("-week_of").first()
    errors = {}
    if request.method == "POST" and review is not None:
        item = get_object_or_404(OverdueReviewItem, pk=request.POST.get("item"), review=review)
        try:
            services.note_overdue_item(item=item, cause=request.POST.get("cause", ""), note=request.POST.get("note", ""),
                                       by=staff_of(request.user), now=timezone.now())
        except DomainError as exc:
            errors[item.pk] = exc.message
        else:
            messages.success(request, _("已记录。"))
            return redirect("receivables:overdue_review")
    items = list(selectors.overdue_items(review=review)) if review else []
    return render(request, "receivables/overdue_review.html",
                  {"review": review, "items": items, "causes": OverdueCause.choices, "errors": errors})


@login_required
def import_view(request):
    """Finance imports opening balances / historical confirmations; any bad row rejects the whole file."""
    require_role(request.user, Role.FINANCE)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            report = {"message": _("请选择要导入的 Excel 文件。"), "errors": []}
        else:
            try:
                result = excel.import_confirmations(file=upload, by=staff_of(request.user), now=timezone.now())
            except excel.ImportRejected as exc:
                report = {"message": exc.message, "errors": [e.as_dict() for e in exc.errors[:500]], "total": len(exc.errors)}
            except DomainError as exc:
                report = {"message": exc.message, "errors": []}
            else:
                messages.success(request, _("已导入 %(n)s 张确认书(其中 %(p)s 笔期初收款)。") % {"n": result.created, "p": result.payments})
                return redirect("receivables:import")
    return render(request, "receivables/import.html", {"report": report, "columns": excel.IMPORT_COLUMNS},
                  status=400 if report else 200)


@login_required
def import_template(request):
    require_role(request.user, Role.FINANCE)
    response = HttpResponse(excel.import_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="receivables-import-template.xlsx"'
    return response


@login_required
def statements(request):
    """R-S2: monthly statements and their review → check → send steps."""
    require_role(request.user, Role.FINANCE, Role.MANAGER, Role.COORDINATOR)
    rows = selectors.statements().order_by("-month", "client__name")[:200]
    return render(request, "receivables/statements.html", {"rows": rows, "Status": StatementStatus})


@login_required
@require_POST
def statement_step(request, pk, step):
    require_role(request.user, Role.FINANCE, Role.MANAGER, Role.COORDINATOR)
    fn = {"review": services.review_statement, "check": services.check_statement, "send": services.send_statement}.get(step)
    if fn is None:
        raise Http404
    stmt = get_object_or_404(selectors.statements(), pk=pk)
    try:
        fn(statement=stmt, by=staff_of(request.user), now=timezone.now())
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("receivables:statements")
