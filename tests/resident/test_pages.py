"""Resident pages: the technician's phone, the chain's to-dos (supervisor, GM office stamp), the printable report."""
import pytest
import time_machine

from dispatch.resident import services
from dispatch.resident.models import ResidentReport

from ..factories import SiteFactory, staff_with
from .conftest import at
from .helpers import filled_report, stamped_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(at(12, 2, 9), tick=False):
        yield


def test_the_technician_fills_and_submits_the_report_on_the_phone(client, resident, post):
    client.force_login(resident.user)
    page = client.get("/dispatch/resident/my/")
    assert page.status_code == 200 and "2026-11" in page.content.decode()
    form = client.get("/dispatch/resident/my/2026-11/")
    assert form.status_code == 200 and 'name="work_done"' in form.content.decode()
    empty = client.post("/dispatch/resident/my/2026-11/", {"work_done": " ", "submit": "1"})
    assert empty.status_code == 200 and "请填写本月工作内容" in empty.content.decode()
    assert ResidentReport.objects.get(technician=resident).status == "draft"
    res = client.post("/dispatch/resident/my/2026-11/", {"work_done": "驻点日常维护 30 次", "issues": "", "suggestions": "", "submit": "1"})
    assert res.status_code == 302
    report = ResidentReport.objects.get(technician=resident)
    assert report.status == "submitted" and report.work_done == "驻点日常维护 30 次"


def test_supervisor_and_gm_office_have_their_to_dos_and_act_in_the_browser(client, resident, post, supervisor, manager, gm):
    report = services.submit_report(report=filled_report(resident), by=resident, now=at(12, 2, 9))
    client.force_login(supervisor.user)
    home = client.get("/").content.decode()
    assert "驻场月报待审核" in home
    page = client.get("/dispatch/resident/")
    assert page.status_code == 200 and "驻点技术员甲" in page.content.decode()
    detail = client.get(f"/dispatch/resident/{report.pk}/").content.decode()
    assert "审核通过" in detail and "退回" in detail
    assert client.post(f"/dispatch/resident/{report.pk}/approve/").status_code == 302
    services.approve_report(report=report, by=manager, now=at(12, 2, 10))
    client.force_login(gm.user)
    assert "驻场月报待盖章" in client.get("/").content.decode()
    assert "盖章" in client.get(f"/dispatch/resident/{report.pk}/").content.decode()
    client.post(f"/dispatch/resident/{report.pk}/approve/")
    report.refresh_from_db()
    assert report.status == "stamped" and report.stamped_by == gm
    printable = client.get(f"/dispatch/resident/{report.pk}/print/").content.decode()
    assert "总经办" in printable and gm.name in printable and "2026-12-02" in printable and "监督组长" in printable


def test_a_technician_cannot_see_another_report_or_the_chain_page(client, resident, resident2, post):
    other = filled_report(resident2)
    client.force_login(resident.user)
    assert client.get(f"/dispatch/resident/{other.pk}/").status_code == 404  # another's report: not revealed
    assert client.get("/dispatch/resident/").status_code == 403
    assert client.post(f"/dispatch/resident/{other.pk}/approve/").status_code == 404


def test_the_chain_page_has_a_fixed_query_count(client, supervisor, manager, gm, django_assert_max_num_queries):
    def residents(n):
        site = SiteFactory(resident=True)
        for _ in range(n):
            tech = staff_with("technician", resident_site=site)
            services.submit_report(report=filled_report(tech), by=tech, now=at(12, 2, 9))

    client.force_login(supervisor.user)
    residents(2)
    with django_assert_max_num_queries(20) as small:
        assert client.get("/dispatch/resident/").status_code == 200
    residents(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/dispatch/resident/").status_code == 200


def test_the_api_list_has_a_fixed_query_count(api, supervisor, django_assert_max_num_queries):
    def residents(n):
        site = SiteFactory(resident=True)
        for _ in range(n):
            tech = staff_with("technician", resident_site=site)
            filled_report(tech)

    residents(2)
    with django_assert_max_num_queries(15) as small:
        assert api(supervisor).get("/api/resident-reports/").json()["count"] == 2
    residents(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api(supervisor).get("/api/resident-reports/").json()["count"] == 14


def test_month_ratings_for_the_monthly_report(client, resident, post, supervisor, manager, gm):
    from dispatch.resident.selectors import month_ratings

    from .helpers import token_of

    report = stamped_report(resident, supervisor=supervisor, manager=manager, gm=gm)
    client.post(f"/r/{token_of(report)}/", {"rating": "very_good"})
    rows = month_ratings(report.month)
    assert rows == [{
        "report": report.pk, "site": report.site_id, "site_name": str(report.site), "client": report.site.client.name,
        "person": resident.pk, "person_name": "驻点技术员甲", "month": "2026-11", "status": "client_rated", "client_rating": "very_good",
        "rated_at": rows[0]["rated_at"], "documents_on_time": None,
    }]
    assert rows[0]["rated_at"].startswith("2026-12-02T09:00:00+08:00")
