"""Tests that can fail (docs/developers.md rule 9): every parameter a rule reads (callbacks, dispatch, billing, penalties,
receivables, resident and team service) is changed once by a manager through `schedule_param`, and the
effect is seen through the service that reads it. The old value stays in force before the new version's
date, so each test also shows the rule still reads the version of its own day.

(bonus.* parameters are covered by the month-close tests.)
"""
import importlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from billing.services import quote_visit
from callbacks import selectors as callback_selectors
from callbacks import services as callback_services
from callbacks.choices import CallbackStatus, WindowRule
from dispatch import services as dispatch_services
from dispatch.models import CloseOut, Deadline
from penalties import selectors as penalty_selectors
from penalties import services as penalty_services
from penalties.models import Penalty
from servicedesk.choices import Channel, ClientKind, Department, ServiceMode, SoftwareEntitlement, WorkOrderStatus
from servicedesk.params import get_param, schedule_param

from .dispatch.helpers import close_out_fields, drive
from .factories import ClientFactory, EquipmentFactory, WorkOrderFactory, staff_with

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
D0 = date(2026, 11, 23)  # Monday: the seeded value is in force
D1 = date(2026, 11, 24)  # Tuesday: the manager's new version takes effect
COVERED: set[str] = set()

# Parameters no rule reads yet (a test below proves it, so wiring one in makes this list fail).
NOT_READ: dict[str, str] = {}


def covers(*names):
    COVERED.update(names)

    def mark(fn):
        return fn

    return mark


def when(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def change(name: str, value, manager=None):
    """A manager schedules the new version on D0, effective D1 (never back-dated)."""
    return schedule_param(name=name, value=value, effective_from=D1, today=D0, by=manager, note="test")


def seeded_names() -> set[str]:
    m2 = importlib.import_module("servicedesk.migrations.0002_seed_rule_parameters")
    return {d[0] for d in m2.DEFAULTS if not d[0].startswith("bonus.")} | {"sla.travel_allowance_minutes"}


# --------------------------------------------------------------------------- §3 dispatch (R-W4…R-W14)
def _minutes(wo, kind):
    d = Deadline.objects.get(work_order=wo, kind=kind, cancelled_at=None)
    return int((d.due_at - d.starts_at).total_seconds() // 60)


@covers("sla.mobile_depart_minutes", "sla.contact_client_minutes", "sla.resident_arrive_minutes")
@pytest.mark.parametrize(
    "name, mode, kind, old, new",
    [
        ("sla.mobile_depart_minutes", ServiceMode.MOBILE, "mobile_depart", 10, 20),
        ("sla.contact_client_minutes", ServiceMode.MOBILE, "contact_client", 15, 25),
        ("sla.resident_arrive_minutes", ServiceMode.RESIDENT, "resident_arrive", 5, 8),
    ],
)
def test_sla_minutes(coordinator, technician, manager, name, mode, kind, old, new):
    change(name, new, manager)
    before, after = WorkOrderFactory(service_mode=mode), WorkOrderFactory(service_mode=mode)
    dispatch_services.dispatch_work_order(work_order=before, technician=technician, by=coordinator, now=when(D0))
    dispatch_services.dispatch_work_order(work_order=after, technician=other(technician), by=coordinator, now=when(D1))
    assert (_minutes(before, kind), _minutes(after, kind)) == (old, new)


def other(technician):
    return staff_with("technician", name=f"{technician.name}之同事", area=technician.area)


@covers("sla.resident_phone_answer_minutes")
def test_sla_resident_phone_answer_minutes(coordinator, technician, manager):
    change("sla.resident_phone_answer_minutes", 3, manager)
    for day in (D0, D1):
        busy = WorkOrderFactory(service_mode=ServiceMode.RESIDENT)
        dispatch_services.dispatch_work_order(work_order=busy, technician=technician, by=coordinator, now=when(day, 9))
        dispatch_services.accept(work_order=busy, by=technician, now=when(day, 9, 1))
        dispatch_services.arrive(work_order=busy, by=technician, now=when(day, 9, 3))
        wo = WorkOrderFactory(service_mode=ServiceMode.RESIDENT)
        dispatch_services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=when(day, 9, 30))
        assert _minutes(wo, "resident_answer") == (1 if day == D0 else 3)
        busy.refresh_from_db()
        fields = close_out_fields(when(day, 9, 3), lines=[])
        dispatch_services.resolve(work_order=busy, by=technician, now=fields["completed_at"], **fields)


@covers("sla.travel_allowance_minutes")
def test_sla_travel_allowance_minutes(coordinator, technician, manager):
    change("sla.travel_allowance_minutes", 60, manager)
    for day, due in ((D0, when(D0 + timedelta(days=1), 9, 30)), (D1, when(D1 + timedelta(days=1), 9, 0))):
        wo = WorkOrderFactory(service_mode=ServiceMode.MOBILE, required_at=when(day + timedelta(days=1), 10))
        dispatch_services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=when(day, 17, 30))
        assert Deadline.objects.get(work_order=wo, kind="mobile_depart").due_at == due


