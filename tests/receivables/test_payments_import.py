"""Finance's payments: entry rules, the all-or-nothing payments import, and the upload's safety
(size, zip bombs, over-long cells, background job with progress) — R-S8's import limits and rule 1's strict money."""
import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from receivables import excel, services
from receivables.choices import ExportStatus
from receivables.models import ExportJob, ImportJob, Payment, SalesConfirmation
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import RuleParameter

from .factories import at, confirmation, key_account, xlsx_file

pytestmark = pytest.mark.django_db
HEAD = ["确认书或对账单编号", "收款金额", "收款日期", "收款方式", "凭证号"]
NOW = at(2026, 11, 20, 10)


def _xlsx(rows, headers=HEAD) -> io.BytesIO:
    return xlsx_file(headers, rows, name="payments.xlsx")


def _param(name, value):
    RuleParameter.objects.create(name=name, effective_from=date(2026, 1, 1), kind="integer", value=value, description="test")


# --------------------------------------------------------------------------- entry rules


@pytest.mark.parametrize("amount", ["-5", "0", "0.001", "1E+2", "1e10", "abc", "1000000000000"])
def test_bad_amounts_are_refused_naming_the_field(technician, finance, amount):
    conf = confirmation(technician=technician)
    with pytest.raises(DomainError) as exc:
        services.record_payment(confirmation=conf, amount=amount, received_on=date(2026, 11, 5), by=finance, now=NOW)
    assert exc.value.field == "amount" and not Payment.objects.exists()


def test_payment_on_a_void_confirmation_is_refused(technician, finance):
    conf = confirmation(technician=technician)
    services.void_confirmation(confirmation=conf, reason="开错客户", by=finance, now=NOW)
    with pytest.raises(ConflictError) as exc:
        services.record_payment(confirmation=conf, amount="10.00", received_on=date(2026, 11, 5), by=finance, now=NOW)
    assert exc.value.field == "confirmation" and "作废" in str(exc.value.message)


def test_a_reference_used_twice_is_refused(technician, finance):
    a = confirmation(technician=technician)
    b = confirmation(technician=technician)
    services.record_payment(confirmation=a, amount="10.00", received_on=date(2026, 11, 5), reference="BANK-1", by=finance, now=NOW)
    with pytest.raises(ConflictError) as exc:
        services.record_payment(confirmation=b, amount="10.00", received_on=date(2026, 11, 5), reference="BANK-1", by=finance, now=NOW)
    assert exc.value.field == "reference" and Payment.objects.count() == 1


def test_technician_collects_on_the_spot_with_invoice_number(technician):
    conf = confirmation(technician=technician, sold_on=date(2026, 11, 20))
    services.collect_on_the_spot(confirmation=conf, method="cash", invoice_number="FP-0001", by=technician, now=NOW)
    conf.refresh_from_db()
    assert (conf.received_amount, conf.is_open, conf.invoice_number, conf.payment_terms) == (Decimal("300.00"), False, "FP-0001", "on_the_spot")
    assert conf.payments.get().method == "cash"
    with pytest.raises(DomainError) as exc:
        services.collect_on_the_spot(confirmation=confirmation(technician=technician), method="cheque", invoice_number="X", by=technician, now=NOW)
    assert exc.value.field == "method"


# --------------------------------------------------------------------------- the import


def test_one_bad_row_imports_nothing_and_names_row_and_column(technician, finance):
    a = confirmation(technician=technician)
    b = confirmation(technician=technician)
    rows = [[a.number, "100.00", date(2026, 11, 10), "转账", "B-1"], [b.number, "0.001", date(2026, 11, 10), "转账", "B-2"],
            ["XS-NOPE", "10", date(2026, 11, 10), "转账", "B-3"], [a.number, "250.00", date(2026, 11, 10), "支付宝", "B-1"]]
    with pytest.raises(excel.ImportRejected) as exc:
        excel.import_payments(file=_xlsx(rows), by=finance, now=NOW)
    got = {(e.row, e.column) for e in exc.value.errors}
    assert {(3, "收款金额"), (4, "确认书或对账单编号"), (5, "收款金额"), (5, "收款方式"), (5, "凭证号")} <= got
    # row 5 overpays counting row 2 of the same file (100 + 250 > 300)
    assert any(e.row == 5 and "超过" in e.message for e in exc.value.errors)
    assert not Payment.objects.exists()


def test_a_good_file_posts_every_payment_to_confirmations_and_statements(technician, coordinator, finance, manager):
    a = confirmation(technician=technician)
    client = key_account()
    k = confirmation(technician=technician, client=client, sold_on=date(2026, 10, 5), register_by=coordinator)
    stmt = services.compile_statement(client=client, month=date(2026, 10, 1), now=at(2026, 10, 31, 18))
    services.review_statement(statement=stmt, by=manager, now=at(2026, 11, 1))
    services.check_statement(statement=stmt, by=finance, now=at(2026, 11, 2))
    services.send_statement(statement=stmt, by=finance, now=at(2026, 11, 3))
    rows = [[a.number, "100.00", date(2026, 11, 10), "现金", ""], [a.number, 200, date(2026, 11, 11), "transfer", "B-9"],
            [stmt.number, "300", date(2026, 11, 12), "转账", "B-10"]]
    result = excel.import_payments(file=_xlsx(rows), by=finance, now=NOW)
    assert (result.payments, result.total) == (3, Decimal("600.00"))
    a.refresh_from_db()
    k.refresh_from_db()
    stmt.refresh_from_db()
    assert not a.is_open and k.received_amount == Decimal("300.00") and stmt.status == "paid"


