"""REST API of the core (API reference /api/docs/): names, error shapes, permissions per role."""
import pytest
from rest_framework.authtoken.models import Token

from servicedesk.models import Client, Equipment, WorkOrder

from .factories import ClientFactory, EquipmentFactory, SiteFactory, WorkOrderFactory

pytestmark = pytest.mark.django_db


def test_token_auth_round_trip(api, technician):
    technician.user.set_password("pass-12345")
    technician.user.save()
    resp = api().post("/api/auth/token/", {"username": technician.user.username, "password": "pass-12345"}, format="json")
    assert resp.status_code == 200 and resp.json()["token"] == Token.objects.get(user=technician.user).key
    from rest_framework.test import APIClient

    client = APIClient(HTTP_AUTHORIZATION=f"Token {resp.json()['token']}")
    assert client.get("/api/work-orders/").status_code == 200


def test_anonymous_is_401(api):
    assert api().get("/api/clients/").status_code in (401, 403)


def test_client_fields_and_enums(api, coordinator):
    ClientFactory(name="国家税务总局深圳市福田区税务局", kind="key_account", department="key_account")
    body = api(coordinator).get("/api/clients/").json()
    assert {"count", "next", "previous", "results"} <= set(body)
    row = body["results"][0]
    assert {"id", "name", "kind", "department", "agreement_start", "software_entitlement"} <= set(row)
    assert row["kind"] == "key_account"


@pytest.mark.parametrize("role_fixture, status", [("coordinator", 201), ("manager", 201), ("technician", 403), ("finance", 403), ("salesperson", 403)])
def test_who_may_create_clients(request, api, role_fixture, status):
    staff = request.getfixturevalue(role_fixture)
    resp = api(staff).post("/api/clients/", {"name": "新客户", "kind": "retail", "department": "bidding"}, format="json")
    assert resp.status_code == status
    assert Client.objects.filter(name="新客户").exists() is (status == 201)


def test_field_named_translated_errors(api, coordinator):
    resp = api(coordinator).post("/api/clients/", {"name": "x", "kind": "vip", "department": "bidding", "phone": "123"}, format="json")
    assert resp.status_code == 400
    body = resp.json()
    assert set(body) >= {"kind", "phone"}
    assert "有效" in body["phone"][0]  # Chinese by default
    en = api(coordinator, language="en").post("/api/clients/", {"name": "x", "kind": "vip", "department": "bidding"}, format="json")
    assert "valid choice" in en.json()["kind"][0]


def test_equipment_at_site_of_another_client_is_400_on_site(api, coordinator):
    client, other_site = ClientFactory(), SiteFactory()
    resp = api(coordinator).post(
        "/api/equipment/", {"client": client.pk, "site": other_site.pk, "model": "M1", "serial": "S-001"}, format="json"
    )
    assert resp.status_code == 400 and "site" in resp.json()
    assert not Equipment.objects.exists()


def test_duplicate_serial_is_400_on_serial(api, coordinator):
    eq = EquipmentFactory(model="M1", serial="S-001")
    resp = api(coordinator).post("/api/equipment/", {"client": eq.client_id, "model": "M1", "serial": "S-001"}, format="json")
    assert resp.status_code == 400 and list(resp.json()) == ["serial"]


def test_unknown_role_is_refused(api, manager):
    resp = api(manager).post("/api/staff/", {"username": "newbie", "name": "新人", "roles": ["wizard"]}, format="json")
    assert resp.status_code == 400 and "roles" in resp.json()


@pytest.mark.parametrize("role_fixture, status", [("manager", 201), ("admin_staff", 201), ("coordinator", 403), ("technician", 403)])
def test_staff_is_read_only_for_non_managers(request, api, role_fixture, status):
    staff = request.getfixturevalue(role_fixture)
    assert api(staff).get("/api/staff/").status_code == 200
    resp = api(staff).post("/api/staff/", {"username": "newbie", "name": "新人", "roles": ["technician"], "area": "南山区"}, format="json")
    assert resp.status_code == status


def test_staff_roles_enum(api, manager, technician):
    rows = {r["username"]: r for r in api(manager).get("/api/staff/").json()["results"]}
    assert rows[technician.user.username]["roles"] == ["technician"]


def test_technician_sees_only_own_work_orders(api, technician, other_technician, coordinator):
    mine = WorkOrderFactory(technician=technician)
    theirs = WorkOrderFactory(technician=other_technician)
    ids = [r["id"] for r in api(technician).get("/api/work-orders/").json()["results"]]
    assert ids == [mine.pk]
    assert api(technician).get(f"/api/work-orders/{theirs.pk}/").status_code == 404
    assert api(coordinator).get("/api/work-orders/").json()["count"] == 2
    # and only the clients of their own work orders
    client_ids = [r["id"] for r in api(technician).get("/api/clients/").json()["results"]]
    assert client_ids == [mine.client_id]


def test_work_order_create_and_filters(api, coordinator, technician):
    site = SiteFactory()
    resp = api(coordinator).post(
        "/api/work-orders/",
        {
            "client": site.client_id, "site": site.pk, "contact_name": "刘女士", "contact_phone": "13912345678",
            "service_mode": "mobile", "content": "repair", "channel": "phone", "required_at": "2026-11-23T10:00:00+08:00",
        },
        format="json",
    )
    assert resp.status_code == 201, resp.json()
    body = resp.json()
    assert body["status"] == "new" and body["number"].startswith("WO-") and body["created_at"].endswith("+08:00")
    assert api(technician).post("/api/work-orders/", {}, format="json").status_code == 403
    assert api(coordinator).get("/api/work-orders/?status=new").json()["count"] == 1
    assert api(coordinator).get("/api/work-orders/?status=closed").json()["count"] == 0
    assert api(coordinator).get("/api/work-orders/?content=nonsense").status_code == 400


def test_work_order_list_query_count_is_constant(api, coordinator, django_assert_max_num_queries):
    for _ in range(30):
        WorkOrderFactory()
    with django_assert_max_num_queries(8):
        resp = api(coordinator).get("/api/work-orders/?page_size=50")
    assert resp.status_code == 200


def test_schema_and_docs_are_served(api, coordinator):
    schema = api(coordinator).get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/clients/", "/api/sites/", "/api/equipment/", "/api/staff/", "/api/work-orders/", "/api/auth/token/"):
        assert path in text
    docs = api(coordinator).get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()
