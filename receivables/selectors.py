"""Reads of the receivable ledger (R-S6, R-S8): filters, ageing buckets in the database, constant queries."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.params import get_param
from servicedesk.texts import is_message, message, render

from .choices import ReceivableStatus
from .models import DueDateExtension, MonthlyStatement, OverdueReviewItem, Payment, PaymentAllocation, SalesConfirmation

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Bucket:
    key: str
    message: dict  # its name as a stored message (servicedesk.texts): whoever keeps it renders it when read (rule 7)
    low: int | None  # days overdue, inclusive; None = not due
    high: int | None  # inclusive; None = open-ended

    @property
    def label(self) -> str:
        """The bucket's name in the active language (the reader's page, the requester's export)."""
        return render(self.message)


def ageing_buckets(*, on: date) -> tuple[list[Bucket], dict]:
    """R-S8 buckets from param receivables.ageing_buckets ([30, 60, 90] → not due / 1–30 / 31–60 / 61–90 / >90)."""
    p = get_param("receivables.ageing_buckets", on=on)
    bounds = [int(b) for b in p.value]
    buckets = [Bucket("not_due", message(N_("未到期")), None, 0)]
    low = 1
    for high in bounds:
        buckets.append(Bucket(f"{low}_{high}", message(N_("逾期%(lo)s–%(hi)s天"), lo=low, hi=high), low, high))
        low = high + 1
    buckets.append(Bucket(f"over_{bounds[-1]}", message(N_("逾期超过%(n)s天"), n=bounds[-1]), low, None))
    return buckets, p.as_explanation()


SETTLED = Bucket("settled", message(N_("已结清")), None, None)


def bucket_label(key: str, stored=None) -> str:
    """A bucket's name in the active language from its key ("not_due", "1_30", "over_90", "settled"), for a body
    stored before buckets carried their message; `stored` (a message or the old finished label) otherwise."""
    if is_message(stored):
        return render(stored)
    if key == "not_due":
        return render(message(N_("未到期")))
    if key == SETTLED.key:
        return SETTLED.label
    if key.startswith("over_") and key[5:].isdigit():
        return render(message(N_("逾期超过%(n)s天"), n=int(key[5:])))
    low, _sep, high = key.partition("_")
    if low.isdigit() and high.isdigit():
        return render(message(N_("逾期%(lo)s–%(hi)s天"), lo=int(low), hi=int(high)))
    return render(stored)


def bucket_expression(*, as_of: date, buckets: list[Bucket]):
    """Case/When on the due date: days overdue = as_of − due_date, so 'd ≤ N days overdue' ⇔ due_date ≥ as_of − N."""
    whens = [When(is_open=False, then=Value(SETTLED.key)), When(due_date__gte=as_of, then=Value("not_due"))]
    for b in buckets[1:-1]:
        whens.append(When(due_date__gte=as_of - timedelta(days=b.high), then=Value(b.key)))
    return Case(*whens, default=Value(buckets[-1].key), output_field=CharField())


