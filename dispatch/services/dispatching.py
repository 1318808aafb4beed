"""Dispatch (R-W4…R-W8): assign or reassign a work order and open its response deadlines in one transaction;
the R-W5 resident-site preference and the R-W8 daily visit limit."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Channel, Role, ServiceMode
from servicedesk.choices import WorkOrderStatus as S
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Staff, WorkOrder
from servicedesk.params import get_param, get_params
from servicedesk.texts import Date, joined, message, render

from .. import lifecycle, selectors
from ..choices import AssignmentEnd, DeadlineKind, ResidentReason
from ..models import Assignment, CarryInRepair, Deadline
from .common import (
    _check_version,
    _drop_pending_deadlines,
    _end_assignment,
    _fmt,
    _local_date,
    _lock,
    _require_desk,
    _stamp,
    _transition,
)


class LoadLimitExceeded(ConflictError):
    """R-W8: the technician already has the day's maximum of visits; confirm with force=True."""

    def __init__(self, message, *, suggestions):
        super().__init__(message, code="load_limit")
        self.suggestions = suggestions


class ResidentReasonRequired(DomainError):
    """R-W5 decision: a resident-site request goes to that site's resident technicians; dispatching it to anyone
    else needs a reason (the residents on leave or busy), recorded on the assignment. HTTP 400 on `resident_reason`."""

    def __init__(self, message, *, residents):
        super().__init__(message, field="resident_reason", code="resident_reason")
        self.residents = residents


def resident_request_residents(work_order: WorkOrder) -> list[Staff] | None:
    """The active resident technicians of a resident-site request's site (R-W5); None when the order is not a
    resident-site request (the site is not a resident site, or the order is neither a resident-site request
    nor resident service)."""
    site = work_order.site
    if not site.resident or not (work_order.channel == Channel.RESIDENT_SITE or work_order.service_mode == ServiceMode.RESIDENT):
        return None
    return list(Staff.objects.active().filter(resident_site_id=site.pk).order_by("name"))


def _resident_reason(wo: WorkOrder, tech: Staff, reason: str, note: str) -> tuple[str, str, dict]:
    """R-W5 decision → (reason, note, inputs recorded on the assignment). Raises ResidentReasonRequired."""
    residents = resident_request_residents(wo)
    if residents is None:
        return "", "", {}
    ids = [r.pk for r in residents]
    inputs = {"rule": "R-W5", "site": wo.site_id, "residents": ids}
    if tech.pk in ids or not residents:
        # the site's own resident; or a resident site with nobody stationed now: nobody to prefer
        return "", "", inputs
    reason = (reason or "").strip()
    note = (note or "").strip()[:200]
    if reason not in ResidentReason.values:
        names = "、".join(r.name for r in residents)
        raise ResidentReasonRequired(
            _("R-W5:%(site)s 是驻点单位,驻点报修应派给驻点技术员(%(names)s)。派给 %(tech)s 请选择原因:驻点技术员休假或正忙。")
            % {"site": wo.site.name, "names": names, "tech": tech.name},
            residents=residents,
        )
    return reason, note, inputs


@dataclass
class DispatchResult:
    work_order: WorkOrder
    assignment: Assignment
    deadlines: list
    warnings: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)


SLA_PARAMS = {
    DeadlineKind.MOBILE_DEPART: ("sla.mobile_depart_minutes", "R-W4"),
    DeadlineKind.CONTACT_CLIENT: ("sla.contact_client_minutes", "R-W6"),
    DeadlineKind.RESIDENT_ARRIVE: ("sla.resident_arrive_minutes", "R-W5"),
    DeadlineKind.RESIDENT_ANSWER: ("sla.resident_phone_answer_minutes", "R-W5"),
}


