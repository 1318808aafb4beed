"""R-W1 intake without a browser: a second order for a device that already has an open one is held back with a
link to the open order until the coordinator confirms it is another request; a new caller's mistakes (client,
site and order) are all named in one answer; the new-client path needs no existing site."""
import re

import pytest
import time_machine
from django.urls import reverse

from servicedesk.models import Client, WorkOrder

from ..factories import EquipmentFactory
from .conftest import at

pytestmark = pytest.mark.django_db
NOW = at(23, 14, 0)


def _order(**over):
    data = {"quantity": 1, "content": "repair", "channel": "phone", "service_mode": "mobile", "description": "卡纸",
            "required_at": "2026-11-24T10:00", "cooperation_chargeable": "", "contact_name": "陈先生", "contact_phone": "13912345678"}
    return {**data, **over}


@pytest.fixture
def desk(client, coordinator):
    client.force_login(coordinator.user)
    with time_machine.travel(NOW, tick=False):
        yield client


def test_a_second_order_for_a_device_with_an_open_one_is_warned_with_a_link_then_taken_on_purpose(desk):
    eq = EquipmentFactory()
    fields = _order(client=eq.client.pk, site=eq.site.pk, equipment=eq.pk)
    assert desk.post(reverse("dispatch:intake"), fields).status_code == 302
    first = WorkOrder.objects.get()
    r = desk.post(reverse("dispatch:intake"), fields)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="open-orders"' in html
    assert f'href="{reverse("servicedesk:work_order_detail", args=[first.pk])}"' in html and first.number in html
    assert WorkOrder.objects.count() == 1
    assert desk.post(reverse("dispatch:intake"), {**fields, "confirm_duplicate": "1"}).status_code == 302
    assert WorkOrder.objects.count() == 2
    # another device of the same client is not held back
    other = EquipmentFactory(client=eq.client, site=eq.site)
    assert desk.post(reverse("dispatch:intake"), {**fields, "equipment": other.pk}).status_code == 302


def test_a_new_callers_mistakes_are_all_named_at_once(desk):
    new = {
        "new_client": "1", "new-name": "深圳市新来电科技有限公司", "new-kind": "retail", "new-department": "bidding", "new-phone": "12",
        "new-site_name": "总部", "new-address": "深圳市南山区科技园1号", "new-area": "南山区", "new-site_contact": "陈先生",
        "new-site_phone": "34",
    }
    r = desk.post(reverse("dispatch:intake"), {**_order(required_at="2026-11-20T10:00", contact_name="", contact_phone=""), **new})
    html = r.content.decode()
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, flags=re.S)
    assert len(errors) == 3, errors  # the client's phone, the site's phone, the past required time
    assert not Client.objects.filter(name="深圳市新来电科技有限公司").exists()
    fixed = {**new, "new-phone": "0755-26660000", "new-site_phone": "13800138000"}
    r = desk.post(reverse("dispatch:intake"), {**_order(contact_name="", contact_phone=""), **fixed})
    assert r.status_code == 302
    wo = WorkOrder.objects.get(client__name="深圳市新来电科技有限公司")
    assert (wo.contact_name, wo.contact_phone) == ("陈先生", "13800138000")  # the site's contact when none is given
