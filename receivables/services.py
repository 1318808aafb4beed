"""Every write of sales and receivables (SPEC §9): one function per act, keyword-only, explicit `now`/`on`,
one transaction each. Views, the API, admin actions and Celery tasks call these; none repeats a rule."""
import calendar
import importlib
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from servicedesk.choices import ClientKind, Role
from servicedesk.errors import CalendarMissingError, ConflictError, DomainError
from servicedesk.numbering import next_number
from servicedesk.params import get_param, param
from servicedesk.workdays import add_working_days

from .choices import (
    ConfirmationStatus,
    DifferenceKind,
    ExtensionStatus,
    OverdueCause,
    PaymentMethod,
    PaymentTerms,
    PriceSource,
    StatementStatus,
)
from .models import (
    ZERO,
    ConfirmationLine,
    DueDateChange,
    DueDateExtension,
    MonthlyStatement,
    OverdueReview,
    OverdueReviewItem,
    Payment,
    PaymentAllocation,
    Reconciliation,
    ReconciliationDifference,
    SalesConfirmation,
)

log = logging.getLogger(__name__)
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """Round once, at the end, ROUND_HALF_UP to the cent (house rule)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _require(by, *roles):
    if by is None:
        return
    if not by.has_role(*roles):
        raise PermissionDenied(_("您的角色无权执行此操作。"))


# --------------------------------------------------------------------------- due dates (R-S2, R-S3)


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> tuple[int, int]:
    idx = d.year * 12 + (d.month - 1) + n
    return idx // 12, idx % 12 + 1


def default_terms(client) -> str:
    return PaymentTerms.MONTHLY_STATEMENT if client.kind == ClientKind.KEY_ACCOUNT else PaymentTerms.WORKING_DAYS


def compute_due_date(*, client_kind: str, payment_terms: str, sold_on: date, field_name: str = "sold_on") -> tuple[date, dict]:
    """R-S3: retail on the spot or within N working days (PRC calendar); R-S2: key accounts with the monthly statement.

    Returns the due date and its explanation (rule, inputs, parameter version)."""
    if client_kind == ClientKind.KEY_ACCOUNT:
        if payment_terms != PaymentTerms.MONTHLY_STATEMENT:
            raise DomainError(_("大客户按月结算(R-S2),结算方式只能是“月结”。"), field="payment_terms")
        p = get_param("receivables.key_account_due_months", on=sold_on)
        y, m = add_months(sold_on, int(p.value))
        due = last_day_of_month(y, m)
        return due, {"rule": "R-S2", "sold_on": sold_on.isoformat(), "params": [p.as_explanation()],
                     "text": _("大客户月结:销售月份后第 %(n)s 个月月底到期") % {"n": p.value}}
    if payment_terms == PaymentTerms.MONTHLY_STATEMENT:
        raise DomainError(_("零散客户不能月结(R-S3),请选择现场收款或7个工作日内回款。"), field="payment_terms")
    if payment_terms == PaymentTerms.ON_THE_SPOT:
        return sold_on, {"rule": "R-S3", "sold_on": sold_on.isoformat(), "text": _("零散客户现场收款,当日到期")}
    p = get_param("receivables.retail_due_working_days", on=sold_on)
    try:
        due = add_working_days(sold_on, int(p.value))
    except CalendarMissingError as exc:
        raise CalendarMissingError(exc.year, field=field_name) from exc
    return due, {"rule": "R-S3", "sold_on": sold_on.isoformat(), "params": [p.as_explanation()],
                 "text": _("零散客户:销售日后第 %(n)s 个工作日(法定工作日历)到期") % {"n": p.value}}


# --------------------------------------------------------------------------- confirmations (R-S1)


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
        try:
            qty = Decimal(str(raw.get("quantity", "1")))
            price = Decimal(str(raw.get("unit_price")))
        except (InvalidOperation, TypeError, ValueError):
            raise DomainError(_("第 %(i)s 行:数量或单价不是有效数字。") % {"i": i}, field="lines")
        if not desc:
            raise DomainError(_("第 %(i)s 行:请填写品名/服务内容。") % {"i": i}, field="lines")
        if qty <= 0:
            raise DomainError(_("第 %(i)s 行:数量必须大于0。") % {"i": i}, field="lines")
        if price < 0:
            raise DomainError(_("第 %(i)s 行:单价不能为负数。") % {"i": i}, field="lines")
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
) -> SalesConfirmation:
    """R-S1: a new numbered sales confirmation (XS-YYYY-MM-NNNN) with its lines; the due date per R-S2/R-S3."""
    if site is not None and site.client_id != client.pk:
        raise DomainError(_("该网点不属于此客户。"), field="site")
    if work_order is not None and work_order.client_id != client.pk:
        raise DomainError(_("该工单不属于此客户。"), field="work_order")
    if not technician.has_role(Role.TECHNICIAN):
        raise DomainError(_("%(name)s 不是技术员。") % {"name": technician.name}, field="technician")
    if by is not None and by.pk != technician.pk and not by.has_role(Role.COORDINATOR, Role.MANAGER, Role.FINANCE):
        raise PermissionDenied(_("技术员只能为自己开销售确认书。"))
    parsed = _parse_lines(lines)
    terms = payment_terms or default_terms(client)
    if terms not in PaymentTerms.values:
        raise DomainError(_("未知的结算方式:%(t)s") % {"t": terms}, field="payment_terms")
    due, due_rule = compute_due_date(client_kind=client.kind, payment_terms=terms, sold_on=sold_on)
    with transaction.atomic():
        conf = SalesConfirmation.objects.create(
            number=_free_number(sold_on),
            client=client,
            client_kind=client.kind,
            site=site,
            work_order=work_order,
            technician=technician,
            salesperson=salesperson or client.salesperson,
            sold_on=sold_on,
            payment_terms=terms,
            due_date=due,
            original_due_date=due,
            due_rule=due_rule,
            created_by=by,
            created_at=now,
            # R-S6: a confirmation the technician writes is in their ledger at once.
            ledger_recorded_at=now if (by is None or by.pk == technician.pk) else None,
        )
        total = Decimal("0")
        rows = []
        for pos, line in enumerate(parsed, start=1):
            amount = money(line.quantity * line.unit_price)
            total += amount
            rows.append(
                ConfirmationLine(
                    confirmation=conf, position=pos, description=line.description, quantity=line.quantity,
                    unit_price=money(line.unit_price), amount=amount, price_source=line.price_source,
                    explanation=line.explanation,
                )
            )
        ConfirmationLine.objects.bulk_create(rows)
        conf.amount = money(total)
        conf.save(update_fields=["amount"])
    return conf


def _locked(conf: SalesConfirmation) -> SalesConfirmation:
    return SalesConfirmation.objects.select_for_update().get(pk=conf.pk)


def sign_by_technician(*, confirmation: SalesConfirmation, by, now: datetime) -> SalesConfirmation:
    with transaction.atomic():
        conf = _locked(confirmation)
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
        conf = _locked(confirmation)
        if by is not None and by.pk != conf.technician_id and not by.has_role(Role.COORDINATOR, Role.MANAGER):
            raise PermissionDenied(_("无权记录客户签字。"))
        if conf.status != ConfirmationStatus.TECHNICIAN_SIGNED:
            raise ConflictError(_("确认书 %(n)s 需先由技术员签字,再请客户签字。") % {"n": conf.number})
        if not (signatory or "").strip():
            raise DomainError(_("请填写客户签字人。"), field="signatory")
        conf.status = ConfirmationStatus.CLIENT_SIGNED
        conf.client_signed_at = now
        conf.client_signatory = signatory.strip()[:40]
        conf.save(update_fields=["status", "client_signed_at", "client_signatory"])
    return conf


def register_delivery_copy(*, number: str, by, now: datetime) -> SalesConfirmation:
    """R-S1: the coordinator registers the returned delivery copy (送货联) by scanning or typing its number."""
    _require(by, Role.COORDINATOR, Role.MANAGER)
    number = (number or "").strip().upper()
    if not number:
        raise DomainError(_("请扫描或输入确认书编号。"), field="number")
    with transaction.atomic():
        conf = SalesConfirmation.objects.select_for_update().filter(number=number).first()
        if conf is None:
            raise DomainError(_("没有编号为 %(n)s 的销售确认书,请核对编号。") % {"n": number}, field="number")
        if conf.status == ConfirmationStatus.VOID:
            raise ConflictError(_("确认书 %(n)s 已作废,不能登记。") % {"n": number}, field="number")
        if conf.registered_at is not None:
            raise ConflictError(
                _("确认书 %(n)s 的送货联已于 %(at)s 由 %(who)s 登记,不能重复登记。")
                % {"n": number, "at": f"{conf.registered_at:%Y-%m-%d %H:%M}", "who": conf.registered_by or "-"},
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
        conf = _locked(confirmation)
        if by is not None and by.pk != conf.technician_id:
            raise PermissionDenied(_("只能登记自己的销售台账。"))
        if conf.ledger_recorded_at is None:
            conf.ledger_recorded_at = now
            conf.save(update_fields=["ledger_recorded_at"])
    return conf


def void_confirmation(*, confirmation: SalesConfirmation, reason: str, by, now: datetime) -> SalesConfirmation:
    _require(by, Role.MANAGER, Role.FINANCE)
    if not (reason or "").strip():
        raise DomainError(_("请填写作废原因。"), field="reason")
    with transaction.atomic():
        conf = _locked(confirmation)
        if conf.received_amount > 0:
            raise ConflictError(_("确认书已有收款,不能作废。"))
        if conf.statement_id:
            raise ConflictError(_("确认书已进入月结对账单,不能作废。"))
        conf.status = ConfirmationStatus.VOID
        conf.void_reason = reason.strip()[:200]
        conf.save(update_fields=["status", "void_reason"])
    return conf


# --------------------------------------------------------------------------- extensions (R-S4)


def request_extension(*, confirmation: SalesConfirmation, requested_due_date: date, reason: str, by, now: datetime) -> DueDateExtension:
    if not (reason or "").strip():
        raise DomainError(_("请写明客户原因(书面延期申请)。"), field="reason")
    if by is not None and by.pk != confirmation.technician_id and not by.has_role(Role.COORDINATOR, Role.MANAGER, Role.SALES, Role.FINANCE):
        raise PermissionDenied(_("无权为此确认书申请延期。"))
    with transaction.atomic():
        conf = _locked(confirmation)
        if conf.status == ConfirmationStatus.VOID or conf.received_amount >= conf.amount:
            raise ConflictError(_("确认书已作废或已收清,无需延期。"))
        if requested_due_date <= conf.due_date:
            raise DomainError(_("申请延至的日期必须晚于当前到期日 %(d)s。") % {"d": conf.due_date}, field="requested_due_date")
        if conf.extensions.filter(status__in=[ExtensionStatus.PENDING_MANAGER, ExtensionStatus.PENDING_GM]).exists():
            raise ConflictError(_("此确认书已有待审批的延期申请。"))
        return DueDateExtension.objects.create(
            confirmation=conf, requested_due_date=requested_due_date, reason=reason.strip(), requested_by=by, requested_at=now
        )


def approve_extension(*, extension: DueDateExtension, by, now: datetime, note: str = "") -> DueDateExtension:
    """R-S4: the manager approves first, then the GM office; the GM office's approval moves the due date."""
    with transaction.atomic():
        ext = DueDateExtension.objects.select_for_update().get(pk=extension.pk)
        if ext.status == ExtensionStatus.PENDING_MANAGER:
            _require(by, Role.MANAGER)
            ext.status, ext.manager_by, ext.manager_at = ExtensionStatus.PENDING_GM, by, now
        elif ext.status == ExtensionStatus.PENDING_GM:
            _require(by, Role.GM_OFFICE)
            conf = _locked(ext.confirmation)
            ext.status, ext.gm_by, ext.gm_at = ExtensionStatus.APPROVED, by, now
            DueDateChange.objects.create(
                confirmation=conf, from_date=conf.due_date, to_date=ext.requested_due_date,
                reason=_("延期申请已批准(R-S4):%(r)s") % {"r": ext.reason[:150]}, extension=ext, by=by, at=now,
            )
            conf.due_date = ext.requested_due_date
            conf.save(update_fields=["due_date"])
        else:
            raise ConflictError(_("该延期申请已%(s)s,不能再审批。") % {"s": ext.get_status_display()})
        if note:
            ext.decision_note = note[:200]
        ext.save()
    return ext