def booked_for_later(*, work_order: WorkOrder, now: datetime) -> dict | None:
    """R-W4 decision: a mobile job whose required time is after dispatch + the set-off minutes + the travel
    allowance is booked for later. Returns the parameters read and the two due times, else None."""
    if work_order.service_mode != ServiceMode.MOBILE or lifecycle.is_carry_in(work_order) or not work_order.required_at:
        return None
    params = get_params(["sla.mobile_depart_minutes", "sla.travel_allowance_minutes"], on=_local_date(now))
    depart, allowance = params["sla.mobile_depart_minutes"], params["sla.travel_allowance_minutes"]
    required = work_order.required_at
    if required <= now + timedelta(minutes=int(depart.value)) + timedelta(minutes=int(allowance.value)):
        return None
    return {
        "required_at": required,
        "depart_due": required - timedelta(minutes=int(allowance.value)),
        "parameters": [depart.as_explanation(), allowance.as_explanation()],
        "allowance": int(allowance.value),
    }


def sla_kinds_for(*, work_order: WorkOrder, technician: Staff) -> tuple[list, bool]:
    """Which response deadlines a dispatch opens (decision):
    mobile → set off (R-W4) and call the client (R-W6); a job booked for later also gets an arrival
    deadline at the required time (R-W4 decision, see `booked_for_later`);
    resident → arrive in 5 min (R-W5), or, when the technician is busy on site with another repair,
    answer by phone in 1 min; team projects and carry-in repairs have none."""
    if lifecycle.is_carry_in(work_order):
        return [], False
    if work_order.service_mode == ServiceMode.MOBILE:
        return [DeadlineKind.MOBILE_DEPART, DeadlineKind.CONTACT_CLIENT], False
    if work_order.service_mode == ServiceMode.RESIDENT:
        busy = WorkOrder.objects.filter(technician=technician, status=S.ON_SITE).exclude(pk=work_order.pk).exists()
        return [DeadlineKind.RESIDENT_ANSWER if busy else DeadlineKind.RESIDENT_ARRIVE], busy
    return [], False


def _open_sla_deadlines(wo: WorkOrder, technician: Staff, *, now) -> list[Deadline]:
    kinds, busy = sla_kinds_for(work_order=wo, technician=technician)
    if not kinds:
        return []
    params = get_params([SLA_PARAMS[k][0] for k in kinds], on=_local_date(now))
    booked = booked_for_later(work_order=wo, now=now) if DeadlineKind.MOBILE_DEPART in kinds else None
    inputs = {"dispatched_at": now.isoformat(), "service_mode": wo.service_mode, "technician_busy": busy}
    rows = []
    for kind in kinds:
        name, rule = SLA_PARAMS[kind]
        p = params[name]
        due = now + timedelta(minutes=int(p.value))
        text = message(N_("%(rule)s:派单后 %(n)s 分钟内"), rule=rule, n=p.value)
        parameters = [p.as_explanation()]
        row_inputs = inputs
        if kind == DeadlineKind.MOBILE_DEPART and booked:
            due = booked["depart_due"]
            parameters = booked["parameters"]
            row_inputs = {**inputs, "required_at": booked["required_at"].isoformat()}
            text = message(N_("%(rule)s:预约上门,要求到达时间 %(at)s 前 %(n)s 分钟出发"),
                           rule=rule, at=Date(booked["required_at"]), n=booked["allowance"])
        rows.append(
            Deadline(
                work_order=wo,
                kind=kind,
                rule=rule,
                technician=technician,
                starts_at=now,
                due_at=due,
                explanation={"rule": rule, "inputs": row_inputs, "parameters": parameters, "text": text},
            )
        )
    if booked:
        # R-W4 decision: arriving after the required time is also a late response (scanned like the others).
        rows.append(
            Deadline(
                work_order=wo,
                kind=DeadlineKind.MOBILE_ARRIVE,
                rule="R-W4",
                technician=technician,
                starts_at=now,
                due_at=booked["required_at"],
                explanation={
                    "rule": "R-W4",
                    "inputs": {**inputs, "required_at": booked["required_at"].isoformat()},
                    "parameters": booked["parameters"],
                    "text": message(N_("R-W4:预约上门,须在要求到达时间 %(at)s 前到达"), at=Date(booked["required_at"])),
                },
            )
        )
    return Deadline.objects.bulk_create(rows)


def _who_dispatched(wo: WorkOrder) -> str:
    a = Assignment.objects.filter(work_order=wo, ended_at__isnull=True).select_related("by", "technician").first()
    if a is None:
        return ""
    return _("该工单已由 %(who)s 于 %(at)s 派给 %(tech)s。") % {
        "who": a.by.name if a.by else _("系统"),
        "at": _fmt(a.at),
        "tech": a.technician.name,
    }


