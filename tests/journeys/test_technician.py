"""The technician's day on a phone (375×812, touch), tapped and typed in Chromium: accept → contact → set off →
arrive → close out with two lines and a signature drawn with a finger → the order is resolved, the price and its
reason are on the service form, the sale is in the phone's ledger; hand a job over to the team lead; open the
own monthly statement. No page scrolls sideways."""
from datetime import date, timedelta
from decimal import Decimal

from bonuses.services import compile_month
from dispatch.models import CloseOut, HandOver
from receivables.models import SalesConfirmation
from servicedesk.choices import Role, WorkOrderStatus

from .builders import advance, client_with_device, order_for, person, resolved
from .helpers import draw_signature, login, screen, submit, visit

OLD_DEVICE = date(2022, 3, 1)  # out of every warranty: the visit is charged


def _step(page, label: str) -> None:
    submit(page, f"form button[type=submit]:text-is('{label}')")
    assert f"已记录" in page.inner_text("main"), page.inner_text("main")


def test_technician_day(pages, journey_now, journey_clock):
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    manager = person("boss", "李经理", Role.MANAGER, now=now)
    lead = person("lead", "刘组长", Role.TEAM_LEAD, Role.TECHNICIAN, now=now, area="福田区")
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now, area="福田区", team_lead=lead)
    _c, _s, device = client_with_device("深圳市罗湖贸易有限公司", serial="SN-LH-0001", installed_on=OLD_DEVICE)
    job = advance(order_for(device, by=coordinator, now=now - timedelta(minutes=20)), to="dispatched", technician=tech, coordinator=coordinator, now=now - timedelta(minutes=10))
    _c, _s, other = client_with_device("深圳市宝安制造有限公司", serial="SN-BA-0001", area="福田区")
    stuck = advance(order_for(other, by=coordinator, now=now - timedelta(hours=3)), to="arrived", technician=tech, coordinator=coordinator, now=now - timedelta(hours=3))
    # last month's work, compiled by the manager: the technician's own statement exists
    _c, _s, earlier = client_with_device("深圳市上月客户有限公司", serial="SN-NOV-0001")
    november = now - timedelta(days=14)
    resolved(order_for(earlier, by=coordinator, now=november), technician=tech, coordinator=coordinator, now=november)
    compile_month(month=date(2026, 11, 1), by=manager, now=now)

    page = pages.phone("technician")
    visit(page, "/accounts/login/")
    screen(page, "technician-login-375")
    login(page, "tech")
    assert page.locator("#calendar-banner").count() == 0  # the working-day table is not a technician's business
    screen(page, "technician-home-375")

    # --- the new job: accept → contact → set off → arrive
    visit(page, "/dispatch/my/")
    screen(page, "technician-my-work-375")
    page.locator(f"a[href='/dispatch/my/{job.pk}/']").first.click()
    page.wait_for_url(f"**/dispatch/my/{job.pk}/")
    screen(page, "technician-order-dispatched-375")
    _step(page, "接单")
    page.fill("input[name=promised_at]", (now + timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M"))
    _step(page, "已联系客户")
    _step(page, "出发")
    _step(page, "到达现场")
    job.refresh_from_db()
    assert job.status == WorkOrderStatus.ON_SITE
    arrived = job.events.get(action="arrive").at
    screen(page, "technician-order-on-site-375")

    # --- 40 minutes of work, then the close-out (same-minute arrival is covered by tests/dispatch/test_close_out_times.py)
    journey_clock.shift(timedelta(minutes=40))
    page.click("text=填写服务单并完成")
    page.wait_for_url(f"**/dispatch/my/{job.pk}/close-out/")
    started, ended = page.input_value("[name=started_at]"), page.input_value("[name=ended_at]")
    assert started == f"{arrived.astimezone(now.tzinfo):%Y-%m-%dT%H:%M}"
    assert ended > started  # the end defaults to now, never to the arrival (a 0-minute visit)
    for name in ("fault_cause", "advice", "work_done", "signature_name"):
        assert page.locator(f"label[for=id_{name}] .req").count() == 1, f"{name} is required but not marked"
    first = page.locator("#line-rows .line-row").nth(0)
    first.locator("select[data-role=kind]").select_option("consumable")
    first.locator("input[name$=-description]").fill("搓纸轮")
    first.locator("input[name$=-cost]").fill("40")
    first.locator("input[name$=-quantity]").fill("2")
    page.click("#add-line")
    second = page.locator("#line-rows .line-row").nth(1)
    second.locator("select[data-role=kind]").select_option("software")
    second.locator("select[data-role=item]").select_option("os_install")
    second.locator("input[name$=-description]").fill("重装 Windows")
    page.wait_for_function("() => document.querySelector('#quote').innerText.includes('2. ¥')")
    quote = page.inner_text("#quote")  # the price and its reason, live: rule, inputs and parameter in words
    assert "R-P2" in quote and "成本 ¥40.00 × 2" in quote and "合计:¥158.80" in quote, quote
    page.fill("[name=work_done]", "更换搓纸轮两个,重装操作系统")
    page.fill("[name=fault_cause]", "搓纸轮磨损;系统文件损坏")
    page.fill("[name=advice]", "定期清洁进纸通道")
    page.fill("[name=signature_name]", "王经理")
    draw_signature(page)
    screen(page, "technician-close-out-375")
    submit(page, "#submit-close-out")
    page.wait_for_url(f"**/dispatch/work-orders/{job.pk}/service-form/")

    job.refresh_from_db()
    close_out = CloseOut.objects.get(work_order=job)
    assert job.status == WorkOrderStatus.RESOLVED
    assert close_out.signature_drawing.startswith("data:image/svg+xml;base64,")
    assert close_out.ended_at - close_out.started_at >= timedelta(minutes=39)
    sale = SalesConfirmation.objects.get(work_order=job, from_visit=True)
    lines = [(l.description, l.quantity) for l in sale.lines.order_by("position")]
    assert lines[0] == ("搓纸轮", Decimal("2")), lines  # the technician's words and count, never "耗材 × 1.00"
    assert sum(l.amount for l in sale.lines.all()) == sale.amount
    form_text = page.inner_text("main")
    assert "搓纸轮" in form_text and "¥108.80" in form_text and "¥158.80" in form_text
    assert sale.amount == Decimal("158.80")
    screen(page, "technician-service-form-375")

    # --- the sale is in the phone's ledger
    visit(page, "/receivables/my-ledger/")
    assert sale.number in page.inner_text("main")
    screen(page, "technician-ledger-375")
    page.click(f"text={sale.number}")
    page.wait_for_url(f"**/receivables/sales/{sale.pk}/")
    sale_text = page.inner_text("main")
    assert "搓纸轮 × 2\n" in sale_text and "R-P2 零散客户耗材:成本 ¥40.00 × 2" in sale_text, sale_text  # price and reason
    screen(page, "technician-sale-375")

    # --- the job that cannot be fixed on site goes to the team lead
    visit(page, f"/dispatch/my/{stuck.pk}/")
    page.click("text=交接给技术组长")
    page.wait_for_url(f"**/dispatch/my/{stuck.pk}/handover/")
    assert page.locator("select[name=to]").input_value() == str(lead.pk)
    page.fill("textarea[name=notes]", "主板故障,需要组长带配件处理")
    screen(page, "technician-handover-375")
    submit(page, "button:has-text('交接')")
    stuck.refresh_from_db()
    assert stuck.technician_id == lead.pk
    assert HandOver.objects.get(work_order=stuck).notes == "主板故障,需要组长带配件处理"
    assert "已交接给 刘组长" in page.inner_text("main")

    # --- the own statement of last month
    visit(page, "/bonuses/mine/")
    screen(page, "technician-my-month-375")
    page.locator("a.wo-card", has_text="2026-11").click()
    page.wait_for_url("**/bonuses/statements/*/")
    assert "2026-11" in page.inner_text("main") or "2026 年 11 月" in page.inner_text("main")
    screen(page, "technician-statement-375")