def reject_extension(*, extension: DueDateExtension, by, now: datetime, note: str) -> DueDateExtension:
    if not (note or "").strip():
        raise DomainError(_("请填写驳回理由。"), field="note")
    with transaction.atomic():
        ext = DueDateExtension.objects.select_for_update().get(pk=extension.pk)
        if ext.status == ExtensionStatus.PENDING_MANAGER:
            _require(by, Role.MANAGER)
            ext.manager_by, ext.manager_at = by, now
        elif ext.status == ExtensionStatus.PENDING_GM:
            _require(by, Role.GM_OFFICE)
            ext.gm_by, ext.gm_at = by, now
        else:
            raise ConflictError(_("该延期申请已%(s)s,不能再审批。") % {"s": ext.get_status_display()})
        ext.status = ExtensionStatus.REJECTED
        ext.decision_note = note.strip()[:200]
        ext.save()
    return ext


# --------------------------------------------------------------------------- monthly statements (R-S2)

STATEMENT_FROZEN = (StatementStatus.CHECKED, StatementStatus.SENT, StatementStatus.PARTIALLY_PAID, StatementStatus.PAID)


def _month_start(month: date) -> date:
    return month.replace(day=1)


def compile_statement(*, client, month: date, now: datetime, by=None) -> MonthlyStatement | None:
    """R-S2: one statement per key account per month from its registered confirmations (idempotent).

    Recompiling once finance has checked the statement is refused (409)."""
    month = _month_start(month)
    if client.kind != ClientKind.KEY_ACCOUNT:
        raise DomainError(_("只有大客户按月结算(R-S2)。"), field="client")
    end = last_day_of_month(month.year, month.month)
    with transaction.atomic():
        stmt = MonthlyStatement.objects.select_for_update().filter(client=client, month=month).first()
        if stmt is not None and stmt.status in STATEMENT_FROZEN:
            raise ConflictError(
                _("%(client)s %(m)s 的对账单已经财务核对(%(s)s),不能重新汇总。")
                % {"client": client.name, "m": f"{month:%Y-%m}", "s": stmt.get_status_display()},
                field="month",
            )
        confs = SalesConfirmation.objects.select_for_update().filter(
            client=client, sold_on__gte=month, sold_on__lte=end, status=ConfirmationStatus.REGISTERED,
            payment_terms=PaymentTerms.MONTHLY_STATEMENT,
        )
        ids = list(confs.values_list("pk", flat=True))
        if stmt is None and not ids:
            return None
        totals = SalesConfirmation.objects.filter(pk__in=ids).aggregate(a=Sum("amount"), r=Sum("received_amount"))
        y, m = add_months(month, int(param("receivables.key_account_due_months", on=month)))
        if stmt is None:
            stmt = MonthlyStatement(client=client, month=month, number=f"DZ-{month:%Y-%m}-{client.pk:05d}")
        changed = stmt.pk is None or stmt.amount != (totals["a"] or ZERO) or set(
            stmt.confirmations.values_list("pk", flat=True)
        ) != set(ids)
        stmt.amount = totals["a"] or ZERO
        stmt.received_amount = totals["r"] or ZERO
        stmt.due_date = last_day_of_month(y, m)
        stmt.compiled_at = now
        stmt.compiled_by = by
        if changed and stmt.status == StatementStatus.REVIEWED:
            # The content changed under the manager's review: it must be reviewed again.
            stmt.status, stmt.reviewed_at, stmt.reviewed_by = StatementStatus.COMPILED, None, None
        stmt.save()
        SalesConfirmation.objects.filter(statement=stmt).exclude(pk__in=ids).update(statement=None)
        SalesConfirmation.objects.filter(pk__in=ids).update(statement=stmt)
    return stmt


