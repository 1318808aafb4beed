"""The row forms of finance's Excel imports (receivables/imports.py).

Each data row, parsed to a dict of raw cell values, is validated by one Django form; every check is a
`clean_<field>` method, run in the order the fields are declared, so a later field's check sees the earlier
fields' cleaned values (the received amount against the invoiced one, the due date against the sale day).
What one row needs from the whole file (the clients, the numbers already taken or seen in earlier rows, what is
still outstanding after earlier payments) travels in a lookups object the import builds once and the forms
update. The import turns a form's errors into (row number, column title, message), in field order.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from django import forms
from django.utils.translation import gettext as _

from servicedesk.errors import CalendarMissingError, DomainError
from servicedesk.masterdata.columns import spellings  # every way a label may be written (rule 7)
from servicedesk.templatetags.money import format_yuan

from . import services
from .choices import ConfirmationStatus, PaymentMethod, PaymentTerms, StatementStatus
from .models import MonthlyStatement, Payment, SalesConfirmation

ECHO_CHARS = 30

# How finance's bank and cash books name the payment methods besides the product's labels (any language).
METHOD_ALIASES = {
    "银行转账": PaymentMethod.TRANSFER, "银行汇款": PaymentMethod.TRANSFER, "汇款": PaymentMethod.TRANSFER,
    "网银": PaymentMethod.TRANSFER, "对公转账": PaymentMethod.TRANSFER, "Transfer": PaymentMethod.TRANSFER,
    "Wire transfer": PaymentMethod.TRANSFER, "现金收款": PaymentMethod.CASH, "Check": PaymentMethod.CHEQUE,
}

# A spreadsheet cell: the raw value passes through (a date stays a date, a number a number); every check,
# "required" included, is the form's own, so the messages are the import's.
Cell = partial(forms.Field, required=False)


def by_spelling(pairs) -> dict:
    """{spelling: value} over (value, label) pairs, each spelling also case-folded (English typed in any case)."""
    out = {}
    for value, label in pairs:
        for s in spellings(label):
            out.setdefault(s, value)
            out.setdefault(s.casefold(), value)
    return out


def lookup(table: dict, raw: str):
    return table.get(raw, table.get(raw.casefold()))


def echo(value) -> str:
    """A cell's content for an error message: shortened, never echoed at length."""
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


def as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return date.fromisoformat(value.strip().replace("/", "-"))
    raise ValueError


def strict_amount(value, *, column, allow_zero=False) -> Decimal:
    """Strict money: plain decimal, ≤ 2 places, < 10^12 (a typo never becomes an amount); the message names the
    column."""
    try:
        return services.parse_amount(value, field="file", label=column, allow_zero=allow_zero)
    except DomainError as exc:
        raise forms.ValidationError(str(exc.message))


class RowForm(forms.Form):
    """One spreadsheet row (`row`: {field: raw cell value}) at sheet row `rowno`."""

    def __init__(self, row: dict, *, rowno: int, lookups, columns: dict):
        super().__init__(data=row)
        self.rowno, self.lookups, self.columns = rowno, lookups, columns

    def row_errors(self) -> list[tuple[int, str, str]]:
        """(row number, column title, message) for every error, in field order."""
        return [(self.rowno, self.columns[name], str(message)) for name in self.fields for message in self.errors.get(name, [])]


# --------------------------------------------------------------------------- opening balances


@dataclass
class ConfirmationLookups:
    """What a row of the opening-balance file is checked against: read once per file."""

    clients: dict
    staff_by_name: dict
    taken: set
    terms_by_text: dict
    seen: dict = field(default_factory=dict)  # number → the row that first had it
    due_memo: dict = field(default_factory=dict)  # (client kind, terms, sale day) → due date or the error

    @classmethod
    def load(cls, raw_rows) -> "ConfirmationLookups":
        from servicedesk.models import Client, Staff

        staff_by_name: dict[str, list] = {}
        for s in Staff.objects.select_related("user"):
            staff_by_name.setdefault(s.name, []).append(s)
            staff_by_name.setdefault(s.user.username, []).append(s)
        numbers = [str(r["number"]).strip().upper() for _n, r in raw_rows if r.get("number")]
        terms_by_text = by_spelling(PaymentTerms.choices) | {v: v for v in PaymentTerms.values}
        terms_by_text["7个工作日内回款"] = PaymentTerms.WORKING_DAYS  # the former label, still in finance's files
        return cls(
            clients={c.name: c for c in Client.objects.all()},
            staff_by_name=staff_by_name,
            taken=set(SalesConfirmation.objects.filter(number__in=numbers).values_list("number", flat=True)),
            terms_by_text=terms_by_text,
        )


