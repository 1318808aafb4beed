"""Workbooks built to cost a reader much more than their size on disk (also used by bench/import_limits.py).

- `with_shared_strings(rows, n)`: a real workbook whose shared-strings part holds `n` more tiny strings (the
  probe's 6.3 MB file held 3.4 million of them);
- `with_far_row(rows, row)`: one cell at row `row` (1 048 576 at most): openpyxl makes up every empty row between;
- `with_far_column(rows)`: one cell in column XFD (16 384), which would make every row that wide.
"""
import io
import zipfile

from openpyxl import Workbook


def plain(rows, *, title="Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(data: bytes, changes: dict, added: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info.filename, changes[info.filename](content) if info.filename in changes else content)
        for name, content in (added or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(rows, n: int, *, title="Sheet1") -> bytes:
    """`rows` (written inline by openpyxl) plus a shared-strings part of `n` one-character strings, declared in
    the manifest and the workbook's relationships as Excel declares it."""
    sst = SST + b"<si><t>a</t></si>" * n + b"</sst>"
    return _rewrite(
        plain(rows, title=title),
        {
            "[Content_Types].xml": lambda xml: xml.replace(
                b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + SST_TYPE + b'" /></Types>'),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>", b'<Relationship Id="rIdSst" Type="' + SST_REL + b'" Target="sharedStrings.xml" /></Relationships>'),
        },
        {"xl/sharedStrings.xml": sst},
    )


def with_far_row(rows, row: int = 1_048_576, *, title="Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    ws.cell(row=row, column=1, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_far_column(rows, *, title="Sheet1") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    ws.cell(row=2, column=16_384, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes, name: str = "hostile.xlsx") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f
