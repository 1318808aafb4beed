"""R-R6: maintenance contracts — inspection work orders ahead of time (once per slot), fulfilment, renewal."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dispatch.contracts import services
from dispatch.contracts.models import Inspection
from dispatch.contracts.selectors import is_fulfilled, slots
from servicedesk.choices import ServiceContent, WorkOrderStatus
from servicedesk.models import RuleParameter, WorkOrder
from servicedesk.texts import render

from ..factories import ClientFactory, EquipmentFactory, SiteFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(y, m, d, h=6):
    return datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def contract(manager):
    client = ClientFactory(salesperson=staff_with("sales", name="孙业务"))
    site = SiteFactory(client=client)
    eq = [EquipmentFactory(client=client, site=site) for _ in range(2)]
    return services.create_contract(by=manager, now=at(2026, 1, 1), number="WB-2026-001", client=client, site=site,
                                    starts_on=date(2026, 1, 10), ends_on=date(2026, 12, 31), frequency="3", equipment=eq, amount="48000")


def test_r_r6_the_schedule_of_the_term(contract):
    assert slots(contract) == [date(2026, 1, 10), date(2026, 4, 10), date(2026, 7, 10), date(2026, 10, 10)]


def test_r_r6_inspection_work_orders_once_per_slot_even_when_the_job_runs_twice(contract):
    assert services.generate_inspections(now=at(2026, 1, 2)) == 0  # 8 days ahead: outside the 7-day window
    assert services.generate_inspections(now=at(2026, 1, 3)) == 1
    assert services.generate_inspections(now=at(2026, 1, 3)) == 0
    assert services.generate_inspections(now=at(2026, 1, 4, 12)) == 0
    wo = Inspection.objects.get(contract=contract, slot=date(2026, 1, 10)).work_order
    assert wo.content == ServiceContent.MAINTENANCE and wo.status == WorkOrderStatus.NEW and "WB-2026-001" in wo.description
    assert wo.required_at == at(2026, 1, 10, 9)
    assert WorkOrder.objects.count() == 1


def test_r_r6_the_look_ahead_is_a_parameter(contract):
    RuleParameter.objects.filter(name="contract.inspection_ahead_days").update(value=10)
    assert services.generate_inspections(now=at(2026, 1, 1)) == 1


def test_r_r6_the_job_via_celery_is_idempotent(contract):
    import time_machine

    from dispatch.contracts.tasks import inspections_task

    with time_machine.travel(at(2026, 4, 5), tick=False):
        assert inspections_task.delay().get() == 1
        assert inspections_task.delay().get() == 0
    assert Inspection.objects.filter(slot=date(2026, 4, 10)).count() == 1


def test_r_r6_fulfilled_when_every_scheduled_inspection_was_done(contract):
    for day in (date(2026, 1, 3), date(2026, 4, 3), date(2026, 7, 3), date(2026, 10, 3)):
        services.generate_inspections(now=at(day.year, day.month, day.day))
    assert Inspection.objects.count() == 4
    assert not is_fulfilled(contract)
    WorkOrder.objects.filter(inspection__isnull=False).exclude(inspection__slot=date(2026, 10, 10)).update(status=WorkOrderStatus.CLOSED)
    assert not is_fulfilled(contract)
    WorkOrder.objects.filter(inspection__slot=date(2026, 10, 10)).update(status=WorkOrderStatus.RESOLVED)
    assert is_fulfilled(contract)


def test_r_r6_renewal_is_reminded_once_before_the_term_ends(contract, manager):
    assert services.remind_renewals(now=at(2026, 11, 30)) == 0
    assert services.remind_renewals(now=at(2026, 12, 1)) == 1
    assert services.remind_renewals(now=at(2026, 12, 2)) == 0
    assert manager.notifications.filter(text__contains="WB-2026-001").count() == 1
    assert contract.client.salesperson.notifications.count() == 1


def test_r_r6_the_renewal_alert_reads_in_each_readers_language(contract, manager):
    """Rule 7: the alert is stored as a message, so the reader's language decides, not the writer's."""
    with translation.override("zh-hans"):
        services.remind_renewals(now=at(2026, 12, 1))
    alert = manager.notifications.get()
    c = contract
    assert render(alert.message, language="en") == (
        f"Maintenance contract {c.number} ({c.client.name}) expires on {c.ends_on:%Y-%m-%d}; please contact the client about renewal.")
    assert render(alert.message, language="zh-hans") == f"维保合同 {c.number}({c.client.name})将于 {c.ends_on:%Y-%m-%d} 到期,请联系客户续约。"


def test_r_r6_bad_contract_input(manager):
    client = ClientFactory()
    with pytest.raises(ValidationError) as exc:
        services.create_contract(by=manager, now=at(2026, 1, 1), number="", client=client, site=SiteFactory(),
                                 starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 1), frequency="5")
    assert set(exc.value.message_dict) == {"number", "site", "ends_on", "frequency"}


def test_contract_pages_and_api(client, api, contract, manager, technician):
    services.generate_inspections(now=at(2026, 1, 3))
    client.force_login(manager.user)
    assert "WB-2026-001" in client.get("/dispatch/contracts/").content.decode()
    html = client.get(f"/dispatch/contracts/{contract.pk}/").content.decode()
    assert "2026-04-10" in html and "未生成" in html
    body = api(manager).get(f"/api/maintenance-contracts/{contract.pk}/").json()
    assert body["fulfilled"] is False and body["schedule"][0]["work_order"] is not None and len(body["schedule"]) == 4
    assert api(technician).get("/api/maintenance-contracts/").status_code == 403


def test_contract_create_page(client, manager):
    site = SiteFactory()
    eq = EquipmentFactory(client=site.client, site=site)
    client.force_login(manager.user)
    bad = client.post("/dispatch/contracts/new/", {"number": "WB-9", "client": site.client_id, "site": site.pk, "starts_on": "2026-03-01",
                                                   "ends_on": "2026-02-01", "frequency": "3"})
    assert bad.status_code == 200 and "不能早于开始日期" in bad.content.decode()
    ok = client.post("/dispatch/contracts/new/", {"number": "WB-9", "client": site.client_id, "site": site.pk, "starts_on": "2026-03-01",
                                                  "ends_on": "2027-02-28", "frequency": "1", "equipment": [eq.pk], "amount": "12000"})
    assert ok.status_code == 302
    from dispatch.contracts.models import MaintenanceContract

    assert list(MaintenanceContract.objects.get(number="WB-9").equipment.all()) == [eq]