class ConfirmationRowForm(RowForm):
    """A historical confirmation (opening balance): number, sale day, client, people, amounts, terms, due date."""

    number = Cell()
    sold_on = Cell()
    client = Cell()
    technician = Cell()
    salesperson = Cell()
    amount = Cell()
    received = Cell()
    terms = Cell()
    due_date = Cell()

    def _person(self, name, *, required: bool):
        """An employee by name or user name; a name two people share must be given as the user name."""
        name = (str(name).strip() if name is not None else "")
        if not name:
            if required:
                raise forms.ValidationError(_("必填。"))
            return None
        found = {s.pk: s for s in self.lookups.staff_by_name.get(name, [])}
        if not found:
            raise forms.ValidationError(_("找不到员工“%(n)s”。") % {"n": echo(name)})
        if len(found) > 1:
            raise forms.ValidationError(_("有多名员工叫“%(n)s”,请填写用户名。") % {"n": echo(name)})
        return next(iter(found.values()))

    def clean_number(self):
        number = str(self.cleaned_data["number"] or "").strip().upper()
        if not number:
            raise forms.ValidationError(_("必填。"))
        if len(number) > 32:
            raise forms.ValidationError(_("编号过长(最多32个字符)。"))
        if number in self.lookups.taken:
            raise forms.ValidationError(_("编号 %(n)s 已存在于系统中。") % {"n": number})
        if number in self.lookups.seen:
            raise forms.ValidationError(_("与第 %(r)s 行编号重复。") % {"r": self.lookups.seen[number]})
        self.lookups.seen[number] = self.rowno
        return number

    def clean_sold_on(self):
        try:
            return as_date(self.cleaned_data["sold_on"])
        except (ValueError, TypeError):
            raise forms.ValidationError(_("不是有效日期(应为 YYYY-MM-DD)。"))

    def clean_client(self):
        name = str(self.cleaned_data["client"] or "").strip()
        if not name:
            raise forms.ValidationError(_("必填。"))
        client = self.lookups.clients.get(name)
        if client is None:
            raise forms.ValidationError(_("找不到客户“%(n)s”。") % {"n": echo(name)})
        return client

    def clean_technician(self):
        return self._person(self.cleaned_data["technician"], required=True)

    def clean_salesperson(self):
        return self._person(self.cleaned_data["salesperson"], required=False)

    def clean_amount(self):
        return strict_amount(self.cleaned_data["amount"], column=self.columns["amount"])

    def clean_received(self):
        raw = self.cleaned_data["received"]
        received = Decimal("0.00") if raw in (None, "") else strict_amount(raw, column=self.columns["received"], allow_zero=True)
        amount = self.cleaned_data.get("amount")
        if amount is not None and received > amount:
            raise forms.ValidationError(_("已收金额 %(r)s 大于开票金额 %(a)s。") % {"r": received, "a": amount})
        return received

    def clean_terms(self):
        raw = str(self.cleaned_data["terms"] or "").strip()
        if raw:
            terms = lookup(self.lookups.terms_by_text, raw)
            if terms is None:
                raise forms.ValidationError(_("未知的结算方式“%(t)s”。") % {"t": echo(raw)})
            return terms
        client = self.cleaned_data.get("client")
        return services.default_terms(client) if client is not None else None

    def clean_due_date(self):
        """The typed due date (not before the sale), else computed from the client's terms (R-S2), memoised per
        (client kind, terms, sale day): (date, explanation). A calendar or terms problem names its column."""
        raw = self.cleaned_data["due_date"]
        sold_on = self.cleaned_data.get("sold_on")
        if raw not in (None, ""):
            try:
                due = as_date(raw)
            except (ValueError, TypeError):
                raise forms.ValidationError(_("不是有效日期(应为 YYYY-MM-DD)。"))
            if sold_on is not None and due < sold_on:
                raise forms.ValidationError(_("到期日不能早于销售日期。"))
            return due
        client, terms = self.cleaned_data.get("client"), self.cleaned_data.get("terms")
        if client is None or sold_on is None or not terms:
            return None
        key = (client.kind, terms, sold_on)
        memo = self.lookups.due_memo
        if key not in memo:
            try:
                memo[key] = services.compute_due_date(client_kind=client.kind, payment_terms=terms, sold_on=sold_on)
            except (CalendarMissingError, DomainError) as exc:
                memo[key] = exc
        found = memo[key]
        if isinstance(found, DomainError):
            if found.field == "payment_terms":
                self.add_error("terms", str(found.message))
                return None
            raise forms.ValidationError(str(found.message))
        return found


# --------------------------------------------------------------------------- payments


