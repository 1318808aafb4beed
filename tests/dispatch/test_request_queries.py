"""What one request costs the database (the load test's two busiest writes, through the API as a phone and a desk
call them: a session login, the user loaded afresh per request). The figures are ceilings a change must not raise;
the rule parameters a request reads come from one query per date (servicedesk.params.read_many), a person's roles
from one query, and a confirmed over-limit dispatch does not recompute the suggestions it is past."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from servicedesk.choices import Role

from ..factories import staff_with

pytestmark = pytest.mark.django_db

# The ceilings are counted on one known working day whatever clock the run chose: on another (the CI's pass at
# 2027-01-12) the first close-out of a year also builds that year's calendar and numbering, costs paid once a year.
MOMENT = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _at_a_known_working_day():
    with time_machine.travel(MOMENT, tick=True):
        yield


@pytest.fixture
def fixed_now():
    return MOMENT


def signed_in(staff) -> APIClient:
    client = APIClient()
    client.force_login(staff.user)
    return client


def url(wo, action):
    return f"/api/work-orders/{wo.pk}/{action}/"


def tables(queries, table) -> int:
    return sum(1 for q in queries if f'"{table}"' in q["sql"].split(" WHERE ")[0])


def test_a_resolve_reads_its_parameters_once_and_the_roles_once(coordinator, technician, order, billing_ready, fixed_now):
    assert signed_in(coordinator).post(url(order, "dispatch"), {"technician": technician.pk}, format="json").status_code == 200
    tech = signed_in(technician)
    for step, body in (("accept", {}), ("contact", {"promised_at": (fixed_now + timedelta(hours=1)).isoformat()}),
                       ("depart", {}), ("arrive", {})):
        assert tech.post(url(order, step), body, format="json").status_code == 200, step
    body = {
        "work_done": "更换搓纸轮,测试打印正常", "fault_cause": "搓纸轮老化", "advice": "定期清洁",
        "lines": [{"kind": "part", "item": "other", "description": "搓纸轮", "cost": "200.00", "quantity": 1}],
        "started_at": fixed_now.isoformat(), "ended_at": (fixed_now + timedelta(minutes=1)).isoformat(),
        "completed_at": (fixed_now + timedelta(minutes=2)).isoformat(), "signature_name": "王先生",
    }
    with CaptureQueriesContext(connection) as ctx:
        r = tech.post(url(order, "resolve"), body, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "resolved"
    queries = ctx.captured_queries
    assert tables(queries, "servicedesk_ruleparameter") == 1  # one date, every parameter the close-out prices with
    assert tables(queries, "auth_group") == 1  # the technician's roles, read once
    # 39 when each parameter was a query of its own, 33 after; the outbox adds 4: the client's "done" and "callback
    # scheduled" messages look up the site's and the client's contacts (client, site, two channel queries)
    assert len(queries) <= 37
    assert tables(queries, "messaging_contactchannel") == 2


def test_a_confirmed_over_limit_dispatch_skips_the_suggestions(coordinator, technician, make_order):
    desk = signed_in(coordinator)
    for _ in range(3):
        assert desk.post(url(make_order(), "dispatch"), {"technician": technician.pk}, format="json").status_code == 200
    staff_with(Role.TECHNICIAN, name="空闲者", area="福田区")
    wo = make_order()
    refused = desk.post(url(wo, "dispatch"), {"technician": technician.pk}, format="json")
    assert refused.status_code == 409 and [s["name"] for s in refused.json()["suggestions"]][:1] == ["空闲者"]
    with CaptureQueriesContext(connection) as ctx:
        r = desk.post(url(wo, "dispatch"), {"technician": technician.pk, "force": True, "version": refused.json().get("version", wo.version)}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["technician"] == technician.pk and "第 4 次" in r.json()["warnings"][0]
    queries = ctx.captured_queries
    assert tables(queries, "auth_group") == 2  # the coordinator's roles, the technician's
    assert tables(queries, "servicedesk_ruleparameter") == 1
    # nothing of the suggestions: the usual technicians (close-outs), the leave sheet, the area's technicians
    assert tables(queries, "dispatch_closeout") == tables(queries, "dispatch_attendanceday") == 0
    # 27 when the suggestions were recomputed, 21 after; a new dispatch now also alerts the technician in the app and
    # on their chosen channel, and tells the client (notification, staff channel, client and site: 7 more)
    assert len(queries) <= 28
    assert tables(queries, "messaging_staffchannel") == 1
