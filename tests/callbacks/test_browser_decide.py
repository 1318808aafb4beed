"""In Chromium, with the browser's own validation on: the manager decides a complaint (R-K10) on its page, confirms
the resulting P8 marking "failed supervision", and the GM office clears the proposal about the manager (P8 Decision:
a one-manager department)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from callbacks import complaints
from callbacks.choices import ComplaintChannel
from callbacks.models import Complaint
from penalties.models import Penalty
from servicedesk.choices import Role, WorkOrderStatus
from tests.factories import WorkOrderFactory, staff_with

from ..browser import chromium, marks, new_page, session_of, shot

pytestmark = marks
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 12, 10, 0, tzinfo=TZ)


def test_manager_decides_a_complaint_then_gm_office_decides_the_managers_share(live_server, coordinator, manager, technician,
                                                                                  monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM checks between browser steps
    gm = staff_with(Role.GM_OFFICE, name="总经办赵")
    lead = staff_with(Role.TECHNICIAN, Role.TEAM_LEAD, name="刘组长")
    technician.team_lead = lead
    technician.save()
    wo = WorkOrderFactory(technician=technician, status=WorkOrderStatus.RESOLVED)
    c = complaints.register_complaint(channel=ComplaintChannel.PHONE, client=wo.client, work_order=wo, words="约好上午到,下午才来",
                                      by=coordinator, now=NOW)
    sessions = {"manager": session_of(manager), "gm": session_of(gm)}
    with time_machine.travel(datetime(2026, 10, 12, 15, 0, tzinfo=TZ), tick=True), chromium() as browser:
        page = new_page(browser, live_server, sessions["manager"], width=1366, height=900)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{live_server.url}/callbacks/complaints/{c.pk}/")
        # the browser refuses the form without an outcome and a reason (required fields)
        page.get_by_role("button", name="保存判定").click()
        assert Complaint.objects.get(pk=c.pk).outcome == ""
        page.get_by_label("成立,本人工作问题").check()
        page.get_by_label("责任人", exact=True).select_option(str(technician.pk))
        page.get_by_label("判定理由").fill("未按约定时间到达,也未提前告知客户")
        shot(page, "complaint-decide-1366")
        page.get_by_role("button", name="保存判定").click()
        page.wait_for_selector("#decision")
        c.refresh_from_db()
        assert (c.outcome, c.responsible_id, c.decided_by_id) == ("own_work", technician.pk, manager.pk)
        p8 = Penalty.objects.get(rule="P8", person=technician, joint_role="")
        # the P8 confirm form: mark failed supervision
        page.goto(f"{live_server.url}/penalties/")
        page.locator(f"#fs-{p8.pk}").check()
        page.locator(f"form:has(#fs-{p8.pk})").get_by_role("button", name="确认", exact=True).click()
        page.wait_for_load_state()
        p8.refresh_from_db()
        assert p8.status == "confirmed" and p8.failed_supervision
        joint = dict(Penalty.objects.filter(joint_of=p8).values_list("joint_role", "person_id"))
        assert joint == {"team_lead": lead.pk, "manager": manager.pk}
        mine = Penalty.objects.get(joint_of=p8, joint_role="manager")
        # the manager's own share: no form for him
        assert page.locator(f'input[name="penalty"][value="{mine.pk}"]').count() == 0
        assert errors == []
        page.context.close()
        # the GM office decides it
        page = new_page(browser, live_server, sessions["gm"], width=1366, height=900)
        page.goto(f"{live_server.url}/penalties/")
        form = page.locator(f'form:has(input[name="penalty"][value="{mine.pk}"])')
        form.locator('input[name="points"]').fill("6")
        form.locator('input[name="reason"]').fill("监管不力,情节较轻")
        form.get_by_role("button", name="确认", exact=True).click()
        page.wait_for_load_state()
        shot(page, "gm-decides-manager-share-1366")
        page.context.close()
    mine.refresh_from_db()
    assert (mine.status, mine.points, mine.decided_by_id) == ("confirmed", 6, gm.pk)
