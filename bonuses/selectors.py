"""Month-close reads. `ranking()` and `statement_totals()` are the stable surface the monthly report reuses.

A compiled month is read from its stored awards and statements; a month not compiled yet (the running
month, a live preview) is computed on the fly from the same rules, without writing anything.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from penalties.selectors import monthly_points
from servicedesk.months import month_start
from servicedesk.texts import render

from . import mobile_rules, project_rules, resident_rules
from .choices import AwardKind, StatementStatus
from .models import Award, MonthClose, Statement

ZERO = Decimal("0.00")
TOTAL_KEYS = {
    AwardKind.REWARD: "rewards", AwardKind.FINE: "fines", AwardKind.ALLOWANCE: "allowances",
    AwardKind.PROJECT_BONUS: "project_bonus",
}


def is_compiled(month: date) -> bool:
    return MonthClose.objects.filter(month=month_start(month)).exists()


def collect_drafts(month: date, *, mobile=None, points=None) -> list:
    """Every money rule's drafts for `month` (R-M1, R-M2, R-N3 here; R-M3–R-M8 from the projects rules)."""
    month = month_start(month)
    drafts = []
    drafts += mobile_rules.mobile_awards(month=month, mobile=mobile)
    drafts += mobile_rules.penalty_awards(month=month, points=points)
    drafts += resident_rules.resident_awards(month=month)
    drafts += resident_rules.team_awards(month=month)
    drafts += project_rules.project_awards(month=month)
    return drafts


def _empty_totals() -> dict:
    return {"rewards": ZERO, "fines": ZERO, "allowances": ZERO, "project_bonus": ZERO, "penalty_points": 0,
            "penalty_amount": ZERO, "net": ZERO}


def _add(totals: dict, *, rule: str, kind: str, amount: Decimal) -> None:
    # R-N3 money is shown as the penalty amount, not among the fines, so no line counts twice
    if rule == "R-N3":
        totals["penalty_amount"] += amount
    else:
        totals[TOTAL_KEYS[kind]] += amount


def _net(t: dict) -> dict:
    t["net"] = t["rewards"] + t["allowances"] + t["project_bonus"] - t["fines"] - t["penalty_amount"]
    for k in ("rewards", "fines", "allowances", "project_bonus", "penalty_amount", "net"):
        t[k] = Decimal(t[k]).quantize(Decimal("0.01"))
    return t


def statement_totals(month: date) -> dict[int, dict]:
    """{person id: {rewards, fines, allowances, project_bonus, penalty_points, penalty_amount, net}} (Decimals).

    Fines are positive; net = rewards + allowances + project bonus − fines − penalty amount. A compiled
    month: 2 queries; a month not compiled: the live computation of the same rules.
    """
    month = month_start(month)
    result: dict[int, dict] = defaultdict(_empty_totals)
    statements = list(Statement.objects.in_month(month).values_list("person_id", "penalty_points"))
    if statements:
        for pid, points in statements:
            result[pid]["penalty_points"] = points
        rows = (
            Award.objects.current().in_month(month).values("person_id", "rule", "kind").annotate(total=Sum("amount")).order_by()
        )
        for r in rows:
            _add(result[r["person_id"]], rule=r["rule"], kind=r["kind"], amount=r["total"])
    else:
        points = monthly_points(month)
        for p in points:
            result[p.person_id]["penalty_points"] = p.points
        for d in collect_drafts(month, points=points):
            _add(result[d.person_id], rule=d.rule, kind=d.kind, amount=d.amount)
    return {pid: _net(t) for pid, t in result.items()}


