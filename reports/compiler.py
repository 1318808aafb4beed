"""Builds the body of the monthly report (R-T1) by READING what the other apps hold.

Nothing here recomputes another app's rule: visits come from dispatch.figures, SLA from dispatch.sla_figures,
callbacks and complaints from callbacks.selectors, points from penalties.selectors, rewards and fines from the
month's statements (bonuses.selectors), sales and ageing from receivables. The only arithmetic of its own is
the R-M1 workload score (Σ resolved mobile visits × `bonus.workload_scores`), department sums and the targets.

The body is plain JSON: decimals as strings ("95.00"), undefined rates as null, lists in a fixed order, so
`canonical_json(build_body(...))` is byte-identical for the same data (R-T2).
"""
import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from bonuses import selectors as bonus_selectors
from callbacks import selectors as callback_selectors
from callbacks.choices import CallbackStatus, ComplaintCause, Satisfaction
from callbacks.models import Callback, Complaint
from dispatch import sla_figures
from dispatch.figures import resolved_visits
from dispatch.models import CloseOut
from dispatch.projects import selectors as project_selectors
from dispatch.resident import selectors as resident_selectors
from penalties.selectors import monthly_points
from receivables import figures as receivable_figures
from receivables.selectors import ageing_summary
from servicedesk.choices import Channel, ServiceContent, ServiceMode
from servicedesk.models import Staff
from servicedesk.months import last_day, month_bounds, month_start, previous_month
from servicedesk.params import get_params

BODY_VERSION = 1
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
TREND_MONTHS = 12
PARAMETERS = ("report.target_resolutions", "report.target_visits", "bonus.workload_scores", "callback.coverage_target_percent")


# --- helpers -------------------------------------------------------------------------------------------------

def money(value) -> str:
    return str(Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP))


def rate(value) -> str | None:
    return None if value is None else str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def canonical_json(body: dict) -> str:
    """Sorted keys, no whitespace, UTF-8 text: the same figures always give the same bytes."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- per technician ------------------------------------------------------------------------------------------

def _on_site_visits(month: date) -> dict[int, int]:
    """Client visits (R-T1 "客户拜访"): resolved visits at the client's, i.e. every close-out except carry-in
    repairs done in the workshop. One query."""
    start, end = month_bounds(month)
    rows = (
        CloseOut.objects.filter(completed_at__gte=start, completed_at__lt=end)
        .exclude(work_order__channel=Channel.CARRY_IN)
        .values("technician_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["technician_id"]: r["n"] for r in rows}


def workload_score(by_mode_kind: dict, scores: dict) -> Decimal:
    """R-M1: Σ resolved mobile visits × the score of their service kind (default 1)."""
    total = Decimal(0)
    for (mode, kind), n in by_mode_kind.items():
        if mode == ServiceMode.MOBILE:
            total += Decimal(str(scores.get(kind, "1"))) * n
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def _statements(month: date):
    """{person: totals} from the month's stored statements, or None while the month close has not run (shown "—").
    Decision: the report never shows the live preview of a month not closed — only what the statements hold."""
    if not bonus_selectors.is_compiled(month):
        return None
    return bonus_selectors.statement_totals(month)


def _ranking(month: date):
    return list(bonus_selectors.ranking(month) or [])


def _statement_summary(statuses: dict, names: dict) -> dict:
    """R-T1: how many of the month's statements are draft / approved / archived, and whose are still drafts."""
    counts = {"draft": 0, "approved": 0, "archived": 0}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    drafts = sorted((names.get(pid, ""), pid) for pid, status in statuses.items() if status == "draft")
    return {"total": len(statuses), **counts, "draft_people": [{"person": pid, "name": name} for name, pid in drafts]}


def _complaints_by_cause(month: date) -> list[dict]:
    """Complaints taken in the month, grouped by their recorded root cause (R-K10: the manager's decision records
    it — the person's own work, process, product, third party, other, unfounded); complaints not decided yet are
    a group of their own, last. In the order of the cause list. One query."""
    start, end = month_bounds(month)
    rows = {
        r["cause"]: r["n"]
        for r in Complaint.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("cause").annotate(n=Count("pk")).order_by()
    }
    out = [
        {"by": "cause", "cause": value, "label": str(label), "count": rows[value]}
        for value, label in ComplaintCause.choices if rows.get(value)
    ]
    if rows.get(""):
        out.append({"by": "cause", "cause": "", "label": _("未判定"), "count": rows[""]})
    return out