def compile_month(*, month: date, now: datetime, by=None) -> dict:
    """The month-end job: every key account with registered sales in the month. Checked statements are left alone."""
    from servicedesk.models import Client

    month = _month_start(month)
    end = last_day_of_month(month.year, month.month)
    client_ids = (
        SalesConfirmation.objects.filter(
            sold_on__gte=month, sold_on__lte=end, status=ConfirmationStatus.REGISTERED, client_kind=ClientKind.KEY_ACCOUNT
        )
        .values_list("client_id", flat=True)
        .distinct()
    )
    result = {"compiled": [], "refused": []}
    for client in Client.objects.filter(pk__in=list(client_ids), kind=ClientKind.KEY_ACCOUNT):
        try:
            stmt = compile_statement(client=client, month=month, now=now, by=by)
        except ConflictError:
            result["refused"].append(client.pk)
            continue
        if stmt:
            result["compiled"].append(stmt.pk)
    return result


def _statement_step(statement, *, by, now, expected, new, roles, stamp):
    _require(by, *roles)
    with transaction.atomic():
        stmt = MonthlyStatement.objects.select_for_update().get(pk=statement.pk)
        if stmt.status != expected:
            raise ConflictError(
                _("对账单 %(n)s 当前状态为“%(s)s”,不能执行此操作。") % {"n": stmt.number, "s": stmt.get_status_display()}
            )
        stmt.status = new
        setattr(stmt, f"{stamp}_at", now)
        setattr(stmt, f"{stamp}_by", by)
        stmt.save()
    return stmt