def _check_not_dispatched_twice(wo: WorkOrder, version) -> None:
    """Double dispatch: a second coordinator who dispatched from the same version (or without one, once the order
    already has a technician) is told who dispatched."""
    if version is not None and int(version) != wo.version and wo.technician_id:
        raise ConflictError(_who_dispatched(wo) + _("请刷新后再操作。"), code="already_dispatched")
    _check_version(wo, version)


def _dispatchable_technician(wo: WorkOrder, technician) -> Staff:
    tech = Staff.objects.select_related("user").get(pk=technician.pk if isinstance(technician, Staff) else technician)
    if not tech.active or not tech.has_role(Role.TECHNICIAN, Role.TEAM_LEAD):
        raise DomainError(_("%(name)s 不是在职的技术员。") % {"name": tech.name}, field="technician")
    if wo.technician_id == tech.pk:
        raise ConflictError(_("工单已派给 %(name)s。") % {"name": tech.name}, code="already_dispatched")
    return tech


def _resident_reason_text(reason: str, note: str) -> dict:
    """R-W5: the reason's label (read in the reader's language) and what the coordinator typed, as written."""
    if note.strip():
        return message(N_("%(reason)s %(note)s"), reason=ResidentReason(reason).label, note=note.strip())
    return message(ResidentReason(reason).label)


def _check_load_limit(wo: WorkOrder, tech: Staff, *, now: datetime, force: bool) -> tuple[list, list, list]:
    """R-W8: the technician's visit beyond `dispatch.max_visits_per_day` raises LoadLimitExceeded (with the
    least-loaded technicians of the same area) unless `force`, which keeps the message as a warning.
    Returns (warnings, suggestions — none once forced, the warnings as stored messages); carry-in repairs are no visit."""
    if lifecycle.is_carry_in(wo):
        return [], [], []
    # R-W8 decision: count the visits of the day this visit happens (its required time; the dispatch day
    # for "as soon as possible"), so three jobs booked for tomorrow make tomorrow full.
    day = selectors.visit_day(required_at=wo.required_at, dispatched_at=now)
    limit = get_param("dispatch.max_visits_per_day", on=day)
    visits = selectors.visits_by_technician(on=day, technician_ids=[tech.pk]).get(tech.pk, 0)
    if visits < limit.value:
        return [], [], []
    # rule 7: the warning is kept on the work order's history as a message, read in the reader's language
    stored = message(
        N_("R-W8:%(name)s %(day)s 已有 %(n)s 次上门(上限 %(max)s 次),这将是第 %(next)s 次。"),
        name=tech.name, day=day.isoformat(), n=visits, max=limit.value, next=visits + 1,
    )
    if force:
        # confirmed "dispatch anyway": the coordinator saw the suggestions when the dispatch was refused; the
        # override is recorded with the count, and the suggestions (a fifth of a dispatch's work) are not recomputed
        return [render(stored)], [], [stored]
    wo_site = WorkOrder.objects.select_related("site").get(pk=wo.pk)
    # the least-loaded technician of the same area first, the usual one only breaks ties; nobody on
    # leave that day (suggest_technicians skips them)
    suggestions = selectors.least_loaded_first(
        selectors.suggest_technicians(work_order=wo_site, on=day, limit=limit.value, exclude_ids={tech.pk})
    )
    if suggestions:
        best = suggestions[0]
        stored = message(
            N_("%(limit)s建议改派同区域负荷最少的 %(name)s(当天 %(n)s 次)。"), limit=stored, name=best.staff.name,
            n=best.visits_today,
        )
    raise LoadLimitExceeded(render(stored) + _("确认仍要派单请勾选“确认超限派单”。"), suggestions=suggestions)


