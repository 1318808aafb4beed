"""The work order's steps after dispatch: the holder accepts or refuses (R-W9), calls the client (R-W6), sets off
(R-W4) and arrives (R-W5); hand-over to a team lead (R-W11); the desk cancels or closes."""
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.models import Staff, WorkOrder
from servicedesk.texts import Date, message

from ..choices import AssignmentEnd, DeadlineKind
from ..models import Assignment, Deadline, HandOver, Refusal
from .common import _begin, _drop_pending_deadlines, _end_assignment, _meet, _required_text, _stamp


def accept(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "accept", by=by, version=version)
        _meet(wo, [DeadlineKind.RESIDENT_ANSWER], now=now)
        _stamp(wo, t, by=by, now=now)
        return wo


def refuse(*, work_order, by: Staff, reason: str, now: datetime, version: int | None = None) -> Refusal:
    """R-W9: the order goes back to the board; the coordinator judges the reason later."""
    with transaction.atomic():
        wo, t = _begin(work_order, "refuse", by=by, version=version)
        reason = _required_text(reason, "reason", _("拒单原因"))
        refusal = Refusal.objects.create(work_order=wo, technician=by, at=now, reason=reason)
        _end_assignment(wo, now=now, reason=AssignmentEnd.REFUSED)
        _drop_pending_deadlines(wo, now=now)
        wo.technician = None
        _stamp(wo, t, by=by, now=now, note=reason, data={"refusal": refusal.pk})
        return refusal


def contact(*, work_order, by: Staff, promised_at: datetime, now: datetime, version: int | None = None) -> WorkOrder:
    """R-W6: the technician called the client and promised an arrival time."""
    with transaction.atomic():
        wo, t = _begin(work_order, "contact", by=by, version=version)
        if promised_at is None:
            raise DomainError(_("请填写承诺到达时间。"), field="promised_at")
        if promised_at < now - timedelta(minutes=1):
            raise DomainError(_("承诺到达时间不能早于现在。"), field="promised_at")
        _meet(wo, [DeadlineKind.CONTACT_CLIENT, DeadlineKind.RESIDENT_ANSWER], now=now)
        _stamp(
            wo, t, by=by, now=now, note=message(N_("承诺 %(at)s 到达"), at=Date(promised_at)), data={"promised_at": promised_at.isoformat()}
        )
        return wo


def depart(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    """R-W4: set off."""
    with transaction.atomic():
        wo, t = _begin(work_order, "depart", by=by, version=version)
        _meet(wo, [DeadlineKind.MOBILE_DEPART], now=now)
        event = _stamp(wo, t, by=by, now=now)
        _tell_on_the_way(wo, by, event, now=now)
        return wo


def _promised_arrival(wo: WorkOrder) -> datetime | None:
    """The arrival the technician promised on the call (R-W6), else the open arrival deadline."""
    from django.utils.dateparse import parse_datetime

    call = wo.events.filter(data__has_key="promised_at").order_by("-at", "-pk").first()
    if call is not None:
        return parse_datetime(call.data["promised_at"])
    due = Deadline.objects.open().filter(
        work_order=wo, kind__in=[DeadlineKind.MOBILE_ARRIVE, DeadlineKind.RESIDENT_ARRIVE]).order_by("due_at").first()
    return due.due_at if due else None


def _tell_on_the_way(wo: WorkOrder, by: Staff, event, *, now: datetime) -> None:
    from django.utils import timezone

    from servicedesk.events import client_event

    arrival = _promised_arrival(wo)
    if arrival is None:
        return
    client_event.send(
        sender=WorkOrder, kind="on_the_way", client=wo.client, site=wo.site, event_key=f"on_the_way:event={event.pk}",
        params={"technician": by.name, "arrival": timezone.localtime(arrival).strftime("%H:%M"), "number": wo.number},
        now=now,
    )


def arrive(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "arrive", by=by, version=version)
        _meet(wo, [DeadlineKind.RESIDENT_ARRIVE, DeadlineKind.RESIDENT_ANSWER, DeadlineKind.MOBILE_ARRIVE], now=now)
        _stamp(wo, t, by=by, now=now)
        return wo


def handover(*, work_order, by: Staff, to: Staff, notes: str, now: datetime, version: int | None = None) -> HandOver:
    """R-W11: to the technical team lead, with notes; the team lead becomes the one responsible person."""
    with transaction.atomic():
        wo, t = _begin(work_order, "handover", by=by, version=version)
        notes = _required_text(notes, "notes", _("交接说明"))
        if to is None:
            raise DomainError(_("请选择接手的技术组长。"), field="to")
        to = Staff.objects.select_related("user").get(pk=to.pk if isinstance(to, Staff) else to)
        if not to.active or not to.has_role(Role.TEAM_LEAD):
            raise DomainError(_("%(name)s 不是技术组长,只能交接给技术组长。") % {"name": to.name}, field="to")
        if to.pk == by.pk:
            raise DomainError(_("不能交接给自己。"), field="to")
        status_before = wo.status
        _end_assignment(wo, now=now, reason=AssignmentEnd.HANDED_OVER)
        _drop_pending_deadlines(wo, now=now)
        Assignment.objects.create(work_order=wo, technician=to, by=by, at=now, data={"handover": True})
        record = HandOver.objects.create(
            work_order=wo, from_staff=by, to_staff=to, at=now, notes=notes, status_at_handover=status_before
        )
        wo.technician = to
        _stamp(wo, t, by=by, now=now, note=notes, data={"from": by.pk, "to": to.pk})
        return record


def cancel(*, work_order, by: Staff, reason: str, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "cancel", by=by, version=version)
        reason = _required_text(reason, "reason", _("取消原因"))
        _end_assignment(wo, now=now, reason=AssignmentEnd.CANCELLED)
        Deadline.objects.open().filter(work_order=wo).filter(due_at__gte=now).update(cancelled_at=now)
        Deadline.objects.open().filter(work_order=wo, kind=DeadlineKind.CARRY_IN_RETURN).update(cancelled_at=now)
        _stamp(wo, t, by=by, now=now, note=reason)
        return wo


def close(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "close", by=by, version=version)
        _stamp(wo, t, by=by, now=now)
        return wo
