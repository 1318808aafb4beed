"""Rule 7 ("Chinese first, English complete — down to exports"): every workbook the product writes, from the
demo department, in the requester's language.

The workbooks: finance's receivables ledger (a background ExportJob carrying the requester's language), a
client's monthly statement, the month's payroll input (the statements), the monthly report, and the two import
templates (opening receivables, payments), each asked for by a person reading in English and by one reading
in Chinese (Staff.language).

In English, sheet names, headers and every cell the product writes (statuses, bucket names, explanations,
labels, totals, notes) hold no CJK character. The only cells not read are the columns of text people typed,
declared below by their English header with the reason. In Chinese the headers and sheet names are the
Chinese ones, and no English header, raw key (`over_90`, `resolved_visits`) or untranslated msgid leaks.
"""
import io
import os
import re
from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.test import Client as Browser
from django.urls import reverse
from openpyxl import load_workbook

from .test_demo_pages import NOW

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
RAW_KEY = re.compile(r"(?<![.\w])[a-z]+(?:_[a-z0-9]+)+\b(?!\.)")  # a dict key or choice value as stored (a rule
# parameter's dotted name, "sla.mobile_depart_minutes", is its documented name, shown as such)

# Columns of text people typed, by English header — the only cells the English check does not read.
USER_COLUMNS = {
    "Client": "the client's name as entered in the client register",
    "Site": "the site's name as entered with the client",
    "Technician": "a person's name",
    "Salesperson": "a person's name",
    "Collection owner": "a person's name (R-S7: the technician or the resident)",
    "Name": "a person's name",
    "Invoice no.": "the invoice number finance typed",
    "Resident site": "the client's and the site's names as entered",
    "Project name": "the project's name as the manager typed it",
    "Project manager": "a person's name",
}
# Known, being moved to stored messages on the lead's branch: the exact Chinese a product cell still holds.
# The lead removes an entry when its fix lands.
TEMPORARY_ALLOWED: list[re.Pattern] = []


def cells(wb, header_rows: dict[str, int]):
    """(sheet, header, value) of every non-empty cell; `header` is the column's header, or above the table (a
    label and its value: "Client | <name>") the row's label for the cells after it, None for the label itself."""
    for ws in wb.worksheets:
        at = header_rows.get(ws.title, 1)
        headers = {}
        for row in ws.iter_rows():
            label = str(row[0].value) if row and row[0].value not in (None, "") else None
            for cell in row:
                if cell.value is None or cell.value == "":
                    continue
                if cell.row == at:
                    headers[cell.column] = str(cell.value)
                if cell.row > at:
                    yield ws.title, headers.get(cell.column), cell.value
                else:
                    yield ws.title, (label if cell.column > 1 else None), cell.value


def header_rows(wb, first_header: str) -> dict[str, int]:
    """The row of each sheet whose first cell is `first_header` (the ledger and the statement put a title
    above their table); 1 where none is."""
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows(max_row=12, max_col=1):
            if row[0].value == first_header:
                found[ws.title] = row[0].row
                break
    return found


def english_leftovers(wb, first_header: str) -> list[str]:
    left = [f"sheet name {ws.title!r}" for ws in wb.worksheets if CJK.search(ws.title)]
    for sheet, header, value in cells(wb, header_rows(wb, first_header)):
        if header in USER_COLUMNS or not isinstance(value, str):
            continue
        text = value
        for pattern in TEMPORARY_ALLOWED:
            text = pattern.sub("", text)
        if CJK.search(text):
            left.append(f"{sheet} / {header or 'above the table'}: {value[:120]!r}")
    return left


def chinese_leftovers(wb, first_header: str, english_headers: set[str]) -> list[str]:
    left = [f"sheet name {ws.title!r}" for ws in wb.worksheets if not CJK.search(ws.title) and not re.fullmatch(r"\d{4}-\d{2}", ws.title)]
    rows = header_rows(wb, first_header)
    for sheet, header, value in cells(wb, rows):
        if not isinstance(value, str) or header in {"客户", "网点", "技术员", "业务员", "催收负责人", "姓名", "发票号", "驻点", "项目名称", "项目经理"}:
            continue
        if value in english_headers:
            left.append(f"{sheet}: English {value!r}")
        elif RAW_KEY.search(value):
            left.append(f"{sheet} / {header}: raw key in {value[:120]!r}")
    for ws in wb.worksheets:
        for cell in ws[rows.get(ws.title, 1)]:
            if isinstance(cell.value, str) and cell.value and not CJK.search(cell.value):
                left.append(f"{ws.title}: header {cell.value!r} is not Chinese")
    return left


@pytest.fixture(scope="module")
def demo(demo_department, django_db_blocker):
    from bonuses.models import Statement
    from receivables.models import MonthlyStatement
    from reports.models import MonthlyReport

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        demo_department.ensure(NOW)
        with transaction.atomic():
            yield {
                "month": Statement.objects.filter(status="approved").order_by("-month").first().month,
                "report_month": MonthlyReport.objects.order_by("-month").first().month,
                "statement": MonthlyStatement.objects.order_by("-month", "number").first(),
            }
            transaction.set_rollback(True)


