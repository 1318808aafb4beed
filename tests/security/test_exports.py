"""House rule 8 (docs/developers.md) and R-S8: every workbook/CSV the product writes goes through
servicedesk/exports.py, which writes formula-like text as text. The exports outside receivables have their own
end-to-end tests with a "=HYPERLINK(...)" name: tests/bonuses/test_api_and_pages.py::test_payroll_export_one_row_per_person_and_escaped
and tests/reports/test_pages_and_api.py::test_excel_escapes_formula_like_names; this file pins the helper and
fails when a new writer bypasses it."""
import io
import re
from pathlib import Path

import openpyxl
import pytest

from servicedesk.exports import SheetWriter, csv_safe, open_workbook

ROOT = Path(__file__).resolve().parents[2]
APPS = ["servicedesk", "dispatch", "billing", "penalties", "callbacks", "receivables", "bonuses", "reports"]
WRITERS = re.compile(r"\bimport xlsxwriter\b|xlsxwriter\.Workbook|openpyxl\.Workbook\(|\bWorkbook\(\)|csv\.writer|csv\.DictWriter|to_excel\(|to_csv\(")


# receivables' blank import templates (constant headers, no user data, nothing to escape) are written by the
# import module itself (R-S8).
ALLOWED = {"receivables/imports.py"}


def test_no_workbook_or_csv_writer_outside_the_shared_helper():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "servicedesk" / "exports.py" or str(path.relative_to(ROOT)) in ALLOWED:
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if WRITERS.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == [], "write workbooks/CSV through servicedesk/exports.py:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil","点我")', "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "=cmd|' /C calc'!A0",
        # the full-width and small forms a Chinese input method types: spreadsheets read them as formulas too
        '＝HYPERLINK("http://evil","点我")', "＋1+2", "－2+3", "＠SUM(A1:A2)", "﹦1+1", "﹢1", "﹣1", "﹫SUM(A1)",
    ],
)
def test_formula_like_text_is_written_as_quoted_text(text):
    out = io.BytesIO()
    wb, fmt = open_workbook(out, constant_memory=False)
    sheet = SheetWriter(wb.add_worksheet("x"), fmt)
    sheet.header(["客户"])
    sheet.row([text], formats={0: fmt.bold})
    wb.close()
    cell = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active["A2"]
    assert cell.value == text and cell.data_type == "s" and cell.quotePrefix


def test_plain_text_and_numbers_stay_as_they_are():
    out = io.BytesIO()
    wb, fmt = open_workbook(out, constant_memory=False)
    sheet = SheetWriter(wb.add_worksheet("x"), fmt)
    sheet.row(["王技术", 12])
    wb.close()
    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert ws["A1"].value == "王技术" and not ws["A1"].quotePrefix and ws["B1"].value == 12


def test_csv_safe():
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("@x") == "'@x" and csv_safe("王") == "王"
    assert csv_safe("＝1+1") == "'＝1+1" and csv_safe("＠x") == "'＠x" and csv_safe("＋5") == "'＋5"
    assert csv_safe("－5") == "'－5" and csv_safe("王＝1") == "王＝1"
