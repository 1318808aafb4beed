"""Quantities are plain ASCII numbers, as money is (servicedesk.quantities, the approach of servicedesk.money):
`١٠٠`, `１００`, `1E+2`, `1_000` and `+5` are refused with a message naming the field on every door — the API's
serializers, the pages' forms, the services and the master-data import — where int()/Decimal()/float() would
read them as 100, 1000 or 5."""
from decimal import Decimal

import pytest
from django import forms
from rest_framework import serializers

from billing.models import VisitCharge
from receivables.models import SalesConfirmation
from servicedesk.models import Equipment
from servicedesk.quantities import QuantityError, QuantityField, QuantityFormField, parse_quantity
from tests.billing.factories import line, retail
from tests.factories import ClientFactory

ODD = ["١٠٠", "１００", "1E+2", "1e2", "1_000", "+5", "-1", "1,000", "0x10", "NaN", "Infinity", " ", True]


@pytest.mark.parametrize("raw, expected", [("3", 3), (" 12 ", 12), (7, 7), ("007", 7), ("2.0", 2), (2.0, 2), (Decimal("4"), 4)])
def test_plain_counts_are_read(raw, expected):
    assert parse_quantity(raw, field="quantity") == expected


@pytest.mark.parametrize("raw", ODD + ["2.5", "0", 0])
def test_everything_else_is_refused_naming_the_field(raw):
    with pytest.raises(QuantityError) as exc:
        parse_quantity(raw, field="quantity", label="数量")
    assert exc.value.field == "quantity" and str(exc.value.message).startswith("数量:")


def test_decimal_quantities_keep_two_places():
    assert parse_quantity("2.5", field="q", decimal_places=2, min_value=Decimal("0.01")) == Decimal("2.50")
    for raw in ["1E+2", "١٠٠", "1_000.5", "+2.5", "2.555", "0.00"]:
        with pytest.raises(QuantityError):
            parse_quantity(raw, field="q", decimal_places=2, min_value=Decimal("0.01"))


def test_the_form_and_serializer_fields():
    form_field = QuantityFormField(label="数量", required=False)
    assert form_field.clean("3") == 3 and form_field.clean("") is None
    with pytest.raises(forms.ValidationError) as exc:
        form_field.clean("１００")
    assert "数量:不是有效的数量" in exc.value.messages[0]
    field = QuantityField(max_value=10)
    field.bind("quantity", None)
    assert field.run_validation("4") == 4
    with pytest.raises(serializers.ValidationError) as exc:
        field.run_validation("11")
    assert "1 到 10" in str(exc.value.detail)


# --------------------------------------------------------------------------- every door


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", ["١٠٠", "１００", "1E+2", "1_000", "+5"])
def test_the_quote_preview_refuses_odd_quantities_by_row(api, coordinator, quantity):
    r = api(coordinator).post("/api/billing/quote-preview/", {"client": retail().pk, "date": "2026-11-20",
                                                              "lines": [line("part", "10.00", quantity=quantity)]}, format="json")
    assert r.status_code == 400, r.content
    errors = r.json()["lines"]
    row = errors[0] if isinstance(errors, list) else errors["0"]
    assert "不是有效的数量" in row["quantity"][0]
    assert VisitCharge.objects.count() == 0