@covers("dispatch.max_visits_per_day")
def test_dispatch_max_visits_per_day(coordinator, technician, manager):
    change("dispatch.max_visits_per_day", 2, manager)
    for i in range(3):  # D0: the 3rd visit of the day is within the seeded limit of 3
        result = dispatch_services.dispatch_work_order(work_order=WorkOrderFactory(), technician=technician, by=coordinator, now=when(D0, 9, i))
        assert result.warnings == []
    for i in range(2):
        dispatch_services.dispatch_work_order(work_order=WorkOrderFactory(), technician=technician, by=coordinator, now=when(D1, 9, i))
    with pytest.raises(dispatch_services.LoadLimitExceeded) as exc:
        dispatch_services.dispatch_work_order(work_order=WorkOrderFactory(), technician=technician, by=coordinator, now=when(D1, 9, 5))
    assert "上限 2 次" in str(exc.value.message)


def _resolved(coordinator, technician, day, *, equipment=None, minutes=50, hour=9):
    wo = WorkOrderFactory(**({"client": equipment.client, "site": equipment.site, "equipment": equipment} if equipment else {}))
    arrived = drive(wo, to="on_site", coordinator=coordinator, technician=technician, now=when(day, hour))
    fields = close_out_fields(arrived, lines=[], ended_at=arrived + timedelta(minutes=2 + minutes), completed_at=arrived + timedelta(minutes=5 + minutes))
    return dispatch_services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)


@covers("visit.max_duration_minutes")
def test_visit_max_duration_minutes(coordinator, technician, manager):
    change("visit.max_duration_minutes", 30, manager)
    assert _resolved(coordinator, technician, D0).over_duration is False  # 50 min ≤ 120
    assert _resolved(coordinator, technician, D1).over_duration is True  # 50 min > 30


@covers("second_service.window_days")
def test_second_service_window_days(coordinator, technician, manager):
    change("second_service.window_days", 10, manager)
    for day, second in ((D0, True), (D1, False)):
        eq = EquipmentFactory()
        earlier = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq, content="repair", status=WorkOrderStatus.CLOSED)
        CloseOut.objects.create(
            work_order=earlier, technician=technician, work_done="x", fault_cause="x", advice="x", started_at=when(day - timedelta(days=20)),
            ended_at=when(day - timedelta(days=20)), signature_name="x", completed_at=when(day - timedelta(days=20)), recorded_at=when(day - timedelta(days=20)),
        )
        co = _resolved(coordinator, technician, day, equipment=eq)
        assert (co.second_service_of_id == earlier.pk) is second


