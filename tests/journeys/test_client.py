"""The client's part, on a phone (375×812, touch) and without an account: the signed link to rate the resident
engineer's stamped monthly report, and the signed link to a team project's satisfaction survey. The browser's own
validation is on (a rating must be chosen); each answer lands in the database and the link is used up."""
from datetime import date, timedelta

from django.core.cache import cache

from dispatch.projects import services as project_services
from dispatch.projects.models import Project
from dispatch.resident import services as resident_services
from dispatch.resident.choices import LinkPurpose
from dispatch.resident.links import live_link
from dispatch.resident.models import ResidentPost, ResidentReport
from servicedesk.choices import Role
from tests.factories import SiteFactory

from .builders import person
from .helpers import screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)


def _stamped_report(now):
    site = SiteFactory(resident=True, name="国税局第一稽查局驻点")
    lead = person("site-lead", "钱组长", Role.TEAM_LEAD, Role.TECHNICIAN, now=now, resident_site=site)
    ResidentPost.objects.create(site=site, lead=lead)
    tech = person("resident", "孙驻场", Role.TECHNICIAN, now=now, resident_site=site)
    sup, mgr, gm = (person("sup", "监督甲", Role.SUPERVISOR, now=now), person("mgr", "李经理", Role.MANAGER, now=now),
                    person("gm", "总经办甲", Role.GM_OFFICE, now=now))
    at = now - timedelta(days=1)
    report = resident_services.start_report(technician=tech, month=date(2026, 11, 1), by=tech, now=at)
    report = resident_services.update_report(report=report, by=tech, work_done="巡检打印机 40 台,更换硒鼓 6 个", issues="",
                                             suggestions="", now=at)
    report = resident_services.submit_report(report=report, by=tech, now=at)
    for who in (sup, mgr, gm):
        report = resident_services.approve_report(report=report, by=who, now=at)
    return site, lead, tech, mgr, report


def test_client_rates_the_resident_report_and_answers_the_project_survey(reference_data, pages, journey_now):
    now = journey_now
    cache.clear()  # the links' per-address attempt counter
    site, lead, tech, mgr, report = _stamped_report(now)
    rating_token = live_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk).token
    project = project_services.create_project(
        by=mgr, now=now - timedelta(days=20), name="服务器平台软件安装", client=site.client_id, site=site.pk, kind="construction",
        contract_amount="60000", manager=lead.pk, members=[tech.pk], planned_start=date(2026, 11, 2), planned_end=date(2026, 11, 13),
        documents_due=date(2026, 11, 15),
    )
    _p, link = project_services.send_summary(project=project, by=lead, text="已完成 60 台服务器的系统安装与调试。", now=now - timedelta(hours=2))

    page = pages.phone("client")
    # --- the resident report's rating link: the report, a rating the browser insists on, a comment
    visit(page, f"/r/{rating_token}/")
    assert "驻场服务月度评价" in text(page) and "巡检打印机 40 台" in text(page) and "孙驻场" in text(page)
    screen(page, "client-rating")
    page.click("button[name=action][value=rate]")  # no rating chosen: the browser's validation stops it
    assert page.evaluate("() => document.querySelector('input[name=rating]').validity.valueMissing")
    assert ResidentReport.objects.get(pk=report.pk).client_rating == ""
    page.locator("label", has_text="很好").first.click()
    page.fill("#comment", "驻场工程师响应很快")
    page.fill("#client_name", "王处长")
    submit(page, "button[name=action][value=rate]")
    assert "评价已提交" in text(page)
    screen(page, "client-rating-done")
    report.refresh_from_db()
    assert (report.status, report.client_rating, report.client_comment, report.client_name) == (
        "client_rated", "very_good", "驻场工程师响应很快", "王处长")
    # the link is used up: opening it again says so, it does not rate twice
    page.guard.expect(r"Failed to load resource: the server responded with a status of 409")  # the used link's answer
    assert page.goto(f"/r/{rating_token}/").status == 409
    assert "评价已提交" not in text(page) and "提交评价" not in text(page)

    # --- the project's survey link
    visit(page, f"/s/{link.token}/")
    assert "项目客户满意度调查" in text(page) and "已完成 60 台服务器的系统安装与调试。" in text(page)
    screen(page, "client-survey")
    page.fill("textarea[name=needs]", "服务器系统安装")
    page.fill("textarea[name=summary]", "按期完成,质量好")
    page.locator("input[name=satisfaction][value=satisfied]").check()
    page.fill("input[name=client_name]", "王处长")
    submit(page, "form.card button[type=submit]")
    assert "满意度调查已提交" in text(page)
    screen(page, "client-survey-done")
    project = Project.objects.select_related("survey").get(pk=project.pk)
    assert project.survey.satisfaction == "satisfied" and project.survey.summary == "按期完成,质量好"
