"""P8 joint liability (SPEC Decision) and R-N5 notices.

- Joint proposals are made only when the confirming manager marks "failed supervision".
- A proposal about the deciding manager is decided by the GM office or another manager; in a one-manager
  department the manager's to-do never counts it and bulk confirm never trips over it.
- R-N5: the person concerned is told of every proposal and decision, whatever its source, in bulk for scans.
"""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from penalties import selectors, services
from penalties.choices import JointRole, PenaltyStatus
from penalties.models import Penalty
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.models import Notification
from tests.factories import WorkOrderFactory, staff_with
from workspace.todos import todos_for

from .factories import confirmed, pending


@pytest.fixture
def gm(db):
    return staff_with(Role.GM_OFFICE, name="总经办赵")


def tile(viewer, key, now):
    """The count on the viewer's home-page to-do tile `key`."""
    return next(t["count"] for t in todos_for(viewer, now=now) if t["key"] == key)


def test_p8_confirmed_without_failed_supervision_proposes_no_joint_liability(technician, team_lead, manager, supervisor, now):
    technician.team_lead = team_lead
    technician.save()
    pen = confirmed(technician, "P8", by=manager, now=now)
    assert pen.failed_supervision is False
    assert not Penalty.objects.filter(joint_of=pen).exists()
    assert Penalty.objects.count() == 1


def test_failed_supervision_only_on_a_persons_own_p8(technician, manager, now):
    pen = pending(technician, "P7")
    with pytest.raises(DomainError) as exc:
        services.confirm(penalty=pen, by=manager, now=now, failed_supervision=True)
    assert exc.value.field == "failed_supervision"
    assert Penalty.objects.get(pk=pen.pk).status == PenaltyStatus.PENDING


def test_one_manager_department_gm_office_decides_the_managers_joint_proposal(technician, manager, gm, now):
    """The department's only manager confirms a P8 with failed supervision: the proposal about himself (5–10) is
    not his to decide, never counts on his to-do tile, and the GM office clears it."""
    pen = confirmed(technician, "P8", by=manager, now=now, failed_supervision=True)
    mine = Penalty.objects.get(joint_of=pen, joint_role=JointRole.MANAGER)
    assert mine.person == manager and (mine.min_points, mine.max_points) == (5, 10)
    # the manager's tile and queue count only what he may decide: 0 (his own is the only one pending)
    assert tile(manager, "pending_penalties", now) == 0
    assert list(selectors.pending_for(manager)) == []
    # bulk confirm over his whole visible queue does not fail on it: it is not there; given directly, it is refused
    result = services.bulk_confirm(penalties=list(selectors.pending_for(manager)), by=manager, now=now)
    assert result.confirmed == [] and result.refused == []
    result = services.bulk_confirm(penalties=[mine], by=manager, now=now)
    assert [p.pk for p, _m in result.refused] == [mine.pk]
    # the GM office: told, sees 1 on its tile, and decides it (within 5–10)
    assert Notification.objects.filter(recipient=gm, key=f"penalty-{mine.pk}-about-manager").exists()
    assert tile(gm, "penalties_about_managers", now) == 1
    done = services.confirm(penalty=mine, by=gm, now=now, points=6, reason="监管不力,情节较轻")
    assert (done.status, done.points, done.decided_by) == (PenaltyStatus.CONFIRMED, 6, gm)
    assert tile(gm, "penalties_about_managers", now) == 0
    # R-N5: the manager is told of the proposal and of the GM office's decision
    keys = set(Notification.objects.filter(recipient=manager).values_list("key", flat=True))
    assert f"penalty-{mine.pk}-propose-{mine.decisions.first().pk}" in keys
    assert any(k.startswith(f"penalty-{mine.pk}-confirm-") for k in keys)


def test_gm_office_decides_only_proposals_about_a_manager(technician, manager, gm, now):
    pen = pending(technician, "P7")
    with pytest.raises(PermissionDenied):
        services.confirm(penalty=pen, by=gm, now=now)
    assert tile(gm, "penalties_about_managers", now) == 0


def test_gm_office_review_page_lists_and_confirms_the_managers_proposal(client, technician, manager, gm, now, time_machine):
    time_machine.move_to(now, tick=False)
    pen = confirmed(technician, "P8", by=manager, now=now, failed_supervision=True)
    mine = Penalty.objects.get(joint_of=pen, joint_role=JointRole.MANAGER)
    other = pending(technician, "P7")
    client.force_login(gm.user)
    html = client.get("/penalties/").content.decode()
    assert f'name="penalty" value="{mine.pk}"' in html and f'name="penalty" value="{other.pk}"' not in html
    r = client.post("/penalties/", {"penalty": mine.pk, "action": "confirm", "points": "5"})
    assert r.status_code == 302
    assert Penalty.objects.get(pk=mine.pk).status == PenaltyStatus.CONFIRMED
    # the manager's queue no longer shows a form for his own proposal; his P8 confirm form has the checkbox
    client.force_login(manager.user)
    p8 = pending(technician, "P8")
    html = client.get("/penalties/").content.decode()
    assert f'id="fs-{p8.pk}"' in html and 'name="failed_supervision"' in html


def test_p8_confirm_api_accepts_failed_supervision(api, technician, team_lead, manager):
    technician.team_lead = team_lead
    technician.save()
    plain, marked = pending(technician, "P8"), pending(technician, "P8")
    r = api(manager).post(f"/api/penalties/{plain.pk}/confirm/", {}, format="json")
    assert r.status_code == 200 and r.json()["failed_supervision"] is False
    assert not Penalty.objects.filter(joint_of=plain).exists()
    r = api(manager).post(f"/api/penalties/{marked.pk}/confirm/", {"failed_supervision": True}, format="json")
    assert r.status_code == 200 and r.json()["failed_supervision"] is True
    # team lead 10 and the confirming manager 5 (the minimum of 5–10); no supervisor exists
    assert sorted(Penalty.objects.filter(joint_of=marked).values_list("joint_role", "suggested_points")) == [
        ("manager", 5), ("team_lead", 10)]


@pytest.mark.parametrize("rule", ["P1", "P4", "P6", "P7", "P11"])
def test_r_n5_the_person_is_told_of_every_proposal_and_decision(technician, manager, now, rule):
    pen = pending(technician, rule)
    propose_note = Notification.objects.get(recipient=technician, key__startswith=f"penalty-{pen.pk}-propose")
    assert rule in propose_note.text
    services.reject(penalty=pen, by=manager, now=now, reason="经核实不成立")
    reject_note = Notification.objects.get(recipient=technician, key__startswith=f"penalty-{pen.pk}-reject")
    assert "经核实不成立" in reject_note.text


def test_r_n5_scans_tell_each_person_in_a_fixed_number_of_queries(db, now):
    def run(n):
        people = [staff_with(Role.TECHNICIAN, name=f"技术员{n}-{i}") for i in range(n)]
        proposals = [
            services.Proposal(person_id=p.pk, rule="P7", source=WorkOrderFactory(), reason="R-W7 响应超时", on=date(2026, 11, 20))
            for p in people
        ]
        with CaptureQueriesContext(connection) as ctx:
            created = services.propose_many(proposals=proposals, now=now)
        assert len(created) == n
        for p in people:
            assert Notification.objects.filter(recipient=p, key__contains="-propose-").count() == 1
        return len(ctx.captured_queries)

    assert run(2) == run(8)
