"""R-N1, R-N2, R-N4 and the P8 joint liability, through the services."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from penalties import services
from penalties.choices import DecisionAction, FlagStatus, JointRole, PenaltyStatus
from penalties.models import DismissalFlag, Penalty, PenaltyDecision
from penalties.rules import catalogue
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import RuleParameter
from servicedesk.params import schedule_param

from .factories import confirmed, pending

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ catalogue
def test_catalogue_p1_to_p11_from_parameters_with_p8_joint_roles(day):
    rows = {(t.rule, t.joint_role): t for t in catalogue(on=day)}
    assert (rows[("P1", "")].min_points, rows[("P1", "")].max_points) == (5, 20)
    assert rows[("P3", "")].dismissal == "second_time"
    assert rows[("P10", "")].dismissal == "always" and rows[("P10", "")].min_points == 50
    assert {r: rows[("P8", r)].range_label for r in JointRole.values} == {
        "team_lead": "10", "manager": "5–10", "supervisor": "5–15"
    }
    assert len([k for k in rows if not k[1]]) == 11


# ------------------------------------------------------------------ R-N1 proposals
def test_r_n1_proposal_defaults_to_rule_min_and_records_parameter_version(technician, source, day):
    pen = services.propose(person=technician, rule="P1", source=source, reason="拒绝派单", on=day)
    version = RuleParameter.objects.get(name="penalty.P1").pk
    assert pen.status == PenaltyStatus.PENDING and pen.points is None
    assert (pen.suggested_points, pen.min_points, pen.max_points) == (5, 5, 20)
    assert pen.parameter_version == version and pen.parameter["rule"]["version"] == version
    assert pen.source == source and pen.source_label == str(source)
    assert list(pen.decisions.values_list("action", flat=True)) == [DecisionAction.PROPOSE]


@pytest.mark.parametrize("rule,points", [("P1", 21), ("P1", 4), ("P4", 3), ("P10", 49)])
def test_r_n1_proposal_outside_rule_range_is_refused_naming_the_field(technician, source, day, rule, points):
    with pytest.raises(DomainError) as exc:
        services.propose(person=technician, rule=rule, source=source, reason="x", suggested_points=points, on=day)
    assert exc.value.field == "suggested_points"
    assert rule in str(exc.value.message) and str(points) in str(exc.value.message)
    assert not Penalty.objects.exists()


def test_r_n1_unknown_rule_and_missing_reason_are_refused(technician, source, day):
    with pytest.raises(DomainError) as exc:
        services.propose(person=technician, rule="P12", source=source, reason="x", on=day)
    assert exc.value.field == "rule"
    with pytest.raises(DomainError) as exc:
        services.propose(person=technician, rule="P7", source=source, reason="  ", on=day)
    assert exc.value.field == "reason"


def test_r_n1_ranges_are_effective_dated(technician, make_source, manager):
    schedule_param(name="penalty.P7", value={"min": 6, "max": 8, "dismissal": "never", "offence": "响应不及时"},
                   effective_from=date(2026, 12, 1), today=date(2026, 11, 23), by=manager)
    nov = services.propose(person=technician, rule="P7", source=make_source(), reason="x", on=date(2026, 11, 30))
    dec = services.propose(person=technician, rule="P7", source=make_source(), reason="x", on=date(2026, 12, 1))
    assert (nov.suggested_points, nov.max_points) == (5, 5)
    assert (dec.suggested_points, dec.max_points) == (6, 8) and dec.parameter_version != nov.parameter_version


def test_r_n1_proposing_twice_from_same_source_creates_one(technician, other_technician, source, day):
    first = services.propose(person=technician, rule="P7", source=source, reason="超时", on=day)
    again = services.propose(person=technician, rule="P7", source=source, reason="超时(重跑)", on=day)
    assert again.pk == first.pk and again.reason == "超时"
    assert Penalty.objects.count() == 1 and PenaltyDecision.objects.count() == 1
    # a different rule, or a different person, from the same source is another proposal
    services.propose(person=technician, rule="P6", source=source, reason="规范", on=day)
    services.propose(person=other_technician, rule="P7", source=source, reason="超时", on=day)
    assert Penalty.objects.count() == 3


def test_r_n1_database_refuses_a_duplicate_even_bypassing_the_service(technician, source, day):
    pen = services.propose(person=technician, rule="P7", source=source, reason="超时", on=day)
    fields = {f.name: getattr(pen, f.name) for f in Penalty._meta.concrete_fields if f.name != "id"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Penalty.objects.create(**fields)


def test_r_n1_confirm_at_suggested_or_changed_points_within_range(technician, manager, source, day, now):
    pen = services.propose(person=technician, rule="P1", source=source, reason="拒单", suggested_points=10, on=day)
    with pytest.raises(DomainError) as exc:
        services.confirm(penalty=pen, by=manager, now=now, points=25, reason="太严重")
    assert exc.value.field == "points"
    with pytest.raises(DomainError) as exc:
        services.confirm(penalty=pen, by=manager, now=now, points=15)  # a change needs a reason
    assert exc.value.field == "reason"
    pen = services.confirm(penalty=pen, by=manager, now=now, points=15, reason="多次拒单")
    assert (pen.status, pen.points, pen.decided_by, pen.decided_at) == (PenaltyStatus.CONFIRMED, 15, manager, now)
    d = pen.decisions.get(action=DecisionAction.CONFIRM)
    assert (d.points_before, d.points_after, d.by, d.reason) == (10, 15, manager, "多次拒单")
    with pytest.raises(ConflictError):
        services.confirm(penalty=pen, by=manager, now=now)


def test_r_n1_change_points_of_pending_then_confirm(technician, manager, day, now):
    pen = pending(technician, "P1")
    pen = services.change_points(penalty=pen, points=12, by=manager, now=now, reason="情节较重")
    assert pen.suggested_points == 12 and pen.status == PenaltyStatus.PENDING
    with pytest.raises(DomainError) as exc:
        services.change_points(penalty=pen, points=30, by=manager, now=now, reason="x")
    assert exc.value.field == "points"
    pen = services.confirm(penalty=pen, by=manager, now=now)
    assert pen.points == 12
    assert list(pen.decisions.values_list("action", flat=True)) == ["propose", "change", "confirm"]


def test_r_n1_reject_keeps_the_record_with_reason_and_who(technician, manager, now):
    pen = pending(technician, "P7")
    with pytest.raises(DomainError) as exc:
        services.reject(penalty=pen, by=manager, now=now, reason="")
    assert exc.value.field == "reason"
    pen = services.reject(penalty=pen, by=manager, now=now, reason="客户临时改约,非技术员原因")
    pen.refresh_from_db()
    assert pen.status == PenaltyStatus.REJECTED and pen.points is None
    assert (pen.decided_by, pen.decided_at, pen.decision_reason) == (manager, now, "客户临时改约,非技术员原因")
    d = pen.decisions.get(action=DecisionAction.REJECT)
    assert (d.by, d.reason) == (manager, "客户临时改约,非技术员原因")
    with pytest.raises(ConflictError):
        services.confirm(penalty=pen, by=manager, now=now)


def test_r_n1_technician_can_never_confirm_not_even_their_own(technician, other_technician, now):
    own, others = pending(technician, "P7"), pending(other_technician, "P7")
    for pen in (own, others):
        with pytest.raises(PermissionDenied):
            services.confirm(penalty=pen, by=technician, now=now)
        with pytest.raises(PermissionDenied):
            services.reject(penalty=pen, by=technician, now=now, reason="x")
    assert not Penalty.objects.exclude(status=PenaltyStatus.PENDING).exists()


def test_r_n1_manager_cannot_confirm_a_penalty_on_themselves(manager, other_manager, now):
    pen = pending(manager, "P11")
    with pytest.raises(PermissionDenied) as exc:
        services.confirm(penalty=pen, by=manager, now=now)
    assert "自己" in str(exc.value)
    assert services.confirm(penalty=pen, by=other_manager, now=now).status == PenaltyStatus.CONFIRMED


# ------------------------------------------------------------------ R-N2 dismissal flag
def test_r_n2_second_confirmed_p3_raises_the_dismissal_flag_first_does_not(technician, manager, now):
    first = confirmed(technician, "P3", by=manager, now=now)
    assert not DismissalFlag.objects.exists()
    pending_one = pending(technician, "P3")  # a pending second P3 is not a second one yet
    assert not DismissalFlag.objects.exists()
    second = services.confirm(penalty=pending_one, by=manager, now=now + timedelta(days=1))
    flag = DismissalFlag.objects.get()
    assert (flag.person, flag.penalty, flag.status) == (technician, second, FlagStatus.OPEN)
    assert first.pk != second.pk
    technician.refresh_from_db()
    assert technician.active and technician.user.is_active  # nothing automatic happens to the account


def test_r_n2_withdrawn_first_p3_does_not_count(technician, manager, now):
    first = confirmed(technician, "P3", by=manager, now=now)
    services.withdraw(penalty=first, by=manager, now=now, reason="核实无误")
    confirmed(technician, "P3", by=manager, now=now)
    assert not DismissalFlag.objects.exists()


@pytest.mark.parametrize("rule,serious,flagged", [
    ("P10", False, True), ("P2", False, False), ("P2", True, True), ("P9", True, True), ("P9", False, False),
    ("P1", True, False),
])
def test_r_n2_dismissal_mark_applies_per_rule(technician, manager, now, rule, serious, flagged):
    pen = confirmed(technician, rule, by=manager, now=now, serious=serious)
    assert DismissalFlag.objects.filter(penalty=pen).exists() is flagged


def test_r_n2_manager_records_a_decision_on_the_flag(technician, manager, now):
    pen = confirmed(technician, "P10", by=manager, now=now)
    flag = pen.dismissal_flag
    with pytest.raises(DomainError):
        services.decide_dismissal(flag=flag, decision="kept", by=manager, now=now, reason="")
    with pytest.raises(PermissionDenied):
        services.decide_dismissal(flag=flag, decision="kept", by=technician, now=now, reason="x")
    flag = services.decide_dismissal(flag=flag, decision="kept", by=manager, now=now, reason="初犯,留用察看")
    assert (flag.status, flag.decision, flag.decided_by) == (FlagStatus.DECIDED, "kept", manager)
    technician.user.refresh_from_db()
    assert technician.user.is_active
    with pytest.raises(ConflictError):
        services.decide_dismissal(flag=flag, decision="dismissed", by=manager, now=now, reason="x")


# ------------------------------------------------------------------ R-N4 withdraw
def test_r_n4_withdrawn_penalty_keeps_its_history(technician, manager, now):
    pen = confirmed(technician, "P7", by=manager, now=now)
    with pytest.raises(DomainError) as exc:
        services.withdraw(penalty=pen, by=manager, now=now, reason=" ")
    assert exc.value.field == "reason"
    later = now + timedelta(days=2)
    pen = services.withdraw(penalty=pen, by=manager, now=later, reason="客户撤回投诉")
    pen.refresh_from_db()
    assert pen.status == PenaltyStatus.WITHDRAWN and pen.points == 5
    assert (pen.withdrawn_by, pen.withdrawn_at, pen.withdraw_reason) == (manager, later, "客户撤回投诉")
    assert (pen.decided_by, pen.decided_at) == (manager, now)  # the confirmation is kept too
    assert list(pen.decisions.values_list("action", flat=True)) == ["propose", "confirm", "withdraw"]
    with pytest.raises(ConflictError):
        services.withdraw(penalty=pen, by=manager, now=later, reason="again")
    with pytest.raises(ConflictError):
        services.withdraw(penalty=pending(technician, "P7"), by=manager, now=later, reason="not confirmed")


# ------------------------------------------------------------------ P8 joint liability
def test_p8_confirmation_proposes_joint_liability_within_their_ranges_idempotently(
    technician, team_lead, manager, other_manager, supervisor, source, day, now
):
    technician.team_lead = team_lead
    technician.save()
    pen = services.propose(person=technician, rule="P8", source=source, reason="客户投诉服务态度", on=day)
    # P8 Decision: joint liability only when the manager marks the complaint as caused by failed supervision
    services.confirm(penalty=pen, by=manager, now=now, failed_supervision=True)
    assert pen.__class__.objects.get(pk=pen.pk).failed_supervision is True
    joint = {p.joint_role: p for p in Penalty.objects.filter(joint_of=pen)}
    assert set(joint) == {JointRole.TEAM_LEAD, JointRole.MANAGER, JointRole.SUPERVISOR}
    assert joint["team_lead"].person == team_lead and (joint["team_lead"].min_points, joint["team_lead"].max_points) == (10, 10)
    assert joint["manager"].person == manager and (joint["manager"].min_points, joint["manager"].max_points) == (5, 10)
    assert joint["supervisor"].person == supervisor and (joint["supervisor"].min_points, joint["supervisor"].max_points) == (5, 15)
    for p in joint.values():
        assert p.status == PenaltyStatus.PENDING and p.rule == "P8" and p.source == source
        assert p.suggested_points == p.min_points and "joint" in p.parameter
    # idempotent: offering again creates nothing new
    services.propose_joint(penalty=pen, by=manager, now=now)
    assert Penalty.objects.filter(rule="P8").count() == 4
    # the manager's own joint proposal: not by themselves, by another manager, within 5–10
    with pytest.raises(PermissionDenied):
        services.confirm(penalty=joint["manager"], by=manager, now=now)
    with pytest.raises(DomainError) as exc:
        services.confirm(penalty=joint["manager"], by=other_manager, now=now, points=12, reason="x")
    assert exc.value.field == "points"
    done = services.confirm(penalty=joint["manager"], by=other_manager, now=now, points=8, reason="监管不力")
    assert done.points == 8
    # confirming a joint proposal offers nothing further and raises no flag even if serious
    services.confirm(penalty=joint["supervisor"], by=manager, now=now, serious=True)
    assert Penalty.objects.filter(rule="P8").count() == 4 and not DismissalFlag.objects.exists()


def test_p8_without_team_lead_or_supervisor_only_the_manager_is_jointly_liable(technician, manager, now):
    pen = confirmed(technician, "P8", by=manager, now=now, failed_supervision=True)
    assert list(Penalty.objects.filter(joint_of=pen).values_list("joint_role", "person")) == [("manager", manager.pk)]


def test_p8_serious_raises_the_flag_for_the_person(technician, manager, now):
    pen = confirmed(technician, "P8", by=manager, now=now, serious=True)
    assert DismissalFlag.objects.get().penalty == pen


# ------------------------------------------------------------------ bulk
def test_bulk_confirm_confirms_pending_at_suggested_points_and_reports_the_rest(technician, manager, now):
    a, b = pending(technician, "P7"), pending(technician, "P1", points=8)
    own = pending(manager, "P11")
    done = confirmed(technician, "P4", by=manager, now=now)
    result = services.bulk_confirm(penalties=[a, b, own, done], by=manager, now=now)
    assert {p.pk for p in result.confirmed} == {a.pk, b.pk}
    assert {p.pk for p, _msg in result.refused} == {own.pk, done.pk}
    b.refresh_from_db()
    own.refresh_from_db()
    assert (b.status, b.points) == (PenaltyStatus.CONFIRMED, 8) and own.status == PenaltyStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.bulk_confirm(penalties=[own], by=technician, now=now)


@pytest.mark.parametrize("raw", ["abc", "7.5", True])
def test_r_n1_points_must_be_a_whole_number(technician, source, day, raw):
    with pytest.raises(DomainError) as exc:
        services.propose(person=technician, rule="P1", source=source, reason="x", suggested_points=raw, on=day)
    assert exc.value.field == "suggested_points"
