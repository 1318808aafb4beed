"""Projects API (API reference /api/docs/, "Projects"), bad input, R-R5 at intake, the survey link, the pages."""
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache

from dispatch.projects import services
from dispatch.projects.models import DailyReport, Project, ProjectMember, ProjectSurvey
from servicedesk.models import RuleParameter

from .conftest import DONE, TZ

pytestmark = pytest.mark.django_db


def payload(site, lead, team, **kw):
    data = {
        "name": "服务器机房维保", "client": site.client_id, "site": site.pk, "kind": "construction", "contract_amount": "60000.00",
        "manager": lead.pk, "members": [m.pk for m in team], "planned_start": "2026-11-02", "planned_end": "2026-11-13",
        "person_days": 40, "documents_due": "2026-11-15",
    }
    data.update(kw)
    return data


def test_create_complete_and_read_the_shares_through_the_api(api, site, lead, members, manager):
    res = api(manager).post("/api/projects/", payload(site, lead, members), format="json")
    assert res.status_code == 201, res.content
    body = res.json()
    # the pool is answered on creation (construction ¥60 000 → tier 3 → ¥600), so the team knows what is at stake
    assert body["number"].startswith("PJ") and body["status"] == "planned" and body["pool"] == "600.00"
    pid = body["id"]
    with time_machine.travel(DONE, tick=False):
        done = api(manager).post(f"/api/projects/{pid}/complete/", {"contract_fulfilled": True, "documents_complete_on": "2026-11-18",
                                                                   "client_satisfied": True}, format="json")
    assert done.status_code == 200, done.content
    out = done.json()
    assert out["status"] == "completed" and out["pool"] == "600.00"
    amounts = sorted((s["role"], s["amount"]) for s in out["shares"])
    assert amounts == [("manager", "145.72"), ("member", "142.85"), ("member", "142.86"), ("member", "142.86")]  # 3 days late
    assert sum(Decimal(s["amount"]) for s in out["shares"]) == Decimal("600.00") - Decimal("25.71")
    assert all(s["explanation"]["rule"] == "R-M7" for s in out["shares"])
    assert api(manager).get(f"/api/projects/{pid}/").json()["shares"] == out["shares"]
    with time_machine.travel(DONE, tick=False):
        again = api(manager).post(f"/api/projects/{pid}/complete/", {"contract_fulfilled": True, "client_satisfied": True}, format="json")
    assert again.status_code == 409


