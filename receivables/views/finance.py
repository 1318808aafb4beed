"""Finance's pages: the receivable ledger and its workbook (R-S8), export and import jobs, payment entry and
the payments import. Thin: services decide, selectors read."""
import io
import os

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.models import Client, Staff
from servicedesk.paging import page_of, query_without_page
from servicedesk.permissions import require_role, staff_of

from .. import imports, ledger_export, selectors, services
from ..choices import PaymentMethod, ReceivableStatus
from ..models import ExportJob, ImportJob, MonthlyStatement, SalesConfirmation
from .common import as_of_param, parse_date, xlsx_response

FINANCE_SIDE = (Role.FINANCE, Role.MANAGER)
SYNC_EXPORT_LIMIT = 5000  # larger exports go to the Celery job with a progress bar


def _filters(request):
    try:
        return selectors.LedgerFilters.from_dict(request.GET), None
    except DomainError as exc:
        return selectors.LedgerFilters(), {exc.field: str(exc.message)}


@login_required
def ledger(request):
    """Finance's receivable ledger (R-S8) with filters, ageing per client and bucket, and the Excel export."""
    require_role(request.user, *FINANCE_SIDE)
    as_of = as_of_param(request)
    filters, error = _filters(request)
    viewer = staff_of(request.user)
    buckets, _explanation = selectors.ageing_buckets(on=as_of)
    qs = selectors.ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    # bounded screen (docs/developers.md rule 8): one page of rows and one page of the per-client summary; the
    # totals row is summed over every row the filters select, in the database (ageing_summary), not over the page
    page = page_of(request, qs.select_related("client", "technician", "salesperson").order_by("client__name", "sold_on", "number"))
    rows = list(page.object_list)
    labels = {b.key: b.label for b in buckets} | {selectors.SETTLED.key: selectors.SETTLED.label}
    for row in rows:
        row.bucket_label = labels.get(row.bucket, row.bucket)
    summary = selectors.ageing_summary(as_of=as_of, filters=filters, viewer=viewer)
    clients_page = page_of(request, summary["rows"], param="clients_page")
    jobs = list(ExportJob.objects.filter(requested_by=viewer).order_by("-created_at")[:5]) if viewer else []
    return render(request, "receivables/ledger.html", {
        "rows": rows, "page": page, "keep": query_without_page(request),
        "summary": summary, "clients_page": clients_page, "clients_keep": query_without_page(request, "clients_page"),
        "as_of": as_of, "filters": filters, "error": error,
        # EXISTS per client (index on client, sold_on), not a DISTINCT over every confirmation: costs clients, not rows
        "clients": Client.objects.filter(Exists(SalesConfirmation.objects.filter(client=OuterRef("pk")))).only("id", "name").order_by("name")[:500],
        "technicians": Staff.objects.technicians().only("id", "name"),
        "statuses": ReceivableStatus.choices, "jobs": jobs, "query": request.GET.urlencode(),
    })


def _ledger_url(filters, as_of) -> str:
    """The ledger page showing these filters: built from the parsed filters, never from a posted body (a CSRF
    token must not reach the address bar, the history or the logs)."""
    from urllib.parse import urlencode

    query = {k: v for k, v in {**filters.as_dict(), "as_of": as_of.isoformat()}.items() if v not in (None, "")}
    return f"{reverse('receivables:ledger')}?{urlencode(query)}"


@login_required
def export(request):
    """GET: a small export downloads at once (reading only). POST: a Celery job with a progress bar, then a
    redirect to the ledger (post/redirect/get). A GET over SYNC_EXPORT_LIMIT rows starts nothing: it says to
    use the background export (no state changes on GET)."""
    require_role(request.user, *FINANCE_SIDE)
    as_of = as_of_param(request)
    viewer = staff_of(request.user)
    source = request.POST if request.method == "POST" else request.GET
    try:
        filters = selectors.LedgerFilters.from_dict(source)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("receivables:ledger")
    count = selectors.ledger(as_of=as_of, filters=filters, viewer=viewer).count()
    if request.method == "POST":
        job = services.start_export_job(filters=filters.as_dict(), as_of=as_of, by=viewer, now=timezone.now())
        messages.info(request, _("导出任务已提交(%(n)s 行),完成后可下载。") % {"n": count})
        return redirect(f"{_ledger_url(filters, as_of)}#job-{job.pk}")
    if count > SYNC_EXPORT_LIMIT:
        messages.warning(
            request,
            _("共 %(n)s 行,超过即时导出的上限 %(max)s 行:请用“后台导出(大量数据)”。") % {"n": count, "max": SYNC_EXPORT_LIMIT},
        )
        return redirect(_ledger_url(filters, as_of))
    buf = io.BytesIO()
    ledger_export.export_ledger(out=buf, as_of=as_of, filters=filters, viewer=viewer)
    return xlsx_response(buf.getvalue(), ledger_export.file_name(as_of=as_of, filters=filters))


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