def review_statement(*, statement: MonthlyStatement, by, now: datetime) -> MonthlyStatement:
    return _statement_step(statement, by=by, now=now, expected=StatementStatus.COMPILED, new=StatementStatus.REVIEWED,
                           roles=(Role.MANAGER,), stamp="reviewed")


def check_statement(*, statement: MonthlyStatement, by, now: datetime) -> MonthlyStatement:
    return _statement_step(statement, by=by, now=now, expected=StatementStatus.REVIEWED, new=StatementStatus.CHECKED,
                           roles=(Role.FINANCE,), stamp="checked")


def send_statement(*, statement: MonthlyStatement, by, now: datetime) -> MonthlyStatement:
    stmt = _statement_step(statement, by=by, now=now, expected=StatementStatus.CHECKED, new=StatementStatus.SENT,
                           roles=(Role.FINANCE, Role.COORDINATOR, Role.MANAGER), stamp="sent")
    return _refresh_statement(stmt, now=now)


def _refresh_statement(stmt: MonthlyStatement, *, now) -> MonthlyStatement:
    agg = stmt.confirmations.aggregate(a=Sum("amount"), r=Sum("received_amount"))
    stmt.received_amount = agg["r"] or ZERO
    if stmt.status in (StatementStatus.SENT, StatementStatus.PARTIALLY_PAID, StatementStatus.PAID):
        if stmt.received_amount >= stmt.amount:
            stmt.status, stmt.paid_at = StatementStatus.PAID, stmt.paid_at or now
        elif stmt.received_amount > 0:
            stmt.status = StatementStatus.PARTIALLY_PAID
    stmt.save(update_fields=["received_amount", "status", "paid_at"])
    return stmt


