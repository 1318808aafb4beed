"""Coordinator, manager and GM-office pages: a confirmation's page, delivery-copy register (R-S1), the
Friday/Saturday reconciliation (R-S6), monthly statements (R-S2), extension requests (R-S4) and the
Monday overdue review (R-S6/R-S7)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.choices import ClientKind, Role
from servicedesk.errors import DomainError
from servicedesk.models import Client, Staff
from servicedesk.months import parse_month
from servicedesk.pdf import pdf_response
from servicedesk.permissions import has_role, require_role, staff_of

from .. import selectors, services
from ..choices import ExtensionStatus, OverdueCause, StatementStatus
from ..models import DueDateExtension, OverdueReview, OverdueReviewItem
from .common import parse_date

EXTENSION_REQUESTERS = (Role.COORDINATOR, Role.MANAGER, Role.SALES, Role.FINANCE)


@login_required
def confirmation_detail(request, pk):
    staff = staff_of(request.user)
    if staff is None and not request.user.is_superuser:
        raise PermissionDenied
    conf = get_object_or_404(selectors.confirmation_page(staff), pk=pk)
    can_request = has_role(request.user, *EXTENSION_REQUESTERS) and conf.is_open
    errors, values = {}, {}
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied
        values = request.POST
        day = parse_date(request.POST.get("requested_due_date"))
        try:
            if day is None:
                raise DomainError(_("请填写申请延至的日期。"), field="requested_due_date")
            services.request_extension(confirmation=conf, requested_due_date=day, reason=request.POST.get("reason", ""),
                                       by=staff, now=timezone.now())
        except DomainError as exc:
            errors[exc.field or "reason"] = exc.message
        else:
            messages.success(request, _("延期申请已提交,待部门经理审批。"))
            return redirect("receivables:confirmation_detail", pk=pk)
    return render(request, "receivables/confirmation_detail.html", {
        "conf": conf, "can_request": can_request, "errors": errors, "values": values,
    }, status=400 if errors else 200)


@login_required
def confirmation_pdf(request, pk):
    """R-S1: the sales confirmation as the client's paper (A4 PDF, Chinese unless `?lang=en`), for whoever may
    open its page; anyone else gets 404 (rule 6)."""
    staff = staff_of(request.user)
    if staff is None and not request.user.is_superuser:
        raise Http404
    conf = get_object_or_404(selectors.confirmation_document(staff), pk=pk)
    return pdf_response(request, template="receivables/confirmation_pdf.html", context={"conf": conf},
                        filename=f"销售确认书-{conf.number}.pdf")


@login_required
def register(request):
    """R-S1: the coordinator scans or types the number of a returned delivery copy, or picks it from the
    list of confirmations whose copy has not come back yet (oldest first)."""
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
            messages.success(request, _("已登记送货联 %(n)s(%(c)s,¥%(a)s)。") % {"n": conf.number, "c": conf.client.name, "a": f"{conf.amount:,.2f}"})
            return redirect("receivables:register")
    unregistered, unregistered_count = selectors.unregistered(limit=50)
    recent = selectors.recently_registered(limit=20)
    return render(request, "receivables/register.html", {
        "error": error, "number": number, "recent": recent, "unregistered": unregistered, "unregistered_count": unregistered_count,
    }, status=400 if error else 200)


@login_required
def reconciliation(request):
    """R-S6: Friday/Saturday — each technician's ledger against the register; what differs, per technician."""
    require_role(request.user, Role.COORDINATOR, Role.MANAGER)
    today = timezone.localdate()
    if request.method == "POST":
        tech = get_object_or_404(Staff.objects.technicians(), pk=request.POST.get("technician"))
        services.prepare_reconciliation(technician=tech, week_of=today, now=timezone.now())
        messages.success(request, _("已按当前登记重新核对 %(t)s 的销售台账。") % {"t": tech.name})
        return redirect(f"{request.path}?technician={tech.pk}")
    recs = selectors.latest_reconciliations()
    chosen = None
    raw = request.GET.get("technician", "")
    if raw.isdigit():
        chosen = next((r for r in recs if r.technician_id == int(raw)), None)
    differences = list(selectors.reconciliation_differences(chosen)) if chosen else []
    return render(request, "receivables/reconciliation.html", {
        "recs": recs, "chosen": chosen, "differences": differences, "today": today,
        "technicians": Staff.objects.technicians().only("id", "name"),
    })


