"""R-S2: a monthly statement opens, prints and exports at every step — the manager reviews and finance checks what
the client will receive before it is sent."""
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from receivables import services

from .factories import at, confirmation, key_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(technician, coordinator):
    client = key_account(name="深圳市大客户集团")
    confirmation(technician=technician, client=client, sold_on=date(2026, 10, 5), amount="300.00", register_by=coordinator)
    confirmation(technician=technician, client=client, sold_on=date(2026, 10, 9), amount="123.76", register_by=coordinator)
    return services.compile_statement(client=client, month=date(2026, 10, 1), now=at(2026, 10, 31, 18))


def _opens(client, user, stmt):
    client.force_login(user)
    html = client.get(reverse("receivables:statement_detail", args=[stmt.pk])).content.decode()
    assert stmt.number in html and "深圳市大客户集团" in html and "¥423.76" in html and "data-print" in html
    book = load_workbook(io.BytesIO(client.get(reverse("receivables:statement_export", args=[stmt.pk])).content))
    ws = book.active
    assert ws["B1"].value == stmt.number
    values = [c.value for row in ws.iter_rows() for c in row]
    assert 300.0 in values and 123.76 in values and 423.76 in values
    return html


def test_a_statement_opens_prints_and_exports_at_every_step(client, statement, manager, finance):
    html = _opens(client, manager.user, statement)  # compiled: the manager reviews from the page
    assert "经理审核" in html
    client.post(reverse("receivables:statement_step", args=[statement.pk, "review"]), {"next": "detail"})
    statement.refresh_from_db()
    assert statement.status == "reviewed"
    html = _opens(client, finance.user, statement)
    assert "财务核对" in html
    r = client.post(reverse("receivables:statement_step", args=[statement.pk, "check"]), {"next": "detail"})
    assert r["Location"] == reverse("receivables:statement_detail", args=[statement.pk])
    statement.refresh_from_db()
    html = _opens(client, finance.user, statement)
    assert statement.status == "checked" and "发给客户" in html
    client.post(reverse("receivables:statement_step", args=[statement.pk, "send"]), {"next": "detail"})
    statement.refresh_from_db()
    assert statement.status == "sent" and statement.amount == Decimal("423.76")
    _opens(client, finance.user, statement)


def test_a_statement_is_not_for_a_technician(client, statement, technician):
    client.force_login(technician.user)
    assert client.get(reverse("receivables:statement_detail", args=[statement.pk])).status_code == 403
    assert client.get(reverse("receivables:statement_export", args=[statement.pk])).status_code == 403
