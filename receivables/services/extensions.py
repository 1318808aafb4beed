"""R-S4 extension requests: a written request for a client-caused delay, approved by the manager and then
the GM office; the GM office's approval moves the due date, with history (DueDateChange)."""
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.texts import Date, message

from ..choices import ConfirmationStatus, ExtensionStatus
from ..models import DueDateChange, DueDateExtension, SalesConfirmation
from .common import require as _require
from .confirmations import locked as _locked

MAX_EXTENSION_DAYS = 366


def _tell(role, ext, words: dict, *, now):
    """The approver of the next step hears of it (one notification per step, idempotent by key)."""
    from django.urls import reverse

    from servicedesk.models import Staff
    from servicedesk.notifications import notify

    notify(recipients=list(Staff.objects.active().with_role(role)), key=f"receivables.extension.{ext.pk}.{role}", message=words,
           link=reverse("receivables:extensions"), now=now)

def request_extension(*, confirmation: SalesConfirmation, requested_due_date: date, reason: str, by, now: datetime) -> DueDateExtension:
    if not isinstance(requested_due_date, date):
        raise DomainError(_("请填写申请延至的日期。"), field="requested_due_date")
    if not (reason or "").strip():
        raise DomainError(_("请写明客户原因(书面延期申请)。"), field="reason")
    if by is not None and by.pk != confirmation.technician_id and not by.has_role(Role.COORDINATOR, Role.MANAGER, Role.SALES, Role.FINANCE):
        raise PermissionDenied(_("无权为此确认书申请延期。"))
    with transaction.atomic():
        conf = _locked(confirmation)
        if conf.status == ConfirmationStatus.VOID or conf.received_amount >= conf.amount:
            raise ConflictError(_("确认书已作废或已收清,无需延期。"))
        if requested_due_date <= conf.due_date:
            raise DomainError(_("申请延至的日期必须晚于当前到期日 %(d)s。") % {"d": conf.due_date}, field="requested_due_date")
        if (requested_due_date - conf.due_date).days > MAX_EXTENSION_DAYS:
            raise DomainError(_("延期不能超过一年。"), field="requested_due_date")
        if conf.extensions.filter(status__in=[ExtensionStatus.PENDING_MANAGER, ExtensionStatus.PENDING_GM]).exists():
            raise ConflictError(_("此确认书已有待审批的延期申请。"))
        ext = DueDateExtension.objects.create(
            confirmation=conf, requested_due_date=requested_due_date, reason=reason.strip(), requested_by=by, requested_at=now
        )
        _tell(Role.MANAGER, ext, message(N_("延期申请待部门经理审批:%(n)s 申请延至 %(d)s"), n=conf.number, d=Date(requested_due_date)),
              now=now)
        return ext


def approve_extension(*, extension: DueDateExtension, by, now: datetime, note: str = "") -> DueDateExtension:
    """R-S4: the manager approves first, then the GM office; the GM office's approval moves the due date."""
    with transaction.atomic():
        ext = DueDateExtension.objects.select_for_update().get(pk=extension.pk)
        if ext.status == ExtensionStatus.PENDING_MANAGER:
            _require(by, Role.MANAGER)
            ext.status, ext.manager_by, ext.manager_at = ExtensionStatus.PENDING_GM, by, now
            _tell(Role.GM_OFFICE, ext, message(N_("延期申请待总经办审批:%(n)s 申请延至 %(d)s"), n=ext.confirmation.number,
                                               d=Date(ext.requested_due_date)), now=now)
        elif ext.status == ExtensionStatus.PENDING_GM:
            _require(by, Role.GM_OFFICE)
            conf = _locked(ext.confirmation)
            ext.status, ext.gm_by, ext.gm_at = ExtensionStatus.APPROVED, by, now
            DueDateChange.objects.create(
                confirmation=conf, from_date=conf.due_date, to_date=ext.requested_due_date,
                reason=message(N_("延期申请已批准(R-S4):%(r)s"), r=ext.reason[:150]), extension=ext, by=by, at=now,
            )
            # An approved date is a person's decision, no longer a working-day computation (SPEC §11).
            conf.due_date, conf.due_provisional = ext.requested_due_date, False
            conf.save(update_fields=["due_date", "due_provisional"])
            from servicedesk.events import client_event

            client_event.send(sender=DueDateExtension, kind="extension_approved", client=conf.client, site=None,
                              event_key=f"extension_approved:extension={ext.pk}",
                              params={"number": conf.number, "due": Date(ext.requested_due_date)}, now=now)
        else:
            raise ConflictError(_("该延期申请已%(s)s,不能再审批。") % {"s": ext.get_status_display()})
        if note:
            ext.decision_note = note[:200]
        ext.save()
    return ext


def reject_extension(*, extension: DueDateExtension, by, now: datetime, note: str) -> DueDateExtension:
    if not (note or "").strip():
        raise DomainError(_("请填写驳回理由。"), field="note")
    with transaction.atomic():
        ext = DueDateExtension.objects.select_for_update().get(pk=extension.pk)
        if ext.status == ExtensionStatus.PENDING_MANAGER:
            _require(by, Role.MANAGER)
            ext.manager_by, ext.manager_at = by, now
        elif ext.status == ExtensionStatus.PENDING_GM:
            _require(by, Role.GM_OFFICE)
            ext.gm_by, ext.gm_at = by, now
        else:
            raise ConflictError(_("该延期申请已%(s)s,不能再审批。") % {"s": ext.get_status_display()})
        ext.status = ExtensionStatus.REJECTED
        ext.decision_note = note.strip()[:200]
        ext.save()
    return ext
