"""Monthly figures of sales and collections that the monthly report reads (R-T1).

Money in Decimal; sums done by the database on DECIMAL columns, a fixed number of queries whatever
the number of technicians. Opening-balance receipts (imports) are not collections of the month."""
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from servicedesk.months import first_day, last_day

from .choices import PaymentMethod
from .models import Payment, PaymentAllocation, SalesConfirmation

ZERO = Decimal("0.00")


def technician_month_sales(month: date) -> dict[int, dict[str, Decimal]]:
    """{technician id: {"sales": confirmed amount sold in the month, "collected": payments received in the month}}.

    "sales" is the current amount (after corrections) of the live confirmations sold in the month;
    "collected" is what was received in the month on the technician's confirmations, whenever sold. Two queries."""
    first, last = first_day(month), last_day(month)
    out: dict[int, dict[str, Decimal]] = {}
    sold = (
        SalesConfirmation.objects.live().filter(sold_on__gte=first, sold_on__lte=last)
        .values("technician_id").annotate(total=Sum("amount")).order_by()
    )
    for row in sold:
        out.setdefault(row["technician_id"], {"sales": ZERO, "collected": ZERO})["sales"] = row["total"] or ZERO
    collected = (
        PaymentAllocation.objects.filter(payment__received_on__gte=first, payment__received_on__lte=last)
        .exclude(payment__method=PaymentMethod.OPENING)
        .values("confirmation__technician_id").annotate(total=Sum("amount")).order_by()
    )
    for row in collected:
        out.setdefault(row["confirmation__technician_id"], {"sales": ZERO, "collected": ZERO})["collected"] = row["total"] or ZERO
    return out


def month_collections(month: date) -> Decimal:
    """All payments received in the month (opening balances excluded). One query."""
    first, last = first_day(month), last_day(month)
    total = (
        Payment.objects.filter(received_on__gte=first, received_on__lte=last).exclude(method=PaymentMethod.OPENING)
        .aggregate(t=Sum("amount"))["t"]
    )
    return total or ZERO
