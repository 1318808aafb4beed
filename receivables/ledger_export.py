"""Finance's receivable-ledger workbook (R-S8), written with the product's XlsxWriter helper
(`servicedesk.exports`, constant_memory: rows stream to disk, memory stays flat).

Sheet 1 "应收台账": the as-of date and the filters used at the top, a frozen header with filters, one row per
confirmation (work order, invoice number, last payment date, who chases the debt (R-S7), extension status),
the outstanding amount as a value (invoiced − received in Decimal, written as a number: one formula per row
went through XlsxWriter's formula preparation and made the export 1.5 × a bare XlsxWriter loop, R-S8's goal is
≤ 1.2 ×) and SUBTOTAL totals under the data, so the totals stay right when finance filters rows or edits amounts.
Sheets 2–4: ageing per client and bucket, subtotals per technician and per salesperson (SUMIFS over
sheet 1, values cached), each with a SUM total row.

Every text cell goes through the `is_formula_like` test (servicedesk.exports) → written with Excel's quote prefix (OWASP CSV injection):
client names, addresses, notes — everything a client or a user typed.

A constant number of queries: the ageing parameter, the filter names, the residents (R-S7), the rows, the
per-client/bucket totals and the per-person subtotals.
"""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.text import slugify
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from servicedesk.choices import ClientKind
from servicedesk.exports import FORMULA_PREFIXES, SheetWriter, open_workbook

from . import selectors
from .choices import ConfirmationStatus, ExtensionStatus, PaymentTerms
from .models import ZERO

# (key, Chinese header, type, width). Types: text, date, money, int.
LEDGER_COLUMNS = [
    ("number", N_("确认书编号"), "text", 18),
    ("work_order", N_("工单号"), "text", 16),
    ("sold_on", N_("销售日期"), "date", 12),
    ("client", N_("客户"), "text", 30),
    ("kind", N_("客户类型"), "text", 10),
    ("site", N_("网点"), "text", 16),
    ("technician", N_("技术员"), "text", 10),
    ("salesperson", N_("业务员"), "text", 10),
    ("follow_up", N_("催收负责人"), "text", 10),
    ("terms", N_("结算方式"), "text", 14),
    ("invoice_number", N_("发票号"), "text", 14),
    ("invoiced", N_("开票金额"), "money", 14),
    ("received", N_("已收金额"), "money", 14),
    ("outstanding", N_("未收金额"), "money", 14),
    ("due_date", N_("到期日"), "date", 12),
    ("due_note", N_("到期日说明"), "text", 14),  # SPEC §11: 按法定假日暂算 while the year is provisional
    ("original_due_date", N_("原到期日"), "date", 12),
    ("days_overdue", N_("逾期天数"), "int", 10),
    ("bucket", N_("账龄"), "text", 14),
    ("extension", N_("延期状态"), "text", 14),
    ("last_paid_on", N_("最后收款日期"), "date", 12),
    ("status", N_("单据状态"), "text", 14),
    ("registered_on", N_("送货联登记日期"), "date", 14),
]
LEDGER_HEADERS = [c[1] for c in LEDGER_COLUMNS]
COL = {key: i for i, (key, *_rest) in enumerate(LEDGER_COLUMNS)}
HEADER_ROW = 3  # 0-based: title, as-of + filters, blank, then the header


@dataclass
class ExportResult:
    rows: int
    invoiced: Decimal
    received: Decimal
    outstanding: Decimal


def file_name(*, as_of: date, filters=None, names=None) -> str:
    """应收台账-截至20261210[-技术员王技术-状态已逾期].xlsx: the as-of date and filters in the name, in the
    requester's language (Receivables-as-of-20261210-… in English)."""
    names = names if names is not None else selectors.filters_text(filters)
    parts = [_("应收台账-截至%(d)s") % {"d": f"{as_of:%Y%m%d}"}] + [f"{label}{value}" for label, value in names]
    stem = "-".join(slugify(str(p), allow_unicode=True) or "x" for p in parts)
    return f"{stem[:150]}.xlsx"


