"""The resident report form, the attendance day view and the clients' signed-link pages fit a 375 px phone."""
import os
from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from dispatch.projects import services as project_services
from dispatch.resident.models import ResidentPost
from servicedesk.choices import Role

from ..factories import SiteFactory, staff_with
from .helpers import stamped_report, token_of

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = os.environ.get("H11_SHOTS", "")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium at /usr/bin/chromium"),
]

OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > w + 0.5)
    .map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
  return {scrollWidth: document.documentElement.scrollWidth, wide};
}"""


def _assert_fits(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    res = page.evaluate(OVERFLOW_JS)
    assert res["scrollWidth"] <= 375, res
    assert res["wide"] == [], res


def test_resident_pages_fit_375px(live_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    from django.utils import timezone

    cache.clear()
    site = SiteFactory(resident=True, name="国税局第一稽查局驻点")
    lead = staff_with(Role.TEAM_LEAD, Role.TECHNICIAN, name="驻点组长", resident_site=site)
    ResidentPost.objects.create(site=site, lead=lead)
    tech = staff_with(Role.TECHNICIAN, name="驻点技术员甲", resident_site=site)
    sup, mgr, gm = staff_with(Role.SUPERVISOR), staff_with(Role.MANAGER), staff_with(Role.GM_OFFICE)
    month = timezone.localdate().replace(day=1)
    report = stamped_report(tech, supervisor=sup, manager=mgr, gm=gm, month=month, now=timezone.now())
    project = project_services.create_project(
        by=mgr, now=timezone.now(), name="服务器平台软件安装", client=site.client_id, site=site.pk, kind="construction",
        contract_amount="60000", manager=lead.pk, members=[tech.pk], planned_start=date(2026, 11, 2), planned_end=date(2026, 11, 13),
        documents_due=date(2026, 11, 15),
    )
    _p, link = project_services.send_summary(project=project, by=lead, text="已完成 60 台服务器的系统安装与调试。", now=timezone.now())
    rating_token = token_of(report)  # no database access inside Playwright's event loop
    cookies = {}
    for who in (tech, lead, sup):
        c = Client()
        c.force_login(who.user)
        cookies[who.pk] = c.cookies["sessionid"].value
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            def page_for(staff=None):
                context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=1, locale="zh-CN", is_mobile=True, has_touch=True)
                if staff is not None:
                    context.add_cookies([{"name": "sessionid", "value": cookies[staff.pk], "url": live_server.url}])
                return context.new_page()

            page = page_for()
            page.goto(f"{live_server.url}/r/{rating_token}/")
            assert "驻场服务月度评价" in page.content()
            _assert_fits(page, "public_rating")
            page.goto(f"{live_server.url}/s/{link.token}/")
            assert "满意度" in page.content()
            _assert_fits(page, "public_survey")
            page = page_for(tech)
            page.goto(f"{live_server.url}/dispatch/resident/my/")
            _assert_fits(page, "my_reports")
            page.goto(f"{live_server.url}/dispatch/resident/my/{month:%Y-%m}/")
            _assert_fits(page, "report_form")
            page = page_for(lead)
            page.goto(f"{live_server.url}/dispatch/resident/attendance/?site={site.pk}")
            assert "驻点技术员甲" in page.content()
            _assert_fits(page, "attendance_day")
            page.goto(f"{live_server.url}/dispatch/projects/{project.pk}/")
            _assert_fits(page, "project_detail")
            # the supervisor's browser: the report with its chain and the client's link
            desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            desk.add_cookies([{"name": "sessionid", "value": cookies[sup.pk], "url": live_server.url}])
            page = desk.new_page()
            page.goto(f"{live_server.url}/dispatch/resident/{report.pk}/")
            assert "客户评价链接" in page.content() and "总经办盖章" in page.content()
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/desk_report.png", full_page=True)
        finally:
            browser.close()
