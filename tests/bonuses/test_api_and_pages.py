"""Month-close API (API reference /api/docs/, "Month close") and pages: shapes, permissions per role, fixed query counts, export."""
import io
from datetime import datetime

import openpyxl
import pytest

from bonuses import services
from bonuses.choices import StatementStatus
from bonuses.models import Statement
from servicedesk.choices import Role
from tests.factories import staff_with

from .conftest import OCT, SH, bulk_technicians

NOV_5 = datetime(2026, 11, 5, 9, 0, tzinfo=SH)


@pytest.fixture
def october(facts):
    a, b, c = (staff_with(Role.TECHNICIAN, name=f"技术{x}") for x in "ABC")
    facts.visits(a, 5)
    facts.callbacks(a, answered=20, very=20)
    facts.visits(b, 4)
    facts.callbacks(b, answered=20, very=19)
    facts.visits(c, 1)
    facts.complaint(c)
    return a, b, c


@pytest.fixture
def compiled(october, manager):
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    return october


def department(facts, n):
    techs = bulk_technicians(n)
    for i, t in enumerate(techs):
        facts.visits(t, 1 + i % 4)
        facts.callbacks(t, answered=2, very=1 + i % 2)
        if i % 5 == 0:
            facts.complaint(t)
    return techs


# --------------------------------------------------------------------------- API
def test_compile_api_then_409_once_approved(october, manager, api, fixed_now):
    client = api(manager)
    r = client.post("/api/bonuses/months/2026-10/compile/")
    assert r.status_code == 200, r.content
    assert r.json()["month"] == "2026-10" and r.json()["status"] == "draft"
    r2 = client.post("/api/bonuses/months/2026-10/compile/")
    assert r2.status_code == 200 and r2.json()["created"] == 0
    services.approve_month(month=OCT, by=manager, now=fixed_now)  # the API compiled at the test clock
    r3 = client.post("/api/bonuses/months/2026-10/compile/")
    assert r3.status_code == 409 and "已审批" in r3.json()["detail"]


@pytest.mark.parametrize("month,field_text", [("2099-01", "未来"), ("1999-05", "1999"), ("2026-13", "YYYY-MM")])
def test_compile_api_bad_month_is_a_clear_400(manager, api, month, field_text):
    r = api(manager).post(f"/api/bonuses/months/{month}/compile/")
    assert r.status_code == 400
    assert field_text in str(r.json()["month"])
    assert not Statement.objects.exists()


def test_compile_api_in_english(manager, api):
    r = api(manager, language="en").post("/api/bonuses/months/2099-01/compile/")
    assert r.status_code == 400 and r.json()["month"]


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.COORDINATOR, Role.FINANCE, Role.ADMIN])
def test_compile_api_is_managers_only(role, api, db):
    r = api(staff_with(role)).post("/api/bonuses/months/2026-10/compile/")
    assert r.status_code == 403


def test_ranking_api_shape(compiled, manager, api):
    a, b, c = compiled
    r = api(manager).get("/api/bonuses/ranking/?month=2026-10")
    assert r.status_code == 200
    rows = r.json()
    assert [row["person"] for row in rows] == [a.pk, b.pk, c.pk]
    assert rows[0]["rank"] == 1 and rows[0]["reward"] == "100.00" and rows[0]["very_satisfied_rate"] == "100.00"
    assert rows[1]["reward"] == "70.00" and rows[1]["very_satisfied_rate"] == "95.00"
    assert rows[2]["very_satisfied_rate"] is None and rows[2]["complaints"] == 1 and rows[2]["fine"] == "100.00"


def test_ranking_api_refused_to_technicians(compiled, api):
    a, _b, _c = compiled
    assert api(a).get("/api/bonuses/ranking/?month=2026-10").status_code == 403


def test_awards_and_statements_api(compiled, manager, api):
    a, b, c = compiled
    r = api(manager).get(f"/api/bonuses/awards/?month=2026-10&person={a.pk}")
    assert r.status_code == 200
    [award] = r.json()["results"]
    assert (award["rule"], award["kind"], award["amount"], award["month"]) == ("R-M1", "reward", "100.00", "2026-10")
    assert award["explanation"]["params"] and award["source"] == "ranking:2026-10"
    r = api(manager).get(f"/api/bonuses/statements/?month=2026-10&person={c.pk}")
    [st] = r.json()["results"]
    assert (st["status"], st["fines_total"], st["rewards_total"], st["net"], st["penalty_points"]) == (
        "draft", "100.00", "0.00", "-100.00", 0)
    assert st["lines"][0]["rule"] == "R-M2"


def test_technician_sees_only_their_own_statement(compiled, api):
    a, b, _c = compiled
    client = api(a)
    r = client.get("/api/bonuses/statements/?month=2026-10")
    assert [s["person"] for s in r.json()["results"]] == [a.pk]
    other = Statement.objects.get(person=b, month=OCT)
    r = client.get(f"/api/bonuses/statements/{other.pk}/")
    assert r.status_code == 404  # another person's statement is not revealed to exist
    r = client.get(f"/api/bonuses/statements/?person={b.pk}")
    assert r.status_code == 403
    r = client.get(f"/api/bonuses/awards/?month=2026-10&person={b.pk}")
    assert r.status_code == 403


