"""Dispatch pages: the coordinator's board and intake, the technician's phone. Thin: services decide."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, Http404
from django.middleware.csrf import get_token
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from servicedesk import attachments
from servicedesk import services as core_services
from servicedesk.attachment_views import panel_context
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import apply_domain_error, error_text
from servicedesk.models import Client, WorkOrder
from servicedesk.paging import page_of
from servicedesk.pdf import pdf_response
from servicedesk.permissions import require_role, require_staff, staff_of

from . import lifecycle, selectors, services
from .forms import (
    LINE_ITEMS,
    LINE_KINDS,
    CloseOutForm,
    ContactForm,
    DispatchForm,
    HandoverForm,
    IntakeForm,
    NewClientForm,
    RefuseForm,
    line_errors,
    line_item_options,
    line_rows,
    lines_from,
)
from .models import Assignment, CarryInRepair, CloseOut, Deadline, HandOver, Refusal

DESK = (Role.COORDINATOR, Role.MANAGER)

MY_WORK_ROWS = 15  # the technician's phone: the 15 most urgent, then the next page (docs/developers.md rule 8)


# ---------------------------------------------------------------- the coordinator's board
@login_required
def board(request):
    require_role(request.user, *DESK)
    now = timezone.now()
    return render(
        request, "dispatch/board.html",
        {"board": selectors.board(now=now), "version": selectors.board_version(now=now), "all_technicians": selectors.technicians().order_by("area", "name")},
    )


@login_required
def board_partial(request):
    """Polled by htmx every 5 s so two coordinators see the same truth within seconds. When nothing the board
    shows has changed since the version the page holds, the answer is an empty 204 (htmx keeps the page)."""
    require_role(request.user, *DESK)
    now = timezone.now()
    version = selectors.board_version(now=now)
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return HttpResponse(shared_board_html(version=version, now=now).replace(CSRF_SLOT, get_token(request)))


CSRF_SLOT = "csrf-slot-not-a-token"  # where each coordinator's own CSRF token goes into the shared render


def shared_board_html(*, version: str, now) -> str:
    """The board at `version`, rendered once for every coordinator polling it (in the default cache: per process
    with the local-memory cache, for all workers with CACHE_URL=redis://…). The version changes with every event,
    refusal and minute the board shows, so a render is never older than what the 204 answer already allows. The
    partial reads nothing of the viewer but the language (part of the key) and the CSRF token, rendered as a slot
    and filled per request."""
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.utils.translation import get_language

    key = f"dispatch:board:{version}:{get_language()}"
    html = cache.get(key)
    if html is None:
        html = render_to_string(
            "dispatch/_board.html", {"board": selectors.board(now=now), "version": version, "csrf_token": CSRF_SLOT}
        )
        cache.set(key, html, timeout=120)
    return html


@login_required
@require_POST
def assign(request, pk):
    """Assign or reassign in one action; R-W8 over the limit asks to confirm (force)."""
    require_role(request.user, *DESK)
    wo = get_object_or_404(WorkOrder, pk=pk)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择技术员。"))
        return redirect("dispatch:board")
    try:
        result = services.dispatch_work_order(
            work_order=wo,
            technician=form.cleaned_data["technician"],
            by=require_staff(request.user),
            now=timezone.now(),
            version=form.cleaned_data["version"],
            force=form.cleaned_data["force"],
            resident_reason=form.cleaned_data["resident_reason"],
            resident_reason_note=form.cleaned_data["resident_reason_note"],
        )
    except services.LoadLimitExceeded as exc:
        return render(
            request,
            "dispatch/confirm.html",
            {"wo": wo, "message": exc.message, "suggestions": exc.suggestions, "technician": form.cleaned_data["technician"],
             "version": form.cleaned_data["version"], "resident_reason": form.cleaned_data["resident_reason"],
             "resident_reason_note": form.cleaned_data["resident_reason_note"]},
            status=409,
        )
    except services.ResidentReasonRequired as exc:
        # R-W5: ask the coordinator why the site's resident technicians are passed over (or to pick one of them)
        return render(
            request,
            "dispatch/resident_reason.html",
            {"wo": wo, "message": exc.message, "residents": exc.residents, "technician": form.cleaned_data["technician"],
             "version": form.cleaned_data["version"], "force": form.cleaned_data["force"], "form": form},
            status=400,
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
        return redirect("dispatch:board")
    for w in result.warnings:
        messages.warning(request, w)
    messages.success(request, _("工单 %(number)s 已派给 %(name)s。") % {"number": wo.number, "name": result.assignment.technician.name})
    return redirect("dispatch:board")


@login_required
@require_POST
def judge(request, pk):
    require_role(request.user, *DESK)
    refusal = get_object_or_404(Refusal, pk=pk)
    try:
        services.judge_refusal(
            refusal=refusal, unjustified=request.POST.get("unjustified") == "1", note=request.POST.get("note", ""), by=require_staff(request.user), now=timezone.now()
        )
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect("dispatch:board")


# ---------------------------------------------------------------- intake (R-W1)
@login_required
def intake(request):
    require_role(request.user, *DESK)
    now = timezone.now()
    is_new_client = request.method == "POST" and request.POST.get("new_client") == "1"
    form = IntakeForm(request.POST or None, new_client=is_new_client, now=now)
    new_form = NewClientForm(request.POST if is_new_client else None, prefix="new")
    picked, open_orders = None, []
    if request.method == "POST":
        if form.data.get("client") and not is_new_client:
            picked = Client.objects.filter(pk=form.data.get("client")).first()
        # both forms are checked every time, so every mistake is named at once (never one per submit)
        valid = form.is_valid()
        valid = (new_form.is_valid() if is_new_client else True) and valid
        if valid and not is_new_client and request.POST.get("confirm_duplicate") != "1":
            # R-W1: the same client's device already has an open order: say so (with a link) before a second one
            open_orders = list(selectors.open_orders_for_device(
                client=form.cleaned_data["client"], equipment=form.cleaned_data.get("equipment"),
                serial=form.cleaned_data.get("equipment_serial") or "",
            ))
        if valid and not open_orders:
            try:
                if is_new_client:  # R-W1: client + site + order in one transaction (rule 4: nothing half-saved)
                    wo = services.intake_new_client(
                        client_fields=new_form.client_fields(), site_fields=new_form.site_fields(),
                        order_fields=form.cleaned_data, by=require_staff(request.user), now=now,
                    )
                else:
                    wo = core_services.create_work_order(by=require_staff(request.user), now=now, **form.cleaned_data)
            except (DomainError, ValidationError) as exc:
                _add_intake_errors(form, new_form, exc)
            else:
                messages.success(request, _("已受理工单 %(number)s。") % {"number": wo.number})
                # R-R5: a big job is proposed as a team project (logic in dispatch/projects/services.py)
                from .projects.services import team_project_proposal_from_input

                proposal = team_project_proposal_from_input(request.POST, on=timezone.localdate())
                if proposal:  # the create page shows the proposal with its expected shape
                    return redirect(
                        f"{reverse('dispatch:projects:create')}?work_order={wo.pk}&person_days={proposal['person_days']}"
                        f"&technicians={proposal['technicians']}&working_days={proposal['working_days']}"
                    )
                return redirect("dispatch:board")
    return render(
        request,
        "dispatch/intake.html",
        {
            "form": form, "new_form": new_form, "new_client": is_new_client, "picked": picked, "today": timezone.localdate(),
            "open_orders": open_orders,
        },
    )


def _add_intake_errors(form, new_form, exc):
    """Errors of the new client / site go to the new-client fields (the service names them so), the rest to the order."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if new_form.is_bound and field in new_form.fields:
                new_form.add_error(field, errors)
            elif field in form.fields:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors)
    else:
        apply_domain_error(form, exc)


