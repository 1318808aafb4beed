"""R-W1, R-W8 and R-W3 at 375 px (rule 7): intake with a new client, the over-limit confirmation and the cancel
confirmation fit a phone."""
from django.urls import reverse

from dispatch import services

from ..browser import assert_fits, chromium, marks, new_page, session_of

pytestmark = marks


def test_intake_new_client_and_confirmations_on_a_phone(live_server, coordinator, technician, make_order, monkeypatch, fixed_now):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    for _ in range(3):
        services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=fixed_now)
    fourth = make_order()
    session = session_of(coordinator)
    with chromium() as browser:
        page = new_page(browser, live_server, session)
        page.goto(f"{live_server.url}/dispatch/intake/")
        page.click("#new-client summary")
        page.check("input[name=new_client]")
        assert_fits(page, "coordinator-intake-new-client-375")
        # cancelling asks first (R-W3)
        page.goto(f"{live_server.url}{reverse('servicedesk:work_order_detail', args=[fourth.pk])}")
        page.fill("input[name=reason]", "客户自行解决")
        page.click("text=取消工单…")
        page.wait_for_load_state("load")
        assert "确认取消工单" in page.content()
        assert_fits(page, "coordinator-cancel-confirm-375")
        fourth.refresh_from_db()
        assert fourth.status == "new"
        page.click("button:has-text('确认取消工单')")
        page.wait_for_load_state("load")
        fourth.refresh_from_db()
        assert fourth.status == "cancelled"
