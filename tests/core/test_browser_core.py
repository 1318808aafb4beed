"""At 375 px (real headless Chromium): the 403 page, the home page and the work-order cards fit the phone;
the phone header is small; at 1280 px the nav is one row and the language switch does not wrap."""
from datetime import timedelta


from servicedesk.models import WorkOrder

from ..browser import assert_fits, chromium, marks, new_page, session_of, shot
from ..factories import ClientFactory, SiteFactory

pytestmark = marks


def test_phone_pages_fit_375px_and_desktop_nav_is_one_row(live_server, technician, manager, fixed_now):
    c = ClientFactory(name="上海某某科技发展有限公司第一分公司")
    site = SiteFactory(client=c)
    now = fixed_now
    WorkOrder.objects.bulk_create([
        WorkOrder(number=f"WO-B{i:04d}", client=c, site=site, contact_name="王", contact_phone="13900000000", content="repair",
                  status="dispatched", technician=technician, created_at=now - timedelta(minutes=i)) for i in range(8)
    ])
    tech_session, manager_session = session_of(technician), session_of(manager)  # DB work before the browser's event loop
    with chromium() as browser:
        page = new_page(browser, live_server, tech_session)
        for path, name in [("/core/parameters/", "403-375.png"), ("/", "home-technician-375.png"), ("/core/work-orders/", "wo-list-375.png")]:
            resp = page.goto(f"{live_server.url}{path}")
            res = assert_fits(page, name)
            assert res["width"] == 375, (path, res)
            assert res["header"] < 80, (path, res)
            if path == "/core/parameters/":
                assert resp.status == 403 and "无权访问此页面" in page.content()
        page = new_page(browser, live_server, manager_session, width=1280, height=900)
        page.goto(f"{live_server.url}/core/parameters/")
        shot(page, "parameters-1280")
        tops = page.evaluate("() => [...document.querySelectorAll('nav.main.desk > a, nav.main.desk > details')].map(e => Math.round(e.getBoundingClientRect().top))")
        assert len(set(tops)) == 1, tops  # one row
        form = page.evaluate("() => { const f = document.querySelector('form.lang'); return [f.querySelector('select').getBoundingClientRect().top, f.querySelector('button').getBoundingClientRect().top]; }")
        assert abs(form[0] - form[1]) < 12, form  # the language switch does not wrap
        assert page.locator("nav.main.desk a.active").count() == 1