def _trends(month: date, current: dict) -> list[dict]:
    """12 months ending with `month`: visits, very-satisfied rate, SLA compliance (coverage is the month's own
    figure against its target — R-K8 counts clients served from the work orders, too costly to repeat 12 times).

    Decision: a month already compiled contributes its stored figures — an approved month never changes (R-T2),
    a draft shows what its own report shows; the report month itself reuses the figures just read (`current`);
    only months never compiled are read live."""
    from .models import MonthlyReport, ReportStatus

    months = [month]
    for _i in range(TREND_MONTHS - 1):
        months.insert(0, previous_month(months[0]))
    stored = {
        r.month: (r.data.get("department", {}), r.status == ReportStatus.APPROVED)
        for r in MonthlyReport.objects.filter(month__gte=months[0], month__lt=month)
    }
    live = [m for m in months[:-1] if m not in stored]
    visits, cb, sla = {}, {}, {}
    if live:
        # Months never compiled: one conditional aggregate per table over their range (fixed query count).
        bounds = {m: month_bounds(m) for m in live}
        lo, hi = bounds[live[0]][0], bounds[live[-1]][1]

        def within(m, field, **extra):
            return Q(**{f"{field}__gte": bounds[m][0], f"{field}__lt": bounds[m][1]}, **extra)

        agg = CloseOut.objects.filter(completed_at__gte=lo, completed_at__lt=hi).aggregate(
            **{f"v{i}": Count("pk", filter=within(m, "completed_at")) for i, m in enumerate(live)}
        )
        visits = {m: agg[f"v{i}"] for i, m in enumerate(live)}
        agg = Callback.objects.filter(completed_at__gte=lo, completed_at__lt=hi, status=CallbackStatus.DONE).aggregate(
            **{f"a{i}": Count("pk", filter=within(m, "completed_at")) for i, m in enumerate(live)},
            **{f"y{i}": Count("pk", filter=within(m, "completed_at", satisfaction=Satisfaction.VERY_SATISFIED)) for i, m in enumerate(live)},
        )
        cb = {m: {"a": agg[f"a{i}"], "y": agg[f"y{i}"]} for i, m in enumerate(live)}
        sla = sla_figures.monthly_sla_for(live)
    out = []
    for m in months:
        if m == month or m in stored:
            d, approved = (current, False) if m == month else stored[m]
            out.append({
                "month": m.strftime("%Y-%m"), "visits": d.get("resolved_visits", 0),
                "very_satisfied_rate": d.get("very_satisfied_rate"), "sla_compliance": d.get("sla_compliance"),
                "approved": approved,
            })
        else:
            c = cb[m]
            out.append({
                "month": m.strftime("%Y-%m"), "visits": visits[m],
                "very_satisfied_rate": rate(callback_selectors.percent(c["y"], c["a"])),
                "sla_compliance": rate(sla[m]["compliance"]),
                "approved": False,
            })
    return out


def _section(fn, month: date):
    """Resident-site ratings and team projects as plain JSON."""
    return json.loads(json.dumps(list(fn(month) or []), default=str, sort_keys=True))


# --- the body ------------------------------------------------------------------------------------------------

@dataclass
class _MonthFigures:
    """The month's figures as the owning apps give them (read once, in this order: a constant number of queries)."""

    visits: dict
    on_site: dict
    sla: dict
    callbacks: dict
    points: dict
    statements: dict | None  # None: the month close has no statements yet
    statuses: dict
    sales: dict
    ranking: list | None  # None: no ranking yet
    ranks: dict

    @classmethod
    def read(cls, month: date) -> "_MonthFigures":
        visits = resolved_visits(month)
        on_site = _on_site_visits(month)
        sla = sla_figures.technician_sla(month)
        cbs = callback_selectors.technician_month_figures(month)
        points = {p.person_id: p for p in monthly_points(month)}
        statements = _statements(month)
        statuses = bonus_selectors.statement_statuses(month)
        sales = receivable_figures.technician_month_sales(month) or {}
        ranking = _ranking(month)
        ranks = {r["person_id"]: r for r in ranking} if ranking is not None else {}
        return cls(visits, on_site, sla, cbs, points, statements, statuses, sales, ranking, ranks)

    def people(self) -> set:
        """Every technician, and anyone else a figure names."""
        ids = set(Staff.objects.technicians().values_list("pk", flat=True))
        return ids | set(self.visits) | set(self.sla) | set(self.callbacks) | set(self.points) | set(self.sales) | set(self.ranks) \
            | set(self.statements or {}) | set(self.statuses)


