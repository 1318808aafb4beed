"""One helper for every workbook the product writes (docs/developers.md rule 8; R-S8).

Numbers stay numbers, dates stay dates, and every text cell is written as text:
a value that a spreadsheet would read as a formula (starting with =, +, -, @, tab
or carriage return — OWASP CSV injection —, or with their full-width forms ＝ ＋ － ＠ and the small forms
﹦ ﹢ ﹣ ﹫, which a Chinese input method types and spreadsheets normalise into a formula) is written with Excel's quote prefix, so
Excel shows it as text and never evaluates it, even after the cell is edited.

    from servicedesk.exports import SheetWriter, open_workbook
    wb, fmt = open_workbook(output)              # XlsxWriter, constant_memory
    ws = SheetWriter(wb.add_worksheet("台账"), fmt)
    ws.header(["客户", "金额"]) ; ws.row([client.name, Decimal("12.50")], money_cols={1})
    wb.close()
"""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import xlsxwriter
from django.conf import settings

FORMULA_PREFIXES = (
    "=", "+", "-", "@", "\t", "\r",
    "\uff1d", "\uff0b", "\uff0d", "\uff20",  # full-width ＝ ＋ － ＠ (a Chinese IME's forms)
    "\ufe66", "\ufe62", "\ufe63", "\ufe6b",  # small ﹦ ﹢ ﹣ ﹫
)


def is_formula_like(text: str) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def csv_safe(text: str) -> str:
    """For CSV/plain-text exports: a leading apostrophe, the OWASP convention."""
    return "'" + text if is_formula_like(text) else text


class Formats:
    def __init__(self, wb):
        self.header = wb.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True, "valign": "top"})
        self.text = wb.add_format({})
        self.quoted = wb.add_format({"quote_prefix": True})
        self.money = wb.add_format({"num_format": "#,##0.00"})
        self.money_bold = wb.add_format({"num_format": "#,##0.00", "bold": True})
        self.integer = wb.add_format({"num_format": "0"})
        self.percent = wb.add_format({"num_format": "0.00"})
        self.date = wb.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.bold = wb.add_format({"bold": True})
        self.title = wb.add_format({"bold": True, "font_size": 14})


def open_workbook(output, *, constant_memory: bool = True):
    """An XlsxWriter workbook on a path or file object, with the project's formats."""
    wb = xlsxwriter.Workbook(
        output, {"constant_memory": constant_memory, "in_memory": not constant_memory, "strings_to_formulas": False,
                 "strings_to_urls": False, "strings_to_numbers": False}
    )
    return wb, Formats(wb)


def local_naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
    return value


class SheetWriter:
    """Writes rows top to bottom (constant_memory needs that), choosing the cell type from the value."""

    def __init__(self, worksheet, formats: Formats, *, start_row: int = 0):
        self.ws = worksheet
        self.fmt = formats
        self.row_index = start_row

    def cell(self, row: int, col: int, value, fmt=None) -> None:
        ws, f = self.ws, self.fmt
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(row, col, float(value), fmt or (f.money if isinstance(value, Decimal) else None))
        elif isinstance(value, datetime):
            ws.write_datetime(row, col, local_naive(value), fmt or f.datetime)
        elif isinstance(value, date):
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt or f.date)
        else:
            text = str(value)
            ws.write_string(row, col, text, f.quoted if is_formula_like(text) else fmt)

    def header(self, labels) -> int:
        for col, label in enumerate(labels):
            self.ws.write_string(self.row_index, col, str(label), self.fmt.header)
        self.row_index += 1
        return self.row_index - 1

    def row(self, values, formats: dict | None = None) -> int:
        """One row; `formats` maps column index → format. Returns the 0-based row written."""
        formats = formats or {}
        for col, value in enumerate(values):
            self.cell(self.row_index, col, value, formats.get(col))
        self.row_index += 1
        return self.row_index - 1

    def formula(self, row: int, col: int, formula: str, value, fmt=None) -> None:
        """A formula the product wrote itself (SUM/SUBTOTAL), with its computed value cached."""
        self.ws.write_formula(row, col, formula, fmt, float(value) if isinstance(value, Decimal) else value)
