"""Sales confirmations (R-S1): writing, signing, registering the delivery copy, the technician's ledger,
voiding, collecting on the spot, and corrections of the amount after the fact (R-B9, R-B6/R-B7)."""
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.texts import as_text, message
from servicedesk.choices import ClientKind, Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.numbering import next_number
from servicedesk.quantities import QuantityError, parse_quantity
from servicedesk.templatetags.money import format_yuan

from ..choices import ConfirmationStatus, PaymentMethod, PaymentTerms, PriceSource, StatementStatus
from ..models import ConfirmationCorrection, ConfirmationLine, MonthlyStatement, SalesConfirmation
from .common import check_total, compute_due_date, default_terms, money, parse_amount, require, set_open

_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")  # a plain number: out of range or too many places, not unreadable

MAX_QUANTITY = Decimal("100000")


@dataclass
class LineInput:
    description: str
    quantity: Decimal
    unit_price: Decimal
    price_source: str = PriceSource.TYPED
    explanation: dict = field(default_factory=dict)


def _parse_lines(lines) -> list[LineInput]:
    if not lines:
        raise DomainError(_("确认书至少要有一行明细。"), field="lines")
    parsed = []
    for i, raw in enumerate(lines, start=1):
        if isinstance(raw, LineInput):
            raw = raw.__dict__
        desc = (raw.get("description") or "").strip()
        if not desc:
            raise DomainError(_("第 %(i)s 行:请填写品名/服务内容。") % {"i": i}, field="lines")
        if len(desc) > 200:
            raise DomainError(_("第 %(i)s 行:品名过长(最多200个字符)。") % {"i": i}, field="lines")
        raw_qty = raw.get("quantity", "1")
        try:  # plain ASCII decimals only (servicedesk.quantities): Decimal() would take "1E+2", "١٠٠", "1_000", "+5"
            qty = parse_quantity(raw_qty, field="lines", decimal_places=2, min_value=Decimal("0.01"), max_value=MAX_QUANTITY)
        except QuantityError as exc:
            if _NUMBER.fullmatch(str(raw_qty).strip()):  # a plain number out of range or with too many places
                raise DomainError(
                    _("第 %(i)s 行:数量必须大于0、最多两位小数且不超过 %(m)s。") % {"i": i, "m": MAX_QUANTITY}, field="lines"
                ) from exc
            raise DomainError(_("第 %(i)s 行:数量不是有效数字。") % {"i": i}, field="lines") from exc
        try:
            price = parse_amount(raw.get("unit_price"), field="lines", label=_("第 %(i)s 行单价") % {"i": i}, allow_zero=True)
        except DomainError as exc:
            raise DomainError(exc.message, field="lines") from exc
        parsed.append(LineInput(desc, qty, price, raw.get("price_source") or PriceSource.TYPED, raw.get("explanation") or {}))
    return parsed


def _free_number(on: date) -> str:
    # Imported historical numbers may already occupy a slot of the sequence: skip them.
    while True:
        number = next_number("XS", on)
        if not SalesConfirmation.objects.filter(number=number).exists():
            return number


