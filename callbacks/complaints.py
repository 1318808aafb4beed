"""R-K10: complaints from any channel — phone, walk-in, callback, the client's signed link.

Each gets an owner and a reply deadline (`complaint.reply_hours`, 24 h; a row the beat scans through a
partial index), then the root cause, the agreed fix and its date, and the client's confirmation.
Serious ones are reported to the GM office.

Decision (R-K10): taking a complaint blames nobody. It may name the person concerned (`technician`), which
proposes nothing; the manager then decides it (`decide`): *founded, the person's own work* proposes P8 to the
person responsible and counts for their R-M2 fine; *founded, not a person's fault* (process, product, third
party) and *unfounded* neither propose nor count.
"""
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Staff
from servicedesk.notifications import department_heads, notify
from servicedesk.params import get_param
from servicedesk.texts import Date, message

from .choices import NOT_PERSON_CAUSES, ComplaintCause, ComplaintChannel, ComplaintOutcome, ComplaintStatus
from .models import Complaint

INTAKE_ROLES = (Role.COORDINATOR, Role.MANAGER)

__all__ = ["can_decide", "confirm_by_client", "decide", "intake_defaults", "register_complaint", "reply", "scan_complaints"]


def can_take(by) -> bool:
    return bool(by is not None and by.active and (by.user.is_superuser or by.has_role(*INTAKE_ROLES)))


def _managers() -> list[Staff]:
    return [s for s in department_heads() if s.has_role(Role.MANAGER)]


def _default_owner(by) -> Staff | None:
    """Decision: the department manager who takes it, else the first active manager (by name)."""
    if by is not None and by.has_role(Role.MANAGER) and not by.user.is_superuser:
        return by
    return Staff.objects.active().with_role(Role.MANAGER).order_by("name", "pk").first() or by


def intake_defaults(*, by, now: datetime, channel: str = ComplaintChannel.CALLBACK, owner=None) -> dict:
    """Owner, channel and reply deadline of a new complaint (also used by the callback screen, R-K5)."""
    p = get_param("complaint.reply_hours", on=timezone.localtime(now).date())
    return {
        "channel": channel,
        "owner": owner or _default_owner(by),
        "reply_due_at": now + timedelta(hours=int(p.value)),
        "reply_explanation": {"rule": "R-K10", "inputs": {"created_at": now.isoformat()}, "params": [p.as_explanation()]},
    }


def register_complaint(*, channel: str, client, words: str, by, now: datetime, work_order=None, technician=None,
                       owner=None, serious: bool = False) -> Complaint:
    """Take a complaint from any channel (R-K10). It may name the person concerned (`technician`, by default the
    work order's technician) but proposes nothing: only the manager's decision (`decide`) blames a person.

    `by=None` only for the client's own signed link (channel "signed_link"): nobody on the staff took it,
    the owner defaults to the department manager."""
    if by is None and channel == ComplaintChannel.SIGNED_LINK:
        pass
    elif not can_take(by):
        raise PermissionDenied(_("只有协调员或部门经理可以登记投诉。"))
    if channel not in ComplaintChannel.values:
        raise DomainError(_("未知的投诉渠道:%(c)s。") % {"c": channel}, field="channel")
    if client is None:
        raise DomainError(_("请选择客户。"), field="client")
    words = (words or "").strip()
    if not words:
        raise DomainError(_("请记录客户原话。"), field="words")
    if work_order is not None and work_order.client_id != client.pk:
        raise DomainError(_("工单 %(n)s 不属于该客户。") % {"n": work_order.number}, field="work_order")
    if technician is None and work_order is not None:
        technician = work_order.technician
    if owner is not None and not owner.active:
        raise DomainError(_("%(name)s 已离职,不能作为负责人。") % {"name": owner.name}, field="owner")
    with transaction.atomic():
        c = Complaint.objects.create(
            client=client, work_order=work_order, technician=technician, words=words, created_at=now, created_by=by,
            serious=bool(serious), **intake_defaults(by=by, now=now, channel=channel, owner=owner),
        )
        if c.serious:
            c.gm_reported_at = now
            c.save(update_fields=["gm_reported_at"])
    _announce(c, now=now)
    return c


