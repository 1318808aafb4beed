"""Month-close writes (SPEC §8, R-M9): compile a month's drafts, approve, archive, the beat job; and a completed
project's bonus shares (R-M6..R-M8), written when dispatch announces `project_completed`.

Every function validates, writes in one transaction and returns its result; the API, the pages and
the beat task call these. An approved month is never rewritten: a compile of it answers 409, and a
later correction lands as an adjustment award of a later month that cites the original.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from penalties.selectors import monthly_points
from servicedesk.choices import Role
from servicedesk.errors import CalendarMissingError, ConflictError, DomainError
from servicedesk.models import Staff
from servicedesk.months import month_start, previous_month
from servicedesk.notifications import notify
from servicedesk.params import param
from servicedesk.texts import Money, message
from servicedesk.workdays import first_working_day_of_month

from . import mobile_rules, selectors
from .choices import LOCKED_STATUSES, AwardKind, MoneyRule, StatementStatus
from .drafts import AwardDraft
from .models import Award, MonthClose, Statement
from .signals import announce

CENT = Decimal("0.01")
ADJUST_PREFIX = "adjust:"


@dataclass
class CompileResult:
    month: date
    status: str
    created: int = 0
    updated: int = 0
    superseded: int = 0
    statements: int = 0
    adjustments: list = field(default_factory=list)


@dataclass
class ApproveResult:
    approved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (statement, message)


def is_manager(by) -> bool:
    return bool(by is not None and by.active and (by.user.is_superuser or by.has_role(Role.MANAGER)))


def is_admin(by) -> bool:
    return bool(by is not None and by.active and (by.user.is_superuser or by.has_role(Role.ADMIN)))


def check_month(month: date, *, now: datetime) -> date:
    """A month can be compiled once it has ended and its calendar year is loaded (SPEC §11)."""
    month = month_start(month)
    current = timezone.localdate(now).replace(day=1)
    if month > current:
        raise DomainError(_("%(m)s 是未来的月份,不能结算。") % {"m": f"{month:%Y-%m}"}, field="month", code="future_month")
    if month == current:
        raise DomainError(
            _("%(m)s 尚未结束,不能结算;本月的数字可在“本月预览”中查看。") % {"m": f"{month:%Y-%m}"}, field="month",
            code="month_not_ended",
        )
    try:
        first_working_day_of_month(month)  # a month the calendar cannot hold at all (before 2004) is refused
    except CalendarMissingError as exc:
        raise CalendarMissingError(exc.year, field="month") from exc
    return month


# --------------------------------------------------------------------------- adjustments of approved months
def _original_source(source: str, corrected: date) -> str:
    prefix = f"{ADJUST_PREFIX}{corrected:%Y-%m}:"
    return source[len(prefix):] if source.startswith(prefix) else source


def adjustment_drafts(*, month: date) -> list[AwardDraft]:
    """R-M9: for each approved month in the look-back window, today's result minus what was paid (the approved
    awards and the adjustments already booked in other months) becomes an adjustment line of `month`."""
    lookback = int(param("bonus.adjustment_lookback_months", on=month))
    months, m = [], month
    for _i in range(max(lookback, 0)):
        m = previous_month(m)
        months.append(m)
    locked = sorted(set(Statement.objects.filter(month__in=months, status__in=LOCKED_STATUSES).values_list("month", flat=True)))
    drafts: list[AwardDraft] = []
    for corrected in locked:
        expected: dict[tuple, Decimal] = defaultdict(Decimal)
        explanations: dict[tuple, dict] = {}
        for d in selectors.collect_drafts(corrected):
            key = (d.person_id, d.rule, d.kind, d.source)
            expected[key] += d.amount
            explanations[key] = d.explanation
        paid: dict[tuple, Decimal] = defaultdict(Decimal)
        originals: dict[tuple, int] = {}
        for a in Award.objects.current().filter(month=corrected, adjusts_month__isnull=True):
            key = (a.person_id, a.rule, a.kind, a.source)
            paid[key] += a.amount
            originals[key] = a.pk
        booked = Award.objects.current().filter(adjusts_month=corrected).exclude(month=month)
        for a in booked:
            paid[(a.person_id, a.rule, a.kind, _original_source(a.source, corrected))] += a.amount
        for key in sorted(set(expected) | set(paid), key=lambda k: (k[0], k[1], k[2], k[3])):
            delta = (expected.get(key, Decimal(0)) - paid.get(key, Decimal(0))).quantize(CENT, rounding=ROUND_HALF_UP)
            if not delta:
                continue
            pid, rule, kind, source = key
            drafts.append(AwardDraft(
                person_id=pid, rule=rule, kind=kind, amount=delta, source=f"{ADJUST_PREFIX}{corrected:%Y-%m}:{source}",
                adjusts_month=corrected, adjusts_id=originals.get(key),
                explanation={
                    "text": message(
                        N_("更正 %(m)s 已审批的 %(rule)s:原为 %(old)s,按现有数据应为 %(new)s,差额 %(delta)s 记入本月。"),
                        m=f"{corrected:%Y-%m}", rule=rule, old=Money(paid.get(key, Decimal("0.00"))),
                        new=Money(expected.get(key, Decimal("0.00"))), delta=Money(delta),
                    ),
                    "inputs": {"corrects_month": f"{corrected:%Y-%m}", "original_award": originals.get(key),
                               "paid": str(paid.get(key, Decimal("0.00"))), "expected": str(expected.get(key, Decimal("0.00")))},
                    "params": (explanations.get(key) or {}).get("params", []),
                    "original": explanations.get(key, {}).get("text", ""),
                },
            ))
    return drafts


# --------------------------------------------------------------------------- compile
def _check_drafts(drafts: list[AwardDraft]) -> None:
    seen = set()
    for d in drafts:
        if d.kind not in AwardKind.values:
            raise DomainError(_("未知的奖罚类别:%(k)s(%(rule)s)。") % {"k": d.kind, "rule": d.rule}, field="kind")
        if d.rule not in MoneyRule.values:
            raise DomainError(_("未知的规则:%(r)s。") % {"r": d.rule}, field="rule")
        if not isinstance(d.amount, Decimal):
            raise DomainError(_("%(rule)s 的金额必须是 Decimal。") % {"rule": d.rule}, field="amount")
        key = (d.person_id, d.rule, d.source)
        if key in seen:
            raise DomainError(_("同一人同一规则同一来源出现两次:%(k)s。") % {"k": key}, field="source")
        seen.add(key)


def compile_month(*, month: date, by=None, now: datetime) -> CompileResult:
    """Compile `month`'s drafts: every money rule's awards + R-N3 points, one statement per person (R-M9).

    Re-running gives the same awards (upsert on person/month/rule/source; stale drafts are marked
    superseded). A month with an approved or archived statement answers 409 and nothing changes.
    `by` None is the beat job; a person must be a manager.
    """
    if by is not None and not is_manager(by):
        raise PermissionDenied(_("只有部门经理可以结算月度奖罚。"))
    month = check_month(month, now=now)
    with transaction.atomic():
        # serialise compile and approve of this month: the statements' rows are locked first
        statuses = list(Statement.objects.select_for_update().in_month(month).values_list("status", flat=True))
        if any(s in LOCKED_STATUSES for s in statuses):
            raise ConflictError(
                _("%(m)s 的结算单已审批,不能重新结算;更正将作为调整记入以后月份。") % {"m": f"{month:%Y-%m}"}, code="month_approved"
            )
        mobile = mobile_rules.mobile_month(month)
        points = monthly_points(month)
        drafts = selectors.collect_drafts(month, mobile=mobile, points=points) + adjustment_drafts(month=month)
        _check_drafts(drafts)
        people = {r.person_id for r in mobile.rows} | {p.person_id for p in points} | {d.person_id for d in drafts}
        known = set(Staff.objects.filter(pk__in=people).values_list("pk", flat=True))
        unknown = people - known
        if unknown:
            raise DomainError(_("奖罚对象不存在:%(ids)s。") % {"ids": sorted(unknown)}, field="person")
        result = CompileResult(month=month, status=StatementStatus.DRAFT)
        statements = _statements(month, people, points, now=now)
        result.statements = len(statements)
        _write_awards(month, drafts, statements, now=now, result=result)
        close, created = MonthClose.objects.get_or_create(month=month, defaults={"compiled_at": now, "compiled_by": by, "runs": 1})
        if not created:
            close.compiled_at, close.compiled_by, close.runs = now, by, close.runs + 1
            close.save(update_fields=["compiled_at", "compiled_by", "runs"])
        result.adjustments = [d for d in drafts if d.adjusts_month]
        announce(month)  # R-T1: the month's draft report follows its statements
    return result


def _statements(month: date, people: set, points, *, now: datetime) -> dict[int, Statement]:
    by_person = {p.person_id: p for p in points}
    existing = {s.person_id: s for s in Statement.objects.in_month(month)}
    new = [Statement(person_id=pid, month=month, compiled_at=now) for pid in sorted(people - set(existing))]
    Statement.objects.bulk_create(new)
    existing.update({s.person_id: s for s in Statement.objects.in_month(month).filter(person_id__in=[s.person_id for s in new])})
    changed = []
    for pid, st in existing.items():
        p = by_person.get(pid)
        pts = p.points if p else 0
        expl = {"rule": "R-N3", "points": pts, "penalties": p.penalties if p else 0,
                "amount": str(p.amount) if p else "0.00", "versions": list(p.parameter_versions) if p else []}
        if st.penalty_points != pts or st.penalty_explanation != expl:
            st.penalty_points, st.penalty_explanation, st.compiled_at = pts, expl, now
            changed.append(st)
    if changed:
        Statement.objects.bulk_update(changed, ["penalty_points", "penalty_explanation", "compiled_at"])
    return existing


def _write_awards(month, drafts, statements, *, now, result: CompileResult) -> None:
    existing = {(a.person_id, a.rule, a.source): a for a in Award.objects.in_month(month)}
    wanted = set()
    to_create, to_update = [], []
    for d in drafts:
        key = (d.person_id, d.rule, d.source)
        wanted.add(key)
        amount = d.amount.quantize(CENT, rounding=ROUND_HALF_UP)
        values = dict(kind=d.kind, amount=amount, explanation=d.explanation, adjusts_id=d.adjusts_id,
                      adjusts_month=d.adjusts_month, superseded_at=None, statement_id=statements[d.person_id].pk)
        row = existing.get(key)
        if row is None:
            to_create.append(Award(person_id=d.person_id, month=month, rule=d.rule, source=d.source, compiled_at=now, **values))
            continue
        if any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.compiled_at = now
            to_update.append(row)
    stale = [a for k, a in existing.items() if k not in wanted and a.superseded_at is None]
    for a in stale:
        a.superseded_at = now
    Award.objects.bulk_create(to_create)
    if to_update:
        Award.objects.bulk_update(
            to_update, ["kind", "amount", "explanation", "adjusts_id", "adjusts_month", "superseded_at", "statement_id", "compiled_at"]
        )
    if stale:
        Award.objects.bulk_update(stale, ["superseded_at"])
    result.created, result.updated, result.superseded = len(to_create), len(to_update), len(stale)


# --------------------------------------------------------------------------- approve, archive
def _notify_person(st: Statement, words: dict, *, now: datetime) -> None:
    notify(recipients=[st.person], key=f"statement-{st.pk}-{st.status}", message=words, link=f"/bonuses/statements/{st.pk}/", now=now)


def approve_statement(*, statement: Statement, by, now: datetime) -> Statement:
    """The manager approves one draft statement (not their own); the person is told."""
    if not is_manager(by):
        raise PermissionDenied(_("只有部门经理可以审批月度结算单。"))
    with transaction.atomic():
        st = Statement.objects.select_for_update(of=("self",)).select_related("person", "person__user").get(pk=statement.pk)
        if st.person_id == by.pk and not by.user.is_superuser:
            raise PermissionDenied(_("不能审批自己的结算单,请由其他经理审批。"))
        if not st.can_approve():
            raise ConflictError(_("该结算单已是“%(s)s”,不能再审批。") % {"s": st.get_status_display()})
        st.status, st.approved_by, st.approved_at = StatementStatus.APPROVED, by, now
        st.save(update_fields=["status", "approved_by", "approved_at"])
        announce(st.month)
        _notify_person(st, message(N_("您 %(m)s 的月度结算单已审批。"), m=f"{st.month:%Y-%m}"), now=now)
    return st


def approve_month(*, month: date, by, now: datetime) -> ApproveResult:
    """Approve every draft statement of the month; each its own transaction, refusals reported back."""
    if not is_manager(by):
        raise PermissionDenied(_("只有部门经理可以审批月度结算单。"))
    result = ApproveResult()
    for st in Statement.objects.in_month(month_start(month)).filter(status=StatementStatus.DRAFT).select_related("person"):
        try:
            result.approved.append(approve_statement(statement=st, by=by, now=now))
        except (DomainError, PermissionDenied) as exc:
            result.refused.append((st, str(getattr(exc, "message", exc))))
    return result


def archive_statement(*, statement: Statement, by, now: datetime) -> Statement:
    """Admin archives an approved statement (R-M9)."""
    if not is_admin(by):
        raise PermissionDenied(_("只有行政部可以归档月度结算单。"))
    with transaction.atomic():
        st = Statement.objects.select_for_update().get(pk=statement.pk)
        if not st.can_archive():
            raise ConflictError(_("只有已审批的结算单可以归档,该结算单是“%(s)s”。") % {"s": st.get_status_display()})
        st.status, st.archived_by, st.archived_at = StatementStatus.ARCHIVED, by, now
        st.save(update_fields=["status", "archived_by", "archived_at"])
        announce(st.month)
    return st


# --------------------------------------------------------------------------- the beat job
# The first working day of the month (PRC calendar; provisional for a year not announced yet, SPEC §11): the
# calendar's own function (servicedesk/workdays.py), under the name the beat job reads.
first_working_day = first_working_day_of_month


def compile_last_month(*, now: datetime) -> CompileResult | None:
    """Beat: from the first working day of a month (PRC calendar) compile the previous month once; a run that
    was missed (worker down) catches up on the next day. Returns None when there is nothing to do."""
    today = timezone.localdate(now)
    first = first_working_day(today)
    if today < first:
        return None
    last = previous_month(today)
    if MonthClose.objects.filter(month=last).exists():
        return None
    return compile_month(month=last, by=None, now=now)


# ---------------------------------------------------------------- project bonus shares (R-M6..R-M8)
def record_project_shares(*, project, pool, on: date) -> list:
    """R-M6/R-M7/R-M8: split a completed project's pool among its people and keep the shares as ProjectShare rows
    (never deleted; `project_rules.project_awards` reads them at the month close). R-M7 decision: with no members
    listed, the department share goes to every technician."""
    from dispatch.projects.models import ProjectShare

    from .project_rules import project_shares

    member_ids = list(project.members.values_list("staff_id", flat=True))
    participants = member_ids or list(Staff.objects.technicians().values_list("pk", flat=True).order_by("pk"))
    shares = project_shares(
        kind=project.kind, pool=pool, manager_id=project.manager_id, member_ids=member_ids, participant_ids=participants,
        responsible_id=project.responsible_id, documents_due=project.documents_due,
        documents_complete_on=project.documents_complete_on, on=on,
    )
    return ProjectShare.objects.bulk_create([
        ProjectShare(project=project, person_id=s["person"], role=s["role"], gross=s["gross"], deduction=s["deduction"],
                     amount=s["amount"], explanation=s["explanation"])
        for s in shares
    ])


def on_project_completed(sender, *, project, pool, on: date, **kwargs) -> None:
    """Receiver of `dispatch.projects.signals.project_completed` (connected in BonusesConfig.ready), inside the
    completion's transaction: an error here (e.g. nobody to share the department share) rolls the completion back.
    No pool (team service, R-M5; or an R-M6 condition unmet): no shares."""
    if pool is None:
        return
    record_project_shares(project=project, pool=pool, on=on)
