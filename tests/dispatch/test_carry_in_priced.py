"""Carry-in repairs (送修) are priced by the same rules as a visit, without an on-site fee (nobody went on site),
when finished; become their sales confirmation when returned; count in the R-M1 workload score (kind "carry_in",
a parameter); and get their callback window like a visit (R-K1/R-K2)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from billing.models import VisitCharge
from callbacks.models import Callback
from dispatch import services
from dispatch.figures import resolved_visits
from receivables.models import SalesConfirmation
from servicedesk.choices import Channel, ServiceMode
from servicedesk.models import RuleParameter
from servicedesk.texts import render

from ..billing.factories import out_of_warranty, retail

pytestmark = pytest.mark.django_db

LCD = [{"kind": "repair", "item": "lcd_monitor", "quantity": 1}]
PART_200 = [{"kind": "part", "item": "other", "cost": "200.00", "quantity": 1}]


@pytest.fixture
def bench_order(make_order):
    eq = out_of_warranty(retail())
    return make_order(equipment=eq, channel=Channel.CARRY_IN, service_mode=ServiceMode.MOBILE)


def _repair(wo, coordinator, technician, t0, lines):
    services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t0)
    services.diagnose(work_order=wo, by=technician, now=t0 + timedelta(minutes=30))
    services.ask_consent(work_order=wo, by=technician, diagnosis="液晶屏背光损坏", expected_ready_on=t0.date() + timedelta(days=3),
                         now=t0 + timedelta(hours=1))
    services.record_client_answer(work_order=wo, by=technician, continue_repair=True, note="客户同意", now=t0 + timedelta(hours=2))
    services.start_testing(work_order=wo, by=technician, now=t0 + timedelta(days=1))
    done = t0 + timedelta(days=3)
    services.finish_testing(work_order=wo, by=technician, test_days=2, now=done, lines=lines)
    return done


def test_carry_in_lcd_repair_is_priced_150_when_finished_and_sold_when_returned(bench_order, coordinator, technician, t0):
    done = _repair(bench_order, coordinator, technician, t0, LCD)
    charge = VisitCharge.objects.get(work_order=bench_order)
    # R-P3 LCD monitor fixed price ¥150; no on-site fee for a carry-in repair (R-P6)
    assert (charge.total, charge.onsite_fee) == (Decimal("150.00"), Decimal("0.00"))
    assert charge.lines.get().rule == "R-P3" and "送修" in render(charge.onsite_fee_explanation)
    assert not SalesConfirmation.objects.filter(work_order=bench_order).exists()  # a sale only once returned
    returned = done + timedelta(days=1)
    services.return_device(work_order=bench_order, by=coordinator, now=returned)
    conf = SalesConfirmation.objects.get(work_order=bench_order)
    assert conf.amount == Decimal("150.00") and conf.technician == technician
    # R-K2 first service: opens 24 h and due 72 h after the return (no part replaced)
    cb = Callback.objects.get(work_order=bench_order)
    assert (cb.window_opens_at, cb.due_at) == (returned + timedelta(hours=24), returned + timedelta(hours=72))


def test_carry_in_retail_part_pays_250_without_the_onsite_fee(bench_order, coordinator, technician, t0):
    done = _repair(bench_order, coordinator, technician, t0, PART_200)
    # part 200 × 1.25 = 250; a visit would add the ¥50 on-site fee (300), a carry-in repair does not
    assert VisitCharge.objects.get(work_order=bench_order).total == Decimal("250.00")
    returned = done + timedelta(hours=5)
    services.return_device(work_order=bench_order, by=coordinator, now=returned)
    assert SalesConfirmation.objects.get(work_order=bench_order).amount == Decimal("250.00")
    assert Callback.objects.get(work_order=bench_order).due_at == returned + timedelta(hours=24)  # a part replaced: 24 h


def test_carry_in_declined_repair_has_no_charge_no_sale_no_callback(bench_order, coordinator, technician, t0):
    services.dispatch_work_order(work_order=bench_order, technician=technician, by=coordinator, now=t0)
    services.diagnose(work_order=bench_order, by=technician, now=t0 + timedelta(minutes=30))
    services.ask_consent(work_order=bench_order, by=technician, diagnosis="主板烧毁", expected_ready_on=t0.date() + timedelta(days=5),
                         now=t0 + timedelta(hours=1))
    services.record_client_answer(work_order=bench_order, by=technician, continue_repair=False, note="不修", now=t0 + timedelta(hours=2))
    services.return_device(work_order=bench_order, by=coordinator, now=t0 + timedelta(hours=3))
    assert not VisitCharge.objects.exists() and not SalesConfirmation.objects.exists() and not Callback.objects.exists()
    assert resolved_visits(date(2026, 11, 1)) == {}


def test_r_m1_a_finished_carry_in_repair_counts_in_the_workload_score_with_its_own_parameter(bench_order, coordinator, technician, t0):
    from bonuses.mobile_rules import mobile_month

    _repair(bench_order, coordinator, technician, t0, LCD)
    fig = resolved_visits(date(2026, 11, 1))[technician.pk]
    assert fig["total"] == 1 and fig["by_mode_kind"] == {(ServiceMode.MOBILE, "carry_in"): 1}
    row = next(r for r in mobile_month(date(2026, 11, 1)).rows if r.person_id == technician.pk)
    assert row.score == Decimal("1")  # default score of the carry-in kind: 1
    p = RuleParameter.objects.get(name="bonus.workload_scores")
    p.value = {**p.value, "carry_in": "1.5"}
    p.save()
    row = next(r for r in mobile_month(date(2026, 11, 1)).rows if r.person_id == technician.pk)
    assert row.score == Decimal("1.5")


def test_carry_in_lines_through_the_api(api, bench_order, coordinator, technician, t0):
    services.dispatch_work_order(work_order=bench_order, technician=technician, by=coordinator, now=t0)
    services.diagnose(work_order=bench_order, by=technician, now=t0)
    services.ask_consent(work_order=bench_order, by=technician, diagnosis="屏坏", expected_ready_on=t0.date() + timedelta(days=3), now=t0)
    services.record_client_answer(work_order=bench_order, by=technician, continue_repair=True, now=t0)
    services.start_testing(work_order=bench_order, by=technician, now=t0)
    res = api(technician).post(f"/api/work-orders/{bench_order.pk}/finish-testing/", {"test_days": 1, "lines": LCD}, format="json")
    assert res.status_code == 200, res.content
    assert VisitCharge.objects.get(work_order=bench_order).total == Decimal("150.00")