# --------------------------------------------------------------------------- payments


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
    _require(by, Role.FINANCE, Role.MANAGER, Role.TECHNICIAN, Role.COORDINATOR)
    if (confirmation is None) == (statement is None):
        raise DomainError(_("请选择一张确认书或一张对账单(只能选其一)。"), field="confirmation")
    try:
        amount = Decimal(str(amount))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("金额不是有效数字。"), field="amount")
    if amount != amount.quantize(CENT):
        raise DomainError(_("金额最多两位小数。"), field="amount")
    if amount <= 0:
        raise DomainError(_("收款金额必须大于0。"), field="amount")
    if method not in PaymentMethod.values:
        raise DomainError(_("未知的收款方式。"), field="method")
    with transaction.atomic():
        if confirmation is not None:
            conf = _locked(confirmation)
            if by is not None and by.has_role(Role.TECHNICIAN) and not by.has_role(Role.FINANCE, Role.MANAGER, Role.COORDINATOR):
                if conf.technician_id != by.pk:
                    raise PermissionDenied(_("只能为自己的销售登记收款。"))
            if conf.status == ConfirmationStatus.VOID:
                raise ConflictError(_("确认书已作废,不能收款。"), field="confirmation")
            if amount > conf.outstanding:
                raise DomainError(
                    _("收款 ¥%(amount)s 超过确认书 %(n)s 的未收金额 ¥%(out)s,不能多收。")
                    % {"amount": amount, "n": conf.number, "out": conf.outstanding},
                    field="amount",
                )
            targets = [(conf, amount)]
            stmt = conf.statement
        else:
            _require(by, Role.FINANCE, Role.MANAGER)
            stmt = MonthlyStatement.objects.select_for_update().get(pk=statement.pk)
            if stmt.status not in (StatementStatus.SENT, StatementStatus.PARTIALLY_PAID):
                raise ConflictError(_("对账单尚未发给客户(状态:%(s)s),不能登记回款。") % {"s": stmt.get_status_display()}, field="statement")
            confs = list(stmt.confirmations.select_for_update().order_by("sold_on", "number"))
            outstanding = sum((c.outstanding for c in confs), ZERO)
            if amount > outstanding:
                raise DomainError(
                    _("收款 ¥%(amount)s 超过对账单 %(n)s 的未收金额 ¥%(out)s,不能多收。")
                    % {"amount": amount, "n": stmt.number, "out": outstanding},
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
        payment = Payment.objects.create(
            confirmation=confirmation and targets[0][0], statement=statement and stmt, amount=amount, received_on=received_on,
            method=method, reference=(reference or "")[:60], note=(note or "")[:200], recorded_by=by, recorded_at=now,
        )
        for conf, part in targets:
            PaymentAllocation.objects.create(payment=payment, confirmation=conf, amount=part)
            conf.received_amount = conf.received_amount + part
            conf.save(update_fields=["received_amount"])
        if stmt is not None:
            _refresh_statement(MonthlyStatement.objects.select_for_update().get(pk=stmt.pk), now=now)
    return payment


# --------------------------------------------------------------------------- penalties (R-S5)


def _penalty_services():
    try:
        module = importlib.import_module("penalties.services")
    except ModuleNotFoundError:
        return None
    return module if hasattr(module, "propose") else None


def propose_overdue_penalty(*, confirmation: SalesConfirmation, reason: str, on: date, now: datetime, by=None) -> bool:
    """R-S5: propose P11 (param receivables.overdue_penalty_rule) once per confirmation. True when proposed now."""
    penalties = _penalty_services()
    if penalties is None:  # the penalties app is not installed yet: nothing recorded, retried next run
        log.warning("penalties.services.propose unavailable; P11 for %s not proposed", confirmation.number)
        return False
    with transaction.atomic():
        conf = _locked(confirmation)
        if conf.penalty_proposed_at is not None:
            return False
        rule = param("receivables.overdue_penalty_rule", on=on)
        penalties.propose(
            person=conf.technician, rule=rule.get("rule", "P11"), source=conf, reason=reason,
            suggested_points=rule.get("points"), on=on, by=by,
        )
        conf.penalty_proposed_at = now
        conf.save(update_fields=["penalty_proposed_at"])
    return True


# --------------------------------------------------------------------------- weekly lists (R-S6, R-S7)


def follow_up_owner(conf: SalesConfirmation, residents: dict | None = None):
    """R-S7: the resident technician for a resident site, else the client's salesperson."""
    from servicedesk.models import Staff

    if conf.site_id and conf.site.resident:
        if residents is not None:
            owner = residents.get(conf.site_id)
        else:
            owner = Staff.objects.filter(resident_site_id=conf.site_id, active=True).order_by("name").first()
        if owner is not None:
            return owner, "R-S7 驻点技术员"
    return conf.client.salesperson or conf.salesperson, "R-S7 业务员"


def prepare_reconciliation(*, technician, week_of: date, now: datetime) -> Reconciliation:
    """R-S6: the differences between a technician's ledger and the coordinator's register, as of `week_of` (idempotent)."""
    base = SalesConfirmation.objects.live().filter(technician=technician, sold_on__lte=week_of)
    not_registered = set(base.filter(ledger_recorded_at__isnull=False, registered_at__isnull=True).values_list("pk", flat=True))
    not_in_ledger = set(base.filter(registered_at__isnull=False, ledger_recorded_at__isnull=True).values_list("pk", flat=True))
    wanted = {(pk, DifferenceKind.NOT_REGISTERED) for pk in not_registered} | {(pk, DifferenceKind.NOT_IN_LEDGER) for pk in not_in_ledger}
    with transaction.atomic():
        rec, _created = Reconciliation.objects.update_or_create(
            technician=technician, week_of=week_of,
            defaults=dict(
                prepared_at=now,
                ledger_count=base.filter(ledger_recorded_at__isnull=False).count(),
                register_count=base.filter(registered_at__isnull=False).count(),
            ),
        )
        have = {(d.confirmation_id, d.kind): d.pk for d in rec.differences.all()}
        stale = [pk for key, pk in have.items() if key not in wanted]
        # Derived list, rebuilt each run: resolved differences drop off.
        ReconciliationDifference.objects.filter(pk__in=stale).delete()
        ReconciliationDifference.objects.bulk_create(
            [ReconciliationDifference(reconciliation=rec, confirmation_id=pk, kind=kind) for pk, kind in wanted - set(have)]
        )
    return rec


def prepare_weekly_reconciliations(*, on: date, now: datetime) -> list[Reconciliation]:
    from servicedesk.models import Staff

    tech_ids = SalesConfirmation.objects.live().filter(sold_on__lte=on).values_list("technician_id", flat=True).distinct()
    return [prepare_reconciliation(technician=t, week_of=on, now=now) for t in Staff.objects.filter(pk__in=list(tech_ids))]


def prepare_overdue_review(*, on: date, now: datetime) -> OverdueReview:
    """R-S6: Monday morning's overdue list for the manager, with the follow-up owner (R-S7).

    An overdue sale whose delivery copy was never registered proposes P11 at once, without an excuse (R-S5)."""
    from servicedesk.models import Staff

    overdue = list(SalesConfirmation.objects.overdue(on=on).select_related("client__salesperson", "site", "salesperson", "technician"))
    residents = {}
    for s in Staff.objects.filter(active=True, resident_site_id__in={c.site_id for c in overdue if c.site_id}).order_by("-name"):
        residents[s.resident_site_id] = s  # ordered so the first by name wins
    with transaction.atomic():
        review, _created = OverdueReview.objects.get_or_create(week_of=on, defaults={"prepared_at": now})
        existing = {i.confirmation_id: i for i in review.items.all()}
        for conf in overdue:
            owner, rule = follow_up_owner(conf, residents)
            values = dict(
                follow_up_owner=owner, follow_up_rule=rule, days_overdue=(on - conf.due_date).days,
                outstanding=conf.outstanding, registered=conf.registered_at is not None,
            )
            item = existing.get(conf.pk)
            if item is None:
                OverdueReviewItem.objects.create(review=review, confirmation=conf, **values)
            else:
                for k, v in values.items():
                    setattr(item, k, v)
                item.save()
    for conf in overdue:
        if conf.registered_at is None and conf.penalty_proposed_at is None:
            reason = _("销售确认书 %(n)s 未登记台账且已逾期 %(d)s 天(R-S5,不接受解释)") % {"n": conf.number, "d": (on - conf.due_date).days}
            if propose_overdue_penalty(confirmation=conf, reason=reason, on=on, now=now):
                OverdueReviewItem.objects.filter(review=review, confirmation=conf).update(
                    penalty_proposed=True, cause=OverdueCause.TECHNICIAN
                )
    return review


def note_overdue_item(*, item: OverdueReviewItem, cause: str, note: str, by, now: datetime) -> OverdueReviewItem:
    """The manager notes an overdue item for the salesperson; a technician-caused delay proposes P11 (R-S5)."""
    _require(by, Role.MANAGER)
    if cause not in OverdueCause.values:
        raise DomainError(_("未知的逾期原因。"), field="cause")
    with transaction.atomic():
        item = OverdueReviewItem.objects.select_for_update().select_related("confirmation", "review").get(pk=item.pk)
        if not item.registered and cause == OverdueCause.CLIENT:
            raise DomainError(_("未登记台账的逾期销售不接受解释(R-S5)。"), field="cause")
        item.cause, item.note, item.noted_by, item.noted_at = cause, (note or "").strip(), by, now
        item.save()
        if cause == OverdueCause.TECHNICIAN and not item.penalty_proposed:
            reason = _("销售确认书 %(n)s 因技术员原因逾期 %(d)s 天(R-S5):%(note)s") % {
                "n": item.confirmation.number, "d": item.days_overdue, "note": item.note or "-"}
            if propose_overdue_penalty(confirmation=item.confirmation, reason=reason, on=item.review.week_of, now=now, by=by) or (
                SalesConfirmation.objects.filter(pk=item.confirmation_id, penalty_proposed_at__isnull=False).exists()
            ):
                item.penalty_proposed = True
                item.save(update_fields=["penalty_proposed"])
    return item


# --------------------------------------------------------------------------- ledger export jobs (R-S8)

EXPORT_SUBDIR = "receivables/exports"


def start_export_job(*, filters: dict, as_of: date, by, now: datetime):
    """Queue a ledger export; the Celery task writes the workbook to MEDIA_ROOT (enqueued on commit)."""
    from .models import ExportJob
    from .selectors import LedgerFilters
    from .tasks import export_ledger_task

    _require(by, Role.FINANCE, Role.MANAGER)
    parsed = LedgerFilters.from_dict(filters)  # bad filters are refused now, not in the worker
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=by, filters=parsed.as_dict(), as_of=as_of, created_at=now)
        transaction.on_commit(lambda: export_ledger_task.delay(job.pk))
    return job


def run_export_job(*, job_id: int):
    import os

    from django.conf import settings
    from django.utils import timezone

    from . import excel
    from .choices import ExportStatus
    from .models import ExportJob
    from .selectors import LedgerFilters, ledger

    job = ExportJob.objects.select_related("requested_by__user").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job
    filters = LedgerFilters.from_dict(job.filters)
    job.status = ExportStatus.RUNNING
    job.total = ledger(as_of=job.as_of, filters=filters, viewer=job.requested_by).count()
    job.save(update_fields=["status", "total"])
    name = f"{EXPORT_SUBDIR}/ledger-{job.as_of:%Y%m%d}-{job.pk}.xlsx"
    path = os.path.join(settings.MEDIA_ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)

    def progress(done):
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        result = excel.export_ledger(out=path, as_of=job.as_of, filters=filters, viewer=job.requested_by, progress=progress)
    except Exception as exc:  # recorded for the page; the worker log has the traceback
        log.exception("ledger export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, done=result.rows, total=result.rows, file=name, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
