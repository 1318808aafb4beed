"""The technician's phone (R-S6): their sales ledger, one confirmation (client's signature name, collecting
on the spot, an extension request) and a counter sale without a visit. Mobile-first templates."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.models import Client, Site
from servicedesk.permissions import require_role, staff_of

from .. import selectors, services
from ..choices import PaymentMethod, PaymentTerms
from ..models import SalesConfirmation
from .common import parse_date

PAGE_ROWS = 100
COUNTER_LINES = 3


@login_required
def my_ledger(request):
    """R-S6: every confirmation the technician sold — collected on the spot (method, invoice number) or due on
    a date — with the latest reconciliation's differences."""
    require_role(request.user, Role.TECHNICIAN)
    me = staff_of(request.user)
    today = timezone.localdate()
    if request.method == "POST":
        conf = get_object_or_404(SalesConfirmation.objects.filter(technician=me), pk=request.POST.get("confirmation"))
        services.record_in_ledger(confirmation=conf, by=me, now=timezone.now())
        messages.success(request, _("%(n)s 已记入我的销售台账。") % {"n": conf.number})
        return redirect("receivables:my_ledger")
    rows = list(selectors.technician_sales(technician=me, as_of=today)[:PAGE_ROWS])
    counts = selectors.technician_sales_counts(technician=me, as_of=today)
    rec = me.sales_reconciliations.order_by("-week_of").first()
    differences = list(rec.differences.select_related("confirmation__client")) if rec else []
    return render(request, "mobile/sales_ledger.html", {
        "rows": rows, "rec": rec, "differences": differences, "as_of": today, "counts": counts, "page_rows": PAGE_ROWS,
    })


@login_required
def sale(request, pk):
    """One of my confirmations on the phone: lines, what is due, and the actions still open."""
    require_role(request.user, Role.TECHNICIAN)
    me = staff_of(request.user)
    conf = get_object_or_404(selectors.technician_sale(technician=me), pk=pk)
    methods = [(PaymentMethod.CASH, PaymentMethod.CASH.label), (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label)]
    return render(request, "mobile/sales_detail.html", {
        "conf": conf, "methods": methods, "errors": {}, "today": timezone.localdate(),
        "min_extension": conf.due_date + timedelta(days=1),
    })


def _sale_action(request, pk, action):
    require_role(request.user, Role.TECHNICIAN)
    me = staff_of(request.user)
    conf = get_object_or_404(selectors.technician_sale(technician=me), pk=pk)
    now = timezone.now()
    try:
        if action == "sign":
            services.record_signatures(confirmation=conf, signatory=request.POST.get("signatory", ""), by=me, now=now)
            messages.success(request, _("已记录客户签字。"))
        elif action == "collect":
            services.collect_on_the_spot(confirmation=conf, method=request.POST.get("method", ""),
                                         invoice_number=request.POST.get("invoice_number", ""), by=me, now=now)
            messages.success(request, _("已登记现场收款。"))
        elif action == "extension":
            day = parse_date(request.POST.get("requested_due_date"))
            if day is None:
                raise DomainError(_("请填写申请延至的日期。"), field="requested_due_date")
            services.request_extension(confirmation=conf, requested_due_date=day, reason=request.POST.get("reason", ""), by=me, now=now)
            messages.success(request, _("延期申请已提交,待部门经理审批。"))
    except DomainError as exc:
        conf = get_object_or_404(selectors.technician_sale(technician=me), pk=pk)
        methods = [(PaymentMethod.CASH, PaymentMethod.CASH.label), (PaymentMethod.TRANSFER, PaymentMethod.TRANSFER.label)]
        return render(request, "mobile/sales_detail.html", {
            "conf": conf, "methods": methods, "errors": {action: exc.message}, "values": request.POST,
            "today": timezone.localdate(), "min_extension": conf.due_date + timedelta(days=1),
        }, status=exc.status_code)
    return redirect("receivables:sale", pk=pk)


@login_required
@require_POST
def sale_sign(request, pk):
    return _sale_action(request, pk, "sign")


@login_required
@require_POST
def sale_collect(request, pk):
    return _sale_action(request, pk, "collect")


@login_required
@require_POST
def sale_extension(request, pk):
    return _sale_action(request, pk, "extension")


@login_required
def counter_sale(request):
    """A confirmation for a counter sale without a visit (R-S1): client, lines, terms; due date by R-S2/R-S3."""
    require_role(request.user, Role.TECHNICIAN)
    me = staff_of(request.user)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        client = Client.objects.filter(name=request.POST.get("client", "").strip(), active=True).first()
        site = None
        if client is None:
            errors["client"] = _("请选择已有客户(按名称)。")
        elif request.POST.get("site"):
            site = Site.objects.filter(pk=request.POST.get("site"), client=client).first() if request.POST["site"].isdigit() else None
            if site is None:
                errors["site"] = _("该网点不属于此客户。")
        lines = []
        for i in range(1, COUNTER_LINES + 1):
            desc = request.POST.get(f"description_{i}", "").strip()
            price = request.POST.get(f"unit_price_{i}", "").strip()
            if desc or price:
                lines.append({"description": desc, "quantity": request.POST.get(f"quantity_{i}", "1").strip() or "1", "unit_price": price})
        sold_on = parse_date(request.POST.get("sold_on")) or timezone.localdate()
        if sold_on > timezone.localdate():
            errors["sold_on"] = _("销售日期不能晚于今天。")
        if not errors:
            try:
                conf = services.create_confirmation(
                    client=client, site=site, technician=me, by=me, sold_on=sold_on, lines=lines, now=timezone.now(),
                    payment_terms=request.POST.get("payment_terms") or None,
                )
            except DomainError as exc:
                errors[exc.field or "lines"] = exc.message
            else:
                messages.success(request, _("已开具销售确认书 %(n)s,¥%(a)s。") % {"n": conf.number, "a": f"{conf.amount:,.2f}"})
                return redirect("receivables:sale", pk=conf.pk)
    clients = Client.objects.filter(active=True).order_by("name").values_list("name", flat=True)[:500]
    return render(request, "mobile/sales_new.html", {
        "errors": errors, "values": values, "clients": clients, "terms": PaymentTerms.choices,
        "line_numbers": range(1, COUNTER_LINES + 1), "today": timezone.localdate(),
    }, status=400 if errors else 200)