@pytest.mark.parametrize("change, field, text", [
    ({"manager": None}, "manager", "请指定项目经理"),
    ({"contract_amount": "0"}, "contract_amount", "大于 0"),
    ({"contract_amount": "-5.00"}, "contract_amount", ""),
    ({"planned_end": "2026-11-01"}, "planned_end", "不能早于开始日期"),
    ({"kind": "maintenance", "contract_amount": "300000.00"}, "pool", "由部门经理确定"),
    ({"pool": "900"}, "pool", "不能手工填写"),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(api, site, lead, members, manager, change, field, text):
    res = api(manager).post("/api/projects/", payload(site, lead, members, **change), format="json")
    assert res.status_code == 400
    assert field in res.json() and text in " ".join(res.json()[field])
    assert not Project.objects.exists() and not ProjectMember.objects.exists()


def test_members_listed_twice_are_named(api, site, lead, members, manager):
    res = api(manager).post("/api/projects/", payload(site, lead, members, members=[members[0].pk, members[1].pk, members[0].pk]), format="json")
    assert res.status_code == 400 and "组员1" in res.json()["members"][0] and "重复" in res.json()["members"][0]
    res = api(manager).post("/api/projects/", payload(site, lead, members, members=[lead.pk]), format="json")
    assert res.status_code == 400 and "项目组长" in res.json()["members"][0]
    assert not Project.objects.exists()


def test_bad_input_answers_in_english_too(api, site, lead, members, manager):
    res = api(manager, language="en").post("/api/projects/", payload(site, lead, members, manager=None), format="json")
    assert res.status_code == 400 and "manager" in res.json()


def test_maintenance_from_300000_takes_the_managers_pool(api, site, lead, members, manager):
    res = api(manager).post("/api/projects/", payload(site, lead, members, kind="maintenance", contract_amount="300000.00", pool="2400"), format="json")
    assert res.status_code == 201 and res.json()["pool"] == "2400.00"


def test_only_planners_create_and_only_the_manager_completes(api, site, lead, members, manager, technician, make_project):
    assert api(technician).post("/api/projects/", payload(site, lead, members), format="json").status_code == 403
    project = make_project()
    res = api(lead).post(f"/api/projects/{project.pk}/complete/", {"contract_fulfilled": True, "client_satisfied": True}, format="json")
    assert res.status_code == 403
    assert api(technician).get(f"/api/projects/{project.pk}/").status_code == 404  # not on the team
    assert api(members[0]).get(f"/api/projects/{project.pk}/").status_code == 200


def test_daily_reports_by_the_lead_and_work_records_by_members(api, lead, members, make_project, manager):
    project = make_project()
    res = api(lead).post(f"/api/projects/{project.pk}/daily-reports/", {"on": "2026-11-03", "text": "完成 12 台服务器上架"}, format="json")
    assert res.status_code == 201
    assert manager.notifications.filter(text__contains="12 台服务器").exists()
    assert api(lead).post(f"/api/projects/{project.pk}/daily-reports/", {"on": "2026-11-03", "text": "再报"}, format="json").status_code == 409
    assert api(members[0]).post(f"/api/projects/{project.pk}/daily-reports/", {"on": "2026-11-04", "text": "x"}, format="json").status_code == 403
    assert DailyReport.objects.count() == 1
    rec = api(members[0]).post(f"/api/projects/{project.pk}/work-records/", {"on": "2026-11-03", "serials": "SN1\nSN2", "quantity": 2}, format="json")
    assert rec.status_code == 201 and rec.json()["technician"] == members[0].pk
    assert api(lead).get(f"/api/projects/{project.pk}/daily-reports/").json()["count"] == 1


def test_r_r5_team_project_proposal_thresholds_are_parameters():
    on = date(2026, 11, 20)
    # R-R5: ≥ 10 person-days is the only trigger; 4 people × 2 days (8 person-days) is the expected shape, not a trigger.
    assert services.team_project_proposal(technicians=4, working_days=2, on=on) is None
    one_person = services.team_project_proposal(technicians=1, working_days=10, on=on)  # 1 × 10 = 10 person-days
    assert one_person["person_days"] == 10 and one_person["below_shape"] is True
    assert (one_person["expected_technicians"], one_person["expected_working_days"]) == (4, 2)
    assert "4 人以上、2 个工作日以上" in one_person["text"] and "1 人 × 10 个工作日" in one_person["text"]
    assert services.team_project_proposal(technicians=5, working_days=2, on=on)["below_shape"] is False
    assert services.team_project_proposal(technicians=5, working_days=2, on=on)["person_days"] == 10
    assert services.team_project_proposal(technicians=3, working_days=3, on=on) is None  # 9 person-days, 3 people
    assert services.team_project_proposal(technicians=2, working_days=5, on=on)["person_days"] == 10  # ≥ 10 person-days
    RuleParameter.objects.filter(name="team.min_person_days").update(value=12)
    RuleParameter.objects.filter(name="team.min_technicians").update(value=6)
    assert services.team_project_proposal(technicians=2, working_days=5, on=on) is None
    assert services.team_project_proposal(technicians=4, working_days=2, on=on) is None


def test_r_r5_the_intake_proposes_a_team_project(client, coordinator, site):
    client.force_login(coordinator.user)
    form = {"client": site.client_id, "site": site.pk, "contact_name": "王经理", "contact_phone": "13900000000", "quantity": 1,
            "content": "install", "channel": "phone", "service_mode": "team", "description": "新机房 60 台电脑安装"}
    small = client.post("/dispatch/intake/", {**form, "estimate_technicians": "2", "estimate_working_days": "1"})
    assert small.status_code == 302 and small["Location"].endswith("/dispatch/board/")
    big = client.post("/dispatch/intake/", {**form, "estimate_technicians": "5", "estimate_working_days": "3"})
    assert big.status_code == 302 and "/dispatch/projects/new/?work_order=" in big["Location"]
    page = client.get(big["Location"])
    assert page.status_code == 200 and "15 人天" in page.content.decode() and "新机房 60 台电脑安装" in page.content.decode()
    # the proposal's expected shape is on the create page, and the form is prefilled as team service of 15 person-days
    html = page.content.decode()
    assert "预期配置:4 人以上、2 个工作日以上" in html
    assert 'value="team" selected' in html and 'name="person_days" value="15"' in html
    eight = client.post("/dispatch/intake/", {**form, "estimate_technicians": "4", "estimate_working_days": "2"})
    assert eight.status_code == 302 and eight["Location"].endswith("/dispatch/board/")  # 8 person-days: no proposal


def test_the_client_survey_through_a_signed_link(client, api, make_project, lead, manager):
    cache.clear()
    project = make_project()
    now = datetime(2026, 11, 14, 10, tzinfo=TZ)
    with time_machine.travel(now, tick=False):
        res = api(lead).post(f"/api/projects/{project.pk}/summary/", {"summary_report": "已完成全部安装"}, format="json")
        assert res.status_code == 200
        path = "/" + res.json()["survey_url"].split("/", 3)[3]
        page = client.get(path)
        assert page.status_code == 200 and "已完成全部安装" in page.content.decode()
        assert client.post(path, {"satisfaction": "great"}).status_code == 400
        assert client.post(path, {"satisfaction": "satisfied", "needs": "装机", "summary": "很好"}).status_code == 200
        assert client.post(path, {"satisfaction": "dissatisfied"}).status_code == 409
        assert client.get(path[:-3] + "xx/").status_code == 404
    assert ProjectSurvey.objects.get(project=project).satisfaction == "satisfied"
    with time_machine.travel(DONE, tick=False):
        out = api(manager).post(f"/api/projects/{project.pk}/complete/", {"contract_fulfilled": True, "documents_complete_on": "2026-11-15"},
                                format="json").json()
    assert out["client_satisfied"] is True and out["pool"] == "600.00"


def test_project_pages_for_the_manager_and_on_the_phone(client, make_project, manager, lead, members, django_assert_max_num_queries):
    project = make_project()
    client.force_login(manager.user)
    for _ in range(3):
        make_project()
    with django_assert_max_num_queries(12):
        page = client.get("/dispatch/projects/")
    assert page.status_code == 200 and project.number in page.content.decode()
    for _ in range(20):
        make_project()
    with django_assert_max_num_queries(12):
        assert client.get("/dispatch/projects/").status_code == 200
    client.force_login(lead.user)
    detail = client.get(f"/dispatch/projects/{project.pk}/")
    assert detail.status_code == 200 and "提交日报" in detail.content.decode()
    res = client.post(f"/dispatch/projects/{project.pk}/daily/", {"on": "2026-11-03", "text": "布线完成"})
    assert res.status_code == 302 and DailyReport.objects.filter(project=project, text="布线完成").exists()
    client.force_login(manager.user)
    with time_machine.travel(DONE, tick=False):
        client.force_login(manager.user)
        client.post(f"/dispatch/projects/{project.pk}/complete/", {"contract_fulfilled": "true", "documents_complete_on": "2026-11-15",
                                                                  "client_satisfied": "true"})
        # read at the completion clock too: the session opened then lapses two weeks later, whatever the test clock
        html = client.get(f"/dispatch/projects/{project.pk}/").content.decode()
    assert "¥171.43" in html and "¥600.00" in html


def test_month_projects_for_the_monthly_report(make_project, manager):
    from dispatch.projects.selectors import month_projects

    project = make_project()
    services.complete_project(project=project, by=manager, now=DONE, contract_fulfilled=True, documents_complete_on=date(2026, 11, 15),
                              client_satisfied=True)
    rows = month_projects(date(2026, 11, 1))
    assert rows[0]["number"] == project.number and rows[0]["pool"] == "600.00" and rows[0]["paid"] == "600.00"
    assert month_projects(date(2027, 1, 1)) == []


def test_the_create_page_names_bad_fields_and_creates_a_project(client, site, lead, members, manager, technician):
    client.force_login(technician.user)
    assert client.get("/dispatch/projects/new/").status_code == 403
    client.force_login(manager.user)
    form = {"name": "机房改造", "client": site.client_id, "site": site.pk, "kind": "construction", "contract_amount": "0",
            "manager": "", "members": [m.pk for m in members], "planned_start": "2026-11-10", "planned_end": "2026-11-02",
            "documents_due": "2026-11-20"}
    bad = client.post("/dispatch/projects/new/", form)
    html = bad.content.decode()
    assert bad.status_code == 200 and "请指定项目经理" in html and "大于 0" in html and "不能早于开始日期" in html
    assert not Project.objects.exists()
    ok = client.post("/dispatch/projects/new/", {**form, "contract_amount": "18000", "manager": lead.pk, "planned_end": "2026-11-12"})
    project = Project.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/dispatch/projects/{project.pk}/"
    assert sorted(project.members.values_list("staff_id", flat=True)) == sorted(m.pk for m in members)


def test_an_empty_body_names_every_required_field(api, manager):
    """Found by schemathesis (tests/security/test_schemathesis.py): an empty body was a 500; it is a 400 naming
    the missing fields (rule 4)."""
    res = api(manager).post("/api/projects/", {}, format="json")
    assert res.status_code == 400
    assert {"name", "client", "manager"} <= set(res.json())
    assert not Project.objects.exists()


def test_r_m5_team_service_without_a_contract_through_the_api(api, site, lead, members, manager):
    data = payload(site, lead, members, kind="team", person_days=12)
    data.pop("contract_amount")
    res = api(manager).post("/api/projects/", data, format="json")
    assert res.status_code == 201, res.content
    body = res.json()
    assert body["kind"] == "team" and body["contract_amount"] is None and body["pool"] is None
    assert body["pool_explanation"]["rule"] == "R-M5"
    with time_machine.travel(DONE, tick=False):
        done = api(manager).post(f"/api/projects/{body['id']}/complete/", {"client_satisfied": True}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed" and done.json()["shares"] == [] and done.json()["pool"] is None
    bad = api(manager).post("/api/projects/", payload(site, lead, members, kind="team", person_days=8), format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"contract_amount", "person_days"}
