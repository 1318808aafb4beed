"""Bad input is named (sheet, row, column, translated reason) and nothing is half-saved (rule 5); formulas stay
text; headers in either language; staff grants follow the grant rules (rule 6)."""
import io
import re
from datetime import date, datetime

import pytest
from django.utils import translation

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.masterdata import exporting, services
from servicedesk.masterdata.reading import ImportRejected
from servicedesk.models import Client, Equipment, RoleChange, Site, Staff
from tests.factories import staff_with

from .workbook import CLIENT_HEADERS, DEVICE_HEADERS, SITE_HEADERS, STAFF_HEADERS, workbook

pytestmark = pytest.mark.django_db

CLIENT = ["华强电子", "投标部", "零散客户", "0755-83330001", None, None, None, None]
SITE = ["华强电子", "总部", "深圳市福田区华强北 1 号", "福田区", "李经理", "13900000002", "否"]
DEVICE = ["华强电子", "总部", "HP LaserJet 1020", "SN-A-1", "HP", 1, "2026-01-10", "2027-01-09", datetime(2028, 1, 9)]


def book(clients=(CLIENT,), sites=(SITE,), devices=(DEVICE,), staff=(), **kw):
    rows = {"客户": list(clients), "网点": list(sites), "设备": list(devices)}
    if staff:
        rows["员工"] = list(staff)
    return workbook(rows, **kw)


def named(report_or_exc):
    return sorted((e.sheet, e.row, e.column) for e in report_or_exc.errors)


@pytest.fixture
def admin():
    return staff_with(Role.ADMIN, name="行政甲").user


def test_a_file_that_is_not_an_xlsx_is_refused_by_name(admin, fixed_now):
    f = io.BytesIO(b"this is not a workbook")
    f.name = "客户名单.xlsx"
    with pytest.raises(DomainError) as exc:
        services.preview(file=f, by=admin, now=fixed_now)
    assert "“客户名单.xlsx”不是有效的 Excel (.xlsx) 文件" in str(exc.value.message)


def test_missing_required_columns_are_named(admin, fixed_now):
    f = workbook({"设备": [DEVICE[:3]]}, headers={"设备": DEVICE_HEADERS[:3]})
    with pytest.raises(ImportRejected) as exc:
        services.preview(file=f, by=admin, now=fixed_now)
    assert named(exc.value) == [("设备", 1, "序列号")]
    assert exc.value.errors[0].message == "缺少此列(必填)。"


def test_formulas_stay_text_and_are_never_evaluated(admin, fixed_now):
    client = ["=HYPERLINK(\"http://x\",\"点我\")", "投标部", "零散客户", None, None, None, None, "=1+1"]
    report = services.import_file(file=book(clients=[client], sites=[], devices=[]), by=admin, now=fixed_now)
    assert report.saved
    saved = Client.objects.get()
    assert (saved.name, saved.notes) == ("=HYPERLINK(\"http://x\",\"点我\")", "=1+1")
    # and the export writes them as text (quote prefix), never as a formula (rule 10)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exporting.export_lists(language="zh-hans")))
    cell = wb["客户"]["A2"]
    assert cell.value == saved.name and cell.data_type == "s" and cell.quotePrefix


def test_duplicate_serials_in_the_file_and_against_another_client(admin, fixed_now):
    other = Client.objects.create(name="另一家", kind="retail", department="bidding")
    Equipment.objects.create(client=other, model="Epson L3150", serial="SN-TAKEN", installed_on=date(2025, 1, 1))
    devices = [DEVICE, DEVICE[:3] + ["SN-A-1"] + DEVICE[4:], DEVICE[:3] + ["SN-TAKEN"] + DEVICE[4:]]
    report = services.preview(file=book(devices=devices), by=admin, now=fixed_now)
    assert named(report) == [("设备", 3, "序列号"), ("设备", 4, "序列号")]
    messages = [e.message for e in report.errors]
    assert messages == ["与第 2 行序列号重复。", "序列号 SN-TAKEN 已登记在客户“另一家”名下,不能再登记给另一个客户。"]
    with pytest.raises(ImportRejected):
        services.import_file(file=book(devices=devices), by=admin, now=fixed_now)
    assert not Client.objects.filter(name="华强电子").exists() and Equipment.objects.count() == 1  # nothing half-saved


def test_dates_yyyy_mm_dd_or_excel_dates_only(admin, fixed_now):
    devices = [DEVICE, DEVICE[:3] + ["SN-A-2"] + DEVICE[4:6] + ["10/01/2026", None, 45000]]
    report = services.preview(file=book(devices=devices), by=admin, now=fixed_now)
    assert named(report) == [("设备", 3, "安装验收日期")]
    assert report.errors[0].message == "“10/01/2026”不是有效日期,请写成 YYYY-MM-DD(如 2026-03-01)或使用 Excel 日期格式。"
    devices[1][6] = "2022-01-10"
    services.import_file(file=book(devices=devices), by=admin, now=fixed_now)
    assert str(Equipment.objects.get(serial="SN-A-2").company_warranty_end) == "2023-03-15"  # Excel serial 45000


def test_english_headers_and_labels_import_the_same(admin, fixed_now):
    with translation.override("en"):
        headers = {"Clients": [str(h) for h in _titles("clients")]}
    f = workbook({"Clients": [["Acme", "key-account DEPARTMENT", "Key account", None, "2026-01-01", None, None, None]]}, headers=headers)
    report = services.import_file(file=f, by=admin, now=fixed_now)
    assert report.errors == []
    acme = Client.objects.get(name="Acme")
    assert (acme.department, acme.kind, str(acme.agreement_start)) == ("key_account", "key_account", "2026-01-01")


