"""Board, intake, my work, close-out pages: render, act, constant queries for 10 vs 1000 open orders."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch import services
from dispatch.views import MY_WORK_ROWS
from servicedesk.choices import Role
from servicedesk.models import WorkOrder

from ..factories import ClientFactory, EquipmentFactory, SiteFactory, staff_with

pytestmark = pytest.mark.django_db


def _bulk_orders(n, *, client, site, now, technician=None, status="new"):
    """n orders created in the n minutes before `now`, oldest first."""
    WorkOrder.objects.bulk_create(
        [
            WorkOrder(
                number=f"WO-BULK-{status[:1]}{i:05d}", client=client, site=site, contact_name="王", contact_phone="13900000000",
                content="repair", status=status, technician=technician, created_at=now - timedelta(minutes=n - i),
            )
            for i in range(n)
        ]
    )


def _login(client, staff):
    client.force_login(staff.user)
    return client


@pytest.mark.parametrize("n", [10, 1000])
def test_board_constant_queries(client, coordinator, technician, django_assert_max_num_queries, n, fixed_now):
    c = ClientFactory()
    site = SiteFactory(client=c)
    _bulk_orders(n, client=c, site=site, now=fixed_now)
    _bulk_orders(n, client=c, site=site, now=fixed_now, technician=technician, status="dispatched")
    staff_with(Role.TECHNICIAN, name="二号", area="南山区")
    _login(client, coordinator)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("dispatch:board_partial"))
    assert r.status_code == 200
    with django_assert_max_num_queries(24):
        r = client.get(reverse("dispatch:board"))
    assert r.status_code == 200 and 'hx-trigger="every 5s' in r.content.decode()


@pytest.mark.parametrize("n", [10, 1000])
def test_my_work_constant_queries(client, technician, django_assert_max_num_queries, n, fixed_now):
    c = ClientFactory()
    site = SiteFactory(client=c)
    _bulk_orders(n, client=c, site=site, now=fixed_now, technician=technician, status="dispatched")
    _login(client, technician)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("dispatch:my_work"))
    assert r.status_code == 200
    assert r.content.decode().count("WO-BULK-") == min(n, MY_WORK_ROWS)  # one bounded page (rule 8)


def test_board_assign_then_reassign_in_one_action(client, coordinator, technician, other_technician, order):
    _login(client, coordinator)
    r = client.post(reverse("dispatch:assign", args=[order.pk]), {"technician": technician.pk, "version": 0})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.technician == technician
    r = client.post(reverse("dispatch:assign", args=[order.pk]), {"technician": other_technician.pk, "version": order.version})
    order.refresh_from_db()
    assert order.technician == other_technician


def test_board_stale_double_dispatch_message_names_who(client, coordinator, technician, other_technician, order, fixed_now):
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=fixed_now, version=0)
    second = staff_with(Role.COORDINATOR, name="陈协调")
    _login(client, second)
    r = client.post(reverse("dispatch:assign", args=[order.pk]), {"technician": other_technician.pk, "version": 0}, follow=True)
    assert coordinator.name in r.content.decode()
    order.refresh_from_db()
    assert order.technician == technician


def test_board_load_warning_asks_to_confirm(client, make_order, coordinator, technician, fixed_now):
    for _ in range(3):
        services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=fixed_now)
    wo = make_order()
    _login(client, coordinator)
    r = client.post(reverse("dispatch:assign", args=[wo.pk]), {"technician": technician.pk, "version": 0})
    page = r.content.decode()
    assert r.status_code == 409 and page.count("R-W8") == 1 and "R-W8 R-W8" not in page
    # the page tells the coordinator to tick "确认超限派单": that checkbox is on the page
    assert "确认超限派单" in page and 'type="checkbox" id="id_force" name="force"' in page
    # submitting without ticking it dispatches nothing (the page comes back)
    r = client.post(reverse("dispatch:assign", args=[wo.pk]), {"technician": technician.pk, "version": 0})
    assert r.status_code == 409
    wo.refresh_from_db()
    assert wo.technician is None
    r = client.post(reverse("dispatch:assign", args=[wo.pk]), {"technician": technician.pk, "version": 0, "force": "on"})
    assert r.status_code == 302
    wo.refresh_from_db()
    assert wo.technician == technician


def test_board_forbidden_to_technicians(client, technician):
    _login(client, technician)
    assert client.get(reverse("dispatch:board")).status_code == 403


def test_intake_lookup_by_serial_shows_warranty_and_kind(client, coordinator, fixed_now):
    today = fixed_now.date()  # the page judges the warranty on the test clock's day: dates relative to it
    eq = EquipmentFactory(
        serial="ABC12345",
        manufacturer_warranty_end=today + timedelta(days=40),
        company_warranty_end=today + timedelta(days=400),
    )
    _login(client, coordinator)
    r = client.get(reverse("dispatch:lookup"), {"q": "abc123"})
    html = r.content.decode()
    assert eq.client.name in html and "零散客户" in html and "厂商保修" in html
    r = client.get(reverse("dispatch:pick"), {"client": eq.client.pk, "equipment": eq.pk})
    assert r.status_code == 200 and eq.serial in r.content.decode()


def test_intake_creates_work_order(client, coordinator, fixed_now):
    eq = EquipmentFactory()
    _login(client, coordinator)
    r = client.post(
        reverse("dispatch:intake"),
        {
            "client": eq.client.pk, "site": eq.site.pk, "contact_name": "王经理", "contact_phone": "13900000000",
            "equipment": eq.pk, "equipment_model": eq.model, "equipment_serial": eq.serial, "quantity": 1,
            "content": "repair", "channel": "phone", "service_mode": "mobile", "description": "打印模糊",
            "required_at": (fixed_now + timedelta(days=1)).strftime("%Y-%m-%dT10:00"), "cooperation_chargeable": "",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    wo = WorkOrder.objects.get(client=eq.client)
    assert wo.status == "new" and wo.equipment == eq


def test_mobile_steps_and_someone_elses_order(client, coordinator, technician, other_technician, order, fixed_now):
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=fixed_now)
    _login(client, technician)
    r = client.get(reverse("dispatch:mobile_order", args=[order.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and f"tel:{order.contact_phone}" in html and "接单" in html
    client.post(reverse("dispatch:step", args=[order.pk, "accept"]), {"version": 1})
    order.refresh_from_db()
    assert order.status == "accepted"
    # a stale form (version 1) after the step is refused with a message, nothing changes
    r = client.post(reverse("dispatch:step", args=[order.pk, "depart"]), {"version": 1}, follow=True)
    assert "请刷新" in r.content.decode()
    _login(client, other_technician)
    assert client.get(reverse("dispatch:mobile_order", args=[order.pk])).status_code == 404  # rule 6: not revealed
    r = client.post(reverse("dispatch:step", args=[order.pk, "contact"]), {"promised_at": "2026-11-20T10:00"})
    assert r.status_code == 404


def test_close_out_page_missing_signature_is_named(client, coordinator, technician, order, billing_ready, fixed_now):
    now = fixed_now
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=now)
    services.accept(work_order=order, by=technician, now=now)
    services.contact(work_order=order, by=technician, promised_at=now + timedelta(hours=1), now=now)
    services.depart(work_order=order, by=technician, now=now)
    services.arrive(work_order=order, by=technician, now=now)
    _login(client, technician)
    r = client.get(reverse("dispatch:close_out", args=[order.pk]))
    assert r.status_code == 200
    local = timezone.localtime(now + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "work_done": "清洁", "fault_cause": "灰尘", "advice": "保养", "started_at": local, "ended_at": local,
        "completed_at": local, "signature_name": "", "line-0-kind": "part", "line-0-cost": "-3",
    }
    r = client.post(reverse("dispatch:close_out", args=[order.pk]), data)
    html = r.content.decode()
    assert r.status_code == 200 and "客户签名" in html and "负数" in html
    r = client.post(reverse("dispatch:quote", args=[order.pk]), {"line-0-kind": "part", "line-0-cost": "200"})
    assert r.status_code == 200 and "R-" in r.content.decode()
    data.update({"signature_name": "王经理", "line-0-cost": "200"})
    r = client.post(reverse("dispatch:close_out", args=[order.pk]), data)
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.status == "resolved"


def test_refuse_and_handover_pages(client, coordinator, technician, team_lead, make_order, fixed_now):
    now = fixed_now
    a, b = make_order(), make_order()
    for wo in (a, b):
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=now)
    _login(client, technician)
    r = client.post(reverse("dispatch:refuse", args=[a.pk]), {"reason": "", "version": 1})
    assert "拒单原因" in r.content.decode()
    r = client.post(reverse("dispatch:refuse", args=[a.pk]), {"reason": "生病", "version": 1})
    assert r.status_code == 302
    r = client.post(reverse("dispatch:handover", args=[b.pk]), {"to": team_lead.pk, "notes": "需组长处理", "version": 1})
    assert r.status_code == 302
    b.refresh_from_db()
    assert b.technician == team_lead


def test_core_work_order_page_shows_dispatch_panel(client, coordinator, technician, order, fixed_now):
    services.dispatch_work_order(work_order=order, technician=technician, by=coordinator, now=fixed_now)
    _login(client, coordinator)
    r = client.get(reverse("servicedesk:work_order_detail", args=[order.pk]))
    assert r.status_code == 200 and "派单与时限" in r.content.decode()


def test_my_work_lists_open_orders_and_those_resolved_today_not_yesterdays(client, technician, other_technician, fixed_now):
    """The phone's list: every open order of mine plus the visits I resolved today (read without a join)."""
    from dispatch.models import CloseOut

    now = fixed_now  # "today" is the test clock's day: the page reads the same clock
    c = ClientFactory()
    site = SiteFactory(client=c)
    _bulk_orders(2, client=c, site=site, now=now, technician=technician, status="dispatched")
    _bulk_orders(2, client=c, site=site, now=now, technician=technician, status="resolved")
    _bulk_orders(1, client=c, site=site, now=now, technician=other_technician, status="closed")
    today, yesterday = WorkOrder.objects.filter(status="resolved").order_by("number")
    theirs = WorkOrder.objects.get(status="closed")
    for wo, at, who in ((today, now, technician), (yesterday, now - timedelta(days=1), technician), (theirs, now, other_technician)):
        CloseOut.objects.create(
            work_order=wo, technician=who, work_done="换硒鼓", fault_cause="老化", advice="—", started_at=at - timedelta(hours=1),
            ended_at=at, signature_name="王", completed_at=at, recorded_at=at,
        )
    _login(client, technician)
    html = client.get(reverse("dispatch:my_work")).content.decode()
    shown = {wo.number for wo in WorkOrder.objects.all() if wo.number in html}
    assert shown == {"WO-BULK-d00000", "WO-BULK-d00001", today.number}
