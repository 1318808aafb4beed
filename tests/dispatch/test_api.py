"""Work-order actions of the API reference (/api/docs/): status codes, bodies and what the database holds afterwards."""
import base64
from datetime import timedelta

import pytest

from dispatch.models import CloseOut
from servicedesk.choices import Role

from ..factories import staff_with

pytestmark = pytest.mark.django_db


def url(wo, action):
    return f"/api/work-orders/{wo.pk}/{action}/"


def test_core_list_and_retrieve_still_served(api, coordinator, order):
    client = api(coordinator)
    assert client.get("/api/work-orders/").status_code == 200
    r = client.get(f"/api/work-orders/{order.pk}/")
    assert r.status_code == 200 and r.json()["number"] == order.number


def test_dispatch_then_double_dispatch_409_names_who(api, coordinator, technician, other_technician, order):
    r = api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk, "version": 0}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["status"] == "dispatched" and body["technician"] == technician.pk
    assert {d["kind"] for d in body["deadlines"]} == {"mobile_depart", "contact_client"}
    second = staff_with(Role.COORDINATOR, name="陈协调")
    r = api(second).post(url(order, "dispatch"), {"technician": other_technician.pk, "version": 0}, format="json")
    assert r.status_code == 409
    assert coordinator.name in r.json()["detail"]