@covers("carry_in.return_within_days", "carry_in.return_warning_hours")
def test_carry_in_return_days_and_warning_hours(coordinator, technician, manager):
    change("carry_in.return_within_days", 3, manager)
    change("carry_in.return_warning_hours", 12, manager)
    seen = {}
    for day in (D0, D1):
        wo = WorkOrderFactory(channel=Channel.CARRY_IN)
        dispatch_services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=when(day, 9))
        dispatch_services.diagnose(work_order=wo, by=technician, now=when(day, 9, 10))
        dispatch_services.ask_consent(work_order=wo, by=technician, diagnosis="主板损坏", expected_ready_on=day + timedelta(days=2), now=when(day, 9, 20))
        dispatch_services.record_client_answer(work_order=wo, by=technician, continue_repair=False, now=when(day, 10))
        d = Deadline.objects.get(work_order=wo, kind="carry_in_return")
        seen[day] = (d.due_at - when(day, 10), d.due_at - d.warn_at)
    assert seen[D0] == (timedelta(days=2), timedelta(hours=24))
    assert seen[D1] == (timedelta(days=3), timedelta(hours=12))


# --------------------------------------------------------------------------- §4 callbacks (R-K2, R-K6, R-K8)
def _callback(day, *, second=False, part=False):
    eq = EquipmentFactory()
    wo = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq, status=WorkOrderStatus.RESOLVED, is_second_service=second,
                          technician=staff_with("technician"))
    return callback_services.schedule_callback(work_order=wo, completed_at=when(day), part_replaced=part)


@covers("callback.first_opens_hours", "callback.first_due_hours", "callback.second_service_due_hours", "callback.part_replaced_due_hours")
@pytest.mark.parametrize(
    "name, new, kw, attr, old_hours, new_hours",
    [
        ("callback.first_opens_hours", 12, {}, "window_opens_at", 24, 12),
        ("callback.first_due_hours", 48, {}, "due_at", 72, 48),
        ("callback.second_service_due_hours", 12, {"second": True}, "due_at", 24, 12),
        ("callback.part_replaced_due_hours", 6, {"part": True}, "due_at", 24, 6),
    ],
)
def test_callback_windows(manager, name, new, kw, attr, old_hours, new_hours):
    change(name, new, manager)
    before, after = _callback(D0, **kw), _callback(D1, **kw)
    assert getattr(before, attr) - when(D0) == timedelta(hours=old_hours)
    assert getattr(after, attr) - when(D1) == timedelta(hours=new_hours)


@covers("callback.max_attempts")
def test_callback_max_attempts(coordinator, manager):
    change("callback.max_attempts", 2, manager)
    results = {}
    for day in (D0, D1):
        cb = _callback(day, part=True)
        for n in range(2):
            cb = callback_services.record_no_answer(callback=cb, by=coordinator, now=when(day, 11 + n))
        results[day] = cb.status
    assert results == {D0: CallbackStatus.DUE, D1: CallbackStatus.UNREACHABLE}


@covers("callback.coverage_target_percent")
def test_callback_coverage_target_percent(manager):
    change("callback.coverage_target_percent", "50", manager)
    # the month's target is the one in force on its last day: November takes the new version, October not
    assert callback_selectors.department_month_figures(date(2026, 10, 1)).target == Decimal("30")
    assert callback_selectors.department_month_figures(date(2026, 11, 1)).target == Decimal("50")


@covers("callback.violation_points_per_item")
def test_callback_violation_points_per_item(coordinator, manager):
    """R-K4: each "no" proposes P6 at callback.violation_points_per_item, kept inside penalty.P6's range."""
    from penalties.models import Penalty as P

    p6 = dict(get_param("penalty.P6", on=D0).value, min=1, max=5)
    schedule_param(name="penalty.P6", value=p6, effective_from=D0, today=D0, by=manager, note="test")
    change("callback.violation_points_per_item", 4, manager)
    seen = {}
    for day in (D0, D1):
        cb = _callback(day)
        callback_services.record_call(callback=cb, by=coordinator, now=when(day, 11), badge=False,
                                      explained=True, cleaned=True, signed=True, satisfaction="satisfied")
        seen[day] = P.objects.get(person=cb.technician, rule="P6").suggested_points
    assert seen == {D0: 2, D1: 4}
    schedule_param(name="callback.violation_points_per_item", value=9, effective_from=D1 + timedelta(days=1), today=D0,
                   by=manager, note="test")
    cb = _callback(D1 + timedelta(days=1))
    callback_services.record_call(callback=cb, by=coordinator, now=when(D1 + timedelta(days=1), 11), badge=False,
                                  explained=True, cleaned=True, signed=True, satisfaction="satisfied")
    assert P.objects.get(person=cb.technician, rule="P6").suggested_points == 5  # the P6 maximum


