"""R-W1 and R-W3: intake refuses a required time in the past, enters a caller who is not yet a client
(client + site + order in one transaction), and cancelling asks for confirmation."""
import pytest
import time_machine
from django.urls import reverse

from servicedesk.models import Client, Site, WorkOrder

from ..factories import ClientFactory, EquipmentFactory
from .conftest import at

pytestmark = pytest.mark.django_db

NOW = at(23, 14, 0)


def _order_fields(**over):
    data = {
        "contact_name": "陈先生", "contact_phone": "13912345678", "quantity": 1, "content": "repair", "channel": "phone",
        "service_mode": "mobile", "description": "打印机卡纸", "required_at": "2026-11-24T10:00", "cooperation_chargeable": "",
    }
    data.update(over)
    return data


@pytest.fixture
def desk(client, coordinator):
    client.force_login(coordinator.user)
    with time_machine.travel(NOW, tick=False):
        yield client


def test_required_time_in_2020_is_refused_with_a_field_error(desk):
    eq = EquipmentFactory()
    r = desk.post(reverse("dispatch:intake"), _order_fields(client=eq.client.pk, site=eq.site.pk, required_at="2020-03-01T10:00"))
    html = r.content.decode()
    assert r.status_code == 200 and "要求上门时间 2020-03-01 10:00 已经过去" in html
    assert not WorkOrder.objects.exists()


def test_required_time_a_few_minutes_ago_is_accepted(desk):
    eq = EquipmentFactory()
    r = desk.post(reverse("dispatch:intake"), _order_fields(client=eq.client.pk, site=eq.site.pk, required_at="2026-11-23T13:50"))
    assert r.status_code == 302 and WorkOrder.objects.count() == 1


def test_a_caller_who_is_not_yet_a_client_is_entered_with_the_order(desk):
    page = desk.get(reverse("dispatch:intake")).content.decode()
    assert 'name="new_client"' in page and 'name="new-name"' in page
    new = {
        "new_client": "1", "new-name": "深圳市新来电科技有限公司", "new-kind": "retail", "new-department": "bidding", "new-phone": "",
        "new-site_name": "总部", "new-address": "深圳市南山区科技园1号", "new-area": "南山区", "new-site_contact": "陈先生",
        "new-site_phone": "13912345678",
    }
    r = desk.post(reverse("dispatch:intake"), {**_order_fields(), **new})
    assert r.status_code == 302, r.content.decode()[:3000]
    client = Client.objects.get(name="深圳市新来电科技有限公司")
    wo = WorkOrder.objects.get(client=client)
    assert wo.site == Site.objects.get(client=client, name="总部") and wo.site.area == "南山区" and wo.status == "new"


def test_a_bad_new_client_saves_nothing_and_names_the_field(desk):
    ClientFactory(name="已有客户")
    new = {
        "new_client": "1", "new-name": "已有客户", "new-kind": "retail", "new-department": "bidding",
        "new-site_name": "总部", "new-address": "深圳市南山区", "new-area": "南山区", "new-site_contact": "陈先生",
        "new-site_phone": "13912345678",
    }
    r = desk.post(reverse("dispatch:intake"), {**_order_fields(), **new})
    assert r.status_code == 200 and "客户名称" in r.content.decode()
    assert Client.objects.count() == 1 and not Site.objects.exists() and not WorkOrder.objects.exists()
    # the site is invalid (bad phone): the client is not kept either
    new.update({"new-name": "另一家新客户", "new-site_phone": "abc"})
    r = desk.post(reverse("dispatch:intake"), {**_order_fields(), **new})
    assert r.status_code == 200 and not Client.objects.filter(name="另一家新客户").exists() and not WorkOrder.objects.exists()


def test_new_client_from_intake_is_for_the_desk_only(client, technician):
    client.force_login(technician.user)
    assert client.post(reverse("dispatch:intake"), {**_order_fields(), "new_client": "1", "new-name": "x"}).status_code == 403
    assert not Client.objects.exists()


def test_cancelling_asks_for_confirmation_first(client, coordinator, order):
    client.force_login(coordinator.user)
    url = reverse("dispatch:desk_step", args=[order.pk, "cancel"])
    r = client.post(url, {"reason": "客户自行解决", "version": order.version})
    html = r.content.decode()
    assert r.status_code == 200 and "确认取消工单" in html and order.number in html and 'name="confirmed" value="1"' in html
    order.refresh_from_db()
    assert order.status == "new"
    r = client.post(url, {"reason": "客户自行解决", "version": order.version, "confirmed": "1"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "cancelled"
