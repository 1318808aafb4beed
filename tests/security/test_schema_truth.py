"""The published schema tells the truth about what the API answers (tests/openapi.py checks real bodies against
it): a callback not yet answered has `satisfaction: ""` documented as blank; a complaint and a dismissal flag not
yet decided likewise; every 409 of the dispatch action carries the documented `suggestions`."""
from datetime import timedelta

import jsonschema
import pytest

from callbacks.choices import CallbackStatus, WindowRule
from callbacks.models import Callback
from servicedesk.choices import Role
from tests.factories import WorkOrderFactory, staff_with
from tests.openapi import assert_conforms, documented, published

pytestmark = pytest.mark.django_db


def test_a_callback_not_yet_answered_conforms_with_blank_satisfaction(api, coordinator, fixed_now):
    technician = staff_with(Role.TECHNICIAN, name="王技术")
    order = WorkOrderFactory(technician=technician)
    Callback.objects.create(
        work_order=order, client=order.client, technician=technician, completed_at=fixed_now - timedelta(hours=30),
        window_opens_at=fixed_now - timedelta(hours=6), due_at=fixed_now + timedelta(hours=42),
        window_rule=WindowRule.FIRST_SERVICE, status=CallbackStatus.DUE,
    )
    response = api(coordinator).get("/api/callbacks/")
    assert response.status_code == 200 and response.json()["results"][0]["satisfaction"] == ""
    assert_conforms("/api/callbacks/", "get", 200, response.json())


def test_the_check_itself_refuses_a_value_outside_the_enum(api, coordinator):
    body = {"count": 1, "next": None, "previous": None, "results": [{"satisfaction": "meh"}]}
    with pytest.raises(jsonschema.ValidationError):
        assert_conforms("/api/callbacks/", "get", 200, body)


@pytest.mark.parametrize("component, field", [
    ("Callback", "satisfaction"), ("AnyChannelComplaint", "outcome"), ("AnyChannelComplaint", "cause"),
    ("DismissalFlag", "decision"),
])
def test_blank_read_only_choices_are_documented_as_blank(component, field):
    prop = published()["components"]["schemas"][component]["properties"][field]
    assert {"$ref": "#/components/schemas/BlankEnum"} in prop["oneOf"]


def test_every_dispatch_409_carries_suggestions(api, coordinator, fixed_now):
    first, second = staff_with(Role.TECHNICIAN, name="甲技术"), staff_with(Role.TECHNICIAN, name="乙技术")
    order = WorkOrderFactory()
    url = f"/api/work-orders/{order.pk}/dispatch/"
    assert api(coordinator).post(url, {"technician": first.pk, "version": order.version}, format="json").status_code == 200
    # a stale version (someone dispatched meanwhile): a conflict of the order's state, no technician to suggest
    stale = api(coordinator).post(url, {"technician": second.pk, "version": order.version}, format="json")
    assert stale.status_code == 409 and stale.json()["suggestions"] == [] and "刷新" in stale.json()["detail"]
    assert_conforms("/api/work-orders/{id}/dispatch/", "post", 409, stale.json())
    assert documented("/api/work-orders/{id}/dispatch/", "post", 409) == {"$ref": "#/components/schemas/LoadLimit"}
    assert "suggestions" in published()["components"]["schemas"]["LoadLimit"]["required"]
