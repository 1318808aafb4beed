"""Issue 13 §9, §10 at 375 px: intake with a new client, the over-limit confirmation and the cancel confirmation fit a phone."""
import os

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dispatch import services

from .test_browser import ARGS, CHROMIUM, _assert_fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp/servicedesk-screenshots")


def test_intake_new_client_and_confirmations_on_a_phone(live_server, coordinator, technician, make_order, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.makedirs(SHOTS, exist_ok=True)
    for _ in range(3):
        services.dispatch_work_order(work_order=make_order(), technician=technician, by=coordinator, now=timezone.now())
    fourth = make_order()
    django_client = Client()
    django_client.force_login(coordinator.user)
    session = django_client.cookies["sessionid"].value
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN", is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/dispatch/intake/")
            page.click("#new-client summary")
            page.check("input[name=new_client]")
            _assert_fits(page)
            page.screenshot(path=f"{SHOTS}/coordinator-intake-new-client-375.png", full_page=True)
            # cancelling asks first (issue 13 §10)
            page.goto(f"{live_server.url}{reverse('servicedesk:work_order_detail', args=[fourth.pk])}")
            page.fill("input[name=reason]", "客户自行解决")
            page.click("text=取消工单…")
            page.wait_for_load_state("load")
            assert "确认取消工单" in page.content()
            _assert_fits(page)
            page.screenshot(path=f"{SHOTS}/coordinator-cancel-confirm-375.png", full_page=True)
            fourth.refresh_from_db()
            assert fourth.status == "new"
            page.click("button:has-text('确认取消工单')")
            page.wait_for_load_state("load")
            fourth.refresh_from_db()
            assert fourth.status == "cancelled"
        finally:
            browser.close()
