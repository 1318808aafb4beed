"""Entitlements R-B1…R-B8 and the on-site fee rule R-P6 (precedence: billing/entitlements.py)."""
from datetime import date

from decimal import Decimal

import pytest
from django.utils import timezone

from billing.choices import RepairPlanStatus
from billing.models import RepairPlan, SoftwareVisitSlot
from billing.services import quote_visit, record_visit_charges
from servicedesk.errors import CalendarMissingError
from servicedesk.texts import render

from .factories import (
    DAY, DAY_AT, Department, EquipmentFactory, SoftwareEntitlement, WorkOrderFactory, company_warranty_only, key_account, line,
    out_of_warranty, retail,
)

pytestmark = pytest.mark.django_db


def test_r_b8_key_account_before_agreement_pays_parts_only():
    client = key_account(agreement_start=date(2026, 12, 1))
    q = quote_visit(
        client=client, on=DAY,
        lines=[line("part", "200"), line("consumable", "100", installed=True), line("repair", "80.50"),
               line("repair", item="lcd_monitor"), line("software", item="os_install")],
    )
    part, *others = q.lines
    assert (part.amount, part.rule, part.free) == (Decimal("250.00"), "R-P1", False)
    assert "R-B8" in render(part.explanation)
    assert all(ln.free and ln.rule == "R-B8" and ln.amount == 0 for ln in others)
    assert q.onsite_fee == 0 and q.onsite_fee_rule == "R-B8"
    assert q.total == Decimal("250.00")
    assert q.visit_rule == "R-B8"


def test_r_b8_no_longer_applies_from_the_agreement_start():
    client = key_account(agreement_start=date(2026, 11, 20))
    q = quote_visit(client=client, on=DAY, lines=[line("consumable", "100", installed=True)])
    assert q.total == Decimal("196.00")


def test_r_b1_bidding_part_under_manufacturer_warranty_is_free_and_visit_pays_no_onsite_fee():
    client = retail()
    eq = EquipmentFactory(client=client)  # manufacturer warranty until 2027-01-09
    q = quote_visit(client=client, equipment=eq, on=DAY, lines=[line("part", "200"), line("repair", "80.50")])
    assert [ln.rule for ln in q.lines] == ["R-B1", "R-B1"]
    assert all(ln.free and ln.amount == 0 for ln in q.lines)
    assert q.lines[0].list_amount == Decimal("250.00")
    assert q.onsite_fee == 0
    assert q.total == Decimal("0.00")
    assert "上门费" in render(q.onsite_fee_explanation)


def test_r_b1_same_visit_out_of_warranty_pays_onsite_fee():
    client = retail()
    q = quote_visit(client=client, equipment=out_of_warranty(client), on=DAY, lines=[line("part", "200")])
    assert q.total == Decimal("300.00")


def test_r_b4_cooperation_mark_decides_other_bidding_cases(technician):
    client = retail()
    free_wo = WorkOrderFactory(client=client, cooperation_chargeable=False)
    paid_wo = WorkOrderFactory(client=client, cooperation_chargeable=True)
    free = record_visit_charges(work_order=free_wo, lines=[line("part", "200")], by=technician, on=DAY)
    paid = record_visit_charges(work_order=paid_wo, lines=[line("part", "200")], by=technician, on=DAY)
    assert (free.total, free.lines.get().rule, free.onsite_fee) == (Decimal("0.00"), "R-B4", Decimal("0.00"))
    assert paid.total == Decimal("300.00")
    assert "R-B4" in render(paid.lines.get().explanation)


def test_r_b2_bidding_clients_fourth_software_visit_is_charged(technician):
    client = key_account(software_entitlement=SoftwareEntitlement.VISITS)
    totals = []
    for _n in range(4):
        wo = WorkOrderFactory(client=client)
        charge = record_visit_charges(work_order=wo, lines=[line("software", item="os_install")], by=technician, on=DAY)
        totals.append((charge.software_visit_ordinal, charge.total, charge.lines.get().rule))
    assert totals == [
        (1, Decimal("0.00"), "R-B2"),
        (2, Decimal("0.00"), "R-B2"),
        (3, Decimal("0.00"), "R-B2"),
        (4, Decimal("50.00"), "R-P5"),
    ]
    assert "第 4 次" in render(client.visit_charges.get(software_visit_ordinal=4).lines.get().explanation)


def test_r_b2_requoting_the_same_work_order_uses_one_slot_only(technician):
    client = retail()
    wo = WorkOrderFactory(client=client)
    record_visit_charges(work_order=wo, lines=[line("software", item="os_install")], by=technician, on=DAY)
    record_visit_charges(work_order=wo, lines=[line("software", item="office_tools")], by=technician, on=DAY)
    record_visit_charges(work_order=wo, lines=[line("software", item="office_tools")], by=technician, on=DAY)
    assert SoftwareVisitSlot.objects.filter(client=client).count() == 1
    # a preview does not consume a slot either
    quote_visit(client=client, on=DAY, lines=[line("software", item="os_install")])
    assert SoftwareVisitSlot.objects.filter(client=client).count() == 1


