"""Pages, API and Excel of the monthly report: permissions per role, fixed query counts, the workbook."""
import io
from datetime import date

import openpyxl
import pytest
from django.test import Client

from reports import services
from reports.compiler import build_body
from servicedesk.choices import Role
from tests.factories import staff_with

from .conftest import NOV, at

pytestmark = pytest.mark.django_db


def login(staff):
    c = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    c.force_login(staff.user)
    return c


@pytest.fixture
def compiled(month_data, manager):
    return services.compile_month(month=NOV, by=manager, now=at(23, 12))


def test_api_shape_and_roles(compiled, api, manager, technician, admin_staff, coordinator):
    r = api(manager).get("/api/reports/monthly/2026-11/")
    assert r.status_code == 200
    data = r.json()
    assert data["month"] == "2026-11" and data["status"] == "draft"
    row = next(t for t in data["technicians"] if t["name"] == "王技术")
    for key in ("person", "resolved_visits", "workload_score", "sla_compliance", "callbacks", "very_satisfied_rate",
                "complaints", "penalty_points", "rewards", "fines"):
        assert key in row
    assert data["department"]["callback_coverage"] == "75.00"
    assert data["department"]["overdue_callbacks"] == 1
    assert "receivables_by_bucket" in data["department"]
    assert api(technician).get("/api/reports/monthly/2026-11/").status_code == 403
    assert api(coordinator).get("/api/reports/monthly/2026-11/").status_code == 403
    assert api(None).get("/api/reports/monthly/2026-11/").status_code in (401, 403)
    # admin reads the archive only: a draft is not theirs
    assert api(admin_staff).get("/api/reports/monthly/2026-11/").status_code == 403
    assert api(technician).post("/api/reports/monthly/2026-11/compile/").status_code == 403
    assert api(admin_staff).post("/api/reports/monthly/2026-11/approve/").status_code == 403
    assert api(manager).get("/api/reports/monthly/2026-13/").status_code == 400
    assert api(manager).get("/api/reports/monthly/2026-10/").status_code == 404