def _to_dt(d):
    return datetime(d.year, d.month, d.day) if d else None


def _ledger_sheet(wb, fmt, *, as_of: date, names):
    """The ledger sheet's title, as-of date and filters, column widths and the frozen header."""
    sheet = wb.add_worksheet(_("应收台账"))
    w = SheetWriter(sheet, fmt)
    w.row([_("应收台账(R-S8)"), _("统计日期"), as_of], formats={0: fmt.title})
    filter_line = ";".join(f"{k}:{v}" for k, v in names) or _("全部")
    w.row([_("筛选条件"), filter_line])
    w.row([])
    for i, (_k, _h, _t, width) in enumerate(LEDGER_COLUMNS):
        sheet.set_column(i, i, width)
    w.header([_(h) for h in LEDGER_HEADERS])
    sheet.freeze_panes(HEADER_ROW + 1, 1)
    return sheet


def _write_ledger_rows(sheet, fmt, rows, *, as_of: date, labels: dict, residents, progress, progress_every: int):
    """One row per confirmation, streamed (the bound methods and formats are looked up once: this loop runs for
    every confirmation). Returns (rows written, invoiced, received, outstanding)."""
    kinds = {k: str(v) for k, v in ClientKind.choices}
    statuses = {k: str(v) for k, v in ConfirmationStatus.choices}
    terms = {k: str(v) for k, v in PaymentTerms.choices}
    extensions = {k: str(v) for k, v in ExtensionStatus.choices}
    ws_string, ws_number, ws_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    quoted, money_fmt, date_fmt, int_fmt = fmt.quoted, fmt.money, fmt.date, fmt.integer
    c_outstanding = COL["outstanding"]
    text_cols = [COL[k] for k in ("number", "work_order", "client", "kind", "site", "technician", "salesperson", "follow_up",
                                  "terms", "invoice_number", "bucket", "extension", "status", "due_note")]
    provisional_text = _("按法定假日暂算")
    formula_starts = frozenset(FORMULA_PREFIXES)  # one-character prefixes (servicedesk.exports)

    n = 0
    tot_inv = tot_rec = tot_out = Decimal("0")
    rowi = HEADER_ROW
    for r in rows:
        rowi += 1
        amount, received = r["amount"], r["received_amount"]
        outstanding = amount - received  # exact Decimal, never the backend's float arithmetic
        reg = r["registered_at"]
        ext = r["extension_status"]
        texts = (
            r["number"], r["work_order__number"], r["client__name"], kinds.get(r["client_kind"], r["client_kind"]), r["site__name"],
            r["technician__name"], r["salesperson__name"], selectors.follow_up_name(r, residents),
            terms.get(r["payment_terms"], r["payment_terms"]), r["invoice_number"], labels.get(r["bucket"], r["bucket"]),
            extensions.get(ext, "") if ext else "", statuses.get(r["status"], r["status"]),
            provisional_text if r["due_provisional"] else "",
        )
        for col, text in zip(text_cols, texts):
            if text:
                # formula injection: "=1+1", "@SUM(A1)", "+…", "-…", tab, CR are shown as text, never evaluated
                # (is_formula_like's test, inlined: this runs 14 times per row)
                ws_string(rowi, col, text, quoted if text[0] in formula_starts else None)
        due = r["due_date"]
        ws_datetime(rowi, COL["sold_on"], _to_dt(r["sold_on"]), date_fmt)
        ws_number(rowi, COL["invoiced"], float(amount), money_fmt)
        ws_number(rowi, COL["received"], float(received), money_fmt)
        ws_number(rowi, c_outstanding, float(outstanding), money_fmt)  # a value: no formula parsing per row (R-S8 speed goal)
        ws_datetime(rowi, COL["due_date"], _to_dt(due), date_fmt)
        ws_datetime(rowi, COL["original_due_date"], _to_dt(r["original_due_date"]), date_fmt)
        ws_number(rowi, COL["days_overdue"], max((as_of - due).days, 0) if outstanding > 0 else 0, int_fmt)
        if r["last_paid_on"]:
            ws_datetime(rowi, COL["last_paid_on"], _to_dt(r["last_paid_on"]), date_fmt)
        if reg:
            ws_datetime(rowi, COL["registered_on"], _to_dt(localtime(reg).date()), date_fmt)
        n += 1
        tot_inv += amount
        tot_rec += received
        tot_out += outstanding
        if progress and n % progress_every == 0:
            progress(n)
    return n, tot_inv, tot_rec, tot_out


