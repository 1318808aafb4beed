"""Uploads built to cost far more than their size: refused by counting, early, with the limit named
(servicedesk/spreadsheets.py, settings IMPORT_MAX_*). "Early" is shown by what the reader did, never by a clock:
openpyxl never loads a file with too many shared strings, and the reader stops at the first row over a limit."""
import pytest
from django.test import override_settings

from servicedesk import spreadsheets
from servicedesk.errors import DomainError
from servicedesk.masterdata import services
from servicedesk.spreadsheets import Limits, SpreadsheetRefused, Workbook
from tests import hostile_xlsx
from tests.factories import staff_with

from .workbook import CLIENT_HEADERS

pytestmark = pytest.mark.django_db
CLIENT = ["客户甲", "投标部", "零散客户", "0755-81234567", None, "免费上门次数", None, None]


def _limits(**kw) -> Limits:
    base = dict(rows=1000, shared_strings=1000, blank_rows=100, columns=200, unpacked_bytes=300 * 1024 * 1024)
    base.update(kw)
    return Limits(**base)


@pytest.fixture
def openpyxl_calls(monkeypatch):
    calls = []
    real = spreadsheets.load_workbook

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(spreadsheets, "load_workbook", spy)
    return calls


@pytest.fixture
def strings_read(monkeypatch):
    """How many shared strings the counter looked at before it stopped."""
    seen = []
    real = spreadsheets.iterparse

    def counting(source, events):
        for event, elem in real(source, events=events):
            if elem.tag.endswith("}si"):
                seen.append(1)
            yield event, elem

    monkeypatch.setattr(spreadsheets, "iterparse", counting)
    return seen


def test_too_many_shared_strings_are_refused_before_openpyxl_loads_them(openpyxl_calls, strings_read):
    data = hostile_xlsx.with_shared_strings([["名称"], ["甲"]], 200_000)
    assert len(data) < 100_000  # small on disk, 200 002 strings inside
    with pytest.raises(SpreadsheetRefused) as exc:
        Workbook(hostile_xlsx.upload(data, "strings.xlsx"), _limits(shared_strings=1000), data_only=True)
    assert str(exc.value.message) == "“strings.xlsx”中的不同文字超过上限 1000 个,已拒绝;请拆分后导入,或另存为 .csv。"
    assert exc.value.field == "file"
    assert openpyxl_calls == []  # never handed to openpyxl
    assert len(strings_read) == 1001  # the count stopped at the first string over the limit


def test_a_shared_strings_part_that_unpacks_too_large_is_refused_from_its_declared_size(monkeypatch, strings_read):
    monkeypatch.setattr(spreadsheets, "MAX_SHARED_STRINGS_BYTES", 10_000)
    data = hostile_xlsx.with_shared_strings([["名称"], ["甲"]], 1000)  # 17 KB unpacked, 1 002 strings: under the count
    with pytest.raises(SpreadsheetRefused) as exc:
        Workbook(hostile_xlsx.upload(data), _limits(shared_strings=5000), data_only=True)
    assert "不同文字超过上限 5000 个" in str(exc.value.message)
    assert strings_read == []  # refused from the zip directory, before any parsing


def test_within_the_limit_the_workbook_reads(openpyxl_calls):
    data = hostile_xlsx.with_shared_strings([["名称"], ["甲"]], 500)
    with Workbook(hostile_xlsx.upload(data), _limits(shared_strings=1000), data_only=True) as book:
        sheet = book.first_sheet()
        assert sheet.header() == ("名称",)
        assert list(sheet.data_rows()) == [(2, ("甲",))]
    assert len(openpyxl_calls) == 1


def test_a_million_made_up_blank_rows_stop_at_the_blank_row_limit():
    data = hostile_xlsx.with_far_row([["名称"], ["甲"]])  # one cell at row 1 048 576
    book = Workbook(hostile_xlsx.upload(data, "far.xlsx"), _limits(blank_rows=100), data_only=True)
    sheet = book.first_sheet()
    sheet.header()
    seen = []
    with pytest.raises(SpreadsheetRefused) as exc:
        for row in sheet.data_rows():
            seen.append(row)
    book.close()
    assert str(exc.value.message) == "“far.xlsx”中的空行超过上限 100 行,已停止读取;请删除多余的空行后重新导入。"
    assert seen == [(2, ("甲",))] and book.blank_rows == 101  # stopped at the first blank row over the limit


