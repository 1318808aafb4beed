"""R-S8 finance's workbook: formula injection escaped, subtotals per technician and salesperson, totals as
formulas that stay right when finance filters or edits, the as-of date and filters in the file and its name."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from receivables import excel, services
from receivables.selectors import LedgerFilters
from servicedesk.choices import Role
from tests.factories import SiteFactory, staff_with

from .factories import at, confirmation, retail_client

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 10)
HEADER = 4


def _export(**kw):
    buf = io.BytesIO()
    result = excel.export_ledger(out=buf, as_of=AS_OF, **kw)
    buf.seek(0)
    return result, load_workbook(buf)  # formulas as written (cached values are checked with data_only below)


def _values(**kw):
    buf = io.BytesIO()
    excel.export_ledger(out=buf, as_of=AS_OF, **kw)
    buf.seek(0)
    return load_workbook(buf, data_only=True)


@pytest.fixture
def hostile(technician, other_technician, salesperson, finance):
    sp2 = staff_with(Role.SALES, name="@业务员乙")
    a = retail_client(name="=1+1", salesperson=salesperson)
    b = retail_client(name="@SUM(A1)", salesperson=sp2)
    c = retail_client(name='=HYPERLINK("http://evil.example","点我")', salesperson=salesperson)
    site = SiteFactory(client=a, name="-2+3 仓库")
    rows = [
        confirmation(technician=technician, client=a, site=site, sold_on=date(2026, 11, 2), amount="100.00"),
        confirmation(technician=technician, client=b, sold_on=date(2026, 11, 3), amount="200.50"),
        confirmation(technician=other_technician, client=c, sold_on=date(2026, 11, 4), amount="300.25"),
    ]
    services.record_payment(confirmation=rows[0], amount="40.00", received_on=date(2026, 11, 9), by=finance, now=at(2026, 11, 9))
    return rows


def test_r_s8_client_names_that_look_like_formulas_come_out_as_text(hostile):
    _result, wb = _export()
    ws = wb.worksheets[0]
    col = {h: i for i, h in enumerate(excel.LEDGER_HEADERS)}
    clients = {}
    for row in ws.iter_rows(min_row=HEADER + 1, max_row=HEADER + 3):
        cell = row[col["客户"]]
        clients[cell.value] = cell
        assert cell.data_type == "s" and cell.quotePrefix  # a string, shown as text, never evaluated
    assert set(clients) == {"=1+1", "@SUM(A1)", '=HYPERLINK("http://evil.example","点我")'}
    site = next(r[col["网点"]] for r in ws.iter_rows(min_row=HEADER + 1, max_row=HEADER + 3) if r[col["网点"]].value)
    assert site.value == "-2+3 仓库" and site.quotePrefix
    # the per-salesperson sheet writes the names as text too
    sales = wb["按业务员小计"]
    names = [r[0] for r in sales.iter_rows(min_row=2) if r[0].value and r[0].value != "合计"]
    assert all(c.data_type == "s" for c in names) and any(c.value == "@业务员乙" and c.quotePrefix for c in names)


def test_r_s8_totals_are_formulas_over_the_data_rows_with_right_values(hostile):
    _result, wb = _export()
    ws = wb.worksheets[0]
    col = {h: i for i, h in enumerate(excel.LEDGER_HEADERS)}
    letter = lambda name: chr(ord("A") + col[name])  # noqa: E731
    first, last = HEADER + 1, HEADER + 3
    total = list(ws.iter_rows(min_row=last + 1, max_row=last + 1))[0]
    assert total[col["开票金额"]].value == f"=SUBTOTAL(109,{letter('开票金额')}{first}:{letter('开票金额')}{last})"
    assert total[col["未收金额"]].value == f"=SUBTOTAL(109,{letter('未收金额')}{first}:{letter('未收金额')}{last})"
    row = list(ws.iter_rows(min_row=first, max_row=first))[0]
    # a row's outstanding is its value (¥100.00 invoiced − ¥40.00 received for "=1+1", first by client name), a
    # number, not a formula: one formula per row cost the export its speed goal; the totals stay formulas
    assert row[col["客户"]].value == "=1+1" and row[col["客户"]].data_type == "s"
    assert row[col["未收金额"]].data_type == "n" and Decimal(str(row[col["未收金额"]].value)) == Decimal("60.00")
    values = _values().worksheets[0]
    cached = list(values.iter_rows(min_row=last + 1, max_row=last + 1))[0]
    assert Decimal(str(cached[col["开票金额"]].value)) == Decimal("600.75")
    assert Decimal(str(cached[col["已收金额"]].value)) == Decimal("40")
    assert Decimal(str(cached[col["未收金额"]].value)) == Decimal("560.75")


def test_r_s8_subtotals_per_technician_and_per_salesperson(hostile, technician, other_technician, salesperson):
    _result, wb = _export()
    techs = wb["按技术员小计"]
    assert [c.value for c in techs[1]] == ["技术员", "笔数", "开票金额", "已收金额", "未收金额"]
    formula_row = {r[0].value: r for r in techs.iter_rows(min_row=2)}
    assert formula_row[technician.name][2].value.startswith("=SUMIFS(")
    values = _values()
    techs = {r[0].value: [c.value for c in r] for r in values["按技术员小计"].iter_rows(min_row=2)}
    assert techs[technician.name][1:] == [2, pytest.approx(300.5), 40, pytest.approx(260.5)]
    assert techs[other_technician.name][1:] == [1, pytest.approx(300.25), 0, pytest.approx(300.25)]
    assert techs["合计"][1:] == [3, pytest.approx(600.75), 40, pytest.approx(560.75)]
    sales = {r[0].value: [c.value for c in r] for r in values["按业务员小计"].iter_rows(min_row=2)}
    assert sales[salesperson.name][1:] == [2, pytest.approx(400.25), 40, pytest.approx(360.25)]
    assert sales["@业务员乙"][1:] == [1, pytest.approx(200.5), 0, pytest.approx(200.5)]


def test_r_s8_as_of_and_filters_in_the_workbook_and_the_file_name(client, finance, hostile, technician):
    client.force_login(finance.user)
    res = client.get(reverse("receivables:export"), {"as_of": "2026-12-10", "technician": technician.pk, "status": "outstanding"})
    assert res.status_code == 200
    disposition = res["Content-Disposition"]
    assert "20261210" in disposition and "filename*=utf-8''" in disposition.lower()
    from urllib.parse import unquote

    name = unquote(disposition.split("''", 1)[1])
    assert "截至20261210" in name and technician.name in name and "未收清" in name and name.endswith(".xlsx")
    wb = load_workbook(io.BytesIO(res.content))
    ws = wb.worksheets[0]
    assert ws["C1"].value.date() == AS_OF and ws["B2"].value == f"技术员:{technician.name};状态:未收清"
    assert wb.properties.subject.endswith("2026-12-10")


def test_r_s8_bad_filter_names_the_field(client, finance):
    client.force_login(finance.user)
    res = client.get(reverse("receivables:ledger"), {"technician": "abc"})
    assert res.status_code == 200 and "应为编号" in res.content.decode()
    assert LedgerFilters.from_dict({"date_from": "2026-01-01"}).date_from == date(2026, 1, 1)