@login_required
def lookup(request):
    """As the coordinator types: clients by name, phone or equipment serial, with warranty state and kind."""
    require_role(request.user, *DESK)
    clients = selectors.client_lookup(q=request.GET.get("q", ""), on=timezone.localdate())
    return render(request, "dispatch/_lookup.html", {"clients": clients, "q": request.GET.get("q", "")})


@login_required
def pick(request):
    require_role(request.user, *DESK)
    client = get_object_or_404(Client.objects.prefetch_related("sites", "equipment"), pk=request.GET.get("client"))
    form = IntakeForm(initial={"client": client.pk, "equipment": request.GET.get("equipment") or None})
    equipment = [e for e in client.equipment.all()]
    for e in equipment:
        e.state_today = e.warranty_state(timezone.localdate())
    chosen = next((e for e in equipment if str(e.pk) == request.GET.get("equipment")), None)
    if chosen:
        form.initial.update(site=chosen.site_id, equipment_model=chosen.model, equipment_serial=chosen.serial)
    site = next(iter(client.sites.all()), None)
    if site and not form.initial.get("site"):
        form.initial["site"] = site.pk
    if site:
        form.initial.update(contact_name=site.contact_name, contact_phone=site.phone)
    return render(request, "dispatch/_picked.html", {"form": form, "picked": client, "equipment": equipment, "chosen": chosen})


