"""Callback rules (SPEC §4): windows, the call, its consequences, the overdue scan.

Every write is one transaction. Scans read their rows from the database, so a
run that comes late (Redis or the worker down for days) catches up everything.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import WorkOrderStatus
from servicedesk.errors import ConflictError, DomainError
from servicedesk.notifications import department_heads, notify, notify_many
from servicedesk.params import get_param
from servicedesk.texts import Date, message

from .choices import CallbackStatus, Question, Satisfaction, SatisfactionSource, WindowRule
from .models import CallAttempt, Callback, CallbackViolation, Complaint

RESOLVED_STATUSES = (WorkOrderStatus.RESOLVED, WorkOrderStatus.CLOSED, WorkOrderStatus.RETURNED)


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    due_at: datetime
    rule: WindowRule
    explanation: dict


def compute_window(*, completed_at: datetime, second_service: bool, part_replaced: bool) -> Window:
    """R-K2: first service 24–72 h after completion; second service or a replaced part within 24 h.

    When several apply, the earliest deadline wins (and the window then opens at completion).
    """
    on = timezone.localtime(completed_at).date()
    first_open = get_param("callback.first_opens_hours", on=on)
    first_due = get_param("callback.first_due_hours", on=on)
    candidates = [
        (completed_at + timedelta(hours=first_due.value), completed_at + timedelta(hours=first_open.value), WindowRule.FIRST_SERVICE, [first_open, first_due])
    ]
    if second_service:
        p = get_param("callback.second_service_due_hours", on=on)
        candidates.append((completed_at + timedelta(hours=p.value), completed_at, WindowRule.SECOND_SERVICE, [p]))
    if part_replaced:
        p = get_param("callback.part_replaced_due_hours", on=on)
        candidates.append((completed_at + timedelta(hours=p.value), completed_at, WindowRule.PART_REPLACED, [p]))
    # earliest deadline wins; on a tie the more specific rule (listed later) names the window
    due_at, opens_at, rule, params = min(candidates, key=lambda c: (c[0], -candidates.index(c)))
    return Window(
        opens_at=opens_at,
        due_at=due_at,
        rule=rule,
        explanation={
            "rule": "R-K2",
            "applied": rule.value,
            "considered": [c[2].value for c in candidates],
            "inputs": {"completed_at": completed_at.isoformat(), "second_service": second_service, "part_replaced": part_replaced},
            "parameters": [p.as_explanation() for p in params],
        },
    )


def schedule_callback(*, work_order, completed_at: datetime, part_replaced: bool) -> Callback:
    """R-K1: the resolving transaction calls this; the callback row exists as soon as the visit is resolved.

    Idempotent: a second call for the same visit returns the existing row unchanged.
    """
    existing = Callback.objects.filter(work_order=work_order).first()
    if existing:
        return existing
    if work_order.technician_id is None:
        raise DomainError(_("工单没有负责技术员,无法安排回访。"), field="technician")
    window = compute_window(
        completed_at=completed_at, second_service=work_order.is_second_service, part_replaced=part_replaced
    )
    with transaction.atomic():
        callback, _created = Callback.objects.get_or_create(
            work_order=work_order,
            defaults=dict(
                client_id=work_order.client_id,
                technician_id=work_order.technician_id,
                completed_at=completed_at,
                window_opens_at=window.opens_at,
                due_at=window.due_at,
                window_rule=window.rule,
                explanation=window.explanation,
                status=CallbackStatus.DUE if window.opens_at <= completed_at else CallbackStatus.PENDING,
            ),
        )
        if _created:
            from servicedesk.events import client_event
            from servicedesk.texts import Date

            client_event.send(
                sender=Callback, kind="callback_scheduled", client=work_order.client, site=work_order.site,
                event_key=f"callback_scheduled:callback={callback.pk}",
                params={"number": work_order.number, "due": Date(timezone.localtime(callback.due_at).date())},
                now=completed_at,
            )
    return callback


def open_due_callbacks(*, now: datetime) -> int:
    """Pending callbacks whose window has opened join the queue."""
    return Callback.objects.to_open(now=now).update(status=CallbackStatus.DUE)


def mark_overdue(*, now: datetime) -> list[Callback]:
    """R-K7: callbacks not done by their deadline become overdue; coordinator and manager are alerted once."""
    with transaction.atomic():
        rows = list(Callback.objects.select_for_update(of=("self",)).newly_overdue(now=now).select_related("work_order", "client"))
        Callback.objects.filter(pk__in=[c.pk for c in rows]).update(status=CallbackStatus.OVERDUE, overdue_at=now)
    if rows:
        # once per scan, then one bulk write: the beat's cost must not grow with the rows (docs/developers.md rule 3)
        heads = department_heads()
        notify_many(
            alerts=[
                (
                    heads,
                    f"callback-overdue-{cb.pk}",
                    message(N_("回访逾期:%(client)s 工单 %(number)s,截止 %(due)s"),
                            client=cb.client.name, number=cb.work_order.number, due=Date(cb.due_at)),
                    f"/callbacks/{cb.pk}/",
                )
                for cb in rows
            ],
            now=now,
        )
    return rows


def scan_callbacks(*, now: datetime) -> dict:
    """The beat job: open due callbacks, then mark overdue ones. Running it twice changes nothing more."""
    opened = open_due_callbacks(now=now)
    overdue = mark_overdue(now=now)
    return {"opened": opened, "overdue": len(overdue)}


def _check_caller(callback: Callback, by) -> None:
    if callback.work_order.status not in RESOLVED_STATUSES:
        raise DomainError(_("工单 %(n)s 尚未解决,不能回访。") % {"n": callback.work_order.number}, field="work_order")
    if by.pk == callback.technician_id:
        raise PermissionDenied(_("技术员不能回访自己的服务。"))


def record_no_answer(*, callback: Callback, by, now: datetime) -> Callback:
    """R-K6: an unanswered call is an attempt; the third makes the callback unreachable."""
    with transaction.atomic():
        cb = Callback.objects.select_for_update(of=("self",)).select_related("work_order").get(pk=callback.pk)
        _check_caller(cb, by)
        if not cb.is_open:
            raise ConflictError(_("该回访已是“%(s)s”,不能再记录。") % {"s": cb.get_status_display()})
        CallAttempt.objects.create(callback=cb, at=now, by=by, answered=False)
        cb.attempts += 1
        if cb.attempts >= get_param("callback.max_attempts", on=timezone.localtime(now).date()).value:
            cb.status = CallbackStatus.UNREACHABLE
        cb.save(update_fields=["attempts", "status"])
    return cb


def _violation_points(on):
    """R-K4: the P6 points proposed for each "no", from callback.violation_points_per_item, kept inside
    the range of penalty.P6 in force on `on` (the manager still decides within that range)."""
    from penalties.rules import rule_terms

    terms = rule_terms("P6", on=on)
    wanted = int(get_param("callback.violation_points_per_item", on=on).value)
    return max(terms.min_points, min(terms.max_points, wanted))


def _propose_p6_for_noes(cb: Callback, answers: dict, *, by, on) -> None:
    """R-K4: each "no" on items 1–4 is a CallbackViolation and proposes P6 for the visit's technician (the points
    from `_violation_points`, read once)."""
    from penalties.services import propose

    p6_points = None
    for item in Question.values:
        if answers[item] is False:
            if p6_points is None:
                p6_points = _violation_points(on)
            violation, _created = CallbackViolation.objects.get_or_create(callback=cb, item=item)
            propose(
                person=cb.technician,
                rule="P6",
                source=violation,
                reason=message(N_("回访:%(q)s — 客户回答“否”(工单 %(n)s)"), q=Question(item).label, n=cb.work_order.number),
                suggested_points=p6_points,
                on=on,
                by=by,
            )


def _open_complaint(cb: Callback, *, satisfaction: str, complaint: str, by, now: datetime, channel: str = "") -> None:
    """R-K5/R-K10: dissatisfaction or a complaint opens one complaint record (owner and reply deadline)."""
    from .complaints import intake_defaults

    Complaint.objects.get_or_create(
        callback=cb,
        defaults=dict(
            work_order=cb.work_order,
            client_id=cb.client_id,
            technician_id=cb.technician_id,
            words=complaint or _("客户表示不满意"),
            satisfaction=satisfaction,
            created_at=now,
            created_by=by,
            **intake_defaults(by=by, now=now, **({"channel": channel} if channel else {})),  # R-K10: owner and reply deadline
        ),
    )
    # R-K10 Decision: the complaint names the visit's technician but blames nobody until the manager
    # decides it (callbacks.complaints.decide); only "own work" proposes P8


def record_call(
    *,
    callback: Callback,
    by,
    now: datetime,
    answered: bool = True,
    badge: bool | None = None,
    explained: bool | None = None,
    cleaned: bool | None = None,
    signed: bool | None = None,
    satisfaction: str = "",
    complaint: str = "",
) -> Callback:
    """R-K3–R-K5: record the answers; each "no" on items 1–4 proposes P6, dissatisfaction or a complaint opens
    a complaint record for the manager to decide (R-K10: P8 only when decided the person's own work). Outside the
    window it is allowed but marked late."""
    if not answered:
        return record_no_answer(callback=callback, by=by, now=now)
    answers = {"badge": badge, "explained": explained, "cleaned": cleaned, "signed": signed}
    missing = [k for k, v in answers.items() if v is None]
    if missing:
        raise DomainError(_("请回答这一项。"), field=missing[0])
    # R-K3: a client who already rated the visit from their own page keeps their answer unless the call gives one
    client_rated = callback.satisfaction_source == SatisfactionSource.CLIENT and bool(callback.satisfaction)
    if satisfaction not in Satisfaction.values and not (client_rated and not satisfaction):
        raise DomainError(_("未知的满意度:“%(v)s”。") % {"v": satisfaction}, field="satisfaction")
    complaint = (complaint or "").strip()
    on = timezone.localtime(now).date()
    with transaction.atomic():
        cb = Callback.objects.select_for_update(of=("self",)).select_related("work_order").get(pk=callback.pk)
        _check_caller(cb, by)
        if not cb.is_open:
            raise ConflictError(_("该回访已是“%(s)s”,不能重复记录。") % {"s": cb.get_status_display()})
        CallAttempt.objects.create(callback=cb, at=now, by=by, answered=True)
        for name, value in answers.items():
            setattr(cb, name, value)
        if satisfaction:
            cb.satisfaction, cb.satisfaction_source = satisfaction, SatisfactionSource.CALL
        cb.complaint = complaint or cb.complaint
        cb.answered_at = now
        cb.recorded_by = by
        cb.late = not (cb.window_opens_at <= now <= cb.due_at)
        cb.status = CallbackStatus.DONE
        cb.save()
        _propose_p6_for_noes(cb, answers, by=by, on=on)
        if satisfaction == Satisfaction.DISSATISFIED or complaint:
            _open_complaint(cb, satisfaction=satisfaction, complaint=complaint, by=by, now=now)
    if satisfaction == Satisfaction.DISSATISFIED or complaint:
        notify(
            recipients=[s for s in department_heads() if s.has_role("manager")],
            key=f"complaint-{cb.pk}",
            message=message(N_("新的客户投诉:%(client)s(工单 %(n)s)"), client=cb.client.name, n=cb.work_order.number),
            link="/callbacks/complaints/",
            now=now,
        )
    return cb


def rate_by_client(*, callback: Callback, satisfaction: str, comment: str = "", now: datetime) -> Callback:
    """R-K3 item 5 from the client's own page (the signed portal link): the visit's satisfaction, recorded as the
    client's (`satisfaction_source` = client, `client_rated_at`). Once per visit, and not after the call has
    recorded one. The callback stays in the queue: the call still asks items 1–4 (R-K4). "Dissatisfied" opens the
    complaint record with its owner and reply deadline, as on the call (R-K5, R-K10)."""
    if satisfaction not in Satisfaction.values:
        raise DomainError(_("请选择您对这次服务的满意度。"), field="satisfaction")
    comment = (comment or "").strip()[:2000]
    with transaction.atomic():
        cb = Callback.objects.select_for_update(of=("self",)).select_related("work_order", "client").get(pk=callback.pk)
        if cb.work_order.status not in RESOLVED_STATUSES:
            raise DomainError(_("工单 %(n)s 尚未完成,暂不能评价。") % {"n": cb.work_order.number}, field="satisfaction")
        if cb.client_rated_at is not None or cb.satisfaction:
            raise ConflictError(_("这次服务已经评价过了,谢谢!"))
        cb.satisfaction, cb.satisfaction_source, cb.client_rated_at = satisfaction, SatisfactionSource.CLIENT, now
        if comment:
            cb.complaint = comment
        cb.save(update_fields=["satisfaction", "satisfaction_source", "client_rated_at", "complaint"])
        dissatisfied = satisfaction == Satisfaction.DISSATISFIED
        if dissatisfied:
            from .choices import ComplaintChannel

            _open_complaint(cb, satisfaction=satisfaction, complaint=comment, by=None, now=now, channel=ComplaintChannel.SIGNED_LINK)
    if dissatisfied:
        notify(
            recipients=[s for s in department_heads() if s.has_role("manager")],
            key=f"complaint-{cb.pk}",
            message=message(N_("新的客户投诉:%(client)s(工单 %(n)s)"), client=cb.client.name, n=cb.work_order.number),
            link="/callbacks/complaints/",
            now=now,
        )
    return cb


def handle_complaint(*, complaint: Complaint, by, now: datetime, resolution: str) -> Complaint:
    if not resolution.strip():
        raise DomainError(_("请填写处理结果。"), field="resolution")
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=complaint.pk)
        c.status, c.handled_by, c.handled_at, c.resolution = "handled", by, now, resolution.strip()
        c.save()
    return c
