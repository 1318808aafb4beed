"""Rule 7: a note the dispatch services compose for the work order's history (R-W6 "承诺 … 到达", the R-W5 reason
label) is stored as a message and read in the reader's language, on the work-order page and on the phone; what a
person typed stays as typed."""
from datetime import timedelta

import pytest
from django.utils import translation
from django.utils.translation import override

from dispatch import services
from servicedesk.models import WorkOrderEvent
from servicedesk.texts import render

from .helpers import drive


@pytest.fixture(autouse=True)
def _back_to_chinese():
    yield
    translation.activate("zh-hans")


@pytest.fixture
def contacted(order, coordinator, technician, t0):
    with override("zh-hans"):
        drive(order, to="contacted", coordinator=coordinator, technician=technician, now=t0)
    return order


def test_promised_arrival_written_in_chinese_reads_in_english_and_back(contacted):
    event = WorkOrderEvent.objects.get(work_order=contacted, action="contact")
    assert isinstance(event.note, dict)
    promised = event.data["promised_at"][:16].replace("T", " ")
    with override("en"):
        assert render(event.note) == f"Promised arrival at {promised}"
    with override("zh-hans"):
        assert render(event.note) == f"承诺 {promised} 到达"


def test_history_on_the_work_order_page_and_the_phone_follows_the_reader(contacted, coordinator, technician, client):
    client.force_login(coordinator.user)
    client.cookies["django_language"] = "en"
    body = client.get(f"/core/work-orders/{contacted.pk}/").content.decode()
    assert "Promised arrival at" in body and "承诺" not in body
    client.force_login(technician.user)
    body = client.get(f"/dispatch/my/{contacted.pk}/").content.decode()
    assert "Promised arrival at" in body and "承诺" not in body
    client.cookies["django_language"] = "zh-hans"
    body = client.get(f"/dispatch/my/{contacted.pk}/").content.decode()
    assert "承诺" in body and "Promised arrival at" not in body


def test_a_typed_note_stays_as_typed(order, coordinator, technician, t0):
    drive(order, to="dispatched", coordinator=coordinator, technician=technician, now=t0)
    with override("en"):
        services.refuse(work_order=order, by=technician, reason="客户地址不在我的片区", now=t0 + timedelta(minutes=5))
    event = WorkOrderEvent.objects.get(work_order=order, action="refuse")
    assert event.note == "客户地址不在我的片区"
    with override("en"):
        assert render(event.note) == "客户地址不在我的片区"


def test_r_w8_override_written_in_chinese_reads_in_english(make_order, coordinator, technician, t0):
    for i in range(3):
        services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=t0 + timedelta(minutes=i))
    wo = make_order()
    with override("zh-hans"):
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0 + timedelta(hours=1),
                                     force=True)
    event = WorkOrderEvent.objects.get(work_order=wo, action="dispatch")
    day = t0.date().isoformat()
    with override("en"):
        assert render(event.note) == (
            f"R-W8: {technician.name} already has 3 visits on {day} (limit 3); this would be visit no. 4."
        )
    with override("zh-hans"):
        assert render(event.note) == f"R-W8:{technician.name} {day} 已有 3 次上门(上限 3 次),这将是第 4 次。"