def test_the_import_page_reports_rows_and_posts_a_good_file(client, finance, technician):
    a = confirmation(technician=technician)
    client.force_login(finance.user)
    bad = client.post(reverse("receivables:payments_import"), {"file": _xlsx([[a.number, "-1", date(2026, 11, 10), "转账", ""]])})
    html = bad.content.decode()
    assert bad.status_code == 400 and "收款金额" in html and "<td>2</td>" in html
    good = client.post(reverse("receivables:payments_import"), {"file": _xlsx([[a.number, "300", date(2026, 11, 10), "转账", "B-1"]])})
    assert good.status_code == 302 and Payment.objects.get().reference == "B-1"


def test_the_import_api_answers_400_with_every_bad_row(api, finance, technician):
    a = confirmation(technician=technician)
    res = api(finance).post("/api/receivables/payments/import/", {"file": _xlsx([[a.number, "999999999999999", date(2026, 11, 10), "转账", ""]])},
                            format="multipart")
    assert res.status_code == 400 and res.json()["errors"][0]["column"] == "收款金额"
    assert api(technician).post("/api/receivables/payments/import/", {}, format="multipart").status_code == 403


# --------------------------------------------------------------------------- upload safety (R-S8)


def test_not_an_xlsx_and_20_mb_of_junk_are_refused_before_parsing(finance):
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=SimpleUploadedFile("p.xlsx", b"this is not a spreadsheet"), by=finance, now=NOW)
    assert exc.value.field == "file" and ".xlsx" in str(exc.value.message)
    junk = SimpleUploadedFile("junk.xlsx", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=junk, by=finance, now=NOW)
    assert "过大" in str(exc.value.message) and "10 MB" in str(exc.value.message)


def test_upload_limit_parameter(finance):
    _param("receivables.import_max_upload_mb", 1)
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=SimpleUploadedFile("p.xlsx", b"\0" * (1024 * 1024 + 1)), by=finance, now=NOW)
    assert "上限为 1 MB" in str(exc.value.message)


def _zip_bomb(unpacked_mb: int) -> io.BytesIO:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"<c>" + b"A" * (1024 * 1024 - 3)
            for _ in range(unpacked_mb):
                member.write(chunk)
    buf.seek(0)
    buf.name = "bomb.xlsx"
    return buf


def test_a_zip_bomb_is_refused_from_its_declared_size_without_unpacking(finance, monkeypatch):
    bomb = _zip_bomb(80)
    assert len(bomb.getvalue()) < 1024 * 1024  # small on the wire

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not read a zip bomb")

    monkeypatch.setattr("servicedesk.spreadsheets.load_workbook", never)
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=bomb, by=finance, now=NOW)
    assert exc.value.field == "file" and "解压后过大" in str(exc.value.message) and "AAAA" not in str(exc.value.message)


def test_unpacked_limit_parameter(finance, monkeypatch):
    _param("receivables.import_max_unpacked_mb", 200)
    monkeypatch.setattr("servicedesk.spreadsheets.load_workbook", lambda *a, **k: (_ for _ in ()).throw(ValueError()))
    with pytest.raises(DomainError) as exc:  # no longer a bomb: reaches the reader (here: unreadable)
        excel.import_payments(file=_zip_bomb(80), by=finance, now=NOW)
    assert ".xlsx" in str(exc.value.message)


def test_over_long_cells_are_refused_and_never_echoed(technician, finance):
    a = confirmation(technician=technician)
    long = "X" * 5000
    with pytest.raises(excel.ImportRejected) as exc:
        excel.import_payments(file=_xlsx([[a.number, "1", date(2026, 11, 10), "转账", long]]), by=finance, now=NOW)
    err = exc.value.errors[0]
    assert (err.row, err.column) == (2, "凭证号") and "5000" in err.message and "XXXX" not in err.message
    _param("receivables.import_max_cell_chars", 6000)
    with pytest.raises(excel.ImportRejected) as exc:  # now long enough for the cell limit, still over the reference limit
        excel.import_payments(file=_xlsx([[a.number, "1", date(2026, 11, 10), "转账", long]]), by=finance, now=NOW)
    assert "60" in exc.value.errors[0].message and "XXXX" not in str(exc.value.message)
    with pytest.raises(excel.ImportRejected) as exc:  # unknown names are quoted shortened
        excel.import_payments(file=_xlsx([["Y" * 150, "1", date(2026, 11, 10), "转账", ""]]), by=finance, now=NOW)
    assert "Y" * 31 not in exc.value.errors[0].message