def _write_totals(sheet, fmt, *, n: int, totals: dict) -> tuple[int, int]:
    """The autofilter over the data and the totals row (SUBTOTAL: recomputed when the user filters). Returns the
    first and last 1-based data rows."""
    last_col = len(LEDGER_COLUMNS) - 1
    sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(n, 1), last_col)
    total_row = HEADER_ROW + n + 1
    sheet.write_string(total_row, 0, _("合计(%(n)s 笔,筛选后自动重算)") % {"n": n}, fmt.bold)
    first, last = HEADER_ROW + 2, HEADER_ROW + n + 1  # 1-based data rows
    for key, value in totals.items():
        letter = xl_col_to_name(COL[key])
        formula = f"=SUBTOTAL(109,{letter}{first}:{letter}{last})" if n else "=0"
        sheet.write_formula(total_row, COL[key], formula, fmt.money_bold, float(value))
    return first, last


def export_ledger(*, out, as_of: date, filters=None, viewer=None, progress=None, chunk_size: int = 2000,
                  progress_every: int = 5000) -> ExportResult:
    """Write the receivable ledger workbook to `out` (path or binary file). `progress(done)` is called every few thousand rows."""
    buckets, explanation = selectors.ageing_buckets(on=as_of)
    labels = {b.key: str(b.label) for b in buckets} | {selectors.SETTLED.key: str(selectors.SETTLED.label)}
    names = selectors.filters_text(filters)
    residents = selectors.resident_owners()

    wb, fmt = open_workbook(out)
    wb.set_properties({"title": _("应收台账"), "subject": _("截至 %(d)s") % {"d": as_of.isoformat()},
                       "comments": "; ".join(f"{k}={v}" for k, v in names) or _("全部")})
    sheet = _ledger_sheet(wb, fmt, as_of=as_of, names=names)
    rows = selectors.ledger_rows(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    n, tot_inv, tot_rec, tot_out = _write_ledger_rows(
        sheet, fmt, rows.iterator(chunk_size=chunk_size), as_of=as_of, labels=labels, residents=residents,
        progress=progress, progress_every=progress_every,
    )
    first, last = _write_totals(sheet, fmt, n=n, totals={"invoiced": tot_inv, "received": tot_rec, "outstanding": tot_out})
    data_ref = {
        key: f"'{sheet.name}'!${xl_col_to_name(COL[key])}${first}:${xl_col_to_name(COL[key])}${max(last, first)}"
        for key in ("client", "technician", "salesperson", "invoiced", "received")
    }
    _ageing_sheet(wb, fmt, as_of=as_of, filters=filters, viewer=viewer, buckets=buckets, explanation=explanation)
    _person_sheet(wb, fmt, title=_("按技术员小计"), who=_("技术员"), field="technician__name", key="technician",
                  as_of=as_of, filters=filters, viewer=viewer, data_ref=data_ref, n=n)
    _person_sheet(wb, fmt, title=_("按业务员小计"), who=_("业务员"), field="salesperson__name", key="salesperson",
                  as_of=as_of, filters=filters, viewer=viewer, data_ref=data_ref, n=n)
    wb.close()
    if progress:
        progress(n)
    return ExportResult(n, _money(tot_inv), _money(tot_rec), _money(tot_out))


def _money(value: Decimal) -> Decimal:
    from .services import money

    return money(value)


def _ageing_sheet(wb, fmt, *, as_of, filters, viewer, buckets, explanation):
    """Outstanding per client and ageing bucket (aggregated in the database), with a SUM total row."""
    ws = wb.add_worksheet(_("账龄汇总"))
    w = SheetWriter(ws, fmt)
    titles = [_("客户"), _("开票金额"), _("已收金额"), _("未收金额")] + [str(b.label) for b in buckets]
    ws.set_column(0, 0, 30)
    ws.set_column(1, len(titles) - 1, 15)
    w.header(titles)
    ws.freeze_panes(1, 1)
    qs = selectors.ledger(as_of=as_of, filters=filters, viewer=viewer, buckets=buckets)
    per_client: dict = {}
    for row in selectors.ageing_totals(qs=qs):
        c = per_client.setdefault(row["client__name"], {"inv": ZERO, "rec": ZERO, "out": ZERO, **{b.key: ZERO for b in buckets}})
        c["inv"] += row["invoiced"] or ZERO
        c["rec"] += row["received"] or ZERO
        c["out"] += row["outstanding"] or ZERO
        if row["bucket"] in c:
            c[row["bucket"]] += row["outstanding"] or ZERO
    keys = ["inv", "rec", "out"] + [b.key for b in buckets]
    grand = {k: ZERO for k in keys}
    for name, c in per_client.items():
        w.row([name] + [c[k] for k in keys])
        for k in keys:
            grand[k] += c[k]
    n = len(per_client)
    ws.autofilter(0, 0, max(n, 1), len(titles) - 1)
    total = w.row_index
    ws.write_string(total, 0, _("合计"), fmt.bold)
    for i, k in enumerate(keys, start=1):
        letter = xl_col_to_name(i)
        w.formula(total, i, f"=SUBTOTAL(109,{letter}2:{letter}{n + 1})" if n else "=0", grand[k], fmt.money_bold)
    ws.write_string(total + 2, 0, _("账龄分段参数:%(v)s(版本自 %(d)s)") % {
        "v": explanation.get("value"), "d": explanation.get("effective_from")})


def _person_sheet(wb, fmt, *, title, who, field, key, as_of, filters, viewer, data_ref, n):
    """Subtotals per technician / salesperson: SUMIFS over the ledger sheet (stay right when finance edits),
    with the database's figures cached as the values."""
    from django.db.models import Count, Sum

    ws = wb.add_worksheet(title)
    w = SheetWriter(ws, fmt)
    ws.set_column(0, 0, 16)
    ws.set_column(1, 4, 15)
    w.header([who, _("笔数"), _("开票金额"), _("已收金额"), _("未收金额")])
    ws.freeze_panes(1, 0)
    rows = list(
        selectors.ledger(as_of=as_of, filters=filters, viewer=viewer).order_by()
        .values(field).annotate(c=Count("id"), inv=Sum("amount"), rec=Sum("received_amount")).order_by(field)
    )
    grand = [0, ZERO, ZERO, ZERO]
    for row in rows:
        name = row[field] or ""
        inv, rec = row["inv"] or ZERO, row["rec"] or ZERO
        r = w.row_index
        w.cell(r, 0, name)
        crit = xl_rowcol_to_cell(r, 0)
        w.formula(r, 1, f"=COUNTIFS({data_ref[key]},{crit})" if n else "=0", row["c"], fmt.integer)
        w.formula(r, 2, f"=SUMIFS({data_ref['invoiced']},{data_ref[key]},{crit})" if n else "=0", inv, fmt.money)
        w.formula(r, 3, f"=SUMIFS({data_ref['received']},{data_ref[key]},{crit})" if n else "=0", rec, fmt.money)
        w.formula(r, 4, f"=C{r + 1}-D{r + 1}", inv - rec, fmt.money)
        w.row_index += 1
        grand = [grand[0] + row["c"], grand[1] + inv, grand[2] + rec, grand[3] + inv - rec]
    total = w.row_index
    ws.write_string(total, 0, _("合计"), fmt.bold)
    for i, value in enumerate(grand, start=1):
        letter = xl_col_to_name(i)
        w.formula(total, i, f"=SUM({letter}2:{letter}{total})" if rows else "=0", value, fmt.integer if i == 1 else fmt.money_bold)
