"""SPEC §11 on the money: a due date in a year without its official calendar is computed provisionally, marked on
the API, the pages and the export, and moves with history when the official year is loaded (open items only)."""
from datetime import date
from io import BytesIO

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from dispatch.resident import services as resident_services
from receivables import services
from receivables import excel
from receivables.excel import LEDGER_HEADERS
from receivables.models import DueDateChange, SalesConfirmation
from servicedesk.models import Notification
from servicedesk.texts import render

from ..calendars import load_official, make_provisional
from .factories import at, confirmation, retail_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def provisional_2027():
    make_provisional(2027, 2028)


@pytest.fixture
def sales(provisional_2027, technician, finance):
    """Two retail sales of Fri 2027-01-29 (R-S3, 7 working days): one open, one paid on the spot."""
    open_one = confirmation(technician=technician, client=retail_client(name="零散客户甲"), sold_on=date(2027, 1, 29))
    paid = confirmation(technician=technician, client=retail_client(name="零散客户乙"), sold_on=date(2027, 1, 29))
    services.record_payment(confirmation=paid, amount="300.00", received_on=date(2027, 1, 29), by=finance, now=at(2027, 1, 29, 15))
    return open_one, paid


def test_r_s3_due_date_in_a_provisional_year_is_computed_and_marked(sales, api, finance):
    open_one, paid = sales
    # 1–4 Feb days 1–4; 5 Feb 除夕, 6–7 weekend, 8 Feb 初三, 9–10 Feb made up (art. 6); 11, 12, 15 Feb days 5–7
    assert (open_one.due_date, open_one.due_provisional) == (date(2027, 2, 15), True)
    assert open_one.due_rule["provisional"] is True
    body = api(finance).get(f"/api/receivables/confirmations/{open_one.pk}/").json()
    assert (body["due_date"], body["provisional"]) == ("2027-02-15", True)


def test_the_ledger_page_and_the_export_mark_a_provisional_due_date(sales, client, finance):
    with time_machine.travel(at(2027, 2, 1), tick=False):
        client.force_login(finance.user)
        page = client.get(reverse("receivables:ledger")).content.decode()
    assert page.count("按法定假日暂算") >= 1
    buf = BytesIO()
    excel.export_ledger(out=buf, as_of=date(2027, 2, 1))
    buf.seek(0)
    ws = openpyxl.load_workbook(buf).worksheets[0]
    col = LEDGER_HEADERS.index("到期日说明")
    marks = {row[0].value: row[col].value for row in ws.iter_rows(min_row=5) if str(row[0].value or "").startswith("XS-")}
    assert marks == {sales[0].number: "按法定假日暂算", sales[1].number: "按法定假日暂算"}


def test_loading_the_official_year_moves_open_due_dates_with_history_and_tells_the_technician(sales, admin_staff, technician, api, finance):
    open_one, paid = sales
    paid_due = paid.due_date
    load_official(2027, by=admin_staff, now=at(2027, 1, 30, 10))  # 5–11 February off
    open_one.refresh_from_db()
    paid.refresh_from_db()
    # 1–4 Feb days 1–4; 5–11 Feb off; 12 Feb day 5; 15, 16 Feb days 6–7
    assert (open_one.due_date, open_one.due_provisional) == (date(2027, 2, 16), False)
    change = DueDateChange.objects.get(confirmation=open_one)
    assert (change.from_date, change.to_date, change.by) == (date(2027, 2, 15), date(2027, 2, 16), admin_staff)
    assert "2027 年官方工作日历已录入" in render(change.reason)
    # the paid sale is closed: not touched
    assert paid.due_date == paid_due and not DueDateChange.objects.filter(confirmation=paid).exists()
    told = Notification.objects.filter(recipient=technician, key__startswith="calendar-2027")
    assert told.count() == 1 and f"{open_one.number}:2027-02-15 → 2027-02-16" in told.get().text
    body = api(finance).get(f"/api/receivables/confirmations/{open_one.pk}/").json()
    assert (body["due_date"], body["provisional"]) == ("2027-02-16", False)
    assert body["due_date_changes"][0]["from_date"] == "2027-02-15"
    # loading the same year again moves nothing and tells nobody again
    load_official(2027, by=admin_staff, now=at(2027, 1, 30, 11))
    assert DueDateChange.objects.filter(confirmation=open_one).count() == 1 and told.count() == 1


def test_an_approved_extension_keeps_the_date_a_person_chose(provisional_2027, technician, manager, admin_staff, db):
    from tests.factories import staff_with
    from servicedesk.choices import Role

    gm = staff_with(Role.GM_OFFICE, name="总经办")
    conf = confirmation(technician=technician, sold_on=date(2027, 1, 29))
    ext = services.request_extension(confirmation=conf, requested_due_date=date(2027, 3, 1), reason="客户书面申请", by=technician,
                                     now=at(2027, 1, 30))
    services.approve_extension(extension=ext, by=manager, now=at(2027, 1, 30, 11))
    services.approve_extension(extension=ext, by=gm, now=at(2027, 1, 30, 12))
    load_official(2027, by=admin_staff, now=at(2027, 2, 1))
    conf.refresh_from_db()
    assert (conf.due_date, conf.due_provisional) == (date(2027, 3, 1), False)
    assert list(conf.due_date_changes.values_list("to_date", flat=True)) == [date(2027, 3, 1)]


def test_resident_documents_due_move_with_the_official_year_and_the_lead_is_told(provisional_2027, admin_staff):
    from tests.factories import SiteFactory, staff_with
    from dispatch.resident.models import ResidentPost
    from servicedesk.choices import Role

    site = SiteFactory(resident=True, name="国税局驻点")
    lead = staff_with(Role.TEAM_LEAD, Role.TECHNICIAN, name="驻点组长", resident_site=site)
    ResidentPost.objects.create(site=site, lead=lead)
    row = resident_services.ensure_documents_due(site=site, month=date(2027, 1, 1))
    # R-R4, 5th working day of February 2027, provisional: 1–4 Feb days 1–4, 5–10 Feb off, 11 Feb day 5
    assert (row.due_on, row.provisional) == (date(2027, 2, 11), True)
    load_official(2027, by=admin_staff, now=at(2027, 1, 30, 10))
    row.refresh_from_db()
    # official: 5–11 Feb off, so 12 Feb is day 5
    assert (row.due_on, row.provisional) == (date(2027, 2, 12), False)
    assert row.explanation["moves"][0]["from"] == "2027-02-11" and row.explanation["moves"][0]["to"] == "2027-02-12"
    assert row.explanation["moves"][0]["by"] == admin_staff.name
    assert Notification.objects.filter(recipient=lead, text__contains="2027-02-12").count() == 1
    assert SalesConfirmation.objects.count() == 0
