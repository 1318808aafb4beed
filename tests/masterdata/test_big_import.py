"""The department's whole workbook (2 000 clients, their sites, 10 000 devices): three bad rows are named exactly
in the preview and nothing is saved; the corrected file imports; importing it again changes nothing (rule 5:
all rows or nothing, idempotent by natural keys)."""
import copy
import io
import time

import pytest

from servicedesk.masterdata import services
from servicedesk.models import Client, Equipment, Site
from tests.factories import staff_with

from .workbook import department_rows, workbook

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]


def upload(content: bytes, name: str = "department.xlsx") -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


def test_department_workbook_preview_import_and_reimport(fixed_now):
    admin = staff_with("admin").user
    good = department_rows(2000, 5)
    bad = copy.deepcopy(good)
    # sheet row = list index + 2 (the header is row 1)
    bad["设备"][100][6] = "2025/13/45"            # 设备 row 102: a date in the wrong format
    bad["设备"][4001][3] = bad["设备"][4000][3]    # 设备 row 4003: the serial of row 4002 again
    bad["客户"][1500][1] = "销售部"                # 客户 row 1502: no such department (its site and devices wait)

    bad_file, good_file = workbook(bad).getvalue(), workbook(good).getvalue()

    started = time.monotonic()
    report = services.preview(file=upload(bad_file), by=admin, now=fixed_now)
    named = sorted({(e.sheet, e.row, e.column) for e in report.errors})
    assert named == [("客户", 1502, "所属部门"), ("设备", 102, "安装验收日期"), ("设备", 4003, "序列号")]
    by_row = {(e.sheet, e.row): e.message for e in report.errors}
    assert "2025/13/45" in by_row[("设备", 102)] and "YYYY-MM-DD" in by_row[("设备", 102)]
    assert by_row[("设备", 4003)] == "与第 4002 行序列号重复。"
    assert "销售部" in by_row[("客户", 1502)]
    sheets = {s.kind: s for s in report.sheets}
    assert (sheets["clients"].new, sheets["sites"].held, sheets["equipment"].held) == (1999, 1, 5)
    assert not report.saved
    assert (Client.objects.count(), Site.objects.count(), Equipment.objects.count()) == (0, 0, 0)

    report = services.import_file(file=upload(good_file), by=admin, now=fixed_now)
    assert report.saved and report.errors == []
    assert report.totals == {"total": 14000, "new": 14000, "changed": 0, "unchanged": 0, "held": 0}
    assert (Client.objects.count(), Site.objects.count(), Equipment.objects.count()) == (2000, 2000, 10000)
    device = Equipment.objects.select_related("client", "site").get(serial="SN00007-1")
    assert (device.client.name, device.site.name, str(device.installed_on), str(device.company_warranty_end)) == (
        "客户00007", "总部", "2025-01-09", "2027-01-09")
    assert device.history.count() == 1  # the import leaves the history row a hand edit would

    again = services.import_file(file=upload(good_file), by=admin, now=fixed_now)
    assert again.totals == {"total": 14000, "new": 0, "changed": 0, "unchanged": 14000, "held": 0}
    assert again.changes_nothing
    assert Equipment.objects.count() == 10000 and device.history.count() == 1
    print(f"preview + import + re-import of 14 000 rows: {time.monotonic() - started:.1f} s")