def test_callback_window_labels_carry_no_fixed_hours():
    assert all(not any(ch.isdigit() for ch in str(label)) for _value, label in WindowRule.choices)


def test_the_parameters_no_rule_reads_are_really_not_read():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    sources = [p for app in ("servicedesk", "dispatch", "billing", "callbacks", "penalties", "receivables", "bonuses", "reports")
               for p in (root / app).rglob("*.py") if "migrations" not in p.parts and p.name != "param_specs.py"]
    for name in NOT_READ:
        readers = [str(p) for p in sources if f'"{name}"' in p.read_text(encoding="utf-8")]
        assert readers == [], f"{name} is read now: add its test to tests/test_every_parameter.py"


# --------------------------------------------------------------------------- §5 resident and team service (R-R4, R-R5)
@covers("resident.documents_due_working_day")
def test_resident_documents_due_working_day(manager):
    from dispatch.resident.services import documents_due_on

    change("resident.documents_due_working_day", 3, manager)
    october, _ = documents_due_on(month=date(2026, 10, 1))  # read on 10-31: seeded 5th working day of November
    november, _ = documents_due_on(month=date(2026, 11, 1))  # read on 11-30: 3rd working day of December
    assert october == date(2026, 11, 6) and november == date(2026, 12, 3)


@covers("team.min_person_days")
def test_team_threshold_person_days(manager):
    from dispatch.projects.services import team_project_proposal

    change("team.min_person_days", 6, manager)
    estimate = dict(technicians=2, working_days=3, person_days=None)  # 6 person-days
    assert team_project_proposal(on=D0, **estimate) is None
    assert team_project_proposal(on=D1, **estimate) is not None


@covers("team.min_technicians", "team.min_working_days")
@pytest.mark.parametrize(
    "name, new, estimate",
    [
        ("team.min_technicians", 3, dict(technicians=3, working_days=4, person_days=12)),
        ("team.min_working_days", 1, dict(technicians=10, working_days=1, person_days=10)),
    ],
)
def test_team_expected_shape(manager, name, new, estimate):
    # R-R5: ≥ 10 person-days is the only trigger; technicians and working days are the expected shape shown
    # with the proposal (below it: a note to check the staffing), never a second trigger.
    from dispatch.projects.services import team_project_proposal

    change(name, new, manager)
    assert team_project_proposal(on=D0, **estimate)["below_shape"] is True
    assert team_project_proposal(on=D1, **estimate)["below_shape"] is False


# --------------------------------------------------------------------------- §6 charges (R-P1…R-P6, R-B2, R-B3)
def _retail_client(**kw):
    # a key-account-department retail client: hardware and software are charged at the price list (R-B5)
    return ClientFactory(kind=ClientKind.RETAIL, department=Department.KEY_ACCOUNT, **kw)


def _amount(day, line, client=None, **kw):
    q = quote_visit(client=client or _retail_client(), on=day, lines=[line], **kw)
    return q.lines[0].amount, q.onsite_fee


