"""`GET /api/projects/{id}/daily-reports/` is documented as the page of daily reports it answers (not as a Project),
and the project's other actions as what they read and answer (tests/openapi.py checks the real bodies)."""
import pytest

from tests.openapi import assert_conforms, documented

pytestmark = pytest.mark.django_db


def test_daily_reports_and_work_records_answer_what_the_schema_says(api, lead, members, make_project):
    project = make_project()
    created = api(lead).post(f"/api/projects/{project.pk}/daily-reports/", {"on": "2026-11-03", "text": "完成 12 台服务器上架"},
                             format="json")
    assert created.status_code == 201
    assert_conforms("/api/projects/{id}/daily-reports/", "post", 201, created.json())
    page = api(lead).get(f"/api/projects/{project.pk}/daily-reports/")
    assert page.status_code == 200 and page.json()["count"] == 1 and page.json()["results"][0]["text"] == "完成 12 台服务器上架"
    assert_conforms("/api/projects/{id}/daily-reports/", "get", 200, page.json())
    assert documented("/api/projects/{id}/daily-reports/", "get", 200) == {"$ref": "#/components/schemas/PaginatedDailyReportList"}
    record = api(members[0]).post(f"/api/projects/{project.pk}/work-records/", {"on": "2026-11-03", "quantity": 2}, format="json")
    assert record.status_code == 201
    assert_conforms("/api/projects/{id}/work-records/", "post", 201, record.json())


def test_a_created_project_is_documented_as_a_project(api, make_project, lead, manager, site, members):
    from tests.projects.conftest import DUE

    body = dict(name="机房搬迁", client=site.client_id, site=site.pk, kind="construction", contract_amount="60000.00",
                manager=lead.pk, members=[m.pk for m in members], planned_start="2026-11-02", planned_end="2026-11-13",
                documents_due=DUE.isoformat(), person_days=40)
    response = api(manager).post("/api/projects/", body, format="json")
    assert response.status_code == 201, response.content
    assert_conforms("/api/projects/", "post", 201, response.json())
