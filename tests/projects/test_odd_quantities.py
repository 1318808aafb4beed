"""A work record's quantity is plain ASCII digits (servicedesk.quantities): `١٠٠`, `１００`, `1E+2`, `1_000` and
`+5` are refused naming `quantity`, through the API and through the service the page uses."""
import pytest

from dispatch.projects import services
from dispatch.projects.models import WorkRecord
from servicedesk.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("quantity", ["١٠٠", "１００", "1E+2", "1_000", "+5", "2.5"])
def test_work_record_api_refuses_odd_quantities(api, members, make_project, quantity):
    project = make_project()
    r = api(members[0]).post(f"/api/projects/{project.pk}/work-records/", {"on": "2026-11-03", "quantity": quantity}, format="json")
    assert r.status_code == 400 and list(r.json()) == ["quantity"], r.content
    assert not WorkRecord.objects.exists()


def test_work_record_service_refuses_odd_quantities_and_keeps_plain_ones(members, make_project, fixed_now):
    project = make_project()
    with pytest.raises(DomainError) as exc:
        services.add_work_record(project=project, by=members[0], on=fixed_now.date(), quantity="１００", now=fixed_now)
    assert exc.value.field == "quantity" and not WorkRecord.objects.exists()
    record = services.add_work_record(project=project, by=members[0], on=fixed_now.date(), quantity="12", now=fixed_now)
    assert record.quantity == 12
