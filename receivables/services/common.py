"""Shared pieces of the receivables services: money rounding and strict parsing, role checks, due dates."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import ClientKind
from servicedesk.errors import CalendarMissingError, DomainError
from servicedesk.money import parse_money
from servicedesk.months import add_months, last_day
from servicedesk.params import get_param
from servicedesk.texts import message
from servicedesk.workdays import add_working_days_marked

from ..choices import PaymentTerms

CENT = Decimal("0.01")
# The money columns of receivables are DecimalField(max_digits=14, decimal_places=2): 12 integer digits.
MONEY_DIGITS = 14
MAX_AMOUNT = Decimal("999999999999.99")


def money(value) -> Decimal:
    """Round once, at the end, ROUND_HALF_UP to the cent (house rule)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value, *, field: str, label=None, allow_zero: bool = False) -> Decimal:
    """Rule 1 (money is a `Decimal` with 2 places): a plain decimal, at most two places, within the column
    (< 10^12); else DomainError on `field`."""
    return parse_money(value, field=field, max_digits=MONEY_DIGITS, decimal_places=2, allow_zero=allow_zero, label=label)


def check_total(total: Decimal, *, field: str) -> Decimal:
    """A computed total (lines × quantities) must fit the column: a clean 400, never a database overflow."""
    if total > MAX_AMOUNT:
        raise DomainError(_("合计金额 ¥%(t)s 超出范围(不得达到 1 万亿元)。") % {"t": f"{money(total):,}"}, field=field)
    return total


def require(by, *roles):
    if by is None:
        return
    if not by.has_role(*roles):
        raise PermissionDenied(_("您的角色无权执行此操作。"))


_require = require


def set_open(conf) -> None:
    """Keep the `is_open` flag in step with status and amounts (guarded by a check constraint)."""
    conf.is_open = conf.compute_open()


# --------------------------------------------------------------------------- due dates (R-S2, R-S3)


def default_terms(client) -> str:
    return PaymentTerms.MONTHLY_STATEMENT if client.kind == ClientKind.KEY_ACCOUNT else PaymentTerms.WORKING_DAYS


def compute_due_date(*, client_kind: str, payment_terms: str, sold_on: date, field_name: str = "sold_on") -> tuple[date, dict]:
    """R-S3: retail on the spot or within N working days (PRC calendar); R-S2: key accounts with the monthly statement.

    Returns the due date and its explanation (rule, inputs, parameter version, and `provisional`: whether the
    working days touched a year whose official calendar is not loaded yet — SPEC §11); its `text` is a stored
    message (servicedesk.texts), read in the reader's language (rule 7)."""
    if client_kind == ClientKind.KEY_ACCOUNT:
        if payment_terms != PaymentTerms.MONTHLY_STATEMENT:
            raise DomainError(_("大客户按月结算(R-S2),结算方式只能是“月结”。"), field="payment_terms")
        p = get_param("receivables.key_account_due_months", on=sold_on)
        due = last_day(add_months(sold_on, int(p.value)))
        return due, {"rule": "R-S2", "sold_on": sold_on.isoformat(), "params": [p.as_explanation()], "provisional": False,
                     "text": message(N_("大客户月结:销售月份后第 %(n)s 个月月底到期"), n=p.value)}
    if payment_terms == PaymentTerms.MONTHLY_STATEMENT:
        raise DomainError(_("零散客户不能月结(R-S3),请选择现场收款或按工作日回款。"), field="payment_terms")
    if payment_terms == PaymentTerms.ON_THE_SPOT:
        return sold_on, {"rule": "R-S3", "sold_on": sold_on.isoformat(), "provisional": False, "text": message(N_("零散客户现场收款,当日到期"))}
    p = get_param("receivables.retail_due_working_days", on=sold_on)
    try:
        due, provisional = add_working_days_marked(sold_on, int(p.value))
    except CalendarMissingError as exc:
        raise CalendarMissingError(exc.year, field=field_name) from exc
    return due, {"rule": "R-S3", "sold_on": sold_on.isoformat(), "params": [p.as_explanation()], "provisional": provisional,
                 "text": message(N_("零散客户:销售日后第 %(n)s 个工作日(法定工作日历)到期"), n=p.value)}
