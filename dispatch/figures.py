"""Monthly figures of resolved visits that the month close (R-M1) and the monthly report (R-T1) read.

A resolved visit is a close-out (R-W10); it belongs to the month of its completion time in
Asia/Shanghai and to the technician who closed it. Aggregated in the database: one query.
"""
from collections import defaultdict
from datetime import date

from django.db.models import Count

from servicedesk.months import month_bounds

from servicedesk.choices import ServiceMode

from .models import CarryInRepair, CloseOut


CARRY_IN_KIND = "carry_in"  # the workload-score key of a finished carry-in repair (`bonus.workload_scores`, R-M1)


def resolved_visits(month: date, *, technician_ids=None) -> dict[int, dict]:
    """{technician id: {"total": n, "by_mode": {mode: n}, "by_kind": {content: n}, "by_mode_kind": {(mode, content): n}}}.

    Finished carry-in repairs (送修, tested and ready for return) count too, as mobile work of kind "carry_in"
    (R-M1 "mobile visits incl. repairs"), in the month they were finished, for the technician who held them;
    a device returned unrepaired does not count. Two queries."""
    start, end = month_bounds(month)
    qs = CloseOut.objects.filter(completed_at__gte=start, completed_at__lt=end)
    if technician_ids is not None:
        qs = qs.filter(technician_id__in=technician_ids)
    rows = qs.values("technician_id", "work_order__service_mode", "work_order__content").annotate(n=Count("pk")).order_by()
    out: dict[int, dict] = defaultdict(lambda: {"total": 0, "by_mode": defaultdict(int), "by_kind": defaultdict(int), "by_mode_kind": defaultdict(int)})
    for r in rows:
        fig = out[r["technician_id"]]
        mode, kind, n = r["work_order__service_mode"], r["work_order__content"], r["n"]
        fig["total"] += n
        fig["by_mode"][mode] += n
        fig["by_kind"][kind] += n
        fig["by_mode_kind"][(mode, kind)] += n
    bench = CarryInRepair.objects.filter(completed_at__gte=start, completed_at__lt=end, test_days__isnull=False,
                                         work_order__technician__isnull=False)
    if technician_ids is not None:
        bench = bench.filter(work_order__technician_id__in=technician_ids)
    for r in bench.values("work_order__technician_id").annotate(n=Count("pk")).order_by():
        fig = out[r["work_order__technician_id"]]
        n = r["n"]
        fig["total"] += n
        fig["by_mode"][ServiceMode.MOBILE] += n
        fig["by_kind"][CARRY_IN_KIND] += n
        fig["by_mode_kind"][(ServiceMode.MOBILE, CARRY_IN_KIND)] += n
    return {
        tech: {"total": f["total"], "by_mode": dict(f["by_mode"]), "by_kind": dict(f["by_kind"]), "by_mode_kind": dict(f["by_mode_kind"])}
        for tech, f in out.items()
    }