OUTSTANDING = ExpressionWrapper(F("amount") - F("received_amount"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass
class LedgerFilters:
    date_from: date | None = None
    date_to: date | None = None
    client: int | None = None
    technician: int | None = None
    salesperson: int | None = None
    status: str | None = None  # ReceivableStatus
    kind: str | None = None  # client kind

    @classmethod
    def from_dict(cls, data) -> "LedgerFilters":
        """Parse query parameters / stored JSON; bad values raise a DomainError naming the field."""
        from servicedesk.errors import DomainError

        out = cls()
        for name in ("date_from", "date_to"):
            raw = (data.get(name) or "").strip() if isinstance(data.get(name), str) else data.get(name)
            if raw:
                try:
                    setattr(out, name, raw if isinstance(raw, date) else date.fromisoformat(raw))
                except ValueError:
                    raise DomainError(_("日期格式应为 YYYY-MM-DD。"), field=name)
        for name in ("client", "technician", "salesperson"):
            raw = data.get(name)
            if raw not in (None, ""):
                try:
                    setattr(out, name, int(raw))
                except (TypeError, ValueError):
                    raise DomainError(_("应为编号(整数)。"), field=name)
        status = data.get("status") or None
        if status and status not in ReceivableStatus.values:
            raise DomainError(_("未知的状态:%(s)s") % {"s": str(status)[:30]}, field="status")
        out.status = status
        kind = data.get("kind") or None
        from servicedesk.choices import ClientKind

        if kind and kind not in ClientKind.values:
            raise DomainError(_("未知的客户类型:%(k)s") % {"k": str(kind)[:30]}, field="kind")
        out.kind = kind
        return out

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v not in (None, "")}


def ledger(*, as_of: date, filters: LedgerFilters | None = None, viewer=None, buckets=None):
    """The receivable ledger (R-S8): one row per live confirmation, with outstanding and ageing bucket annotated."""
    f = filters or LedgerFilters()
    buckets = buckets or ageing_buckets(on=as_of)[0]
    qs = SalesConfirmation.objects.live()
    if viewer is not None:
        qs = qs.visible_to(viewer)
    if f.date_from:
        qs = qs.filter(sold_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(sold_on__lte=f.date_to)
    if f.client:
        qs = qs.filter(client_id=f.client)
    if f.technician:
        qs = qs.filter(technician_id=f.technician)
    if f.salesperson:
        qs = qs.filter(salesperson_id=f.salesperson)
    if f.kind:
        qs = qs.filter(client_kind=f.kind)
    # `is_open` (not void, not fully received) instead of comparing two columns: the partial index serves it.
    if f.status == ReceivableStatus.PAID:
        qs = qs.filter(is_open=False)
    elif f.status == ReceivableStatus.OUTSTANDING:
        qs = qs.filter(is_open=True)
    elif f.status == ReceivableStatus.OVERDUE:
        qs = qs.filter(is_open=True, due_date__lt=as_of)
    elif f.status == ReceivableStatus.NOT_DUE:
        qs = qs.filter(is_open=True, due_date__gte=as_of)
    return qs.annotate(outstanding_amount=OUTSTANDING, bucket=bucket_expression(as_of=as_of, buckets=buckets))


LEDGER_VALUES = [
    "id", "number", "sold_on", "client__name", "client_kind", "site__name", "technician__name", "salesperson__name",
    "amount", "received_amount", "due_date", "due_provisional", "original_due_date", "bucket", "status", "registered_at",
    "payment_terms", "work_order__number", "invoice_number", "site_id", "site__resident", "client__salesperson__name",
    "last_paid_on", "extension_status",
]


def ledger_rows(*, as_of: date, filters=None, viewer=None, buckets=None):
    """`.values()` of the ledger for streaming exports (no model instances, one query): the last payment
    date and the latest extension request's status come as correlated subqueries (indexed by confirmation)."""
    last_paid = (
        PaymentAllocation.objects.filter(confirmation=OuterRef("pk")).order_by("-payment__received_on").values("payment__received_on")[:1]
    )
    extension = DueDateExtension.objects.filter(confirmation=OuterRef("pk")).order_by("-requested_at", "-pk").values("status")[:1]
    return (
        ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
        .annotate(last_paid_on=Subquery(last_paid), extension_status=Subquery(extension))
        .order_by("client__name", "sold_on", "number")
        .values(*LEDGER_VALUES)
    )


def resident_owners() -> dict[int, str]:
    """R-S7: resident site id → the resident technician who chases its debts (first active by name). One query."""
    from servicedesk.models import Staff

    owners: dict[int, str] = {}
    for site_id, name in (
        Staff.objects.filter(active=True, resident_site__isnull=False).order_by("-name").values_list("resident_site_id", "name")
    ):
        owners[site_id] = name
    return owners


def follow_up_name(row: dict, residents: dict[int, str]) -> str:
    """R-S7 on a ledger `.values()` row: the resident technician for a resident site, else the salesperson."""
    if row["site__resident"] and row["site_id"] in residents:
        return residents[row["site_id"]]
    return row["client__salesperson__name"] or row["salesperson__name"] or ""


def filters_text(filters: "LedgerFilters | None") -> list[tuple[str, str]]:
    """The filters as (label, value) pairs for the workbook and the file name (names looked up in ≤ 2 queries)."""
    from servicedesk.choices import ClientKind
    from servicedesk.models import Client, Staff

    f = filters or LedgerFilters()
    out: list[tuple[str, str]] = []
    if f.date_from:
        out.append((_("销售日期起"), f.date_from.isoformat()))
    if f.date_to:
        out.append((_("销售日期止"), f.date_to.isoformat()))
    if f.client:
        out.append((_("客户"), Client.objects.filter(pk=f.client).values_list("name", flat=True).first() or f"#{f.client}"))
    ids = [i for i in (f.technician, f.salesperson) if i]
    names = dict(Staff.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    if f.technician:
        out.append((_("技术员"), names.get(f.technician, f"#{f.technician}")))
    if f.salesperson:
        out.append((_("业务员"), names.get(f.salesperson, f"#{f.salesperson}")))
    if f.status:
        out.append((_("状态"), str(dict(ReceivableStatus.choices).get(f.status, f.status))))
    if f.kind:
        out.append((_("客户类型"), str(dict(ClientKind.choices).get(f.kind, f.kind))))
    return out


def ageing_totals(*, qs) -> list[dict]:
    """Totals per client and bucket, aggregated in the database (one query)."""
    rows = list(
        qs.order_by()
        .values("client_id", "client__name", "bucket")
        .annotate(invoiced=Sum("amount"), received=Sum("received_amount"))
        .order_by("client__name", "bucket")
    )
    # outstanding = invoiced − received in Decimal (SQLite would do column arithmetic in floating point)
    for row in rows:
        row["outstanding"] = (row["invoiced"] or ZERO) - (row["received"] or ZERO)
    return rows


def ageing_summary(*, as_of: date, filters=None, viewer=None):
    """Pivot of ageing_totals: [{client, buckets: {key: amount}, total}], plus bucket totals. Two queries."""
    buckets, explanation = ageing_buckets(on=as_of)
    qs = ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    clients: dict[int, dict] = {}
    bucket_totals = {b.key: ZERO for b in buckets}
    for row in ageing_totals(qs=qs):
        c = clients.setdefault(
            row["client_id"],
            {"client_id": row["client_id"], "client": row["client__name"], "buckets": {b.key: ZERO for b in buckets},
             "invoiced": ZERO, "received": ZERO, "outstanding": ZERO},
        )
        c["invoiced"] += row["invoiced"] or ZERO
        c["received"] += row["received"] or ZERO
        c["outstanding"] += row["outstanding"] or ZERO
        if row["bucket"] in c["buckets"]:
            c["buckets"][row["bucket"]] += row["outstanding"] or ZERO
            bucket_totals[row["bucket"]] += row["outstanding"] or ZERO
    rows = sorted(clients.values(), key=lambda c: c["client"])
    return {"buckets": buckets, "rows": rows, "bucket_totals": bucket_totals,
            "outstanding": sum((c["outstanding"] for c in rows), ZERO), "explanation": explanation}


def confirmations_for(viewer):
    return (
        SalesConfirmation.objects.visible_to(viewer)
        .select_related("client", "site", "technician", "salesperson", "registered_by", "statement")
        .prefetch_related("lines")
    )


def technician_ledger(*, technician, as_of: date):
    return ledger(as_of=as_of, filters=LedgerFilters(technician=technician.pk)).select_related("client", "site").order_by("-sold_on", "-number")


def overdue_items(*, review):
    return (
        OverdueReviewItem.objects.filter(review=review)
        .select_related("confirmation__client", "confirmation__technician", "confirmation__site", "follow_up_owner", "noted_by")
        .order_by("-days_overdue", "confirmation__number")
    )


def payments_for(viewer):
    qs = Payment.objects.select_related("confirmation", "statement", "recorded_by")
    from servicedesk.choices import Role

    if viewer is None:
        return qs.none()
    if viewer.user.is_superuser or viewer.has_role(Role.FINANCE, Role.MANAGER, Role.COORDINATOR, Role.GM_OFFICE, Role.ADMIN, Role.SALES):
        return qs
    return qs.filter(Q(confirmation__technician=viewer) | Q(allocations__confirmation__technician=viewer)).distinct()


def statements():
    return MonthlyStatement.objects.select_related("client", "reviewed_by", "checked_by", "sent_by", "compiled_by")


def statement_lines(statement: MonthlyStatement):
    """The sales a statement sums (R-S2), in sale order — one query."""
    return statement.confirmations.select_related("site", "technician").order_by("sold_on", "number")


# --------------------------------------------------------------------------- pages (fixed queries, bounded lists)


def technician_sales(*, technician, as_of: date):
    """R-S6 on the phone: every confirmation the technician sold, newest first, with ageing and the last
    on-the-spot receipt (method, invoice number) annotated — one query."""
    last = Payment.objects.filter(allocations__confirmation=OuterRef("pk")).order_by("-received_on", "-pk")
    return (
        technician_ledger(technician=technician, as_of=as_of)
        .annotate(last_method=Subquery(last.values("method")[:1]), last_paid_on=Subquery(last.values("received_on")[:1]))
    )


def technician_sales_counts(*, technician, as_of: date) -> dict:
    from django.db.models import Count

    qs = SalesConfirmation.objects.live().filter(technician=technician)
    agg = qs.aggregate(
        open=Count("id", filter=Q(is_open=True)),
        overdue=Count("id", filter=Q(is_open=True, due_date__lt=as_of)),
        unsigned=Count("id", filter=Q(client_signed_at__isnull=True, registered_at__isnull=True)),
        invoiced=Sum("amount", filter=Q(is_open=True)),
        received=Sum("received_amount", filter=Q(is_open=True)),
    )
    # outstanding in Decimal, never the backend's float arithmetic (SQLite)
    agg["outstanding"] = (agg.pop("invoiced") or ZERO) - (agg.pop("received") or ZERO)
    return agg


def technician_sale(*, technician):
    return (
        SalesConfirmation.objects.filter(technician=technician)
        .select_related("client", "site", "work_order", "salesperson")
        .prefetch_related("lines", "payments", "corrections__by", "extensions", "due_date_changes")
    )


def confirmation_page(viewer):
    return confirmations_for(viewer).select_related("work_order", "created_by").prefetch_related(
        "due_date_changes__by", "extensions__requested_by", "extensions__manager_by", "extensions__gm_by",
        "payments__recorded_by", "corrections__by",
    )


def confirmation_document(viewer):
    """R-S1: what the printed sales confirmation shows — its lines, the people and the statement it is on."""
    return confirmations_for(viewer).select_related("work_order")


def unregistered(*, limit: int):
    """Live confirmations whose delivery copy has not come back (oldest first), and how many in all."""
    qs = SalesConfirmation.objects.live().filter(registered_at__isnull=True)
    rows = list(qs.select_related("client", "technician").order_by("sold_on", "number")[:limit])
    return rows, qs.count()


def recently_registered(*, limit: int):
    return list(
        SalesConfirmation.objects.filter(registered_at__isnull=False).select_related("client", "technician").order_by("-registered_at")[:limit]
    )


def latest_reconciliations() -> list:
    """Each technician's most recent reconciliation, with its number of differences (two queries)."""
    from django.db.models import Count, Max

    from .models import Reconciliation

    latest = Reconciliation.objects.values("technician_id").annotate(w=Max("week_of"))
    keys = {(r["technician_id"], r["w"]) for r in latest}
    if not keys:
        return []
    q = Q()
    for tech, week in keys:
        q |= Q(technician_id=tech, week_of=week)
    return list(
        Reconciliation.objects.filter(q).select_related("technician").annotate(n_differences=Count("differences"))
        .order_by("-n_differences", "technician__name")
    )


def reconciliation_differences(rec):
    return rec.differences.select_related("confirmation__client").order_by("kind", "confirmation__sold_on")


def extensions(*, statuses):
    return (
        DueDateExtension.objects.filter(status__in=statuses)
        .select_related("confirmation__client", "confirmation__technician", "requested_by", "manager_by", "gm_by")
        .order_by("-requested_at")
    )


def overdue_now(*, on: date, limit: int = 0) -> dict:
    """The overdue open confirmations as the ledger is now (partial index on open rows by due date)."""
    qs = SalesConfirmation.objects.overdue(on=on)
    agg = qs.aggregate(n=Count("id"), a=Sum("amount"), r=Sum("received_amount"))
    return {"count": agg["n"], "outstanding": (agg["a"] or ZERO) - (agg["r"] or ZERO)}
