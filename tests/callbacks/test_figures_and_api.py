"""R-K8, R-K9 figures (one function reused by bonuses and reports) and the callbacks API."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from callbacks import selectors, services
from callbacks.models import Callback
from tests.factories import ClientFactory

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db
GOOD = dict(badge=True, explained=True, cleaned=True, signed=True)


def _answered(resolved_visit, coordinator, satisfaction, **kw):
    cb = services.schedule_callback(work_order=resolved_visit(**kw), completed_at=MONDAY_10, part_replaced=False)
    return services.record_call(callback=cb, by=coordinator, now=MONDAY_10 + timedelta(hours=30), satisfaction=satisfaction, **GOOD)


def test_r_k9_19_of_20_very_satisfied_is_exactly_95_percent(resolved_visit, coordinator, technician):
    for i in range(20):
        _answered(resolved_visit, coordinator, "very_satisfied" if i < 19 else "satisfied")
    # an unreachable callback does not count
    cb = services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)
    for n in range(3):
        services.record_no_answer(callback=cb, by=coordinator, now=MONDAY_10 + timedelta(hours=30 + n))
    fig = selectors.technician_month_figures(date(2026, 11, 1))[technician.pk]
    assert (fig.answered, fig.very_satisfied, fig.unreachable) == (20, 19, 1)
    assert fig.very_satisfied_rate == Decimal("95") and isinstance(fig.very_satisfied_rate, Decimal)


def test_r_k9_rate_is_undefined_with_nothing_answered(resolved_visit, technician):
    services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)
    fig = selectors.technician_month_figures(date(2026, 11, 1))[technician.pk]
    assert fig.answered == 0 and fig.very_satisfied_rate is None


def test_r_k8_coverage_below_30_percent_is_flagged(resolved_visit, coordinator):
    _answered(resolved_visit, coordinator, "satisfied")
    for _ in range(3):
        services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)
    dept = selectors.department_month_figures(date(2026, 11, 1))
    assert (dept.clients_served, dept.clients_called_back) == (4, 1)
    assert dept.coverage == Decimal("25.00") and dept.target == Decimal("30") and dept.below_target


def test_r_k8_clients_served_come_from_the_months_work_not_from_existing_callbacks(coordinator, technician):
    """R-K8 Decision: coverage was "1 / 1 = 100 %" because only clients with a callback row counted as served."""
    from dispatch import services as dispatch_services
    from servicedesk.choices import Channel
    from tests.dispatch.helpers import close_out_fields, drive
    from tests.factories import EquipmentFactory, WorkOrderFactory

    resolved = []
    for i in range(3):
        eq = EquipmentFactory()
        wo = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq)
        arrived = drive(wo, to="on_site", coordinator=coordinator, technician=technician, now=MONDAY_10 + timedelta(hours=i))
        fields = close_out_fields(arrived, lines=[])
        dispatch_services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
        resolved.append(wo)
    # a carry-in device returned to its client in the month: served, although it has no callback
    eq = EquipmentFactory()
    carry = WorkOrderFactory(client=eq.client, site=eq.site, equipment=eq, channel=Channel.CARRY_IN)
    t = MONDAY_10
    dispatch_services.dispatch_work_order(work_order=carry, technician=technician, by=coordinator, now=t)
    dispatch_services.diagnose(work_order=carry, by=technician, now=t + timedelta(minutes=10))
    dispatch_services.ask_consent(
        work_order=carry, by=technician, diagnosis="主板损坏", expected_ready_on=t.date() + timedelta(days=2), now=t + timedelta(minutes=20)
    )
    dispatch_services.record_client_answer(work_order=carry, by=technician, continue_repair=False, now=t + timedelta(minutes=30))
    dispatch_services.return_device(work_order=carry, by=coordinator, now=t + timedelta(hours=5))
    cb = Callback.objects.get(work_order=resolved[0])
    services.record_call(callback=cb, by=coordinator, now=MONDAY_10 + timedelta(hours=30), satisfaction="satisfied", **GOOD)
    dept = selectors.department_month_figures(date(2026, 11, 1))
    assert (dept.clients_served, dept.clients_called_back) == (4, 1)
    assert dept.coverage == Decimal("25.00") and dept.below_target
    # the previous month served nobody
    assert selectors.department_month_figures(date(2026, 10, 1)).clients_served == 0


def test_figures_use_a_constant_number_of_queries(resolved_visit, coordinator, django_assert_max_num_queries):
    for _ in range(15):
        _answered(resolved_visit, coordinator, "very_satisfied")
    with django_assert_max_num_queries(5):  # 2 technician aggregates, 2 department counts, 1 parameter
        selectors.technician_month_figures(date(2026, 11, 1))
        selectors.department_month_figures(date(2026, 11, 1))


def test_api_queue_record_and_figures(api, resolved_visit, coordinator, technician):
    cb = services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=True)
    listed = api(coordinator).get("/api/callbacks/?status=due").json()
    assert [r["id"] for r in listed["results"]] == [cb.pk]
    body = {"answered": True, "badge": True, "explained": False, "cleaned": True, "signed": True, "satisfaction": "satisfied", "complaint": ""}
    resp = api(coordinator).post(f"/api/callbacks/{cb.pk}/record/", body, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == "done"
    assert api(coordinator).post(f"/api/callbacks/{cb.pk}/record/", body, format="json").status_code == 409
    assert api(coordinator).get("/api/callbacks/?status=done").json()["count"] == 1
    figures = api(coordinator).get("/api/callbacks/figures/?month=2026-11").json()
    assert figures["technicians"][0]["answered"] == 1 and figures["department"]["coverage"] == "100.00"


def test_api_bad_input(api, resolved_visit, coordinator):
    cb = services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=False)
    resp = api(coordinator).post(f"/api/callbacks/{cb.pk}/record/", {"answered": True, "badge": True, "explained": True, "cleaned": True, "signed": True, "satisfaction": "meh"}, format="json")
    assert resp.status_code == 400 and "satisfaction" in resp.json()
    assert api(coordinator).get("/api/callbacks/?status=whatever").status_code == 400
    assert Callback.objects.get().status != "done"


@pytest.mark.parametrize("role_fixture, status", [("coordinator", 200), ("manager", 200), ("technician", 403), ("finance", 403)])
def test_api_callers_only(request, api, role_fixture, status):
    assert api(request.getfixturevalue(role_fixture)).get("/api/callbacks/").status_code == status


def test_call_screen_page(client, resolved_visit, coordinator, technician):
    cb = services.schedule_callback(work_order=resolved_visit(), completed_at=MONDAY_10, part_replaced=True)
    client.force_login(coordinator.user)
    page = client.get(f"/callbacks/{cb.pk}/").content.decode()
    assert "出示工牌并自我介绍" in page and "tel:" in page and "无人接听" in page
    resp = client.post(f"/callbacks/{cb.pk}/", {"badge": "yes", "explained": "yes", "cleaned": "no", "signed": "yes", "satisfaction": "satisfied"})
    assert resp.status_code == 302
    cb.refresh_from_db()
    assert cb.status == "done" and cb.cleaned is False
    client.force_login(technician.user)
    assert client.get("/callbacks/").status_code == 403
    # the technician sees the result on their work order
    page = client.get(f"/core/work-orders/{cb.work_order_id}/").content.decode()
    assert "清洁机器、整理线缆" in page and "满意" in page
