"""The one reader of uploaded workbooks (the master-data import, finance's imports): bounded in work, not only in
bytes, so that no upload can hold a web worker for minutes (a 6 MB file of millions of tiny shared strings would,
since openpyxl loads every shared string before the first row).

Before openpyxl sees the file:
- it must be a zip holding `xl/workbook.xml`, with at most MAX_ZIP_MEMBERS members whose *declared* unpacked
  sizes add up to at most the caller's limit (zipfile itself refuses a member that unpacks to more than it
  declares), and whose shared-strings part unpacks to at most MAX_SHARED_STRINGS_BYTES;
- the shared strings are counted in a streaming parse that stops at IMPORT_MAX_SHARED_STRINGS.
While reading (openpyxl read-only, streaming):
- at most IMPORT_MAX_COLUMNS columns of a row are looked at (a cell in column XFD does not make every row 16 384
  wide);
- data rows are counted across the workbook and stop at the limit (IMPORT_MAX_ROWS, or a caller's lower one);
- blank rows (a gap of a million empty row numbers costs nothing on disk) are counted too and stop at
  IMPORT_MAX_BLANK_ROWS.
Every refusal is a DomainError on the field "file" naming the limit. Cells are read as written, never evaluated.
"""
import io
import os
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .errors import DomainError

MAX_ZIP_MEMBERS = 2000
MAX_MANIFEST_BYTES = 1024 * 1024  # [Content_Types].xml: a few KB in any real workbook
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # unpacked shared-strings part: ~200 bytes per string at the count limit
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class Limits:
    rows: int
    shared_strings: int
    blank_rows: int
    columns: int
    unpacked_bytes: int

    @classmethod
    def of(cls, *, rows: int | None = None, unpacked_bytes: int) -> "Limits":
        """The settings' limits; a caller's own row limit (a rule parameter) applies when it is lower."""
        ceiling = int(settings.IMPORT_MAX_ROWS)
        return cls(
            rows=min(int(rows), ceiling) if rows else ceiling,
            shared_strings=int(settings.IMPORT_MAX_SHARED_STRINGS),
            blank_rows=int(settings.IMPORT_MAX_BLANK_ROWS),
            columns=int(settings.IMPORT_MAX_COLUMNS),
            unpacked_bytes=int(unpacked_bytes),
        )


class SpreadsheetRefused(DomainError):
    """The file is refused as a whole before or while it is read (field "file")."""

    def __init__(self, message):
        super().__init__(message, field="file", code="spreadsheet_refused")


def file_name(file) -> str:
    return os.path.basename(getattr(file, "name", "") or "") or _("上传的文件")


def file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    pos = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(pos)
    return size


def not_xlsx(file) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("“%(name)s”不是有效的 Excel (.xlsx) 文件,无法读取;请在 Excel 中“另存为” .xlsx 或 .csv 后重新上传。") % {"name": file_name(file)}
    )


def is_blank(values) -> bool:
    return values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


# --------------------------------------------------------------------------- before openpyxl


