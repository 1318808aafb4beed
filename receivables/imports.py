"""Excel imports of finance: opening balances (historical confirmations) and payments. All rows or nothing.

Safety (issue 14 item 5): the upload size is capped, the file must be a real xlsx (zip) whose *declared*
uncompressed size is checked with `zipfile` before openpyxl unpacks anything (zip bombs refused; zipfile
itself refuses members larger than they declare), the number of rows and the length of every cell are
capped, and error messages quote a cell's content only shortened. Large files run as a background job
with progress (`receivables.services.jobs`).

Every row is validated first (NetBox `_process_import_records` style); any bad row rejects the whole file
with row number, column and reason, and nothing is written (one transaction).
"""
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from servicedesk.errors import CalendarMissingError, DomainError
from servicedesk.params import param
from servicedesk.templatetags.money import format_yuan

from . import services
from .choices import ConfirmationStatus, PaymentMethod, PaymentTerms, PriceSource, StatementStatus
from .models import ConfirmationLine, MonthlyStatement, Payment, PaymentAllocation, SalesConfirmation

ECHO_CHARS = 30
MAX_ZIP_MEMBERS = 2000


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


def echo(value) -> str:
    """A cell's content for an error message: shortened, never echoed at length."""
    text = str(value).replace("\n", " ").replace("\r", " ")
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS] + "…"


# --------------------------------------------------------------------------- upload safety


def limits(on: date) -> dict:
    return {
        "upload_bytes": int(param("receivables.import_max_upload_mb", on=on)) * 1024 * 1024,
        "unpacked_bytes": int(param("receivables.import_max_unpacked_mb", on=on)) * 1024 * 1024,
        "rows": int(param("receivables.import_max_rows", on=on)),
        "cell_chars": int(param("receivables.import_max_cell_chars", on=on)),
        "inline_rows": int(param("receivables.import_inline_rows", on=on)),
    }


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    pos = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(pos)
    return size


