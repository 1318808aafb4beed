"""Excel imports of finance: opening balances (historical confirmations) and payments. All rows or nothing.

Safety (the `receivables.import_*` parameters, R-S8: a finance upload must never exhaust the server): the
upload size is capped here; the file is read by the one bounded reader, `servicedesk.spreadsheets` (a real xlsx
whose *declared* uncompressed size and shared strings are checked before openpyxl unpacks anything, data and
blank rows counted while streaming, settings IMPORT_MAX_*; the row parameter may set fewer rows), the length of
every cell is capped, and error messages quote a cell's content
only shortened. Large files run as a background job with progress (`receivables.services.jobs`).

The rows are parsed to dicts and every row is validated by its row form (`receivables/import_forms.py`); any bad
row rejects the whole file with row number, column and reason, and nothing is written. The writes then happen in
one transaction. (The checks run before it: the background job's progress, written as the rows are checked,
must be visible to the page while they are.)
"""
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_
from openpyxl import Workbook as NewWorkbook

from servicedesk.errors import DomainError
from servicedesk.params import param
from servicedesk.spreadsheets import Limits, Workbook, check_xlsx, file_size
from servicedesk.texts import as_text, message

from . import services
from .choices import ConfirmationStatus, PaymentMethod, PaymentTerms, PriceSource
from .import_forms import ConfirmationLookups, ConfirmationRowForm, PaymentLookups, PaymentRowForm, spellings
from .models import ConfirmationLine, MonthlyStatement, Payment, PaymentAllocation, SalesConfirmation

@dataclass
class ImportError_:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": str(self.column), "message": str(self.message)}


class ImportRejected(DomainError):
    """The whole file was refused; `errors` lists every bad cell (row number, column, reason)."""

    def __init__(self, errors: list[ImportError_]):
        self.errors = errors
        first = errors[0]
        super().__init__(
            _("导入被拒绝:共 %(n)s 处错误,未导入任何数据。第一处:第 %(row)s 行“%(col)s”列:%(msg)s")
            % {"n": len(errors), "row": first.row, "col": first.column, "msg": first.message},
            field="file",
            code="import_rejected",
        )


@dataclass
class ImportResult:
    created: int
    payments: int
    numbers: list = field(default_factory=list)


# --------------------------------------------------------------------------- upload safety


def limits(on: date) -> dict:
    return {
        "upload_bytes": int(param("receivables.import_max_upload_mb", on=on)) * 1024 * 1024,
        "unpacked_bytes": int(param("receivables.import_max_unpacked_mb", on=on)) * 1024 * 1024,
        "rows": int(param("receivables.import_max_rows", on=on)),
        "cell_chars": int(param("receivables.import_max_cell_chars", on=on)),
        "inline_rows": int(param("receivables.import_inline_rows", on=on)),
    }


def _limits(lim: dict) -> Limits:
    return Limits.of(rows=lim["rows"], unpacked_bytes=lim["unpacked_bytes"])