def ranking(month: date) -> list[dict]:
    """R-M1 table, best first: [{person_id, person_name, rank, score, very_satisfied_rate, complaints, reward,
    reward_reason, fine, fine_reasons}]. For a compiled month the reward is the stored R-M1 award."""
    month = month_start(month)
    mm = mobile_rules.mobile_month(month)
    stored = None
    if is_compiled(month):
        stored = dict(
            Award.objects.current().in_month(month).filter(rule="R-M1", adjusts_month__isnull=True)
            .values_list("person_id", "amount")
        )
    out = []
    for r in mm.rows:
        reward_reason, fine_reasons = mobile_rules.reason_texts(r)
        out.append({
            "person_id": r.person_id, "person_name": r.person_name, "rank": r.rank, "score": r.score,
            "very_satisfied_rate": r.very_satisfied_rate, "complaints": r.complaints,
            "reward": r.reward if stored is None else stored.get(r.person_id, ZERO),
            "reward_reason": reward_reason, "fine": r.fine, "fine_reasons": fine_reasons,
            "answered": r.answered, "visits": r.visits,
        })
    return out


def statement_statuses(month: date) -> dict[int, str]:
    """{person id: statement status} of the month (R-T1: the report shows which statements are still draft). One query."""
    return dict(Statement.objects.in_month(month_start(month)).values_list("person_id", "status"))


# --------------------------------------------------------------------------- pages and API
def month_status(month: date) -> str:
    """draft while any statement is a draft (or nothing compiled); approved when all are approved or archived;
    archived when all are archived."""
    counts = dict(
        Statement.objects.in_month(month).values_list("status").annotate(n=Count("pk")).order_by()
    )
    if not counts or counts.get(StatementStatus.DRAFT):
        return StatementStatus.DRAFT
    if set(counts) == {StatementStatus.ARCHIVED}:
        return StatementStatus.ARCHIVED
    return StatementStatus.APPROVED


def statements(*, month: date | None = None, person=None, status: str = ""):
    """Statements with their person, approver and current award lines prefetched: 2 queries for any number."""
    qs = Statement.objects.select_related("person", "person__user", "approved_by", "archived_by").prefetch_related(
        Prefetch("awards", queryset=Award.objects.current().select_related("person").order_by("rule", "kind", "source", "pk"),
                 to_attr="lines")
    )
    if month is not None:
        qs = qs.filter(month=month_start(month))
    if person is not None:
        qs = qs.filter(person=person)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-month", "person__name", "person_id")


def awards(*, month: date | None = None, person=None):
    qs = Award.objects.current().select_related("person")
    if month is not None:
        qs = qs.filter(month=month_start(month))
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("month", "person__name", "person_id", "rule", "source", "pk")


def totals_of(statement: Statement) -> dict:
    """Totals of a statement whose lines were prefetched (`statements()`): no query."""
    t = _empty_totals()
    t["penalty_points"] = statement.penalty_points
    lines = statement.lines if hasattr(statement, "lines") else statement.awards.current()
    for line in lines:
        _add(t, rule=line.rule, kind=line.kind, amount=line.amount)
    return _net(t)


@dataclass
class PreviewLine:
    rule: str
    kind: str
    amount: Decimal
    explanation: dict
    source: str

    @property
    def text(self) -> str:
        return render(self.explanation.get("text", ""))

    def get_kind_display(self):
        return AwardKind(self.kind).label


def person_preview(person, month: date) -> dict:
    """The live preview of a person's running month (nothing written): lines, points and totals."""
    month = month_start(month)
    points = [p for p in monthly_points(month, person=person)]
    drafts = [d for d in collect_drafts(month, points=points) if d.person_id == person.pk]
    t = _empty_totals()
    t["penalty_points"] = sum(p.points for p in points)
    for d in drafts:
        _add(t, rule=d.rule, kind=d.kind, amount=d.amount)
    return {"lines": [PreviewLine(d.rule, d.kind, d.amount, d.explanation, d.source) for d in drafts], "totals": _net(t)}


def archive_list(*, limit: int = 24):
    """Months with statements, newest first, with counts per status (admin's archive list). One query."""
    return list(
        Statement.objects.values("month")
        .annotate(
            total=Count("pk"),
            drafts=Count("pk", filter=Q(status=StatementStatus.DRAFT)),
            approved=Count("pk", filter=Q(status=StatementStatus.APPROVED)),
            archived=Count("pk", filter=Q(status=StatementStatus.ARCHIVED)),
        )
        .order_by("-month")[:limit]
    )