def check_upload(file, *, on: date) -> dict:
    """Refuse a file that is too big, not an xlsx, or unpacks to more than the limit — before parsing it."""
    lim = limits(on)
    size = _size(file)
    if size == 0:
        raise DomainError(_("文件是空的。"), field="file")
    if size > lim["upload_bytes"]:
        raise DomainError(
            _("文件过大(%(mb).1f MB),上限为 %(max)s MB;请拆分后分批导入。") % {"mb": size / 1048576, "max": lim["upload_bytes"] // 1048576},
            field="file",
        )
    file.seek(0)
    if not zipfile.is_zipfile(file):
        raise DomainError(_("无法读取文件,请上传 .xlsx 格式的 Excel 文件。"), field="file")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            declared = sum(i.file_size for i in infos)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DomainError(_("无法读取文件,请上传 .xlsx 格式的 Excel 文件。"), field="file")
    if len(infos) > MAX_ZIP_MEMBERS or "xl/workbook.xml" not in names:
        raise DomainError(_("无法读取文件,请上传 .xlsx 格式的 Excel 文件。"), field="file")
    if declared > lim["unpacked_bytes"]:
        raise DomainError(
            _("文件解压后过大(%(mb)s MB,上限 %(max)s MB),已拒绝;请检查文件或拆分后导入。")
            % {"mb": declared // 1048576, "max": lim["unpacked_bytes"] // 1048576},
            field="file",
        )
    file.seek(0)
    return lim


def read_rows(file, *, columns, on: date, lim: dict | None = None):
    """Header check and the non-empty data rows as (row number, {key: value}); cells over the length limit
    are reported (not echoed). Returns (rows, errors)."""
    lim = lim or check_upload(file, on=on)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # anything openpyxl cannot read is "not an xlsx" to the user
        raise DomainError(_("无法读取文件,请上传 .xlsx 格式的 Excel 文件。"), field="file")
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if not header:
            raise DomainError(_("文件是空的。"), field="file")
        header = [str(h).strip()[:60] if h is not None else "" for h in header]
        index, errors = {}, []
        for key, title, required in columns:
            title = str(title)
            if title in header:
                index[key] = header.index(title)
            elif required:
                errors.append(ImportError_(1, title, _("缺少此列。")))
        if errors:
            raise ImportRejected(errors)
        titles = {key: str(title) for key, title, _r in columns}
        raw_rows = []
        for rowno, values in enumerate(rows, start=2):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(raw_rows) >= lim["rows"]:
                raise DomainError(_("数据行超过上限 %(n)s 行,请拆分后导入。") % {"n": lim["rows"]}, field="file")
            record = {}
            for k, i in index.items():
                v = values[i] if i < len(values) else None
                if isinstance(v, str) and len(v) > lim["cell_chars"]:
                    errors.append(ImportError_(rowno, titles[k], _("内容过长(%(n)s 个字符,最多 %(max)s 个)。") % {"n": len(v), "max": lim["cell_chars"]}))
                    v = None
                record[k] = v
            raw_rows.append((rowno, record))
    finally:
        wb.close()
    if not raw_rows and not errors:
        raise DomainError(_("文件中没有数据行。"), field="file")
    return raw_rows, errors


def count_rows(file, *, on: date) -> int:
    """Rows as the sheet declares them (cheap: the dimension), for choosing inline vs background."""
    lim = check_upload(file, on=on)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
        n = (wb.worksheets[0].max_row or 1) - 1
        wb.close()
    except Exception:
        raise DomainError(_("无法读取文件,请上传 .xlsx 格式的 Excel 文件。"), field="file")
    file.seek(0)
    return n if n <= lim["rows"] * 10 else lim["rows"] * 10


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return date.fromisoformat(value.strip().replace("/", "-"))
    raise ValueError


def _amount(errors, rowno, column, value, *, allow_zero=False):
    """Strict money (issue 14 item 6): plain decimal, ≤ 2 places, < 10^12; the error names row and column."""
    try:
        return services.parse_amount(value, field="file", label=column, allow_zero=allow_zero)
    except DomainError as exc:
        errors.append(ImportError_(rowno, column, str(exc.message)))
        return None


def template(columns, example, title) -> bytes:
    wb = Workbook()
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
    ("number", "确认书编号", True),
    ("sold_on", "销售日期", True),
    ("client", "客户", True),
    ("technician", "技术员", True),
    ("amount", "开票金额", True),
    ("received", "已收金额", False),
    ("due_date", "到期日", False),
    ("salesperson", "业务员", False),
    ("terms", "结算方式", False),
]


def import_template() -> bytes:
    """An empty workbook with the import headers, for finance to fill in."""
    return template(IMPORT_COLUMNS, ["XS-2025-12-0001", date(2025, 12, 1), "示例客户", "王技术", 300, 100, date(2025, 12, 10), "",
                                     str(PaymentTerms.WORKING_DAYS.label)], _("期初应收"))


def import_confirmations(*, file, by, now: datetime, progress=None) -> ImportResult:
    """Opening balances / historical confirmations from a spreadsheet (finance). All rows or nothing."""
    from servicedesk.models import Client, Staff

    raw_rows, errors = read_rows(file, columns=IMPORT_COLUMNS, on=now.date())
    clients = {c.name: c for c in Client.objects.all()}
    staff_by_name: dict[str, list] = {}
    for s in Staff.objects.select_related("user"):
        staff_by_name.setdefault(s.name, []).append(s)
        staff_by_name.setdefault(s.user.username, []).append(s)
    numbers = [str(r["number"]).strip().upper() for _n, r in raw_rows if r.get("number")]
    taken = set(SalesConfirmation.objects.filter(number__in=numbers).values_list("number", flat=True))
    terms_by_text = {str(label): value for value, label in PaymentTerms.choices} | {v: v for v in PaymentTerms.values}
    terms_by_text["7个工作日内回款"] = PaymentTerms.WORKING_DAYS  # the former label, still in finance's files
    due_memo: dict = {}
    seen: dict[str, int] = {}
    parsed = []

    def person(rowno, column, name, required):
        name = (str(name).strip() if name is not None else "")
        if not name:
            if required:
                errors.append(ImportError_(rowno, column, _("必填。")))
            return None
        found = {s.pk: s for s in staff_by_name.get(name, [])}
        if not found:
            errors.append(ImportError_(rowno, column, _("找不到员工“%(n)s”。") % {"n": echo(name)}))
            return None
        if len(found) > 1:
            errors.append(ImportError_(rowno, column, _("有多名员工叫“%(n)s”,请填写用户名。") % {"n": echo(name)}))
            return None
        return next(iter(found.values()))

    for count, (rowno, r) in enumerate(raw_rows, start=1):
        if progress and count % 500 == 0:
            progress(count)
        before = len(errors)
        number = str(r.get("number") or "").strip().upper()
        if not number:
            errors.append(ImportError_(rowno, "确认书编号", _("必填。")))
        elif len(number) > 32:
            errors.append(ImportError_(rowno, "确认书编号", _("编号过长(最多32个字符)。")))
        elif number in taken:
            errors.append(ImportError_(rowno, "确认书编号", _("编号 %(n)s 已存在于系统中。") % {"n": number}))
        elif number in seen:
            errors.append(ImportError_(rowno, "确认书编号", _("与第 %(r)s 行编号重复。") % {"r": seen[number]}))
        else:
            seen[number] = rowno
        sold_on = None
        try:
            sold_on = _as_date(r.get("sold_on"))
        except (ValueError, TypeError):
            errors.append(ImportError_(rowno, "销售日期", _("不是有效日期(应为 YYYY-MM-DD)。")))
        cname = str(r.get("client") or "").strip()
        client = clients.get(cname)
        if not cname:
            errors.append(ImportError_(rowno, "客户", _("必填。")))
        elif client is None:
            errors.append(ImportError_(rowno, "客户", _("找不到客户“%(n)s”。") % {"n": echo(cname)}))
        technician = person(rowno, "技术员", r.get("technician"), True)
        salesperson = person(rowno, "业务员", r.get("salesperson"), False)
        amount = _amount(errors, rowno, "开票金额", r.get("amount"))
        raw_received = r.get("received")
        received = Decimal("0.00") if raw_received in (None, "") else _amount(errors, rowno, "已收金额", raw_received, allow_zero=True)
        if amount is not None and received is not None and received > amount:
            errors.append(ImportError_(rowno, "已收金额", _("已收金额 %(r)s 大于开票金额 %(a)s。") % {"r": received, "a": amount}))
        terms = None
        raw_terms = str(r.get("terms") or "").strip()
        if raw_terms:
            terms = terms_by_text.get(raw_terms)
            if terms is None:
                errors.append(ImportError_(rowno, "结算方式", _("未知的结算方式“%(t)s”。") % {"t": echo(raw_terms)}))
        elif client is not None:
            terms = services.default_terms(client)
        due = None
        if r.get("due_date") not in (None, ""):
            try:
                due = _as_date(r.get("due_date"))
            except (ValueError, TypeError):
                errors.append(ImportError_(rowno, "到期日", _("不是有效日期(应为 YYYY-MM-DD)。")))
        elif client is not None and sold_on is not None and terms:
            key = (client.kind, terms, sold_on)
            if key not in due_memo:
                try:
                    due_memo[key] = services.compute_due_date(client_kind=client.kind, payment_terms=terms, sold_on=sold_on)
                except (CalendarMissingError, DomainError) as exc:
                    due_memo[key] = exc
            found = due_memo[key]
            if isinstance(found, DomainError):
                column = "结算方式" if found.field == "payment_terms" else "到期日"
                errors.append(ImportError_(rowno, column, str(found.message)))
            else:
                due = found
        if due is not None and sold_on is not None and not isinstance(due, tuple) and due < sold_on:
            errors.append(ImportError_(rowno, "到期日", _("到期日不能早于销售日期。")))
        if len(errors) == before:
            due_date, rule = due if isinstance(due, tuple) else (due, {"rule": "import", "text": _("期初导入的到期日")})
            parsed.append(dict(rowno=rowno, number=number, sold_on=sold_on, client=client, technician=technician,
                               salesperson=salesperson, amount=amount, received=received, terms=terms, due=due_date, rule=rule))
    if errors:
        raise ImportRejected(errors)

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
                ConfirmationLine(confirmation=c, position=1, description=_("期初应收(历史确认书导入)"), quantity=Decimal("1"),
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
                        note=_("期初导入,第 %(r)s 行") % {"r": p["rowno"]}, recorded_by=by, recorded_at=now)
                for c, p in paid
            ],
            batch_size=500,
        )
        PaymentAllocation.objects.bulk_create(
            [PaymentAllocation(payment=pay, confirmation=c, amount=pay.amount) for pay, (c, _p) in zip(payments, paid)],
            batch_size=500,
        )
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
    numbers = {str(r.get("number") or "").strip().upper() for _n, r in raw_rows}
    confs = {c.number: c for c in SalesConfirmation.objects.filter(number__in=numbers)}
    stmts = {s.number: s for s in MonthlyStatement.objects.filter(number__in=numbers)}
    refs = {str(r.get("reference")).strip() for _n, r in raw_rows if r.get("reference") not in (None, "")}
    used_refs = set(Payment.objects.filter(reference__in=refs).values_list("reference", flat=True))
    methods = {str(label): value for value, label in PaymentMethod.choices if value != PaymentMethod.OPENING}
    methods |= {v: v for v in methods.values()}
    left: dict[str, Decimal] = {}
    seen_refs: dict[str, int] = {}
    parsed = []
    for count, (rowno, r) in enumerate(raw_rows, start=1):
        if progress and count % 500 == 0:
            progress(count)
        before = len(errors)
        number = str(r.get("number") or "").strip().upper()
        target = confs.get(number) or stmts.get(number)
        if not number:
            errors.append(ImportError_(rowno, col["number"], _("必填。")))
        elif target is None:
            errors.append(ImportError_(rowno, col["number"], _("找不到编号为“%(n)s”的确认书或对账单。") % {"n": echo(number)}))
        elif isinstance(target, SalesConfirmation) and target.status == ConfirmationStatus.VOID:
            errors.append(ImportError_(rowno, col["number"], _("确认书 %(n)s 已作废,不能收款。") % {"n": number}))
            target = None
        elif isinstance(target, MonthlyStatement) and target.status not in (StatementStatus.SENT, StatementStatus.PARTIALLY_PAID):
            errors.append(ImportError_(rowno, col["number"], _("对账单 %(n)s 尚未发给客户(%(s)s),不能登记回款。") % {"n": number, "s": target.get_status_display()}))
            target = None
        amount = _amount(errors, rowno, col["amount"], r.get("amount"))
        if target is not None and amount is not None:
            remaining = left.setdefault(number, target.outstanding)
            if amount > remaining:
                errors.append(ImportError_(rowno, col["amount"], _("收款 ¥%(a)s 超过 %(n)s 的未收金额 ¥%(o)s(已计入本文件前面的行),不能多收。")
                                           % {"a": format_yuan(amount, sign=False), "n": number, "o": format_yuan(remaining, sign=False)}))
            else:
                left[number] = remaining - amount
        received_on = None
        try:
            received_on = _as_date(r.get("received_on"))
            if received_on > now.date():
                errors.append(ImportError_(rowno, col["received_on"], _("收款日期不能晚于今天。")))
        except (ValueError, TypeError):
            errors.append(ImportError_(rowno, col["received_on"], _("不是有效日期(应为 YYYY-MM-DD)。")))
        raw_method = str(r.get("method") or "").strip()
        method = methods.get(raw_method)
        if method is None:
            errors.append(ImportError_(rowno, col["method"], _("未知的收款方式“%(m)s”(可填:%(all)s)。")
                                       % {"m": echo(raw_method), "all": "、".join(str(label) for v, label in PaymentMethod.choices if v != PaymentMethod.OPENING)}))
        reference = "" if r.get("reference") in (None, "") else str(r.get("reference")).strip()
        if len(reference) > 60:
            errors.append(ImportError_(rowno, col["reference"], _("凭证号最多60个字符。")))
        elif reference in used_refs:
            errors.append(ImportError_(rowno, col["reference"], _("凭证号 %(r)s 已登记过,同一凭证不能登记两次。") % {"r": echo(reference)}))
        elif reference and reference in seen_refs:
            errors.append(ImportError_(rowno, col["reference"], _("与第 %(r)s 行凭证号重复。") % {"r": seen_refs[reference]}))
        elif reference:
            seen_refs[reference] = rowno
        note = "" if r.get("note") is None else str(r.get("note")).strip()[:200]
        if len(errors) == before:
            parsed.append((rowno, target, amount, received_on, method, reference, note))
    if errors:
        raise ImportRejected(errors)
    total = Decimal("0.00")
    with transaction.atomic():
        for rowno, target, amount, received_on, method, reference, note in parsed:
            try:
                services.record_payment(
                    confirmation=target if isinstance(target, SalesConfirmation) else None,
                    statement=target if isinstance(target, MonthlyStatement) else None,
                    amount=amount, received_on=received_on, method=method, reference=reference,
                    note=note or _("收款导入,第 %(r)s 行") % {"r": rowno}, by=by, now=now,
                )
            except DomainError as exc:  # changed since validation (a concurrent payment): nothing is kept
                raise ImportRejected([ImportError_(rowno, col.get(exc.field, col["number"]), str(exc.message))])
            total += amount
    if progress:
        progress(len(raw_rows))
    return PaymentsResult(payments=len(parsed), total=total)
