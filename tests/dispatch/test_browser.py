""""My work" and the close-out form fit a 375 px phone (real headless Chromium via Playwright)."""
from datetime import timedelta


from dispatch import services

from ..browser import assert_fits, chromium, marks, new_page, session_of

pytestmark = marks


def test_my_work_and_close_out_fit_375px(live_server, coordinator, technician, make_order, equipment, fixed_now):
    now = fixed_now
    orders = [make_order(equipment=equipment, description="打印机卡纸,进纸器异响,客户很着急" * 3) for _ in range(3)]
    for wo in orders:
        services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=now, force=True)
    wo = orders[0]
    services.accept(work_order=wo, by=technician, now=now)
    services.contact(work_order=wo, by=technician, promised_at=now + timedelta(hours=1), now=now)
    services.depart(work_order=wo, by=technician, now=now)
    services.arrive(work_order=wo, by=technician, now=now)
    session = session_of(technician)
    with chromium() as browser:
        page = new_page(browser, live_server, session)
        page.goto(f"{live_server.url}/dispatch/my/")
        assert "我的工作" in page.content()
        assert_fits(page)
        page.goto(f"{live_server.url}/dispatch/my/{wo.pk}/")
        assert_fits(page)
        page.goto(f"{live_server.url}/dispatch/my/{wo.pk}/close-out/")
        assert "服务单" in page.content()
        assert_fits(page)
