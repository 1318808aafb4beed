"""Pages: the manager's review queue and a person's penalty history (我的扣分). Thin: services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.forms import error_text
from servicedesk.models import Staff
from servicedesk.months import month_or
from servicedesk.paging import page_of, query_without_page
from servicedesk.permissions import has_role, require_role, require_staff, staff_of

from . import selectors, services
from .choices import RULES, FlagDecision, PenaltyStatus
from .models import DismissalFlag, Penalty
from .rules import catalogue

def _int(raw):
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _act(request, penalty: Penalty, action: str, by, now):
    post = request.POST
    if action == "confirm":
        return services.confirm(
            penalty=penalty, by=by, now=now, points=post.get("points") or None, serious=post.get("serious") == "on",
            reason=post.get("reason", ""), failed_supervision=post.get("failed_supervision") == "on",
        ), _("已确认:%(name)s %(rule)s。")
    if action == "change":
        return services.change_points(penalty=penalty, by=by, now=now, points=post.get("points"), reason=post.get("reason", "")), _(
            "已改分:%(name)s %(rule)s。"
        )
    if action == "reject":
        return services.reject(penalty=penalty, by=by, now=now, reason=post.get("reason", "")), _("已驳回:%(name)s %(rule)s。")
    if action == "withdraw":
        return services.withdraw(penalty=penalty, by=by, now=now, reason=post.get("reason", "")), _("已撤销:%(name)s %(rule)s。")
    raise Http404


@login_required
def review(request):
    """The manager's review queue: filters, per-row confirm / change / reject / withdraw, bulk confirm."""
    require_role(request.user, Role.MANAGER, Role.GM_OFFICE)  # GM office: proposals about a manager (P8 Decision)
    by = staff_of(request.user)
    if request.method == "POST":
        if by is None:
            raise PermissionDenied
        now = timezone.now()
        action = request.POST.get("action", "")
        try:
            if action == "bulk_confirm":
                ids = [i for i in (_int(x) for x in request.POST.getlist("selected")) if i]
                if not ids:
                    messages.warning(request, _("请先勾选要确认的处罚。"))
                else:
                    rows = list(Penalty.objects.filter(pk__in=ids).select_related("person").order_by("pk"))
                    result = services.bulk_confirm(penalties=rows, by=by, now=now)
                    messages.success(request, _("已批量确认 %(n)s 条。") % {"n": len(result.confirmed)})
                    for pen, msg in result.refused:
                        messages.error(request, f"{pen.person.name} {pen.rule}:{msg}")
            elif action == "decide_flag":
                flag = get_object_or_404(DismissalFlag, pk=request.POST.get("flag"))
                services.decide_dismissal(
                    flag=flag, decision=request.POST.get("decision", ""), by=by, now=now, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已记录辞退提示的决定。"))
            else:
                pen = get_object_or_404(Penalty.objects.select_related("person"), pk=request.POST.get("penalty"))
                pen, msg = _act(request, pen, action, by, now)
                messages.success(request, msg % {"name": pen.person.name, "rule": pen.rule})
        except DomainError as exc:
            label = {"points": _("扣分"), "reason": _("原因"), "decision": _("决定"),
                     "failed_supervision": _("监管不力")}.get(exc.field, "")
            messages.error(request, f"{label}:{exc.message}" if label else str(exc.message))
        except PermissionDenied as exc:
            messages.error(request, error_text(exc))
        return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)

    status = request.GET.get("status", PenaltyStatus.PENDING)
    if status not in PenaltyStatus.values:
        status = ""
    rule = request.GET.get("rule", "")
    rule = rule if rule in RULES else ""
    person_id = _int(request.GET.get("person"))
    month = month_or(request.GET.get("month"), None)
    # bounded screen (docs/developers.md rule 8): one page of the queue, oldest first, with the count of all
    page = page_of(request, selectors.review_queue(rule=rule, person=person_id, month=month, status=status, viewer=by))
    today = timezone.localdate()
    ctx = {
        "rows": page.object_list,
        "page": page,
        "keep": query_without_page(request),
        "people": Staff.objects.filter(active=True).order_by("name").only("pk", "name"),
        "rules": RULES,
        "statuses": PenaltyStatus.choices,
        "filters": {"status": status, "rule": rule, "person": person_id, "month": request.GET.get("month", "")},
        "flags": list(selectors.open_dismissal_flags()) if by is None or by.has_role(Role.MANAGER) else [],
        "flag_decisions": FlagDecision.choices,
        "catalogue": catalogue(on=today),
        "me": by,
    }
    return render(request, "penalties/review.html", ctx)


@login_required
def mine(request):
    me = require_staff(request.user, hide=True)
    return _history(request, me, own=True)


@login_required
def person_history(request, pk: int):
    """Anyone's history for managers; everybody else only their own (another person's → 404)."""
    me = staff_of(request.user)
    person = get_object_or_404(Staff, pk=pk)
    if me is not None and me.pk == person.pk:
        return redirect("penalties:mine")
    if not has_role(request.user, Role.MANAGER):
        raise Http404  # another person's history: not found, never "exists but not yours" (rule 6)
    return _history(request, person, own=False)


def _history(request, person: Staff, *, own: bool):
    today = timezone.localdate()
    month = month_or(request.GET.get("month"), None)
    page = page_of(request, selectors.person_history(person, month=month))  # bounded screen (rule 8)
    return render(
        request,
        "penalties/history.html",
        {
            "person": person,
            "own": own,
            "rows": page.object_list,
            "page": page,
            "keep": query_without_page(request),
            "month": request.GET.get("month", ""),
            "totals": selectors.monthly_totals_for(person, months=6, today=today),
            "flags": list(person.dismissal_flags.select_related("decided_by").order_by("-raised_at")) if not own
            or request.user.is_superuser else [],
        },
    )