def _titles(kind):
    from servicedesk.masterdata.columns import BY_KIND

    return [c.title for c in BY_KIND[kind].columns]


def test_a_csv_of_one_list(admin, fixed_now):
    text = ",".join(CLIENT_HEADERS) + "\n华强电子,投标部,零散客户,0755 8333 0001,,,,\n"
    f = io.BytesIO(text.encode("gb18030"))
    f.name = "clients.csv"
    report = services.import_file(file=f, by=admin, now=fixed_now)
    assert report.totals["new"] == 1
    assert Client.objects.get().phone == "075583330001"  # the spaces people type dropped, as on the forms


def test_a_sheet_that_is_no_list_is_named_not_imported(admin, fixed_now):
    f = workbook({"客户": [CLIENT], "说明": [["请按模板填写"]]}, headers={"客户": CLIENT_HEADERS, "说明": ["填写说明"]})
    report = services.preview(file=f, by=admin, now=fixed_now)
    assert report.ignored == ["说明"] and report.totals["new"] == 1


def test_changes_are_counted_and_listed_with_their_columns(admin, fixed_now):
    services.import_file(file=book(), by=admin, now=fixed_now)
    moved = SITE[:4] + ["王经理"] + SITE[5:]
    report = services.preview(file=book(sites=[moved]), by=admin, now=fixed_now)
    sites = next(s for s in report.sheets if s.kind == "sites")
    assert (sites.new, sites.changed, sites.unchanged) == (0, 1, 0)
    assert sites.changed_rows[0].row == 2 and sites.changed_rows[0].changed == ["联系人"]
    assert Site.objects.get().contact_name == "李经理"  # a preview keeps nothing


STAFF = [["zhangsan", "张三", "技术员", "福田区", "一组", "13800000001", "是"]]


def test_staff_new_accounts_roles_and_areas(admin, fixed_now):
    rows = STAFF + [["lisi", "李四", "技术员、会计", "火星区", "", "", "是"]]
    report = services.preview(file=book(staff=rows), by=admin, now=fixed_now)
    assert set(named(report)) == {("员工", 3, "负责区域"), ("员工", 3, "角色")}
    assert "会计" in next(e.message for e in report.errors if e.column == "角色")
    report = services.import_file(file=book(staff=STAFF), by=admin, now=fixed_now)
    zhang = Staff.objects.get(user__username="zhangsan")
    assert zhang.roles == [Role.TECHNICIAN] and zhang.area == "福田区"
    assert not zhang.user.has_usable_password()  # an administrator sets the first password (set-password)
    grant = RoleChange.objects.get(staff=zhang)
    assert (grant.by_id, grant.new_roles) == (admin.pk, [Role.TECHNICIAN])
    again = services.import_file(file=book(staff=STAFF), by=admin, now=fixed_now)
    assert again.changes_nothing and RoleChange.objects.filter(staff=zhang).count() == 1


def test_nobody_grants_by_import_what_they_could_not_grant_by_hand(fixed_now):
    manager = staff_with(Role.MANAGER, name="经理甲").user
    rows = STAFF + [["wangwu", "王五", "财务", "", "", "", "是"]]
    report = services.preview(file=book(staff=rows), by=manager, now=fixed_now)
    assert named(report) == [("员工", 3, "角色")]
    assert "您无权授予或撤销以下角色:财务" in report.errors[0].message
    admin = staff_with(Role.ADMIN, name="行政乙").user
    report = services.preview(file=book(staff=[["boss", "老板", "行政部", "", "", "", "是"]]), by=admin, now=fixed_now)
    assert named(report) == [("员工", 2, "角色")]  # the admin role only from a superuser
    assert not Staff.objects.filter(user__username__in=["zhangsan", "wangwu", "boss"]).exists()


def test_the_django_admin_import_uses_the_same_resource(admin, fixed_now, client):
    """The admin's import page (django-import-export's ImportMixin) reads a workbook through the same reader and
    resource; its dry run counts the new row and keeps nothing."""
    from django.contrib.auth import get_user_model

    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(superuser)
    f = book(sites=[], devices=[])
    f.name = "clients.xlsx"
    response = client.post("/admin/servicedesk/client/import/", {"format": "0", "resource": "0", "import_file": f})
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1 and not Client.objects.exists()  # the dry run keeps nothing


def test_the_page_is_the_admin_roles_and_previews_before_it_imports(admin, fixed_now, client, settings, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_with(Role.MANAGER, name="经理乙").user)
    assert client.get("/core/masterdata/").status_code == 403
    client.force_login(admin)
    f = workbook({"设备": [DEVICE[:3]]}, headers={"设备": DEVICE_HEADERS[:3]})
    response = client.post("/core/masterdata/", {"file": f})
    assert response.status_code == 400 and "缺少此列(必填)。" in response.content.decode()
    response = client.post("/core/masterdata/", {"file": book()})
    assert response.status_code == 200 and not Client.objects.exists()
    token = response.context["token"]
    with django_capture_on_commit_callbacks(execute=True):  # the job's task is sent on commit (eager: runs then)
        response = client.post("/core/masterdata/confirm/", {"token": token})
    assert response["Location"].startswith("/core/masterdata/jobs/")
    response = client.get(response["Location"])
    assert "已导入“department.xlsx”:新增 3 行,修改 0 行,未变 0 行。" in re.sub(r"<[^>]+>", "", response.content.decode())
    assert Equipment.objects.get().serial == "SN-A-1"
    other = staff_with(Role.ADMIN, name="行政丙").user
    client.force_login(other)
    assert client.post("/core/masterdata/confirm/", {"token": token}).status_code == 400  # not their file
