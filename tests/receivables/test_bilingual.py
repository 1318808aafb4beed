"""Receivables in the reader's language (rule 7): the ledger workbook written in the requester's language (headers
and sheet names included, the background job too), imports accepting headers in either language, ageing buckets
named when read."""
import io
import os
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from receivables import excel, selectors, services
from receivables.models import SalesConfirmation
from servicedesk.texts import render

from .factories import at, confirmation, retail_client, xlsx_file

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 12, 10)
HEADER = 4

ENGLISH_HEADERS = [
    "Confirmation number", "Work order number", "Sale date", "Client", "Client type", "Site", "Technician",
    "Salesperson", "Collection owner", "Settlement method", "Invoice no.", "Invoiced amount", "Received amount",
    "Outstanding amount", "Due date", "Due date note", "Original due date", "Days overdue", "Ageing",
    "Extension status", "Last payment date", "Document status", "Delivery note registered on",
]
ENGLISH_SHEETS = ["Receivables ledger", "Ageing summary", "Subtotals by technician", "Subtotals by salesperson"]


@pytest.fixture(autouse=True)
def _language_restored():
    """A page asked in English leaves English active in the thread (LocaleMiddleware): the next test must not inherit it."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def overdue(technician):
    # sold 2026-09-30, due 2026-10-15: 56 days overdue on 2026-12-10
    return confirmation(technician=technician, client=retail_client(name="甲公司"), sold_on=date(2026, 9, 30), amount="300.00")


def test_the_ledger_workbook_downloaded_in_english_has_english_headers_and_sheets(client, finance, overdue):
    client.force_login(finance.user)
    client.cookies["django_language"] = "en"
    res = client.get(reverse("receivables:export"), {"as_of": "2026-12-10"}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 200
    wb = load_workbook(io.BytesIO(res.content))
    assert wb.sheetnames == ENGLISH_SHEETS
    ws = wb.worksheets[0]
    assert [c.value for c in ws[HEADER]] == ENGLISH_HEADERS
    assert ws["A1"].value == "Receivables ledger (R-S8)" and ws["B1"].value == "As-of date" and ws["B2"].value == "All"
    row = [c.value for c in ws[HEADER + 1]]
    assert row[0] == overdue.number and row[17] == 56 and row[18] == "31–60 days overdue"
    ageing = [c.value for c in wb["Ageing summary"][1]]
    assert ageing == ["Client", "Invoiced amount", "Received amount", "Outstanding amount", "Not yet due",
                      "1–30 days overdue", "31–60 days overdue", "61–90 days overdue", "Over 90 days overdue"]
    assert "receivables-ledger-as-of-20261210.xlsx" in res["Content-Disposition"]


def test_the_background_export_is_written_in_the_language_of_whoever_asked(finance, overdue, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with translation.override("en"):
        job = services.start_export_job(filters={}, as_of=AS_OF, by=finance, now=at(2026, 12, 10))
    assert job.language == "en"
    with translation.override("zh-hans"):  # the worker runs in its own language: the job's wins
        job = services.run_export_job(job_id=job.pk)
    wb = load_workbook(os.path.join(settings.MEDIA_ROOT, job.file))
    assert wb.sheetnames == ENGLISH_SHEETS and [c.value for c in wb.worksheets[0][HEADER]] == ENGLISH_HEADERS
    # and the same job asked in Chinese is written in Chinese
    with translation.override("zh-hans"):
        zh = services.start_export_job(filters={}, as_of=AS_OF, by=finance, now=at(2026, 12, 10))
    with translation.override("en"):
        zh = services.run_export_job(job_id=zh.pk)
    wb = load_workbook(os.path.join(settings.MEDIA_ROOT, zh.file))
    assert wb.sheetnames[0] == "应收台账" and [c.value for c in wb.worksheets[0][HEADER]] == [str(h) for h in excel.LEDGER_HEADERS]


def _sheet(headers, rows) -> io.BytesIO:
    return xlsx_file(headers, rows)


def test_an_import_with_english_headers_is_accepted(technician, finance):
    retail_client(name="丙公司")
    headers = ["Confirmation number", "Sale date", "Client", "Technician", "Invoiced amount", "received amount", "Due date",
               "Settlement method"]
    rows = [["XS-2025-06-0001", date(2025, 6, 1), "丙公司", technician.name, "100.10", 40, date(2025, 6, 30), "Monthly settlement"]]
    with translation.override("en"):
        result = excel.import_confirmations(file=_sheet(headers, rows), by=finance, now=at(2026, 11, 2))
    assert (result.created, result.payments) == (1, 1)
    conf = SalesConfirmation.objects.get(number="XS-2025-06-0001")
    assert (conf.amount, conf.received_amount, conf.payment_terms) == (Decimal("100.10"), Decimal("40.00"), "monthly_statement")


def test_payments_with_english_headers_and_method_are_accepted_and_a_missing_column_is_named_in_the_readers_language(
        technician, finance):
    conf = confirmation(technician=technician)
    headers = ["Confirmation or statement number", "Amount received", "Payment date", "Payment method", "Voucher no."]
    with translation.override("zh-hans"):  # a Chinese reader may upload an English sheet too
        result = excel.import_payments(file=_sheet(headers, [[conf.number, "100.00", date(2026, 11, 10), "Bank transfer", "B-1"]]),
                                       by=finance, now=at(2026, 11, 20, 10))
    assert result.payments == 1 and conf.payments.get().method == "transfer"
    with translation.override("en"), pytest.raises(excel.ImportRejected) as exc:
        excel.import_payments(file=_sheet(headers[1:], [["100.00", date(2026, 11, 10), "Cash", "B-2"]]),
                              by=finance, now=at(2026, 11, 20, 10))
    assert [(e.row, e.column) for e in exc.value.errors] == [(1, "Confirmation or statement number")]


def test_the_import_template_is_written_in_the_requesters_language():
    with translation.override("en"):
        wb = load_workbook(io.BytesIO(excel.payments_template()))
    assert wb.sheetnames == ["Import payments"]
    assert [c.value for c in wb.active[1]] == ["Confirmation or statement number", "Amount received", "Payment date",
                                                "Payment method", "Voucher no.", "Notes"]
    assert wb.active["D2"].value == "Bank transfer"


def test_ageing_buckets_are_named_when_read_and_an_old_report_body_still_reads(overdue):
    buckets, _explanation = selectors.ageing_buckets(on=AS_OF)
    assert buckets[2].message == {"id": "逾期%(lo)s–%(hi)s天", "params": {"lo": 31, "hi": 60}}
    assert [render(b.message, language="en") for b in buckets] == [
        "Not yet due", "1–30 days overdue", "31–60 days overdue", "61–90 days overdue", "Over 90 days overdue"]
    assert [render(b.message, language="zh-hans") for b in buckets] == ["未到期", "逾期1–30天", "逾期31–60天", "逾期61–90天", "逾期超过90天"]
    with translation.override("en"):
        assert selectors.SETTLED.label == "Settled"
        # a monthly report compiled before kept the Chinese label: its key names it in the reader's language
        assert selectors.bucket_label("31_60", "逾期31–60天") == "31–60 days overdue"
        assert selectors.bucket_label("over_90", "逾期超过90天") == "Over 90 days overdue"
        assert selectors.bucket_label("not_due", "未到期") == "Not yet due"


def test_the_ledger_page_names_buckets_in_english(client, finance, overdue):
    client.force_login(finance.user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("receivables:ledger"), {"as_of": "2026-12-10"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "31–60 days overdue" in html and "Not yet due" in html and "逾期" not in html


def test_a_due_date_rule_written_in_chinese_reads_in_english_on_the_api_and_back(overdue, api, finance):
    assert overdue.due_rule["text"] == {"id": "零散客户:销售日后第 %(n)s 个工作日(法定工作日历)到期", "params": {"n": 7}}
    en = api(finance, language="en").get(f"/api/receivables/confirmations/{overdue.pk}/").json()
    assert en["due_rule"]["text"] == "Retail client: due 7 working days after the sale date (statutory working-day calendar)"
    zh = api(finance, language="zh-hans").get(f"/api/receivables/confirmations/{overdue.pk}/").json()
    assert zh["due_rule"]["text"] == "零散客户:销售日后第 7 个工作日(法定工作日历)到期"


def test_a_statement_exported_in_english_has_no_chinese_but_peoples_own_names(client, technician, coordinator, manager):
    import re

    from .factories import key_account

    buyer = key_account(name="深圳市大客户集团")
    confirmation(technician=technician, client=buyer, sold_on=date(2026, 10, 5), amount="300.00", register_by=coordinator)
    stmt = services.compile_statement(client=buyer, month=date(2026, 10, 1), now=at(2026, 10, 31, 18))
    client.force_login(manager.user)
    client.cookies["django_language"] = "en"
    res = client.get(reverse("receivables:statement_export", args=[stmt.pk]), HTTP_ACCEPT_LANGUAGE="en")
    book = load_workbook(io.BytesIO(res.content))
    assert book.sheetnames == ["Statement"]
    texts = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert texts[:2] == ["Monthly statements", stmt.number] and "Confirmation number" in texts
    assert {t for t in texts if re.search(r"[\u4e00-\u9fff]", t)} == {"深圳市大客户集团", technician.name}