def expected_arrival(wo: WorkOrder, deadlines: list[Deadline], *, now: datetime) -> datetime | None:
    """When the client may expect the technician: the booked time if it is still ahead, else the arrival deadline
    just opened (R-W4/R-W5), else none (a carry-in order, a deadline kept from before)."""
    if wo.required_at and wo.required_at > now:
        return wo.required_at
    arrive = [d.due_at for d in deadlines if d.kind in (DeadlineKind.MOBILE_ARRIVE, DeadlineKind.RESIDENT_ARRIVE)]
    return min(arrive) if arrive else None


def _tell_dispatched(wo: WorkOrder, tech: Staff, assignment: Assignment, deadlines, *, now: datetime) -> None:
    """In the dispatch's transaction: the technician's alert (in-app, and their chosen channel) and the client's
    "技术员 X 已接单,预计 HH:MM 到达" (servicedesk.events.client_event → messaging)."""
    from django.utils import timezone

    from servicedesk.events import client_event
    from servicedesk.notifications import notify

    notify(recipients=[tech], key=f"dispatch.new.{assignment.pk}",
           message=message(N_("新派单:工单 %(number)s,%(site)s"), number=wo.number, site=str(wo.site)),
           link=f"/core/work-orders/{wo.pk}/", now=now)
    arrival = expected_arrival(wo, deadlines, now=now)
    if arrival is None:
        return
    client_event.send(
        sender=WorkOrder, kind="dispatched", client=wo.client, site=wo.site, event_key=f"dispatched:assignment={assignment.pk}",
        params={"technician": tech.name, "arrival": timezone.localtime(arrival).strftime("%H:%M"), "number": wo.number},
        now=now,
    )


def dispatch_work_order(
    *, work_order, technician: Staff, by: Staff, now: datetime, version: int | None = None, force: bool = False,
    resident_reason: str = "", resident_reason_note: str = "",
) -> DispatchResult:
    """Assign (or reassign) a work order and open its SLA deadlines in the same transaction (R-W4…R-W6).

    Double dispatch: the row is locked; a second coordinator who dispatched from the same version (or
    without one, once the order already has a technician) gets a ConflictError naming who dispatched.
    Reassigning requires the version the coordinator saw.
    R-W8: the technician's visit beyond `dispatch.max_visits_per_day` raises LoadLimitExceeded (409, with
    the least-loaded technicians of the same area) unless `force=True`, which records the override.
    R-W5: a resident-site request dispatched to anyone but the site's resident technicians needs
    `resident_reason` (ResidentReasonRequired otherwise), recorded on the assignment."""
    with transaction.atomic():
        wo = _lock(work_order)
        _check_not_dispatched_twice(wo, version)
        _require_desk(by)
        if wo.technician_id and version is None:
            raise ConflictError(
                _who_dispatched(wo) + _("如需改派,请在最新的页面上操作。"), code="already_dispatched"
            )
        t = _transition(wo, "dispatch")
        tech = _dispatchable_technician(wo, technician)
        r_reason, r_note, r_inputs = _resident_reason(wo, tech, resident_reason, resident_reason_note)
        warnings, suggestions, stored_warnings = _check_load_limit(wo, tech, now=now, force=force)
        was_reassign = wo.technician_id is not None
        _end_assignment(wo, now=now, reason=AssignmentEnd.REASSIGNED)
        _drop_pending_deadlines(wo, now=now)
        data = {"warnings": warnings}
        if r_inputs:
            data["resident_request"] = r_inputs
        assignment = Assignment.objects.create(
            work_order=wo, technician=tech, by=by, at=now, load_warning_overridden=bool(warnings), data=data,
            resident_reason=r_reason, resident_reason_note=r_note,
        )
        wo.technician = tech
        _stamp(
            wo,
            t,
            by=by,
            now=now,
            note=joined(stored_warnings + ([_resident_reason_text(r_reason, r_note)] if r_reason else [])),
            data={"technician": tech.pk, "reassign": was_reassign, "load_warning": warnings, "resident_reason": r_reason},
        )
        deadlines = _open_sla_deadlines(wo, tech, now=now)
        if t.to == S.RECEIVED:
            CarryInRepair.objects.get_or_create(work_order=wo, defaults={"received_at": now})
        _tell_dispatched(wo, tech, assignment, deadlines, now=now)
        return DispatchResult(wo, assignment, deadlines, warnings, suggestions)