def check_upload(file, *, on: date) -> dict:
    """Refuse a file that is too big, not an xlsx, unpacks to more than the limit or holds too many shared
    strings — before parsing it (servicedesk.spreadsheets)."""
    lim = limits(on)
    size = file_size(file)
    if size == 0:
        raise DomainError(_("文件是空的。"), field="file")
    if size > lim["upload_bytes"]:
        raise DomainError(
            _("文件过大(%(mb).1f MB),上限为 %(max)s MB;请拆分后分批导入。") % {"mb": size / 1048576, "max": lim["upload_bytes"] // 1048576},
            field="file",
        )
    check_xlsx(file, _limits(lim))
    return lim


def read_rows(file, *, columns, on: date, lim: dict | None = None):
    """Header check and the non-empty data rows as (row number, {key: value}); cells over the length limit
    are reported (not echoed). Returns (rows, errors)."""
    lim = lim or check_upload(file, on=on)
    with Workbook(file, _limits(lim), data_only=True) as book:
        sheet = book.first_sheet()
        header = sheet.header()
        if not header:
            raise DomainError(_("文件是空的。"), field="file")
        header = [str(h).strip()[:60].casefold() if h is not None else "" for h in header]
        index, errors = {}, []
        for key, title, required in columns:
            # a title in either language (rule 7): a template downloaded in English comes back in English
            found = [header.index(s.casefold()) for s in spellings(title) if s.casefold() in header]
            if found:
                index[key] = found[0]
            elif required:
                errors.append(ImportError_(1, str(title), _("缺少此列。")))
        if errors:
            raise ImportRejected(errors)
        titles = {key: str(title) for key, title, _r in columns}
        raw_rows = []
        for rowno, values in sheet.data_rows():  # data and blank rows counted against the limits
            record = {}
            for k, i in index.items():
                v = values[i] if i < len(values) else None
                if isinstance(v, str) and len(v) > lim["cell_chars"]:
                    errors.append(ImportError_(rowno, titles[k], _("内容过长(%(n)s 个字符,最多 %(max)s 个)。") % {"n": len(v), "max": lim["cell_chars"]}))
                    v = None
                record[k] = v
            raw_rows.append((rowno, record))
    if not raw_rows and not errors:
        raise DomainError(_("文件中没有数据行。"), field="file")
    return raw_rows, errors


def count_rows(file, *, on: date) -> int:
    """Rows as the sheet declares them (cheap: the dimension), for choosing inline vs background; the file has
    passed the same checks as for reading (the shared strings counted before openpyxl loads them)."""
    lim = check_upload(file, on=on)
    with Workbook(file, _limits(lim), data_only=True) as book:
        n = book.declared_rows()
    file.seek(0)
    return min(n, lim["rows"] * 10)


def template(columns, example, title) -> bytes:
    wb = NewWorkbook()
    ws = wb.active
    ws.title = str(title)
    ws.append([str(h) for _k, h, _r in columns])
    ws.append(example)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------- opening balances

IMPORT_COLUMNS = [
    # (key, header, required)
    ("number", gettext_lazy("确认书编号"), True),
    ("sold_on", gettext_lazy("销售日期"), True),
    ("client", gettext_lazy("客户"), True),
    ("technician", gettext_lazy("技术员"), True),
    ("amount", gettext_lazy("开票金额"), True),
    ("received", gettext_lazy("已收金额"), False),
    ("due_date", gettext_lazy("到期日"), False),
    ("salesperson", gettext_lazy("业务员"), False),
    ("terms", gettext_lazy("结算方式"), False),
]


def import_template() -> bytes:
    """An empty workbook with the import headers, for finance to fill in."""
    return template(IMPORT_COLUMNS, ["XS-2025-12-0001", date(2025, 12, 1), _("示例客户"), _("王技术"), 300, 100, date(2025, 12, 10), "",
                                     str(PaymentTerms.WORKING_DAYS.label)], _("期初应收"))


def _validate_rows(raw_rows, errors: list, *, form_class, lookups, columns: dict, progress=None) -> list:
    """Every row through its form (the whole file is checked, every error kept); returns the valid rows' forms.
    `errors` (the reader's own, e.g. a cell too long) gets each bad cell as (row number, column, reason)."""
    valid = []
    for count, (rowno, row) in enumerate(raw_rows, start=1):
        if progress and count % 500 == 0:
            progress(count)
        form = form_class(row, rowno=rowno, lookups=lookups, columns=columns)
        if form.is_valid():
            valid.append(form)
        else:
            errors.extend(ImportError_(*error) for error in form.row_errors())
    if errors:
        raise ImportRejected(errors)
    return valid


def _write_confirmations(parsed: list[dict], *, by, now: datetime) -> tuple[list, list]:
    """The opening balances in one transaction: confirmations, their one line, the amounts already received as
    opening payments with their allocations."""
    with transaction.atomic():
        confs = SalesConfirmation.objects.bulk_create(
            [
                SalesConfirmation(
                    number=p["number"], client=p["client"], client_kind=p["client"].kind, technician=p["technician"],
                    salesperson=p["salesperson"] or p["client"].salesperson, sold_on=p["sold_on"], payment_terms=p["terms"],
                    amount=p["amount"], received_amount=p["received"], due_date=p["due"], original_due_date=p["due"],
                    due_rule=p["rule"], due_provisional=bool(p["rule"].get("provisional")), status=ConfirmationStatus.REGISTERED, registered_at=now, registered_by=by,
                    ledger_recorded_at=now, imported=True, created_by=by, created_at=now, is_open=p["received"] < p["amount"],
                )
                for p in parsed
            ],
            batch_size=500,
        )
        ConfirmationLine.objects.bulk_create(
            [
                ConfirmationLine(confirmation=c, position=1, description=as_text(message(N_("期初应收(历史确认书导入)"))), quantity=Decimal("1"),
                                 unit_price=c.amount, amount=c.amount, price_source=PriceSource.TYPED,
                                 explanation={"source": "import", "row": p["rowno"]})
                for c, p in zip(confs, parsed)
            ],
            batch_size=500,
        )
        paid = [(c, p) for c, p in zip(confs, parsed) if p["received"] > 0]
        payments = Payment.objects.bulk_create(
            [
                Payment(confirmation=c, amount=p["received"], received_on=p["sold_on"], method=PaymentMethod.OPENING,
                        note=as_text(message(N_("期初导入,第 %(r)s 行"), r=p["rowno"])), recorded_by=by, recorded_at=now)
                for c, p in paid
            ],
            batch_size=500,
        )
        PaymentAllocation.objects.bulk_create(
            [PaymentAllocation(payment=pay, confirmation=c, amount=pay.amount) for pay, (c, _p) in zip(payments, paid)],
            batch_size=500,
        )
    return confs, payments


def import_confirmations(*, file, by, now: datetime, progress=None) -> ImportResult:
    """Opening balances / historical confirmations from a spreadsheet (finance). All rows or nothing."""
    raw_rows, errors = read_rows(file, columns=IMPORT_COLUMNS, on=now.date())
    columns = {key: str(title) for key, title, _r in IMPORT_COLUMNS}
    forms = _validate_rows(raw_rows, errors, form_class=ConfirmationRowForm, lookups=ConfirmationLookups.load(raw_rows),
                           columns=columns, progress=progress)
    parsed = []
    for form in forms:
        row = form.cleaned_data
        due = row["due_date"]
        due_date, rule = due if isinstance(due, tuple) else (due, {"rule": "import", "text": message(N_("期初导入的到期日"))})
        parsed.append(dict(rowno=form.rowno, number=row["number"], sold_on=row["sold_on"], client=row["client"],
                           technician=row["technician"], salesperson=row["salesperson"], amount=row["amount"],
                           received=row["received"], terms=row["terms"], due=due_date, rule=rule))
    confs, payments = _write_confirmations(parsed, by=by, now=now)
    if progress:
        progress(len(raw_rows))
    return ImportResult(created=len(confs), payments=len(payments), numbers=[c.number for c in confs])


# --------------------------------------------------------------------------- payments

PAYMENT_COLUMNS = [
    ("number", gettext_lazy("确认书或对账单编号"), True),
    ("amount", gettext_lazy("收款金额"), True),
    ("received_on", gettext_lazy("收款日期"), True),
    ("method", gettext_lazy("收款方式"), True),
    ("reference", gettext_lazy("凭证号"), False),
    ("note", gettext_lazy("备注"), False),
]


def payments_template() -> bytes:
    return template(PAYMENT_COLUMNS, ["XS-2026-11-0001", "300.00", date(2026, 11, 20), str(PaymentMethod.TRANSFER.label), "BANK-20261120-001", ""],
                    _("收款导入"))


@dataclass
class PaymentsResult:
    payments: int
    total: Decimal


def import_payments(*, file, by, now: datetime, progress=None) -> PaymentsResult:
    """Finance's payments file (confirmation or statement number, amount, date, method, reference):
    every row checked first — the number exists, the amount is strict and within what is outstanding
    (counting earlier rows of the same file), the reference is new — then all posted in one transaction."""
    raw_rows, errors = read_rows(file, columns=PAYMENT_COLUMNS, on=now.date())
    col = {key: str(title) for key, title, _r in PAYMENT_COLUMNS}
    forms = _validate_rows(raw_rows, errors, form_class=PaymentRowForm, lookups=PaymentLookups.load(raw_rows, today=now.date()),
                           columns=col, progress=progress)
    total = Decimal("0.00")
    with transaction.atomic():
        for form in forms:
            row, target = form.cleaned_data, form.target
            try:
                services.record_payment(
                    confirmation=target if isinstance(target, SalesConfirmation) else None,
                    statement=target if isinstance(target, MonthlyStatement) else None,
                    amount=row["amount"], received_on=row["received_on"], method=row["method"], reference=row["reference"],
                    note=row["note"] or _("收款导入,第 %(r)s 行") % {"r": form.rowno}, by=by, now=now,
                )
            except DomainError as exc:  # changed since validation (a concurrent payment): nothing is kept
                raise ImportRejected([ImportError_(form.rowno, col.get(exc.field, col["number"]), str(exc.message))])
            total += row["amount"]
    if progress:
        progress(len(raw_rows))
    return PaymentsResult(payments=len(forms), total=total)
