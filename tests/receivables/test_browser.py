"""The technician's sales pages fit a 375 px phone (real headless Chromium via Playwright), with screenshots."""
import os
from datetime import date

import pytest
from django.test import Client

from receivables import services

from .factories import at, confirmation, retail_client

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = os.environ.get("SCREENSHOT_DIR", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]

OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  const small = [...document.querySelectorAll('main button, main .btn, main input:not([type=hidden]), main select')]
    .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 40).map(e => e.outerHTML.slice(0, 80));
  return {scrollWidth: document.documentElement.scrollWidth, wide, small};
}"""


def _check(page, name):
    res = page.evaluate(OVERFLOW_JS)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
    assert res["scrollWidth"] <= 375, res
    assert res["wide"] == [], res
    return res


def test_sales_ledger_sale_and_counter_sale_fit_375px(live_server, technician, finance):
    client = retail_client(name="深圳市福田区某某科技发展有限公司(门市部)")
    a = confirmation(technician=technician, client=client, sold_on=date(2026, 11, 20))
    paid = confirmation(technician=technician, client=client, sold_on=date(2026, 11, 16))
    services.collect_on_the_spot(confirmation=paid, method="cash", invoice_number="FP-20261116-0001", by=technician, now=at(2026, 11, 16, 15))
    django_client = Client()
    django_client.force_login(technician.user)
    session = django_client.cookies["sessionid"].value
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="zh-CN", is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/receivables/my-ledger/")
            assert "我的销售台账" in page.content() and "FP-20261116-0001" in page.content()
            _check(page, "sales_ledger")
            page.goto(f"{live_server.url}/receivables/sales/{a.pk}/")
            _check(page, "sales_detail")
            page.fill("#id_signatory", "王经理")
            page.click("text=记录客户签字")
            assert "已记录客户签字" in page.content()
            page.goto(f"{live_server.url}/receivables/sales/new/")
            _check(page, "sales_new")
        finally:
            browser.close()
