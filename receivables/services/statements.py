"""R-S2 monthly statements of key accounts: compile (button or month-end job) → manager review →
finance check → sent → (partially) paid."""
from datetime import date, datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.choices import ClientKind, Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.months import add_months, first_day, last_day
from servicedesk.params import param

from ..choices import ConfirmationStatus, PaymentTerms, StatementStatus
from ..models import ZERO, MonthlyStatement, SalesConfirmation
from .common import require as _require

STATEMENT_FROZEN = (StatementStatus.CHECKED, StatementStatus.SENT, StatementStatus.PARTIALLY_PAID, StatementStatus.PAID)


def compile_statement(*, client, month: date, now: datetime, by=None, again: bool = True) -> MonthlyStatement | None:
    """R-S2: one statement per key account per month from its registered confirmations (idempotent).

    Recompiling once finance has checked the statement is refused (409); with `again=False` (the
    coordinator's button) an already compiled month is refused too, naming the existing statement."""
    month = first_day(month)
    if client.kind != ClientKind.KEY_ACCOUNT:
        raise DomainError(_("只有大客户按月结算(R-S2)。"), field="client")
    end = last_day(month)
    with transaction.atomic():
        stmt = MonthlyStatement.objects.select_for_update().filter(client=client, month=month).first()
        if stmt is not None and not again:
            raise ConflictError(
                _("%(client)s %(m)s 的对账单 %(n)s 已于 %(at)s 汇总,不能重复汇总;如需按最新登记重新汇总,请勾选“重新汇总”。")
                % {"client": client.name, "m": f"{month:%Y-%m}", "n": stmt.number, "at": f"{timezone.localtime(stmt.compiled_at):%Y-%m-%d %H:%M}"},
                field="month",
            )
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
        due_date = last_day(add_months(month, int(param("receivables.key_account_due_months", on=month))))
        if stmt is None:
            stmt = MonthlyStatement(client=client, month=month, number=f"DZ-{month:%Y-%m}-{client.pk:05d}")
        changed = stmt.pk is None or stmt.amount != (totals["a"] or ZERO) or set(
            stmt.confirmations.values_list("pk", flat=True)
        ) != set(ids)
        stmt.amount = totals["a"] or ZERO
        stmt.received_amount = totals["r"] or ZERO
        stmt.due_date = due_date
        stmt.compiled_at = now
        stmt.compiled_by = by
        if changed and stmt.status == StatementStatus.REVIEWED:
            # The content changed under the manager's review: it must be reviewed again.
            stmt.status, stmt.reviewed_at, stmt.reviewed_by = StatementStatus.COMPILED, None, None
        stmt.save()
        SalesConfirmation.objects.filter(statement=stmt).exclude(pk__in=ids).update(statement=None)
        SalesConfirmation.objects.filter(pk__in=ids).update(statement=stmt)
    return stmt


def compile_month(*, month: date, now: datetime, by=None, again: bool = True) -> dict:
    """The month-end job: every key account with registered sales in the month. Checked statements are left alone."""
    from servicedesk.models import Client

    month = first_day(month)
    end = last_day(month)
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
            stmt = compile_statement(client=client, month=month, now=now, by=by, again=again)
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
    from servicedesk.events import client_event
    from servicedesk.texts import Date, Money

    with transaction.atomic():
        stmt = _statement_step(statement, by=by, now=now, expected=StatementStatus.CHECKED, new=StatementStatus.SENT,
                               roles=(Role.FINANCE, Role.COORDINATOR, Role.MANAGER), stamp="sent")
        stmt = refresh_statement(stmt, now=now)
        # the client's contacts hear of it (with the PDF's link where a page provides one), in this transaction
        client_event.send(
            sender=MonthlyStatement, kind="statement_sent", client=stmt.client, site=None,
            event_key=f"statement_sent:statement={stmt.pk}",
            params={"month": stmt.month.strftime("%Y-%m"), "number": stmt.number, "amount": Money(stmt.amount),
                    "due": Date(stmt.due_date)},
            links={"statement": {"statement_id": stmt.pk}}, now=now,
        )
    return stmt


def refresh_statement(stmt: MonthlyStatement, *, now) -> MonthlyStatement:
    agg = stmt.confirmations.aggregate(a=Sum("amount"), r=Sum("received_amount"))
    stmt.received_amount = agg["r"] or ZERO
    if stmt.status in (StatementStatus.SENT, StatementStatus.PARTIALLY_PAID, StatementStatus.PAID):
        if stmt.received_amount >= stmt.amount:
            stmt.status, stmt.paid_at = StatementStatus.PAID, stmt.paid_at or now
        elif stmt.received_amount > 0:
            stmt.status = StatementStatus.PARTIALLY_PAID
    stmt.save(update_fields=["received_amount", "status", "paid_at"])
    return stmt


_refresh_statement = refresh_statement