def create_confirmation(
    *,
    client,
    technician,
    sold_on: date,
    lines,
    now: datetime,
    by=None,
    site=None,
    salesperson=None,
    work_order=None,
    payment_terms: str | None = None,
    from_visit: bool = False,
) -> SalesConfirmation:
    """R-S1: a new numbered sales confirmation (XS-YYYY-MM-NNNN) with its lines; the due date per R-S2/R-S3.

    A counter sale (no visit) is the same call without `work_order`."""
    if site is not None and site.client_id != client.pk:
        raise DomainError(_("该网点不属于此客户。"), field="site")
    if work_order is not None and work_order.client_id != client.pk:
        raise DomainError(_("该工单不属于此客户。"), field="work_order")
    if not from_visit and not technician.has_role(Role.TECHNICIAN):
        raise DomainError(_("%(name)s 不是技术员。") % {"name": technician.name}, field="technician")
    if by is not None and by.pk != technician.pk and not by.has_role(Role.COORDINATOR, Role.MANAGER, Role.FINANCE):
        raise PermissionDenied(_("技术员只能为自己开销售确认书。"))
    parsed = _parse_lines(lines)
    terms = payment_terms or default_terms(client)
    if terms not in PaymentTerms.values:
        raise DomainError(_("未知的结算方式:%(t)s") % {"t": terms}, field="payment_terms")
    due, due_rule = compute_due_date(client_kind=client.kind, payment_terms=terms, sold_on=sold_on)
    amounts = [money(line.quantity * line.unit_price) for line in parsed]
    total = check_total(money(sum(amounts, Decimal("0"))), field="lines")
    if total <= 0:
        raise DomainError(_("确认书合计金额必须大于0。"), field="lines")
    with transaction.atomic():
        conf = SalesConfirmation(
            number=_free_number(sold_on),
            client=client,
            client_kind=client.kind,
            site=site,
            work_order=work_order,
            technician=technician,
            salesperson=salesperson or client.salesperson,
            sold_on=sold_on,
            payment_terms=terms,
            amount=total,
            due_date=due,
            original_due_date=due,
            due_rule=due_rule,
            due_provisional=bool(due_rule.get("provisional")),
            created_by=by,
            created_at=now,
            from_visit=from_visit,
            # R-S6: a confirmation the technician writes (or their own visit makes) is in their ledger at once.
            ledger_recorded_at=now if (by is None or by.pk == technician.pk) else None,
        )
        set_open(conf)
        conf.save()
        ConfirmationLine.objects.bulk_create(
            [
                ConfirmationLine(
                    confirmation=conf, position=pos, description=line.description, quantity=line.quantity,
                    unit_price=line.unit_price, amount=amount, price_source=line.price_source, explanation=line.explanation,
                )
                for pos, (line, amount) in enumerate(zip(parsed, amounts), start=1)
            ]
        )
    return conf


def locked(conf: SalesConfirmation) -> SalesConfirmation:
    return SalesConfirmation.objects.select_for_update().get(pk=conf.pk)


_locked = locked


def sign_by_technician(*, confirmation: SalesConfirmation, by, now: datetime) -> SalesConfirmation:
    with transaction.atomic():
        conf = locked(confirmation)
        if by is not None and by.pk != conf.technician_id:
            raise PermissionDenied(_("只有本确认书的技术员可以签字。"))
        if conf.status != ConfirmationStatus.DRAFT:
            raise ConflictError(_("确认书 %(n)s 当前状态为“%(s)s”,不能再由技术员签字。") % {"n": conf.number, "s": conf.get_status_display()})
        conf.status = ConfirmationStatus.TECHNICIAN_SIGNED
        conf.technician_signed_at = now
        conf.save(update_fields=["status", "technician_signed_at"])
    return conf


def sign_by_client(*, confirmation: SalesConfirmation, signatory: str, by, now: datetime) -> SalesConfirmation:
    with transaction.atomic():
        conf = locked(confirmation)
        if by is not None and by.pk != conf.technician_id and not by.has_role(Role.COORDINATOR, Role.MANAGER):
            raise PermissionDenied(_("无权记录客户签字。"))
        if conf.status != ConfirmationStatus.TECHNICIAN_SIGNED:
            raise ConflictError(_("确认书 %(n)s 需先由技术员签字,再请客户签字。") % {"n": conf.number})
        signatory = (signatory or "").strip()
        if not signatory:
            raise DomainError(_("请填写客户签字人。"), field="signatory")
        if len(signatory) > 40:
            raise DomainError(_("客户签字人最多40个字符。"), field="signatory")
        conf.status = ConfirmationStatus.CLIENT_SIGNED
        conf.client_signed_at = now
        conf.client_signatory = signatory
        conf.save(update_fields=["status", "client_signed_at", "client_signatory"])
    return conf