@covers(
    "billing.part_markup", "billing.consumable_markup", "billing.installation_fee", "billing.repair_markup",
    "billing.repair_lcd_monitor", "billing.repair_crt_monitor", "billing.repair_motherboard",
    "billing.software_os_install", "billing.software_office_tools",
)
@pytest.mark.parametrize(
    "name, new, line, old_amount, new_amount",
    [
        ("billing.part_markup", "1.50", {"kind": "part", "cost": "100.00"}, "125.00", "150.00"),
        ("billing.consumable_markup", "1.50", {"kind": "consumable", "cost": "100.00"}, "136.00", "150.00"),
        ("billing.installation_fee", "80.00", {"kind": "consumable", "cost": "100.00", "installed": True}, "196.00", "216.00"),
        ("billing.repair_markup", "1.50", {"kind": "repair", "item": "other", "cost": "100.00"}, "136.00", "150.00"),
        ("billing.repair_lcd_monitor", "200.00", {"kind": "repair", "item": "lcd_monitor"}, "150.00", "200.00"),
        ("billing.repair_crt_monitor", "90.00", {"kind": "repair", "item": "crt_monitor"}, "80.00", "90.00"),
        ("billing.repair_motherboard", "95.00", {"kind": "repair", "item": "motherboard"}, "80.00", "95.00"),
        ("billing.software_os_install", "70.00", {"kind": "software", "item": "os_install"}, "50.00", "70.00"),
        ("billing.software_office_tools", "25.00", {"kind": "software", "item": "office_tools"}, "20.00", "25.00"),
    ],
)
def test_price_list(manager, name, new, line, old_amount, new_amount):
    change(name, new, manager)
    assert _amount(D0, line)[0] == Decimal(old_amount)
    assert _amount(D1, line)[0] == Decimal(new_amount)


@covers("billing.onsite_fee")
def test_onsite_fee(manager):
    change("billing.onsite_fee", "70.00", manager)
    line = {"kind": "part", "cost": "100.00"}
    assert _amount(D0, line)[1] == Decimal("50.00") and _amount(D1, line)[1] == Decimal("70.00")


@covers("billing.free_software_visits")
def test_free_software_visits(manager):
    change("billing.free_software_visits", 4, manager)
    client = ClientFactory(kind=ClientKind.RETAIL, department=Department.BIDDING, software_entitlement=SoftwareEntitlement.VISITS)
    line = {"kind": "software", "item": "os_install"}
    # the client's 4th software visit: charged while 3 are free, free once 4 are
    assert _amount(D0, line, client=client, software_visit_ordinal=4)[0] == Decimal("50.00")
    assert _amount(D1, line, client=client, software_visit_ordinal=4)[0] == Decimal("0.00")


@covers("billing.software_free_working_days")
def test_software_free_working_days(manager):
    change("billing.software_free_working_days", 5, manager)
    client = ClientFactory(kind=ClientKind.RETAIL, department=Department.BIDDING, software_entitlement=SoftwareEntitlement.WORKING_DAYS)
    eq = EquipmentFactory(client=client, installed_on=date(2026, 11, 16))
    line = {"kind": "software", "item": "os_install"}
    assert _amount(D0, line, client=client, equipment=eq)[0] == Decimal("0.00")  # within 15 working days
    assert _amount(D1, line, client=client, equipment=eq)[0] == Decimal("50.00")  # 5 working days ended 11-23


# --------------------------------------------------------------------------- §7 penalties (R-N1, R-N3)
CLAUSES = [f"P{i}" for i in range(1, 12)]
# SPEC §7, typed from the handbook's table (never read back from the seed): points min, max and the dismissal mark
SPEC_POINTS = {
    "P1": (5, 20, "never"), "P2": (10, 10, "serious"), "P3": (10, 10, "second_time"), "P4": (2, 2, "never"),
    "P5": (2, 2, "never"), "P6": (2, 2, "never"), "P7": (5, 5, "never"), "P8": (10, 10, "serious"),
    "P9": (5, 5, "serious"), "P10": (50, 50, "always"), "P11": (2, 2, "never"),
}


@covers(*[f"penalty.{c}" for c in CLAUSES])
@pytest.mark.parametrize("clause", CLAUSES)
def test_penalty_clause_range(manager, technician, clause):
    lo, hi, dismissal = SPEC_POINTS[clause]
    change(f"penalty.{clause}", {**get_param(f"penalty.{clause}", on=D0).value, "min": lo + 1, "max": hi + 3}, manager)
    before = penalty_services.propose(person=technician, rule=clause, source=WorkOrderFactory(), reason="测试", on=D0)
    after = penalty_services.propose(person=technician, rule=clause, source=WorkOrderFactory(), reason="测试", on=D1)
    # the seeded clause is the SPEC's, then the new version applies from its date
    assert (before.suggested_points, before.min_points, before.max_points, before.dismissal) == (lo, lo, hi, dismissal)
    assert (after.suggested_points, after.max_points) == (lo + 1, hi + 3)


