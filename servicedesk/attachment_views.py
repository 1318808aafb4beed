"""Photos and documents on a work order, as pages: upload (from the desk's order page, the phone's job page), the
file and its thumbnail (only to people who may see the order: 404 for anyone else, never a public /media/ URL),
removal (a flag, rule 5). Thin: servicedesk/attachments.py decides."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from . import attachments
from .errors import DomainError
from .forms import error_text
from .models import WorkOrder, WorkOrderAttachment
from .permissions import require_staff
from .uploads import protected_file


def _back(request, work_order_pk):
    """Back to the page the form was on (the phone's job page or the desk's order page), never elsewhere."""
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(nxt)
    return redirect("servicedesk:work_order_detail", pk=work_order_pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    me = require_staff(request.user, hide=True)
    wo = get_object_or_404(WorkOrder.objects.visible_to(me), pk=pk)  # rule 6: another's order is not revealed
    try:
        rows = attachments.attach(
            work_order=wo, files=request.FILES.getlist("files"), by=me, now=timezone.now(), caption=request.POST.get("caption", ""),
        )
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, ngettext("已上传 %(n)s 个附件。", "已上传 %(n)s 个附件。", len(rows)) % {"n": len(rows)})
    return _back(request, wo.pk)


def _visible_attachment(request, pk) -> WorkOrderAttachment:
    me = require_staff(request.user, hide=True)
    return get_object_or_404(WorkOrderAttachment.objects.visible_to(me).select_related("work_order"), pk=pk)


@login_required
@require_safe
def attachment_file(request, pk):
    """The kept file (a photo downscaled without its metadata, or the PDF), to those who may see the order."""
    row = _visible_attachment(request, pk)
    ext = row.file.name.rsplit(".", 1)[-1]
    stem = row.original_name.rsplit(".", 1)[0] if "." in row.original_name else row.original_name
    return protected_file(row.file, download_name=f"{stem}.{ext}")


@login_required
@require_safe
def attachment_thumbnail(request, pk):
    row = _visible_attachment(request, pk)
    if not row.thumbnail:
        raise Http404
    return protected_file(row.thumbnail)


@login_required
@require_POST
def attachment_remove(request, pk):
    row = _visible_attachment(request, pk)
    try:
        attachments.remove(attachment=row, by=require_staff(request.user), now=timezone.now(), reason=request.POST.get("reason", ""))
    except (DomainError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已移除附件 %(name)s(记录保留)。") % {"name": row.original_name})
    return _back(request, row.work_order_id)


def panel_context(work_order, viewer, *, next_url: str, camera: bool = False, with_removed: bool = False) -> dict:
    """What templates/servicedesk/_attachments.html needs: the thumbnails (two queries), whether the viewer may
    attach and remove, where to come back to."""
    from django.conf import settings

    from . import selectors

    rows = selectors.attachments_of(work_order, with_removed=with_removed)
    for row in rows:
        row.work_order = work_order
        row.removable = row.removed_at is None and attachments.can_remove(viewer, row)
    return {
        "wo": work_order, "attachments": rows, "can_attach": attachments.can_attach(viewer, work_order),
        "next_url": next_url, "camera": camera, "max_file_mb": settings.ATTACHMENT_MAX_FILE_MB,
    }
