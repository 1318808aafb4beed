"""SLA compliance figures (R-W4, R-W5, R-W6) that the monthly report (R-T1) reads.

Definition: compliance = deadlines met in time ÷ deadlines due in the month, as a percentage
(2 places, ROUND_HALF_UP; undefined — None, shown "—" — when nothing fell due).

- A deadline "falls due in the month" when its `due_at` lies in the month (Asia/Shanghai) and it was not
  cancelled (a deadline voided by a reassignment or a cancellation before it fell due is nobody's).
- It is "met in time" when `met_at` is set and `met_at <= due_at`. A deadline met late, or never met, counts
  as due but not met.
- Only the response SLAs count (SLA_KINDS: R-W4 set-off, R-W6 contact, R-W5 arrive / phone answer); the
  carry-in return deadline (R-W13) is not an SLA of the technician.
- A deadline belongs to the technician it was written for (`Deadline.technician`).

Aggregated in the database: one query per function whatever the number of rows.
"""
from datetime import date, datetime

from django.db.models import Count, F, Q

from callbacks.selectors import percent
from servicedesk.months import month_bounds

from .choices import SLA_KINDS
from .models import Deadline

MET_IN_TIME = Q(met_at__isnull=False, met_at__lte=F("due_at"))
RULES = ("R-W4", "R-W5", "R-W6")


def _due_in(start: datetime, end: datetime):
    return Deadline.objects.filter(kind__in=SLA_KINDS, cancelled_at__isnull=True, due_at__gte=start, due_at__lt=end)


def _figure(due: int, met: int) -> dict:
    return {"due": due, "met": met, "compliance": percent(met, due)}


def technician_sla(month: date, *, technician_ids=None) -> dict[int, dict]:
    """{technician id: {"due", "met", "compliance", "by_rule": {"R-W4": {"due", "met", "compliance"}, …}}}. One query."""
    start, end = month_bounds(month)
    qs = _due_in(start, end).filter(technician__isnull=False)
    if technician_ids is not None:
        qs = qs.filter(technician_id__in=technician_ids)
    rows = qs.values("technician_id", "rule").annotate(due=Count("pk"), met=Count("pk", filter=MET_IN_TIME)).order_by()
    acc: dict[int, dict] = {}
    for r in rows:
        a = acc.setdefault(r["technician_id"], {"due": 0, "met": 0, "by_rule": {}})
        a["due"] += r["due"]
        a["met"] += r["met"]
        br = a["by_rule"].setdefault(r["rule"], {"due": 0, "met": 0})
        br["due"] += r["due"]
        br["met"] += r["met"]
    return {
        tech: {
            **_figure(a["due"], a["met"]),
            "by_rule": {rule: _figure(v["due"], v["met"]) for rule, v in sorted(a["by_rule"].items())},
        }
        for tech, a in acc.items()
    }


def department_sla(month: date) -> dict:
    """The department's compliance for the month, in total and per rule. One query."""
    start, end = month_bounds(month)
    rows = _due_in(start, end).values("rule").annotate(due=Count("pk"), met=Count("pk", filter=MET_IN_TIME)).order_by()
    by_rule = {r["rule"]: (r["due"], r["met"]) for r in rows}
    due = sum(v[0] for v in by_rule.values())
    met = sum(v[1] for v in by_rule.values())
    return {**_figure(due, met), "by_rule": {rule: _figure(*by_rule[rule]) for rule in sorted(by_rule)}}


def monthly_sla_for(months: list[date]) -> dict[date, dict]:
    """{first day of month: {"due", "met", "compliance"}} for the given months (ascending): one conditional
    aggregate over their range, no per-row date truncation (trend chart on large tables)."""
    if not months:
        return {}
    bounds = {m: month_bounds(m) for m in months}
    lo, hi = bounds[months[0]][0], bounds[months[-1]][1]
    agg = _due_in(lo, hi).aggregate(
        **{f"d{i}": Count("pk", filter=Q(due_at__gte=bounds[m][0], due_at__lt=bounds[m][1])) for i, m in enumerate(months)},
        **{f"m{i}": Count("pk", filter=Q(due_at__gte=bounds[m][0], due_at__lt=bounds[m][1]) & MET_IN_TIME) for i, m in enumerate(months)},
    )
    return {m: _figure(agg[f"d{i}"], agg[f"m{i}"]) for i, m in enumerate(months)}
