"""The resident report form, the attendance day view and the clients' signed-link pages fit a 375 px phone."""
from datetime import date

from django.core.cache import cache

from dispatch.projects import services as project_services
from dispatch.resident.models import ResidentPost
from servicedesk.choices import Role

from ..browser import assert_fits, chromium, marks, new_page, session_of, shot
from ..factories import SiteFactory, staff_with
from .conftest import NOV, at
from .helpers import stamped_report, token_of

pytestmark = marks


def test_resident_pages_fit_375px(live_server, time_machine):
    # the clock of the chain's other tests: Wed 2026-12-02 09:00, November's report stamped that morning (its
    # documents and rating windows run into December only); the live server and the links see it too
    now = at(12, 2, 9)
    time_machine.move_to(now, tick=True)
    cache.clear()
    site = SiteFactory(resident=True, name="国税局第一稽查局驻点")
    lead = staff_with(Role.TEAM_LEAD, Role.TECHNICIAN, name="驻点组长", resident_site=site)
    ResidentPost.objects.create(site=site, lead=lead)
    tech = staff_with(Role.TECHNICIAN, name="驻点技术员甲", resident_site=site)
    sup, mgr, gm = staff_with(Role.SUPERVISOR), staff_with(Role.MANAGER), staff_with(Role.GM_OFFICE)
    month = NOV
    report = stamped_report(tech, supervisor=sup, manager=mgr, gm=gm, month=month, now=now)
    project = project_services.create_project(
        by=mgr, now=now, name="服务器平台软件安装", client=site.client_id, site=site.pk, kind="construction",
        contract_amount="60000", manager=lead.pk, members=[tech.pk], planned_start=date(2026, 11, 2), planned_end=date(2026, 11, 13),
        documents_due=date(2026, 11, 15),
    )
    _p, link = project_services.send_summary(project=project, by=lead, text="已完成 60 台服务器的系统安装与调试。", now=now)
    rating_token = token_of(report)  # no database access inside Playwright's event loop
    cookies = {who.pk: session_of(who) for who in (tech, lead, sup)}
    with chromium() as browser:
        def page_for(staff=None):
            return new_page(browser, live_server, cookies[staff.pk] if staff is not None else None)

        page = page_for()
        page.goto(f"{live_server.url}/r/{rating_token}/")
        assert "驻场服务月度评价" in page.content()
        assert_fits(page, "public_rating")
        page.goto(f"{live_server.url}/s/{link.token}/")
        assert "满意度" in page.content()
        assert_fits(page, "public_survey")
        page = page_for(tech)
        page.goto(f"{live_server.url}/dispatch/resident/my/")
        assert_fits(page, "my_reports")
        page.goto(f"{live_server.url}/dispatch/resident/my/{month:%Y-%m}/")
        assert_fits(page, "report_form")
        page = page_for(lead)
        page.goto(f"{live_server.url}/dispatch/resident/attendance/?site={site.pk}")
        assert "驻点技术员甲" in page.content()
        assert_fits(page, "attendance_day")
        page.goto(f"{live_server.url}/dispatch/projects/{project.pk}/")
        assert_fits(page, "project_detail")
        # the supervisor's browser: the report with its chain and the client's link
        page = new_page(browser, live_server, cookies[sup.pk], width=1280, height=900)
        page.goto(f"{live_server.url}/dispatch/resident/{report.pk}/")
        assert "客户评价链接" in page.content() and "总经办盖章" in page.content()
        shot(page, "desk_report")
