"""Penalty writes (SPEC §7, R-N1–R-N4). Every function validates, writes in one transaction and
returns the object; views, the API and other apps call these and repeat none of their rules.

Other apps call `propose(...)` when an event deserves a penalty; nothing is deducted until a
manager confirms it.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.texts import as_text, is_message, message

from .choices import DecisionAction, DismissalMark, FlagDecision, FlagStatus, JointRole, PenaltyStatus
from .models import DismissalFlag, Penalty, PenaltyDecision
from .rules import check_rule, rule_terms

__all__ = [
    "BulkResult", "Proposal", "bulk_confirm", "can_decide", "change_points", "confirm", "decide_dismissal", "may_decide",
    "propose", "propose_joint", "propose_many", "reject", "withdraw",
]


# --------------------------------------------------------------------------- helpers
def _points(value, field_name: str) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = Decimal(str(value).strip())
        if number != number.to_integral_value():
            raise ValueError
        return int(number)
    except (TypeError, ValueError, InvalidOperation):
        raise DomainError(_("扣分须为整数,收到“%(v)s”。") % {"v": value}, field=field_name)


def _check_range(points: int, lo: int, hi: int, rule: str, field_name: str) -> None:
    if not (lo <= points <= hi):
        if lo == hi:
            msg = _("%(rule)s 的扣分为 %(lo)s 分,收到 %(p)s 分。") % {"rule": rule, "lo": lo, "p": points}
        else:
            msg = _("%(rule)s 的扣分须在 %(lo)s–%(hi)s 分之间,收到 %(p)s 分。") % {
                "rule": rule, "lo": lo, "hi": hi, "p": points,
            }
        raise DomainError(msg, field=field_name, code="out_of_range")


def _required_reason(reason, field_name: str = "reason"):
    """A reason a person typed (text, read as written) or one a service composed (a message, servicedesk.texts,
    read in the reader's language — rule 7)."""
    if is_message(reason):
        return reason
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写原因。"), field=field_name)
    return reason


def shortened(reason, limit: int):
    """A reason to quote inside another text: a message is quoted whole (it renders in the reader's language),
    typed text is cut to `limit` characters."""
    return reason if is_message(reason) else (reason or "")[:limit]


def _source_snapshot(source) -> tuple[str, str]:
    """The source's name as a reader sees it (rule 2): its own str(), or its kind and number where the model
    has no readable str() (never "Model object (pk)")."""
    label = None
    if hasattr(source, "label_message"):
        # a source that names itself as a message (its kind, number and time) is read in the reader's language
        try:
            label = as_text(source.label_message(), max_length=200)
        except ValueError:
            label = None
    if label is None:
        label = str(source)
        if label == f"{type(source).__name__} object ({source.pk})":
            label = f"{source._meta.verbose_name} #{source.pk}"
        label = label[:200]
    try:
        url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
    except Exception:  # a source without a page is fine; the label is enough
        url = ""
    return label, (url or "")[:300]


def can_decide(by) -> bool:
    """Who decides penalties at all (R-N1): a department manager, a superuser, or the GM office — the latter only
    proposals about a manager (P8 Decision: a proposal about the deciding manager goes to the GM office)."""
    return bool(by is not None and by.active and (by.user.is_superuser or by.has_role(Role.MANAGER, Role.GM_OFFICE)))


def is_manager_person(person) -> bool:
    return bool(person is not None and Role.MANAGER in person.roles)


def may_decide(penalty: Penalty, by) -> bool:
    """R-N1 / P8 Decision: a manager decides proposals about anyone but themselves; the GM office decides proposals
    about a manager (so a one-manager department can clear the proposals about its manager); nobody their own."""
    if not can_decide(by) or penalty.person_id == by.pk:
        return False
    if by.user.is_superuser or Role.MANAGER in by.roles:
        return True
    return is_manager_person(penalty.person)


def _check_decider(penalty: Penalty, by, now=None) -> None:
    if not can_decide(by):
        raise PermissionDenied(_("只有部门经理可以处理处罚。"))
    if penalty.person_id == by.pk:
        raise PermissionDenied(_("不能处理针对自己的处罚,请由其他经理或总经办处理。"))
    if not may_decide(penalty, by):
        raise PermissionDenied(_("总经办只处理针对部门经理的处罚,其他处罚由部门经理处理。"))
    _check_not_grantee(penalty.person, by, now)


def _check_not_grantee(person, by, now=None) -> None:
    """R-N1 Decision: nor by an account the person concerned created or promoted recently
    (security.grantor_conflict_days)."""
    from servicedesk.permissions import grantor_conflict

    if grantor_conflict(decider=by, person=person, on=now or timezone.now()):
        raise PermissionDenied(
            _("该账号由当事人创建或授予角色不久,不能处理其处罚,请由其他经理处理。")
        )


def _locked(penalty: Penalty) -> Penalty:
    return Penalty.objects.select_for_update(of=("self",)).select_related("person", "person__user").get(pk=penalty.pk)


def _log(pen: Penalty, action: str, *, by, at, before=None, after=None, reason="") -> PenaltyDecision:
    row = PenaltyDecision.objects.create(
        penalty=pen, action=action, by=by, at=at, points_before=before, points_after=after, reason=reason
    )
    from .offences import on_decision  # R-N5/R-K10: the person concerned is told of every step

    on_decision(row)
    return row


# --------------------------------------------------------------------------- R-N1 proposals
def propose(
    *,
    person,
    rule: str,
    source,
    reason,
    suggested_points=None,
    on: date,
    by=None,
    joint_role: str = "",
    joint_of: Penalty | None = None,
    now: datetime | None = None,
) -> Penalty:
    """R-N1: a pending proposal for `person` under `rule`, linked to `source` (any model instance).

    Idempotent per (source, rule, person): a re-run — even a concurrent one — returns the
    existing proposal (UniqueConstraint + get_or_create). `suggested_points` defaults to the
    rule's minimum on `on`; outside the range it is refused (field "suggested_points").
    `reason` is best a message (servicedesk.texts.message) so every reader reads it in their language (rule 7).
    """
    if person is None:
        raise DomainError(_("请指定责任人。"), field="person")
    if source is None or getattr(source, "pk", None) is None:
        raise DomainError(_("处罚必须关联来源记录。"), field="source")
    rule = check_rule(rule)
    reason = _required_reason(reason)
    terms = rule_terms(rule, on=on, joint_role=joint_role)
    points = terms.min_points if suggested_points is None else _points(suggested_points, "suggested_points")
    _check_range(points, terms.min_points, terms.max_points, rule, "suggested_points")
    now = now or timezone.now()
    label, url = _source_snapshot(source)
    ct = ContentType.objects.get_for_model(source)
    with transaction.atomic():
        penalty, created = Penalty.objects.get_or_create(
            source_type=ct,
            source_id=source.pk,
            rule=rule,
            person=person,
            defaults=dict(
                joint_role=joint_role, joint_of=joint_of, source_label=label, source_url=url, reason=reason,
                suggested_points=points, min_points=terms.min_points, max_points=terms.max_points,
                dismissal=terms.dismissal, occurred_on=on, parameter=terms.parameter, parameter_version=terms.version,
                proposed_at=now, proposed_by=by,
            ),
        )
        if created:
            _log(penalty, DecisionAction.PROPOSE, by=by, at=now, after=points, reason=reason)
    return penalty


def propose_joint(*, penalty: Penalty, by, now: datetime, supervisor=None) -> list[Penalty]:
    """P8 joint liability (SPEC §7): pending proposals, each with its role's range from penalty.P8.joint,
    linked to the same source as the complaint's penalty. Idempotent.

    Made only when the confirming manager marked the P8 as caused by failed supervision (`confirm`).

    Decisions: the *technical team lead* is the person's `Staff.team_lead`. The *department manager*
    is the confirming manager (a superuser confirming without the manager role → the first active
    manager by name); never the person themselves. The *supervising leader* is `supervisor` when
    given, else the only active supervisor (or the only one in the person's area); none when ambiguous.
    The proposal about the confirming manager is decided by the GM office or another manager (`may_decide`);
    they are told of it (penalties.offences.on_decisions).
    """
    from servicedesk.models import Staff

    pen = penalty
    person = pen.person
    people: list[tuple[Staff, str]] = []
    lead = person.team_lead
    if lead is not None and lead.active and lead.pk != person.pk:
        people.append((lead, JointRole.TEAM_LEAD))
    if by is not None and Role.MANAGER in by.roles and by.pk != person.pk:
        manager = by
    else:
        manager = Staff.objects.active().with_role(Role.MANAGER).exclude(pk=person.pk).order_by("name", "pk").first()
    if manager is not None:
        people.append((manager, JointRole.MANAGER))
    if supervisor is None:
        supervisors = list(Staff.objects.active().with_role(Role.SUPERVISOR).exclude(pk=person.pk).order_by("name", "pk"))
        same_area = [s for s in supervisors if person.area and s.area == person.area]
        if len(supervisors) == 1:
            supervisor = supervisors[0]
        elif len(same_area) == 1:
            supervisor = same_area[0]
    elif not supervisor.has_role(Role.SUPERVISOR):
        raise DomainError(_("%(name)s 不是监督组长。") % {"name": supervisor.name}, field="supervisor")
    if supervisor is not None and supervisor.pk != person.pk:
        people.append((supervisor, JointRole.SUPERVISOR))
    created = []
    for who, role in people:
        created.append(
            propose(
                person=who, rule="P8", source=pen.source, joint_role=role, joint_of=pen, on=pen.occurred_on, by=by,
                now=now,
                reason=message(N_("P8 连带责任(%(role)s,监管不力):%(name)s 被投诉 — %(reason)s"),
                               role=JointRole(role).label, name=person.name, reason=shortened(pen.reason, 300)),
            )
        )
    return created


# --------------------------------------------------------------------------- decisions
def confirm(
    *, penalty: Penalty, by, now: datetime, points=None, serious: bool = False, reason: str = "", supervisor=None,
    failed_supervision: bool = False,
) -> Penalty:
    """A manager confirms a pending proposal at `points` (default: the suggested points) within the rule's range.

    R-N2: raises a DismissalFlag when the rule's dismissal mark applies (P10 always; P2/P8/P9 when
    `serious`; the second confirmed P3). P8 Decision: only when the manager marks the complaint as caused by
    `failed_supervision` are the joint-liability proposals made (team lead, manager, supervising leader);
    `failed_supervision` on any other penalty is refused (field "failed_supervision").
    """
    with transaction.atomic():
        pen = _locked(penalty)
        _check_decider(pen, by, now)
        if not pen.can_confirm():
            raise ConflictError(_("该处罚已是“%(s)s”,不能再确认。") % {"s": pen.get_status_display()})
        pts = pen.suggested_points if points in (None, "") else _points(points, "points")
        _check_range(pts, pen.min_points, pen.max_points, pen.rule, "points")
        reason = (reason or "").strip()
        if pts != pen.suggested_points and not reason:
            raise DomainError(_("改动建议扣分时请填写原因。"), field="reason")
        failed_supervision = bool(failed_supervision)
        if failed_supervision and (pen.rule != "P8" or pen.joint_role):
            raise DomainError(_("只有对本人的 P8 投诉处罚才能标记“监管不力”。"), field="failed_supervision")
        pen.points, pen.status, pen.serious = pts, PenaltyStatus.CONFIRMED, bool(serious)
        pen.failed_supervision = failed_supervision
        pen.decided_by, pen.decided_at, pen.decision_reason = by, now, reason
        pen.save()
        _log(pen, DecisionAction.CONFIRM, by=by, at=now, before=pen.suggested_points, after=pts, reason=reason)
        _raise_dismissal_flag(pen, now=now)
        if failed_supervision:
            propose_joint(penalty=pen, by=by, now=now, supervisor=supervisor)
    return pen


def _raise_dismissal_flag(pen: Penalty, *, now: datetime) -> DismissalFlag | None:
    """R-N2: a flag for the manager's decision — never an automatic action on the account."""
    mark = pen.dismissal
    flag_reason = ""
    if mark == DismissalMark.ALWAYS:
        flag_reason = message(N_("%(rule)s:严重违反职业道德,按条例应辞退,请经理决定。"), rule=pen.rule)
    elif mark == DismissalMark.SERIOUS and pen.serious:
        flag_reason = message(N_("%(rule)s 情节严重,按条例可辞退,请经理决定。"), rule=pen.rule)
    elif mark == DismissalMark.SECOND_TIME:
        from servicedesk.models import Staff

        # serialise confirmations for this person so two concurrent P3s both see each other
        Staff.objects.select_for_update().filter(pk=pen.person_id).first()
        from servicedesk.params import param

        n = Penalty.objects.filter(person_id=pen.person_id, rule=pen.rule, status=PenaltyStatus.CONFIRMED).count()
        limit = param(f"penalty.{pen.rule}_dismissal_count", on=timezone.localdate(now))
        if n >= limit:
            flag_reason = message(N_("第 %(n)s 次 %(rule)s,按条例第 %(limit)s 次应辞退,请经理决定。"),
                                  n=n, rule=pen.rule, limit=limit)
    if not flag_reason:
        return None
    flag, _created = DismissalFlag.objects.get_or_create(
        penalty=pen, defaults=dict(person_id=pen.person_id, raised_at=now, reason=flag_reason)
    )
    return flag


def change_points(*, penalty: Penalty, points, by, now: datetime, reason: str) -> Penalty:
    """A manager changes the points within the rule's range, with a reason: the suggestion of a pending
    proposal, or the points of a confirmed penalty (a correction, kept in the history)."""
    reason = _required_reason(reason)
    with transaction.atomic():
        pen = _locked(penalty)
        _check_decider(pen, by, now)
        pts = _points(points, "points")
        _check_range(pts, pen.min_points, pen.max_points, pen.rule, "points")
        if pen.status == PenaltyStatus.PENDING:
            before, pen.suggested_points = pen.suggested_points, pts
        elif pen.status == PenaltyStatus.CONFIRMED:
            before, pen.points = pen.points, pts
            pen.decided_by, pen.decided_at, pen.decision_reason = by, now, reason
        else:
            raise ConflictError(_("该处罚已是“%(s)s”,不能改分。") % {"s": pen.get_status_display()})
        pen.save()
        _log(pen, DecisionAction.CHANGE, by=by, at=now, before=before, after=pts, reason=reason)
    return pen


def reject(*, penalty: Penalty, by, now: datetime, reason: str) -> Penalty:
    """A manager rejects a pending proposal; the record stays with who/when/why (R-N1, R-N4)."""
    reason = _required_reason(reason)
    with transaction.atomic():
        pen = _locked(penalty)
        _check_decider(pen, by, now)
        if pen.status != PenaltyStatus.PENDING:
            raise ConflictError(_("该处罚已是“%(s)s”,不能驳回。") % {"s": pen.get_status_display()})
        pen.status, pen.decided_by, pen.decided_at, pen.decision_reason = PenaltyStatus.REJECTED, by, now, reason
        pen.save()
        _log(pen, DecisionAction.REJECT, by=by, at=now, before=pen.suggested_points, reason=reason)
    return pen


def withdraw(*, penalty: Penalty, by, now: datetime, reason: str) -> Penalty:
    """R-N4: a confirmed penalty is withdrawn, never deleted; the confirmation and the withdrawal both stay."""
    reason = _required_reason(reason)
    with transaction.atomic():
        pen = _locked(penalty)
        _check_decider(pen, by, now)
        if not pen.can_withdraw():
            raise ConflictError(_("只有已确认的处罚可以撤销,该处罚是“%(s)s”。") % {"s": pen.get_status_display()})
        pen.status, pen.withdrawn_by, pen.withdrawn_at, pen.withdraw_reason = PenaltyStatus.WITHDRAWN, by, now, reason
        pen.save()
        _log(pen, DecisionAction.WITHDRAW, by=by, at=now, before=pen.points, reason=reason)
    return pen


@dataclass
class BulkResult:
    confirmed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (penalty, message)


def bulk_confirm(*, penalties, by, now: datetime) -> BulkResult:
    """The review queue's bulk action: confirm each selected pending proposal at its suggested points.

    Each confirmation is its own transaction; proposals the manager may not confirm (their own,
    already decided) are reported back, not half-saved. A P8 confirmed in bulk is not marked "failed
    supervision" (that takes the per-row form), so it makes no joint proposals.
    """
    if not can_decide(by):
        raise PermissionDenied(_("只有部门经理可以处理处罚。"))
    result = BulkResult()
    for pen in penalties:
        try:
            result.confirmed.append(confirm(penalty=pen, by=by, now=now))
        except (DomainError, PermissionDenied) as exc:  # ConflictError is a DomainError
            result.refused.append((pen, str(getattr(exc, "message", exc))))
    return result


def decide_dismissal(*, flag: DismissalFlag, decision: str, by, now: datetime, reason: str) -> DismissalFlag:
    """R-N2: the manager records the decision on a dismissal flag (kept / dismissed). The decision is a
    record only: nothing is done to the person's user account here."""
    reason = _required_reason(reason)
    if decision not in FlagDecision.values:
        raise DomainError(_("未知的决定:%(d)s") % {"d": decision}, field="decision")
    with transaction.atomic():
        row = DismissalFlag.objects.select_for_update().get(pk=flag.pk)
        if not (can_decide(by) and (by.user.is_superuser or Role.MANAGER in by.roles)):
            raise PermissionDenied(_("只有部门经理可以处理处罚。"))
        if row.person_id == by.pk:
            raise PermissionDenied(_("不能处理针对自己的处罚,请由其他经理处理。"))
        _check_not_grantee(row.person, by, now)
        if row.status != FlagStatus.OPEN:
            raise ConflictError(_("该辞退提示已有决定。"))
        row.status, row.decision = FlagStatus.DECIDED, decision
        row.decided_by, row.decided_at, row.decision_reason = by, now, reason
        row.save()
    return row


# --------------------------------------------------------------------------- bulk proposals (beat scans)
@dataclass(frozen=True)
class Proposal:
    """One proposal of `propose_many`: what `propose` takes, for a scan that proposes many at once."""

    person_id: int
    rule: str
    source: object
    reason: object  # a message (servicedesk.texts), or text read as written
    on: date
    suggested_points: int | None = None  # None: the rule's minimum on `on`


def propose_many(*, proposals: list[Proposal], now: datetime, by=None) -> list[Penalty]:
    """R-N1 for the beat scans (docs/developers.md rule 3): the same pending proposals as `propose`, each at its
    rule's minimum, in a fixed number of queries however many there are (points default to the rule's minimum).
    Idempotent per (source, rule, person) like `propose`:
    proposals that already exist are left as they are. Returns the penalties created."""
    if not proposals:
        return []
    terms_cache: dict[tuple[str, date], object] = {}
    ct_cache: dict[type, ContentType] = {}
    rows: dict[tuple[int, int, str, int], Penalty] = {}
    for p in proposals:
        rule = check_rule(p.rule)
        terms = terms_cache.get((rule, p.on)) or terms_cache.setdefault((rule, p.on), rule_terms(rule, on=p.on))
        ct = ct_cache.get(type(p.source)) or ct_cache.setdefault(type(p.source), ContentType.objects.get_for_model(p.source))
        label, url = _source_snapshot(p.source)
        points = terms.min_points if p.suggested_points is None else _points(p.suggested_points, "suggested_points")
        _check_range(points, terms.min_points, terms.max_points, rule, "suggested_points")
        rows.setdefault(
            (ct.pk, p.source.pk, rule, p.person_id),
            Penalty(
                person_id=p.person_id, rule=rule, source_type=ct, source_id=p.source.pk, source_label=label, source_url=url,
                reason=_required_reason(p.reason), suggested_points=points, min_points=terms.min_points,
                max_points=terms.max_points, dismissal=terms.dismissal, occurred_on=p.on, parameter=terms.parameter,
                parameter_version=terms.version, proposed_at=now, proposed_by=by,
            ),
        )
    with transaction.atomic():
        existing = set(
            Penalty.objects.filter(
                source_type_id__in={k[0] for k in rows}, source_id__in={k[1] for k in rows}, rule__in={k[2] for k in rows}
            ).values_list("source_type_id", "source_id", "rule", "person_id")
        )
        fresh = [pen for key, pen in rows.items() if key not in existing]
        Penalty.objects.bulk_create(fresh, ignore_conflicts=True)
        created = list(
            Penalty.objects.filter(
                source_type_id__in={p.source_type_id for p in fresh}, source_id__in={p.source_id for p in fresh},
                proposed_at=now,
            ).filter(decisions__isnull=True)
        ) if fresh else []
        wanted = {(p.source_type_id, p.source_id, p.rule, p.person_id) for p in fresh}
        created = [p for p in created if (p.source_type_id, p.source_id, p.rule, p.person_id) in wanted]
        decisions = PenaltyDecision.objects.bulk_create(
            PenaltyDecision(penalty=p, action=DecisionAction.PROPOSE, by=by, at=now, points_after=p.suggested_points, reason=p.reason)
            for p in created
        )
        from .offences import on_decisions  # R-N5: each person told of their proposal, in one bulk write

        on_decisions(decisions, now=now)
    return created
