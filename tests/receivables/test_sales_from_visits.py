"""R-S1 "Sales from visits": a resolved charged visit becomes its sales confirmation in the same
transaction; later charge decisions (R-B9, R-B6/R-B7) correct it with history; the statement follows."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from billing import services as billing
from billing.choices import Decision
from billing.models import VisitCharge
from dispatch import services as dispatch
from receivables import services, tasks
from receivables.choices import ConfirmationStatus, PaymentTerms, PriceSource
from receivables.models import ConfirmationCorrection, SalesConfirmation
from servicedesk.choices import ClientKind, Department, Role
from servicedesk.errors import CalendarMissingError, ConflictError
from servicedesk.texts import render
from tests.factories import ClientFactory, EquipmentFactory, WorkOrderFactory, staff_with

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=TZ)


def _visit(*, client, coordinator, technician, start=MONDAY):
    """A mobile visit of `client` (equipment out of every warranty) driven to on-site; returns (order, arrival)."""
    eq = EquipmentFactory(client=client, manufacturer_warranty_end=date(2020, 1, 1), company_warranty_end=date(2021, 1, 1))
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq, created_at=start - timedelta(hours=1))
    t = start
    dispatch.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t)
    for step in ("accept", "contact", "depart", "arrive"):
        t += timedelta(minutes=1)
        if step == "contact":
            dispatch.contact(work_order=wo, by=technician, promised_at=t + timedelta(minutes=30), now=t)
        else:
            getattr(dispatch, step)(work_order=wo, by=technician, now=t)
    wo.refresh_from_db()
    return wo, t


def _resolve(wo, technician, arrived, lines):
    done = arrived + timedelta(minutes=55)
    return dispatch.resolve(
        work_order=wo, by=technician, now=done, work_done="更换硒鼓", fault_cause="硒鼓老化", advice="用原装耗材",
        lines=lines, started_at=arrived + timedelta(minutes=2), ended_at=arrived + timedelta(minutes=50),
        signature_name="王经理", completed_at=done,
    )


PART_200 = [{"kind": "part", "item": "other", "description": "硒鼓", "cost": "200.00", "quantity": 1, "installed": False}]


@pytest.fixture
def retail(salesperson):
    return ClientFactory(name="深圳市零散客户甲", kind=ClientKind.RETAIL, department=Department.KEY_ACCOUNT, salesperson=salesperson)


@pytest.fixture
def key(salesperson):
    # R-B8: a key account pays the price list only once its outsourced-service agreement has started.
    return ClientFactory(name="深圳市地税局", kind=ClientKind.KEY_ACCOUNT, department=Department.KEY_ACCOUNT, salesperson=salesperson,
                         agreement_start=date(2020, 1, 1))


def test_r_s1_retail_part_200_visit_makes_one_confirmation_of_300_due_7_working_days_later(retail, coordinator, technician, salesperson):
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)
    conf = SalesConfirmation.objects.get(work_order=wo)
    assert conf.amount == Decimal("300.00") and conf.from_visit and conf.is_open
    assert conf.client == retail and conf.site == wo.site and conf.technician == technician and conf.salesperson == salesperson
    assert conf.payment_terms == PaymentTerms.WORKING_DAYS and conf.sold_on == date(2026, 11, 16)
    assert conf.due_date == date(2026, 11, 25)  # 7 working days after Monday 16 Nov
    assert conf.due_rule["rule"] == "R-S3" and conf.ledger_recorded_at is not None  # in the technician's ledger (R-S6)
    lines = {render(line.description): line for line in conf.lines.all()}
    # the line keeps the technician's words ("硒鼓"), not just its kind ("配件")
    assert {k: v.amount for k, v in lines.items()} == {"硒鼓": Decimal("250.00"), "上门费": Decimal("50.00")}
    assert all(line.price_source == PriceSource.BILLING for line in lines.values())
    assert lines["硒鼓"].explanation["rule"] == "R-P1" and "200" in render(lines["硒鼓"].explanation["text"])
    # the on-site fee line is written by the product: it reads in the reader's language (rule 7)
    assert render(lines["上门费"].description, language="en") == "On-site fee"


def test_r_s1_the_api_lists_the_visit_sale_by_work_order(retail, coordinator, technician, finance, api):
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)
    body = api(finance).get("/api/receivables/confirmations/", {"work_order": wo.pk}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["amount"], row["payment_terms"], row["due_date"], row["from_visit"]) == ("300.00", "working_days", "2026-11-25", True)


def test_r_s3_retail_days_parameter_changes_the_visit_due_date(retail, coordinator, technician):
    from servicedesk.models import RuleParameter

    RuleParameter.objects.create(name="receivables.retail_due_working_days", effective_from=date(2026, 11, 1), kind="integer",
                                 value=3, unit="工作日", rule="R-S3", description="test")
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)
    assert SalesConfirmation.objects.get(work_order=wo).due_date == date(2026, 11, 19)


def test_r_s1_free_visit_makes_no_confirmation(retail, coordinator, technician):
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, [])
    assert VisitCharge.objects.get(work_order=wo).total == Decimal("0.00")
    assert not SalesConfirmation.objects.exists()


def test_r_s2_key_account_visit_is_monthly_and_on_that_months_statement(key, coordinator, technician):
    wo, arrived = _visit(client=key, coordinator=coordinator, technician=technician)
    consumable = [{"kind": "consumable", "item": "other", "cost": "100.00", "quantity": 1, "installed": True}]
    _resolve(wo, technician, arrived, consumable)
    conf = SalesConfirmation.objects.get(work_order=wo)
    assert conf.amount == Decimal("196.00") and conf.payment_terms == PaymentTerms.MONTHLY_STATEMENT
    assert conf.due_date == date(2026, 12, 31)
    services.register_delivery_copy(number=conf.number, by=coordinator, now=MONDAY + timedelta(days=2))
    result = tasks.compile_statements_task(month="2026-11-01")
    conf.refresh_from_db()
    assert len(result["compiled"]) == 1 and conf.statement.amount == Decimal("196.00") and conf.statement.client == key


def test_r_s1_re_resolving_or_re_running_never_makes_a_second_confirmation(retail, coordinator, technician):
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)
    with pytest.raises(ConflictError):  # the work order is resolved: resolving again is an illegal transition
        _resolve(wo, technician, arrived, PART_200)
    again = services.sale_from_visit(work_order=wo, technician=technician, completed_on=date(2026, 11, 16), now=MONDAY)
    assert again == SalesConfirmation.objects.get(work_order=wo)
    conf = again
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second visit sale too
        SalesConfirmation.objects.create(
            number="XS-DUP", client=conf.client, client_kind=conf.client_kind, work_order=wo, technician=technician,
            sold_on=conf.sold_on, payment_terms=conf.payment_terms, amount=Decimal("1.00"), due_date=conf.due_date,
            original_due_date=conf.due_date, created_at=MONDAY, from_visit=True,
        )
    tasks.compile_statements_task(month="2026-11-01")
    assert SalesConfirmation.objects.filter(work_order=wo).count() == 1


def test_r_b9_dispute_waived_corrects_the_confirmation_with_history_and_the_statement_follows(key, coordinator, technician, salesperson, finance):
    wo, arrived = _visit(client=key, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, [{"kind": "consumable", "item": "other", "cost": "100.00", "quantity": 1, "installed": True},
                                       {"kind": "consumable", "item": "other", "cost": "50.00", "quantity": 1, "installed": False}])
    conf = SalesConfirmation.objects.get(work_order=wo)
    assert conf.amount == Decimal("264.00")  # 196 + 68 (key accounts pay no on-site fee)
    services.register_delivery_copy(number=conf.number, by=coordinator, now=MONDAY + timedelta(days=1))
    stmt = services.compile_statement(client=key, month=date(2026, 11, 1), now=MONDAY + timedelta(days=2))
    services.review_statement(statement=stmt, by=staff_with(Role.MANAGER), now=MONDAY + timedelta(days=3))
    charge = VisitCharge.objects.get(work_order=wo)
    lcd = charge.lines.get(cost=Decimal("50"))
    billing.mark_disputed(visit_charge=charge, line=lcd, by=coordinator, reason="客户称显示器仍在保修", now=MONDAY + timedelta(days=4))
    billing.decide_dispute(visit_charge=charge, line=lcd, decision=Decision.WAIVE, reason="经核实在保,免收",
                           by=salesperson, now=MONDAY + timedelta(days=5))
    conf.refresh_from_db()
    assert conf.amount == Decimal("196.00") and conf.lines.count() == 2  # lines as registered, amount corrected
    corr = ConfirmationCorrection.objects.get(confirmation=conf)
    assert (corr.old_amount, corr.new_amount, corr.rule, corr.by, corr.reason) == (
        Decimal("264.00"), Decimal("196.00"), "R-B9", salesperson, "经核实在保,免收")
    assert corr.at == MONDAY + timedelta(days=5)
    stmt.refresh_from_db()
    assert stmt.amount == Decimal("196.00") and stmt.status == "compiled"  # reviewed content changed: reviewed again
    from receivables.selectors import ledger

    row = ledger(as_of=date(2026, 12, 1)).get(pk=conf.pk)
    assert row.outstanding_amount == Decimal("196.00")


def test_r_b9_whole_visit_waived_leaves_a_zero_settled_confirmation(retail, coordinator, technician, salesperson):
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)
    charge = VisitCharge.objects.get(work_order=wo)
    billing.mark_disputed(visit_charge=charge, by=coordinator, reason="客户拒付", now=MONDAY + timedelta(days=1))
    billing.decide_dispute(visit_charge=charge, decision=Decision.WAIVE, reason="老客户,免收", by=salesperson, now=MONDAY + timedelta(days=2))
    conf = SalesConfirmation.objects.get(work_order=wo)
    assert conf.amount == Decimal("0.00") and not conf.is_open
    assert not SalesConfirmation.objects.overdue(on=date(2027, 1, 1)).exists()


def test_a_correction_below_what_was_received_is_refused_and_nothing_changes(retail, coordinator, technician, salesperson, finance):
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)
    conf = SalesConfirmation.objects.get(work_order=wo)
    services.record_payment(confirmation=conf, amount="300.00", received_on=date(2026, 11, 16), by=finance, now=MONDAY + timedelta(hours=8))
    charge = VisitCharge.objects.get(work_order=wo)
    billing.mark_disputed(visit_charge=charge, by=coordinator, reason="客户拒付", now=MONDAY + timedelta(days=1))
    with pytest.raises(ConflictError) as exc:
        billing.decide_dispute(visit_charge=charge, decision=Decision.WAIVE, reason="免收", by=salesperson, now=MONDAY + timedelta(days=2))
    assert exc.value.field == "amount" and "退款" in str(exc.value.message)
    charge.refresh_from_db()
    assert charge.status == "disputed" and not ConfirmationCorrection.objects.exists()  # the decision rolled back too


def test_r_b6_repair_plan_agreed_as_chargeable_creates_the_sale_then_it_is_registered(coordinator, technician, salesperson):
    # R-B6: manufacturer warranty expired, company warranty valid → the salesperson agrees with the client.
    client = ClientFactory(kind=ClientKind.RETAIL, department=Department.KEY_ACCOUNT, salesperson=salesperson)
    eq = EquipmentFactory(client=client, manufacturer_warranty_end=date(2020, 1, 1), company_warranty_end=date(2030, 1, 1))
    wo = WorkOrderFactory(client=client, site=eq.site, equipment=eq, created_at=MONDAY - timedelta(hours=1))
    t = MONDAY
    dispatch.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=t)
    dispatch.accept(work_order=wo, by=technician, now=t + timedelta(minutes=1))
    dispatch.contact(work_order=wo, by=technician, promised_at=t + timedelta(minutes=30), now=t + timedelta(minutes=2))
    dispatch.depart(work_order=wo, by=technician, now=t + timedelta(minutes=3))
    dispatch.arrive(work_order=wo, by=technician, now=t + timedelta(minutes=4))
    _resolve(wo, technician, t + timedelta(minutes=4), PART_200)
    assert not SalesConfirmation.objects.exists()  # nothing to charge until the salesperson decides
    plan = wo.repair_plans.get()
    billing.decide_repair_plan(plan=plan, decision=Decision.CHARGE, reason="客户同意付费", by=salesperson, now=MONDAY + timedelta(days=1))
    conf = SalesConfirmation.objects.get(work_order=wo)
    # R-B6 + R-P1 + R-P6: the retail client who agreed pays the part 200 × 1.25 = 250 and the on-site fee 50 = 300.
    assert conf.amount == Decimal("300.00") and conf.status == ConfirmationStatus.DRAFT and conf.technician == technician


def test_a_year_missing_from_the_calendar_defers_the_sale_and_the_catch_up_makes_it(retail, coordinator, technician, monkeypatch):
    from receivables.services import common

    real = common.add_working_days_marked

    def missing(day, n):
        raise CalendarMissingError(day.year)

    monkeypatch.setattr(common, "add_working_days_marked", missing)
    wo, arrived = _visit(client=retail, coordinator=coordinator, technician=technician)
    _resolve(wo, technician, arrived, PART_200)  # the visit closes; only the due date could not be computed
    wo.refresh_from_db()
    assert wo.status == "resolved" and not SalesConfirmation.objects.exists()
    assert tasks.missing_visit_sales_task() == {"created": []}  # still missing: nothing guessed
    monkeypatch.setattr(common, "add_working_days_marked", real)  # the calendar can hold the year again
    created = tasks.missing_visit_sales_task()["created"]
    conf = SalesConfirmation.objects.get(work_order=wo)
    assert created == [conf.pk] and conf.amount == Decimal("300.00") and conf.due_date == date(2026, 11, 25)
    assert tasks.missing_visit_sales_task() == {"created": []}  # idempotent
