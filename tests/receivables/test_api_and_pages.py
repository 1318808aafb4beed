"""API and pages: visibility per role (a technician sees only their own), registration, payments, export job, import page."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from receivables.choices import ExportStatus
from receivables.models import ExportJob, SalesConfirmation

from .factories import confirmation, retail_client

pytestmark = pytest.mark.django_db


def test_technician_cannot_see_another_technicians_confirmation_api(api, technician, other_technician, finance, manager):
    mine = confirmation(technician=technician)
    theirs = confirmation(technician=other_technician)
    res = api(technician).get("/api/receivables/confirmations/")
    assert res.status_code == 200 and [r["number"] for r in res.json()["results"]] == [mine.number]
    assert api(technician).get(f"/api/receivables/confirmations/{theirs.pk}/").status_code == 404
    assert api(technician).post(f"/api/receivables/confirmations/{theirs.pk}/sign-technician/").status_code == 404
    for who in (finance, manager):
        assert api(who).get("/api/receivables/confirmations/").json()["count"] == 2
    ledger = api(technician).get("/api/receivables/ledger/?as_of=2026-12-10").json()
    assert [r["number"] for r in ledger["results"]] == [mine.number]


def test_technician_cannot_see_another_technicians_confirmation_page(client, technician, other_technician):
    theirs = confirmation(technician=other_technician)
    mine = confirmation(technician=technician)
    client.force_login(technician.user)
    assert client.get(reverse("receivables:confirmation_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("receivables:confirmation_detail", args=[mine.pk])).status_code == 200
    page = client.get(reverse("receivables:my_ledger"))
    assert page.status_code == 200 and mine.number in page.content.decode() and theirs.number not in page.content.decode()
    assert client.get(reverse("receivables:ledger")).status_code == 403


def test_api_create_sign_register_and_refuse_twice(api, technician, coordinator):
    c = retail_client()
    res = api(technician).post("/api/receivables/confirmations/", {
        "client": c.pk, "sold_on": "2026-09-30",
        "lines": [{"description": "硒鼓", "quantity": "2", "unit_price": "150.00"}]}, format="json")
    assert res.status_code == 201, res.json()
    body = res.json()
    assert body["amount"] == "300.00" and body["due_date"] == "2026-10-15" and body["number"].startswith("XS-2026-09-")
    assert api(technician).post("/api/receivables/confirmations/register/", {"number": body["number"]}).status_code == 403
    ok = api(coordinator).post("/api/receivables/confirmations/register/", {"number": body["number"]})
    assert ok.status_code == 200 and ok.json()["status"] == "registered"
    again = api(coordinator).post("/api/receivables/confirmations/register/", {"number": body["number"]})
    assert again.status_code == 409 and "number" in again.json()
    unknown = api(coordinator).post("/api/receivables/confirmations/register/", {"number": "XS-2026-09-9999"})
    assert unknown.status_code == 400 and "XS-2026-09-9999" in unknown.json()["number"][0]


def test_api_due_date_into_a_provisional_2027_is_answered_and_marked(api, technician):
    from tests.calendars import load_official, make_provisional

    load_official(2026)
    make_provisional(2027, 2028)
    res = api(technician).post("/api/receivables/confirmations/", {
        "client": retail_client().pk, "sold_on": "2026-12-28",
        "lines": [{"description": "硒鼓", "quantity": "1", "unit_price": "150.00"}]}, format="json")
    # R-S3, 7 working days: 29–31 Dec are 1–3, 1 Jan 元旦, 4–7 Jan are 4–7
    assert res.status_code == 201 and (res.json()["due_date"], res.json()["provisional"]) == ("2027-01-07", True)


def test_api_a_sale_the_calendar_cannot_hold_is_a_400_naming_the_field(api, technician):
    res = api(technician).post("/api/receivables/confirmations/", {
        "client": retail_client().pk, "sold_on": "2003-12-28",
        "lines": [{"description": "硒鼓", "quantity": "1", "unit_price": "150.00"}]}, format="json")
    assert res.status_code == 400 and "2003" in res.json()["sold_on"][0]
    assert not SalesConfirmation.objects.exists()


def test_api_overpayment_refused_naming_amount(api, technician, finance):
    conf = confirmation(technician=technician, amount="300.00")
    ok = api(finance).post("/api/receivables/payments/", {"confirmation": conf.pk, "amount": "120.00", "received_on": "2026-11-05"})
    assert ok.status_code == 201
    bad = api(finance).post("/api/receivables/payments/", {"confirmation": conf.pk, "amount": "180.01", "received_on": "2026-11-05"})
    assert bad.status_code == 400 and "amount" in bad.json()
    conf.refresh_from_db()
    assert conf.received_amount == Decimal("120.00")


def test_register_page_refuses_unknown_number(client, coordinator):
    client.force_login(coordinator.user)
    res = client.post(reverse("receivables:register"), {"number": "XS-2026-11-0404"})
    assert res.status_code == 400 and "XS-2026-11-0404" in res.content.decode()


def test_ledger_page_and_background_export_job(client, finance, technician, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    confirmation(technician=technician, sold_on=date(2026, 9, 30))
    client.force_login(finance.user)
    page = client.get(reverse("receivables:ledger"), {"as_of": "2026-12-10"})
    assert page.status_code == 200 and "逾期31–60天" in page.content.decode()
    direct = client.get(reverse("receivables:export"), {"as_of": "2026-12-10"})
    assert direct.status_code == 200 and direct["Content-Disposition"].startswith("attachment")
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(reverse("receivables:export") + "?as_of=2026-12-10", {"technician": technician.pk})
    assert res.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.done == 1 and job.progress == 100
    status = client.get(reverse("receivables:export_status", args=[job.pk]))
    assert "hx-get" not in status.content.decode() and reverse("receivables:export_download", args=[job.pk]) in status.content.decode()
    dl = client.get(reverse("receivables:export_download", args=[job.pk]))
    wb = load_workbook(io.BytesIO(b"".join(dl.streaming_content)))
    assert wb.worksheets[0].max_row == 6  # title, filters, blank, header, one confirmation, totals
    assert wb.worksheets[0]["B2"].value == "技术员:王技术"


def test_import_page_reports_bad_row(client, finance, technician):
    retail_client(name="丙公司")
    wb = Workbook()
    ws = wb.active
    ws.append(["确认书编号", "销售日期", "客户", "技术员", "开票金额"])
    ws.append(["XS-2025-01-0001", date(2025, 1, 2), "丙公司", technician.name, 100])
    ws.append(["XS-2025-01-0002", date(2025, 1, 2), "丁公司", technician.name, 100])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "opening.xlsx"
    client.force_login(finance.user)
    res = client.post(reverse("receivables:import"), {"file": buf})
    html = res.content.decode()
    assert res.status_code == 400 and "<td>3</td><td>客户</td>" in html and not SalesConfirmation.objects.exists()


def test_nav_entries_per_role(client, finance, technician, manager):
    client.force_login(finance.user)
    html = client.get(reverse("receivables:ledger")).content.decode()
    assert reverse("receivables:ledger") in html and reverse("receivables:my_ledger") not in html
    client.force_login(manager.user)
    assert client.get(reverse("receivables:overdue_review")).status_code == 200
