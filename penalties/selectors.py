"""Penalty reads. `monthly_points` is the one function the monthly report and bonuses reuse (R-N3)."""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Sum

from servicedesk.models import RuleParameter
from servicedesk.months import date_bounds, first_day, next_month, previous_month

from .choices import PenaltyStatus
from .models import DismissalFlag, Penalty, PenaltyDecision

CENT = Decimal("0.01")


def is_manager(viewer) -> bool:
    from servicedesk.choices import Role

    return bool(viewer is not None and (viewer.user.is_superuser or viewer.has_role(Role.MANAGER)))


def _base():
    return Penalty.objects.select_related(
        "person", "decided_by", "proposed_by", "withdrawn_by", "joint_of", "joint_of__person", "dismissal_flag"
    )


def visible_to(viewer):
    """A manager sees every penalty; the GM office those about a manager; everybody else only their own (R-N1)."""
    qs = _base()
    if viewer is None:
        return qs.none()
    if is_manager(viewer):
        return qs
    from django.db.models import Q

    from servicedesk.choices import Role

    if viewer.has_role(Role.GM_OFFICE):  # the proposals about a manager it decides (P8 Decision), and its own
        return qs.filter(Q(person=viewer) | Q(pk__in=decidable_by(viewer).values("pk")))
    return qs.filter(person=viewer)


def with_history(qs):
    """Adds the audit rows (R-N4) in one extra query."""
    return qs.prefetch_related(
        Prefetch("decisions", queryset=PenaltyDecision.objects.select_related("by").order_by("at", "id"))
    )


def decidable_by(viewer, qs=None):
    """The penalties `viewer` may decide (R-N1, P8 Decision): a manager every one but those about themselves; the
    GM office those about a department manager; a superuser all. The review queue and the to-do tiles read this,
    so a manager's tile never counts a proposal only someone else can clear."""
    from servicedesk.choices import Role
    from servicedesk.models import Staff

    qs = Penalty.objects.all() if qs is None else qs
    if viewer is None or not viewer.active:
        return qs.none()
    if viewer.user.is_superuser:
        return qs
    if viewer.has_role(Role.MANAGER):
        return qs.exclude(person_id=viewer.pk)
    if viewer.has_role(Role.GM_OFFICE):
        return qs.filter(person__in=Staff.objects.with_role(Role.MANAGER).values("pk")).exclude(person_id=viewer.pk)
    return qs.none()


def pending_for(viewer):
    """The pending proposals `viewer` may decide (the to-do tile and the review queue's default view)."""
    return decidable_by(viewer).filter(status=PenaltyStatus.PENDING)


def review_queue(*, rule: str = "", person=None, month: date | None = None, status: str = "", viewer=None):
    """The review queue: pending first by default; filters by rule, person, month, status. With `viewer`, only
    what that person may decide (`decidable_by`)."""
    qs = with_history(_base())
    if viewer is not None:
        qs = decidable_by(viewer, qs)
    if status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    if person:
        qs = qs.filter(person=person)
    if month:
        start, end = date_bounds(month)
        qs = qs.filter(occurred_on__gte=start, occurred_on__lt=end)
    return qs.order_by("occurred_on", "id")


def person_history(person, *, month: date | None = None):
    """A person's penalties, every status, with the audit trail (我的扣分)."""
    qs = with_history(_base()).filter(person=person)
    if month:
        start, end = date_bounds(month)
        qs = qs.filter(occurred_on__gte=start, occurred_on__lt=end)
    return qs.order_by("-occurred_on", "-id")


def open_dismissal_flags(person=None):
    qs = DismissalFlag.objects.select_related("person", "penalty", "decided_by").order_by("-raised_at")
    qs = qs.filter(status="open")
    return qs.filter(person=person) if person is not None else qs


@dataclass(frozen=True)
class MonthlyPoints:
    """R-N3: one person's confirmed points in a month and their money value.

    `amount` = Σ points × ¥-per-point in force on each penalty's date, rounded once (ROUND_HALF_UP);
    `yuan_per_point` is the rate when a single one applied in the month (else None);
    `parameter_versions` are the `penalty.yuan_per_point` RuleParameter pks used.
    """

    person_id: int
    person_name: str
    month: date
    points: int
    penalties: int
    amount: Decimal
    yuan_per_point: Decimal | None
    parameter_versions: tuple = field(default=())


def _rate_versions() -> list[RuleParameter]:
    return list(RuleParameter.objects.filter(name="penalty.yuan_per_point").order_by("-effective_from"))


def _rate_on(versions: list[RuleParameter], day: date) -> RuleParameter | None:
    for row in versions:  # newest first
        if row.effective_from <= day:
            return row
    return None


def _totals(qs) -> list[MonthlyPoints]:
    """Confirmed penalties of `qs` totalled per (person, month); every point priced at the ¥-per-point
    in force on its own event date, rounded once. Two queries whatever the number of rows."""
    # grouped by day as well so every point is priced at the rate in force on its own event date
    rows = list(
        qs.filter(status=PenaltyStatus.CONFIRMED)
        .values("person_id", "person__name", "occurred_on")
        .annotate(points=Sum("points"), n=Count("id"))
        .order_by("person__name", "person_id", "occurred_on")
    )
    if not rows:
        return []
    versions = _rate_versions()
    acc: dict[tuple, dict] = {}
    for r in rows:
        key = (r["person_id"], r["occurred_on"].replace(day=1))
        a = acc.setdefault(key, {"name": r["person__name"], "points": 0, "n": 0, "amount": Decimal("0"), "rates": {}})
        rate_row = _rate_on(versions, r["occurred_on"])
        rate = Decimal(rate_row.typed_value) if rate_row is not None else Decimal("0")
        a["points"] += r["points"] or 0
        a["n"] += r["n"]
        a["amount"] += Decimal(r["points"] or 0) * rate
        if rate_row is not None:
            a["rates"][rate_row.pk] = rate
    result = []
    for (pid, month), a in acc.items():
        rates = set(a["rates"].values())
        result.append(
            MonthlyPoints(
                person_id=pid, person_name=a["name"], month=month, points=a["points"], penalties=a["n"],
                amount=a["amount"].quantize(CENT, rounding=ROUND_HALF_UP),
                yuan_per_point=rates.pop() if len(rates) == 1 else (Decimal("0") if not rates else None),
                parameter_versions=tuple(sorted(a["rates"])),
            )
        )
    return result


def monthly_points(month: date, person=None) -> list[MonthlyPoints]:
    """R-N3: confirmed points totalled per person for the month of `month` (by the event date),
    with the department's ¥-per-point setting (`penalty.yuan_per_point`, 0 = report only) giving
    the amount. `person` (Staff or pk) narrows to that person. Rows are ordered by person name.
    Two queries whatever the number of people or penalties.
    """
    start, end = date_bounds(month)
    qs = Penalty.objects.filter(occurred_on__gte=start, occurred_on__lt=end)
    if person is not None:
        qs = qs.filter(person=person)
    return _totals(qs)


def monthly_totals_for(person, *, months: int = 6, today: date) -> list[MonthlyPoints]:
    """The person's last `months` months, newest first, zero rows included (我的扣分). Two queries."""
    firsts = [first_day(today)]
    for _ in range(months - 1):
        firsts.append(previous_month(firsts[-1]))
    end = next_month(firsts[0])
    found = {r.month: r for r in _totals(Penalty.objects.filter(person=person, occurred_on__gte=firsts[-1], occurred_on__lt=end))}
    return [
        found.get(m) or MonthlyPoints(person.pk, person.name, m, 0, 0, Decimal("0.00"), None, ()) for m in firsts
    ]