@covers("penalty.P8.joint")
def test_penalty_p8_joint_ranges(manager, technician):
    old = get_param("penalty.P8.joint", on=D0).value
    change("penalty.P8.joint", {**old, "team_lead": {"min": 6, "max": 8}}, manager)
    rows = {}
    for day in (D0, D1):
        own = penalty_services.propose(person=technician, rule="P8", source=WorkOrderFactory(), reason="投诉", on=day)
        lead = staff_with("team_lead", "technician")
        rows[day] = penalty_services.propose(
            person=lead, rule="P8", source=own.source, reason="连带", on=day, joint_role="team_lead", joint_of=own
        )
    assert (rows[D0].suggested_points, rows[D0].max_points) == (10, 10)
    assert (rows[D1].suggested_points, rows[D1].max_points) == (6, 8)


@covers("penalty.yuan_per_point")
def test_penalty_yuan_per_point(manager, technician):
    change("penalty.yuan_per_point", "3.00", manager)
    for day in (D0, D1):
        pen = penalty_services.propose(person=technician, rule="P7", source=WorkOrderFactory(), reason="响应不及时", on=day)
        penalty_services.confirm(penalty=pen, by=manager, now=when(day, 18))
    (row,) = penalty_selectors.monthly_points(date(2026, 11, 1), person=technician)
    assert row.points == 10 and row.amount == Decimal("15.00")  # 5 points at ¥0 (D0) + 5 points at ¥3 (D1)


# --------------------------------------------------------------------------- §9 receivables (R-S3, R-S5, R-S8)
@covers("receivables.retail_due_working_days")
def test_receivables_retail_due_working_days(manager):
    from receivables.choices import PaymentTerms
    from receivables.services.common import compute_due_date

    change("receivables.retail_due_working_days", 3, manager)
    before, _ = compute_due_date(client_kind=ClientKind.RETAIL, payment_terms=PaymentTerms.WORKING_DAYS, sold_on=D0)
    after, explanation = compute_due_date(client_kind=ClientKind.RETAIL, payment_terms=PaymentTerms.WORKING_DAYS, sold_on=D1)
    assert before == date(2026, 12, 2) and after == date(2026, 11, 27)
    assert explanation["params"][0]["value"] in (3, "3")


@covers("receivables.ageing_buckets")
def test_receivables_ageing_buckets(manager):
    from receivables.selectors import ageing_buckets

    change("receivables.ageing_buckets", [15, 45], manager)
    assert [b.key for b in ageing_buckets(on=D0)[0]] == ["not_due", "1_30", "31_60", "61_90", "over_90"]
    assert [b.key for b in ageing_buckets(on=D1)[0]] == ["not_due", "1_15", "16_45", "over_45"]


@covers("receivables.overdue_penalty_rule")
def test_receivables_overdue_penalty_rule(manager, technician):
    from receivables.services.reviews import propose_overdue_penalty

    from .receivables.factories import confirmation

    change("receivables.overdue_penalty_rule", {"rule": "P9", "points": 5}, manager)
    for day in (D0, D1):
        conf = confirmation(technician=technician, sold_on=date(2026, 11, 2))
        assert propose_overdue_penalty(confirmation=conf, reason="技术员原因逾期", on=day, now=when(day, 12)) is True
    assert sorted(Penalty.objects.filter(person=technician).values_list("rule", "suggested_points")) == [("P11", 2), ("P9", 5)]


# --------------------------------------------------------------------------- every parameter has its test
def test_every_parameter_a_rule_reads_is_changed_in_a_test():
    missing = seeded_names() - COVERED - set(NOT_READ)
    assert not missing, f"parameters never changed in a test: {sorted(missing)}"
