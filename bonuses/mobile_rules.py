"""R-M1 mobile ranking, R-M2 mobile fines and R-N3 penalty money, as AwardDrafts (read-only).

Decisions (SPEC silent):
- The month's parameters are those in force on the month's last day (a change effective from a
  month's first day applies from that month on; the ranking is judged as the month ends).
- The mobile population: active technicians without a resident site, plus anyone (not resident) who
  resolved a mobile visit in the month. Resident technicians are never ranked (R-M1).
- A technician with workload score 0 is ranked but never rewarded (nothing resolved, nothing to reward).
- Rates are compared exactly (very satisfied × 100 vs threshold × answered), not after rounding, so
  94.996 % is below 95 %. An undefined rate (nothing answered) fines nobody and ranks below any rate.
- Technicians equal on score, rate and complaints share the rank (both rewarded if they qualify).
"""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext_noop as N_

from callbacks.selectors import percent, technician_month_figures
from dispatch.figures import resolved_visits
from penalties.selectors import monthly_points
from servicedesk.choices import Role, ServiceMode
from servicedesk.models import Staff
from servicedesk.months import last_day, month_start
from servicedesk.params import get_params
from servicedesk.texts import Money, joined, message, render

from .drafts import AwardDraft, AwardKind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MOBILE_PARAMS = [
    "bonus.workload_scores", "bonus.mobile_rank_rewards", "bonus.mobile_rank_min_rate", "bonus.mobile_fine_rate",
    "bonus.mobile_fine_complaints", "bonus.mobile_fine_amount",
]


def rate_text(rate) -> str:
    return "—" if rate is None else f"{rate} %"


@dataclass
class RankRow:
    person_id: int
    person_name: str
    score: Decimal
    visits: dict  # {content: n} of resolved mobile visits
    answered: int
    very_satisfied: int
    complaints: int
    rank: int = 0
    reward: Decimal = ZERO
    # rule 7: stored as messages (servicedesk.texts), read in the reader's language
    reward_reason: dict = field(default_factory=dict)
    fine: Decimal = ZERO
    fine_reasons: list = field(default_factory=list)

    @property
    def very_satisfied_rate(self) -> Decimal | None:
        return percent(self.very_satisfied, self.answered)

    def rate_at_least(self, threshold: Decimal) -> bool:
        return self.answered > 0 and Decimal(self.very_satisfied) * 100 >= Decimal(threshold) * self.answered

    def rate_at_most(self, threshold: Decimal) -> bool:
        return self.answered > 0 and Decimal(self.very_satisfied) * 100 <= Decimal(threshold) * self.answered

    def sort_key(self):
        # best first: higher score, then a higher (defined) rate, then fewer complaints (R-M1)
        defined = self.answered > 0
        rate_key = Decimal(self.very_satisfied) / Decimal(self.answered) if defined else Decimal(-1)
        return (-self.score, -rate_key, self.complaints)

    def inputs(self) -> dict:
        return {
            "score": str(self.score), "rank": self.rank, "visits": self.visits, "answered": self.answered,
            "very_satisfied": self.very_satisfied,
            "very_satisfied_rate": None if self.very_satisfied_rate is None else str(self.very_satisfied_rate),
            "complaints": self.complaints,
        }


@dataclass
class MobileMonth:
    month: date
    rows: list  # RankRow, best first
    params: dict  # name → ParamValue

    def explanation_params(self, *names) -> list[dict]:
        return [self.params[n].as_explanation() for n in names]


def _score(by_mode_kind: dict, scores: dict) -> tuple[Decimal, dict]:
    total, visits = Decimal(0), {}
    for (mode, kind), n in by_mode_kind.items():
        if mode != ServiceMode.MOBILE:
            continue
        visits[kind] = visits.get(kind, 0) + n
        total += Decimal(str(scores.get(kind, "1"))) * n
    return total, visits


def mobile_month(month: date) -> MobileMonth:
    """The ranked mobile technicians of `month` with their reward and fine (R-M1, R-M2). Five queries."""
    month = month_start(month)
    params = get_params(MOBILE_PARAMS, on=last_day(month))
    scores = params["bonus.workload_scores"].value
    visits = resolved_visits(month)
    mobile_ids = [t for t, fig in visits.items() if fig["by_mode"].get(ServiceMode.MOBILE)]
    people = list(
        Staff.objects.filter(Q(active=True, user__groups__name=Role.TECHNICIAN) | Q(pk__in=mobile_ids))
        .filter(resident_site__isnull=True)
        .values_list("pk", "name")
        .distinct()
        .order_by("name", "pk")
    )
    figures = technician_month_figures(month, technician_ids=[pk for pk, _n in people])
    rows = []
    for pk, name in people:
        score, kinds = _score(visits.get(pk, {}).get("by_mode_kind", {}), scores)
        fig = figures.get(pk)
        rows.append(
            RankRow(pk, name, score, kinds, fig.answered if fig else 0, fig.very_satisfied if fig else 0,
                    fig.complaints if fig else 0)
        )
    rows.sort(key=lambda r: (r.sort_key(), r.person_name, r.person_id))
    _rank(rows, params)
    _fine(rows, params)
    return MobileMonth(month, rows, params)