def can_decide(by) -> bool:
    """R-K10: the department manager decides a complaint (a superuser too)."""
    return bool(by is not None and by.active and (by.user.is_superuser or by.has_role(Role.MANAGER)))


def decide(*, complaint: Complaint, by, now: datetime, outcome: str, reason: str, responsible=None,
           cause: str = "") -> Complaint:
    """R-K10 Decision: the manager decides whose, if anyone's, the complaint is — once.

    - own_work: founded, the person's own work → `responsible` is required; P8 is proposed to them (event date:
      the day the complaint was taken) and the complaint counts for their R-M2 fine;
    - not_person: founded, not a person's fault → `cause` process / product / third party / other (default other);
    - unfounded: neither proposes nor counts.
    Nobody decides a complaint about themselves (the person named or the person held responsible).
    """
    from penalties.services import propose

    if not can_decide(by):
        raise PermissionDenied(_("只有部门经理可以判定投诉。"))
    if outcome not in ComplaintOutcome.values:
        raise DomainError(_("请选择判定结果。"), field="outcome")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写判定理由。"), field="reason")
    if outcome == ComplaintOutcome.OWN_WORK:
        if responsible is None:
            raise DomainError(_("判定为本人工作问题时,请选择责任人。"), field="responsible")
        if not responsible.active:
            raise DomainError(_("%(name)s 已离职,不能作为责任人。") % {"name": responsible.name}, field="responsible")
        cause = ComplaintCause.OWN_WORK
    else:
        responsible = None
        if outcome == ComplaintOutcome.UNFOUNDED:
            cause = ComplaintCause.UNFOUNDED
        else:
            cause = cause or ComplaintCause.OTHER
            if cause not in NOT_PERSON_CAUSES:
                raise DomainError(_("请选择原因类别(流程、产品、第三方或其他)。"), field="cause")
    with transaction.atomic():
        c = Complaint.objects.select_for_update(of=("self",)).select_related("client").get(pk=complaint.pk)
        if c.outcome:
            raise ConflictError(
                _("该投诉已于 %(at)s 判定为“%(o)s”,不能再次判定。") % {
                    "at": timezone.localtime(c.decided_at).strftime("%Y-%m-%d %H:%M"), "o": c.get_outcome_display()}
            )
        if by.pk in {c.technician_id, getattr(responsible, "pk", None)} and not by.user.is_superuser:
            raise PermissionDenied(_("不能判定涉及自己的投诉,请由其他经理或总经办处理。"))
        c.outcome, c.responsible, c.cause = outcome, responsible, cause
        c.decided_by, c.decided_at, c.decision_reason = by, now, reason
        c.save(update_fields=["outcome", "responsible", "cause", "decided_by", "decided_at", "decision_reason"])
        if outcome == ComplaintOutcome.OWN_WORK:
            propose(
                person=responsible, rule="P8", source=c, on=timezone.localtime(c.created_at).date(), by=by, now=now,
                reason=message(N_("客户投诉(%(ch)s)经判定为本人工作问题:%(w)s"),
                               ch=ComplaintChannel(c.channel).label, w=c.words[:120]),
            )
    _announce_decision(c, now=now)
    return c


def _announce_decision(c: Complaint, *, now: datetime) -> None:
    """R-N5: the person the complaint named, and the person held responsible, are told of the decision."""
    people = {s.pk: s for s in (c.technician, c.responsible) if s is not None}
    if not people:
        return
    notify(
        recipients=list(people.values()), key=f"complaint-decided-{c.pk}",
        message=message(
            N_("客户投诉(%(client)s,%(at)s)已判定:%(o)s%(who)s。理由:%(r)s"),
            client=c.client.name, at=Date(timezone.localtime(c.created_at).date()), o=ComplaintOutcome(c.outcome).label,
            who=message(N_(",责任人 %(name)s"), name=c.responsible.name) if c.responsible else "",
            r=c.decision_reason[:120],
        ),
        link="/penalties/mine/", now=now,
    )