# --------------------------------------------------------------------------- imports


def _import_page(request, *, kind, template, columns, success):
    require_role(request.user, Role.FINANCE)
    me = staff_of(request.user)
    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            report = {"message": _("请选择要导入的 Excel 文件。"), "errors": []}
        else:
            try:
                result = services.start_import(kind=kind, file=upload, by=me, now=timezone.now())
            except imports.ImportRejected as exc:
                report = {"message": exc.message, "errors": [e.as_dict() for e in exc.errors[:500]], "total": len(exc.errors)}
            except DomainError as exc:
                report = {"message": exc.message, "errors": []}
            else:
                if isinstance(result, ImportJob):
                    messages.info(request, _("文件较大,已转为后台导入,可在下方查看进度。"))
                else:
                    messages.success(request, success(result))
                return redirect(request.path)
    jobs = list(ImportJob.objects.filter(requested_by=me, kind=kind).order_by("-created_at")[:5]) if me else []
    return render(request, template, {"report": report, "columns": columns, "jobs": jobs}, status=400 if report else 200)


@login_required
def import_view(request):
    """Finance imports opening balances / historical confirmations; any bad row rejects the whole file."""
    return _import_page(
        request, kind=ImportJob.Kind.CONFIRMATIONS, template="receivables/import.html", columns=imports.IMPORT_COLUMNS,
        success=lambda r: _("已导入 %(n)s 张确认书(其中 %(p)s 笔期初收款)。") % {"n": r.created, "p": r.payments},
    )


@login_required
def import_template(request):
    require_role(request.user, Role.FINANCE)
    return xlsx_response(imports.import_template(), "receivables-import-template.xlsx")


@login_required
def payments_import(request):
    """Finance's payments file: all rows or nothing, every bad row named with its column."""
    return _import_page(
        request, kind=ImportJob.Kind.PAYMENTS, template="receivables/payments_import.html", columns=imports.PAYMENT_COLUMNS,
        success=lambda r: _("已导入 %(n)s 笔收款,合计 ¥%(t)s。") % {"n": r.payments, "t": f"{r.total:,.2f}"},
    )


@login_required
def payments_template(request):
    require_role(request.user, Role.FINANCE)
    return xlsx_response(imports.payments_template(), "payments-import-template.xlsx")


@login_required
def import_status(request, pk):
    require_role(request.user, Role.FINANCE)
    job = get_object_or_404(ImportJob, pk=pk, requested_by=staff_of(request.user))
    return render(request, "receivables/_import_job.html", {"job": job})


# --------------------------------------------------------------------------- payment entry


@login_required
def payment_new(request):
    """Finance enters a receipt against a confirmation or a statement number; overpayment and a reused
    reference are refused with the field named."""
    require_role(request.user, Role.FINANCE, Role.MANAGER)
    me = staff_of(request.user)
    errors, values = {}, {"received_on": timezone.localdate().isoformat(), "method": PaymentMethod.TRANSFER}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in ("number", "amount", "received_on", "method", "reference", "note")}
        number = values["number"].upper()
        conf = SalesConfirmation.objects.filter(number=number).first() if number else None
        stmt = MonthlyStatement.objects.filter(number=number).first() if number and conf is None else None
        received_on = parse_date(values["received_on"])
        if not number:
            errors["number"] = _("请填写确认书或对账单编号。")
        elif conf is None and stmt is None:
            errors["number"] = _("没有编号为 %(n)s 的确认书或对账单。") % {"n": number[:40]}
        if received_on is None:
            errors["received_on"] = _("日期格式应为 YYYY-MM-DD。")
        if not errors:
            try:
                payment = services.record_payment(
                    confirmation=conf, statement=stmt, amount=values["amount"], received_on=received_on, method=values["method"],
                    reference=values["reference"], note=values["note"], by=me, now=timezone.now(),
                )
            except DomainError as exc:
                errors[exc.field or "number"] = exc.message
            else:
                messages.success(request, _("已登记收款 ¥%(a)s(%(n)s)。") % {"a": f"{payment.amount:,.2f}", "n": number})
                return redirect("receivables:payment_new")
    recent = selectors.payments_for(me).order_by("-recorded_at")[:20]
    methods = [(v, label) for v, label in PaymentMethod.choices if v != PaymentMethod.OPENING]
    return render(request, "receivables/payment_new.html", {"errors": errors, "values": values, "recent": recent, "methods": methods},
                  status=400 if errors else 200)
