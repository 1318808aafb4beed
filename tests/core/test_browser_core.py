"""At 375 px (real headless Chromium): the 403 page, the home page and the work-order cards fit the phone;
the phone header is small; at 1280 px the nav is one row and the language switch does not wrap."""
import os
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from servicedesk.models import WorkOrder

from ..factories import ClientFactory, SiteFactory

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]

FIT_JS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)
    .map(e => e.tagName + '.' + e.className);
  const header = document.querySelector('header.top').getBoundingClientRect().height;
  return {width: w, scrollWidth: document.documentElement.scrollWidth, wide, header};
}"""


def _session(staff):
    c = Client()
    c.force_login(staff.user)
    return c.cookies["sessionid"].value


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_phone_pages_fit_375px_and_desktop_nav_is_one_row(live_server, technician, manager):
    sync_api = pytest.importorskip("playwright.sync_api")
    c = ClientFactory(name="上海某某科技发展有限公司第一分公司")
    site = SiteFactory(client=c)
    now = timezone.now()
    WorkOrder.objects.bulk_create([
        WorkOrder(number=f"WO-B{i:04d}", client=c, site=site, contact_name="王", contact_phone="13900000000", content="repair",
                  status="dispatched", technician=technician, created_at=now - timedelta(minutes=i)) for i in range(8)
    ])
    tech_session, manager_session = _session(technician), _session(manager)  # DB work before the browser's event loop
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            phone = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True, locale="zh-CN")
            phone.add_cookies([{"name": "sessionid", "value": tech_session, "url": live_server.url}])
            page = phone.new_page()
            for path, name in [("/core/parameters/", "403-375.png"), ("/", "home-technician-375.png"), ("/core/work-orders/", "wo-list-375.png")]:
                resp = page.goto(f"{live_server.url}{path}")
                res = page.evaluate(FIT_JS)
                _shot(page, name)
                assert res["width"] == 375 and res["scrollWidth"] <= 375 and res["wide"] == [], (path, res)
                assert res["header"] < 80, (path, res)
                if path == "/core/parameters/":
                    assert resp.status == 403 and "无权访问此页面" in page.content()
            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            desk.add_cookies([{"name": "sessionid", "value": manager_session, "url": live_server.url}])
            page = desk.new_page()
            page.goto(f"{live_server.url}/core/parameters/")
            _shot(page, "parameters-1280.png")
            tops = page.evaluate("() => [...document.querySelectorAll('nav.main.desk > a, nav.main.desk > details')].map(e => Math.round(e.getBoundingClientRect().top))")
            assert len(set(tops)) == 1, tops  # one row
            form = page.evaluate("() => { const f = document.querySelector('form.lang'); return [f.querySelector('select').getBoundingClientRect().top, f.querySelector('button').getBoundingClientRect().top]; }")
            assert abs(form[0] - form[1]) < 12, form  # the language switch does not wrap
            assert page.locator("nav.main.desk a.active").count() == 1
        finally:
            browser.close()