def _announce(c: Complaint, *, now: datetime) -> None:
    recipients = {s.pk: s for s in _managers()}
    if c.owner is not None:
        recipients[c.owner.pk] = c.owner
    notify(
        recipients=list(recipients.values()), key=f"complaint-new-{c.pk}",
        message=message(N_("新的客户投诉(%(ch)s):%(client)s,请于 %(due)s 前答复"),
                        ch=ComplaintChannel(c.channel).label, client=c.client.name, due=Date(c.reply_due_at)),
        link=c.get_absolute_url(), now=now,
    )
    if c.serious:
        notify(
            recipients=list(Staff.objects.active().with_role(Role.GM_OFFICE).select_related("user")),
            key=f"complaint-serious-{c.pk}",
            message=message(N_("严重客户投诉上报:%(client)s — %(w)s"), client=c.client.name, w=c.words[:120]),
            link=c.get_absolute_url(), now=now,
        )


def _check_owner(c: Complaint, by) -> None:
    if by is None or not (by.user.is_superuser or by.has_role(Role.MANAGER) or by.pk == c.owner_id):
        raise PermissionDenied(_("只有投诉负责人或部门经理可以处理该投诉。"))


def reply(*, complaint: Complaint, by, now: datetime, root_cause: str, agreed_fix: str, fix_due_on: date | None) -> Complaint:
    """The owner's reply: root cause, the agreed fix and its date (R-K10)."""
    root_cause, agreed_fix = (root_cause or "").strip(), (agreed_fix or "").strip()
    if not root_cause:
        raise DomainError(_("请填写根本原因。"), field="root_cause")
    if not agreed_fix:
        raise DomainError(_("请填写商定的解决办法。"), field="agreed_fix")
    if fix_due_on is None:
        raise DomainError(_("请填写解决日期。"), field="fix_due_on")
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check_owner(c, by)
        if c.status in (ComplaintStatus.CONFIRMED,):
            raise ConflictError(_("该投诉已由客户确认,不能再修改答复。"))
        if fix_due_on < timezone.localtime(c.created_at).date():
            raise DomainError(_("解决日期不能早于投诉登记日期。"), field="fix_due_on")
        c.root_cause, c.agreed_fix, c.fix_due_on = root_cause, agreed_fix, fix_due_on
        c.replied_at = c.replied_at or now
        c.handled_by, c.handled_at = by, now
        c.status = ComplaintStatus.REPLIED
        c.save()
    return c


def confirm_by_client(*, complaint: Complaint, by, now: datetime, confirmation: str) -> Complaint:
    """The client's confirmation of the fix, as recorded by the owner (R-K10)."""
    confirmation = (confirmation or "").strip()
    if not confirmation:
        raise DomainError(_("请记录客户的确认意见。"), field="client_confirmation")
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=complaint.pk)
        _check_owner(c, by)
        if c.replied_at is None:
            raise ConflictError(_("请先答复(根本原因与解决办法),再记录客户确认。"))
        if c.status == ComplaintStatus.CONFIRMED:
            raise ConflictError(_("该投诉已由客户确认。"))
        c.client_confirmation, c.client_confirmed_at, c.status = confirmation, now, ComplaintStatus.CONFIRMED
        c.save()
    return c


def scan_complaints(*, now: datetime) -> int:
    """Beat: complaints not replied by their deadline are marked once and their owner and the managers alerted."""
    with transaction.atomic():
        rows = list(Complaint.objects.select_for_update(of=("self",)).reply_overdue(now=now).select_related("client", "owner", "owner__user"))
        Complaint.objects.filter(pk__in=[c.pk for c in rows]).update(overdue_at=now)
    if rows:
        managers = _managers()
        for c in rows:
            recipients = {s.pk: s for s in managers}
            if c.owner is not None:
                recipients[c.owner.pk] = c.owner
            notify(
                recipients=list(recipients.values()), key=f"complaint-overdue-{c.pk}",
                message=message(N_("投诉答复逾期:%(client)s,期限 %(due)s"), client=c.client.name, due=Date(c.reply_due_at)),
                link=c.get_absolute_url(), now=now,
            )
    return len(rows)
