"""The technician's sales pages fit a 375 px phone (real headless Chromium via Playwright), with screenshots."""
from datetime import date

from receivables import services

from ..browser import assert_fits, chromium, marks, new_page, session_of
from .factories import at, confirmation, retail_client

pytestmark = marks


def test_sales_ledger_sale_and_counter_sale_fit_375px(live_server, technician, finance):
    client = retail_client(name="深圳市福田区某某科技发展有限公司(门市部)")
    a = confirmation(technician=technician, client=client, sold_on=date(2026, 11, 20))
    paid = confirmation(technician=technician, client=client, sold_on=date(2026, 11, 16))
    services.collect_on_the_spot(confirmation=paid, method="cash", invoice_number="FP-20261116-0001", by=technician, now=at(2026, 11, 16, 15))
    session = session_of(technician)
    with chromium() as browser:
        page = new_page(browser, live_server, session)
        page.goto(f"{live_server.url}/receivables/my-ledger/")
        assert "我的销售台账" in page.content() and "FP-20261116-0001" in page.content()
        assert_fits(page, "sales_ledger")
        page.goto(f"{live_server.url}/receivables/sales/{a.pk}/")
        assert_fits(page, "sales_detail")
        page.fill("#id_signatory", "王经理")
        page.click("text=记录客户签字")
        assert "已记录客户签字" in page.content()
        page.goto(f"{live_server.url}/receivables/sales/new/")
        assert_fits(page, "sales_new")
