"""Work-order lifecycle and dispatch (SPEC §3, R-W3…R-W14).

Every service: keyword-only arguments, an explicit `now`, one transaction, the work-order row locked
(`select_for_update`), the optional `version` compared (stale forms after a reassignment are refused),
the transition looked up in `lifecycle.TRANSITIONS`, a `WorkOrderEvent` stamped (who, when, from, to,
holder) and `WorkOrder.version` bumped.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.choices import Channel, Role, ServiceMode
from servicedesk.choices import WorkOrderStatus as S
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Staff, WorkOrder, WorkOrderEvent
from servicedesk.params import get_param, get_params

from . import lifecycle, selectors
from .choices import AssignmentEnd, DeadlineKind, ResidentReason
from .models import Assignment, CarryInRepair, ClientChase, CloseOut, Deadline, HandOver, Refusal

DESK_ROLES = (Role.COORDINATOR, Role.MANAGER)

ACTION_LABELS = {
    "dispatch": gettext_lazy("派单"),
    "accept": gettext_lazy("接单"),
    "refuse": gettext_lazy("拒单"),
    "contact": gettext_lazy("联系客户"),
    "depart": gettext_lazy("出发"),
    "arrive": gettext_lazy("到达"),
    "resolve": gettext_lazy("完成服务"),
    "handover": gettext_lazy("交接"),
    "close": gettext_lazy("关闭"),
    "cancel": gettext_lazy("取消"),
    "diagnose": gettext_lazy("开始检测"),
    "ask_consent": gettext_lazy("告知客户并征求意见"),
    "record_consent": gettext_lazy("记录客户同意维修"),
    "record_decline": gettext_lazy("记录客户不修"),
    "start_repair": gettext_lazy("开始维修"),
    "start_testing": gettext_lazy("开始测试"),
    "finish_testing": gettext_lazy("测试完成"),
    "return_device": gettext_lazy("返还设备"),
    "mark_irregular": gettext_lazy("判定服务单不规范"),
    "client_chase": gettext_lazy("客户来电催问"),
}


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


# ---------------------------------------------------------------- helpers
def _local_date(now: datetime) -> date:
    return timezone.localtime(now).date()


def _lock(work_order) -> WorkOrder:
    pk = work_order.pk if isinstance(work_order, WorkOrder) else work_order
    try:
        return WorkOrder.objects.select_for_update().get(pk=pk)
    except WorkOrder.DoesNotExist:
        raise DomainError(_("工单不存在。"), field="work_order")


def _fmt(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M")


def _check_version(wo: WorkOrder, version) -> None:
    if version is None or int(version) == wo.version:
        return
    last = WorkOrderEvent.objects.filter(work_order=wo).select_related("by", "holder").order_by("-at", "-id").first()
    raise ConflictError(
        _("工单 %(number)s 在您打开之后已被修改:%(who)s 于 %(at)s %(action)s,当前负责人 %(holder)s,状态“%(status)s”。请刷新后重试。")
        % {
            "number": wo.number,
            "who": (last.by.name if last and last.by else _("系统")),
            "at": _fmt(last.at) if last else "",
            "action": ACTION_LABELS.get(last.action, last.action) if last else "",
            "holder": wo.technician.name if wo.technician_id else _("无"),
            "status": wo.get_status_display(),
        },
        code="stale_version",
    )


def _is_desk(by) -> bool:
    return by is not None and (by.user.is_superuser or by.has_role(*DESK_ROLES))


def _require_desk(by) -> None:
    if not _is_desk(by):
        raise PermissionDenied(_("只有协调员或部门经理可以执行此操作。"))


def _require_holder(wo: WorkOrder, by) -> None:
    if by is None or wo.technician_id != by.pk:
        raise PermissionDenied(_("只能操作由您本人负责的工单。"))


def _transition(wo: WorkOrder, action: str) -> lifecycle.Transition:
    t = lifecycle.find_transition(wo, action)
    if t is None:
        raise ConflictError(
            _("工单 %(number)s 当前状态为“%(status)s”,不能%(action)s。")
            % {"number": wo.number, "status": wo.get_status_display(), "action": ACTION_LABELS.get(action, action)},
            code="illegal_transition",
        )
    return t


def _begin(work_order, action: str, *, by, version) -> tuple[WorkOrder, lifecycle.Transition]:
    """Lock, compare the version, check who may act, look the transition up (in that order)."""
    wo = _lock(work_order)
    _check_version(wo, version)
    actor = lifecycle.actor_of(action)
    if actor == lifecycle.DESK:
        _require_desk(by)
    else:
        _require_holder(wo, by)
    return wo, _transition(wo, action)


def _stamp(wo: WorkOrder, t: lifecycle.Transition, *, by, now, note: str = "", data=None, action=None) -> WorkOrderEvent:
    from_status = wo.status
    if t.to is not None:
        wo.status = t.to
    wo.version += 1
    wo.save(update_fields=["status", "technician", "version", "updated_at"])
    return WorkOrderEvent.objects.create(
        work_order=wo,
        at=now,
        by=by,
        action=action or t.action,
        from_status=from_status,
        to_status=wo.status,
        holder=wo.technician,
        note=note[:2000],
        data=data or {},
    )


def _required_text(value, field: str, label) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(_("请填写%(label)s。") % {"label": label}, field=field)
    return value


def _end_assignment(wo: WorkOrder, *, now, reason) -> None:
    Assignment.objects.filter(work_order=wo, ended_at__isnull=True).update(ended_at=now, end_reason=reason)


def _drop_pending_deadlines(wo: WorkOrder, *, now) -> None:
    """Deadlines not yet due are void when the holder changes; overdue ones stay and are breached (R-W7)."""
    Deadline.objects.open().filter(work_order=wo, due_at__gte=now).exclude(kind=DeadlineKind.CARRY_IN_RETURN).update(
        cancelled_at=now
    )


def _meet(wo: WorkOrder, kinds, *, now) -> None:
    Deadline.objects.open().filter(work_order=wo, kind__in=kinds, technician_id=wo.technician_id).update(met_at=now)


# ---------------------------------------------------------------- dispatch (R-W4…R-W8)
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
        text = _("%(rule)s:派单后 %(n)s 分钟内") % {"rule": rule, "n": p.value}
        parameters = [p.as_explanation()]
        row_inputs = inputs
        if kind == DeadlineKind.MOBILE_DEPART and booked:
            due = booked["depart_due"]
            parameters = booked["parameters"]
            row_inputs = {**inputs, "required_at": booked["required_at"].isoformat()}
            text = _("%(rule)s:预约上门,要求到达时间 %(at)s 前 %(n)s 分钟出发") % {
                "rule": rule, "at": _fmt(booked["required_at"]), "n": booked["allowance"]
            }
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
                    "text": _("R-W4:预约上门,须在要求到达时间 %(at)s 前到达") % {"at": _fmt(booked["required_at"])},
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
        if version is not None and int(version) != wo.version and wo.technician_id:
            raise ConflictError(_who_dispatched(wo) + _("请刷新后再操作。"), code="already_dispatched")
        _check_version(wo, version)
        _require_desk(by)
        if wo.technician_id and version is None:
            raise ConflictError(
                _who_dispatched(wo) + _("如需改派,请在最新的页面上操作。"), code="already_dispatched"
            )
        t = _transition(wo, "dispatch")
        tech = Staff.objects.select_related("user").get(pk=technician.pk if isinstance(technician, Staff) else technician)
        if not tech.active or not tech.has_role(Role.TECHNICIAN, Role.TEAM_LEAD):
            raise DomainError(_("%(name)s 不是在职的技术员。") % {"name": tech.name}, field="technician")
        if wo.technician_id == tech.pk:
            raise ConflictError(_("工单已派给 %(name)s。") % {"name": tech.name}, code="already_dispatched")
        on = _local_date(now)
        r_reason, r_note, r_inputs = _resident_reason(wo, tech, resident_reason, resident_reason_note)
        warnings, suggestions = [], []
        if not lifecycle.is_carry_in(wo):
            # R-W8 decision: count the visits of the day this visit happens (its required time; the dispatch day
            # for "as soon as possible"), so three jobs booked for tomorrow make tomorrow full.
            day = selectors.visit_day(required_at=wo.required_at, dispatched_at=now)
            limit = get_param("dispatch.max_visits_per_day", on=day)
            visits = selectors.visits_by_technician(on=day, technician_ids=[tech.pk]).get(tech.pk, 0)
            if visits >= limit.value:
                wo_site = WorkOrder.objects.select_related("site").get(pk=wo.pk)
                # the least-loaded technician of the same area first, the usual one only breaks ties; nobody on
                # leave that day (suggest_technicians skips them)
                suggestions = selectors.least_loaded_first(
                    selectors.suggest_technicians(work_order=wo_site, on=day, limit=limit.value, exclude_ids={tech.pk})
                )
                message = _("R-W8:%(name)s %(day)s 已有 %(n)s 次上门(上限 %(max)s 次),这将是第 %(next)s 次。") % {
                    "name": tech.name,
                    "day": day.isoformat(),
                    "n": visits,
                    "max": limit.value,
                    "next": visits + 1,
                }
                if suggestions:
                    best = suggestions[0]
                    message += _("建议改派同区域负荷最少的 %(name)s(当天 %(n)s 次)。") % {
                        "name": best.staff.name,
                        "n": best.visits_today,
                    }
                if not force:
                    raise LoadLimitExceeded(message + _("确认仍要派单请勾选“确认超限派单”。"), suggestions=suggestions)
                warnings.append(message)
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
            note="; ".join(warnings + ([f"{ResidentReason(r_reason).label} {r_note}".strip()] if r_reason else [])),
            data={"technician": tech.pk, "reassign": was_reassign, "load_warning": warnings, "resident_reason": r_reason},
        )
        deadlines = _open_sla_deadlines(wo, tech, now=now)
        if t.to == S.RECEIVED:
            CarryInRepair.objects.get_or_create(work_order=wo, defaults={"received_at": now})
        return DispatchResult(wo, assignment, deadlines, warnings, suggestions)


NEW_SITE_FIELDS = {"name": "site_name", "address": "address", "area": "area", "contact_name": "site_contact", "phone": "site_phone"}


def check_new_client(*, client_fields: dict, site_fields: dict) -> None:
    """R-W1 intake of a caller who is not yet a client: the client's and its first site's fields validated together,
    so every mistake is named at once (site fields by the names the intake page gives them)."""
    from servicedesk.models import Client, Site

    errors = {}
    client = Client(**client_fields)
    try:
        client.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        Site(client=client, **site_fields).full_clean(exclude=["client"], validate_unique=False)
    except ValidationError as exc:
        errors.update({NEW_SITE_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def intake_new_client(*, client_fields: dict, site_fields: dict, order_fields: dict, by: Staff, now: datetime) -> WorkOrder:
    """Issue 13 §10 (R-W1): a caller who is not yet a client — the coordinator creates the client, its first
    site and the work order in one transaction; any invalid field rolls all three back (all named at once)."""
    from servicedesk.models import Client, Site
    from servicedesk.services import create_work_order, save_record

    _require_desk(by)
    check_new_client(client_fields=client_fields, site_fields=site_fields)
    with transaction.atomic():
        client = save_record(Client(), **client_fields)
        try:
            site = save_record(Site(client=client), **site_fields)
        except ValidationError as exc:  # named as the intake page names them
            raise ValidationError({NEW_SITE_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})
        fields = {k: v for k, v in order_fields.items() if k not in ("client", "site", "equipment")}
        if not fields.get("contact_name"):
            fields["contact_name"] = site.contact_name
        if not fields.get("contact_phone"):
            fields["contact_phone"] = site.phone
        return create_work_order(by=by, now=now, client=client, site=site, **fields)


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
            wo, t, by=by, now=now, note=_("承诺 %(at)s 到达") % {"at": _fmt(promised_at)}, data={"promised_at": promised_at.isoformat()}
        )
        return wo


def depart(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    """R-W4: set off."""
    with transaction.atomic():
        wo, t = _begin(work_order, "depart", by=by, version=version)
        _meet(wo, [DeadlineKind.MOBILE_DEPART], now=now)
        _stamp(wo, t, by=by, now=now)
        return wo


def arrive(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "arrive", by=by, version=version)
        _meet(wo, [DeadlineKind.RESIDENT_ARRIVE, DeadlineKind.RESIDENT_ANSWER, DeadlineKind.MOBILE_ARRIVE], now=now)
        _stamp(wo, t, by=by, now=now)
        return wo


# ---------------------------------------------------------------- close-out (R-W10, R-W14)
CLOSE_OUT_REQUIRED = {
    "work_done": gettext_lazy("工作内容"),
    "fault_cause": gettext_lazy("故障原因"),
    "advice": gettext_lazy("给客户的建议"),
    "started_at": gettext_lazy("开始时间"),
    "ended_at": gettext_lazy("结束时间"),
    "signature_name": gettext_lazy("客户签名(姓名)"),
    "completed_at": gettext_lazy("完成时间"),
}


def clean_lines(lines) -> list[dict]:
    """Close-out lines validated by billing's own rules (one source of truth), as JSON-safe dicts."""
    from billing.services import clean_lines as billing_clean_lines

    try:
        return [line.fingerprint() for line in billing_clean_lines(list(lines or []))]
    except DomainError as exc:
        raise ValidationError({"lines": [str(exc.message)]})


