"""Finance at a desk (1366×900): read the ageing on the ledger; export the ledger in the foreground and as a background
job (both files downloaded and opened with openpyxl); import a bank list with one bad row (nothing imported, the row
named), then the corrected file; take a key account's monthly statement through its steps (open, export, check,
send) — the statement is readable at every step."""
import io
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from receivables import services as receivable_services
from receivables.models import ExportJob, MonthlyStatement, Payment, SalesConfirmation
from servicedesk.choices import Role
from tests.receivables.factories import confirmation, key_account, retail_client

from .builders import person
from .helpers import login, screen, submit, text, visit
from .screens import assert_money_unbroken
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

HEAD = ["确认书或对账单编号", "收款金额", "收款日期", "收款方式", "凭证号"]


def _bank_list(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return str(path)


def _download(page, click):
    with page.expect_download() as info:
        click()
    return load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))


def test_finance_day(reference_data, pages, journey_now, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    manager = person("boss", "李经理", Role.MANAGER, now=now)
    person("finance", "钱财务", Role.FINANCE, now=now)
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now)
    old = retail_client(name="深圳市逾期客户有限公司")
    overdue = confirmation(technician=tech, client=old, sold_on=date(2026, 9, 7), amount="1234.50", register_by=coordinator)
    key = key_account(name="深圳市大客户集团")
    confirmation(technician=tech, client=key, sold_on=date(2026, 11, 5), amount="300.00", register_by=coordinator)
    confirmation(technician=tech, client=key, sold_on=date(2026, 11, 9), amount="123.76", register_by=coordinator)
    stmt = receivable_services.compile_statement(client=key, month=date(2026, 11, 1), now=now - timedelta(days=2))
    receivable_services.review_statement(statement=stmt, by=manager, now=now - timedelta(days=1))

    page = pages.desk("finance")
    login(page, "finance")
    screen(page, "finance-home")

    # --- ageing: the overdue sale sits in its bucket, money whole
    visit(page, "/receivables/ledger/")
    ledger = text(page)
    assert overdue.number in ledger and "深圳市逾期客户有限公司" in ledger and "¥1,234.50" in ledger
    assert "账龄分段:" in ledger and "receivables.ageing_buckets" not in ledger
    assert_money_unbroken(page)
    screen(page, "finance-ledger")

    # --- export in the foreground: the file downloads and opens
    book = _download(page, lambda: page.click("a.btn:has-text('导出 Excel')"))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert overdue.number in cells and 1234.5 in cells
    # --- and as a background job: queued, done, downloaded
    page.click("button:has-text('后台导出')")
    page.wait_for_load_state()
    job = ExportJob.objects.order_by("-pk").first()
    assert job is not None and "csrfmiddlewaretoken" not in page.url
    link = page.locator(f"#job-{job.pk} a:has-text('下载')")
    link.wait_for()
    book = _download(page, link.click)
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert overdue.number in cells

    # --- payments import: one bad row → nothing imported, the row named; then the corrected file
    visit(page, "/receivables/payments/import/")
    bad = _bank_list(tmp_path / "bank-bad.xlsx", [[overdue.number, "200.00", date(2026, 12, 1), "转账", "B-1"],
                                                  ["XS-NO-SUCH", "50.00", date(2026, 12, 1), "转账", "B-2"]])
    page.set_input_files("input[type=file][name=file]", bad)
    page.guard.expect(r"status of 400 .*/receivables/payments/import/")  # the refused file's answer
    submit(page, "form[enctype] button[type=submit]")
    rows = page.locator("table:has(th:has-text('行号')) tbody tr")
    assert rows.count() == 1 and rows.first.locator("td").first.inner_text().strip() == "3", text(page)
    assert not Payment.objects.exists()
    screen(page, "finance-import-refused")
    good = _bank_list(tmp_path / "bank-good.xlsx", [[overdue.number, "200.00", date(2026, 12, 1), "转账", "B-1"]])
    page.set_input_files("input[type=file][name=file]", good)
    submit(page, "form[enctype] button[type=submit]")
    assert "已导入 1 笔收款" in text(page)
    assert SalesConfirmation.objects.get(pk=overdue.pk).received_amount == Decimal("200.00")

    # --- the statement through its steps: open, export and print at every step, check, send
    visit(page, "/receivables/statements/")
    page.click(f"a[href='/receivables/statements/{stmt.pk}/']")
    page.wait_for_url(f"**/receivables/statements/{stmt.pk}/")
    assert "¥423.76" in text(page) and "深圳市大客户集团" in text(page)
    assert_money_unbroken(page)
    screen(page, "finance-statement-reviewed")
    book = _download(page, lambda: page.click("a:has-text('导出 Excel')"))
    assert book.active["B1"].value == stmt.number
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible() and page.locator("#statement-lines").is_visible()
    page.emulate_media(media="screen")
    submit(page, "button:has-text('财务核对')")
    assert MonthlyStatement.objects.get(pk=stmt.pk).status == "checked"
    submit(page, "button:has-text('发给客户')")
    stmt.refresh_from_db()
    assert stmt.status == "sent" and page.url.endswith(f"/receivables/statements/{stmt.pk}/")
    assert "¥423.76" in text(page)
    screen(page, "finance-statement-sent")