def test_approve_through_the_api_archives_for_admin(compiled, api, manager, admin_staff):
    r = api(manager).post("/api/reports/monthly/2026-11/approve/", {"digest": compiled.digest}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["approved_by"] == manager.name
    assert api(admin_staff).get("/api/reports/monthly/2026-11/").status_code == 200
    page = login(admin_staff).get("/reports/archive/")
    assert page.status_code == 200 and "2026-11" in page.content.decode()
    assert login(admin_staff).get("/reports/archive/2026-11/").status_code == 200
    assert login(admin_staff).get("/reports/").status_code == 403  # the live month is the manager's


def test_compile_through_the_api(month_data, api, manager):
    r = api(manager).post("/api/reports/monthly/2026-11/compile/")
    assert r.status_code == 200 and r.json()["department"]["resolved_visits"] == 4


def test_manager_page_shows_tables_and_chart_data(compiled, manager):
    page = login(manager).get("/reports/?month=2026-11")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="report-charts"' in html and "echarts-6.1.0.min.js" in html
    assert "王技术" in html and "钱空闲" in html
    assert "75.00 %" in html  # coverage
    assert "66.67 %" in html  # 王技术's SLA
    assert "—" in html  # 钱空闲's undefined rate
    for chart in ("chart-visits", "chart-quality", "chart-ranking", "chart-ageing", "chart-coverage"):
        assert f'id="{chart}"' in html
    assert html.count('class="chart-table"') == 5  # every chart has its table


def test_pages_refuse_other_roles(compiled, technician, coordinator, admin_staff):
    assert login(technician).get("/reports/").status_code == 403
    assert login(coordinator).get("/reports/").status_code == 403
    assert login(technician).get("/reports/archive/").status_code == 403
    assert login(technician).post("/reports/compile/", {"month": "2026-11"}).status_code == 403
    assert login(admin_staff).post("/reports/approve/", {"month": "2026-11"}).status_code == 403
    assert login(admin_staff).get("/reports/export/2026-11/").status_code == 403  # a draft


def test_compile_and_approve_from_the_page(month_data, manager):
    c = login(manager)
    assert c.get("/reports/?month=2026-11").status_code == 200
    r = c.post("/reports/compile/", {"month": "2026-11"})
    assert r.status_code == 302
    from reports.models import MonthlyReport

    report = MonthlyReport.objects.get(month=NOV)
    c.post("/reports/approve/", {"month": "2026-11", "digest": report.digest})
    report.refresh_from_db()
    assert report.is_approved
    r = c.post("/reports/compile/", {"month": "2026-11"}, follow=True)
    assert "已审批,不能重新编制" in r.content.decode()


def test_technician_sees_only_their_own_row_on_the_phone(compiled, technician, other_technician):
    html = login(technician).get("/reports/my/?month=2026-11").content.decode()
    assert "我的月报" in html
    assert "3 / 45" in html and "66.67 %" in html and "50.00 %" in html
    assert "赵技术" not in html
    html = login(other_technician).get("/reports/my/?month=2026-11").content.decode()
    assert "1 / 45" in html and "0.00 %" in html


def test_excel_workbook(compiled, manager):
    from django.contrib.auth import get_user_model  # noqa: F401

    r = login(manager).get("/reports/export/2026-11/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:2] == ["技术员", "部门"] and wb.sheetnames[-1] == "说明"
    assert {"应收账龄", "投诉原因", "12个月趋势", "排名"} <= set(wb.sheetnames)
    ws = wb["技术员"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["王技术"]["已解决上门"] == 3 and isinstance(rows["王技术"]["已解决上门"], int)
    assert rows["王技术"]["SLA 达标率 %"] == pytest.approx(66.67)
    assert rows["钱空闲"]["很满意率 %"] is None  # undefined stays empty, not 0
    ageing = {r[0]: r[1] for r in wb["应收账龄"].iter_rows(min_row=2, values_only=True)}
    assert ageing["合计"] == 1100
    notes = [r[0] for r in wb["说明"].iter_rows(values_only=True)]
    assert "很满意率" in notes and "report.target_resolutions" in notes


def test_excel_escapes_formula_like_names(month_data, manager):
    staff_with(Role.TECHNICIAN, name="=HYPERLINK(\"http://x\")")
    services.compile_month(month=NOV, by=manager, now=at(23, 12))
    r = login(manager).get("/reports/export/2026-11/")
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    names = [c.value for c in wb["技术员"]["A"]]
    assert '=HYPERLINK("http://x")' in names
    cell = next(c for c in wb["技术员"]["A"] if c.value == '=HYPERLINK("http://x")')
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize("extra", [0, 40])
def test_page_and_api_query_counts_do_not_grow(month_data, manager, api, extra, django_assert_max_num_queries):
    for i in range(extra):
        staff_with(Role.TECHNICIAN, name=f"技术员{i:03d}")
    services.compile_month(month=NOV, by=manager, now=at(23, 12))
    c = login(manager)
    with django_assert_max_num_queries(8):
        assert c.get("/reports/?month=2026-11").status_code == 200
    with django_assert_max_num_queries(6):
        assert api(manager).get("/api/reports/monthly/2026-11/").status_code == 200
    with django_assert_max_num_queries(6):
        assert c.get("/reports/export/2026-11/").status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_compile_query_count_is_fixed(month_data, extra, django_assert_max_num_queries):
    for i in range(extra):
        staff_with(Role.TECHNICIAN, name=f"技术员{i:03d}")
    with django_assert_max_num_queries(40):
        body = build_body(NOV)
    assert len(body["technicians"]) == 3 + extra
    assert date(2026, 11, 1).strftime("%Y-%m") == body["month"]
