"""/api/penalties/: who sees what, the manager's actions, monthly totals (R-N1–R-N4)."""
from datetime import date

import pytest

from penalties.choices import PenaltyStatus
from penalties.models import DismissalFlag, Penalty

from .factories import confirmed, pending

pytestmark = pytest.mark.django_db
URL = "/api/penalties/"


def test_manager_lists_all_technician_only_their_own(api, manager, technician, other_technician):
    mine, theirs = pending(technician), pending(other_technician)
    res = api(manager).get(URL)
    assert res.status_code == 200 and {r["id"] for r in res.json()["results"]} == {mine.pk, theirs.pk}
    res = api(technician).get(URL)
    assert [r["id"] for r in res.json()["results"]] == [mine.pk]
    assert res.json()["results"][0]["decisions"][0]["action"] == "propose"
    # filtering by someone else's id still shows nothing of theirs
    assert api(technician).get(URL, {"person": other_technician.pk}).json()["count"] == 0
    assert api(technician).get(f"{URL}{theirs.pk}/").status_code == 404
    assert api(technician).get(f"{URL}{mine.pk}/").status_code == 200
    assert api().get(URL).status_code in (401, 403)


def test_list_filters_rule_status_month(api, manager, technician, now):
    pending(technician, "P7", on=date(2026, 11, 3))
    pending(technician, "P1", on=date(2026, 10, 3))
    confirmed(technician, "P4", by=manager, now=now, on=date(2026, 11, 4))
    c = api(manager)
    assert c.get(URL, {"rule": "P1"}).json()["count"] == 1
    assert c.get(URL, {"status": "confirmed"}).json()["count"] == 1
    assert c.get(URL, {"month": "2026-11"}).json()["count"] == 2
    assert c.get(URL, {"month": "11/2026"}).status_code == 400


def test_technician_cannot_confirm_own_or_any_penalty(api, technician, other_technician):
    own, other = pending(technician), pending(other_technician)
    c = api(technician)
    assert c.post(f"{URL}{own.pk}/confirm/", {}, format="json").status_code == 403
    assert c.post(f"{URL}{other.pk}/confirm/", {}, format="json").status_code == 403
    assert c.post(f"{URL}{own.pk}/reject/", {"reason": "不认"}, format="json").status_code == 403
    assert not Penalty.objects.exclude(status=PenaltyStatus.PENDING).exists()


def test_manager_cannot_confirm_a_penalty_on_themselves(api, manager, other_manager):
    pen = pending(manager, "P11")
    res = api(manager).post(f"{URL}{pen.pk}/confirm/", {}, format="json")
    assert res.status_code == 403 and "自己" in res.json()["detail"]
    assert api(other_manager).post(f"{URL}{pen.pk}/confirm/", {}, format="json").status_code == 200


def test_confirm_out_of_range_is_400_naming_points_and_serious_raises_flag(api, manager, technician):
    pen = pending(technician, "P2")
    res = api(manager).post(f"{URL}{pen.pk}/confirm/", {"points": 11, "reason": "x"}, format="json")
    assert res.status_code == 400 and "points" in res.json()
    res = api(manager).post(f"{URL}{pen.pk}/confirm/", {"points": 10, "serious": True, "reason": "当众争吵"}, format="json")
    assert res.status_code == 200
    body = res.json()
    assert body["status"] == "confirmed" and body["points"] == 10 and body["dismissal_flag"]["status"] == "open"
    assert api(manager).post(f"{URL}{pen.pk}/confirm/", {}, format="json").status_code == 409


def test_reject_needs_reason_withdraw_keeps_history_no_delete(api, manager, technician, now):
    pen = pending(technician)
    c = api(manager)
    res = c.post(f"{URL}{pen.pk}/reject/", {"reason": ""}, format="json")
    assert res.status_code == 400 and "reason" in res.json()
    res = c.post(f"{URL}{pen.pk}/reject/", {"reason": "非本人原因"}, format="json")
    assert res.status_code == 200 and res.json()["decision_reason"] == "非本人原因"
    done = confirmed(technician, "P4", by=manager, now=now)
    res = c.post(f"{URL}{done.pk}/withdraw/", {"reason": "表单已补正"}, format="json")
    body = res.json()
    assert res.status_code == 200 and body["status"] == "withdrawn" and body["withdrawn_by_name"] == manager.name
    assert [d["action"] for d in body["decisions"]] == ["propose", "confirm", "withdraw"]
    assert c.delete(f"{URL}{done.pk}/").status_code == 405
    assert Penalty.objects.count() == 2


def test_bulk_confirm_endpoint(api, manager, technician):
    a, b, own = pending(technician), pending(technician, "P5"), pending(manager)
    res = api(manager).post(f"{URL}bulk-confirm/", {"ids": [a.pk, b.pk, own.pk]}, format="json")
    assert res.status_code == 200
    assert sorted(res.json()["confirmed"]) == sorted([a.pk, b.pk]) and res.json()["refused"][0]["id"] == own.pk
    assert api(technician).post(f"{URL}bulk-confirm/", {"ids": [a.pk]}, format="json").status_code == 403


def test_monthly_totals_endpoint_technician_sees_only_own(api, manager, technician, other_technician, now):
    confirmed(technician, "P7", by=manager, now=now, on=date(2026, 11, 5))
    confirmed(other_technician, "P1", by=manager, now=now, on=date(2026, 11, 5), points=9)
    res = api(manager).get(f"{URL}monthly-totals/", {"month": "2026-11"})
    assert res.status_code == 200
    assert {r["person"]: (r["points"], r["amount"]) for r in res.json()} == {
        technician.pk: (5, "0.00"), other_technician.pk: (9, "0.00")
    }
    res = api(technician).get(f"{URL}monthly-totals/", {"month": "2026-11", "person": other_technician.pk})
    assert [r["person"] for r in res.json()] == [technician.pk]


def test_dismissal_flags_endpoint_managers_only(api, manager, technician, now):
    confirmed(technician, "P10", by=manager, now=now)
    flag = DismissalFlag.objects.get()
    assert api(technician).get(f"{URL}dismissal-flags/").status_code == 403
    assert api(manager).get(f"{URL}dismissal-flags/").json()["count"] == 1
    res = api(manager).post(f"{URL}dismissal-flags/{flag.pk}/decide/", {"decision": "kept", "reason": "留用察看"}, format="json")
    assert res.status_code == 200 and res.json()["status"] == "decided"


def test_schema_documents_the_penalty_endpoints(api, manager):
    res = api(manager).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert res.status_code == 200
    paths = res.json()["paths"] if res["Content-Type"].startswith("application/json") else res.content.decode()
    for p in ["/api/penalties/", "/api/penalties/{id}/confirm/", "/api/penalties/monthly-totals/"]:
        assert p in paths


def test_list_runs_constant_queries(api, manager, technician, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = api(manager)
    for _ in range(3):
        confirmed(technician, "P10", by=manager, now=now)
    c.get(URL)
    with CaptureQueriesContext(connection) as few:
        c.get(URL)
    for _ in range(20):
        confirmed(technician, "P7", by=manager, now=now)
    with CaptureQueriesContext(connection) as many:
        assert c.get(URL).json()["count"] == 23
    assert len(many) == len(few)
