"""The upload read into one dataset per list (docs/developers.md rule 4: nothing is written here).

Safety: the size is capped here; the rest is the one bounded reader of uploads, `servicedesk.spreadsheets`, also
used by the receivables imports (a real zip holding a workbook, its *declared* unpacked size and its shared
strings counted before openpyxl opens it; the sheets streamed with data and blank rows counted, settings
IMPORT_MAX_*). The length of every cell is capped here. Cells are read as written, never evaluated: a formula
cell keeps its text (a leading "=" stays literal text), an Excel date stays a date.
A .csv holds one list (told apart by its headers), read as UTF-8 (with or without BOM) or GB18030.
"""
import csv
import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.utils.translation import gettext as _

from servicedesk.errors import DomainError
from servicedesk.spreadsheets import Limits, RowBudget, Workbook, budgeted, file_name, file_size, not_xlsx

from .columns import BY_KIND, fold_header, header_map, kind_of_headers, kind_of_sheet

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # below nginx's client_max_body_size (deploy/), so the refusal is ours and translated
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ROWS = 60_000  # every sheet together: a department of 10 000 devices fits several times (at most IMPORT_MAX_ROWS)
MAX_CELL_CHARS = 2000


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


class ImportRejected(DomainError):
    """The file was refused as a whole; `errors` names every bad cell (sheet, row, column, reason)."""

    def __init__(self, errors: list[RowError], message: str | None = None):
        self.errors = errors
        if message is None:
            first = errors[0]
            message = _("导入被拒绝:共 %(n)s 处错误,未导入任何数据。第一处:“%(sheet)s”表第 %(row)s 行“%(col)s”列:%(msg)s") % {
                "n": len(errors), "sheet": first.sheet, "row": first.row, "col": first.column, "msg": first.message}
        super().__init__(message, field="file", code="import_rejected")


@dataclass
class Sheet:
    kind: str
    title: str  # as written in the file (named in the messages)
    dataset: tablib.Dataset
    rownos: list = field(default_factory=list)  # the sheet row number of each dataset row


def _limits() -> Limits:
    return Limits.of(rows=MAX_ROWS, unpacked_bytes=MAX_UNPACKED_BYTES)


def read_upload(file, *, ignored: list | None = None) -> list[Sheet]:
    """Every list in the upload, as datasets with the column keys as headers; refuses what it cannot read.
    The titles of sheets that hold no list (a notes sheet) are added to `ignored`, for the preview to say so."""
    size = file_size(file)
    if size == 0:
        raise DomainError(_("“%(name)s”是空文件。") % {"name": file_name(file)}, field="file")
    if size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("“%(name)s”过大(%(mb).1f MB),上限为 %(max)s MB;请拆分后分批导入。")
            % {"name": file_name(file), "mb": size / 1048576, "max": MAX_UPLOAD_BYTES // 1048576},
            field="file",
        )
    file.seek(0)
    if file_name(file).lower().endswith(".csv"):
        return [_read_csv(file)]
    return _read_xlsx(file, ignored if ignored is not None else [])


def _cell(value):
    """A cell as the import sees it: text stripped (a formula's text included), numbers and dates as they are."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _sheet(kind: str, title: str, header, rows) -> Sheet:
    """A dataset keyed by column keys (unknown columns dropped); `rows` are the non-blank rows, already counted
    against the file's budget (servicedesk.spreadsheets)."""
    names = header_map(BY_KIND[kind])
    index = {}
    for i, h in enumerate(header):
        key = names.get(fold_header(h)) if h is not None else None
        if key and key not in index:
            index[key] = i
    spec = BY_KIND[kind]
    missing = [c for c in spec.columns if c.required and c.key not in index]
    if missing:
        raise ImportRejected([RowError(title, 1, str(c.title), _("缺少此列(必填)。")) for c in missing])
    keys = [c.key for c in spec.columns if c.key in index]
    data, rownos, too_long = tablib.Dataset(headers=keys), [], []
    for rowno, values in rows:
        out = []
        for key in keys:
            i = index[key]
            v = _cell(values[i]) if i < len(values) else None
            if isinstance(v, str) and len(v) > MAX_CELL_CHARS:
                too_long.append(RowError(title, rowno, str(spec.column(key).title),
                                         _("内容过长(%(n)s 个字符,最多 %(max)s 个)。") % {"n": len(v), "max": MAX_CELL_CHARS}))
                v = None
            out.append(v)
        data.append(out)
        rownos.append(rowno)
    if too_long:
        raise ImportRejected(too_long)
    return Sheet(kind=kind, title=title, dataset=data, rownos=rownos)


def _read_xlsx(file, ignored: list) -> list[Sheet]:
    sheets = []
    # data_only=False: a formula cell gives its text, never a computed value (nothing is evaluated)
    with Workbook(file, _limits(), data_only=False) as book:
        try:
            for sheet in book.sheets():
                header = sheet.header()
                if not header or all(h is None for h in header):
                    continue
                header = [str(h).strip() if h is not None else None for h in header]
                kind = kind_of_sheet(sheet.title) or kind_of_headers(header)
                if kind is None:
                    ignored.append(sheet.title)
                    continue
                sheets.append(_sheet(kind, sheet.title, header, sheet.data_rows()))
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError):
            raise not_xlsx(file) from None
    if not sheets:
        raise DomainError(
            _("“%(name)s”中没有可识别的工作表:工作表名应为 客户/网点/设备/员工(或英文),或表头与模板一致。") % {"name": file_name(file)},
            field="file",
        )
    if not any(len(s.dataset) for s in sheets):
        raise DomainError(_("“%(name)s”中没有数据行。") % {"name": file_name(file)}, field="file")
    return sheets


def _read_csv(file) -> Sheet:
    raw = file.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(_("“%(name)s”的编码无法识别,请保存为 UTF-8 编码的 CSV。") % {"name": file_name(file)}, field="file")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise DomainError(_("“%(name)s”是空文件。") % {"name": file_name(file)}, field="file")
    header = [h.strip() for h in header]
    kind = kind_of_headers(header)
    if kind is None:
        raise DomainError(
            _("无法识别“%(name)s”是哪一份名单:表头应与模板(客户、网点、设备或员工)一致,必填列不能缺少。") % {"name": file_name(file)},
            field="file",
        )
    sheet = _sheet(kind, str(BY_KIND[kind].title), header, budgeted(enumerate(reader, start=2), RowBudget(file, _limits())))
    if not len(sheet.dataset):
        raise DomainError(_("“%(name)s”中没有数据行。") % {"name": file_name(file)}, field="file")
    return sheet
