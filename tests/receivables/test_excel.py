"""R-S8: the finance export (headers, types, formats, totals, constant queries) and the all-or-nothing import."""
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from receivables import excel, services
from receivables.models import Payment, SalesConfirmation
from receivables.selectors import LedgerFilters

from .factories import at, confirmation, key_account, retail_client

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 10)


@pytest.fixture
def ledger_data(technician, other_technician, coordinator, finance):
    a = retail_client(name="甲公司")
    b = key_account(name="乙税务局")
    c1 = confirmation(technician=technician, client=a, sold_on=date(2026, 9, 30), amount="300.00", register_by=coordinator)  # due 10-15: 56 days
    c2 = confirmation(technician=technician, client=a, sold_on=date(2026, 12, 1), amount="120.50")  # due 12-10: not due
    c3 = confirmation(technician=other_technician, client=b, sold_on=date(2026, 8, 3), amount="1000.00", register_by=coordinator)  # due 09-30: 71 days
    services.record_payment(confirmation=c1, amount="100.25", received_on=date(2026, 10, 20), by=finance, now=at(2026, 10, 20))
    return [c1, c2, c3]


def _export(**kw):
    buf = io.BytesIO()
    result = excel.export_ledger(out=buf, as_of=AS_OF, **kw)
    buf.seek(0)
    return result, load_workbook(buf)


HEADER = 4  # 1-based row of the header: title + as-of, filters, blank, header


def _data(ws, n):
    return list(ws.iter_rows(min_row=HEADER + 1, max_row=HEADER + n))


def test_r_s8_export_headers_types_formats_totals(ledger_data):
    result, wb = _export()
    ws = wb.worksheets[0]
    assert [c.value for c in ws[HEADER]] == excel.LEDGER_HEADERS
    assert ws.freeze_panes == f"B{HEADER + 1}"
    assert ws.auto_filter.ref == f"A{HEADER}:W{HEADER + 3}"  # 23 columns, 到期日说明 included
    assert ws["B1"].value == "统计日期" and ws["C1"].value.date() == AS_OF and ws["B2"].value == "全部"
    data = _data(ws, 3)
    assert sorted(r[0].value for r in data) == sorted(c.number for c in ledger_data)  # one row per confirmation
    col = {h: i for i, h in enumerate(excel.LEDGER_HEADERS)}
    row = next(r for r in data if r[0].value == ledger_data[0].number)
    assert isinstance(row[col["开票金额"]].value, (int, float)) and row[col["开票金额"]].value == 300
    assert row[col["已收金额"]].value == pytest.approx(100.25)
    assert row[col["开票金额"]].number_format == "#,##0.00"
    assert isinstance(row[col["到期日"]].value, datetime) and row[col["到期日"]].value.date() == date(2026, 10, 15)
    assert row[col["到期日"]].is_date and row[col["销售日期"]].is_date
    assert row[col["逾期天数"]].value == 56 and row[col["账龄"]].value == "逾期31–60天"
    assert row[col["客户类型"]].value == "零散客户"
    assert row[col["最后收款日期"]].value.date() == date(2026, 10, 20)
    assert row[col["催收负责人"]].value in (None, "")  # no salesperson on the client
    by_number = {r[0].value: r for r in data}
    assert by_number[ledger_data[1].number][col["账龄"]].value == "未到期"
    assert by_number[ledger_data[2].number][col["账龄"]].value == "逾期61–90天"
    totals = list(ws.iter_rows(min_row=HEADER + 4, max_row=HEADER + 4))[0]
    assert totals[0].value.startswith("合计")
    assert (result.rows, result.invoiced, result.outstanding) == (3, Decimal("1420.50"), Decimal("1320.25"))
    summary = wb.worksheets[1]
    assert summary.title == "账龄汇总" and summary.freeze_panes == "B2"
    heads = [c.value for c in summary[1]]
    assert heads[:4] == ["客户", "开票金额", "已收金额", "未收金额"] and "逾期31–60天" in heads and "逾期超过90天" in heads
    rows = {r[0].value: r for r in summary.iter_rows(min_row=2)}
    assert rows["甲公司"][heads.index("逾期31–60天")].value == pytest.approx(199.75)
    assert rows["甲公司"][heads.index("未到期")].value == pytest.approx(120.5)
    assert rows["乙税务局"][heads.index("逾期61–90天")].value == 1000