def record_signatures(*, confirmation: SalesConfirmation, signatory: str, by, now: datetime) -> SalesConfirmation:
    """The phone's one step: the technician signs (if not yet) and records the client's signature name."""
    with transaction.atomic():
        conf = locked(confirmation)
        if conf.status == ConfirmationStatus.DRAFT:
            conf = sign_by_technician(confirmation=conf, by=by, now=now)
        return sign_by_client(confirmation=conf, signatory=signatory, by=by, now=now)


def register_delivery_copy(*, number: str, by, now: datetime) -> SalesConfirmation:
    """R-S1: the coordinator registers the returned delivery copy (送货联) by scanning or typing its number."""
    require(by, Role.COORDINATOR, Role.MANAGER)
    number = (number or "").strip().upper()
    if not number:
        raise DomainError(_("请扫描或输入确认书编号。"), field="number")
    if len(number) > 32:
        raise DomainError(_("编号过长(最多32个字符)。"), field="number")
    with transaction.atomic():
        conf = SalesConfirmation.objects.select_for_update().filter(number=number).first()
        if conf is None:
            raise DomainError(_("没有编号为 %(n)s 的销售确认书,请核对编号。") % {"n": number}, field="number")
        if conf.status == ConfirmationStatus.VOID:
            raise ConflictError(_("确认书 %(n)s 已作废,不能登记。") % {"n": number}, field="number")
        if conf.registered_at is not None:
            raise ConflictError(
                _("确认书 %(n)s 的送货联已于 %(at)s 由 %(who)s 登记,不能重复登记。")
                % {"n": number, "at": f"{timezone.localtime(conf.registered_at):%Y-%m-%d %H:%M}", "who": conf.registered_by or "-"},
                field="number",
            )
        # The returned copy bears both signatures: fill in whatever the phone did not record.
        conf.technician_signed_at = conf.technician_signed_at or now
        conf.client_signed_at = conf.client_signed_at or now
        conf.status = ConfirmationStatus.REGISTERED
        conf.registered_at = now
        conf.registered_by = by
        conf.save(update_fields=["status", "registered_at", "registered_by", "technician_signed_at", "client_signed_at"])
    return conf


def record_in_ledger(*, confirmation: SalesConfirmation, by, now: datetime) -> SalesConfirmation:
    """R-S6: the technician records a confirmation (written by someone else) in their sales ledger."""
    with transaction.atomic():
        conf = locked(confirmation)
        if by is not None and by.pk != conf.technician_id:
            raise PermissionDenied(_("只能登记自己的销售台账。"))
        if conf.ledger_recorded_at is None:
            conf.ledger_recorded_at = now
            conf.save(update_fields=["ledger_recorded_at"])
    return conf


def void_confirmation(*, confirmation: SalesConfirmation, reason: str, by, now: datetime) -> SalesConfirmation:
    require(by, Role.MANAGER, Role.FINANCE)
    if not (reason or "").strip():
        raise DomainError(_("请填写作废原因。"), field="reason")
    with transaction.atomic():
        conf = locked(confirmation)
        if conf.received_amount > 0:
            raise ConflictError(_("确认书已有收款,不能作废。"))
        if conf.statement_id:
            raise ConflictError(_("确认书已进入月结对账单,不能作废。"))
        conf.status = ConfirmationStatus.VOID
        conf.void_reason = reason.strip()[:200]
        set_open(conf)
        conf.save(update_fields=["status", "void_reason", "is_open"])
    return conf


