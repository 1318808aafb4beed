"""Receipts against a confirmation or a statement (finance's entry page, the payments import, the
technician's on-the-spot collection). Overpayment is refused under a row lock, so concurrent payments
against one confirmation can never add up to more than its outstanding balance; a bank reference or
invoice number is used once."""
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.templatetags.money import format_yuan

from ..choices import ConfirmationStatus, PaymentMethod, StatementStatus
from ..models import ZERO, MonthlyStatement, Payment, PaymentAllocation, SalesConfirmation
from .common import parse_amount, require, set_open
from .confirmations import locked
from .statements import refresh_statement

MAX_REFERENCE = 60


def clean_reference(reference) -> str:
    reference = (reference or "").strip() if isinstance(reference, str) else ("" if reference is None else str(reference))
    if len(reference) > MAX_REFERENCE:
        raise DomainError(_("凭证号/发票号最多%(n)s个字符。") % {"n": MAX_REFERENCE}, field="reference")
    return reference


def reference_taken(reference: str) -> Payment | None:
    if not reference:
        return None
    return Payment.objects.filter(reference=reference).select_related("confirmation", "statement").first()


def _duplicate_reference(reference: str, existing: Payment | None = None) -> DomainError:
    target = existing.confirmation or existing.statement if existing else None
    return ConflictError(
        _("凭证号 %(r)s 已用于另一笔收款%(t)s,同一凭证不能登记两次。")
        % {"r": reference, "t": f"({target})" if target else ""},
        field="reference",
    )


def _confirmation_targets(confirmation: SalesConfirmation, amount, *, by) -> tuple[list, MonthlyStatement | None]:
    """A receipt against one confirmation (locked): the technician only for their own sale, never a void one,
    never more than outstanding. Returns ([(confirmation, part)], its statement)."""
    conf = locked(confirmation)
    if by is not None and by.has_role(Role.TECHNICIAN) and not by.has_role(Role.FINANCE, Role.MANAGER, Role.COORDINATOR):
        if conf.technician_id != by.pk:
            raise PermissionDenied(_("只能为自己的销售登记收款。"))
    if conf.status == ConfirmationStatus.VOID:
        raise ConflictError(_("确认书 %(n)s 已作废,不能收款。") % {"n": conf.number}, field="confirmation")
    if amount > conf.outstanding:
        raise DomainError(
            _("收款 ¥%(amount)s 超过确认书 %(n)s 的未收金额 ¥%(out)s,不能多收。")
            % {"amount": format_yuan(amount, sign=False), "n": conf.number, "out": format_yuan(conf.outstanding, sign=False)},
            field="amount",
        )
    return [(conf, amount)], conf.statement


def _statement_targets(statement: MonthlyStatement, amount, *, by) -> tuple[list, MonthlyStatement]:
    """A receipt against a sent statement (locked with its confirmations), allocated oldest first, never more than
    outstanding. Returns ([(confirmation, part)], the statement)."""
    require(by, Role.FINANCE, Role.MANAGER)
    stmt = MonthlyStatement.objects.select_for_update().get(pk=statement.pk)
    if stmt.status not in (StatementStatus.SENT, StatementStatus.PARTIALLY_PAID):
        raise ConflictError(_("对账单尚未发给客户(状态:%(s)s),不能登记回款。") % {"s": stmt.get_status_display()}, field="statement")
    confs = list(stmt.confirmations.select_for_update().order_by("sold_on", "number"))
    outstanding = sum((c.outstanding for c in confs), ZERO)
    if amount > outstanding:
        raise DomainError(
            _("收款 ¥%(amount)s 超过对账单 %(n)s 的未收金额 ¥%(out)s,不能多收。")
            % {"amount": format_yuan(amount, sign=False), "n": stmt.number, "out": format_yuan(outstanding, sign=False)},
            field="amount",
        )
    targets, left = [], amount
    for c in confs:
        if left <= 0:
            break
        part = min(left, c.outstanding)
        if part > 0:
            targets.append((c, part))
            left -= part
    return targets, stmt


def record_payment(
    *,
    amount,
    received_on: date,
    by,
    now: datetime,
    confirmation: SalesConfirmation | None = None,
    statement: MonthlyStatement | None = None,
    method: str = PaymentMethod.TRANSFER,
    reference: str = "",
    note: str = "",
) -> Payment:
    """A receipt against a confirmation or a statement. Partial payments add up; overpayment is refused.

    A statement receipt is allocated to its confirmations oldest first, so every confirmation's
    outstanding balance stays invoiced − received, to the cent."""
    require(by, Role.FINANCE, Role.MANAGER, Role.TECHNICIAN, Role.COORDINATOR)
    if (confirmation is None) == (statement is None):
        raise DomainError(_("请选择一张确认书或一张对账单(只能选其一)。"), field="confirmation")
    amount = parse_amount(amount, field="amount", label=_("收款金额"))
    if method not in PaymentMethod.values or method == PaymentMethod.OPENING:
        raise DomainError(_("未知的收款方式。"), field="method")
    if not isinstance(received_on, date):
        raise DomainError(_("请填写收款日期。"), field="received_on")
    if received_on > now.date():
        raise DomainError(_("收款日期不能晚于今天。"), field="received_on")
    reference = clean_reference(reference)
    with transaction.atomic():
        if confirmation is not None:
            targets, stmt = _confirmation_targets(confirmation, amount, by=by)
        else:
            targets, stmt = _statement_targets(statement, amount, by=by)
        existing = reference_taken(reference)
        if existing is not None:
            raise _duplicate_reference(reference, existing)
        try:
            with transaction.atomic():  # the unique constraint is the backstop for two requests at once
                payment = Payment.objects.create(
                    confirmation=targets[0][0] if confirmation is not None else None, statement=stmt if statement is not None else None,
                    amount=amount, received_on=received_on, method=method, reference=reference, note=(note or "")[:200],
                    recorded_by=by, recorded_at=now,
                )
        except IntegrityError:
            raise _duplicate_reference(reference)
        for conf, part in targets:
            PaymentAllocation.objects.create(payment=payment, confirmation=conf, amount=part)
            conf.received_amount = conf.received_amount + part
            set_open(conf)
            conf.save(update_fields=["received_amount", "is_open"])
        if stmt is not None:
            refresh_statement(MonthlyStatement.objects.select_for_update().get(pk=stmt.pk), now=now)
        _tell_client(payment, client=(confirmation.client if confirmation is not None else statement.client), now=now)
    return payment


def _tell_client(payment: Payment, *, client, now: datetime) -> None:
    """The client's contacts are told the receipt (servicedesk.events.client_event → messaging)."""
    from servicedesk.events import client_event
    from servicedesk.texts import Date, Money

    client_event.send(sender=Payment, kind="payment_received", client=client, site=None,
                      event_key=f"payment_received:payment={payment.pk}",
                      params={"amount": Money(payment.amount), "date": Date(payment.received_on)}, now=now)