def test_max_rows_parameter(technician, finance):
    _param("receivables.import_max_rows", 2)
    a = confirmation(technician=technician)
    rows = [[a.number, "1", date(2026, 11, 10), "转账", f"R{i}"] for i in range(3)]
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=_xlsx(rows), by=finance, now=NOW)
    assert "上限 2 行" in str(exc.value.message) and not Payment.objects.exists()


def test_a_big_import_runs_as_a_background_job_with_progress(client, technician, finance, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    _param("receivables.import_inline_rows", 2)
    a = confirmation(technician=technician)
    rows = [[a.number, "1", date(2026, 11, 10), "转账", f"R{i}"] for i in range(3)]
    client.force_login(finance.user)
    with django_capture_on_commit_callbacks(execute=True):  # eager Celery (no REDIS_URL): runs at commit
        res = client.post(reverse("receivables:payments_import"), {"file": _xlsx(rows)})
    assert res.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.done, job.total, job.progress) == (ExportStatus.DONE, 3, 3, 100) and "3" in job.message
    assert Payment.objects.count() == 3 and not list(tmp_path.rglob("*.xlsx"))  # the upload is not kept
    page = client.get(reverse("receivables:payments_import")).content.decode()
    assert f"import-job-{job.pk}" in page and "hx-get" not in page


def test_export_while_the_broker_is_down_runs_inline_instead_of_staying_queued(finance, technician, settings, tmp_path,
                                                                               monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from receivables import tasks

    settings.MEDIA_ROOT = str(tmp_path)
    confirmation(technician=technician)

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.export_ledger_task, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_export_job(filters={}, as_of=date(2026, 12, 10), by=finance, now=NOW)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.done == 1


def test_a_job_left_queued_is_run_by_the_catch_up(finance, technician, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    confirmation(technician=technician)
    job = ExportJob.objects.create(requested_by=finance, filters={}, as_of=date(2026, 12, 10), created_at=at(2026, 11, 20, 9))
    assert services.requeue_stale_jobs(now=at(2026, 11, 20, 9, 3))["exports"] == []  # not stale yet
    assert services.requeue_stale_jobs(now=at(2026, 11, 20, 9, 10))["exports"] == [job.pk]
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert SalesConfirmation.objects.count() == 1


def test_phone_api_records_signatures_and_collects_on_the_spot(api, technician, other_technician):
    conf = confirmation(technician=technician)
    mine = api(technician)
    res = mine.post(f"/api/receivables/confirmations/{conf.pk}/record-signatures/", {"signatory": "王经理"}, format="json")
    assert res.status_code == 200 and res.json()["status"] == "client_signed"
    assert api(other_technician).post(f"/api/receivables/confirmations/{conf.pk}/collect/",
                                      {"method": "cash", "invoice_number": "FP-1"}, format="json").status_code == 404
    res = mine.post(f"/api/receivables/confirmations/{conf.pk}/collect/", {"method": "cash", "invoice_number": "FP-1"}, format="json")
    assert res.status_code == 201 and res.json()["amount"] == "300.00" and res.json()["reference"] == "FP-1"
    again = mine.post(f"/api/receivables/confirmations/{conf.pk}/collect/", {"method": "cash", "invoice_number": "FP-2"}, format="json")
    assert again.status_code == 409


def test_a_shared_strings_bomb_is_refused_before_openpyxl_reads_it(finance, settings, monkeypatch):
    from servicedesk import spreadsheets
    from tests import hostile_xlsx

    settings.IMPORT_MAX_SHARED_STRINGS = 2000
    loaded = []
    monkeypatch.setattr(spreadsheets, "load_workbook", lambda *a, **k: loaded.append(a))
    bomb = hostile_xlsx.upload(hostile_xlsx.with_shared_strings([["确认书或对账单编号"], ["XS-1"]], 100_000), "payments.xlsx")
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=bomb, by=finance, now=NOW)
    assert exc.value.field == "file" and "不同文字超过上限 2000 个" in str(exc.value.message)
    bomb.seek(0)
    with pytest.raises(DomainError):  # the inline-or-background choice reads the dimension: the same check first
        imports_count_rows(bomb)
    assert loaded == [] and not Payment.objects.exists()


def imports_count_rows(file):
    from receivables import imports

    return imports.count_rows(file, on=NOW.date())


def test_made_up_blank_rows_stop_the_payments_import(finance, settings):
    from tests import hostile_xlsx

    settings.IMPORT_MAX_BLANK_ROWS = 20
    header = ["确认书或对账单编号", "收款金额", "收款日期", "收款方式"]
    far = hostile_xlsx.upload(hostile_xlsx.with_far_row([header, ["XS-1", "1", "2026-11-10", "转账"]]), "far.xlsx")
    with pytest.raises(DomainError) as exc:
        excel.import_payments(file=far, by=finance, now=NOW)
    assert "空行超过上限 20 行" in str(exc.value.message) and not Payment.objects.exists()
