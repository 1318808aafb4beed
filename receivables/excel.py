"""Excel for finance (R-S8): the streamed receivable-ledger export and the all-or-nothing import.

Export: openpyxl write-only mode, rows streamed from `.values().iterator(chunk_size=…)`; the styled
cells of a row are built once and re-used (a write-only sheet serialises each row as it is appended),
so memory stays flat however many rows there are. A constant number of queries: the ageing
parameter, the rows, the per-client/bucket totals.

Import: every row is validated first; any bad row rejects the whole file with row number, column and
reason, and nothing is written (one transaction).
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from servicedesk.choices import ClientKind
from servicedesk.errors import CalendarMissingError, DomainError

from . import selectors, services
from .choices import ConfirmationStatus, PaymentMethod, PaymentTerms, PriceSource
from .models import ZERO, ConfirmationLine, Payment, PaymentAllocation, SalesConfirmation

MONEY_FORMAT = "¥#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"

# (key, Chinese header, type, width). Types: text, date, money, int.
LEDGER_COLUMNS = [
    ("number", "确认书编号", "text", 18),
    ("sold_on", "销售日期", "date", 12),
    ("client", "客户", "text", 30),
    ("kind", "客户类型", "text", 10),
    ("site", "网点", "text", 16),
    ("technician", "技术员", "text", 10),
    ("salesperson", "业务员", "text", 10),
    ("terms", "结算方式", "text", 14),
    ("invoiced", "开票金额", "money", 14),
    ("received", "已收金额", "money", 14),
    ("outstanding", "未收金额", "money", 14),
    ("due_date", "到期日", "date", 12),
    ("original_due_date", "原到期日", "date", 12),
    ("days_overdue", "逾期天数", "int", 10),
    ("bucket", "账龄", "text", 14),
    ("status", "单据状态", "text", 14),
    ("registered_on", "送货联登记日期", "date", 14),
]
LEDGER_HEADERS = [c[1] for c in LEDGER_COLUMNS]


@dataclass
class ExportResult:
    rows: int
    invoiced: Decimal
    received: Decimal
    outstanding: Decimal


def _styled(ws, kind, bold=False):
    cell = WriteOnlyCell(ws)
    if kind == "money":
        cell.number_format = MONEY_FORMAT
    elif kind == "date":
        cell.number_format = DATE_FORMAT
    elif kind == "int":
        cell.number_format = "0"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _header(ws, titles):
    fill = PatternFill("solid", fgColor="DDEBF7")
    row = []
    for title in titles:
        c = WriteOnlyCell(ws, value=title)
        c.font = Font(bold=True)
        c.fill = fill
        c.alignment = Alignment(horizontal="center")
        row.append(c)
    ws.append(row)


def export_ledger(*, out, as_of: date, filters=None, viewer=None, progress=None, chunk_size: int = 2000,
                  progress_every: int = 5000) -> ExportResult:
    """Write the receivable ledger workbook to `out` (path or binary file). `progress(done)` is called every few thousand rows."""
    buckets, _explanation = selectors.ageing_buckets(on=as_of)
    labels = {b.key: b.label for b in buckets} | {selectors.SETTLED.key: selectors.SETTLED.label}
    kinds = dict(ClientKind.choices)
    statuses = dict(ConfirmationStatus.choices)
    terms = dict(PaymentTerms.choices)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("应收台账"))
    ws.freeze_panes = "A2"
    for i, (_k, _h, _t, width) in enumerate(LEDGER_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    _header(ws, LEDGER_HEADERS)

    # Styled cells (money, dates, days) are built once and re-used; text goes in as plain values
    # (openpyxl takes a plain value without the exception path it uses to accept a cell).
    c_sold, c_inv, c_rec, c_out, c_due, c_orig, c_days, c_reg = (
        _styled(ws, kind) for kind in ("date", "money", "money", "money", "date", "date", "int", "date")
    )
    labels = {k: str(v) for k, v in labels.items()}
    kinds = {k: str(v) for k, v in kinds.items()}
    statuses = {k: str(v) for k, v in statuses.items()}
    terms = {k: str(v) for k, v in terms.items()}
    n = 0
    tot_inv = tot_rec = tot_out = Decimal("0")
    rows = selectors.ledger_rows(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    for r in rows.iterator(chunk_size=chunk_size):
        outstanding = r["amount"] - r["received_amount"]  # exact Decimal, never the backend's float arithmetic
        c_sold.value = r["sold_on"]
        c_inv.value = r["amount"]
        c_rec.value = r["received_amount"]
        c_out.value = outstanding
        c_due.value = r["due_date"]
        c_orig.value = r["original_due_date"]
        c_days.value = max((as_of - r["due_date"]).days, 0) if outstanding > 0 else 0
        reg = r["registered_at"]
        c_reg.value = localtime(reg).date() if reg else None
        ws.append([
            r["number"], c_sold, r["client__name"], kinds.get(r["client_kind"], r["client_kind"]), r["site__name"],
            r["technician__name"], r["salesperson__name"], terms.get(r["payment_terms"], r["payment_terms"]),
            c_inv, c_rec, c_out, c_due, c_orig, c_days, labels.get(r["bucket"], r["bucket"]),
            statuses.get(r["status"], r["status"]), c_reg,
        ])
        n += 1
        tot_inv += r["amount"]
        tot_rec += r["received_amount"]
        tot_out += outstanding
        if progress and n % progress_every == 0:
            progress(n)
    last_col = get_column_letter(len(LEDGER_COLUMNS))
    ws.auto_filter.ref = f"A1:{last_col}{n + 1}"
    totals = [_styled(ws, kind, bold=True) for _k, _h, kind, _w in LEDGER_COLUMNS]
    totals[0].value = _("合计(%(n)s 笔)") % {"n": n}
    totals[8].value, totals[9].value, totals[10].value = tot_inv, tot_rec, tot_out
    ws.append(totals)

    _summary_sheet(wb, as_of=as_of, filters=filters, viewer=viewer, buckets=buckets, labels=labels)
    wb.save(out)
    if progress:
        progress(n)
    return ExportResult(n, services.money(tot_inv), services.money(tot_rec), services.money(tot_out))


def _summary_sheet(wb, *, as_of, filters, viewer, buckets, labels):
    """Second sheet: outstanding per client and ageing bucket (aggregated in the database), with bucket totals."""
    ws = wb.create_sheet(_("账龄汇总"))
    ws.freeze_panes = "B2"
    titles = [_("客户"), _("开票金额"), _("已收金额"), _("未收金额")] + [str(b.label) for b in buckets]
    ws.column_dimensions["A"].width = 30
    for i in range(2, len(titles) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 15
    _header(ws, titles)
    qs = selectors.ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    per_client: dict = {}
    for row in selectors.ageing_totals(qs=qs):
        c = per_client.setdefault(row["client__name"], {"inv": ZERO, "rec": ZERO, "out": ZERO, **{b.key: ZERO for b in buckets}})
        c["inv"] += row["invoiced"] or ZERO
        c["rec"] += row["received"] or ZERO
        c["out"] += row["outstanding"] or ZERO
        if row["bucket"] in c:
            c[row["bucket"]] += row["outstanding"] or ZERO
    grand = {"inv": ZERO, "rec": ZERO, "out": ZERO, **{b.key: ZERO for b in buckets}}
    keys = ["inv", "rec", "out"] + [b.key for b in buckets]
    for name, c in per_client.items():
        row = [WriteOnlyCell(ws, value=name)]
        for k in keys:
            cell = _styled(ws, "money")
            cell.value = c[k]
            row.append(cell)
            grand[k] += c[k]
        ws.append(row)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{len(per_client) + 1}"
    total = [_styled(ws, "text", bold=True)]
    total[0].value = _("合计")
    for k in keys:
        cell = _styled(ws, "money", bold=True)
        cell.value = grand[k]
        total.append(cell)
    ws.append(total)


# --------------------------------------------------------------------------- import

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


@dataclass
class ImportError_:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


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


def import_template() -> bytes:
    """An empty workbook with the import headers, for finance to fill in."""
    import io

    wb = Workbook()
    ws = wb.active
    ws.title = _("期初应收")
    ws.append([h for _k, h, _r in IMPORT_COLUMNS])
    ws.append(["XS-2025-12-0001", date(2025, 12, 1), "示例客户", "王技术", 300, 100, date(2025, 12, 10), "", "7个工作日内回款"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _as_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        return date.fromisoformat(value.strip().replace("/", "-"))
    raise ValueError


def _as_money(value) -> Decimal:
    if isinstance(value, float):
        value = repr(value)  # the cell's shortest repr, never binary noise
    d = Decimal(str(value).strip().replace(",", "").replace("¥", ""))
    if not d.is_finite():
        raise InvalidOperation
    return d


def import_confirmations(*, file, by, now: datetime) -> ImportResult:
    """Opening balances / historical confirmations from a spreadsheet (finance). All rows or nothing."""
    from servicedesk.models import Client, Staff

    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        raise DomainError(_("无法读取文件,请上传 .xlsx 格式的 Excel 文件。"), field="file")
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise DomainError(_("文件是空的。"), field="file")
    header = [str(h).strip() if h is not None else "" for h in header]
    index = {}
    errors: list[ImportError_] = []
    for key, title, required in IMPORT_COLUMNS:
        if title in header:
            index[key] = header.index(title)
        elif required:
            errors.append(ImportError_(1, title, _("缺少此列。")))
    if errors:
        raise ImportRejected(errors)

    raw_rows = []
    for rowno, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        raw_rows.append((rowno, {k: (values[i] if i < len(values) else None) for k, i in index.items()}))
    if not raw_rows:
        raise DomainError(_("文件中没有数据行。"), field="file")

    clients = {c.name: c for c in Client.objects.all()}
    staff_by_name: dict[str, list] = {}
    for s in Staff.objects.select_related("user"):
        staff_by_name.setdefault(s.name, []).append(s)
        staff_by_name.setdefault(s.user.username, []).append(s)
    numbers = [str(r["number"]).strip().upper() for _n, r in raw_rows if r.get("number")]
    taken = set(SalesConfirmation.objects.filter(number__in=numbers).values_list("number", flat=True))
    terms_by_text = {str(label): value for value, label in PaymentTerms.choices} | {v: v for v in PaymentTerms.values}
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
            errors.append(ImportError_(rowno, column, _("找不到员工“%(n)s”。") % {"n": name}))
            return None
        if len(found) > 1:
            errors.append(ImportError_(rowno, column, _("有多名员工叫“%(n)s”,请填写用户名。") % {"n": name}))
            return None
        return next(iter(found.values()))

    for rowno, r in raw_rows:
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
            errors.append(ImportError_(rowno, "客户", _("找不到客户“%(n)s”。") % {"n": cname}))
        technician = person(rowno, "技术员", r.get("technician"), True)
        salesperson = person(rowno, "业务员", r.get("salesperson"), False)
        amount = received = None
        try:
            amount = _as_money(r.get("amount"))
            if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, TypeError, ValueError):
            errors.append(ImportError_(rowno, "开票金额", _("应为大于0、最多两位小数的金额。")))
            amount = None
        raw_received = r.get("received")
        try:
            received = _as_money(raw_received) if raw_received not in (None, "") else Decimal("0.00")
            if received < 0 or received != received.quantize(Decimal("0.01")):
                raise InvalidOperation
        except (InvalidOperation, TypeError, ValueError):
            errors.append(ImportError_(rowno, "已收金额", _("应为不小于0、最多两位小数的金额。")))
            received = None
        if amount is not None and received is not None and received > amount:
            errors.append(ImportError_(rowno, "已收金额", _("已收金额 %(r)s 大于开票金额 %(a)s。") % {"r": received, "a": amount}))
        terms = None
        raw_terms = str(r.get("terms") or "").strip()
        if raw_terms:
            terms = terms_by_text.get(raw_terms)
            if terms is None:
                errors.append(ImportError_(rowno, "结算方式", _("未知的结算方式“%(t)s”。") % {"t": raw_terms}))
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
                except CalendarMissingError as exc:
                    due_memo[key] = exc
                except DomainError as exc:
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
                    due_rule=p["rule"], status=ConfirmationStatus.REGISTERED, registered_at=now, registered_by=by,
                    ledger_recorded_at=now, imported=True, created_by=by, created_at=now,
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
    return ImportResult(created=len(confs), payments=len(payments), numbers=[c.number for c in confs])
