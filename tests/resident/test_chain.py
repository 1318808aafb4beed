"""R-R2: the monthly resident report's approval chain, through the API, each step by its role."""
import pytest
import time_machine

from dispatch.resident.choices import ReportStatus
from dispatch.resident.models import ResidentReport

from .conftest import at
from .helpers import filled_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(at(12, 2, 9), tick=False):
        yield


def test_r_r2_every_step_by_its_role_and_the_stamp_is_recorded(api, resident, post, supervisor, manager, gm, admin_staff):
    res = api(resident).post("/api/resident-reports/", {"month": "2026-11", "work_done": "日常驻点维护", "issues": "", "suggestions": ""}, format="json")
    assert res.status_code == 201, res.content
    rid = res.json()["id"]
    assert res.json()["status"] == "draft" and res.json()["month"] == "2026-11"
    assert api(resident).post(f"/api/resident-reports/{rid}/submit/").json()["status"] == "submitted"
    assert api(supervisor).post(f"/api/resident-reports/{rid}/approve/").json()["status"] == "supervisor_approved"
    assert api(manager).post(f"/api/resident-reports/{rid}/approve/").json()["status"] == "manager_approved"
    body = api(gm).post(f"/api/resident-reports/{rid}/approve/").json()
    assert body["status"] == "stamped"
    assert body["stamp"]["by"] == gm.pk and body["stamp"]["at"].startswith("2026-12-02T09:00")
    assert body["client_rating"] is None
    report = ResidentReport.objects.get(pk=rid)
    assert [s.action for s in report.steps.all()] == ["submit", "approve", "approve", "stamp"]
    assert [s.by_id for s in report.steps.all()] == [resident.pk, supervisor.pk, manager.pk, gm.pk]


@pytest.mark.parametrize("status, wrong", [
    (ReportStatus.SUBMITTED, "manager"), (ReportStatus.SUBMITTED, "gm"), (ReportStatus.SUBMITTED, "resident"),
    (ReportStatus.SUPERVISOR_APPROVED, "supervisor"), (ReportStatus.MANAGER_APPROVED, "manager"),
])
def test_r_r2_a_wrong_role_is_refused_and_nothing_changes(api, resident, post, supervisor, manager, gm, status, wrong):
    report = filled_report(resident)
    ResidentReport.objects.filter(pk=report.pk).update(status=status)
    who = {"manager": manager, "gm": gm, "resident": resident, "supervisor": supervisor}[wrong]
    res = api(who).post(f"/api/resident-reports/{report.pk}/approve/")
    assert res.status_code == 403
    assert ResidentReport.objects.get(pk=report.pk).status == status
    assert not report.steps.exists()


def test_r_r2_return_needs_a_reason_and_goes_back_to_the_technician(api, resident, post, supervisor, manager):
    report = filled_report(resident)
    api(resident).post(f"/api/resident-reports/{report.pk}/submit/")
    api(supervisor).post(f"/api/resident-reports/{report.pk}/approve/")
    empty = api(manager).post(f"/api/resident-reports/{report.pk}/return/", {"reason": "  "}, format="json")
    assert empty.status_code == 400 and "reason" in empty.json()
    assert ResidentReport.objects.get(pk=report.pk).status == "supervisor_approved"
    res = api(manager).post(f"/api/resident-reports/{report.pk}/return/", {"reason": "服务次数与工单不符"}, format="json")
    assert res.status_code == 200
    assert res.json()["status"] == "returned" and res.json()["returned_reason"] == "服务次数与工单不符"
    assert resident.notifications.filter(text__contains="服务次数与工单不符").exists()
    # the technician corrects and resubmits: the chain starts again at the supervisor
    assert api(resident).post(f"/api/resident-reports/{report.pk}/submit/").json()["status"] == "submitted"
    assert api(manager).post(f"/api/resident-reports/{report.pk}/approve/").status_code == 403


def test_r_r2_archive_only_by_admin_after_the_client_rated(api, resident, post, admin_staff, manager):
    report = filled_report(resident)
    ResidentReport.objects.filter(pk=report.pk).update(status=ReportStatus.STAMPED)
    assert api(admin_staff).post(f"/api/resident-reports/{report.pk}/archive/").status_code == 409
    ResidentReport.objects.filter(pk=report.pk).update(status=ReportStatus.CLIENT_RATED, client_rating="good")
    assert api(manager).post(f"/api/resident-reports/{report.pk}/archive/").status_code == 403
    res = api(admin_staff).post(f"/api/resident-reports/{report.pk}/archive/")
    assert res.status_code == 200 and res.json()["status"] == "archived"


def test_a_technician_sees_only_their_own_reports(api, resident, resident2, post, supervisor):
    mine = filled_report(resident)
    theirs = filled_report(resident2)
    ids = [r["id"] for r in api(resident).get("/api/resident-reports/").json()["results"]]
    assert ids == [mine.pk]
    assert api(resident).get(f"/api/resident-reports/{theirs.pk}/").status_code == 404
    assert {r["id"] for r in api(supervisor).get("/api/resident-reports/").json()["results"]} == {mine.pk, theirs.pk}


def test_a_technician_who_is_not_resident_has_no_report(api, technician):
    res = api(technician).post("/api/resident-reports/", {"month": "2026-11"}, format="json")
    assert res.status_code == 400 and "technician" in res.json()


def test_counts_come_from_the_technicians_resident_work_orders(resident, post):
    from dispatch.models import CloseOut
    from servicedesk.choices import ServiceContent, ServiceMode

    from ..factories import WorkOrderFactory

    for content, mode, when in [
        (ServiceContent.REPAIR, ServiceMode.RESIDENT, at(11, 3)), (ServiceContent.REPAIR, ServiceMode.RESIDENT, at(11, 20)),
        (ServiceContent.SOFTWARE, ServiceMode.RESIDENT, at(11, 21)), (ServiceContent.REPAIR, ServiceMode.MOBILE, at(11, 22)),
        (ServiceContent.REPAIR, ServiceMode.RESIDENT, at(12, 1)),
    ]:
        wo = WorkOrderFactory(service_mode=mode, content=content, technician=resident)
        CloseOut.objects.create(work_order=wo, technician=resident, work_done="x", fault_cause="x", advice="x", started_at=when,
                                ended_at=when, signature_name="客户", completed_at=when, recorded_at=when)
    report = filled_report(resident)
    assert report.counts == {"repair": 2, "software": 1}
