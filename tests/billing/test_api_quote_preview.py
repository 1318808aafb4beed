"""POST /api/billing/quote-preview/ exactly as the API reference (/api/docs/) describes."""
from datetime import date

import pytest

from billing.models import SoftwareVisitSlot, VisitCharge
from tests.factories import EquipmentFactory, staff_with
from servicedesk.choices import Role

from .factories import SoftwareEntitlement, key_account, line, retail

pytestmark = pytest.mark.django_db
URL = "/api/billing/quote-preview/"


def body(client, *lines, on="2026-11-20", equipment=None):
    return {"client": client.pk, "equipment": equipment, "date": on, "lines": list(lines)}


@pytest.mark.parametrize(
    "make_client, ln, amount, fee, total",
    [
        (retail, line("part", "200.00"), "250.00", "50.00", "300.00"),
        (key_account, line("consumable", "100", installed=True), "196.00", "0.00", "196.00"),
        (retail, line("repair", "80.50"), "109.48", "50.00", "159.48"),
    ],
)
def test_quote_preview_worked_examples(api, coordinator, make_client, ln, amount, fee, total):
    r = api(coordinator).post(URL, body(make_client(), ln), format="json")
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["lines"][0]["amount"] == amount
    assert data["lines"][0]["free"] is False
    assert data["lines"][0]["rule"] in {"R-P1", "R-P2", "R-P4"}
    assert data["lines"][0]["explanation"]
    assert data["lines"][0]["parameter_versions"][0]["version"]
    assert (data["onsite_fee"], data["total"]) == (fee, total)
    assert VisitCharge.objects.count() == 0


def test_quote_preview_with_equipment_under_warranty_is_free(api, technician):
    client = retail()
    eq = EquipmentFactory(client=client)
    r = api(technician).post(URL, body(client, line("part", "200"), equipment=eq.pk), format="json")
    assert r.status_code == 200
    assert r.json()["lines"][0] | {} and r.json()["lines"][0]["free"] is True
    assert r.json()["lines"][0]["rule"] == "R-B1"
    assert r.json()["total"] == "0.00"


def test_quote_preview_consumes_no_free_software_visit(api, coordinator):
    client = retail()
    for _ in range(2):
        r = api(coordinator).post(URL, body(client, line("software", item="os_install")), format="json")
        assert r.json()["lines"][0]["rule"] == "R-B2"
    assert SoftwareVisitSlot.objects.count() == 0


@pytest.mark.parametrize(
    "ln, field",
    [
        (line("part", "-5"), "lines"),
        (line("part", "abc"), "lines"),
        (line("gadget", "5"), "lines"),
        (line("repair", item="toaster"), "lines"),
        (line("software", item="other"), "lines"),
        (line("part", None), "lines"),
    ],
)
def test_quote_preview_bad_lines_400(api, coordinator, ln, field):
    r = api(coordinator).post(URL, body(retail(), ln), format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()


def test_quote_preview_bad_date_and_client_400(api, coordinator):
    client = retail()
    r = api(coordinator).post(URL, body(client, line("part", "1"), on="2026-13-45"), format="json")
    assert r.status_code == 400 and "date" in r.json()
    r = api(coordinator).post(URL, {"client": 999999, "date": "2026-11-20", "lines": []}, format="json")
    assert r.status_code == 400 and "client" in r.json()
    other = EquipmentFactory()
    r = api(coordinator).post(URL, body(client, line("part", "1"), equipment=other.pk), format="json")
    assert r.status_code == 400 and "equipment" in r.json()


def test_quote_preview_a_year_the_calendar_cannot_hold_is_a_400_naming_date(api, coordinator):
    client = retail(software_entitlement=SoftwareEntitlement.WORKING_DAYS)
    eq = EquipmentFactory(client=client, installed_on=date(2003, 12, 28), manufacturer_warranty_end=None, company_warranty_end=None)
    r = api(coordinator).post(URL, body(client, line("software", item="os_install"), on="2004-01-05", equipment=eq.pk), format="json")
    assert r.status_code == 400, r.content
    assert "date" in r.json() and "2003" in r.json()["date"][0]


@pytest.mark.parametrize("role, status", [
    (Role.COORDINATOR, 200), (Role.TECHNICIAN, 200), (Role.MANAGER, 200), (Role.SALES, 200), (Role.FINANCE, 200),
    (Role.ADMIN, 403), (Role.GM_OFFICE, 403),
])
def test_quote_preview_roles(api, role, status):
    r = api(staff_with(role)).post(URL, body(retail(), line("part", "1")), format="json")
    assert r.status_code == status


def test_quote_preview_anonymous_refused(api):
    r = api(None).post(URL, body(retail(), line("part", "1")), format="json")
    assert r.status_code in (401, 403)


def test_billing_endpoints_in_schema(api, manager):
    r = api(manager).get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    paths = r.json()["paths"] if r["Content-Type"].startswith("application/json") else None
    text = r.content.decode()
    for p in ("/api/billing/quote-preview/", "/api/billing/charges/{id}/dispute/", "/api/billing/charges/{id}/decide/",
              "/api/billing/repair-plans/{id}/decide/"):
        assert p in (paths or text)
    assert "QuotePreviewRequest" in text
