"""The shared steps of every work-order service (SPEC §3): lock the row, compare the version the user saw,
check who may act, look the transition up in `lifecycle.TRANSITIONS`, stamp a `WorkOrderEvent` and bump
`WorkOrder.version`; plus the deadline bookkeeping several services share (R-W4…R-W7)."""
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import WorkOrder, WorkOrderEvent

from .. import lifecycle
from ..choices import DeadlineKind
from ..models import Assignment, Deadline


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


def _stamp(wo: WorkOrder, t: lifecycle.Transition, *, by, now, note: str | dict = "", data=None, action=None) -> WorkOrderEvent:
    """The history row of a transition. `note` is what a person typed (kept as typed) or a message the service
    composed (servicedesk.texts, rule 7: read in the reader's language)."""
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
        note=note[:2000] if isinstance(note, str) else note,
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
