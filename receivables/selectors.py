"""Reads of the receivable ledger (R-S6, R-S8): filters, ageing buckets in the database, constant queries."""
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.utils.translation import gettext as _

from servicedesk.params import get_param

from .choices import ReceivableStatus
from .models import MonthlyStatement, OverdueReviewItem, Payment, SalesConfirmation

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    low: int | None  # days overdue, inclusive; None = not due
    high: int | None  # inclusive; None = open-ended


def ageing_buckets(*, on: date) -> tuple[list[Bucket], dict]:
    """R-S8 buckets from param receivables.ageing_buckets ([30, 60, 90] → not due / 1–30 / 31–60 / 61–90 / >90)."""
    p = get_param("receivables.ageing_buckets", on=on)
    bounds = [int(b) for b in p.value]
    buckets = [Bucket("not_due", _("未到期"), None, 0)]
    low = 1
    for high in bounds:
        buckets.append(Bucket(f"{low}_{high}", _("逾期%(lo)s–%(hi)s天") % {"lo": low, "hi": high}, low, high))
        low = high + 1
    buckets.append(Bucket(f"over_{bounds[-1]}", _("逾期超过%(n)s天") % {"n": bounds[-1]}, low, None))
    return buckets, p.as_explanation()


SETTLED = Bucket("settled", _("已结清"), None, None)


def bucket_expression(*, as_of: date, buckets: list[Bucket]):
    """Case/When on the due date: days overdue = as_of − due_date, so 'd ≤ N days overdue' ⇔ due_date ≥ as_of − N."""
    whens = [When(received_amount__gte=F("amount"), then=Value(SETTLED.key)), When(due_date__gte=as_of, then=Value("not_due"))]
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
            raise DomainError(_("未知的状态:%(s)s") % {"s": status}, field="status")
        out.status = status
        out.kind = data.get("kind") or None
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
    if f.status == ReceivableStatus.PAID:
        qs = qs.filter(received_amount__gte=F("amount"))
    elif f.status == ReceivableStatus.OUTSTANDING:
        qs = qs.filter(received_amount__lt=F("amount"))
    elif f.status == ReceivableStatus.OVERDUE:
        qs = qs.filter(received_amount__lt=F("amount"), due_date__lt=as_of)
    elif f.status == ReceivableStatus.NOT_DUE:
        qs = qs.filter(received_amount__lt=F("amount"), due_date__gte=as_of)
    return qs.annotate(outstanding_amount=OUTSTANDING, bucket=bucket_expression(as_of=as_of, buckets=buckets))


LEDGER_VALUES = [
    "id", "number", "sold_on", "client__name", "client_kind", "site__name", "technician__name", "salesperson__name",
    "amount", "received_amount", "due_date", "original_due_date", "bucket", "status", "registered_at",
    "payment_terms",
]


def ledger_rows(*, as_of: date, filters=None, viewer=None, buckets=None):
    """`.values()` of the ledger for streaming exports (no model instances, one query)."""
    return ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets).order_by("client__name", "sold_on", "number").values(*LEDGER_VALUES)


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
