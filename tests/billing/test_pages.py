"""Billing pages: price parameters (managers), the salesperson queue, the work-order panel."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client as BrowserClient
from django.utils import translation

from billing.models import RepairPlan
from billing.services import mark_disputed, record_visit_charges
from servicedesk.choices import Role
from servicedesk.models import RuleParameter
from tests.factories import staff_with

from .factories import DAY, DAY_AT, Department, WorkOrderFactory, company_warranty_only, line, retail

pytestmark = pytest.mark.django_db


def browser(staff):
    c = BrowserClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(staff.user)
    return c


def test_price_parameters_page_managers_only(manager, technician, salesperson):
    assert browser(technician).get("/billing/parameters/").status_code == 403
    assert browser(salesperson).get("/billing/parameters/").status_code == 403
    r = browser(manager).get("/billing/parameters/")
    assert r.status_code == 200
    assert "billing.part_markup" in r.content.decode() and "penalty.P1" not in r.content.decode()


def test_manager_schedules_a_new_price_with_an_effective_date(manager, technician, fixed_now):
    when = (fixed_now.date() + timedelta(days=10)).isoformat()  # the page refuses dates before the test clock's day
    data = {"name": "billing.onsite_fee", "value": "60.00", "effective_from": when, "note": "物价调整"}
    assert browser(technician).post("/billing/parameters/", data).status_code == 403
    r = browser(manager).post("/billing/parameters/", data)
    assert r.status_code == 302
    row = RuleParameter.objects.get(name="billing.onsite_fee", effective_from=when)
    assert row.typed_value == Decimal("60.00")
    past = (fixed_now.date() - timedelta(days=1)).isoformat()
    r = browser(manager).post("/billing/parameters/", {**data, "effective_from": past})
    assert r.status_code == 400
    r = browser(manager).post("/billing/parameters/", {**data, "name": "penalty.P1"})
    assert r.status_code == 400


def _queue_items(n, salesperson, coordinator, technician):
    for i in range(n):
        client = retail(department=Department.KEY_ACCOUNT, salesperson=salesperson)
        eq = company_warranty_only(client)
        wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq, technician=technician)
        charge = record_visit_charges(work_order=wo, lines=[line("part", "200"), line("consumable", "10")], by=technician, on=DAY)
        mark_disputed(visit_charge=charge, line=charge.lines.get(position=2), by=coordinator, reason=f"异议{i}", now=DAY_AT)
        if i % 2:
            mark_disputed(visit_charge=charge, by=coordinator, reason="整次", now=DAY_AT)


@pytest.mark.parametrize("n", [5, 50])
def test_salesperson_queue_constant_queries(n, salesperson, coordinator, technician, django_assert_max_num_queries):
    _queue_items(n, salesperson, coordinator, technician)
    c = browser(salesperson)
    with django_assert_max_num_queries(14):  # 5 + per bounded list (rule 8): its count, its page's keys, its rows
        r = c.get("/billing/")
    assert r.status_code == 200
    html = r.content.decode()
    assert RepairPlan.objects.count() == n
    # lines + whole visits + plans, one page (10) of each list at most: 50 items show 10 + 10 + 10 forms
    assert html.count('name="decision"') == {5: 5 + 2 + 5, 50: 10 + 10 + 10}[n]
    if n == 50:  # 50 disputed lines: page 1 of 5, and its next link opens page 2 of that list only
        assert "第 1 / 5 页,共 50 条" in html and 'rel="next" href="?lines_page=2"' in html
        second = c.get("/billing/?lines_page=2").content.decode()
        assert "第 2 / 5 页,共 50 条" in second and second.count('name="decision"') == 30


def test_queue_shows_own_clients_to_a_salesperson_and_all_to_a_manager(salesperson, coordinator, technician, manager):
    _queue_items(2, salesperson, coordinator, technician)
    other = staff_with(Role.SALES, name="别的业务员")
    assert browser(other).get("/billing/").content.decode().count('name="decision"') == 0
    assert browser(manager).get("/billing/").content.decode().count('name="decision"') == 2 + 1 + 2
    assert browser(technician).get("/billing/").status_code == 403


def test_work_order_page_shows_quote_explanations_and_decision(salesperson, coordinator, technician, monkeypatch):
    from servicedesk import views

    # only our panel: other apps' panels are tested by their owners
    monkeypatch.setattr(views, "WORK_ORDER_PANELS", [p for p in views.WORK_ORDER_PANELS if p[0].startswith("billing/")])
    client = retail(salesperson=salesperson)
    wo = WorkOrderFactory(client=client, technician=technician)
    charge = record_visit_charges(work_order=wo, lines=[line("part", "200")], by=technician, on=DAY)
    c = browser(technician)
    html = c.get(f"/core/work-orders/{wo.pk}/").content.decode()
    seen = re.sub(r"<[^>]+>", "", html)  # what the reader sees (amounts sit in their own unbreakable spans)
    # the parameter by its name and value, never its key (rule 2)
    assert "零散客户配件:成本 ¥200.00 × 1.25 = ¥250.00" in seen and "300.00" in seen and "配件加价倍数:1.25 倍" in seen
    assert "billing.part_markup" not in seen
    r = c.post(f"/billing/charges/{charge.pk}/dispute/", {"reason": "客户嫌贵"})
    assert r.status_code == 302
    assert browser(technician).post(f"/billing/charges/{charge.pk}/decide/", {"decision": "waive", "reason": "x"}).status_code == 403
    r = browser(salesperson).post(f"/billing/charges/{charge.pk}/decide/", {"decision": "waive", "reason": "老客户免收", "next": "/billing/"})
    assert r.status_code == 302
    html = c.get(f"/core/work-orders/{wo.pk}/").content.decode()
    assert "决定免收" in html and "老客户免收" in html and salesperson.name in html


def test_price_parameters_page_reads_in_english(manager):
    c = browser(manager)
    c.cookies["django_language"] = "en"
    with translation.override(translation.get_language()):  # the page's English must not outlive this test
        html = c.get("/billing/parameters/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    seen = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
    # names and values from the catalogue (rule 2): ¥50.00 on-site fee, parts at cost × 1.25, ¥50.00 per OS install
    assert "On-site fee billing.onsite_fee ¥50.00" in seen and "× 1.25" in seen and "¥50.00 per time" in seen
    assert not re.search(r"[\u4e00-\u9fff]", seen), seen
