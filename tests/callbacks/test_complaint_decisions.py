"""R-K10 Decision: a complaint names who is responsible only when the manager decides it.

own_work → P8 proposed to the person responsible and the complaint counts for their R-M2 fine;
not_person (process, product, third party) and unfounded → nothing proposed, nothing counted.
R-W12: a carry-in client who had to call in is such a complaint too.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from bonuses import selectors as bonus_selectors
from callbacks import complaints
from callbacks.choices import ComplaintChannel
from callbacks.models import Complaint
from penalties import services as penalty_services
from penalties.models import Penalty
from servicedesk.choices import Role, WorkOrderStatus
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Notification
from tests.factories import WorkOrderFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 12, 10, 0, tzinfo=TZ)
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def visit(db, technician):
    return WorkOrderFactory(technician=technician, status=WorkOrderStatus.RESOLVED)


def take(by, visit, **kw):
    return complaints.register_complaint(
        channel=ComplaintChannel.PHONE, client=visit.client, words=kw.pop("words", "打印机修好第二天又卡纸"), by=by,
        now=kw.pop("now", NOW), work_order=visit, **kw,
    )


def complaints_of(person, month=OCTOBER):
    [row] = [r for r in bonus_selectors.ranking(month) if r["person_id"] == person.pk]
    return row


def to_decide(viewer):
    from workspace.todos import todos_for

    return next(t["count"] for t in todos_for(viewer, now=NOW) if t["key"] == "complaints_to_decide")


def test_r_k10_taking_a_complaint_blames_nobody(coordinator, manager, technician, visit):
    c = take(coordinator, visit)
    assert c.technician == technician and c.outcome == "" and c.responsible is None
    assert not Penalty.objects.exists()
    assert complaints_of(technician)["complaints"] == 0
    # the manager's to-do: 1 complaint to decide, 0 once decided
    assert to_decide(manager) == 1
    complaints.decide(complaint=c, by=manager, now=NOW, outcome="unfounded", reason="客户误会")
    assert to_decide(manager) == 0


def test_r_k10_own_work_proposes_p8_to_the_responsible_and_counts_for_r_m2(coordinator, manager, technician,
                                                                           other_technician, visit):
    # the complaint named the visit's technician; the manager finds it was the colleague who did the work
    c = take(coordinator, visit)
    c = complaints.decide(complaint=c, by=manager, now=NOW + timedelta(hours=2), outcome="own_work",
                          responsible=other_technician, reason="实际由王技术员上门,未带配件")
    assert (c.outcome, c.responsible, c.cause, c.decided_by) == ("own_work", other_technician, "own_work", manager)
    pen = Penalty.objects.get(rule="P8")
    # P8: 10 points (penalty.P8 seed 10–10), to the responsible person, dated the day the complaint was taken
    assert (pen.person, pen.suggested_points, pen.occurred_on) == (other_technician, 10, date(2026, 10, 12))
    # R-M2: 1 own-work complaint ≥ 1 → ¥100 fine for the responsible person, nothing for the one named at intake
    row = complaints_of(other_technician)
    assert row["complaints"] == 1 and row["fine"] == Decimal("100.00")
    assert complaints_of(technician)["complaints"] == 0
    # R-N5: both people concerned are told of the decision; the responsible of the P8 proposal too
    assert Notification.objects.filter(key=f"complaint-decided-{c.pk}", recipient=technician).exists()
    assert Notification.objects.filter(key=f"complaint-decided-{c.pk}", recipient=other_technician).exists()
    assert Notification.objects.filter(recipient=other_technician, key__startswith=f"penalty-{pen.pk}-propose").exists()


@pytest.mark.parametrize("outcome,cause,expected_cause", [
    ("unfounded", "", "unfounded"),
    ("not_person", "product", "product"),
    ("not_person", "", "other"),
])
def test_r_k10_unfounded_or_not_a_persons_fault_proposes_and_counts_nothing(coordinator, manager, technician, visit,
                                                                           outcome, cause, expected_cause):
    c = take(coordinator, visit)
    c = complaints.decide(complaint=c, by=manager, now=NOW, outcome=outcome, responsible=technician, reason="经核实",
                          cause=cause)
    assert c.outcome == outcome and c.responsible is None and c.cause == expected_cause
    assert not Penalty.objects.exists()
    row = complaints_of(technician)
    assert row["complaints"] == 0 and row["fine"] == Decimal("0")


def test_r_m2_does_not_count_an_own_work_complaint_whose_p8_was_rejected(coordinator, manager, technician, visit):
    c = take(coordinator, visit)
    complaints.decide(complaint=c, by=manager, now=NOW, outcome="own_work", responsible=technician, reason="态度问题")
    assert complaints_of(technician)["complaints"] == 1
    pen = Penalty.objects.get(rule="P8")
    other = staff_with(Role.MANAGER, name="陈经理")
    penalty_services.reject(penalty=pen, by=other, now=NOW + timedelta(days=1), reason="客户撤回投诉")
    assert complaints_of(technician)["complaints"] == 0


def test_r_k10_decision_input_is_checked_and_decided_once(coordinator, manager, technician, visit):
    c = take(coordinator, visit)
    with pytest.raises(DomainError) as exc:
        complaints.decide(complaint=c, by=manager, now=NOW, outcome="own_work", reason="x")
    assert exc.value.field == "responsible"
    with pytest.raises(DomainError) as exc:
        complaints.decide(complaint=c, by=manager, now=NOW, outcome="blame_everyone", reason="x")
    assert exc.value.field == "outcome"
    with pytest.raises(DomainError) as exc:
        complaints.decide(complaint=c, by=manager, now=NOW, outcome="unfounded", reason=" ")
    assert exc.value.field == "reason"
    with pytest.raises(PermissionDenied):
        complaints.decide(complaint=c, by=coordinator, now=NOW, outcome="unfounded", reason="x")
    complaints.decide(complaint=c, by=manager, now=NOW, outcome="unfounded", reason="客户误会")
    with pytest.raises(ConflictError):
        complaints.decide(complaint=c, by=manager, now=NOW, outcome="own_work", responsible=technician, reason="x")
    assert not Penalty.objects.exists()


def test_r_k10_nobody_decides_a_complaint_about_themselves(coordinator, manager, visit):
    c = take(coordinator, visit, technician=manager)
    with pytest.raises(PermissionDenied):
        complaints.decide(complaint=c, by=manager, now=NOW, outcome="unfounded", reason="不是我的问题")
    assert Complaint.objects.get(pk=c.pk).outcome == ""


def test_r_k10_decide_api_and_page(client, api, coordinator, manager, technician, visit):
    c = take(coordinator, visit)
    other = take(coordinator, visit, words="第二次投诉")
    # API: manager only; own_work without responsible → 400 naming the field
    assert api(coordinator).post(f"/api/callbacks/complaints/{c.pk}/decide/", {"outcome": "unfounded", "reason": "x"},
                                 format="json").status_code == 403
    r = api(manager).post(f"/api/callbacks/complaints/{c.pk}/decide/", {"outcome": "own_work", "reason": "x"}, format="json")
    assert r.status_code == 400 and "responsible" in r.json()
    r = api(manager).post(f"/api/callbacks/complaints/{c.pk}/decide/",
                          {"outcome": "own_work", "responsible": technician.pk, "reason": "未按约定复查"}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "own_work" and body["responsible"] == technician.pk and body["decided_by"] == manager.pk
    assert body["decided_at"]
    assert Penalty.objects.filter(rule="P8", person=technician).count() == 1
    # the page: the decision form, then the decision shown
    client.force_login(manager.user)
    page = client.get(f"/callbacks/complaints/{other.pk}/")
    assert 'name="d-outcome"' in page.content.decode() and 'name="d-responsible"' in page.content.decode()
    r = client.post(f"/callbacks/complaints/{other.pk}/", {"action": "decide", "d-outcome": "not_person", "d-cause": "process",
                                                          "d-reason": "派单流程遗漏"})
    assert r.status_code == 302
    other.refresh_from_db()
    assert (other.outcome, other.cause, other.responsible) == ("not_person", "process", None)
    assert "派单流程遗漏" in client.get(f"/callbacks/complaints/{other.pk}/").content.decode()
