"""Core pages: home, work orders, rule parameters, working-day calendar. Thin: services do the work."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import params as params_service
from . import selectors, workdays
from .choices import CalendarSource, Role
from .errors import DomainError
from .forms import CalendarUploadForm, ScheduleParameterForm
from .models import RuleParameter
from .permissions import require_role, staff_of

# Panels other apps add to the work-order page: (template, callable(work_order, request) -> context dict).
WORK_ORDER_PANELS: list[tuple[str, object]] = []


def _viewer(request):
    staff = staff_of(request.user)
    if staff is None:
        raise PermissionDenied(_("您的账号没有员工档案,请联系管理员。"))
    return staff


@login_required
def home(request):
    staff = staff_of(request.user)
    counts = selectors.dashboard_counts(viewer=staff) if staff else {}
    return render(request, "servicedesk/home.html", {"counts": counts, "staff": staff})


@login_required
def work_order_list(request):
    viewer = _viewer(request)
    qs = selectors.work_order_list(viewer=viewer)
    status = request.GET.get("status")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "servicedesk/work_order_list.html", {"page": page, "status": status})


@login_required
def work_order_detail(request, pk):
    viewer = _viewer(request)
    wo = get_object_or_404(selectors.work_order_list(viewer=viewer), pk=pk)
    events = wo.events.select_related("by", "holder")
    panels = [(template, fn(wo, request)) for template, fn in WORK_ORDER_PANELS]
    return render(request, "servicedesk/work_order_detail.html", {"wo": wo, "events": events, "panels": panels})


@login_required
def parameters(request):
    require_role(request.user, Role.MANAGER, Role.ADMIN)
    today = timezone.localdate()
    can_edit = request.user.is_superuser or staff_of(request.user).has_role(Role.MANAGER)
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        kind = RuleParameter.objects.filter(name=request.POST.get("name")).values_list("kind", flat=True).first()
        form = ScheduleParameterForm(request.POST, kind=kind or "decimal")
        if form.is_valid():
            try:
                row = params_service.schedule_param(
                    name=form.cleaned_data["name"],
                    value=form.cleaned_data["value"],
                    effective_from=form.cleaned_data["effective_from"],
                    note=form.cleaned_data["note"],
                    today=today,
                    by=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(
                    request, _("%(name)s 的新取值将自 %(date)s 起生效。") % {"name": row.name, "date": row.effective_from}
                )
                return redirect("servicedesk:parameters")
    overview = selectors.parameter_overview(today=today)
    return render(
        request,
        "servicedesk/parameters.html",
        {"overview": overview, "today": today, "can_edit": can_edit, "form": form, "failed_name": request.POST.get("name")},
    )


@login_required
def calendar(request):
    require_role(request.user, Role.MANAGER, Role.ADMIN)
    form = CalendarUploadForm()
    if request.method == "POST":
        require_role(request.user, Role.ADMIN, Role.MANAGER)
        if "from_package" in request.POST:
            try:
                added = workdays.sync_known_years(by=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("已从软件包载入:%(years)s") % {"years": ", ".join(map(str, added)) or _("无新年份")})
            return redirect("servicedesk:calendar")
        form = CalendarUploadForm(request.POST, request.FILES)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                holidays, workdays_ = workdays.parse_date_list(form.cleaned_data["text"], year=year)
                workdays.load_year(
                    year=year,
                    holidays=holidays,
                    workdays=workdays_,
                    source=CalendarSource.UPLOAD if form.cleaned_data.get("dates_file") else CalendarSource.MANUAL,
                    by=request.user,
                )
            except DomainError as exc:
                form.add_error("dates_text", str(exc.message))
            else:
                messages.success(
                    request,
                    _("%(year)s 年日历已录入:%(h)s 个节假日,%(w)s 个调休上班日。")
                    % {"year": year, "h": len(holidays), "w": len(workdays_)},
                )
                return redirect("servicedesk:calendar")
    known = workdays.package_years()
    return render(
        request,
        "servicedesk/calendar.html",
        {"years": selectors.calendar_years(), "form": form, "package_range": f"{known.start}–{known.stop - 1}"},
    )


@login_required
def notifications(request):
    viewer = _viewer(request)
    qs = viewer.notifications.all()
    if request.method == "POST":
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("servicedesk:notifications")
    return render(request, "servicedesk/notifications.html", {"items": qs[:200]})
