from dispatch.resident import services
from dispatch.resident.choices import LinkPurpose
from dispatch.resident.links import live_link

from .conftest import NOV, at


def filled_report(technician, *, month=NOV, now=None):
    now = now or at(12, 1, 9)
    report = services.start_report(technician=technician, month=month, by=technician, now=now)
    return services.update_report(report=report, by=technician, work_done="巡检打印机 40 台,更换硒鼓 6 个", issues="机房空调老化",
                                  suggestions="建议更换空调", now=now)


def stamped_report(technician, *, supervisor, manager, gm, month=NOV, now=None):
    now = now or at(12, 2, 9)
    report = filled_report(technician, month=month, now=now)
    report = services.submit_report(report=report, by=technician, now=now)
    report = services.approve_report(report=report, by=supervisor, now=now)
    report = services.approve_report(report=report, by=manager, now=now)
    report = services.approve_report(report=report, by=gm, now=now)
    return report


def token_of(report) -> str:
    return live_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk).token


def documents_in(site, *, by, now, month=NOV):
    """Attendance sheet submitted and quality evaluation in (the reports are submitted by their writers)."""
    sheet = services.attendance_sheet(site=site, month=month, by=by)
    services.submit_attendance(sheet=sheet, by=by, now=now)
    services.submit_quality_evaluation(site=site, month=month, content="服务质量良好", by=by, now=now)
