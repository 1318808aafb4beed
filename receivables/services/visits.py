"""Sales from visits (R-S1, API reference /api/docs/, "Sales from visits"): the resolved visit's charge becomes its sales
confirmation, and later charge decisions (R-B9 disputes, R-B6/R-B7 repair plans) correct its amount.

Receivables never imports dispatch: the close-out's facts arrive as arguments; the charge is read from
billing (which receivables may depend on)."""
from datetime import date, datetime
from decimal import Decimal

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.texts import as_text, message
from servicedesk.errors import CalendarMissingError

from billing.choices import ChargeStatus
from billing.models import VisitCharge

from ..choices import PriceSource
from ..models import SalesConfirmation
from .common import money
from .confirmations import correct_amount, create_confirmation

ZERO = Decimal("0.00")
log = logging.getLogger(__name__)


def _line_words(charge: VisitCharge, line) -> str:
    """What the technician wrote for the line at close-out (kept in the charge's request, by position), else the
    item's or the kind's name."""
    asked = (charge.request or {}).get("lines") or []
    written = (asked[line.position - 1].get("description") or "").strip() if 0 < line.position <= len(asked) else ""
    if written:
        return written[:200]
    # the item's or kind's name, kept as its message so the reader's language names it (rule 7)
    field = "kind" if line.item == "other" else "item"
    return message(dict(type(line)._meta.get_field(field).flatchoices)[getattr(line, field)])


def _sale_line(description, quantity: int, amount: Decimal) -> tuple[str, Decimal, Decimal]:
    """(description, quantity, unit price) whose product is exactly the billed amount (house rule 1): the line's own
    quantity when the amount divides into whole cents, else one lot with the quantity named in the words."""
    quantity = max(int(quantity or 1), 1)
    unit = money(amount / quantity)
    if quantity > 1 and money(unit * quantity) != amount:
        what = description if isinstance(description, dict) else description[:120]
        return as_text(message(N_("%(what)s × %(n)s"), what=what, n=quantity)), Decimal("1"), amount
    return (as_text(description) if isinstance(description, dict) else description), Decimal(quantity), unit


def _charge_lines(charge: VisitCharge) -> list[dict]:
    """The charged lines of the visit, each with its billing explanation (R-P7); the on-site fee as its own line.
    Each keeps the technician's description and quantity ("搓纸轮" × 2), never just the kind × 1."""
    live = [line for line in charge.lines.all() if not line.superseded]
    rows = []
    for line in live:
        amount = line.billed_amount
        if amount <= 0:
            continue
        description, quantity, unit_price = _sale_line(_line_words(charge, line), line.quantity, money(amount))
        rows.append({
            "description": description[:200],
            "quantity": quantity,
            "unit_price": unit_price,
            "price_source": PriceSource.BILLING,
            "explanation": {"rule": line.rule, "text": line.explanation, "inputs": line.inputs, "params": line.params,
                            "charge_line": line.pk, "quantity": line.quantity},
        })
    if charge.onsite_fee > 0 and charge.status != ChargeStatus.WAIVED:
        rows.append({
            "description": as_text(message(N_("上门费"))),
            "quantity": Decimal("1"),
            "unit_price": money(charge.onsite_fee),
            "price_source": PriceSource.BILLING,
            "explanation": {"rule": charge.onsite_fee_rule or "R-P6", "text": charge.onsite_fee_explanation,
                            "params": charge.onsite_fee_params},
        })
    return rows


def billed_total(charge: VisitCharge) -> Decimal:
    return money(charge.billed_total([line for line in charge.lines.all() if not line.superseded]))


def sale_from_visit(*, work_order, technician, completed_on: date, now: datetime) -> SalesConfirmation | None:
    """R-S1: called by the close-out inside its transaction. A visit charged above 0.00 becomes one
    confirmation of its client (site, technician, salesperson; terms from the client, due date by
    R-S2/R-S3 from the completion date). A free visit makes none; a re-run returns the existing one."""
    existing = SalesConfirmation.objects.filter(work_order=work_order, from_visit=True).first()
    if existing is not None:
        return existing
    charge = VisitCharge.objects.filter(work_order=work_order).prefetch_related("lines__repair_plan").first()
    if charge is None or billed_total(charge) <= 0:
        return None
    lines = _charge_lines(charge)
    client = charge.client
    try:
        with transaction.atomic():  # a savepoint: a refused sale never breaks the close-out around it
            return create_confirmation(
                client=client, technician=technician, sold_on=completed_on, lines=lines, now=now, by=technician,
                site=work_order.site if work_order.site.client_id == client.pk else None, work_order=work_order,
                salesperson=client.salesperson, from_visit=True,
            )
    except CalendarMissingError:
        # SPEC §11: no due date can be computed in a year the calendar lacks — never a guess. The visit still
        # closes; `create_missing_visit_sales` (beat, daily) makes the sale once the administrator enters the year.
        log.warning("calendar lacks %s: sale of work order %s deferred", completed_on.year, work_order.pk)
        return None


def create_missing_visit_sales(*, now: datetime, limit: int = 500) -> list[int]:
    """Catch-up (beat): charged visits without their sales confirmation — deferred for a missing calendar year,
    or resolved before this hook existed — get it now. Idempotent; bounded per run."""
    charges = (
        VisitCharge.objects.filter(total__gt=0, work_order__technician__isnull=False)
        .exclude(work_order__sales_confirmations__from_visit=True)
        .select_related("work_order__site", "work_order__technician", "client__salesperson")
        .order_by("on", "pk")[:limit]
    )
    made = []
    for charge in charges:
        conf = sale_from_visit(work_order=charge.work_order, technician=charge.work_order.technician, completed_on=charge.on, now=now)
        if conf is not None:
            made.append(conf.pk)
    return made


def follow_charge_decision(*, work_order, rule: str, reason: str, by, now: datetime, source: dict | None = None):
    """After a dispute decision (R-B9) or a salesperson's repair-plan decision (R-B6/R-B7): the visit's
    confirmation takes the newly billed total through a correction with history; a visit that was free
    until a repair plan was agreed as chargeable gets its confirmation now."""
    charge = VisitCharge.objects.filter(work_order=work_order).prefetch_related("lines__repair_plan").first()
    if charge is None:
        return None
    total = billed_total(charge)
    conf = SalesConfirmation.objects.filter(work_order=work_order, from_visit=True).first()
    if conf is None:
        if total <= 0:
            return None
        technician = work_order.technician
        if technician is None:
            return None
        return sale_from_visit(work_order=work_order, technician=technician, completed_on=charge.on, now=now)
    return correct_amount(confirmation=conf, new_amount=total, rule=rule, reason=reason, by=by, now=now, source=source)


def on_charge_decided(sender, *, work_order, rule: str, reason: str, by, now: datetime, source: dict | None = None,
                      **kwargs) -> None:
    """Receiver of `billing.signals.charge_decided` (connected in ReceivablesConfig.ready): R-S1 with R-B9 or
    R-B6/R-B7 — the visit's sales confirmation follows the decision inside billing's transaction, so an error
    here rolls the decision back too."""
    follow_charge_decision(work_order=work_order, rule=rule, reason=reason, by=by, now=now, source=source)
