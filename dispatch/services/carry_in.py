"""Carry-in repairs (R-W12, R-W13): diagnosis, the client's consent, repair and testing, the return deadline and
the return; a client who had to chase the repair (a complaint, R-K10)."""
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Staff, WorkOrder, WorkOrderEvent
from servicedesk.params import get_param

from .. import lifecycle
from ..choices import DeadlineKind
from ..models import CarryInRepair, ClientChase, Deadline
from .close_out import clean_lines
from .common import _begin, _local_date, _lock, _require_desk, _required_text, _stamp


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
