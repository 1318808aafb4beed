"""R-W10 close-out on the phone: the pre-filled times are never refused (an arrival in the same minute as the
close-out), the end defaults to now rather than the arrival, the required items are marked, and the sale made
from the visit keeps each line's words and count (R-S1)."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from dispatch import services
from receivables.models import SalesConfirmation
from servicedesk.texts import render
from receivables.services.visits import _sale_line
from servicedesk.choices import ServiceMode

from ..factories import EquipmentFactory
from .conftest import at

pytestmark = pytest.mark.django_db


def _on_site(order, technician, coordinator, arrived_at):
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=arrived_at - timedelta(minutes=30))
    services.accept(work_order=order, by=technician, now=arrived_at - timedelta(minutes=29))
    services.contact(work_order=order, by=technician, promised_at=arrived_at, now=arrived_at - timedelta(minutes=28))
    services.depart(work_order=order, by=technician, now=arrived_at - timedelta(minutes=20))
    services.arrive(work_order=order, by=technician, now=arrived_at)


def _prefilled(html: str) -> dict:
    return {name: value for name, value in re.findall(r'name="(\w+_at)" value="([^"]*)"', html)}


def test_the_prefilled_times_of_an_arrival_in_the_same_minute_are_accepted(client, coordinator, technician, order, billing_ready):
    arrived = at(16, 10, 3).replace(second=40)  # 10:03:40
    _on_site(order, technician, coordinator, arrived)
    client.force_login(technician.user)
    with time_machine.travel(arrived + timedelta(seconds=10), tick=False):  # 10:03:50, the same minute
        html = client.get(reverse("dispatch:close_out", args=[order.pk])).content.decode()
        times = _prefilled(html)
        assert times == {"started_at": "2026-11-16T10:03", "ended_at": "2026-11-16T10:03", "completed_at": "2026-11-16T10:03"}
        data = {**times, "work_done": "清洁", "fault_cause": "灰尘", "advice": "定期保养", "signature_name": "王经理", "line-0-kind": ""}
        r = client.post(reverse("dispatch:close_out", args=[order.pk]), data)
    assert r.status_code == 302, re.findall(r'class="errorlist[^>]*>(.*?)</ul>', r.content.decode())
    order.refresh_from_db()
    assert order.status == "resolved"


def test_the_end_defaults_to_now_and_the_required_items_are_marked(client, coordinator, technician, order):
    arrived = at(16, 10, 0)
    _on_site(order, technician, coordinator, arrived)
    client.force_login(technician.user)
    with time_machine.travel(arrived + timedelta(minutes=40), tick=False):
        html = client.get(reverse("dispatch:close_out", args=[order.pk])).content.decode()
    assert _prefilled(html) == {"started_at": "2026-11-16T10:00", "ended_at": "2026-11-16T10:40", "completed_at": "2026-11-16T10:40"}
    for name in ("fault_cause", "advice", "work_done", "signature_name"):
        field = re.search(rf'<label for="id_{name}">(.*?)</label>\s*<(?:textarea|input)[^>]*>', html, re.S)
        assert field and 'class="req"' in field.group(1) and " required" in field.group(0), name


def test_the_sale_from_the_visit_keeps_each_lines_words_and_count(coordinator, technician, make_order, billing_ready):
    old = EquipmentFactory(installed_on=at(1, 9).date().replace(year=2022), manufacturer_warranty_end=None, company_warranty_end=None)
    order = make_order(equipment=old, service_mode=ServiceMode.MOBILE)
    arrived = at(16, 10, 0)
    _on_site(order, technician, coordinator, arrived)
    done = arrived + timedelta(minutes=45)
    services.resolve(
        work_order=order, by=technician, now=done, work_done="更换搓纸轮", fault_cause="搓纸轮磨损", advice="定期清洁",
        lines=[{"kind": "consumable", "item": "other", "description": "搓纸轮", "cost": "40", "quantity": 2}],
        started_at=arrived, ended_at=done, signature_name="王经理", completed_at=done,
    )
    sale = SalesConfirmation.objects.get(work_order=order, from_visit=True)
    first = sale.lines.order_by("position").first()
    # R-P2 retail consumable: 40.00 × 2 × 1.36 = 108.80, i.e. 2 at 54.40
    assert (first.description, first.quantity, first.unit_price, first.amount) == ("搓纸轮", Decimal("2"), Decimal("54.40"), Decimal("108.80"))


def test_a_line_whose_amount_does_not_split_into_cents_is_one_lot_named_with_its_count():
    description, quantity, unit = _sale_line("墨盒", 3, Decimal("100.00"))
    assert (render(description), quantity, unit) == ("墨盒 × 3", Decimal("1"), Decimal("100.00"))
    assert _sale_line("墨盒", 4, Decimal("100.00")) == ("墨盒", Decimal("4"), Decimal("25.00"))
