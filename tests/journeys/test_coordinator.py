"""The coordinator's day at a desk (1366×900), clicked and typed in Chromium with the browser's own validation on:
log in through the form; take a phone request for an existing client and for a caller who is not yet a client;
a second request for a device that already has an open order is warned about (with a link to it) and taken on
purpose; dispatch from the board; a 4th visit's R-W8 confirmation; a callback with a "no"; a complaint."""
import re
from datetime import timedelta

from callbacks.models import Callback, Complaint
from callbacks.services import open_due_callbacks
from dispatch.models import Assignment
from penalties.models import Penalty
from servicedesk.choices import Role, WorkOrderStatus
from servicedesk.models import Client, Site, WorkOrder

from .builders import advance, client_with_device, order_for, person, resolved
from .helpers import login, screen, submit, visit


def _lookup_and_pick(page, query: str, button_text: str) -> None:
    page.fill("#lookup-q", query)
    page.locator("#lookup-results button", has_text=button_text).first.click()
    page.wait_for_function("() => document.querySelector('#picked select[name=site]') && document.querySelector('#picked select[name=site]').value !== ''")


def test_coordinator_day(pages, journey_now):
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    person("boss", "李经理", Role.MANAGER, now=now)
    busy = person("tech-busy", "王技术", Role.TECHNICIAN, now=now, area="福田区")
    free = person("tech-free", "赵技术", Role.TECHNICIAN, now=now, area="福田区")
    _client, _site, device = client_with_device("深圳市华强电子有限公司", serial="SN-HQ-0001")
    # 王技术 already has three visits today (R-W8 limit 3): a fourth needs the coordinator's confirmation
    for i in range(3):
        _c, _s, d = client_with_device(f"深圳市忙碌客户{i}有限公司", serial=f"SN-BUSY-{i}")
        advance(order_for(d, by=coordinator, now=now - timedelta(hours=2)), to="dispatched", technician=busy, coordinator=coordinator, now=now - timedelta(hours=2) + timedelta(minutes=i))
    fourth = order_for(client_with_device("深圳市第四单有限公司", serial="SN-4TH-0001")[2], by=coordinator, now=now - timedelta(minutes=50))
    # a visit 赵技术 resolved yesterday: its callback is due today
    visited = resolved(
        order_for(client_with_device("深圳市回访客户有限公司", serial="SN-CB-0001")[2], by=coordinator, now=now - timedelta(days=1, hours=3)),
        technician=free, coordinator=coordinator, now=now - timedelta(days=1, hours=3),
    )
    open_due_callbacks(now=now)

    page = pages.desk("coordinator")
    login(page, "coord")
    assert "API 文档" not in page.content()  # not a coordinator's page, neither in the menu nor on the home page
    screen(page, "coordinator-home")

    # --- intake for an existing client: search, pick the client's device, content, required time, description
    visit(page, "/dispatch/intake/")
    _lookup_and_pick(page, "华强", "SN-HQ-0001")
    page.select_option("select[name=content]", "repair")
    page.fill("input[name=required_at]", (now + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=description]", "打印机卡纸,出纸有黑线")
    screen(page, "coordinator-intake-existing")
    submit(page, "form.card button[type=submit]:has-text('受理')")
    first = WorkOrder.objects.get(client__name="深圳市华强电子有限公司")
    assert (first.equipment_id, first.content, first.description) == (device.pk, "repair", "打印机卡纸,出纸有黑线")
    assert first.required_at == now + timedelta(hours=4) - timedelta(seconds=now.second)
    assert f"已受理工单 {first.number}" in page.inner_text("main")

    # --- the same device again while that order is open: a warning with a link to it, then taken on purpose
    visit(page, "/dispatch/intake/")
    _lookup_and_pick(page, "SN-HQ-0001", "SN-HQ-0001")
    page.select_option("select[name=content]", "maintenance")
    page.fill("textarea[name=description]", "另一台同型号需要保养")
    submit(page, "form.card button[type=submit]:has-text('受理')")
    warning = page.locator("#open-orders")
    assert warning.is_visible() and first.number in warning.inner_text()
    assert warning.locator(f"a[href='/core/work-orders/{first.pk}/']").count() == 1
    assert WorkOrder.objects.filter(equipment=device).count() == 1  # nothing saved yet
    screen(page, "coordinator-intake-duplicate-warning")
    submit(page, "button[name=confirm_duplicate]")
    assert WorkOrder.objects.filter(equipment=device).count() == 2

    # --- a caller who is not yet a client: every mistake reported at once, then client + site + order
    visit(page, "/dispatch/intake/")
    page.click("#new-client summary")
    page.check("input[name=new_client]")
    for name, value in (
        ("new-name", "深圳市新来电科技有限公司"), ("new-phone", "12"), ("new-site_name", "南山店"), ("new-address", "深圳市南山区科技园 8 号"),
        ("new-area", "南山区"), ("new-site_contact", "陈先生"), ("new-site_phone", "34"),
    ):
        page.fill(f"[name={name}]", value)
    page.select_option("[name=new-kind]", "retail")
    page.select_option("[name=new-department]", index=1)
    page.select_option("select[name=content]", "install")
    page.fill("input[name=required_at]", (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=description]", "新购打印机安装")
    submit(page, "form.card button[type=submit]:has-text('受理')")
    errors = page.locator("form.card .errorlist").all_inner_texts()
    assert len(errors) == 3, errors  # the client's phone, the site's phone and the past required time, together
    assert not Client.objects.filter(name="深圳市新来电科技有限公司").exists()
    screen(page, "coordinator-intake-new-client-errors")
    page.fill("[name=new-phone]", "0755-26660000")
    page.fill("[name=new-site_phone]", "13800138000")
    page.fill("input[name=required_at]", (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    submit(page, "form.card button[type=submit]:has-text('受理')")
    newcomer = Client.objects.get(name="深圳市新来电科技有限公司")
    site = Site.objects.get(client=newcomer)
    (order,) = WorkOrder.objects.filter(client=newcomer)
    assert (site.name, site.area, order.site_id, order.content, order.contact_name) == ("南山店", "南山区", site.pk, "install", "陈先生")

    # --- dispatch from the board: the new client's order to 赵技术
    visit(page, "/dispatch/board/")
    row = page.locator("#board tr", has_text=order.number)
    row.locator("select[name=technician]").focus()
    row.locator("select[name=technician]").select_option(str(free.pk))
    screen(page, "coordinator-board")
    submit(page, f"form[action='/dispatch/board/{order.pk}/assign/'] button[type=submit]")
    order.refresh_from_db()
    assert (order.technician_id, order.status) == (free.pk, WorkOrderStatus.DISPATCHED)
    assert f"工单 {order.number} 已派给 赵技术" in page.inner_text("main")

    # --- the 4th visit of the day for 王技术: R-W8 asks, the coordinator confirms
    row = page.locator("#board tr", has_text=fourth.number)
    row.locator("select[name=technician]").focus()
    row.locator("select[name=technician]").select_option(str(busy.pk))
    page.guard.expect(rf"status of 409 \(Conflict\) @ .*/dispatch/board/{fourth.pk}/assign/")  # the R-W8 question answers 409
    submit(page, f"form[action='/dispatch/board/{fourth.pk}/assign/'] button[type=submit]")
    # R-W8 counts the visit day's visits and suggests the least-loaded technician of the area first
    shown = re.sub(r"\s+", "", page.inner_text("main"))  # typed names are their own elements (data-user-text)
    assert "王技术2026-12-03已有3次上门" in shown and "推荐:赵技术" in shown
    fourth.refresh_from_db()
    assert fourth.technician_id is None
    screen(page, "coordinator-fourth-visit-confirm")
    page.check("#id_force")
    submit(page, "#force-form button[type=submit]")
    fourth.refresh_from_db()
    assert fourth.technician_id == busy.pk
    assert Assignment.objects.get(work_order=fourth).load_warning_overridden is True

    # --- the callback of yesterday's visit: one "no" (the place was not cleaned) proposes P6
    visit(page, "/callbacks/")
    page.locator("a", has_text="开始回访").first.click()
    page.wait_for_url("**/callbacks/*/")
    for name, answer in (("badge", "yes"), ("explained", "yes"), ("cleaned", "no"), ("signed", "yes")):
        page.locator(f".yn label:has(input[name={name}][value={answer}])").click()
    page.locator(".yn label:has(input[name=satisfaction][value=satisfied])").click()
    screen(page, "coordinator-callback")
    submit(page, "button:has-text('保存回访结果')")
    callback = Callback.objects.get(work_order=visited)
    assert (callback.status, callback.badge, callback.cleaned, callback.satisfaction) == ("done", True, False, "satisfied")
    assert Penalty.objects.filter(person=free, rule="P6").count() == 1
    assert "回访已记录" in page.inner_text("main")

    # --- a complaint by phone about 王技术's work
    visit(page, "/callbacks/complaints/new/")
    page.select_option("select[name=client]", label="深圳市华强电子有限公司")
    page.fill("input[name=work_order]", first.number)
    page.select_option("select[name=technician]", label="王技术")
    page.fill("textarea[name=words]", "技术员迟到一个小时,也没有提前打电话。")
    screen(page, "coordinator-complaint")
    submit(page, "button:has-text('登记')")
    complaint = Complaint.objects.get(client__name="深圳市华强电子有限公司")
    assert (complaint.work_order_id, complaint.technician_id) == (first.pk, busy.pk)
    assert page.url.endswith(f"/callbacks/complaints/{complaint.pk}/")
    assert "投诉已登记" in page.inner_text("main")
