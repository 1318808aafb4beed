"""The coordinator's call screen, the queue, the figures and the complaints (thin: services decide)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.forms import apply_domain_error
from servicedesk.months import first_day, month_or
from servicedesk.paging import page_of, query_without_page
from servicedesk.permissions import require_role, staff_of

from . import selectors, services
from .choices import SatisfactionSource
from .forms import CallForm, ResolutionForm
from .models import Callback, Complaint

CALLERS = (Role.COORDINATOR, Role.MANAGER)


@login_required
def queue(request):
    require_role(request.user, *CALLERS)
    now = timezone.now()
    status = request.GET.get("status", "")
    # ?status=due / overdue: the home to-dos link to the list they count (the same selector)
    rows = selectors.queue(statuses=[status]) if status in selectors.QUEUE_STATUSES else selectors.queue()
    page = page_of(request, rows)  # bounded: one page, most urgent first
    return render(
        request, "callbacks/queue.html",
        {"rows": page.object_list, "page": page, "keep": query_without_page(request), "counts": selectors.queue_counts(), "now": now},
    )


@login_required
def mine(request):
    """The technician's callbacks of the last 7 days: what the clients said about my visits."""
    require_role(request.user, Role.TECHNICIAN, Role.TEAM_LEAD)
    rows = selectors.about_me(technician=staff_of(request.user), now=timezone.now())
    page = page_of(request, rows)
    return render(request, "callbacks/mine.html", {"rows": page.object_list, "page": page, "keep": query_without_page(request),
                                                    "days": selectors.ABOUT_ME_DAYS})


@login_required
def call(request, pk):
    require_role(request.user, *CALLERS)
    cb = get_object_or_404(
        Callback.objects.select_related("work_order", "work_order__site", "work_order__equipment", "client", "technician"), pk=pk
    )
    client_rated = cb.satisfaction_source == SatisfactionSource.CLIENT and bool(cb.satisfaction)
    form = CallForm(client_rated=client_rated)
    if request.method == "POST":
        by = staff_of(request.user)
        try:
            if "no_answer" in request.POST:
                cb = services.record_no_answer(callback=cb, by=by, now=timezone.now())
                messages.info(request, _("已记录未接通(第 %(n)s 次)。") % {"n": cb.attempts})
                return redirect("callbacks:queue")
            form = CallForm(request.POST, client_rated=client_rated)
            if form.is_valid():
                services.record_call(callback=cb, by=by, now=timezone.now(), answered=True, **form.answers())
                messages.success(request, _("回访已记录。"))
                return redirect("callbacks:queue")
        except ConflictError as exc:
            messages.info(request, exc.message)
            return redirect("callbacks:queue")
        except (DomainError, PermissionDenied) as exc:
            apply_domain_error(form, exc)
    attempts = cb.call_attempts.select_related("by")
    return render(request, "callbacks/call.html", {"cb": cb, "form": form, "attempts": attempts})


@login_required
def figures(request):
    require_role(request.user, *CALLERS)
    month = month_or(request.GET.get("month"), first_day(timezone.localdate()))
    techs = sorted(selectors.technician_month_figures(month).values(), key=lambda t: t.technician_name)
    return render(
        request,
        "callbacks/figures.html",
        {"month": month, "techs": techs, "dept": selectors.department_month_figures(month)},
    )


@login_required
def complaints(request):
    require_role(request.user, Role.MANAGER)
    if request.method == "POST":
        complaint = get_object_or_404(Complaint, pk=request.POST.get("complaint"))
        form = ResolutionForm(request.POST)
        if form.is_valid():
            services.handle_complaint(
                complaint=complaint, by=staff_of(request.user), now=timezone.now(), resolution=form.cleaned_data["resolution"]
            )
            messages.success(request, _("投诉已处理。"))
        else:
            messages.error(request, _("请填写处理结果。"))
        return redirect("callbacks:complaints")
    show = request.GET.get("show", "")
    rows = selectors.complaints(show=show, now=timezone.now(), viewer=staff_of(request.user))[:200]
    return render(request, "callbacks/complaints.html", {"rows": rows, "show": show})
