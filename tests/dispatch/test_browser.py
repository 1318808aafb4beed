""""My work" and the close-out form fit a 375 px phone (real headless Chromium via Playwright)."""
import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dispatch import services

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]

OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  return {scrollWidth: document.documentElement.scrollWidth, wide};
}"""


def _assert_fits(page):
    res = page.evaluate(OVERFLOW_JS)
    assert res["scrollWidth"] <= 375, res
    assert res["wide"] == [], res


def test_my_work_and_close_out_fit_375px(live_server, coordinator, technician, make_order, equipment):
    sync_api = pytest.importorskip("playwright.sync_api")
    now = timezone.now()
    orders = [make_order(equipment=equipment, description="打印机卡纸,进纸器异响,客户很着急" * 3) for _ in range(3)]
    for wo in orders:
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=now, force=True)
    wo = orders[0]
    services.accept(work_order=wo, by=technician, now=now)
    services.contact(work_order=wo, by=technician, promised_at=now + timedelta(hours=1), now=now)
    services.depart(work_order=wo, by=technician, now=now)
    services.arrive(work_order=wo, by=technician, now=now)
    django_client = Client()
    django_client.force_login(technician.user)
    session = django_client.cookies["sessionid"].value
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="zh-CN", is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/dispatch/my/")
            assert "我的工作" in page.content()
            _assert_fits(page)
            page.goto(f"{live_server.url}/dispatch/my/{wo.pk}/")
            _assert_fits(page)
            page.goto(f"{live_server.url}/dispatch/my/{wo.pk}/close-out/")
            assert "服务单" in page.content()
            _assert_fits(page)
        finally:
            browser.close()