@pytest.mark.django_db
def test_the_quote_preview_still_multiplies_a_plain_quantity(api, coordinator):
    r = api(coordinator).post("/api/billing/quote-preview/", {"client": retail().pk, "date": "2026-11-20",
                                                              "lines": [line("part", "200.00", quantity="3")]}, format="json")
    assert r.status_code == 200 and r.json()["lines"][0]["amount"] == "750.00"  # 200 × 3 × 1.25


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", ["１００", "1_000", "+5"])
def test_equipment_api_refuses_odd_quantities(api, coordinator, quantity):
    client = ClientFactory()
    r = api(coordinator).post("/api/equipment/", {"client": client.pk, "model": "M1", "serial": "S-9", "quantity": quantity}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["quantity"]
    assert not Equipment.objects.filter(serial="S-9").exists()
    ok = api(coordinator).post("/api/equipment/", {"client": client.pk, "model": "M1", "serial": "S-9", "quantity": "2"}, format="json")
    assert ok.status_code == 201 and ok.json()["quantity"] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", ["1E+2", "١٠٠", "1_000", "+5"])
def test_sales_confirmation_api_refuses_odd_quantities(api, technician, quantity):
    r = api(technician).post("/api/receivables/confirmations/", {
        "client": retail().pk, "sold_on": "2026-11-30",
        "lines": [{"description": "硒鼓", "quantity": quantity, "unit_price": "150.00"}]}, format="json")
    assert r.status_code == 400, r.content
    assert not SalesConfirmation.objects.exists()


@pytest.mark.django_db
def test_sales_confirmation_service_refuses_odd_quantities_by_row(technician):
    """The technician's page hands the typed text to the service (receivables.views.mobile)."""
    from servicedesk.errors import DomainError
    from receivables.services.confirmations import _parse_lines as parse_lines

    with pytest.raises(DomainError) as exc:
        parse_lines([{"description": "硒鼓", "quantity": "١٠٠", "unit_price": "1.00"}])
    assert exc.value.field == "lines" and "第 1 行:数量不是有效数字" in str(exc.value.message)
    assert parse_lines([{"description": "硒鼓", "quantity": "2.5", "unit_price": "1.00"}])[0].quantity == Decimal("2.50")


@pytest.mark.django_db
def test_the_close_out_form_keeps_odd_quantities_for_billing_to_refuse():
    from dispatch.forms import lines_from

    assert lines_from({"line-0-kind": "part", "line-0-cost": "1", "line-0-quantity": "3"})[0]["quantity"] == 3
    assert lines_from({"line-0-kind": "part", "line-0-cost": "1", "line-0-quantity": "١٠٠"})[0]["quantity"] == "١٠٠"


@pytest.mark.django_db
def test_the_intake_form_refuses_full_width_digits():
    from dispatch.forms import IntakeForm

    form = IntakeForm(data={"quantity": "１００"})
    form.is_valid()
    assert "不是有效的数量" in form.errors["quantity"][0]


@pytest.mark.django_db
def test_the_masterdata_import_widget_refuses_odd_quantities():
    from servicedesk.masterdata.resources import Quantity

    widget = Quantity()
    assert widget.clean("") == 1 and widget.clean(3.0) == 3 and widget.clean("12") == 12
    for raw in ["١٠٠", "１００", "1E+2", "1_000", "+5", 2.5]:
        with pytest.raises(ValueError, match="数量应为正整数"):
            widget.clean(raw)


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", ["１００", "١٠٠", "1_000"])
def test_the_admin_refuses_odd_digits_too(coordinator, quantity):
    """The Django admin's number fields take plain ASCII digits, as the pages and the API (int() would take these)."""
    from django.test import Client as Browser

    coordinator.user.is_staff = True  # the coordinator keeps master data, in the admin too (servicedesk/roles.py)
    coordinator.user.save(update_fields=["is_staff"])
    browser = Browser(HTTP_ACCEPT_LANGUAGE="zh-hans")
    browser.force_login(coordinator.user)
    client = ClientFactory()
    form = {"client": client.pk, "site": "", "model": "M1", "serial": "S-9", "manufacturer": "", "quantity": quantity,
            "installed_on": "", "manufacturer_warranty_end": "", "company_warranty_end": ""}

    page = browser.post("/admin/servicedesk/equipment/add/", form)

    assert page.status_code == 200 and page.context["adminform"].form.errors == {"quantity": ["输入整数。"]}
    assert not Equipment.objects.filter(serial="S-9").exists()
    assert browser.post("/admin/servicedesk/equipment/add/", {**form, "quantity": "100"}).status_code == 302
    assert Equipment.objects.get(serial="S-9").quantity == 100
