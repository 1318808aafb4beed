"""Core data validation (docs/developers.md rule 4): bad values get field-named errors and nothing is saved."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from servicedesk import services
from servicedesk.choices import ClientKind
from servicedesk.models import Client, Equipment, Staff, WorkOrder, WorkOrderEvent

from .factories import ClientFactory, EquipmentFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_invalid_phone_is_refused_on_the_phone_field():
    client = ClientFactory()
    site = SiteFactory.build(client=client, phone="12345")
    with pytest.raises(ValidationError) as exc:
        services.save_record(site)
    assert "phone" in exc.value.message_dict


@pytest.mark.parametrize("phone", ["13812345678", "0755-83451234", "075583451234", "400-820-8820", "138 1234 5678"])
def test_valid_chinese_phone_numbers_are_accepted(phone):
    site = services.save_record(SiteFactory.build(client=ClientFactory(), phone=phone))
    assert " " not in site.phone


def test_serial_unique_per_model_names_the_serial_field():
    first = EquipmentFactory(model="HP LaserJet 1020", serial="CNB123")
    dup = Equipment(client=first.client, model="HP LaserJet 1020", serial="CNB123")
    with pytest.raises(ValidationError) as exc:
        services.save_record(dup)
    assert list(exc.value.message_dict) == ["serial"]
    # the same serial under another model is fine
    services.save_record(Equipment(client=first.client, model="Canon LBP2900", serial="CNB123"))


def test_warranty_end_before_installation_is_refused():
    eq = EquipmentFactory.build(client=ClientFactory(), site=None, installed_on=date(2026, 5, 1), company_warranty_end=date(2026, 4, 1))
    with pytest.raises(ValidationError) as exc:
        services.save_record(eq)
    assert "company_warranty_end" in exc.value.message_dict


def test_equipment_at_a_site_of_another_client_is_refused():
    site_of_other = SiteFactory()
    eq = EquipmentFactory.build(client=ClientFactory(), site=site_of_other)
    with pytest.raises(ValidationError) as exc:
        services.save_record(eq)
    assert "site" in exc.value.message_dict
    assert not Equipment.objects.filter(serial=eq.serial).exists()


def test_agreement_start_only_for_key_accounts():
    with pytest.raises(ValidationError) as exc:
        services.save_record(Client(name="某零售店", kind=ClientKind.RETAIL, department="bidding", agreement_start=date(2026, 1, 1)))
    assert "agreement_start" in exc.value.message_dict


def test_warranty_state_on_dates():
    eq = EquipmentFactory(manufacturer_warranty_end=date(2026, 6, 30), company_warranty_end=date(2027, 6, 30))
    assert eq.warranty_state(date(2026, 6, 30)) == "manufacturer"
    assert eq.warranty_state(date(2026, 7, 1)) == "company"
    assert eq.warranty_state(date(2027, 7, 1)) == "none"


def test_unknown_role_is_refused_and_no_user_created():
    from django.contrib.auth import get_user_model

    with pytest.raises(ValidationError) as exc:
        services.create_staff(username="x1", name="某人", roles=["technician", "wizard"])
    assert "roles" in exc.value.message_dict
    assert not get_user_model().objects.filter(username="x1").exists()


def test_staff_roles_come_from_groups():
    s = services.create_staff(username="t1", name="王五", roles=["technician", "team_lead"], password="pw-123456x")
    s = Staff.objects.get(pk=s.pk)
    assert s.roles == ["technician", "team_lead"] and s.has_role("team_lead") and not s.has_role("manager")


def test_work_order_intake_numbers_and_stamps_history(coordinator):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    site = SiteFactory()
    now = datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    wo = services.create_work_order(
        by=coordinator, now=now, client=site.client, site=site, contact_name="刘女士", contact_phone="13912345678", content="repair"
    )
    wo2 = services.create_work_order(
        by=coordinator, now=now, client=site.client, site=site, contact_name="刘女士", contact_phone="13912345678", content="install"
    )
    assert (wo.number, wo2.number) == ("WO-2026-11-0001", "WO-2026-11-0002")
    ev = WorkOrderEvent.objects.get(work_order=wo)
    assert (ev.action, ev.by, ev.at) == ("created", coordinator, now)


def test_work_order_with_site_of_another_client_is_refused_nothing_saved(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.create_work_order(
            by=coordinator, client=ClientFactory(), site=SiteFactory(), contact_name="x", contact_phone="13912345678", content="repair"
        )
    assert "site" in exc.value.message_dict
    assert WorkOrder.objects.count() == 0