# ---------------------------------------------------------------- the technician's phone
@login_required
def my_work(request):
    me = require_staff(request.user)
    page = page_of(request, selectors.my_work(technician=me, now=timezone.now()), per_page=MY_WORK_ROWS)  # bounded (rule 8)
    return render(request, "mobile/my_work.html", {"orders": page.object_list, "page": page, "keep": "", "now": timezone.now()})


def _my_order(request, pk):
    me = require_staff(request.user)
    try:
        return me, *selectors.work_order_for_phone(pk=pk, technician=me)
    except WorkOrder.DoesNotExist:
        # rule 6 (WorkOrder.objects.known_to): 403 on an order the technician held before, 404 on anyone
        # else's — its existence is not revealed
        if WorkOrder.objects.known_to(me).filter(pk=pk).exists():
            raise PermissionDenied(_("只能操作由您本人负责的工单。"))
        raise Http404


# lazy: translated per request in the user's language (docs/developers.md rule 7; built at import, "接单" would
# stay Chinese)
STEP_LABELS = {
    "accept": gettext_lazy("接单"),
    "contact": gettext_lazy("已联系客户"),
    "depart": gettext_lazy("出发"),
    "arrive": gettext_lazy("到达现场"),
    "diagnose": gettext_lazy("开始检测"),
    "start_repair": gettext_lazy("开始维修"),
    "start_testing": gettext_lazy("开始测试"),
}


@login_required
def mobile_order(request, pk):
    me, wo, history = _my_order(request, pk)
    holder_actions = lifecycle.next_actions(wo, actor=lifecycle.HOLDER)
    steps = [(a, STEP_LABELS[a]) for a in holder_actions if a in STEP_LABELS]
    carry_in = CarryInRepair.objects.filter(work_order=wo).first() if lifecycle.is_carry_in(wo) else None
    return render(
        request,
        "mobile/order.html",
        {
            "wo": wo,
            "history": history,
            "steps": steps,
            "actions": holder_actions,
            "contact_form": ContactForm(initial={"promised_at": timezone.localtime() + timezone.timedelta(minutes=30)}),
            "carry_in": carry_in,
            "now": timezone.now(),
            # the finished carry-in repair's charge lines (R-P1…R-P5, no on-site fee)
            "rows": line_rows(None, n=1) if "finish_testing" in holder_actions else [],
            "kinds": LINE_KINDS,
            "item_options": line_item_options() if "finish_testing" in holder_actions else [],
            # photos of the job: the nameplate, the fault, the result (servicedesk/attachments.py)
            "files": panel_context(wo, me, next_url=request.path, camera=True),
        },
    )


@login_required
@require_POST
def step(request, pk, action):
    me = require_staff(request.user)
    wo = get_object_or_404(WorkOrder.objects.known_to(me), pk=pk)
    version = request.POST.get("version") or None
    now = timezone.now()
    kwargs = {"work_order": wo, "by": me, "now": now, "version": version}
    try:
        if action == "contact":
            form = ContactForm(request.POST)
            if not form.is_valid():
                raise DomainError(_("请填写承诺到达时间。"), field="promised_at")
            services.contact(promised_at=form.cleaned_data["promised_at"], **kwargs)
        elif action == "ask_consent":
            from datetime import date

            raw = request.POST.get("expected_ready_on") or ""
            try:
                ready = date.fromisoformat(raw)
            except ValueError:
                ready = None
            services.ask_consent(diagnosis=request.POST.get("diagnosis", ""), expected_ready_on=ready, **kwargs)
        elif action == "client_answer":
            services.record_client_answer(
                continue_repair=request.POST.get("continue_repair") == "1", note=request.POST.get("note", ""), **kwargs
            )
        elif action == "finish_testing":
            # the carry-in repair is priced like a visit (no on-site fee) from the charge lines on the form
            services.finish_testing(test_days=request.POST.get("test_days"), lines=lines_from(request.POST), **kwargs)
        elif action in ("accept", "depart", "arrive", "diagnose", "start_repair", "start_testing"):
            getattr(services, action)(**kwargs)
        else:
            raise Http404
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已记录:%(step)s") % {"step": services.ACTION_LABELS.get(action, STEP_LABELS.get(action, action))})
    if WorkOrder.objects.filter(pk=pk, technician=me).exists():
        return redirect("dispatch:mobile_order", pk=pk)
    return redirect("dispatch:my_work")