@dataclass
class PaymentLookups:
    """What a row of the payments file is checked against: read once per file; `left` and `seen_refs` count the
    earlier rows of the same file."""

    today: date
    confirmations: dict
    statements: dict
    used_refs: set
    methods: dict
    left: dict = field(default_factory=dict)  # number → still outstanding after the earlier rows
    seen_refs: dict = field(default_factory=dict)  # reference → the row that first had it

    @classmethod
    def load(cls, raw_rows, *, today: date) -> "PaymentLookups":
        numbers = {str(r.get("number") or "").strip().upper() for _n, r in raw_rows}
        refs = {str(r.get("reference")).strip() for _n, r in raw_rows if r.get("reference") not in (None, "")}
        # every language's label, the code, and finance's own words for them, whatever the reader's language
        methods = by_spelling((value, label) for value, label in PaymentMethod.choices if value != PaymentMethod.OPENING)
        methods |= {v: v for v in methods.values()}
        methods |= METHOD_ALIASES | {k.casefold(): v for k, v in METHOD_ALIASES.items()}
        return cls(
            today=today,
            confirmations={c.number: c for c in SalesConfirmation.objects.filter(number__in=numbers)},
            statements={s.number: s for s in MonthlyStatement.objects.filter(number__in=numbers)},
            used_refs=set(Payment.objects.filter(reference__in=refs).values_list("reference", flat=True)),
            methods=methods,
        )


class PaymentRowForm(RowForm):
    """A payment: the confirmation or statement it pays, the amount (within what is outstanding), the day, the
    method, a reference not used before."""

    number = Cell()
    amount = Cell()
    received_on = Cell()
    method = Cell()
    reference = Cell()
    note = Cell()

    target = None  # the SalesConfirmation or MonthlyStatement the row pays, once its number is valid

    def clean_number(self):
        number = str(self.cleaned_data["number"] or "").strip().upper()
        target = self.lookups.confirmations.get(number) or self.lookups.statements.get(number)
        if not number:
            raise forms.ValidationError(_("必填。"))
        if target is None:
            raise forms.ValidationError(_("找不到编号为“%(n)s”的确认书或对账单。") % {"n": echo(number)})
        if isinstance(target, SalesConfirmation) and target.status == ConfirmationStatus.VOID:
            raise forms.ValidationError(_("确认书 %(n)s 已作废,不能收款。") % {"n": number})
        if isinstance(target, MonthlyStatement) and target.status not in (StatementStatus.SENT, StatementStatus.PARTIALLY_PAID):
            raise forms.ValidationError(_("对账单 %(n)s 尚未发给客户(%(s)s),不能登记回款。") % {"n": number, "s": target.get_status_display()})
        self.target = target
        return number

    def clean_amount(self):
        amount = strict_amount(self.cleaned_data["amount"], column=self.columns["amount"])
        if self.target is None:
            return amount
        number = self.cleaned_data["number"]
        remaining = self.lookups.left.setdefault(number, self.target.outstanding)
        if amount > remaining:
            raise forms.ValidationError(
                _("收款 ¥%(a)s 超过 %(n)s 的未收金额 ¥%(o)s(已计入本文件前面的行),不能多收。")
                % {"a": format_yuan(amount, sign=False), "n": number, "o": format_yuan(remaining, sign=False)})
        self.lookups.left[number] = remaining - amount
        return amount

    def clean_received_on(self):
        try:
            received_on = as_date(self.cleaned_data["received_on"])
        except (ValueError, TypeError):
            raise forms.ValidationError(_("不是有效日期(应为 YYYY-MM-DD)。"))
        if received_on > self.lookups.today:
            raise forms.ValidationError(_("收款日期不能晚于今天。"))
        return received_on

    def clean_method(self):
        raw = str(self.cleaned_data["method"] or "").strip()
        method = lookup(self.lookups.methods, raw)
        if method is None:
            raise forms.ValidationError(
                _("未知的收款方式“%(m)s”(可填:%(all)s)。")
                % {"m": echo(raw), "all": "、".join(str(label) for v, label in PaymentMethod.choices if v != PaymentMethod.OPENING)})
        return method

    def clean_reference(self):
        raw = self.cleaned_data["reference"]
        reference = "" if raw in (None, "") else str(raw).strip()
        if len(reference) > 60:
            raise forms.ValidationError(_("凭证号最多60个字符。"))
        if reference in self.lookups.used_refs:
            raise forms.ValidationError(_("凭证号 %(r)s 已登记过,同一凭证不能登记两次。") % {"r": echo(reference)})
        if reference and reference in self.lookups.seen_refs:
            raise forms.ValidationError(_("与第 %(r)s 行凭证号重复。") % {"r": self.lookups.seen_refs[reference]})
        if reference:
            self.lookups.seen_refs[reference] = self.rowno
        return reference

    def clean_note(self):
        raw = self.cleaned_data["note"]
        return "" if raw is None else str(raw).strip()[:200]