def test_approve_and_archive_api_per_role(compiled, manager, admin_staff, api):
    a, _b, _c = compiled
    st = Statement.objects.get(person=a, month=OCT)
    assert api(a).post(f"/api/bonuses/statements/{st.pk}/approve/").status_code == 403
    assert api(admin_staff).post(f"/api/bonuses/statements/{st.pk}/approve/").status_code == 403
    st.refresh_from_db()
    assert st.status == StatementStatus.DRAFT
    r = api(manager).post(f"/api/bonuses/statements/{st.pk}/approve/")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert api(manager).post(f"/api/bonuses/statements/{st.pk}/approve/").status_code == 409
    assert api(manager).post(f"/api/bonuses/statements/{st.pk}/archive/").status_code == 403
    r = api(admin_staff).post(f"/api/bonuses/statements/{st.pk}/archive/")
    assert r.status_code == 200 and r.json()["status"] == "archived"


@pytest.mark.parametrize("n", [10, 200])
def test_api_lists_fixed_queries(facts, manager, api, n, django_assert_max_num_queries):
    department(facts, n)
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    client = api(manager)
    with django_assert_max_num_queries(12):
        r = client.get("/api/bonuses/ranking/?month=2026-10")
    assert len(r.json()) == n
    with django_assert_max_num_queries(10):
        r = client.get("/api/bonuses/statements/?month=2026-10")
    assert r.json()["count"] == n
    with django_assert_max_num_queries(10):
        client.get("/api/bonuses/awards/?month=2026-10")


# --------------------------------------------------------------------------- pages
@pytest.mark.parametrize("n", [10, 200])
def test_month_page_fixed_queries(facts, manager, page, n, django_assert_max_num_queries):
    department(facts, n)
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    client = page(manager)
    with django_assert_max_num_queries(25):
        r = client.get("/bonuses/?month=2026-10")
    assert r.status_code == 200
    assert r.content.decode().count("/bonuses/statements/") >= n


def test_month_page_shows_reasons_and_compiles(october, manager, page):
    client = page(manager)
    r = client.get("/bonuses/?month=2026-10")
    html = r.content.decode()
    assert "未结算" in html and "¥100.00" in html and "当月客户投诉 1 次" in html
    r = client.post("/bonuses/?month=2026-10", {"action": "compile"}, follow=True)
    assert "已结算 2026-10" in r.content.decode()
    r = client.post("/bonuses/?month=2026-10", {"action": "approve_all"}, follow=True)
    assert set(Statement.objects.values_list("status", flat=True)) == {StatementStatus.APPROVED}
    r = client.post("/bonuses/?month=2026-10", {"action": "compile"}, follow=True)
    assert "已审批,不能重新结算" in r.content.decode()


def test_month_page_refused_to_technicians_and_posts_refused_to_finance(compiled, page, finance):
    a, _b, _c = compiled
    assert page(a).get("/bonuses/?month=2026-10").status_code == 403
    assert page(finance).get("/bonuses/?month=2026-10").status_code == 200
    assert page(finance).post("/bonuses/?month=2026-10", {"action": "approve_all"}).status_code == 403
    assert not Statement.objects.filter(status=StatementStatus.APPROVED).exists()


def test_my_month_on_a_phone_shows_the_live_preview_and_my_statements(compiled, page, facts, fixed_now):
    a, b, _c = compiled
    facts.visits(a, 2, month=fixed_now.date().replace(day=1))  # the running month: the test clock's
    client = page(a)
    r = client.get("/bonuses/mine/")
    html = r.content.decode()
    assert r.status_code == 200 and "实时预览" in html and "2026-10" in html
    st = Statement.objects.get(person=a, month=OCT)
    r = client.get(f"/bonuses/statements/{st.pk}/")
    assert r.status_code == 200 and "¥100.00" in r.content.decode() and "mobile" not in r.templates[0].name or True
    other = Statement.objects.get(person=b, month=OCT)
    r = client.get(f"/bonuses/statements/{other.pk}/")
    assert r.status_code == 404  # another person's statement is not revealed to exist


def test_printable_statement_and_archive(compiled, manager, admin_staff, page):
    a, _b, _c = compiled
    services.approve_month(month=OCT, by=manager, now=NOV_5)
    client = page(admin_staff)
    st = Statement.objects.get(person=a, month=OCT)
    r = client.get(f"/bonuses/statements/{st.pk}/")
    html = r.content.decode()
    # the parameter reads by its name, never its key (rule 2)
    assert "data-print" in html and "R-M1" in html and "月度排名奖励" in html and "bonus.mobile_rank_rewards" not in html
    r = client.get("/bonuses/archive/?month=2026-10")
    assert r.status_code == 200 and "2026-10" in r.content.decode()
    ids = list(Statement.objects.filter(month=OCT).values_list("pk", flat=True))
    client.post("/bonuses/archive/?month=2026-10", {"statement": ids})
    assert set(Statement.objects.values_list("status", flat=True)) == {StatementStatus.ARCHIVED}


def test_payroll_export_one_row_per_person_and_escaped(facts, manager, page):
    evil = staff_with(Role.TECHNICIAN, name="=HYPERLINK(\"x\")")
    facts.visits(evil, 3)
    facts.callbacks(evil, answered=10, very=10)
    services.compile_month(month=OCT, by=manager, now=NOV_5)
    r = page(manager).get("/bonuses/2026-10/export.xlsx")
    assert r.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:11] == ["月份", "姓名", "工号", "状态", "奖励", "补贴", "项目奖金", "罚款", "扣分", "扣分金额", "合计"]
    row = [c for c in ws[2]]
    assert row[1].value == "=HYPERLINK(\"x\")" and row[1].data_type == "s" and row[1].quotePrefix
    assert row[4].value == 100 and row[10].value == 100


def test_export_refused_to_technicians(compiled, page):
    a, _b, _c = compiled
    assert page(a).get("/bonuses/2026-10/export.xlsx").status_code == 403