def check_xlsx(file, limits: Limits) -> None:
    """Refuse what is not a workbook, a zip bomb, or too many shared strings; nothing is unpacked but the
    manifest and a streaming count of the shared strings. Leaves the file at its start. A file that passed under
    the same limits is not counted again (finance's import checks, counts its rows, then reads it)."""
    file.seek(0)
    if getattr(file, "_servicedesk_checked", None) == limits:
        return
    if not zipfile.is_zipfile(file):
        raise not_xlsx(file)
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
            by_name = {i.filename: i for i in infos}
            if len(infos) > MAX_ZIP_MEMBERS or "xl/workbook.xml" not in by_name:
                raise not_xlsx(file)
            declared = sum(i.file_size for i in infos)
            if declared > limits.unpacked_bytes:
                raise SpreadsheetRefused(
                    _("“%(name)s”解压后过大(%(mb)s MB,上限 %(max)s MB),已拒绝;请检查文件或拆分后导入。")
                    % {"name": file_name(file), "mb": declared // 1048576, "max": limits.unpacked_bytes // 1048576}
                )
            part = _shared_strings_part(zf, by_name, file)
            if part is not None:
                if by_name[part].file_size > MAX_SHARED_STRINGS_BYTES:
                    raise _too_many_strings(file, limits.shared_strings)
                count_shared_strings(zf, part, limit=limits.shared_strings, file=file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise not_xlsx(file) from None
    file.seek(0)
    try:
        file._servicedesk_checked = limits
    except AttributeError:  # a file object that takes no attributes is simply checked again
        pass


def _shared_strings_part(zf, by_name, file) -> str | None:
    """Where the workbook keeps its shared strings: as openpyxl finds them, from [Content_Types].xml."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.xml.functions import fromstring

    manifest = by_name.get("[Content_Types].xml")
    if manifest is None or manifest.file_size > MAX_MANIFEST_BYTES:
        raise not_xlsx(file)
    try:
        found = Manifest.from_tree(fromstring(zf.read(manifest))).find(SHARED_STRINGS_TYPE)
    except Exception:  # anything unreadable in the manifest is "not an xlsx" to the person uploading it
        raise not_xlsx(file) from None
    if found is None:
        return None
    name = found.PartName.lstrip("/")
    if name not in by_name:
        raise not_xlsx(file)
    return name


def _too_many_strings(file, limit: int) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("“%(name)s”中的不同文字超过上限 %(n)s 个,已拒绝;请拆分后导入,或另存为 .csv。") % {"name": file_name(file), "n": limit}
    )


def count_shared_strings(zf, part: str, *, limit: int, file=None) -> int:
    """The number of shared strings, read as a stream; stops (refused) at the first one over the limit."""
    n = 0
    with zf.open(part) as src:
        try:
            for _event, elem in iterparse(src, events=("end",)):
                if elem.tag == f"{MAIN_NS}si":
                    n += 1
                    if n > limit:
                        raise _too_many_strings(file, limit)
                    elem.clear()
        except ParseError:
            raise not_xlsx(file) from None
    return n


# --------------------------------------------------------------------------- reading


class Workbook:
    """An open upload, read sheet by sheet in streaming mode with one budget of rows for the whole file."""

    def __init__(self, file, limits: Limits, *, data_only: bool):
        check_xlsx(file, limits)
        self.file, self.limits = file, limits
        self.data_rows = 0
        self.blank_rows = 0
        try:
            self._wb = load_workbook(file, read_only=True, data_only=data_only)
        except Exception:  # anything openpyxl cannot open is "not an xlsx" to the person uploading it
            raise not_xlsx(file) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._wb.close()

    def sheets(self):
        for ws in self._wb.worksheets:
            yield Sheet(self, ws)

    def first_sheet(self) -> "Sheet":
        return Sheet(self, self._wb.worksheets[0])

    def declared_rows(self) -> int:
        """Rows as the first sheet's dimension declares them (cheap, may lie: only for inline vs background)."""
        return max((self._wb.worksheets[0].max_row or 1) - 1, 0)

    # the budget, shared by every sheet (and by a .csv read through `data_rows`)
    def count_data_row(self):
        self.data_rows += 1
        if self.data_rows > self.limits.rows:
            raise SpreadsheetRefused(_("数据行超过上限 %(n)s 行,请拆分后导入。") % {"n": self.limits.rows})

    def count_blank_row(self):
        self.blank_rows += 1
        if self.blank_rows > self.limits.blank_rows:
            raise SpreadsheetRefused(
                _("“%(name)s”中的空行超过上限 %(n)s 行,已停止读取;请删除多余的空行后重新导入。") % {"name": file_name(self.file), "n": self.limits.blank_rows}
            )


class Sheet:
    def __init__(self, book: Workbook, ws):
        self.book, self.title = book, ws.title
        # as wide as the sheet declares (openpyxl's own default), never wider than the column limit
        declared = ws.max_column if isinstance(ws.max_column, int) and ws.max_column > 0 else book.limits.columns
        self._rows = enumerate(ws.iter_rows(values_only=True, max_col=min(declared, book.limits.columns)), start=1)

    def header(self):
        """The first row (its values), or None for an empty sheet."""
        first = next(self._rows, None)
        return None if first is None else first[1]

    def data_rows(self):
        """(sheet row number, values) of every non-blank row after the header, within the budget."""
        return budgeted(self._rows, self.book)


def budgeted(rows, budget):
    """The non-blank rows of `rows` ((row number, values) pairs), counting data and blank rows against `budget`
    (a Workbook, or `RowBudget` for a .csv)."""
    for rowno, values in rows:
        if is_blank(values):
            budget.count_blank_row()
            continue
        budget.count_data_row()
        yield rowno, values


class RowBudget:
    """The same row budget for a file that is not a workbook (a .csv)."""

    def __init__(self, file, limits: Limits):
        self.file, self.limits = file, limits
        self.data_rows = self.blank_rows = 0

    count_data_row = Workbook.count_data_row
    count_blank_row = Workbook.count_blank_row