@login_required
def statements(request):
    """R-S2: compile key accounts' statements (button, besides the month-end job) and move each through
    manager review → finance check → sent → paid."""
    require_role(request.user, Role.FINANCE, Role.MANAGER, Role.COORDINATOR)
    me = staff_of(request.user)
    errors, values = {}, {}
    if request.method == "POST":
        values = request.POST
        client = None
        try:
            month = parse_month(request.POST.get("month"))
        except DomainError as exc:
            month, errors[exc.field] = None, exc.message
        if request.POST.get("client"):
            client = Client.objects.filter(pk=request.POST["client"], kind=ClientKind.KEY_ACCOUNT).first() if request.POST["client"].isdigit() else None
            if client is None:
                errors["client"] = _("请选择大客户。")
        if not errors:
            again = request.POST.get("again") == "1"
            try:
                if client is not None:
                    stmt = services.compile_statement(client=client, month=month, now=timezone.now(), by=me, again=again)
                    done = [stmt] if stmt else []
                    refused = []
                else:
                    result = services.compile_month(month=month, now=timezone.now(), by=me, again=again)
                    done, refused = result["compiled"], result["refused"]
            except DomainError as exc:
                errors[exc.field or "month"] = exc.message
            else:
                if done:
                    messages.success(request, _("已汇总 %(n)s 张对账单。") % {"n": len(done)})
                else:
                    messages.info(request, _("该月没有需要汇总的已登记月结销售。"))
                if refused:
                    messages.warning(request, _("%(n)s 位客户的对账单已汇总或已核对,未重复汇总(如需按最新登记重新汇总,请勾选“重新汇总”)。") % {"n": len(refused)})
                return redirect("receivables:statements")
    status = request.GET.get("status", "")
    rows = selectors.statements()
    if status in StatementStatus.values:  # the home to-dos open the list of the statements they count
        rows = rows.filter(status=status)
    rows = rows.order_by("-month", "client__name")[:200]
    return render(request, "receivables/statements.html", {
        "rows": rows, "Status": StatementStatus, "errors": errors, "values": values,
        "clients": Client.objects.filter(kind=ClientKind.KEY_ACCOUNT, active=True).only("id", "name").order_by("name")[:500],
        "this_month": timezone.localdate().strftime("%Y-%m"),
        "can": _statement_can(request),
    }, status=400 if errors else 200)


STATEMENT_READERS = (Role.FINANCE, Role.MANAGER, Role.COORDINATOR)


def _statement_can(request) -> dict:
    return {"review": has_role(request.user, Role.MANAGER), "check": has_role(request.user, Role.FINANCE),
            "send": has_role(request.user, Role.FINANCE, Role.COORDINATOR, Role.MANAGER)}


@login_required
def statement_detail(request, pk):
    """R-S2: a statement with its sales, readable and printable at every step (the manager reviews and finance
    checks what the client will receive, before it is sent)."""
    require_role(request.user, *STATEMENT_READERS)
    stmt = get_object_or_404(selectors.statements(), pk=pk)
    return render(request, "receivables/statement_detail.html", {
        "s": stmt, "lines": selectors.statement_lines(stmt), "can": _statement_can(request),
    })


@login_required
def statement_export(request, pk):
    """The same statement as an Excel workbook, at any step."""
    from ..statement_export import export_statement, file_name
    from .common import xlsx_response

    require_role(request.user, *STATEMENT_READERS)
    stmt = get_object_or_404(selectors.statements(), pk=pk)
    return xlsx_response(export_statement(stmt), file_name(stmt))


