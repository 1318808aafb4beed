"""Journeys in Chromium for the dispatch rules: the R-W5 reason for a resident-site request dispatched to a
non-resident technician, and a carry-in repair priced from the phone when testing finishes."""
from datetime import timedelta

import time_machine

from billing.models import VisitCharge
from dispatch import services
from dispatch.models import Assignment
from servicedesk.choices import Channel, Role, ServiceMode

from ..billing.factories import out_of_warranty, retail
from ..browser import assert_fits, chromium, marks, new_page, session_of, shot
from ..factories import SiteFactory, staff_with

pytestmark = marks


def test_r_w5_coordinator_records_why_a_resident_request_goes_to_a_mobile_technician(live_server, coordinator, technician, make_order, t0):
    hall = SiteFactory(name="办税服务厅", resident=True, area="福田区")
    staff_with(Role.TECHNICIAN, name="驻点小陈", area="福田区", resident_site=hall)
    wo = make_order(client=hall.client, site=hall, channel=Channel.RESIDENT_SITE, service_mode=ServiceMode.RESIDENT)
    session = session_of(coordinator)
    with time_machine.travel(t0, tick=True), chromium() as browser:
        page = new_page(browser, live_server, session, width=1280)
        page.goto(f"{live_server.url}/dispatch/board/")
        row = page.locator("tr", has_text=wo.number)
        row.locator("select[name=technician]").select_option(str(technician.pk))
        row.get_by_role("button", name="派单").click()
        page.wait_for_selector("#resident-reason-form")
        assert "驻点小陈" in page.content()
        shot(page, "r_w5_resident_reason")
        page.get_by_label("驻点技术员正忙").check()
        page.get_by_label("原因说明").fill("驻点小陈在处理机房服务器故障")
        page.get_by_role("button", name=f"派给 {technician.name} 并记录原因").click()
        page.wait_for_url(f"{live_server.url}/dispatch/board/")
    a = Assignment.objects.get(work_order=wo)
    assert (a.technician_id, a.resident_reason, a.resident_reason_note) == (technician.pk, "busy", "驻点小陈在处理机房服务器故障")


def test_carry_in_repair_priced_from_the_phone_when_testing_finishes(live_server, coordinator, technician, make_order, t0):
    wo = make_order(equipment=out_of_warranty(retail()), channel=Channel.CARRY_IN, service_mode=ServiceMode.MOBILE)
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    services.diagnose(work_order=wo, by=technician, now=t0)
    services.ask_consent(work_order=wo, by=technician, diagnosis="液晶屏背光损坏", expected_ready_on=t0.date() + timedelta(days=2), now=t0)
    services.record_client_answer(work_order=wo, by=technician, continue_repair=True, now=t0)
    services.start_testing(work_order=wo, by=technician, now=t0)
    session = session_of(technician)
    with time_machine.travel(t0 + timedelta(days=1), tick=True), chromium() as browser:
        page = new_page(browser, live_server, session)
        page.goto(f"{live_server.url}/dispatch/my/{wo.pk}/")
        assert_fits(page, "carry_in_finish_testing")
        page.locator("#test_days").fill("2")
        page.locator("#line-0-kind").select_option("repair")
        page.locator("#line-0-item").select_option("lcd_monitor")
        page.get_by_role("button", name="测试完成:已无故障,可以返回").click()
        page.wait_for_load_state()
    charge = VisitCharge.objects.get(work_order=wo)
    # R-P3: LCD monitor ¥150, no on-site fee for a carry-in repair
    assert (charge.total, charge.onsite_fee) == (150, 0)
