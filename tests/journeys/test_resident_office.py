"""The resident chain's office side: the GM office stamps a resident report at a desk (the to-do, the report, 盖章,
the printable copy with the stamp), and the site lead marks attendance and submits the month to admin on a phone."""
from datetime import date, timedelta

from dispatch.resident import services as resident_services
from dispatch.resident.models import AttendanceDay, AttendanceSheet, ResidentPost, ResidentReport
from servicedesk.choices import Role
from tests.factories import SiteFactory

from .builders import person
from .helpers import login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

NOV = date(2026, 11, 1)


def _site(now):
    site = SiteFactory(resident=True, name="国税局第一稽查局驻点")
    lead = person("site-lead", "钱组长", Role.TEAM_LEAD, Role.TECHNICIAN, now=now, resident_site=site)
    ResidentPost.objects.create(site=site, lead=lead)
    techs = [person(f"res{i}", name, Role.TECHNICIAN, now=now, resident_site=site) for i, name in enumerate(["孙驻场", "周驻场"])]
    return site, lead, techs


def test_gm_office_stamps_a_resident_report(reference_data, pages, journey_now):
    now = journey_now
    _site_, _lead, (tech, _t2) = _site(now)
    sup, mgr = person("sup", "监督甲", Role.SUPERVISOR, now=now), person("mgr", "李经理", Role.MANAGER, now=now)
    gm = person("gm", "总经办甲", Role.GM_OFFICE, now=now)
    at = now - timedelta(days=1)
    report = resident_services.start_report(technician=tech, month=NOV, by=tech, now=at)
    report = resident_services.update_report(report=report, by=tech, work_done="巡检打印机 40 台", issues="", suggestions="", now=at)
    report = resident_services.submit_report(report=report, by=tech, now=at)
    for who in (sup, mgr):
        report = resident_services.approve_report(report=report, by=who, now=at)

    page = pages.desk("gm office")
    login(page, "gm")
    tile = page.locator("[data-todo=resident-stamp]")
    assert tile.locator(".n").inner_text().strip() == "1"
    screen(page, "gm-home")
    with page.expect_navigation():
        tile.click()
    page.click(f"a[href='/dispatch/resident/{report.pk}/']")
    page.wait_for_url(f"**/dispatch/resident/{report.pk}/")
    assert "孙驻场" in text(page) and "巡检打印机 40 台" in text(page)
    screen(page, "gm-report")
    submit(page, f"form[action='/dispatch/resident/{report.pk}/approve/'] button[type=submit]")
    report.refresh_from_db()
    assert report.status == "stamped" and report.stamped_by == gm
    assert "总经办 总经办甲 于" in text(page)
    visit(page, f"/dispatch/resident/{report.pk}/print/")
    assert "总经办甲" in text(page, "body")
    screen(page, "gm-print")
    assert ResidentReport.objects.filter(status="manager_approved").count() == 0


def test_site_lead_submits_attendance_on_a_phone(reference_data, pages, journey_now):
    now = journey_now
    site, lead, (a, b) = _site(now)
    person("admin", "行政甲", Role.ADMIN, now=now)

    page = pages.phone("site lead")
    login(page, "site-lead")
    visit(page, f"/dispatch/resident/attendance/?site={site.pk}&month=2026-11&day=2026-11-30")
    screen(page, "lead-attendance-day")
    page.locator("fieldset", has_text="孙驻场").locator("label", has_text="出勤").click()
    page.locator("fieldset", has_text="周驻场").locator("label", has_text="请假").click()
    submit(page, "button:has-text('保存当天考勤')")
    assert "考勤已保存" in text(page)
    marks = dict(AttendanceDay.objects.filter(day=date(2026, 11, 30)).values_list("technician__name", "mark"))
    assert marks == {"孙驻场": "present", "周驻场": "leave"}
    submit(page, "#submit-sheet button[name=submit_sheet]")  # on the phone too
    assert "考勤表已提交行政部" in text(page)
    screen(page, "lead-attendance-submitted")
    sheet = AttendanceSheet.objects.get(site=site, month=NOV)
    assert sheet.status == "submitted" and sheet.submitted_at is not None
    assert page.locator("input[type=radio]:not([disabled])").count() == 0  # a submitted month is read-only