SIGNATURE_PREFIX = "data:image/svg+xml;base64,"
SIGNATURE_MAX_CHARS = 200_000  # technical bound of the stored data URL (~150 KB of SVG), not a SPEC number
_SIGNATURE_FORBIDDEN = (b"<script", b"javascript:", b"<foreignobject", b"<iframe", b"<image", b"<use", b"href", b"<!entity", b"<!doctype")


def clean_signature_drawing(value) -> str:
    """Issue 13 §14: the client's drawn signature is an SVG data URL (signature_pad `toDataURL("image/svg+xml")`)
    of bounded size whose SVG holds only drawing: no script, no event handler, no external reference.
    Empty = not drawn (the typed name stays the required signature, R-W10). It is only ever shown as
    `<img src="data:…">`, never inlined into a page."""
    import base64
    import binascii
    import re

    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > SIGNATURE_MAX_CHARS:
        raise DomainError(_("手写签名过大,请清除后重新签名。"), field="signature_drawing")
    if not value.startswith(SIGNATURE_PREFIX):
        raise DomainError(_("手写签名格式无效(须为 SVG 图像)。"), field="signature_drawing")
    try:
        svg = base64.b64decode(value[len(SIGNATURE_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        raise DomainError(_("手写签名格式无效(须为 SVG 图像)。"), field="signature_drawing")
    head = svg.lstrip()[:200].lower()
    lowered = svg.lower()
    if not (head.startswith(b"<svg") or head.startswith(b"<?xml")) or b"</svg>" not in lowered:
        raise DomainError(_("手写签名格式无效(须为 SVG 图像)。"), field="signature_drawing")
    if any(bad in lowered for bad in _SIGNATURE_FORBIDDEN) or re.search(rb"\son[a-z]+\s*=", lowered):
        raise DomainError(_("手写签名含有不允许的内容。"), field="signature_drawing")
    return value


def find_previous_visit(*, work_order: WorkOrder, completed_at: datetime) -> CloseOut | None:
    """R-W14 decision: "the same fault" = the same client, the same equipment (by record, or by serial when
    the intake had no equipment record) and the same service content, resolved within
    `second_service.window_days` before this completion."""
    days = get_param("second_service.window_days", on=_local_date(completed_at))
    qs = CloseOut.objects.filter(
        work_order__client_id=work_order.client_id,
        work_order__content=work_order.content,
        completed_at__gte=completed_at - timedelta(days=days.value),
        completed_at__lte=completed_at,
    ).exclude(work_order=work_order)
    if work_order.equipment_id:
        qs = qs.filter(work_order__equipment_id=work_order.equipment_id)
    elif work_order.equipment_serial:
        qs = qs.filter(work_order__equipment_serial=work_order.equipment_serial)
    else:
        return None
    return qs.order_by("-completed_at").first()


def resolve(
    *,
    work_order,
    by: Staff,
    now: datetime,
    work_done: str = "",
    fault_cause: str = "",
    advice: str = "",
    software_installed: str = "",
    lines=(),
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    signature_name: str = "",
    completed_at: datetime | None = None,
    version: int | None = None,
    signature_drawing: str = "",
) -> CloseOut:
    """R-W10 close-out: every required item present (missing ones named), times consistent with the
    arrival, lines priced and recorded by billing in the same transaction; R-W14 second service marked.

    Hook for callbacks (SPEC §4): this transaction is where the callback row is to be scheduled."""
    from billing.services import record_visit_charges
    from callbacks.services import schedule_callback

    with transaction.atomic():
        wo, t = _begin(work_order, "resolve", by=by, version=version)
        values = {
            "work_done": (work_done or "").strip(),
            "fault_cause": (fault_cause or "").strip(),
            "advice": (advice or "").strip(),
            "signature_name": (signature_name or "").strip(),
            "started_at": started_at,
            "ended_at": ended_at,
            "completed_at": completed_at,
        }
        errors = {
            name: [_("服务单缺少必填项:%(label)s。") % {"label": label}]
            for name, label in CLOSE_OUT_REQUIRED.items()
            if not values[name]
        }
        arrived = (
            WorkOrderEvent.objects.filter(work_order=wo, action="arrive").order_by("-at").values_list("at", flat=True).first()
        )
        if started_at and ended_at and ended_at < started_at:
            errors.setdefault("ended_at", []).append(_("结束时间不能早于开始时间。"))
        if arrived and started_at and started_at < arrived - timedelta(minutes=1):
            errors.setdefault("started_at", []).append(_("开始时间不能早于到达时间(%(at)s)。") % {"at": _fmt(arrived)})
        if completed_at:
            # the page's times have minute precision: a completion in the arrival's own minute is not "before" it
            # (a technician who arrived at 10:03:40 and submits the pre-filled 10:03 is never refused)
            if arrived and completed_at < arrived.replace(second=0, microsecond=0):
                errors.setdefault("completed_at", []).append(_("完成时间不能早于到达时间(%(at)s)。") % {"at": _fmt(arrived)})
            if completed_at > now + timedelta(minutes=5):
                errors.setdefault("completed_at", []).append(_("完成时间不能晚于现在。"))
            if ended_at and completed_at < ended_at:
                errors.setdefault("completed_at", []).append(_("完成时间不能早于结束时间。"))
        try:
            clean = clean_lines(lines)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            clean = []
        try:
            drawing = clean_signature_drawing(signature_drawing)
        except DomainError as exc:
            errors.setdefault("signature_drawing", []).append(str(exc.message))
        if errors:
            raise ValidationError(errors)
        on = _local_date(completed_at)
        max_minutes = get_param("visit.max_duration_minutes", on=on)
        over = (ended_at - started_at) > timedelta(minutes=max_minutes.value)
        previous = find_previous_visit(work_order=wo, completed_at=completed_at)
        close_out = CloseOut.objects.create(
            work_order=wo,
            technician=by,
            work_done=values["work_done"],
            fault_cause=values["fault_cause"],
            advice=values["advice"],
            software_installed=(software_installed or "").strip(),
            lines=clean,
            started_at=started_at,
            ended_at=ended_at,
            signature_name=values["signature_name"],
            signature_drawing=drawing,
            completed_at=completed_at,
            recorded_at=now,
            over_duration=over,
            second_service_of=previous.work_order if previous else None,
            explanation={
                "R-W10": {"minutes": int((ended_at - started_at).total_seconds() // 60), "parameters": [max_minutes.as_explanation()]},
                "R-W14": {
                    "previous_work_order": previous.work_order_id if previous else None,
                    "parameters": [get_param("second_service.window_days", on=on).as_explanation()],
                },
            },
        )
        if previous:
            wo.is_second_service = True
            wo.save(update_fields=["is_second_service"])
        record_visit_charges(work_order=wo, lines=clean, by=by, on=on, now=now)
        _stamp(
            wo,
            t,
            by=by,
            now=now,
            note=values["work_done"][:200],
            data={"close_out": close_out.pk, "over_duration": over, "second_service": bool(previous)},
        )
        # R-K1: the callback row is written in the same transaction as the resolution.
        schedule_callback(work_order=wo, completed_at=completed_at, part_replaced=close_out.part_replaced)
        # R-S1: a charged visit becomes its sales confirmation in the same transaction (none when free, never twice).
        from receivables.services import sale_from_visit

        sale_from_visit(work_order=wo, technician=by, completed_on=on, now=now)
        return close_out


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


# ---------------------------------------------------------------- penalties (R-W9, R-W10, R-W7, R-W12)
def _propose(**kwargs):
    from penalties.services import propose

    return propose(**kwargs)


def judge_refusal(*, refusal: Refusal, unjustified: bool, note: str = "", by: Staff, now: datetime) -> Refusal:
    """R-W9: the coordinator marks a refusal unjustified → P1 proposal (the manager decides the points)."""
    _require_desk(by)
    with transaction.atomic():
        row = Refusal.objects.select_for_update().get(pk=refusal.pk)
        if row.judged_at is not None:
            raise ConflictError(
                _("该拒单已由 %(who)s 于 %(at)s 判定。") % {"who": row.judged_by.name if row.judged_by else "", "at": _fmt(row.judged_at)}
            )
        if unjustified:
            note = _required_text(note, "note", _("判定说明"))
        row.unjustified = bool(unjustified)
        row.judged_by = by
        row.judged_at = now
        row.judgement_note = (note or "").strip()
        row.save()
        if row.unjustified:
            _propose(
                person=row.technician,
                rule="P1",
                source=row,
                reason=_("R-W9:拒绝协调员派单(工单 %(number)s),原因“%(reason)s”被判定为无正当理由:%(note)s")
                % {"number": row.work_order.number, "reason": row.reason, "note": row.judgement_note},
                on=_local_date(row.at),
                by=by,
            )
        return row


def mark_irregular(*, close_out: CloseOut, reason: str, by: Staff, now: datetime) -> CloseOut:
    """R-W10: a service form found irregular later → P4 proposal for the technician who filled it."""
    _require_desk(by)
    with transaction.atomic():
        row = CloseOut.objects.select_for_update().get(pk=close_out.pk)
        reason = _required_text(reason, "reason", _("不规范原因"))
        if row.irregular:
            raise ConflictError(_("该服务单已被判定为不规范。"))
        row.irregular, row.irregular_by, row.irregular_at, row.irregular_reason = True, by, now, reason
        row.save()
        _propose(
            person=row.technician,
            rule="P4",
            source=row,
            reason=_("R-W10:服务单填写不规范(工单 %(number)s):%(reason)s") % {"number": row.work_order.number, "reason": reason},
            on=_local_date(row.completed_at),
            by=by,
        )
        WorkOrderEvent.objects.create(
            work_order_id=row.work_order_id, at=now, by=by, action="mark_irregular", note=reason, holder_id=row.work_order.technician_id,
            from_status=row.work_order.status, to_status=row.work_order.status,
        )
        return row


# ---------------------------------------------------------------- carry-in repairs (R-W12, R-W13)
def _carry_in(wo: WorkOrder, now) -> CarryInRepair:
    rec, _created = CarryInRepair.objects.get_or_create(work_order=wo, defaults={"received_at": now})
    return rec


def diagnose(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "diagnose", by=by, version=version)
        _carry_in(wo, now)
        _stamp(wo, t, by=by, now=now)
        return wo


def ask_consent(
    *, work_order, by: Staff, diagnosis: str, expected_ready_on: date, now: datetime, version: int | None = None
) -> CarryInRepair:
    """R-W12: after first diagnosis, tell the client the expected repair time and ask whether to continue."""
    with transaction.atomic():
        wo, t = _begin(work_order, "ask_consent", by=by, version=version)
        diagnosis = _required_text(diagnosis, "diagnosis", _("检测结论"))
        if expected_ready_on is None:
            raise DomainError(_("请填写预计修好日期。"), field="expected_ready_on")
        if expected_ready_on < _local_date(now):
            raise DomainError(_("预计修好日期不能早于今天。"), field="expected_ready_on")
        rec = _carry_in(wo, now)
        rec.diagnosis, rec.expected_ready_on, rec.client_told_at = diagnosis, expected_ready_on, now
        rec.save()
        _stamp(wo, t, by=by, now=now, note=diagnosis, data={"expected_ready_on": expected_ready_on.isoformat()})
        return rec


def _open_return_deadline(wo: WorkOrder, *, now) -> Deadline:
    """R-W13: a finished device leaves the company within `carry_in.return_within_days`; warn before."""
    on = _local_date(now)
    days = get_param("carry_in.return_within_days", on=on)
    hours = get_param("carry_in.return_warning_hours", on=on)
    due = now + timedelta(days=days.value)
    return Deadline.objects.create(
        work_order=wo,
        kind=DeadlineKind.CARRY_IN_RETURN,
        rule="R-W13",
        technician=wo.technician,
        starts_at=now,
        due_at=due,
        warn_at=due - timedelta(hours=hours.value),
        explanation={
            "rule": "R-W13",
            "inputs": {"completed_at": now.isoformat()},
            "parameters": [days.as_explanation(), hours.as_explanation()],
        },
    )


def record_client_answer(
    *, work_order, by: Staff, continue_repair: bool, note: str = "", now: datetime, version: int | None = None
) -> CarryInRepair:
    """R-W12: the client's choice is recorded and followed (continue → repairing; stop → ready for return)."""
    action = "record_consent" if continue_repair else "record_decline"
    with transaction.atomic():
        wo, t = _begin(work_order, action, by=by, version=version)
        rec = _carry_in(wo, now)
        rec.client_continue, rec.client_answer_note, rec.client_answered_at = bool(continue_repair), (note or "").strip(), now
        if not continue_repair:
            rec.completed_at = now
            rec.completion_remark = _("客户不同意继续维修,设备未修复,可以返回")
        rec.save()
        _stamp(wo, t, by=by, now=now, note=note or "", data={"continue": bool(continue_repair)})
        if not continue_repair:
            _open_return_deadline(wo, now=now)
        return rec


def start_repair(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "start_repair", by=by, version=version)
        _stamp(wo, t, by=by, now=now)
        return wo


def start_testing(*, work_order, by: Staff, now: datetime, version: int | None = None) -> WorkOrder:
    with transaction.atomic():
        wo, t = _begin(work_order, "start_testing", by=by, version=version)
        rec = _carry_in(wo, now)
        rec.testing_started_at = now
        rec.save()
        _stamp(wo, t, by=by, now=now)
        return wo


def finish_testing(
    *, work_order, by: Staff, test_days: int, now: datetime, version: int | None = None, lines=()
) -> CarryInRepair:
    """R-W13: "设备测试N天,已无故障,可以返回"; handed to the coordinator with the return deadline.

    The finished repair is priced by the same rules as a visit (R-P1…R-P5 and the entitlements R-B1…R-B8, e.g.
    an LCD monitor ¥150), without an on-site fee (nobody went on site), and the charge is recorded by billing
    in this transaction; it becomes the sales confirmation when the device is returned (`return_device`)."""
    from billing.services import record_visit_charges

    with transaction.atomic():
        wo, t = _begin(work_order, "finish_testing", by=by, version=version)
        try:
            test_days = int(test_days)
        except (TypeError, ValueError):
            test_days = 0
        if test_days < 1:
            raise DomainError(_("测试天数至少为 1 天。"), field="test_days")
        clean = clean_lines(lines)
        rec = _carry_in(wo, now)
        rec.test_days, rec.completed_at = test_days, now
        rec.completion_remark = _("设备测试%(n)s天,已无故障,可以返回") % {"n": test_days}
        rec.save()
        record_visit_charges(work_order=wo, lines=clean, by=by, on=_local_date(now), now=now, carry_in=True)
        _stamp(wo, t, by=by, now=now, note=rec.completion_remark, data={"test_days": test_days})
        _open_return_deadline(wo, now=now)
        return rec


def return_device(*, work_order, by: Staff, now: datetime, version: int | None = None) -> CarryInRepair:
    """R-W13: the coordinator arranged the return; the return deadline is met.

    A repaired device's charge (recorded when testing finished) becomes its sales confirmation now (R-S1, none when
    free), and the repair gets its callback window like a visit (R-K1/R-K2, from the return: the client has the
    device back), both in this transaction. A device returned unrepaired (the client declined) has neither."""
    from billing.models import VisitCharge
    from callbacks.services import schedule_callback
    from receivables.services import sale_from_visit

    with transaction.atomic():
        wo, t = _begin(work_order, "return_device", by=by, version=version)
        rec = _carry_in(wo, now)
        rec.returned_at, rec.returned_by = now, by
        rec.save()
        Deadline.objects.open().filter(work_order=wo, kind=DeadlineKind.CARRY_IN_RETURN).update(met_at=now)
        _stamp(wo, t, by=by, now=now)
        charge = VisitCharge.objects.filter(work_order=wo).first()
        if rec.test_days and charge is not None and wo.technician_id:
            part_replaced = any(line.get("kind") == "part" for line in charge.request.get("lines", []))
            schedule_callback(work_order=wo, completed_at=now, part_replaced=part_replaced)
            sale_from_visit(work_order=wo, technician=wo.technician, completed_on=charge.on, now=now)
        return rec


def record_client_chase(*, work_order, by: Staff, note: str, now: datetime) -> ClientChase:
    """R-W12: the carry-in client had to call in because nobody told them. It is a complaint (R-K10) like any
    other — owner, reply deadline, root cause — naming the holder of the repair; the manager decides it, and only
    "the person's own work" proposes P8 (callbacks.complaints.decide)."""
    from callbacks.choices import ComplaintChannel
    from callbacks.complaints import register_complaint

    _require_desk(by)
    with transaction.atomic():
        wo = _lock(work_order)
        if not lifecycle.is_carry_in(wo):
            raise ConflictError(_("只有送修工单才能记录客户来电催问。"))
        if wo.technician_id is None:
            raise DomainError(_("工单没有负责技术员。"), field="technician")
        note = _required_text(note, "note", _("说明"))
        chase = ClientChase.objects.create(work_order=wo, technician=wo.technician, at=now, recorded_by=by, note=note)
        WorkOrderEvent.objects.create(
            work_order=wo, at=now, by=by, action="client_chase", from_status=wo.status, to_status=wo.status, holder=wo.technician, note=note
        )
        register_complaint(
            channel=ComplaintChannel.CARRY_IN_CHASE, client=wo.client, work_order=wo, technician=wo.technician, by=by,
            now=now,
            words=_("送修客户因无人告知进度而来电询问(工单 %(number)s):%(note)s") % {"number": wo.number, "note": note},
        )
        return chase


# ---------------------------------------------------------------- the beat scan (R-W7, R-W13)
# In bulk, in dispatch/scans.py (issue 14); re-exported here for the tasks and callers.
from .scans import mark_breaches, scan_deadlines, scan_return_deadlines  # noqa: E402,F401
