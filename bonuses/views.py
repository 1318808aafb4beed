"""Month-close pages: the manager's month page, "my month" (phone), a printable statement, admin's archive,
the payroll export. Thin: services decide, selectors read."""
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import error_text
from servicedesk.months import first_day, month_or, next_month, previous_month
from servicedesk.permissions import has_role, require_role, require_staff, staff_of

from . import exports, selectors, services
from .choices import StatementStatus
from .models import Statement

SEE_ALL = (Role.MANAGER, Role.ADMIN, Role.FINANCE)


@login_required
def month(request):
    """The manager's month page: ranking with the reason for each reward or its absence, fines, totals, approval."""
    require_role(request.user, Role.MANAGER, Role.FINANCE, Role.ADMIN)
    now = timezone.now()
    m = month_or(request.GET.get("month"), previous_month(timezone.localdate(now)))
    if request.method == "POST":
        require_role(request.user, Role.MANAGER)
        by = staff_of(request.user)
        action = request.POST.get("action", "")
        try:
            if action == "compile":
                r = services.compile_month(month=m, by=by, now=now)
                messages.success(request, _("已结算 %(m)s:%(n)s 份结算单,新增 %(c)s 条、更新 %(u)s 条。") % {
                    "m": f"{m:%Y-%m}", "n": r.statements, "c": r.created, "u": r.updated})
            elif action == "approve_all":
                r = services.approve_month(month=m, by=by, now=now)
                messages.success(request, _("已审批 %(n)s 份结算单。") % {"n": len(r.approved)})
                for st, msg in r.refused:
                    messages.error(request, f"{st.person.name}:{msg}")
            elif action == "approve":
                st = get_object_or_404(Statement.objects.select_related("person"), pk=request.POST.get("statement"), month=m)
                services.approve_statement(statement=st, by=by, now=now)
                messages.success(request, _("已审批 %(name)s 的结算单。") % {"name": st.person.name})
            else:
                raise Http404
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        return redirect(f"{request.path}?month={m:%Y-%m}")
    rows = selectors.ranking(m)
    statements = list(selectors.statements(month=m))
    for st in statements:
        st.totals = selectors.totals_of(st)
    by_person = {st.person_id: st for st in statements}
    for r in rows:
        r["statement"] = by_person.get(r["person_id"])
    totals = {k: sum((st.totals[k] for st in statements), Decimal("0.00"))
              for k in ("rewards", "fines", "allowances", "project_bonus", "penalty_amount", "net")}
    return render(request, "bonuses/month.html", {
        "month": m, "rows": rows, "statements": statements, "totals": totals, "compiled": bool(statements),
        "status": selectors.month_status(m), "is_manager": has_role(request.user, Role.MANAGER),
        "prev": previous_month(m), "next": next_month(m),
    })


@login_required
def export(request, month: str):
    """The payroll input: one row per person, one column per kind (Excel, escaped cells)."""
    require_role(request.user, Role.MANAGER, Role.FINANCE, Role.ADMIN)
    m = month_or(month, None)
    if m is None:
        raise Http404
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="statements-{m:%Y-%m}.xlsx"'
    exports.write_month(response, month=m)
    return response


@login_required
def mine(request):
    """'My month' on the phone: the running month's live preview and my statements."""
    me = require_staff(request.user, hide=True)
    today = timezone.localdate()
    running = first_day(today)
    preview = selectors.person_preview(me, running)
    own = list(selectors.statements(person=me)[:12])
    for st in own:
        st.totals = selectors.totals_of(st)
    return render(request, "mobile/my_month.html", {"me": me, "running": running, "preview": preview, "statements": own})


@login_required
def statement(request, pk: int):
    """A statement, printable; its person, managers, admin and finance only (another person's → 404)."""
    st = get_object_or_404(selectors.statements(), pk=pk)
    me = staff_of(request.user)
    if not (has_role(request.user, *SEE_ALL) or (me is not None and st.person_id == me.pk)):
        raise Http404  # another person's statement: not found, never "exists but not yours" (rule 6)
    st.totals = selectors.totals_of(st)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                services.approve_statement(statement=st, by=me, now=timezone.now())
                messages.success(request, _("已审批。"))
            elif action == "archive":
                services.archive_statement(statement=st, by=me, now=timezone.now())
                messages.success(request, _("已归档。"))
            else:
                raise Http404
        except (DomainError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        return redirect("bonuses:statement", pk=st.pk)
    template = "mobile/statement.html" if me is not None and st.person_id == me.pk and not has_role(request.user, *SEE_ALL) else "bonuses/statement.html"
    return render(request, template, {"st": st, "can_approve": has_role(request.user, Role.MANAGER) and st.can_approve(),
                                      "can_archive": has_role(request.user, Role.ADMIN) and st.can_archive()})


@login_required
def archive(request):
    """Admin's archive: months with their statement counts; a month's approved statements archived one by one or all."""
    require_role(request.user, Role.ADMIN, Role.MANAGER, Role.FINANCE)
    m = month_or(request.GET.get("month"), None)
    if request.method == "POST":
        require_role(request.user, Role.ADMIN)
        by, now = staff_of(request.user), timezone.now()
        ids = [int(i) for i in request.POST.getlist("statement") if i.isdigit()]
        done = 0
        for st in Statement.objects.filter(pk__in=ids).select_related("person"):
            try:
                services.archive_statement(statement=st, by=by, now=now)
                done += 1
            except (DomainError, PermissionDenied) as exc:
                messages.error(request, f"{st.person.name}:{error_text(exc)}")
        messages.success(request, _("已归档 %(n)s 份结算单。") % {"n": done})
        return redirect(f"{request.path}?month={m:%Y-%m}" if m else request.path)
    statements = []
    if m is not None:
        statements = list(selectors.statements(month=m))
        for st in statements:
            st.totals = selectors.totals_of(st)
    return render(request, "bonuses/archive.html", {
        "months": selectors.archive_list(), "month": m, "statements": statements,
        "can_archive": has_role(request.user, Role.ADMIN), "approved": StatementStatus.APPROVED,
    })
