"""The department manager's day at a desk (1366×900): decide penalty proposals (confirm one, change the points of one
within its range, reject one — each with its reason); close November and approve a statement; compile November's
report, read its charts and their tables, and approve it (the draft statements are listed and must be confirmed);
schedule a parameter change. Then the report on a phone: the department cards fit and no amount breaks."""
from datetime import date, timedelta

from bonuses.models import Statement
from penalties import services as penalty_services
from penalties.models import Penalty
from reports.models import MonthlyReport
from servicedesk.choices import Role
from servicedesk.models import RuleParameter

from .builders import client_with_device, order_for, person, resolved
from .helpers import login, screen, submit, text, visit
from .screens import assert_fits_scrolling_tables, assert_money_unbroken
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

NOV = date(2026, 11, 1)


def test_manager_day(reference_data, pages, journey_now):
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    manager = person("boss", "李经理", Role.MANAGER, now=now)
    wang = person("tech-wang", "王技术", Role.TECHNICIAN, now=now)
    zhao = person("tech-zhao", "赵技术", Role.TECHNICIAN, now=now)
    orders = []
    for i, (tech, day) in enumerate([(wang, 10), (wang, 12), (zhao, 16)]):
        _c, _s, device = client_with_device(f"深圳市十一月客户{i}有限公司", serial=f"SN-NOV-{i}", installed_on=date(2020, 1, 10))
        at = now.replace(month=11, day=day, hour=9)
        orders.append(resolved(order_for(device, by=coordinator, now=at), technician=tech, coordinator=coordinator, now=at))
    on = date(2026, 11, 20)
    p4 = penalty_services.propose(person=wang, rule="P4", source=orders[0], reason="服务单未写故障原因", on=on, by=coordinator, now=now - timedelta(days=1))
    p1 = penalty_services.propose(person=zhao, rule="P1", source=orders[2], reason="拒绝协调员派单", on=on, by=coordinator, now=now - timedelta(days=1))
    p7 = penalty_services.propose(person=wang, rule="P7", source=orders[1], reason="出发超时", on=on, by=coordinator, now=now - timedelta(days=1))

    page = pages.desk("manager")
    login(page, "boss")
    assert page.locator("[data-todo=pending_penalties] .n").inner_text().strip() == "3"
    screen(page, "manager-home")

    # --- penalties: confirm, change within the range with a reason, reject with a reason
    visit(page, "/penalties/")
    screen(page, "manager-penalties")
    submit(page, f"form:has(input[name=penalty][value='{p4.pk}']) button[value=confirm]")
    card = page.locator(f"form:has(input[name=penalty][value='{p1.pk}'])")
    card.locator("input[name=points]").fill("21")  # above P1's range: the browser's own validation refuses
    card.locator("button[value=change]").click()
    assert card.locator("input[name=points]").evaluate("e => e.validity.rangeOverflow")
    card.locator("input[name=points]").fill("8")
    card.locator("input[name=reason]").fill("情节较重,按 8 分")
    submit(page, f"form:has(input[name=penalty][value='{p1.pk}']) button[value=change]")
    p1.refresh_from_db()
    assert (p1.status, p1.suggested_points) == ("pending", 8)  # the suggestion changed; still the manager's to confirm
    submit(page, f"form:has(input[name=penalty][value='{p1.pk}']) button[value=confirm]")
    card = page.locator(f"form:has(input[name=penalty][value='{p7.pk}'])")
    card.locator("input[name=reason]").fill("客户改约,不属超时")
    submit(page, f"form:has(input[name=penalty][value='{p7.pk}']) button[value=reject]")
    got = {p.pk: (p.status, p.points) for p in Penalty.objects.filter(pk__in=[p4.pk, p1.pk, p7.pk])}
    assert got == {p4.pk: ("confirmed", 2), p1.pk: ("confirmed", 8), p7.pk: ("rejected", None)}, got
    assert Penalty.objects.get(pk=p7.pk).decision_reason == "客户改约,不属超时"

    # --- close November and approve one statement
    visit(page, "/bonuses/?month=2026-11")
    submit(page, "button[name=action][value=compile]")
    statements = {s.person.name: s for s in Statement.objects.filter(month=NOV).select_related("person")}
    assert set(statements) >= {"王技术", "赵技术"} and all(s.status == "draft" for s in statements.values())
    screen(page, "manager-month")
    assert_money_unbroken(page)
    submit(page, f"form:has(input[name=statement][value='{statements['王技术'].pk}']) button[value=approve]")
    assert Statement.objects.get(pk=statements["王技术"].pk).status == "approved"
    page.click(f"a[href='/bonuses/statements/{statements['赵技术'].pk}/']")
    page.wait_for_url(f"**/bonuses/statements/{statements['赵技术'].pk}/")
    body = text(page)
    assert "赵技术" in body and "{" not in body and "object (" not in body and "penalty.yuan_per_point" not in body
    assert assert_money_unbroken(page) > 0
    screen(page, "manager-statement")

    # --- compile, read and approve November's report; the drafts are listed and must be confirmed
    visit(page, "/reports/?month=2026-11")
    submit(page, "form[action='/reports/compile/'] button[type=submit]")
    report = MonthlyReport.objects.get(month=NOV)
    page.wait_for_function("() => document.querySelectorAll('.chart canvas, .chart svg').length >= 3")
    for chart in ("visits", "quality", "ranking"):
        assert page.locator(f"#chart-{chart} canvas, #chart-{chart} svg").count() >= 1, chart
        assert page.locator(f"table[data-chart={chart}] tbody tr").count() >= 1, chart
    ranking = page.locator("table[data-chart=ranking]").inner_text()
    assert "王技术" in ranking and "赵技术" in ranking
    drafts = page.locator("#approve-drafts")
    assert "赵技术" in drafts.inner_text() and "王技术" not in drafts.inner_text()
    screen(page, "manager-report")
    page.click("#approve-report button[type=submit]")  # not confirmed: the browser stops it
    assert page.locator("input[name=drafts_confirmed]").evaluate("e => e.validity.valueMissing")
    report.refresh_from_db()
    assert report.status == "draft"
    page.check("input[name=drafts_confirmed]")
    submit(page, "#approve-report button[type=submit]")
    report.refresh_from_db()
    assert report.status == "approved" and report.approved_by == manager
    assert "月度报表已审批并归档" in text(page)

    # --- the report on a phone: the department cards fit, names and amounts stay whole
    phone = pages.phone("manager phone")
    login(phone, "boss")
    visit(phone, "/reports/?month=2026-11")
    phone.wait_for_function("() => document.querySelectorAll('.chart canvas, .chart svg').length >= 3")
    assert_fits_scrolling_tables(phone, "manager-report-phone")
    assert_money_unbroken(phone)
    assert_money_unbroken(phone, ".dept-cards td")

    # --- schedule a parameter change: the on-site fee from next month
    visit(page, "/core/parameters/#p-billing.onsite_fee")
    block = page.locator("[id='p-billing.onsite_fee']")
    block.locator("summary", has_text="新增版本").click()
    block.locator("input[name=value]").fill("60.00")
    block.locator("input[name=effective_from]").fill("2027-01-01")
    block.locator("input[name=note]").fill("2027 年调价")
    submit(page, "[id='p-billing.onsite_fee'] form.edit button[type=submit]")
    row = RuleParameter.objects.get(name="billing.onsite_fee", effective_from=date(2027, 1, 1))
    assert str(row.typed_value) == "60.00" and row.note == "2027 年调价"
    assert "已排期" in page.locator("[id='p-billing.onsite_fee']").inner_text()
    screen(page, "manager-parameters")
