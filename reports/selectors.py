"""Reads of the monthly report: the stored snapshot, the archive, one technician's row, the chart data.

Pages and the API read the stored body only (one query), never the live figures, so what the manager
reviews is exactly what is approved and archived.
"""
from datetime import date

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from receivables.selectors import bucket_label
from servicedesk.choices import Role, ServiceContent, ServiceMode

from .compiler import chart_ranking
from .models import MonthlyReport, ReportStatus

VIEWERS = (Role.MANAGER, Role.GM_OFFICE)  # the whole report
ARCHIVE_VIEWERS = (Role.MANAGER, Role.ADMIN, Role.GM_OFFICE)  # approved months (R-T2 "archived for admin")


def report_for(month: date) -> MonthlyReport | None:
    return MonthlyReport.objects.select_related("compiled_by", "approved_by").filter(month=month.replace(day=1)).first()


def archive():
    """Every approved month, newest first (bounded by the number of months)."""
    return MonthlyReport.objects.filter(status=ReportStatus.APPROVED).select_related("approved_by").defer("body").order_by("-month")


def archive_rows(limit: int = 120) -> list[dict]:
    """The archive's rows with a summary a reader understands (technicians, visits, resolutions, sales) instead of
    the body's checksum (rule 2); one query, bounded by `limit` months."""
    rows = []
    for r in MonthlyReport.objects.filter(status=ReportStatus.APPROVED).select_related("approved_by").order_by("-month")[:limit]:
        d = r.data.get("department", {})
        rows.append({"report": r, "month": r.month, "approved_by": r.approved_by, "approved_at": r.approved_at,
                     "technicians": d.get("technicians", 0), "visits": d.get("visits", 0),
                     "resolved": d.get("resolved_visits", 0), "sales": d.get("sales")})
    return rows


def draft_statements(month) -> list:
    """The month's bonus statements (R-M9) still in draft, by name: approving the report over them needs an
    explicit confirmation."""
    from bonuses.choices import StatementStatus
    from bonuses.models import Statement

    return list(Statement.objects.filter(month=month, status=StatementStatus.DRAFT).select_related("person").order_by("person__name"))


def recent(limit: int = 24):
    return MonthlyReport.objects.select_related("approved_by").defer("body").order_by("-month")[:limit]


def technician_row(report: MonthlyReport, person_id: int) -> dict | None:
    for row in report.data["technicians"]:
        if row["person"] == person_id:
            return row
    return None


def chart_data(body: dict) -> dict:
    """What the page embeds with json_script for the charts (numbers as strings/None, labels translated)."""
    d = body["department"]
    return {
        "labels": {
            "visits": str(_("已解决上门")),
            "satisfaction": str(_("很满意率 %")),
            "sla": str(_("SLA 达标率 %")),
            "coverage": str(_("回访覆盖率 %")),
            "target": str(_("目标")),
            "score": str(_("工作量分")),
            "outstanding": str(_("应收余额 ¥")),
        },
        "trends": body["trends"],
        "ranking": chart_ranking(body),
        "ageing": [
            {"key": b["key"], "label": bucket_label(b["key"], b.get("label")), "amount": d["receivables_by_bucket"].get(b["key"], "0.00")}
            for b in d["receivables_buckets"]
        ],
        "coverage": {"actual": d["callback_coverage"], "target": d["coverage_target"]},
    }


def mode_labels() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in ServiceMode.choices]


def kind_labels() -> list[tuple[str, str]]:
    return [(k, str(v)) for k, v in ServiceContent.choices]


def department_view(body: dict) -> dict:
    """The department figures with the team projects' stored status codes read as labels (rule 2: no raw codes)."""
    from dispatch.projects.models import ProjectStatus

    d = body["department"]
    labels = dict(ProjectStatus.choices)
    for r in d.get("projects") or []:
        r["status_label"] = str(labels.get(r.get("status"), r.get("status") or ""))
    from dispatch.resident.choices import Rating

    ratings = dict(Rating.choices)
    for r in d.get("resident_ratings") or []:
        r["rating_label"] = str(ratings.get(r.get("client_rating"), r.get("client_rating") or "")) if r.get("client_rating") else ""
    for c in d.get("complaints_by_cause") or []:
        c["label"] = cause_label(c)
    return d


def cause_label(row: dict) -> str:
    """A complaint cause's name in the active language (the reader's page, the requester's workbook), from the
    stored cause code; the body keeps the label it was compiled with, in the compiler's language (rule 7)."""
    from callbacks.choices import ComplaintCause

    cause = row.get("cause")
    if cause == "":
        return gettext("未判定")
    if cause in ComplaintCause.values:
        return str(ComplaintCause(cause).label)
    return str(row.get("label", ""))


def technician_rows(body: dict) -> list[dict]:
    """The technicians' rows with their per-mode and per-kind cells in column order (no nested template loops)."""
    modes, kinds = ServiceMode.values, ServiceContent.values
    for t in body["technicians"]:
        t["mode_cells"] = [t["by_mode"].get(k, 0) for k in modes]
        t["kind_cells"] = [t["by_kind"].get(k, 0) for k in kinds]
    return body["technicians"]
