"""The salesperson's day at a desk (1366×900): the home tile says how many disputed charges wait, it opens the list
that shows exactly those, and the salesperson decides one — waive the client's disputed on-site fee with a reason
(R-B9). The decision is recorded and the tile goes back to 0."""
import re
from datetime import date, timedelta

from billing.models import ChargeDecision, VisitCharge
from billing.services import mark_disputed
from servicedesk.choices import Role
from servicedesk.services import save_record

from .builders import client_with_device, order_for, person, resolved
from .helpers import login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)


def _tile(page, key: str) -> int:
    return int(page.locator(f"[data-todo={key}] .n").inner_text().strip())


def test_sales_decides_a_disputed_charge(reference_data, pages, journey_now):
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now)
    sales = person("sales", "刘业务", Role.SALES, now=now)
    client, _site, device = client_with_device("深圳市争议客户有限公司", serial="SN-DISP-01", installed_on=date(2020, 1, 10))
    save_record(client, salesperson=sales)
    order = resolved(order_for(device, by=coordinator, now=now - timedelta(days=1, hours=2)), technician=tech,
                     coordinator=coordinator, now=now - timedelta(days=1, hours=2))
    charge = VisitCharge.objects.get(work_order=order)
    assert charge.onsite_fee > 0  # out of warranty, a retail client pays the on-site fee (R-P1)
    mark_disputed(visit_charge=charge, by=coordinator, reason="客户称上门费已在合同中包含", now=now - timedelta(hours=3))

    page = pages.desk("sales")
    login(page, "sales")
    assert _tile(page, "sales_disputes") == 1  # the whole visit's disputed fee counts (same selector as the list)
    screen(page, "sales-home")
    with page.expect_navigation():
        page.click("[data-todo=sales_disputes]")
    assert page.url.endswith("/billing/")
    disputes = page.locator("[data-list=disputes] [data-row]")
    assert disputes.count() == 1 and order.number in disputes.first.inner_text()
    card = disputes.first
    card.locator("select[name=decision]").select_option("waive")
    screen(page, "sales-queue")
    card.locator("button[type=submit]").click()  # the reason is required: the browser stops the empty form
    assert card.locator("input[name=reason]").evaluate("e => e.validity.valueMissing")
    card.locator("input[name=reason]").fill("合同约定上门费全免")
    submit(page, "[data-list=disputes] [data-row] button[type=submit]")
    charge.refresh_from_db()
    assert charge.status == "waived"
    decision = ChargeDecision.objects.filter(visit_charge=charge).order_by("-pk").first()
    assert decision.by == sales and decision.reason == "合同约定上门费全免"
    assert "没有有争议的收费" in text(page)
    visit(page, "/")
    assert _tile(page, "sales_disputes") == 0
    assert re.search(r"收费争议\s*0", text(page))
