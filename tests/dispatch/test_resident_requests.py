"""R-W5 decision: a resident-site request goes to that site's resident technicians; dispatching it to anyone else
needs a reason (the residents on leave or busy), recorded on the assignment."""
from datetime import timedelta

import pytest

from dispatch import selectors, services
from dispatch.models import Assignment
from servicedesk.choices import Channel, Role, ServiceMode
from servicedesk.texts import render

from ..factories import SiteFactory, staff_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(db):
    return SiteFactory(name="办税服务厅", resident=True, area="福田区")


@pytest.fixture
def resident(hall):
    return staff_with(Role.TECHNICIAN, name="驻点小陈", area="福田区", resident_site=hall)


@pytest.fixture
def request_order(make_order, hall):
    return make_order(client=hall.client, site=hall, channel=Channel.RESIDENT_SITE, service_mode=ServiceMode.RESIDENT)


def test_r_w5_resident_request_to_the_sites_resident_needs_no_reason(request_order, resident, coordinator, t0):
    result = services.dispatch_work_order(work_order=request_order, technician=resident, by=coordinator, now=t0)
    assert result.assignment.resident_reason == "" and result.assignment.data["resident_request"]["residents"] == [resident.pk]


def test_r_w5_resident_request_to_a_non_resident_without_a_reason_is_refused(request_order, resident, technician, coordinator, t0):
    with pytest.raises(services.ResidentReasonRequired) as exc:
        services.dispatch_work_order(work_order=request_order, technician=technician, by=coordinator, now=t0)
    assert exc.value.field == "resident_reason" and "驻点小陈" in str(exc.value.message)
    assert exc.value.residents == [resident]
    request_order.refresh_from_db()
    assert request_order.technician is None and not Assignment.objects.exists()  # nothing half-saved


def test_r_w5_resident_request_to_a_non_resident_with_a_reason_is_recorded(request_order, resident, technician, coordinator, t0):
    result = services.dispatch_work_order(
        work_order=request_order, technician=technician, by=coordinator, now=t0,
        resident_reason="on_leave", resident_reason_note="驻点小陈年假",
    )
    a = result.assignment
    assert (a.technician, a.resident_reason, a.resident_reason_note) == (technician, "on_leave", "驻点小陈年假")
    event = request_order.events.filter(action="dispatch").get()
    assert "驻点技术员休假" in render(event.note) and event.data["resident_reason"] == "on_leave"


def test_r_w5_a_mobile_job_at_a_resident_site_or_a_site_without_residents_needs_no_reason(make_order, hall, technician, coordinator, t0):
    phone_job = make_order(client=hall.client, site=hall, channel=Channel.PHONE, service_mode=ServiceMode.MOBILE)
    assert services.dispatch_work_order(work_order=phone_job, technician=technician, by=coordinator, now=t0).assignment.resident_reason == ""
    empty = SiteFactory(resident=True)  # a resident site with nobody stationed: nobody to prefer
    job = make_order(client=empty.client, site=empty, channel=Channel.RESIDENT_SITE, service_mode=ServiceMode.RESIDENT)
    assert services.dispatch_work_order(work_order=job, technician=technician, by=coordinator, now=t0 + timedelta(minutes=1)).work_order.technician == technician


def test_r_w5_suggestions_put_the_sites_residents_first(request_order, resident, technician):
    from servicedesk.models import WorkOrder

    wo = WorkOrder.objects.select_related("site").get(pk=request_order.pk)
    names = [s.staff.name for s in selectors.suggest_technicians(work_order=wo, on=wo.created_at.date(), limit=3)]
    assert names[0] == "驻点小陈" and "王技术" in names


def test_r_w5_api_names_the_reason_field_and_records_it(api, request_order, resident, technician, coordinator):
    url = f"/api/work-orders/{request_order.pk}/dispatch/"
    bad = api(coordinator).post(url, {"technician": technician.pk}, format="json")
    assert bad.status_code == 400 and "resident_reason" in bad.json()
    ok = api(coordinator).post(url, {"technician": technician.pk, "resident_reason": "busy", "resident_reason_note": "正在处理另一故障"}, format="json")
    assert ok.status_code == 200, ok.content
    assert Assignment.objects.get(work_order=request_order).resident_reason == "busy"


def test_r_w5_the_board_asks_for_the_reason_and_the_form_records_it(client, request_order, resident, technician, coordinator):
    client.force_login(coordinator.user)
    url = f"/dispatch/board/{request_order.pk}/assign/"
    page = client.post(url, {"technician": technician.pk, "version": request_order.version})
    html = page.content.decode()
    assert page.status_code == 400 and "驻点技术员休假" in html and "驻点技术员正忙" in html and "驻点小陈" in html
    done = client.post(url, {"technician": technician.pk, "version": request_order.version, "resident_reason": "busy",
                             "resident_reason_note": "驻点小陈在处理另一台服务器"})
    assert done.status_code == 302
    a = Assignment.objects.get(work_order=request_order)
    assert (a.technician, a.resident_reason, a.resident_reason_note) == (technician, "busy", "驻点小陈在处理另一台服务器")