def _technician_row(pid: int, name: str, f: _MonthFigures, *, targets: dict, scores: dict) -> dict:
    """One technician's line of the report (R-T1): visits, workload, SLA, callbacks, penalties, money, rank."""
    v = f.visits.get(pid, {"total": 0, "by_mode": {}, "by_kind": {}, "by_mode_kind": {}})
    s = f.sla.get(pid, {"due": 0, "met": 0, "compliance": None, "by_rule": {}})
    c = f.callbacks.get(pid)
    p = f.points.get(pid)
    st = (f.statements or {}).get(pid, {}) if f.statements is not None else None
    sa = f.sales.get(pid, {})
    answered = c.answered if c else 0
    very = c.very_satisfied if c else 0
    resolved = v["total"]
    site_visits = f.on_site.get(pid, 0)
    return {
        "person": pid,
        "name": name,
        "resolved_visits": resolved,
        "by_mode": {k: v["by_mode"].get(k, 0) for k in ServiceMode.values},
        "by_kind": {k: v["by_kind"].get(k, 0) for k in ServiceContent.values},
        "visits": site_visits,
        "workload_score": str(workload_score(v["by_mode_kind"], scores)),
        "target_resolutions": targets["resolutions"],
        "target_visits": targets["visits"],
        "resolutions_met": resolved >= targets["resolutions"],
        "visits_met": site_visits >= targets["visits"],
        "sla_due": s["due"],
        "sla_met": s["met"],
        "sla_compliance": rate(s["compliance"]),
        "sla_by_rule": {r: {"due": x["due"], "met": x["met"], "compliance": rate(x["compliance"])} for r, x in s["by_rule"].items()},
        "callbacks": answered,
        "very_satisfied": very,
        "very_satisfied_rate": rate(callback_selectors.percent(very, answered)),
        "unreachable": c.unreachable if c else 0,
        "complaints": c.complaints if c else 0,
        "penalty_points": p.points if p else 0,
        "penalty_amount": money(p.amount if p else 0),
        "rewards": money(st.get("rewards")) if st is not None else None,
        "fines": money(st.get("fines")) if st is not None else None,
        "allowances": money(st.get("allowances")) if st is not None else None,
        "project_bonus": money(st.get("project_bonus")) if st is not None else None,
        "net": money(st.get("net")) if st is not None else None,
        "sales": money(sa.get("sales")),
        "collected": money(sa.get("collected")),
        "rank": f.ranks[pid]["rank"] if pid in f.ranks else None,
        "statement_status": f.statuses.get(pid),
    }


def _department(month: date, techs: list[dict], f: _MonthFigures, *, names: dict, on: date, targets: dict) -> dict:
    """The department's totals (R-T1): the technicians' lines added up, plus the department-wide figures
    (callback coverage, SLA, receivables ageing, collections, resident sites, projects)."""
    dept_cb = callback_selectors.department_month_figures(month)
    dept_sla = sla_figures.department_sla(month)
    ageing = ageing_summary(as_of=on)
    answered_total = sum(t["callbacks"] for t in techs)
    very_total = sum(t["very_satisfied"] for t in techs)

    def total(key):
        return money(sum((Decimal(t[key]) for t in techs if t[key] is not None), ZERO)) if f.statements is not None else None

    return {
        "resolved_visits": sum(t["resolved_visits"] for t in techs),
        "visits": sum(t["visits"] for t in techs),
        "technicians": len(techs),
        "meeting_resolution_target": sum(1 for t in techs if t["resolutions_met"]),
        "meeting_visit_target": sum(1 for t in techs if t["visits_met"]),
        "target_resolutions": targets["resolutions"],
        "target_visits": targets["visits"],
        "callbacks": answered_total,
        "very_satisfied": very_total,
        "very_satisfied_rate": rate(callback_selectors.percent(very_total, answered_total)),
        "clients_served": dept_cb.clients_served,
        "clients_called_back": dept_cb.clients_called_back,
        "callback_coverage": rate(dept_cb.coverage),
        "coverage_target": rate(dept_cb.target),
        "below_coverage_target": dept_cb.below_target,
        "overdue_callbacks": dept_cb.overdue,
        "sla_due": dept_sla["due"],
        "sla_met": dept_sla["met"],
        "sla_compliance": rate(dept_sla["compliance"]),
        "sla_by_rule": {r: {"due": x["due"], "met": x["met"], "compliance": rate(x["compliance"])} for r, x in dept_sla["by_rule"].items()},
        "complaints": sum(t["complaints"] for t in techs),
        "complaints_by_cause": _complaints_by_cause(month),
        "penalty_points": sum(t["penalty_points"] for t in techs),
        "penalty_amount": money(sum((Decimal(t["penalty_amount"]) for t in techs), ZERO)),
        "rewards": total("rewards"),
        "fines": total("fines"),
        "receivables_as_of": on.isoformat(),
        # the bucket's key and its name as a message: the report reads in its reader's language (rule 7)
        "receivables_buckets": [{"key": b.key, "label": b.message} for b in ageing["buckets"]],
        "receivables_by_bucket": {k: money(v) for k, v in ageing["bucket_totals"].items()},
        "receivables_outstanding": money(ageing["outstanding"]),
        "sales": money(sum((Decimal(t["sales"]) for t in techs), ZERO)),
        "collections": money(receivable_figures.month_collections(month)),
        "resident_ratings": _section(resident_selectors.month_ratings, month),
        "projects": _section(project_selectors.month_projects, month),
        # R-T1: which of the month's statements are still drafts (the report says so until they are approved)
        "statements": _statement_summary(f.statuses, names),
    }