def test_r_b2_one_ordinal_per_client_is_enforced_by_the_database(technician):
    from django.db import IntegrityError, transaction

    client = retail()
    SoftwareVisitSlot.objects.create(client=client, work_order=WorkOrderFactory(client=client), ordinal=1, on=DAY, free=True, created_at=DAY_AT)
    with pytest.raises(IntegrityError), transaction.atomic():
        SoftwareVisitSlot.objects.create(client=client, work_order=WorkOrderFactory(client=client), ordinal=1, on=DAY, free=True, created_at=DAY_AT)


def test_r_b3_software_free_within_15_working_days_after_installation():
    client = retail(software_entitlement=SoftwareEntitlement.WORKING_DAYS)
    eq = EquipmentFactory(client=client, installed_on=date(2026, 9, 30))  # + 15 working days = 2026-10-27 (National Day)
    inside = quote_visit(client=client, equipment=eq, on=date(2026, 10, 27), lines=[line("software", item="os_install")])
    outside = quote_visit(client=client, equipment=eq, on=date(2026, 10, 28), lines=[line("software", item="os_install")])
    assert (inside.lines[0].rule, inside.total) == ("R-B3", Decimal("0.00"))
    assert inside.lines[0].inputs["free_until"] == "2026-10-27"
    assert (outside.lines[0].rule, outside.total) == ("R-P5", Decimal("50.00"))
    assert "R-B3" in render(outside.lines[0].explanation)


def test_r_b3_free_period_into_a_provisional_year_is_computed_and_marked():
    from tests.calendars import load_official, make_provisional

    load_official(2026)
    make_provisional(2027, 2028)
    client = retail(software_entitlement=SoftwareEntitlement.WORKING_DAYS)
    eq = EquipmentFactory(client=client, installed_on=date(2026, 12, 28), manufacturer_warranty_end=None, company_warranty_end=None)
    # 15 working days: 29–31 Dec are 1–3; 1 Jan 元旦; 4–8 Jan 4–8; 11–15 Jan 9–13; 18, 19 Jan 14–15
    q = quote_visit(client=client, equipment=eq, on=date(2027, 1, 19), lines=[line("software", item="os_install")])
    assert (q.lines[0].rule, q.total) == ("R-B3", Decimal("0.00"))
    assert q.lines[0].inputs["free_until"] == "2027-01-19" and q.lines[0].inputs["provisional"] is True


def test_r_b3_a_year_the_calendar_cannot_hold_names_the_date():
    client = retail(software_entitlement=SoftwareEntitlement.WORKING_DAYS)
    eq = EquipmentFactory(client=client, installed_on=date(2003, 12, 28), manufacturer_warranty_end=None, company_warranty_end=None)
    with pytest.raises(CalendarMissingError) as exc:
        quote_visit(client=client, equipment=eq, on=date(2004, 1, 5), lines=[line("software", item="os_install")])
    assert exc.value.field == "date" and exc.value.year == 2003


def test_r_b5_key_account_dept_retail_software_installation_always_charged():
    client = retail(department=Department.KEY_ACCOUNT)
    q = quote_visit(client=client, on=DAY, lines=[line("software", item="office_tools")])
    assert (q.lines[0].rule, q.total) == ("R-P5", Decimal("20.00"))
    assert "R-B5" in render(q.lines[0].explanation)


def test_r_b5_key_account_dept_retail_hardware_out_of_warranty_is_charged():
    client = retail(department=Department.KEY_ACCOUNT)
    q = quote_visit(client=client, equipment=out_of_warranty(client), on=DAY, lines=[line("part", "200")])
    assert q.total == Decimal("300.00")
    assert "R-B5" in render(q.lines[0].explanation)


def test_r_b6_company_warranty_company_bears_cost_and_plan_awaits_client(technician):
    client = retail(department=Department.KEY_ACCOUNT)
    eq = company_warranty_only(client)
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq)
    charge = record_visit_charges(work_order=wo, lines=[line("part", "200")], by=technician, on=DAY)
    ln = charge.lines.get()
    assert (ln.amount, ln.rule, ln.awaiting_salesperson, ln.list_amount) == (Decimal("0.00"), "R-B6", True, Decimal("250.00"))
    assert charge.onsite_fee == 0
    plan = RepairPlan.objects.get()
    assert (plan.rule, plan.cost, plan.status, plan.line) == ("R-B6", Decimal("250.00"), RepairPlanStatus.AWAITING_CLIENT, ln)