def _browser(username: str, language: str) -> Browser:
    from servicedesk.models import Staff

    Staff.objects.filter(user__username=username).update(language=language)
    browser = Browser()
    assert browser.login(username=username, password="demo12345")
    return browser


def _download(browser, url) -> bytes:
    response = browser.get(url)
    assert response.status_code == 200, f"{url}: HTTP {response.status_code}"
    assert "spreadsheetml" in response["Content-Type"]
    return b"".join(response.streaming_content) if response.streaming else response.content


def workbooks(demo, language: str, tmp_path, settings) -> dict[str, tuple[object, str]]:
    """{what: (workbook, the first header of its table in `language`)} — every workbook, asked for in `language`."""
    from receivables.services import run_export_job, start_export_job
    from servicedesk.models import Staff

    settings.MEDIA_ROOT = str(tmp_path)
    zh = language == "zh-hans"
    books = {}
    with time_machine.travel(NOW, tick=False):
        finance = Staff.objects.get(user__username="finance")
        job = start_export_job(filters={}, as_of=NOW.date(), by=finance, now=NOW, language=language)
        job = run_export_job(job_id=job.pk)
        assert job.status == "done" and job.done > 0
        books["receivables ledger"] = (load_workbook(os.path.join(settings.MEDIA_ROOT, job.file)), "确认书编号" if zh else "Confirmation number")

        browser = _browser("finance", language)
        books["monthly statement"] = (load_workbook(io.BytesIO(_download(browser, reverse("receivables:statement_export", args=[demo["statement"].pk])))),
                                      "确认书编号" if zh else "Confirmation number")
        books["payroll input"] = (load_workbook(io.BytesIO(_download(browser, reverse("bonuses:export", args=[f"{demo['month']:%Y-%m}"])))),
                                  "月份" if zh else "Month")
        books["opening receivables template"] = (load_workbook(io.BytesIO(_download(browser, reverse("receivables:import_template")))),
                                                 "确认书编号" if zh else "Confirmation number")
        books["payments template"] = (load_workbook(io.BytesIO(_download(browser, reverse("receivables:payments_template")))),
                                      "确认书或对账单编号" if zh else "Confirmation or statement number")
        manager = _browser("manager", language)
        books["monthly report"] = (load_workbook(io.BytesIO(_download(manager, reverse("reports:export", args=[f"{demo['report_month']:%Y-%m}"])))),
                                   "技术员" if zh else "Technician")
    return books


@pytest.mark.django_db
def test_every_workbook_in_english_holds_no_chinese_but_what_people_typed(demo, tmp_path, settings):
    books = workbooks(demo, "en", tmp_path, settings)
    problems = {what: left for what, (wb, first) in books.items() if (left := english_leftovers(wb, first))}
    assert not problems, "\n".join(f"{what}: " + " | ".join(left[:15]) for what, left in problems.items())
    # the data is there: a Chinese client name in the user columns, English around it
    ledger, _first = books["receivables ledger"]
    assert ledger.sheetnames[0] == "Receivables ledger"
    assert any(CJK.search(str(v)) for _s, h, v in cells(ledger, header_rows(ledger, "Confirmation number")) if h == "Client")


@pytest.mark.django_db
def test_every_workbook_in_chinese_has_chinese_headers_and_no_english_or_raw_keys(demo, tmp_path, settings):
    from receivables.ledger_export import LEDGER_HEADERS

    english = workbooks(demo, "en", tmp_path / "en", settings)
    english_headers = {str(c.value) for wb, first in english.values() for ws in wb.worksheets
                       for c in ws[header_rows(wb, first).get(ws.title, 1)] if isinstance(c.value, str) and c.value}
    books = workbooks(demo, "zh-hans", tmp_path / "zh", settings)
    problems = {what: left for what, (wb, first) in books.items() if (left := chinese_leftovers(wb, first, english_headers))}
    assert not problems, "\n".join(f"{what}: " + " | ".join(left[:15]) for what, left in problems.items())
    ledger, first = books["receivables ledger"]
    assert ledger.sheetnames == ["应收台账", "账龄汇总", "按技术员小计", "按业务员小计"]
    assert [c.value for c in ledger["应收台账"][header_rows(ledger, first)["应收台账"]]] == LEDGER_HEADERS
    payroll, _first = books["payroll input"]
    assert [c.value for c in payroll.worksheets[0][1]] == [
        "月份", "姓名", "工号", "状态", "奖励", "补贴", "项目奖金", "罚款", "扣分", "扣分金额", "合计", "明细"]
    assert books["monthly report"][0].sheetnames[:2] == ["技术员", "部门"]
