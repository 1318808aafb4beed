"""Reads of the client portal: everything the client's page shows is filtered by the link's client first (one
rule: `_mine`), so another client's order, PDF or statement is simply not found (404). A fixed number of queries
per page; lists are bounded (docs/developers.md rule 8)."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from servicedesk.choices import OPEN_STATUSES, WorkOrderStatus
from servicedesk.models import Contact, Equipment, WorkOrder, WorkOrderEvent

from .models import ClientLink, IntakeRequest, IntakeStatus

PAST_SHOWN = 20
DOCS_SHOWN = 20
PENDING_SHOWN = 50
DONE_STATUSES = (WorkOrderStatus.RESOLVED, WorkOrderStatus.CLOSED, WorkOrderStatus.RETURNED)
STATEMENT_SHOWN_STATUSES = ("sent", "partially_paid", "paid")  # a statement the client has been sent (R-S2)


def _progress(wo: WorkOrder, promised: dict) -> str:
    """Where the client's open order is, in their words: dispatched to whom, on the way with the promised arrival."""
    name = wo.technician.name if wo.technician_id else ""
    at = promised.get(wo.pk)
    when = at.strftime("%m-%d %H:%M") if at else ""
    s = wo.status
    if s == WorkOrderStatus.NEW:
        return _("已收到,正在安排技术员")
    if s == WorkOrderStatus.DISPATCHED:
        return _("已派给技术员 %(name)s,等待接单") % {"name": name}
    if s == WorkOrderStatus.ACCEPTED:
        return _("技术员 %(name)s 已接单") % {"name": name}
    if s == WorkOrderStatus.CONTACTED:
        return _("技术员 %(name)s 已与您联系,预计 %(at)s 到达") % {"name": name, "at": when} if when else \
            _("技术员 %(name)s 已与您联系") % {"name": name}
    if s == WorkOrderStatus.EN_ROUTE:
        return _("技术员 %(name)s 已出发,预计 %(at)s 到达") % {"name": name, "at": when} if when else \
            _("技术员 %(name)s 已出发") % {"name": name}
    if s == WorkOrderStatus.ON_SITE:
        return _("技术员 %(name)s 已到达现场") % {"name": name}
    return wo.get_status_display()


def _promised_arrivals(order_ids) -> dict:
    """R-W6: the arrival the technician promised on the call (the latest one), per order — one query."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    found = {}
    for wo_id, data in (WorkOrderEvent.objects.filter(work_order_id__in=order_ids, action="contact")
                        .order_by("at", "pk").values_list("work_order_id", "data")):
        value = parse_datetime((data or {}).get("promised_at") or "")
        if value:
            found[wo_id] = timezone.localtime(value)
    return found


def client_page(*, link: ClientLink, now: datetime) -> dict:
    """The client's page: their equipment, open orders with progress, pending requests, past visits (service form,
    rating), their sales confirmations and statements with what is outstanding and due when."""
    from callbacks.models import Callback
    from dispatch.models import CloseOut
    from receivables.models import MonthlyStatement, SalesConfirmation

    contact = link.contact
    client = contact.client
    equipment = Equipment.objects.filter(client=client).select_related("site").order_by("model", "serial")
    if contact.site_id:  # a site contact picks among that site's devices (and the client's without a site)
        equipment = equipment.filter(Q(site_id=contact.site_id) | Q(site__isnull=True))
    orders = WorkOrder.objects.filter(client=client).select_related("technician", "site")
    open_orders = list(orders.filter(status__in=OPEN_STATUSES).order_by("-created_at")[:PAST_SHOWN])
    promised = _promised_arrivals([o.pk for o in open_orders])
    for o in open_orders:
        o.progress = _progress(o, promised)
    past = list(orders.filter(status__in=DONE_STATUSES).order_by("-created_at")[:PAST_SHOWN])
    forms = set(CloseOut.objects.filter(work_order__in=[o.pk for o in past]).values_list("work_order_id", flat=True))
    callbacks = {cb.work_order_id: cb for cb in Callback.objects.filter(work_order__in=[o.pk for o in past])}
    for o in past:
        o.has_form = o.pk in forms
        cb = callbacks.get(o.pk)
        o.rated = bool(cb and cb.satisfaction)
        o.can_rate = bool(cb and not cb.satisfaction)
        o.rating_label = cb.get_satisfaction_display() if cb and cb.satisfaction else ""
    requests = list(IntakeRequest.objects.filter(client=client).exclude(status=IntakeStatus.CONFIRMED)
                    .select_related("equipment").order_by("-created_at")[:DOCS_SHOWN])
    confirmations = list(SalesConfirmation.objects.live().filter(client=client).order_by("-sold_on", "-number")[:DOCS_SHOWN])
    statements = list(MonthlyStatement.objects.filter(client=client, status__in=STATEMENT_SHOWN_STATUSES)
                      .order_by("-month")[:DOCS_SHOWN])
    open_confirmations = SalesConfirmation.objects.live().filter(client=client, is_open=True)
    outstanding = open_confirmations.aggregate(amount=Sum("amount"), received=Sum("received_amount"))
    owed = (outstanding["amount"] or Decimal("0.00")) - (outstanding["received"] or Decimal("0.00"))
    next_due = open_confirmations.order_by("due_date").values_list("due_date", flat=True).first()
    return {
        "contact": contact, "client": client, "equipment": list(equipment[:200]), "open_orders": open_orders,
        "past": past, "requests": requests, "confirmations": confirmations, "statements": statements,
        "owed": owed, "next_due": next_due, "today": now.date(),
    }


# the documents, each only of the link's client (None → 404)
def own_confirmation(*, link: ClientLink, pk: int):
    from receivables.models import SalesConfirmation

    return (SalesConfirmation.objects.live().filter(client_id=link.contact.client_id, pk=pk)
            .select_related("client", "site", "technician", "salesperson", "registered_by", "statement", "work_order")
            .prefetch_related("lines").first())


def own_statement(*, link: ClientLink, pk: int):
    from receivables.models import MonthlyStatement

    return (MonthlyStatement.objects.filter(client_id=link.contact.client_id, pk=pk, status__in=STATEMENT_SHOWN_STATUSES)
            .select_related("client", "reviewed_by", "checked_by", "sent_by", "compiled_by").first())


def own_service_form(*, link: ClientLink, work_order_id: int) -> dict | None:
    from dispatch.selectors import service_form

    return service_form(work_order_id=work_order_id, viewer=None, client=link.contact.client)


# ------------------------------------------------------------------------------------------------ the desk
def contacts_with_links(*, q: str, now: datetime):
    """The contacts (searched by client, site, name or phone) with their live link, if any."""
    from django.db.models import Prefetch

    qs = Contact.objects.select_related("client", "site").order_by("client__name", "name", "pk")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(client__name__icontains=q) | Q(site__name__icontains=q) | Q(name__icontains=q) | Q(phone__icontains=q))
    return qs.prefetch_related(Prefetch("portal_links", queryset=ClientLink.objects.live(now=now).order_by("-created_at"),
                                        to_attr="live_links"))


def pending_requests():
    """The coordinator's queue: the clients' reports still to confirm, oldest first (bounded), and how many."""
    qs = IntakeRequest.objects.filter(status=IntakeStatus.PENDING)
    rows = list(qs.select_related("client", "site", "contact", "equipment", "link").order_by("created_at", "pk")[:PENDING_SHOWN])
    return rows, qs.count()