def test_r_b7_key_account_out_of_warranty_cost_is_agreed_by_salesperson(technician):
    client = key_account(department=Department.KEY_ACCOUNT)
    eq = out_of_warranty(client)
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq)
    charge = record_visit_charges(work_order=wo, lines=[line("repair", "80.50")], by=technician, on=DAY)
    assert charge.total == 0
    assert RepairPlan.objects.get().rule == "R-B7"


def test_r_b8_key_account_without_agreement_pays_parts_only():
    # 未签外包服务协议前…均为无偿服务(配件更换费用除外): no agreement date = not signed yet = "before".
    client = key_account(agreement_start=None)
    q = quote_visit(
        client=client, on=DAY,
        lines=[line("part", "200"), line("consumable", "100", installed=True), line("software", item="os_install")],
    )
    part, consumable, software = q.lines
    # part: 200 × 1.25 = 250.00 (R-P1); consumable (136 + 60 = 196 by the list) and OS install (50) free.
    assert (part.amount, part.rule) == (Decimal("250.00"), "R-P1")
    assert "尚未签订外包服务协议" in render(part.explanation)
    assert (consumable.amount, consumable.free, consumable.rule, consumable.list_amount) == (Decimal("0.00"), True, "R-B8", Decimal("196.00"))
    assert (software.amount, software.free, software.rule, software.list_amount) == (Decimal("0.00"), True, "R-B8", Decimal("50.00"))
    assert (q.onsite_fee, q.onsite_fee_rule, q.visit_rule) == (Decimal("0.00"), "R-B8", "R-B8")
    assert q.total == Decimal("250.00")


def test_r_b8_key_account_agreement_in_the_future_pays_parts_only_and_no_onsite_fee():
    client = key_account(agreement_start=date(2027, 1, 1))
    q = quote_visit(client=client, on=DAY, lines=[line("part", "80"), line("repair", "100")])
    # part 80 × 1.25 = 100.00; other repair (100 × 1.36 = 136 by the list) free; no on-site fee.
    assert [ln.amount for ln in q.lines] == [Decimal("100.00"), Decimal("0.00")]
    assert q.onsite_fee == Decimal("0.00") and q.total == Decimal("100.00")


def test_r_b8_retail_client_without_agreement_date_is_priced_normally():
    # R-C3: only key accounts have agreements; a retail part 200 → 250 + on-site 50 = 300.
    q = quote_visit(client=retail(), on=DAY, lines=[line("part", "200")])
    assert q.total == Decimal("300.00")


def test_r_b6_retail_client_agreeing_to_charge_pays_the_onsite_fee_too(technician):
    from billing.choices import Decision
    from billing.services import decide_repair_plan
    from tests.factories import StaffFactory
    from servicedesk.choices import Role

    salesperson = StaffFactory(roles=[Role.SALES])
    client = retail(department=Department.KEY_ACCOUNT, salesperson=salesperson)
    eq = company_warranty_only(client)
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq)
    charge = record_visit_charges(work_order=wo, lines=[line("part", "200")], by=technician, on=DAY)
    assert charge.onsite_fee == Decimal("0.00")  # nothing charged while the salesperson has not agreed
    plan = RepairPlan.objects.get()
    now = timezone.make_aware(timezone.datetime(2026, 11, 21, 10, 0))
    decide_repair_plan(plan=plan, decision=Decision.CHARGE, reason="客户同意付费", by=salesperson, now=now)
    charge.refresh_from_db()
    # part 200 × 1.25 = 250 (R-P1) + the retail on-site fee 50 (R-P6) = 300, not 250.
    assert charge.onsite_fee == Decimal("50.00") and charge.onsite_fee_rule == "R-P6"
    assert "R-B6" in render(charge.onsite_fee_explanation)
    assert charge.billed_total(list(charge.lines.all())) == Decimal("300.00")


def test_r_b7_key_account_agreeing_to_charge_pays_no_onsite_fee(technician):
    from billing.choices import Decision
    from billing.services import decide_repair_plan
    from tests.factories import StaffFactory
    from servicedesk.choices import Role

    salesperson = StaffFactory(roles=[Role.SALES])
    client = key_account(department=Department.KEY_ACCOUNT, salesperson=salesperson)
    eq = out_of_warranty(client)
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq)
    charge = record_visit_charges(work_order=wo, lines=[line("repair", "80.50")], by=technician, on=DAY)
    now = timezone.make_aware(timezone.datetime(2026, 11, 21, 10, 0))
    decide_repair_plan(plan=RepairPlan.objects.get(), decision=Decision.CHARGE, reason="客户同意", by=salesperson, now=now)
    charge.refresh_from_db()
    # repair 80.50 × 1.36 = 109.48; key accounts pay no on-site fee.
    assert charge.onsite_fee == Decimal("0.00")
    assert charge.billed_total(list(charge.lines.all())) == Decimal("109.48")