@login_required
def statement_pdf(request, pk):
    """R-S2: the statement the client receives for payment (A4 PDF), for the roles that open the statement's page;
    anyone else gets 404 (rule 6: the client's account is not revealed)."""
    if not has_role(request.user, *STATEMENT_READERS):
        raise Http404
    stmt = get_object_or_404(selectors.statements(), pk=pk)
    return pdf_response(request, template="receivables/statement_pdf.html",
                        context={"s": stmt, "lines": selectors.statement_lines(stmt)},
                        filename=f"对账单-{stmt.number}.pdf")


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
    nxt = request.POST.get("next", "")
    if nxt == "detail":
        return redirect("receivables:statement_detail", pk=stmt.pk)
    return redirect("receivables:statements")


@login_required
def extensions(request):
    """R-S4: what waits for me — the manager approves first, then the GM office; decided requests below."""
    require_role(request.user, Role.MANAGER, Role.GM_OFFICE)
    waiting_for = []
    if has_role(request.user, Role.MANAGER):
        waiting_for.append(ExtensionStatus.PENDING_MANAGER)
    if has_role(request.user, Role.GM_OFFICE):
        waiting_for.append(ExtensionStatus.PENDING_GM)
    errors = {}
    if request.method == "POST":
        ext = get_object_or_404(DueDateExtension, pk=request.POST.get("extension"))
        note = request.POST.get("note", "")
        try:
            if request.POST.get("decision") == "approve":
                services.approve_extension(extension=ext, by=staff_of(request.user), now=timezone.now(), note=note)
                messages.success(request, _("已批准。"))
            else:
                services.reject_extension(extension=ext, by=staff_of(request.user), now=timezone.now(), note=note)
                messages.success(request, _("已驳回。"))
        except DomainError as exc:
            errors[ext.pk] = exc.message
        else:
            return redirect("receivables:extensions")
    pending = list(selectors.extensions(statuses=waiting_for)[:100])
    decided = list(selectors.extensions(statuses=[ExtensionStatus.APPROVED, ExtensionStatus.REJECTED])[:30])
    return render(request, "receivables/extensions.html", {"pending": pending, "decided": decided, "errors": errors},
                  status=400 if errors else 200)


@login_required
def overdue_review(request):
    """R-S6/R-S7: the Monday review as the ledger is now — refreshed on request (and by the morning job);
    the manager notes the cause for the salesperson; technician-caused → P11 proposed once (R-S5)."""
    require_role(request.user, Role.MANAGER)
    me = staff_of(request.user)
    today = timezone.localdate()
    errors = {}
    if request.method == "POST" and request.POST.get("refresh"):
        services.prepare_overdue_review(on=services.monday_of(today), now=timezone.now())
        messages.success(request, _("已按当前台账刷新本周逾期清单。"))
        return redirect("receivables:overdue_review")
    review = OverdueReview.objects.order_by("-week_of").first()
    if request.method == "POST" and review is not None:
        item = get_object_or_404(OverdueReviewItem, pk=request.POST.get("item"), review=review)
        try:
            services.note_overdue_item(item=item, cause=request.POST.get("cause", ""), note=request.POST.get("note", ""),
                                       by=me, now=timezone.now())
        except DomainError as exc:
            errors[item.pk] = exc.message
        else:
            messages.success(request, _("已记录。"))
            return redirect("receivables:overdue_review")
    items = list(selectors.overdue_items(review=review)[:300]) if review else []
    live = selectors.overdue_now(on=today)
    return render(request, "receivables/overdue_review.html", {
        "review": review, "items": items, "causes": OverdueCause.choices, "errors": errors, "live": live, "today": today,
        "stale": review is None or review.week_of != services.monday_of(today) or live["count"] != len(items),
    }, status=400 if errors else 200)