@login_required
def refuse(request, pk):
    me, wo, _history = _my_order(request, pk)
    form = RefuseForm(request.POST or None, initial={"version": wo.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse(work_order=wo, by=me, reason=form.cleaned_data["reason"], now=timezone.now(), version=form.cleaned_data["version"])
        except (DomainError, ValidationError) as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已拒单,工单已退回派单看板。"))
            return redirect("dispatch:my_work")
    return render(request, "mobile/refuse.html", {"wo": wo, "form": form})


@login_required
def handover(request, pk):
    me, wo, _history = _my_order(request, pk)
    form = HandoverForm(request.POST or None, initial={"version": wo.version, "to": me.team_lead_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.handover(
                work_order=wo, by=me, to=form.cleaned_data["to"], notes=form.cleaned_data["notes"], now=timezone.now(), version=form.cleaned_data["version"]
            )
        except (DomainError, ValidationError) as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("已交接给 %(name)s。") % {"name": form.cleaned_data["to"].name})
            return redirect("dispatch:my_work")
    return render(request, "mobile/handover.html", {"wo": wo, "form": form})


@login_required
@never_cache
def close_out(request, pk):
    """R-W10 close-out on the phone; lines priced live by billing (htmx → quote).

    A dynamic list of lines ("add line" / "remove", items filtered by kind). Never cached, and once the visit
    is resolved the page shows the resolved visit: going back after resolving never shows a blank form."""
    me, wo, _history = _my_order(request, pk)
    if CloseOut.objects.filter(work_order=wo).exists():
        return redirect("dispatch:service_form", pk=wo.pk)
    now = timezone.localtime()
    arrived = next((e.at for e in reversed(list(wo.events.all())) if e.action == "arrive"), None)
    initial = {"version": wo.version, "started_at": arrived or now, "ended_at": now, "completed_at": now}
    form = CloseOutForm(request.POST or None, initial=initial)
    photo_error = ""
    rows = line_rows(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "add_line" in request.POST:  # without JavaScript: one more row, nothing saved
        rows.append({**line_rows(None, n=1)[0], "i": max([r["i"] for r in rows], default=-1) + 1})
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        errors = line_errors(rows)
        try:
            if errors:
                raise ValidationError({"lines": errors})
            # the close-out's photos are checked before anything is written; the service form and its photos are
            # kept together or not at all (rule 5)
            photos = request.FILES.getlist("photos")
            checked = attachments.check_files(photos, field="photos") if photos else []
            with transaction.atomic():
                services.resolve(
                    work_order=wo,
                    by=me,
                    now=timezone.now(),
                    lines=lines_from(request.POST),
                    **{k: v for k, v in data.items()},
                )
                if checked:
                    attachments.attach(work_order=wo, files=checked, by=me, now=timezone.now(), step="close_out", field="photos")
        except DomainError as exc:
            if exc.field == "photos":
                photo_error = exc.message
                form.add_error(None, _("照片未通过检查,服务单未提交。"))
            else:
                apply_domain_error(form, exc)
        except ValidationError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("服务单已提交,工单已解决。"))
            return redirect("dispatch:service_form", pk=wo.pk)
    return render(
        request,
        "mobile/close_out.html",
        {
            "wo": wo,
            "form": form,
            "rows": rows,
            "kinds": LINE_KINDS,
            "item_options": line_item_options(),
            "arrived": arrived,
            "next_index": max([r["i"] for r in rows], default=-1) + 1,
            "blank_row": {**line_rows(None, n=1)[0], "i": "__i__"},
            "photo_error": photo_error,
        },
    )


def _service_form(request, pk) -> dict:
    viewer = require_staff(request.user)
    context = selectors.service_form(work_order_id=pk, viewer=viewer)
    if context is None:
        raise Http404  # rule 6: an order one may not see is not revealed
    return {**context, "is_holder": context["wo"].technician_id == viewer.pk}


@login_required
def service_form(request, pk):
    """The visit's service form (R-W10), printable: what was done, the priced lines, the client's typed and
    drawn signature. Seen by whoever may see the work order, and by the technician who filled it."""
    return render(request, "dispatch/service_form.html", _service_form(request, pk))


@login_required
def service_form_pdf(request, pk):
    """The same service form as the client's paper: an A4 PDF, in Chinese unless `?lang=en` (servicedesk/pdf.py)."""
    context = _service_form(request, pk)
    return pdf_response(
        request, template="dispatch/service_form_pdf.html", context=context,
        filename=f"服务单-{context['wo'].number}.pdf",
    )


@login_required
@require_POST
def quote(request, pk):
    """Live pricing of the close-out lines (billing.quote_visit), with each line's rule and explanation."""
    from billing.services import quote_visit

    me, wo, _history = _my_order(request, pk)
    try:
        q = quote_visit(
            client=wo.client, equipment=wo.equipment, on=timezone.localdate(), lines=lines_from(request.POST),
            cooperation_chargeable=wo.cooperation_chargeable, work_order=wo,
        )
        error = None
    except (DomainError, ValidationError) as exc:
        q, error = None, error_text(exc)
    return render(request, "mobile/_quote.html", {"quote": q, "error": error})


# ---------------------------------------------------------------- panel on the core work-order page
def work_order_panel(work_order, request):
    return {
        "deadlines": list(Deadline.objects.filter(work_order=work_order).select_related("technician")),
        "assignments": list(Assignment.objects.filter(work_order=work_order).select_related("technician", "by")),
        "handovers": list(HandOver.objects.filter(work_order=work_order).select_related("from_staff", "to_staff")),
        "close_out": CloseOut.objects.filter(work_order=work_order).first(),
        "carry_in": CarryInRepair.objects.filter(work_order=work_order).first(),
        "refusals": list(Refusal.objects.filter(work_order=work_order).select_related("technician", "judged_by")),
        "is_desk": request.user.is_superuser or (staff_of(request.user) and staff_of(request.user).has_role(*DESK)),
        "board_url": reverse("dispatch:board"),
        "desk_actions": [a for a in lifecycle.next_actions(work_order, actor=lifecycle.DESK) if a != "dispatch"],
        "carry_in_open": lifecycle.is_carry_in(work_order) and work_order.is_open,
    }


@login_required
@require_POST
def mark_irregular(request, pk):
    require_role(request.user, *DESK)
    close_out_row = get_object_or_404(CloseOut, work_order_id=pk)
    try:
        services.mark_irregular(close_out=close_out_row, reason=request.POST.get("reason", ""), by=require_staff(request.user), now=timezone.now())
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已判定服务单不规范,已建议 P4。"))
    return redirect("servicedesk:work_order_detail", pk=pk)


@login_required
@require_POST
def desk_step(request, pk, action):
    """Coordinator's steps on the work-order page: return a carry-in device, close, cancel, client chase."""
    require_role(request.user, *DESK)
    wo = get_object_or_404(WorkOrder, pk=pk)
    kwargs = {"work_order": wo, "by": require_staff(request.user), "now": timezone.now()}
    try:
        if action == "return_device":
            services.return_device(version=request.POST.get("version") or None, **kwargs)
        elif action == "close":
            services.close(version=request.POST.get("version") or None, **kwargs)
        elif action == "cancel":
            if request.POST.get("confirmed") != "1":  # R-W3: a confirmation step before cancelling
                return render(
                    request,
                    "dispatch/cancel_confirm.html",
                    {"wo": wo, "reason": request.POST.get("reason", ""), "version": request.POST.get("version", "")},
                )
            services.cancel(reason=request.POST.get("reason", ""), version=request.POST.get("version") or None, **kwargs)
        elif action == "client_chase":
            services.record_client_chase(note=request.POST.get("note", ""), **kwargs)
        else:
            raise Http404
    except (DomainError, ValidationError) as exc:
        messages.error(request, error_text(exc))
    return redirect("servicedesk:work_order_detail", pk=pk)