def test_data_rows_stop_at_the_row_limit_across_sheets():
    data = hostile_xlsx.plain([["名称"]] + [[f"客户{i}"] for i in range(300)])
    book = Workbook(hostile_xlsx.upload(data), _limits(rows=120), data_only=True)
    sheet = book.first_sheet()
    sheet.header()
    with pytest.raises(SpreadsheetRefused) as exc:
        list(sheet.data_rows())
    book.close()
    assert str(exc.value.message) == "数据行超过上限 120 行,请拆分后导入。" and book.data_rows == 121


def test_a_cell_in_the_last_column_does_not_widen_every_row():
    data = hostile_xlsx.with_far_column([["名称"], ["甲"], ["乙"]])
    with Workbook(hostile_xlsx.upload(data), _limits(columns=200), data_only=True) as book:
        sheet = book.first_sheet()
        assert len(sheet.header()) == 200
        assert [len(values) for _rowno, values in sheet.data_rows()] == [200, 200]


@override_settings(IMPORT_MAX_ROWS=5)
def test_the_settings_row_limit_caps_a_callers_higher_one():
    assert Limits.of(rows=60_000, unpacked_bytes=1).rows == 5
    assert Limits.of(rows=3, unpacked_bytes=1).rows == 3


# ----------------------------------------------------------------------------- through the master-data import
@pytest.fixture
def admin():
    return staff_with("admin", name="行政甲").user


@override_settings(IMPORT_MAX_SHARED_STRINGS=2000)
def test_master_data_preview_refuses_a_shared_strings_bomb(admin, fixed_now, openpyxl_calls):
    data = hostile_xlsx.with_shared_strings([CLIENT_HEADERS, CLIENT], 100_000, title="客户")
    with pytest.raises(DomainError) as exc:
        services.preview(file=hostile_xlsx.upload(data, "客户名单.xlsx"), by=admin, now=fixed_now)
    assert exc.value.field == "file" and "不同文字超过上限 2000 个" in str(exc.value.message)
    assert openpyxl_calls == []


@override_settings(IMPORT_MAX_BLANK_ROWS=50)
def test_master_data_preview_refuses_made_up_blank_rows(admin, fixed_now):
    data = hostile_xlsx.with_far_row([CLIENT_HEADERS, CLIENT], title="客户")
    with pytest.raises(DomainError) as exc:
        services.preview(file=hostile_xlsx.upload(data, "客户名单.xlsx"), by=admin, now=fixed_now)
    assert exc.value.field == "file" and "空行超过上限 50 行" in str(exc.value.message)


@override_settings(IMPORT_MAX_BLANK_ROWS=3)
def test_master_data_csv_of_blank_lines_is_bounded_too(admin, fixed_now):
    text = ",".join(CLIENT_HEADERS) + "\n" + "\n" * 10 + ",".join(c or "" for c in CLIENT) + "\n"
    f = hostile_xlsx.upload(text.encode("utf-8"), "客户.csv")
    with pytest.raises(DomainError) as exc:
        services.preview(file=f, by=admin, now=fixed_now)
    assert "空行超过上限 3 行" in str(exc.value.message)


def test_a_file_is_counted_once_under_the_same_limits(strings_read):
    data = hostile_xlsx.with_shared_strings([["名称"], ["甲"]], 300)
    f = hostile_xlsx.upload(data)
    spreadsheets.check_xlsx(f, _limits())
    with Workbook(f, _limits(), data_only=True) as book:  # finance: checked, rows counted, then read
        assert book.first_sheet().header() == ("名称",)
    assert len(strings_read) == 300
    with pytest.raises(SpreadsheetRefused):  # other limits: counted again, and refused
        spreadsheets.check_xlsx(f, _limits(shared_strings=200))
