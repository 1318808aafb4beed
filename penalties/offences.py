"""R-N5: offences that no event reveals, recorded by the people who see them.

A manager, supervisor, team lead or coordinator records what was seen and when (optionally a photo);
the record is the source of a pending P-proposal, which the manager decides through the ordinary
penalty services (confirm / change within the range / reject). The person concerned is notified
(in-app and e-mail) of the proposal and of every decision about it, and sees their own record.
"""
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.texts import message
from servicedesk.uploads import clean_image

from . import services
from .choices import DecisionAction
from .models import Penalty, RecordedOffence
from .rules import check_rule

# SPEC R-N5: the clauses "每发现一次" that no system event reveals
RECORDABLE_RULES = ["P1", "P2", "P3", "P4", "P5", "P9", "P10", "P11"]
RECORDERS = (Role.MANAGER, Role.SUPERVISOR, Role.TEAM_LEAD, Role.COORDINATOR)
PHOTO_MAX_BYTES = 5 * 1024 * 1024

__all__ = ["RECORDABLE_RULES", "RECORDERS", "can_record", "decide", "on_decision", "record_offence"]


def can_record(by) -> bool:
    return bool(by is not None and by.active and (by.user.is_superuser or by.has_role(*RECORDERS)))


def _clean_photo(photo):
    """The photo decoded and re-encoded without its metadata (servicedesk.uploads), or a refusal on "photo":
    whatever its name says, a file that is not an image is not stored."""
    if not photo:
        return None
    if (getattr(photo, "size", 0) or 0) > PHOTO_MAX_BYTES:
        raise DomainError(_("照片不能超过 5 MB。"), field="photo")
    return clean_image(photo, field="photo", label=_("照片"))


def record_offence(*, person, rule: str, occurred_at: datetime, observed: str, by, now: datetime, points=None,
                   photo=None) -> Penalty:
    """Record an observed offence and propose its penalty (pending until the manager decides).

    Points default to the clause's minimum; outside the clause's range (penalty.Px on the offence date)
    the whole record is refused (field "points") and nothing is saved.
    """
    if not can_record(by):
        raise PermissionDenied(_("只有部门经理、监督组长、技术组长或协调员可以记录违规。"))
    if person is None:
        raise DomainError(_("请选择当事人。"), field="person")
    if not person.active:
        raise DomainError(_("%(name)s 已离职,不能记录违规。") % {"name": person.name}, field="person")
    rule = check_rule(rule)
    if rule not in RECORDABLE_RULES:
        raise DomainError(
            _("%(rule)s 由系统事件自动提出,不能手工记录;可记录的条款:%(rules)s。") % {"rule": rule, "rules": "、".join(RECORDABLE_RULES)},
            field="rule",
        )
    observed = (observed or "").strip()
    if not observed:
        raise DomainError(_("请填写所见情况。"), field="observed")
    if occurred_at is None:
        raise DomainError(_("请填写发生时间。"), field="occurred_at")
    if occurred_at > now:
        raise DomainError(_("发生时间不能晚于现在。"), field="occurred_at")
    photo = _clean_photo(photo)
    on = timezone.localtime(occurred_at).date()
    with transaction.atomic():
        record = RecordedOffence.objects.create(
            person=person, rule=rule, occurred_at=occurred_at, observed=observed, recorded_by=by, recorded_at=now,
            **({"photo": photo} if photo else {}),
        )
        try:
            penalty = services.propose(
                person=person, rule=rule, source=record, on=on, by=by, now=now,
                suggested_points=points if points not in (None, "") else None,
                reason=message(N_("%(who)s 记录:%(seen)s"), who=by.name, seen=observed[:300]),
            )
        except DomainError as exc:
            if exc.field == "suggested_points":
                exc.field = "points"
            raise
    return penalty


def decide(*, penalty: Penalty, action: str, by, now: datetime, points=None, reason: str = "", serious: bool = False) -> Penalty:
    """The manager's decision on a recorded offence, through the ordinary penalty services."""
    if action == "confirm":
        return services.confirm(penalty=penalty, by=by, now=now, points=points, reason=reason, serious=serious)
    if action == "change":
        return services.change_points(penalty=penalty, by=by, now=now, points=points, reason=reason)
    if action == "reject":
        return services.reject(penalty=penalty, by=by, now=now, reason=reason)
    raise DomainError(_("未知的处理方式:%(a)s") % {"a": action}, field="action")


# rule 7: the alerts are messages, read in the reader's language (the e-mail in the recipient's)
STEP_TEXT = {
    DecisionAction.PROPOSE: N_("对您的处罚建议:%(rule)s %(points)s 分 — %(reason)s"),
    DecisionAction.CONFIRM: N_("您的 %(rule)s 处罚已确认:%(points)s 分。"),
    DecisionAction.CHANGE: N_("您的 %(rule)s 处罚已改为 %(points)s 分:%(reason)s"),
    DecisionAction.REJECT: N_("您的 %(rule)s 处罚建议已驳回:%(reason)s"),
    DecisionAction.WITHDRAW: N_("您的 %(rule)s 处罚已撤销:%(reason)s"),
}


def on_decision(row) -> None:
    """Called for every audit row of a penalty (R-N4) written one at a time."""
    on_decisions([row], now=row.at)


def on_decisions(rows, *, now) -> None:
    """R-N5: the person concerned is told of every proposal and decision, whatever produced it (late response,
    callback items, irregular forms, refusals, complaints, receivables, recorded offences), in-app and by e-mail.
    P8 Decision: a proposal about a department manager is announced to the GM office and the other managers, who
    decide it. In bulk for the scans: a fixed number of queries however many rows."""
    from servicedesk.models import Staff
    from servicedesk.notifications import notify_many

    from .services import shortened

    rows = [r for r in rows if r.action in STEP_TEXT]
    if not rows:
        return
    offence_ct = ContentType.objects.get_for_model(RecordedOffence).pk  # cached
    people = {s.pk: s for s in Staff.objects.filter(pk__in={r.penalty.person_id for r in rows}).only("pk", "name")}
    managers = None
    alerts = []
    for row in rows:
        pen = row.penalty
        person = people.get(pen.person_id)
        if person is None:
            continue
        points = row.points_after if row.points_after is not None else pen.points_shown
        link = "/penalties/offences/mine/" if pen.source_type_id == offence_ct else "/penalties/mine/"
        alerts.append((
            [person], f"penalty-{pen.pk}-{row.action}-{row.pk}",
            message(STEP_TEXT[row.action], rule=pen.rule, points=points, reason=shortened(row.reason or pen.reason, 200)),
            link,
        ))
        if row.action == DecisionAction.PROPOSE:
            if managers is None:  # once per call: the managers, and who may decide about a manager
                managers = set(Staff.objects.active().with_role(Role.MANAGER).values_list("pk", flat=True))
                deciders_all = list(
                    Staff.objects.active().filter(Q(user__groups__name=Role.GM_OFFICE) | Q(pk__in=managers)).distinct().only("pk")
                )
            if pen.person_id in managers:
                deciders = [s for s in deciders_all if s.pk != pen.person_id]
                alerts.append((
                    deciders, f"penalty-{pen.pk}-about-manager",
                    message(N_("待您决定:针对部门经理 %(name)s 的 %(rule)s 处罚建议(%(points)s 分)— %(reason)s"),
                            name=person.name, rule=pen.rule, points=points, reason=shortened(pen.reason, 150)),
                    "/penalties/",
                ))
    notify_many(alerts=alerts, now=now)