def _rank(rows: list, params: dict) -> None:
    """R-M1: rank by score (ties: higher rate, fewer complaints); rank 1/2 rewarded only at ≥ 95 %, never passed down."""
    rewards = [Decimal(str(v)) for v in params["bonus.mobile_rank_rewards"].value]
    min_rate = Decimal(params["bonus.mobile_rank_min_rate"].value)
    previous = None
    for position, row in enumerate(rows, start=1):
        key = row.sort_key()
        row.rank = rows[position - 2].rank if previous == key else position
        previous = key
        ctx = {"rank": row.rank, "rate": rate_text(row.very_satisfied_rate), "min": str(min_rate), "n": len(rewards)}
        if row.rank > len(rewards):
            row.reward_reason = message(N_("第 %(rank)s 名:只奖励前 %(n)s 名。"), **ctx)
        elif row.score <= 0:
            row.reward_reason = message(N_("第 %(rank)s 名:本月没有已解决的流动服务上门,不奖励。"), **ctx)
        elif row.answered == 0:
            row.reward_reason = message(N_("第 %(rank)s 名:没有接通的回访,很满意率未定义,不奖励(名次不顺延)。"), **ctx)
        elif not row.rate_at_least(min_rate):
            row.reward_reason = message(N_("第 %(rank)s 名:很满意率 %(rate)s 低于 %(min)s %%,不奖励(名次不顺延)。"), **ctx)
        else:
            row.reward = rewards[row.rank - 1].quantize(CENT, rounding=ROUND_HALF_UP)
            row.reward_reason = message(
                N_("第 %(rank)s 名,很满意率 %(rate)s ≥ %(min)s %%:奖励 %(amount)s。"), **ctx, amount=Money(row.reward)
            )


def reason_texts(row: RankRow) -> tuple[str, list[str]]:
    """The row's reward reason and fine reasons in the reader's language (the month page, the ranking API)."""
    return render(row.reward_reason), [render(r) for r in row.fine_reasons]


def _fine(rows: list, params: dict) -> None:
    """R-M2: rate ≤ 80 % or ≥ 1 complaint → one ¥100 fine, however many reasons (all listed)."""
    fine_rate = Decimal(params["bonus.mobile_fine_rate"].value)
    min_complaints = int(params["bonus.mobile_fine_complaints"].value)
    amount = Decimal(params["bonus.mobile_fine_amount"].value).quantize(CENT, rounding=ROUND_HALF_UP)
    for row in rows:
        reasons = []
        if row.rate_at_most(fine_rate):
            reasons.append(message(N_("很满意率 %(rate)s ≤ %(limit)s %%"), rate=rate_text(row.very_satisfied_rate),
                                   limit=str(fine_rate)))
        if row.complaints >= min_complaints:
            reasons.append(message(N_("当月客户投诉 %(n)s 次(≥ %(limit)s 次)"), n=row.complaints, limit=min_complaints))
        row.fine_reasons = reasons
        row.fine = amount if reasons else ZERO


def mobile_awards(*, month: date, mobile: MobileMonth | None = None) -> list[AwardDraft]:
    """R-M1 rewards and R-M2 fines of `month` as drafts."""
    mm = mobile or mobile_month(month)
    key = f"{mm.month:%Y-%m}"
    drafts = []
    for row in mm.rows:
        if row.reward > 0:
            drafts.append(AwardDraft(
                person_id=row.person_id, rule="R-M1", kind=AwardKind.REWARD, amount=row.reward, source=f"ranking:{key}",
                explanation={
                    "text": row.reward_reason, "inputs": row.inputs(),
                    "params": mm.explanation_params("bonus.workload_scores", "bonus.mobile_rank_rewards",
                                                    "bonus.mobile_rank_min_rate"),
                },
            ))
        if row.fine > 0:
            drafts.append(AwardDraft(
                person_id=row.person_id, rule="R-M2", kind=AwardKind.FINE, amount=row.fine, source=f"mobile-fine:{key}",
                explanation={
                    "text": message(N_("流动服务罚款 %(amount)s:%(reasons)s。"), amount=Money(row.fine),
                                    reasons=joined(row.fine_reasons)),
                    "inputs": {**row.inputs(), "reasons": row.fine_reasons},
                    "params": mm.explanation_params("bonus.mobile_fine_rate", "bonus.mobile_fine_complaints",
                                                    "bonus.mobile_fine_amount"),
                },
            ))
    return drafts


def penalty_awards(*, month: date, points=None) -> list[AwardDraft]:
    """R-N3: confirmed points × ¥ per point (0 = report only: no money line)."""
    month = month_start(month)
    rows = monthly_points(month) if points is None else points
    drafts = []
    for r in rows:
        if r.amount <= 0:
            continue
        drafts.append(AwardDraft(
            person_id=r.person_id, rule="R-N3", kind=AwardKind.FINE, amount=r.amount, source=f"penalty-points:{month:%Y-%m}",
            explanation={
                "text": message(N_("当月确认扣分 %(points)s 分 × 每分金额 = %(amount)s。"), points=r.points,
                                amount=Money(r.amount.quantize(CENT, rounding=ROUND_HALF_UP))),
                "inputs": {"points": r.points, "penalties": r.penalties,
                           "yuan_per_point": None if r.yuan_per_point is None else str(r.yuan_per_point)},
                "params": [{"name": "penalty.yuan_per_point", "version": v} for v in r.parameter_versions],
            },
        ))
    return drafts
