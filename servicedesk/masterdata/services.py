"""Bring the department in from spreadsheets, and out again (docs/developers.md rule 4: one transaction each).

    report = preview(file=f, by=request.user, now=now)     # a dry run: every row checked, nothing kept
    report = import_file(file=f, by=request.user, now=now)  # all rows or nothing; ImportRejected names every bad cell

Both run the same code: every sheet, in the order staff → clients → sites → equipment, through its resource
(resources.py) inside one transaction, which a preview (or any bad row) rolls back. So the preview counts exactly
what the import will do — new, changed, unchanged — and a row may name a client or site that an earlier sheet of
the same file creates.

Decision (big files): the preview runs within the request (it must be seen before anything is kept); the
confirmed import runs as a background job with progress (`jobs.py`), which re-reads the same stored file and
calls `import_file(progress=…)`. The import is one transaction, so its progress cannot be a row the worker
updates inside it (nobody else would see it before the commit): it is reported through `progress`, which the
job writes to the shared cache, and the job row gets the final count.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult

from .columns import BY_KIND, LISTS, SHEET_ORDER
from .reading import ImportRejected, RowError, Sheet, read_upload
from .resources import RESOURCES

LISTED_ROWS = 200  # rows listed per sheet and kind in a preview (the counts are always complete; rule 8)


@dataclass
class RowLine:
    row: int
    label: str
    changed: list = field(default_factory=list)


@dataclass
class SheetReport:
    kind: str
    title: str
    total: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    held: int = 0  # rows held back because another bad row of the file is what they refer to
    new_rows: list = field(default_factory=list)
    changed_rows: list = field(default_factory=list)

    @property
    def list_title(self) -> str:
        return str(BY_KIND[self.kind].title)


@dataclass
class Report:
    sheets: list
    errors: list
    saved: bool = False
    ignored: list = field(default_factory=list)  # sheets that hold none of the lists (named in the preview)

    @property
    def totals(self) -> dict:
        return {k: sum(getattr(s, k) for s in self.sheets) for k in ("total", "new", "changed", "unchanged", "held")}

    @property
    def changes_nothing(self) -> bool:
        t = self.totals
        return not self.errors and t["new"] == 0 and t["changed"] == 0


def _errors_of(sheet: Sheet, resource, result) -> list[RowError]:
    spec = BY_KIND[sheet.kind]
    attr_to_title = {f.attribute: spec.title_of(f.column_name) for f in resource.get_import_fields()}
    out = []
    for err in result.base_errors:
        out.append(RowError(sheet.title, 0, "", _("无法写入:%(e)s") % {"e": err.error}))
    for invalid in result.invalid_rows:
        rowno = sheet.rownos[invalid.number - 1]
        for attr, messages in invalid.error_dict.items():
            for message in messages:
                out.append(RowError(sheet.title, rowno, attr_to_title.get(attr, ""), str(message)))
    for number, errors in result.row_errors():
        for err in errors:
            out.append(RowError(sheet.title, sheet.rownos[number - 1], "", str(err.error)))
    return out


def _run(sheets: list[Sheet], *, by, now, keep: bool, progress=None) -> Report:
    """Every sheet through its resource in one transaction; rolled back unless `keep` and every row is good."""
    order = {spec.kind: n for n, spec in enumerate(LISTS)}
    sheets = sorted(sheets, key=lambda s: order[s.kind])
    reports, errors, blocked = [], [], {}
    site_areas = set()
    for s in sheets:
        if s.kind == "sites" and "area" in s.dataset.headers:
            site_areas |= {str(a).strip().casefold() for a in s.dataset["area"] if a}
    before = 0  # rows of the earlier sheets
    with transaction.atomic():
        for sheet in sheets:
            report_progress = (lambda n, base=before: progress(base + n)) if progress else None
            resource = RESOURCES[sheet.kind](by=by, now=now, rownos=sheet.rownos, blocked=blocked, progress=report_progress)
            resource.extra_areas = site_areas
            with transaction.atomic():  # a savepoint: a failed bulk write leaves the outer transaction usable
                result = resource.import_data(sheet.dataset, dry_run=False, use_transactions=False, raise_errors=False, user=by)
            blocked[sheet.kind] = resource.bad_keys
            errors.extend(_errors_of(sheet, resource, result))
            rep = SheetReport(kind=sheet.kind, title=sheet.title, total=len(sheet.dataset))
            for row in result.rows:
                if getattr(row, "blocked", False):
                    rep.held += 1
                elif row.import_type == RowResult.IMPORT_TYPE_NEW:
                    rep.new += 1
                    if len(rep.new_rows) < LISTED_ROWS:
                        rep.new_rows.append(RowLine(row.rowno, row.object_repr or ""))
                elif row.import_type == RowResult.IMPORT_TYPE_UPDATE:
                    rep.changed += 1
                    if len(rep.changed_rows) < LISTED_ROWS:
                        spec = BY_KIND[sheet.kind]
                        rep.changed_rows.append(RowLine(row.rowno, row.object_repr or "", [spec.title_of(c) for c in row.changed]))
                elif row.import_type == RowResult.IMPORT_TYPE_SKIP:
                    rep.unchanged += 1
            reports.append(rep)
            before += len(sheet.dataset)
            if progress:
                progress(before)
        errors.sort(key=lambda e: ([s.title for s in sheets].index(e.sheet) if e.sheet in [s.title for s in sheets] else 99, e.row))
        saved = keep and not errors
        if not saved:
            transaction.set_rollback(True)
    reports.sort(key=lambda r: [s.kind for s in SHEET_ORDER].index(r.kind))
    return Report(sheets=reports, errors=errors, saved=saved)


def preview(*, file, by, now) -> Report:
    """A dry run: what the import would do (new / changed / unchanged per list, every bad row); nothing is kept.
    Raises DomainError / ImportRejected for a file that cannot be read at all (not an xlsx, a missing column)."""
    ignored: list = []
    report = _run(read_upload(file, ignored=ignored), by=by, now=now, keep=False)
    report.ignored = ignored
    return report


def count_rows(sheets: list[Sheet]) -> int:
    return sum(len(s.dataset) for s in sheets)


def import_file(*, file=None, sheets=None, by, now, progress=None) -> Report:
    """All rows or nothing (one transaction): any bad row refuses the file (ImportRejected naming every one).
    `sheets` (already read from `file`) spare a second read; `progress(rows done)` is called every few hundred rows."""
    report = _run(sheets if sheets is not None else read_upload(file), by=by, now=now, keep=True, progress=progress)
    if report.errors:
        raise ImportRejected(report.errors)
    return report
