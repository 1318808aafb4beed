"""Photos and documents on a work order: attach (checked, downscaled, stored), remove (a flag, never a delete), and
who may do either. Writes in one transaction each (docs/developers.md rule 4); the caps are settings
(servicedesk/settings.py ATTACHMENT_*: operating limits of the server, not rules of the department).

Who may attach: the technician responsible for the order (any step, the close-out included) and the desk — the
coordinator (carry-in reception too), the manager and the supervisor — on any order. Who sees them: whoever may see
the order (WorkOrder.objects.visible_to), nobody else, not even by URL (servicedesk.views.attachment_file: 404).
"""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from .choices import Role
from .errors import DomainError
from .models import AttachmentKind, WorkOrder, WorkOrderAttachment, WorkOrderEvent
from .models.attachments import _stored_name
from .texts import message
from .uploads import CleanFile, _megabytes, clean_attachment

DESK_ATTACHERS = (Role.COORDINATOR, Role.MANAGER, Role.SUPERVISOR)
REMOVERS = (Role.COORDINATOR, Role.MANAGER)
MB = 1024 * 1024

__all__ = ["attach", "can_attach", "can_remove", "check_files", "remove"]


def can_attach(staff, work_order: WorkOrder) -> bool:
    if staff is None or not staff.active:
        return False
    if staff.user.is_superuser or staff.has_role(*DESK_ATTACHERS):
        return True
    return work_order.technician_id == staff.pk


def can_remove(staff, attachment: WorkOrderAttachment) -> bool:
    """The uploader (while they may still attach to the order) or the coordinator and the manager."""
    if staff is None or not staff.active:
        return False
    if staff.user.is_superuser or staff.has_role(*REMOVERS):
        return True
    return attachment.uploaded_by_id == staff.pk and can_attach(staff, attachment.work_order)


def check_files(files, *, field: str = "files") -> list[CleanFile]:
    """Every file checked by its content and made ready to store (photos downscaled, metadata gone), or a
    DomainError naming the first file refused; nothing is stored here."""
    files = [f for f in files if f]
    if not files:
        raise DomainError(_("请选择要上传的照片或文件。"), field=field, code="no_files")
    if len(files) > settings.ATTACHMENT_MAX_FILES_PER_UPLOAD:
        raise DomainError(_("一次最多上传 %(n)s 个文件,这次选择了 %(m)s 个。") % {"n": settings.ATTACHMENT_MAX_FILES_PER_UPLOAD, "m": len(files)},
                          field=field, code="too_many_files")
    return [
        clean_attachment(
            f, field=field, max_bytes=settings.ATTACHMENT_MAX_FILE_MB * MB, max_side=settings.ATTACHMENT_IMAGE_MAX_SIDE,
            thumb_side=settings.ATTACHMENT_THUMB_SIDE, max_pages=settings.ATTACHMENT_PDF_MAX_PAGES,
        )
        for f in files
    ]


def attach(*, work_order: WorkOrder, files, by, now: datetime, step: str = "", caption: str = "", field: str = "files") -> list[WorkOrderAttachment]:
    """Attach uploaded files (or CleanFiles from check_files) to the order: all of them or none (rule 5 — a refused
    file names itself and nothing of the batch is kept). `step` defaults to the order's status at that moment."""
    if not can_attach(by, work_order):
        raise PermissionDenied(_("只有负责该工单的技术员、协调员、部门经理或监督组长可以上传附件。"))
    cleaned = [f if isinstance(f, CleanFile) else None for f in files]
    if None in cleaned:
        cleaned = check_files(files, field=field)
    stored: list[str] = []
    try:
        with transaction.atomic():
            wo = WorkOrder.objects.select_for_update().get(pk=work_order.pk)  # one upload at a time counts the caps
            current = WorkOrderAttachment.objects.current().filter(work_order=wo).aggregate(n=Count("id"), bytes=Sum("size"))
            count, kept = current["n"], current["bytes"] or 0
            if count + len(cleaned) > settings.ATTACHMENT_MAX_PER_ORDER:
                raise DomainError(
                    _("每张工单最多 %(cap)s 个附件:已有 %(n)s 个,这次 %(m)s 个,未保存。") % {"cap": settings.ATTACHMENT_MAX_PER_ORDER, "n": count, "m": len(cleaned)},
                    field=field, code="order_count_cap",
                )
            adding = sum(len(c.data) + len(c.thumbnail) for c in cleaned)
            if kept + adding > settings.ATTACHMENT_MAX_ORDER_MB * MB:
                raise DomainError(
                    _("每张工单的附件合计不能超过 %(cap)s MB:已有 %(n)s MB,这次 %(m)s MB,未保存。")
                    % {"cap": settings.ATTACHMENT_MAX_ORDER_MB, "n": _megabytes(kept), "m": _megabytes(adding)},
                    field=field, code="order_size_cap",
                )
            rows = []
            for c in cleaned:
                row = WorkOrderAttachment(
                    work_order=wo, kind=c.kind, original_name=c.original_name, content_type=c.content_type,
                    size=len(c.data) + len(c.thumbnail), original_size=c.original_size, width=c.width, height=c.height,
                    pages=c.pages, step=step or wo.status, caption=(caption or "").strip()[:200], uploaded_by=by, uploaded_at=now,
                )
                row.file.save(_stored_name("work-orders", c.ext), ContentFile(c.data), save=False)
                stored.append(row.file.name)
                if c.thumbnail:
                    row.thumbnail.save(_stored_name("work-orders/thumbs", "jpg"), ContentFile(c.thumbnail), save=False)
                    stored.append(row.thumbnail.name)
                row.save()
                rows.append(row)
            photos = sum(1 for c in cleaned if c.kind == AttachmentKind.PHOTO)
            documents = len(cleaned) - photos
            if not documents:
                note = message(N_("照片 %(photos)s 张"), photos=photos)
            elif not photos:
                note = message(N_("文件 %(documents)s 份"), documents=documents)
            else:
                note = message(N_("照片 %(photos)s 张、文件 %(documents)s 份"), photos=photos, documents=documents)
            WorkOrderEvent.objects.create(
                work_order=wo, at=now, by=by, action="attach", note=note, data={"attachments": [r.pk for r in rows]},
            )
    except BaseException:
        # the rows are rolled back: the files written for them go too (nothing half-saved)
        from django.core.files.storage import default_storage

        for name in stored:
            default_storage.delete(name)
        raise
    return rows


def remove(*, attachment: WorkOrderAttachment, by, now: datetime, reason: str = "") -> WorkOrderAttachment:
    """Take an attachment off the order's pages: a flag with who, when and why; the file and the row stay (rule 5)."""
    if not can_remove(by, attachment):
        raise PermissionDenied(_("只有上传人、协调员或部门经理可以移除附件。"))
    with transaction.atomic():
        row = WorkOrderAttachment.objects.select_for_update().get(pk=attachment.pk)
        if row.removed_at is not None:
            raise DomainError(_("该附件已被移除。"), code="already_removed")
        row.removed_at, row.removed_by, row.removed_reason = now, by, (reason or "").strip()[:200]
        row.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        WorkOrderEvent.objects.create(
            work_order_id=row.work_order_id, at=now, by=by, action="detach",
            note=message(N_("移除附件 %(name)s"), name=row.original_name), data={"attachment": row.pk},
        )
    return row
