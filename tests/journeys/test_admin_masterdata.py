"""Admin at a desk brings the department in from its workbook: downloads the template, uploads a workbook with a
bad date (named by sheet, row and column, nothing saved), uploads the corrected one, reads the preview (new rows
counted and listed), confirms (a background job: its page shows the rows done, then the result), and the clients,
sites, devices and people are in the database; the same file
again previews as "changes nothing"."""
import io
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from servicedesk.choices import Role
from servicedesk.masterdata import jobs
from servicedesk.models import Client, Equipment, Site, Staff

from ..masterdata.workbook import workbook
from .builders import person
from .helpers import login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

CLIENTS = [["华强电子", "投标部", "零散客户", "0755-83330001", None, None, None, None],
           ["鹏城医院", "大客户部", "大客户", "0755-83330002", datetime(2026, 1, 1), None, None, None]]
SITES = [["华强电子", "总部", "深圳市福田区华强北 1 号", "福田区", "李经理", "13900000002", "否"],
         ["鹏城医院", "门诊楼", "深圳市南山区科技园 2 号", "南山区", "张主任", "13900000003", "是"]]
DEVICES = [["华强电子", "总部", "HP LaserJet 1020", "SN-J-100", "HP", 1, "2026-01-10", "2027-01-09", "2028-01-09"],
           ["鹏城医院", "门诊楼", "Epson L3150", "SN-J-200", "Epson", 2, datetime(2025, 6, 1), "2026-05-31", "2027-05-31"]]
STAFF = [["zhaoliu", "赵六", "技术员", "南山区", "二组", "13800000009", "是"]]


def _file(tmp_path, name, devices):
    path = tmp_path / name
    path.write_bytes(workbook({"客户": CLIENTS, "网点": SITES, "设备": devices, "员工": STAFF}).getvalue())
    return str(path)


def test_admin_imports_the_department(reference_data, pages, journey_now, tmp_path, monkeypatch):
    queued = []  # the worker: the job waits in the queue until the test runs it, as a Celery worker would
    monkeypatch.setattr(jobs, "_enqueue", queued.append)
    person("admin", "行政甲", Role.ADMIN, now=journey_now)
    page = pages.desk("admin")
    login(page, "admin")
    visit(page, "/core/masterdata/")
    assert "基础资料导入" in text(page)
    with page.expect_download() as download:
        page.click("#template-en")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Client", "Site", "Equipment", "Employee"] and book["Equipment"]["D1"].value == "Serial number*"

    # a date in the wrong format: named, nothing saved
    bad = [DEVICES[0], DEVICES[1][:6] + ["2025.06.01"] + DEVICES[1][7:]]
    page.set_input_files("input[type=file][name=file]", _file(tmp_path, "dept-bad.xlsx", bad))
    page.guard.expect(r"status of 400 .*/core/masterdata/")
    submit(page, "#upload button[type=submit]")
    rows = page.locator("#errors tbody tr")
    assert rows.count() == 1, text(page)
    cells = [c.strip() for c in rows.first.locator("td").all_inner_texts()]
    assert cells[:3] == ["设备", "3", "安装验收日期"] and "2025.06.01" in cells[3]
    assert page.locator("#confirm").count() == 0
    assert not Client.objects.exists()
    screen(page, "admin-masterdata-refused")

    # the corrected file: preview, then confirm
    page.set_input_files("input[type=file][name=file]", _file(tmp_path, "dept.xlsx", DEVICES))
    submit(page, "#upload button[type=submit]")
    preview = text(page, "#preview")
    assert "dept.xlsx" in preview
    counts = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in page.locator("#preview tbody tr").all()]
    assert counts == [["客户", "2", "2", "0", "0", "0"], ["网点", "2", "2", "0", "0", "0"], ["设备", "2", "2", "0", "0", "0"],
                      ["员工", "1", "1", "0", "0", "0"]]
    assert not Client.objects.exists()  # a preview keeps nothing
    screen(page, "admin-masterdata-preview")
    submit(page, "#confirm button[type=submit]")  # queues the import job; the page shows its progress, then its result
    assert "/core/masterdata/jobs/" in page.url
    assert "排队中" in text(page, "#import-job") and not Client.objects.exists()
    screen(page, "admin-masterdata-job-queued")
    jobs.run_import_job(job_id=queued.pop())
    page.wait_for_selector('#import-job[data-status="done"]')  # the card polls its fragment (htmx, no inline script)
    job = text(page, "#import-job")
    assert "dept.xlsx" in job and "已完成" in job and "已处理 7 / 7 行" in job, job
    assert text(page, "#job-result") == "已导入“dept.xlsx”:新增 7 行,修改 0 行,未变 0 行。"
    screen(page, "admin-masterdata-job-done")
    assert sorted(Client.objects.values_list("name", flat=True)) == ["华强电子", "鹏城医院"]
    assert Site.objects.get(name="门诊楼").resident is True
    device = Equipment.objects.get(serial="SN-J-200")
    assert (device.client.name, device.quantity, str(device.installed_on)) == ("鹏城医院", 2, "2025-06-01")
    zhao = Staff.objects.get(user__username="zhaoliu")
    assert zhao.roles == [Role.TECHNICIAN] and not zhao.user.has_usable_password()

    # the same file again changes nothing
    page.click("#back")
    page.set_input_files("input[type=file][name=file]", _file(tmp_path, "dept-again.xlsx", DEVICES))
    submit(page, "#upload button[type=submit]")
    assert "导入不会改变任何数据" in text(page) and page.locator("#confirm").count() == 0
    screen(page, "admin-masterdata-unchanged")