def test_technician_steps_over_the_api(api, coordinator, technician, order, fixed_now):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    tech = api(technician)
    assert tech.post(url(order, "accept"), {}, format="json").status_code == 200
    promised = (fixed_now + timedelta(hours=1)).isoformat()  # the API acts at the test clock
    assert tech.post(url(order, "contact"), {"promised_at": promised}, format="json").status_code == 200
    assert tech.post(url(order, "depart"), {}, format="json").status_code == 200
    r = tech.post(url(order, "arrive"), {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "on_site"


def test_illegal_transition_409_in_chinese(api, coordinator, technician, order):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    r = api(technician).post(url(order, "depart"), {}, format="json")
    assert r.status_code == 409
    assert "不能出发" in r.json()["detail"]


def test_someone_elses_work_order_404(api, coordinator, technician, other_technician, order):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    r = api(other_technician).post(url(order, "accept"), {}, format="json")
    assert r.status_code == 404  # docs/developers.md rule 6: someone else's order is not revealed
    order.refresh_from_db()
    assert order.status == "dispatched"


def test_technician_cannot_dispatch_403(api, technician, order):
    r = api(technician).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    assert r.status_code == 403


def test_stale_version_409(api, coordinator, technician, other_technician, order):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    api(coordinator).post(url(order, "dispatch"), {"technician": other_technician.pk, "version": 1}, format="json")
    r = api(technician).post(url(order, "accept"), {"version": 1}, format="json")
    assert r.status_code == 409 and "刷新" in r.json()["detail"]


def test_refuse_needs_reason_400(api, coordinator, technician, order):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    r = api(technician).post(url(order, "refuse"), {"reason": ""}, format="json")
    assert r.status_code == 400 and "拒单原因" in r.json()["reason"][0]
    r = api(technician).post(url(order, "refuse"), {"reason": "家中有事"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "new" and r.json()["technician"] is None
    r = api(coordinator).get("/api/refusals/?judged=false")
    assert r.status_code == 200 and r.json()["count"] == 1


def test_r_w8_fourth_visit_409_with_suggestions_then_force(api, make_order, coordinator, technician):
    client = api(coordinator)
    for _ in range(3):
        assert client.post(url(make_order(), "dispatch"), {"technician": technician.pk}, format="json").status_code == 200
    idle = staff_with(Role.TECHNICIAN, name="空闲者", area="福田区")
    wo = make_order()
    r = client.post(url(wo, "dispatch"), {"technician": technician.pk}, format="json")
    assert r.status_code == 409
    assert r.json()["code"] == "load_limit" and r.json()["suggestions"][0]["id"] == idle.pk
    r = client.post(url(wo, "dispatch"), {"technician": technician.pk, "force": True}, format="json")
    assert r.status_code == 200 and r.json()["warnings"]


def test_resolve_missing_signature_400_named(api, coordinator, technician, order, billing_ready, fixed_now):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    tech = api(technician)
    now = fixed_now
    tech.post(url(order, "accept"), {}, format="json")
    tech.post(url(order, "contact"), {"promised_at": (now + timedelta(hours=1)).isoformat()}, format="json")
    tech.post(url(order, "depart"), {}, format="json")
    tech.post(url(order, "arrive"), {}, format="json")
    body = {
        "work_done": "清洁", "fault_cause": "灰尘", "advice": "定期保养", "started_at": now.isoformat(),
        "ended_at": (now + timedelta(minutes=1)).isoformat(), "completed_at": (now + timedelta(minutes=2)).isoformat(),
        "lines": [{"kind": "part", "item": "other", "cost": "-1.00"}], "signature_name": "",
    }
    r = tech.post(url(order, "resolve"), body, format="json")
    assert r.status_code == 400
    assert "客户签名" in r.json()["signature_name"][0] and "负数" in r.json()["lines"][0]
    body.update(signature_name="王经理", lines=[{"kind": "part", "item": "other", "cost": "200.00"}])
    # a drawn signature that is not an SVG data URL is refused, the field named (R-W10)
    r = tech.post(url(order, "resolve"), {**body, "signature_drawing": "javascript:alert(1)"}, format="json")
    assert r.status_code == 400 and "手写签名" in r.json()["signature_drawing"][0]
    svg = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg"><path d="M 1 1 L 9 9"/></svg>').decode()
    r = tech.post(url(order, "resolve"), {**body, "signature_drawing": f"data:image/svg+xml;base64,{svg}"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "resolved" and CloseOut.objects.filter(work_order=order).exists()
    assert CloseOut.objects.get(work_order=order).signature_drawing.endswith(svg)


def test_handover_and_cancel_over_the_api(api, coordinator, technician, team_lead, order):
    api(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json")
    api(technician).post(url(order, "accept"), {}, format="json")
    r = api(technician).post(url(order, "handover"), {"to": team_lead.pk, "notes": "需要组长"}, format="json")
    assert r.status_code == 200 and r.json()["technician"] == team_lead.pk
    r = api(coordinator).post(url(order, "cancel"), {"reason": "客户取消"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api(coordinator).post(url(order, "cancel"), {"reason": "再次"}, format="json").status_code == 409


def test_carry_in_endpoints(api, coordinator, technician, carry_in_order, fixed_now):
    api(coordinator).post(url(carry_in_order, "dispatch"), {"technician": technician.pk}, format="json")
    tech = api(technician)
    assert tech.post(url(carry_in_order, "diagnose"), {}, format="json").status_code == 200
    today = fixed_now.date()
    r = tech.post(url(carry_in_order, "ask-consent"), {"diagnosis": "电源坏", "expected_ready_on": str(today + timedelta(days=3))}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "awaiting_consent"
    assert tech.post(url(carry_in_order, "client-answer"), {"continue_repair": True}, format="json").json()["status"] == "repairing"
    assert tech.post(url(carry_in_order, "start-testing"), {}, format="json").status_code == 200
    r = tech.post(url(carry_in_order, "finish-testing"), {"test_days": 3}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "ready_for_return"
    assert [d["kind"] for d in r.json()["deadlines"]] == ["carry_in_return"]
    assert tech.post(url(carry_in_order, "return-device"), {}, format="json").status_code == 403
    assert api(coordinator).post(url(carry_in_order, "return-device"), {}, format="json").json()["status"] == "returned"


def test_actions_are_in_the_openapi_schema(api, manager):
    r = api(manager).get("/api/schema/?format=json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for action in ("dispatch", "accept", "contact", "depart", "arrive", "resolve", "handover", "refuse", "cancel"):
        assert f"/api/work-orders/{{id}}/{action}/" in paths, action
    assert "/api/work-orders/{id}/" in paths and "/api/work-orders/" in paths