def _ranking_rows(ranking: list | None, names: dict) -> list[dict] | None:
    """R-M1/R-M2: the month's ranking, best first (None when there is none yet)."""
    if ranking is None:
        return None
    return [
        {"person": r["person_id"], "name": r.get("person_name") or names.get(r["person_id"], ""), "rank": r.get("rank"),
         "score": str(r.get("score")) if r.get("score") is not None else None,
         "very_satisfied_rate": rate(r.get("very_satisfied_rate")), "complaints": r.get("complaints", 0),
         "reward": money(r.get("reward")) if r.get("reward") is not None else None}
        for r in sorted(ranking, key=lambda r: (r.get("rank") or 10**6, r["person_id"]))
    ]


def build_body(month: date) -> dict:
    """Every figure of the month's report, read from the owning apps (R-T1). Constant number of queries."""
    month = month_start(month)
    on = last_day(month)
    params = get_params(PARAMETERS, on=on)
    targets = {"resolutions": int(params["report.target_resolutions"].value), "visits": int(params["report.target_visits"].value)}
    scores = params["bonus.workload_scores"].value or {}

    figures = _MonthFigures.read(month)
    ids = figures.people()
    names = dict(Staff.objects.filter(pk__in=ids).values_list("pk", "name"))
    techs = [_technician_row(pid, names.get(pid, ""), figures, targets=targets, scores=scores)
             for pid in sorted(ids, key=lambda i: (names.get(i, ""), i))]
    department = _department(month, techs, figures, names=names, on=on, targets=targets)
    return {
        "version": BODY_VERSION,
        "month": month.strftime("%Y-%m"),
        "parameters": {name: params[name].as_explanation() for name in PARAMETERS},
        "sources": {"statements": figures.statements is not None, "ranking": figures.ranking is not None},
        "technicians": techs,
        "department": department,
        "ranking": _ranking_rows(figures.ranking, names),
        "trends": _trends(month, department),
    }


def chart_ranking(body: dict) -> list[dict]:
    """The ranking chart: the month-close ranking when it exists, else technicians by workload score (R-M1
    order: score, then very-satisfied rate, then fewer complaints) — display order only, no reward."""
    if body.get("ranking"):
        return [{"name": r["name"], "score": r["score"], "rank": r["rank"]} for r in body["ranking"]]

    def key(t):
        vs = Decimal(t["very_satisfied_rate"]) if t["very_satisfied_rate"] is not None else Decimal(-1)
        return (-Decimal(t["workload_score"]), -vs, t["complaints"], t["name"], t["person"])

    ordered = sorted(body["technicians"], key=key)
    return [{"name": t["name"], "score": t["workload_score"], "rank": i + 1} for i, t in enumerate(ordered)]


__all__ = ["build_body", "canonical_json", "chart_ranking", "digest_of", "last_day", "month_start", "previous_month", "workload_score"]
