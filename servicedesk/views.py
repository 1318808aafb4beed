"""Core pages: work orders, rule parameters, working-day calendar, notifications. Thin: services do the work.
(The home page is the workspace's.)"""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import params as params_service
from . import selectors, workdays
from .choices import CalendarSource, ParameterKind, Role
from .errors import DomainError
from .forms import CalendarUploadForm, ScheduleParameterForm, apply_domain_error
from .hooks import WORK_ORDER_PANELS  # the panels the apps declare for the work-order page
from .models import RuleParameter
from .paging import page_of
from .permissions import may_change_parameter, require_role, require_staff, staff_of


def calendar_banner(today) -> dict | None:
    """A year whose official calendar is not loaded (this year, or next year from November) is computed
    provisionally from the statutory holidays (SPEC §11): say so, and what it means, until it is loaded."""
    years = workdays.years_to_announce(today)
    if not years:
        return None
    year = years[0]
    if year == today.year:
        text = _(
            "%(year)s 年的官方工作日历还没有录入:按工作日计算的期限(回款到期日、免费服务期、资料截止日等)暂按法定假日计算,"
            "标有“按法定假日暂算”。请管理员在“工作日历”中录入国务院办公厅公布的 %(year)s 年安排,未结的期限会自动重算。"
        ) % {"year": year}
        return {"tone": "bad", "text": text, "year": year}
    text = _(
        "%(year)s 年的官方工作日历还没有录入:请管理员在公布后录入或上传;在此之前涉及 %(year)s 年的期限按法定假日暂算。"
    ) % {"year": year}
    return {"tone": "warn", "text": text, "year": year}


