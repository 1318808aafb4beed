"""The client's own page at /c/<token>/ (no account; every request checks the link and counts against its
limits) and the desk's pages under /portal/ (links, the clients' reports), permission checked per role."""
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dispatch.resident.links import TooManyAttempts
from servicedesk.errors import DomainError
from servicedesk.forms import error_text
from servicedesk.models import Contact
from servicedesk.network import client_ip
from servicedesk.pdf import pdf_response
from servicedesk.permissions import require_staff
from servicedesk.uploads import protected_file

from . import selectors, services
from .models import ClientLink, IntakeRequest

DT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M")


def _ip(request) -> str:
    # behind the shipped nginx every request comes from 127.0.0.1: the client's own address, from a trusted proxy
    return client_ip(request)


def _gate(request, token):
    """The link, or the refusal page (404 for any bad link, 429 past the limits) — never whose page it was."""
    try:
        return services.resolve_token(token=token, now=timezone.now(), ip=_ip(request)), None
    except (services.LinkError, TooManyAttempts) as exc:
        return None, render(request, "portal/message.html", {"message": exc.message}, status=exc.status_code)


def _when(value: str):
    value = (value or "").strip()
    if not value:
        return None
    for fmt in DT_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    raise DomainError(_("请按“年-月-日 时:分”填写希望上门时间。"), field="preferred_at")


def client_page(request, token):
    """The client's page: report a fault, follow the open orders, past visits, documents, rate, complain."""
    link, refused = _gate(request, token)
    if refused:
        return refused
    now = timezone.now()
    error, data, done = None, {}, request.GET.get("done", "")
    if request.method == "POST":
        data = request.POST
        action = request.POST.get("action")
        try:
            if action == "report":
                services.report_fault(
                    link=link, description=request.POST.get("description", ""), now=now,
                    equipment_id=request.POST.get("equipment", ""), device_text=request.POST.get("device", ""),
                    preferred_at=_when(request.POST.get("preferred_at", "")), photo=request.FILES.get("photo"),
                )
                return redirect(f"{services.path_for(token)}?done=report")
            if action == "rate":
                services.rate_visit(link=link, work_order_id=request.POST.get("work_order", ""),
                                    satisfaction=request.POST.get("satisfaction", ""), comment=request.POST.get("comment", ""), now=now)
                return redirect(f"{services.path_for(token)}?done=rate#past")
            if action == "complain":
                services.complain(link=link, words=request.POST.get("words", ""), now=now,
                                  work_order_id=request.POST.get("work_order", ""))
                return redirect(f"{services.path_for(token)}?done=complain")
            raise DomainError(_("未知的操作。"), field="action")
        except services.LinkError as exc:
            return render(request, "portal/message.html", {"message": exc.message}, status=404)
        except DomainError as exc:
            error = {"action": action or "", "field": exc.field or "", "message": exc.message}
    context = selectors.client_page(link=link, now=now)
    response = render(request, "portal/client.html", {
        **context, "token": token, "error": error, "data": data, "done": done, "satisfactions": _satisfactions(),
    }, status=400 if error else 200)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"  # the token is in the path: never passed on to another site
    return response


def _satisfactions():
    from callbacks.choices import Satisfaction

    return Satisfaction.choices


def _pdf(request, token, fetch, template, filename):
    link, refused = _gate(request, token)
    if refused:
        return refused
    context, name = fetch(link)
    if context is None:
        raise Http404  # another client's id, or nothing to show: not revealed
    response = pdf_response(request, template=template, context=context, filename=filename(name))
    response["Cache-Control"] = "private, no-store"
    return response


def service_form_pdf(request, token, pk):
    def fetch(link):
        ctx = selectors.own_service_form(link=link, work_order_id=pk)
        return (ctx, ctx["wo"].number if ctx else "")

    return _pdf(request, token, fetch, "dispatch/service_form_pdf.html", lambda n: f"服务单-{n}.pdf")


def confirmation_pdf(request, token, pk):
    def fetch(link):
        conf = selectors.own_confirmation(link=link, pk=pk)
        return ({"conf": conf} if conf else None, conf.number if conf else "")

    return _pdf(request, token, fetch, "receivables/confirmation_pdf.html", lambda n: f"销售确认书-{n}.pdf")


def statement_pdf(request, token, pk):
    from receivables.selectors import statement_lines

    def fetch(link):
        stmt = selectors.own_statement(link=link, pk=pk)
        return ({"s": stmt, "lines": statement_lines(stmt)} if stmt else None, stmt.number if stmt else "")

    return _pdf(request, token, fetch, "receivables/statement_pdf.html", lambda n: f"对账单-{n}.pdf")


# ------------------------------------------------------------------------------------------------ the desk
def _desk(request):
    me = require_staff(request.user)
    if not services.can_manage(me):
        raise PermissionDenied
    return me


@login_required
def links(request):
    """Send (create) or revoke a site contact's link: sent through the outbox on the contact's channel, else shown
    once here to copy into a message."""
    me = _desk(request)
    now = timezone.now()
    shown = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                link = get_object_or_404(ClientLink, pk=request.POST.get("link"))
                services.revoke_link(link=link, by=me, now=now)
                messages.success(request, _("已撤销 %(name)s 的链接。") % {"name": link.contact.name})
            else:
                contact = get_object_or_404(Contact, pk=request.POST.get("contact"))
                link, token, sent = services.send_link(contact=contact, by=me, now=now)
                # sent on the contact's message channel by the outbox; a contact without one (or opted out) gets it
                # from the coordinator: the link is shown here once to copy
                shown = {"contact": contact, "link": link, "sent": sent,
                         "url": "" if sent else request.build_absolute_uri(services.path_for(token))}
        except (DomainError, ValidationError) as exc:
            messages.error(request, error_text(exc))
    q = request.GET.get("q", "")
    page = Paginator(selectors.contacts_with_links(q=q, now=now), 30).get_page(request.GET.get("page"))
    keep = urlencode({"q": q}) if q else ""
    return render(request, "portal/links.html", {"page": page, "q": q, "keep": keep, "shown": shown, "now": now})


@login_required
def intake(request):
    """The clients' reports: confirm one into a work order in one click (a duplicate warning first), or decline."""
    me = _desk(request)
    now = timezone.now()
    if request.method == "POST":
        req = get_object_or_404(IntakeRequest, pk=request.POST.get("request"))
        try:
            if request.POST.get("action") == "decline":
                services.decline_intake(request=req, by=me, now=now, reason=request.POST.get("reason", ""))
                messages.success(request, _("已标记为未受理。"))
            else:
                wo = services.confirm_intake(request=req, by=me, now=now, confirm_duplicate=request.POST.get("confirm_duplicate") == "1")
                messages.success(request, _("已受理工单 %(number)s。") % {"number": wo.number})
        except services.DuplicateWarning as exc:
            messages.warning(request, exc.message)
        except (DomainError, ValidationError) as exc:
            messages.error(request, error_text(exc))
        return redirect("portal:intake")
    rows, total = selectors.pending_requests()
    for r in rows:
        r.duplicates = list(services.duplicates_of(r))
    return render(request, "portal/intake.html", {"rows": rows, "total": total})


@login_required
def intake_photo(request, pk):
    _desk(request)
    req = get_object_or_404(IntakeRequest, pk=pk)
    return protected_file(req.photo, download_name=req.photo_name)
