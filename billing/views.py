"""Billing pages: price parameters (managers), the salesperson's queue, dispute / decision posts. Thin."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.paging import page_of_rows, query_without_page
from servicedesk.permissions import require_role, require_staff
from servicedesk.views import schedule_parameter

from . import selectors, services
from .forms import DecisionForm, DisputeForm
from .models import RepairPlan, VisitCharge

QUEUE_ROLES = (Role.SALES, Role.MANAGER)
QUEUE_PER_LIST = 10


@login_required
def price_parameters(request):
    """The price list (R-P1…R-P6) and entitlements (R-B2/R-B3) as effective-dated parameters; managers only."""
    require_role(request.user, Role.MANAGER)
    today = timezone.localdate()
    form = None
    if request.method == "POST":
        form, row = schedule_parameter(
            request, today=today, prefix="billing.", outside_prefix=_("这里只能调整收费参数 (billing.*)。")
        )
        if row is not None:
            return redirect("billing:parameters")
    return render(
        request,
        "billing/parameters.html",
        {"overview": selectors.billing_parameters(today=today), "today": today, "form": form, "failed_name": request.POST.get("name")},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def queue(request):
    """R-B9 disputed charges and R-B6/R-B7 repair plans awaiting the client's decision."""
    require_role(request.user, *QUEUE_ROLES)
    viewer = require_staff(request.user)
    # bounded screen (docs/developers.md rule 8): one page of each list, each with its own page parameter and the
    # count of all its rows; three lists of decision forms, so QUEUE_PER_LIST each (≤ 30 cards on the screen)
    pages = {
        name: page_of_rows(request, qs, per_page=QUEUE_PER_LIST, param=f"{name}_page")
        for name, qs in selectors.salesperson_queue(viewer=viewer).items()
    }
    return render(request, "billing/queue.html", {
        **{name: page.object_list for name, page in pages.items()},
        "pages": pages,
        "keep": {name: query_without_page(request, f"{name}_page") for name in pages},
        "counts": {name: page.paginator.count for name, page in pages.items()},
        "decision_form": DecisionForm(),
    })


def _back(request, charge):
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("servicedesk:work_order_detail", pk=charge.work_order_id)


def _report(request, exc):
    if isinstance(exc, DomainError):
        if exc.status_code == 403:
            raise PermissionDenied(str(exc.message))
        messages.error(request, str(exc.message))


@login_required
@require_POST
def dispute(request, pk):
    charge = get_object_or_404(VisitCharge, pk=pk)
    form = DisputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写客户异议。"))
        return _back(request, charge)
    try:
        services.mark_disputed(
            visit_charge=charge, line=form.cleaned_data["line"], by=require_staff(request.user), reason=form.cleaned_data["reason"],
            now=timezone.now(),
        )
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已标记为有争议,等待业务员决定。"))
    return _back(request, charge)


@login_required
@require_POST
def decide(request, pk):
    charge = get_object_or_404(VisitCharge, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择决定并填写理由。"))
        return _back(request, charge)
    try:
        services.decide_dispute(visit_charge=charge, by=require_staff(request.user), now=timezone.now(), **form.cleaned_data)
    except DomainError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("决定已记录。"))
    return _back(request, charge)


@login_required
@require_POST
def decide_plan(request, pk):
    plan = get_object_or_404(RepairPlan, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_repair_plan(
                plan=plan, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"],
                by=require_staff(request.user), now=timezone.now(),
            )
        except DomainError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("维修方案的决定已记录。"))
    else:
        messages.error(request, _("请选择决定并填写理由。"))
    return redirect("billing:queue")
