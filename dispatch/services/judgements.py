"""The desk's judgements that propose penalties (the manager decides the points): an unjustified refusal
(R-W9 → P1) and an irregular service form (R-W10 → P4)."""
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.errors import ConflictError
from servicedesk.models import Staff, WorkOrderEvent
from servicedesk.texts import message

from ..models import CloseOut, Refusal
from .common import _fmt, _local_date, _require_desk, _required_text


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
                reason=message(N_("R-W9:拒绝协调员派单(工单 %(number)s),原因“%(reason)s”被判定为无正当理由:%(note)s"),
                               number=row.work_order.number, reason=row.reason, note=row.judgement_note),
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
            reason=message(N_("R-W10:服务单填写不规范(工单 %(number)s):%(reason)s"), number=row.work_order.number, reason=reason),
            on=_local_date(row.completed_at),
            by=by,
        )
        WorkOrderEvent.objects.create(
            work_order_id=row.work_order_id, at=now, by=by, action="mark_irregular", note=reason, holder_id=row.work_order.technician_id,
            from_status=row.work_order.status, to_status=row.work_order.status,
        )
        return row