def collect_on_the_spot(
    *, confirmation: SalesConfirmation, method: str, invoice_number: str, by, now: datetime, received_on: date | None = None
):
    """R-S3: the technician collects on the spot — cash or transfer, with the invoice number — the whole
    outstanding amount. The receipt is an ordinary payment (so the ledger and statement follow)."""
    from .payments import record_payment

    if method not in (PaymentMethod.CASH, PaymentMethod.TRANSFER):
        raise DomainError(_("现场收款只能是现金或转账。"), field="method")
    invoice_number = (invoice_number or "").strip()
    if not invoice_number:
        raise DomainError(_("请填写发票号。"), field="invoice_number")
    if len(invoice_number) > 40:
        raise DomainError(_("发票号最多40个字符。"), field="invoice_number")
    with transaction.atomic():
        conf = locked(confirmation)
        if by is not None and by.pk != conf.technician_id and not by.has_role(Role.FINANCE, Role.MANAGER, Role.COORDINATOR):
            raise PermissionDenied(_("只能为自己的销售登记收款。"))
        if conf.client_kind == ClientKind.KEY_ACCOUNT:
            raise DomainError(_("大客户按月结算(R-S2),不在现场收款。"), field="method")
        if conf.status == ConfirmationStatus.VOID:
            raise ConflictError(_("确认书已作废,不能收款。"), field="confirmation")
        if conf.outstanding <= 0:
            raise ConflictError(_("确认书 %(n)s 已收清。") % {"n": conf.number}, field="confirmation")
        payment = record_payment(
            confirmation=conf, amount=conf.outstanding, received_on=received_on or now.date(), method=method,
            reference=invoice_number, note=as_text(message(N_("现场收款"))), by=by, now=now,
        )
        SalesConfirmation.objects.filter(pk=conf.pk).update(invoice_number=invoice_number, payment_terms=PaymentTerms.ON_THE_SPOT)
    return payment


# --------------------------------------------------------------------------- corrections (R-B9, R-B6/R-B7)


def correct_amount(
    *, confirmation: SalesConfirmation, new_amount: Decimal, rule: str, reason: str, by, now: datetime, source: dict | None = None
) -> ConfirmationCorrection | None:
    """Change a confirmation's amount after the fact: a correction row (who, when, why, old, new); the
    registered lines are never edited. Its monthly statement follows. None when nothing changes."""
    new_amount = money(new_amount)
    if new_amount < 0:
        raise DomainError(_("更正后的金额不能为负数。"), field="amount")
    check_total(new_amount, field="amount")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写更正原因。"), field="reason")
    with transaction.atomic():
        conf = locked(confirmation)
        if conf.status == ConfirmationStatus.VOID:
            raise ConflictError(_("确认书 %(n)s 已作废,不能更正金额。") % {"n": conf.number}, field="confirmation")
        if conf.amount == new_amount:
            return None
        if new_amount < conf.received_amount:
            raise ConflictError(
                _("确认书 %(n)s 已收 ¥%(r)s,更正后的金额 ¥%(a)s 低于已收金额;请财务先办理退款。")
                % {"n": conf.number, "r": format_yuan(conf.received_amount, sign=False), "a": format_yuan(new_amount, sign=False)},
                field="amount",
            )
        correction = ConfirmationCorrection.objects.create(
            confirmation=conf, old_amount=conf.amount, new_amount=new_amount, rule=rule, reason=reason[:2000],
            source=source or {}, by=by, at=now,
        )
        conf.amount = new_amount
        set_open(conf)
        conf.save(update_fields=["amount", "is_open"])
        if conf.statement_id:
            refresh_statement_amount(statement_id=conf.statement_id, now=now)
    return correction


def refresh_statement_amount(*, statement_id: int, now: datetime) -> MonthlyStatement:
    """A statement's amount is the sum of its confirmations; a change under the manager's review sends it back."""
    from .statements import refresh_statement

    stmt = MonthlyStatement.objects.select_for_update().get(pk=statement_id)
    agg = stmt.confirmations.aggregate(a=Sum("amount"))
    new = agg["a"] or Decimal("0.00")
    if new != stmt.amount:
        stmt.amount = new
        if stmt.status == StatementStatus.REVIEWED:
            stmt.status, stmt.reviewed_at, stmt.reviewed_by = StatementStatus.COMPILED, None, None
        stmt.save(update_fields=["amount", "status", "reviewed_at", "reviewed_by"])
    return refresh_statement(stmt, now=now)