def test_r_s8_export_filters(ledger_data, technician):
    result, wb = _export(filters=LedgerFilters(technician=technician.pk, status="overdue"))
    ws = wb.worksheets[0]
    assert result.rows == 1 and ws.cell(row=HEADER + 1, column=1).value == ledger_data[0].number
    assert ws["B2"].value == "技术员:王技术;状态:已逾期"


def test_r_s8_export_constant_number_of_queries(ledger_data, technician, django_assert_max_num_queries, coordinator):
    filters = LedgerFilters(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), technician=technician.pk)
    with django_assert_max_num_queries(9):
        _export(filters=filters)
    for day in range(2, 22):
        confirmation(technician=technician, sold_on=date(2026, 11, day), amount="10.00")
    with django_assert_max_num_queries(9):
        result, _wb = _export(filters=filters)
    assert result.rows == 22


def _import_file(rows, headers=None):
    wb = Workbook()
    ws = wb.active
    ws.append(headers or ["确认书编号", "销售日期", "客户", "技术员", "开票金额", "已收金额", "到期日"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_import_one_bad_row_among_1000_imports_nothing_and_reports_it(technician, finance):
    retail_client(name="丙公司")
    rows = [[f"XS-2025-06-{i:04d}", date(2025, 6, 1), "丙公司", technician.name, 100 + i, 50, date(2025, 6, 30)] for i in range(1, 1001)]
    rows[636][4] = "一百元"  # row 638 of the sheet (header is row 1)
    with pytest.raises(excel.ImportRejected) as exc:
        excel.import_confirmations(file=_import_file(rows), by=finance, now=at(2026, 11, 2))
    assert [(e.row, e.column) for e in exc.value.errors] == [(638, "开票金额")]
    assert "金额格式不正确" in exc.value.errors[0].message or "不是有效的金额" in exc.value.errors[0].message
    assert "第 638 行" in str(exc.value.message) and exc.value.field == "file"
    assert not SalesConfirmation.objects.exists() and not Payment.objects.exists()


def test_import_good_file_creates_registered_confirmations_with_opening_payments(technician, finance):
    retail_client(name="丙公司")
    rows = [[f"XS-2025-06-{i:04d}", date(2025, 6, 1), "丙公司", technician.name, "100.10", 50 if i % 2 else None, date(2025, 6, 30)]
            for i in range(1, 11)]
    result = excel.import_confirmations(file=_import_file(rows), by=finance, now=at(2026, 11, 2))
    assert (result.created, result.payments) == (10, 5)
    conf = SalesConfirmation.objects.get(number="XS-2025-06-0001")
    assert conf.amount == Decimal("100.10") and conf.received_amount == Decimal("50.00") and conf.is_registered and conf.imported
    assert conf.allocations.get().amount == Decimal("50.00")


def test_import_reports_every_bad_cell(technician, finance, coordinator):
    retail_client(name="丙公司")
    existing = confirmation(technician=technician)
    rows = [
        [existing.number, date(2025, 6, 1), "丙公司", technician.name, 100, 0, None],
        ["XS-2025-06-0002", "昨天", "没有这个客户", "无名氏", 100, 200, None],
    ]
    with pytest.raises(excel.ImportRejected) as exc:
        excel.import_confirmations(file=_import_file(rows), by=finance, now=at(2026, 11, 2))
    got = {(e.row, e.column) for e in exc.value.errors}
    assert {(2, "确认书编号"), (3, "销售日期"), (3, "客户"), (3, "技术员"), (3, "已收金额")} <= got
    assert SalesConfirmation.objects.count() == 1