@require_safe
def favicon(request):
    """/favicon.ico → the vendored icon (resolved per request: under the production profile the static name is
    looked up in collectstatic's manifest)."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("servicedesk/favicon.svg"))


@login_required
def work_order_list(request):
    """All visible work orders, one page at a time (`paging.PER_PAGE`); technicians get a card list (375 px, no horizontal scroll)."""
    from .choices import WorkOrderStatus
    from .permissions import sees_all_work_orders

    viewer = require_staff(request.user)
    qs = selectors.work_order_list(viewer=viewer)
    status = request.GET.get("status") or ""
    if status in WorkOrderStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = page_of(request, qs)
    return render(
        request,
        "servicedesk/work_order_list.html",
        {"page": page, "status": status, "statuses": WorkOrderStatus.choices, "cards_only": not sees_all_work_orders(viewer)},
    )


@login_required
def work_order_detail(request, pk):
    viewer = require_staff(request.user)
    wo = get_object_or_404(selectors.work_order_list(viewer=viewer), pk=pk)
    events = wo.events.select_related("by", "holder")
    panels = [(template, fn(wo, request)) for template, fn in WORK_ORDER_PANELS]
    from .attachment_views import panel_context

    files = panel_context(wo, viewer, next_url=request.path, with_removed=True)
    return render(request, "servicedesk/work_order_detail.html", {"wo": wo, "events": events, "panels": panels, "files": files})


@login_required
def parameters(request):
    """Rule parameters grouped by SPEC section, each with a typed form (servicedesk.param_specs)."""
    from . import param_specs

    require_role(request.user, Role.MANAGER, Role.ADMIN)
    today = timezone.localdate()
    can_edit = request.user.is_superuser or staff_of(request.user).has_role(Role.MANAGER, Role.ADMIN)
    form = None
    if request.method == "POST":
        if not may_change_parameter(request.user, request.POST.get("name", "")):
            raise PermissionDenied  # the security.* safeguards are admin's, the rules the manager's
        form, row = schedule_parameter(request, today=today)
        if row is not None:
            return redirect(f"{request.path}#p-{row.name}")
    failed = request.POST.get("name") if form is not None else None
    sections = _parameter_sections(selectors.parameter_overview(today=today), form=form, failed=failed)
    for section in sections:
        for item in section["items"]:
            item["editable"] = may_change_parameter(request.user, item["name"])
    return render(
        request,
        "servicedesk/parameters.html",
        {"sections": sections, "today": today, "can_edit": can_edit, "form": form, "failed_name": failed,
         "dismissal": param_specs.DISMISSAL},
    )


def schedule_parameter(request, *, today, prefix: str = "", outside_prefix=None):
    """The POST of a ScheduleParameterForm — the rule-parameter page's and billing's price page's one handling:
    bind it with the parameter's kind, refuse a name outside `prefix` (with `outside_prefix`) or unknown, schedule
    the new version (params.schedule_param), put a refusal on the form (rule 4, keeping the failing cell) or say
    it is done. Returns (form, the new row or None when the form carries errors); the caller redirects or renders."""
    name = request.POST.get("name", "")
    kind = RuleParameter.objects.filter(name=name).values_list("kind", flat=True).first()
    form = ScheduleParameterForm(request.POST, kind=kind or ParameterKind.DECIMAL)
    if prefix and not name.startswith(prefix):
        form.add_error(None, outside_prefix)
    elif kind is None:
        form.add_error(None, _("未知的规则参数:%(name)s") % {"name": name})
    elif form.is_valid():
        try:
            row = params_service.schedule_param(
                name=form.cleaned_data["name"],
                value=form.cleaned_data["value"],
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                today=today,
                by=request.user,
            )
        except (DomainError, ValidationError) as exc:
            form.error_cell = getattr(exc, "cell", None)
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s 的新取值将自 %(date)s 起生效。") % {"name": row.name, "date": row.effective_from.strftime("%Y-%m-%d")},
            )
            return form, row
    return form, None


HISTORY_SHOWN = 10


def _parameter_sections(overview, *, form=None, failed=None) -> list[dict]:
    """Group the overview by SPEC section (§3 … §10), naturally sorted (P2 before P10), with form inputs."""
    from . import param_specs as ps

    sections: dict[str, dict] = {}
    for entry in overview:
        info = entry["info"]
        spec = ps.spec_for(entry["name"], info.kind, unit=info.unit, label=info.description)
        latest = (entry["scheduled"] or [entry["current"]])[-1]
        failing = failed == entry["name"]
        value = form.posted_value if failing and form.posted_value is not None else latest.typed_value
        rows = ps.form_rows(spec, value, extra=1)
        if failing:
            for row in rows:
                for inp in row["inputs"]:
                    inp["invalid"] = inp["name"] == (form.error_cell or "value")
        item = {
            **entry,
            "spec": spec,
            "rule": info.rule,
            "label": spec.label if spec.explicit else info.description,
            "unit": ps.unit_name(info.unit),
            "current_display": ps.display(spec, entry["current"].typed_value) if entry["current"] else [],
            "scheduled_display": [(row, ps.display(spec, row.typed_value)) for row in entry["scheduled"]],
            # bounded (docs/developers.md rule 8): the newest HISTORY_SHOWN past versions; the count says how many
            # there are (all of them stay in the admin's history)
            "history": [(row, ps.display(spec, row.typed_value)) for row in list(reversed(entry["past"]))[:HISTORY_SHOWN]],
            "history_count": len(entry["past"]),
            "form_rows": rows,
            "failing": failing,
            "form_kind": spec.kind,
            "headers": [c.label for c in spec.cells] if spec.kind == ps.ROWS else [],
        }
        section = sections.setdefault(spec.section, {"key": spec.section, "title": ps.SECTIONS.get(spec.section, spec.section), "items": []})
        section["items"].append(item)
    for section in sections.values():
        section["items"].sort(key=lambda i: (ps.natural_key(i["rule"]), ps.natural_key(i["name"])))
    return sorted(sections.values(), key=lambda s: ps.section_key(s["key"]))


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
                    now=timezone.now(),
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
        {
            "years": selectors.calendar_years(),
            "form": form,
            "package_range": f"{known.start}–{known.stop - 1}",
            "calendar_banner": calendar_banner(timezone.localdate()),
        },
    )


@login_required
def notifications(request):
    viewer = require_staff(request.user)
    qs = viewer.notifications.all()
    if request.method == "POST":
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("servicedesk:notifications")
    return render(request, "servicedesk/notifications.html", {"items": qs[:200]})


@login_required
def sessions(request):
    """This device's session and "sign out everywhere" (servicedesk.auth.sessions); a manager also signs a
    technician out everywhere (a lost or handed-on phone). POST only changes anything; the permission is the
    service's (`services.can_sign_out`)."""
    from django.contrib.auth import logout
    from django.contrib.auth.views import redirect_to_login
    from django.http import HttpResponseBadRequest

    from . import services
    from .auth.sessions import SLIDING, signed_in_at
    from .models import Staff

    me = require_staff(request.user)
    if request.method == "POST":
        now = timezone.now()
        if request.POST.get("action") == "technician":
            target = get_object_or_404(Staff, pk=request.POST.get("staff") or 0)
            services.sign_out_everywhere(staff=target, by=me, now=now)  # PermissionDenied → 403
            messages.success(request, _("%(name)s 已在所有设备上退出。") % {"name": target.name})
            return redirect("servicedesk:sessions")
        if request.POST.get("action") != "mine":  # nothing is ended without the button's explicit action
            return HttpResponseBadRequest(_("未知的操作。"))
        services.sign_out_everywhere(staff=me, by=me, now=now)
        logout(request)  # this device too: everywhere means here as well
        return redirect_to_login(request.path)
    manages = request.user.is_superuser or me.has_role(Role.MANAGER)
    return render(request, "servicedesk/sessions.html", {
        "signed_in_at": signed_in_at(request.session),
        "expires_at": request.session.get_expiry_date(),
        "sliding": bool(request.session.get(SLIDING)),
        "week_days": settings.TECHNICIAN_SESSION_AGE // 86400,
        "technicians": Staff.objects.technicians().exclude(pk=me.pk).only("pk", "name").order_by("name") if manages else None,
    })
