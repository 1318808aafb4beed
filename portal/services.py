"""Writes of the client portal (docs/developers.md rule 4: keyword-only, explicit `now`, one transaction each).

Links: `create_link` / `revoke_link` / `link_url` (what a message to the client carries — the outbox calls
`link_url(contact=…, now=…)`), `resolve_token` (the page's gate: expiry, revocation, rate limits).
The client's acts: `report_fault` (an IntakeRequest), `rate_visit` (callbacks.rate_by_client), `complain`
(callbacks' complaint service, channel "signed link"). The desk's: `confirm_intake` (a work order through the
core's intake service, the photo through the attachment service), `decline_intake`.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from servicedesk.choices import Role, ServiceContent, ServiceMode
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Contact, Equipment, Staff, WorkOrder
from servicedesk.params import get_param

from .models import ClientLink, IntakeRequest, IntakeStatus

SALT = "servicedesk.portal.client-link"
LINK_ROLES = (Role.COORDINATOR, Role.MANAGER)  # who sends and revokes links, and confirms what clients report
ATTEMPTS_PARAM = "portal.link_attempts_per_hour"

__all__ = [
    "LinkError", "confirm_intake", "complain", "create_link", "decline_intake", "link_url", "rate_visit",
    "report_fault", "resolve_token", "revoke_link", "send_link", "token_for",
]


class LinkError(DomainError):
    """Unknown, tampered, revoked or expired link: one answer, which never says whose page it was."""

    status_code = 404
    default_message = gettext_lazy("链接无效或已失效。请联系客服部获取新的链接。")


class DuplicateWarning(ConflictError):
    """R-W1: the client's device already has an open order; the coordinator confirms again to take a second one."""

    def __init__(self, orders):
        super().__init__(_("该设备已有未完成的工单,确认仍要受理吗?"), field="confirm_duplicate", code="duplicate")
        self.orders = orders


def can_manage(staff) -> bool:
    return bool(staff is not None and staff.active and (staff.user.is_superuser or staff.has_role(*LINK_ROLES)))


def _require_desk(staff) -> None:
    if not can_manage(staff):
        raise PermissionDenied(_("只有协调员或部门经理可以管理客户链接和客户报修申请。"))


# ------------------------------------------------------------------------------------------------ links
def token_for(link: ClientLink) -> str:
    """The link's token: an HMAC of the row under the server's secret (never stored; the row keeps its hash)."""
    digest = salted_hmac(SALT, f"{link.pk}:{link.nonce}", algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_link(*, contact: Contact, by: Staff | None, now: datetime) -> tuple[ClientLink, str]:
    """A new link for the site contact, valid `portal.link_valid_days` (the version in force today); the contact's
    earlier live links are revoked (one live link per contact). `by=None`: the system (a message that needs a
    link). Returns the row and its token (to show or send)."""
    if by is not None:
        _require_desk(by)
    p = get_param("portal.link_valid_days", on=timezone.localtime(now).date())
    with transaction.atomic():
        Contact.objects.select_for_update().get(pk=contact.pk)  # two clicks make one live link
        ClientLink.objects.filter(contact=contact).live(now=now).update(revoked_at=now, revoked_by=by)
        link = ClientLink(
            contact=contact, nonce=secrets.token_hex(16), token_hash="-", created_by=by, created_at=now,
            expires_at=now + timedelta(days=int(p.value)), valid_days=p.as_explanation(),
        )
        link.save()
        token = token_for(link)
        link.token_hash = _hash(token)
        link.save(update_fields=["token_hash"])
    return link, token


def send_link(*, contact: Contact, by: Staff | None, now: datetime):
    """A new link (create_link) and, when the contact has a message channel and has not opted out, the "portal_link"
    message on it, in the same transaction (the outbox sends it; the link itself is rendered at send time, so no
    token is stored in the outbox's parameters). Returns (link, token, the outbox row or None: show it to copy)."""
    from messaging.models import ContactChannel
    from messaging.services import enqueue

    with transaction.atomic():
        link, token = create_link(contact=contact, by=by, now=now)
        choice = ContactChannel.objects.select_related("contact").filter(contact=contact, opted_out=False).first()
        if choice is None or not choice.target:
            return link, token, None
        sent = enqueue(channel=choice.channel, address=choice.target, template_key="portal_link",
                       params={"name": contact.name}, links={"portal": {"contact_id": contact.pk}},
                       language=choice.language, contact=contact, idempotency_key=f"portal_link:link={link.pk}", now=now)
    return link, token, sent


def revoke_link(*, link: ClientLink, by: Staff, now: datetime) -> ClientLink:
    """The link stops opening the page at once (the pages check it on every request); a message still waiting to
    send it is cancelled (it would otherwise make the contact a new link when sent)."""
    from messaging.choices import OutboxState
    from messaging.models import OutboxMessage

    _require_desk(by)
    with transaction.atomic():
        row = ClientLink.objects.select_for_update().get(pk=link.pk)
        if row.revoked_at is not None:
            raise ConflictError(_("该链接已于 %(at)s 撤销。") % {"at": timezone.localtime(row.revoked_at).strftime("%Y-%m-%d %H:%M")})
        row.revoked_at, row.revoked_by = now, by
        row.save(update_fields=["revoked_at", "revoked_by"])
        OutboxMessage.objects.filter(idempotency_key=f"portal_link:link={row.pk}", state=OutboxState.PENDING).update(
            state=OutboxState.CANCELLED, last_error="link revoked")
    return row


def live_link(*, contact: Contact, now: datetime) -> ClientLink | None:
    return ClientLink.objects.filter(contact=contact).live(now=now).order_by("-created_at", "-pk").first()


def path_for(token: str) -> str:
    return reverse("portal_client", args=[token])


def link_url(*, contact: Contact, now: datetime | None = None, by: Staff | None = None, base: str | None = None) -> str:
    """The URL a message to the client carries (the outbox's templates call this): the contact's live link, or a
    new one when there is none (created by `by`, None = the system). Absolute with `base` or the
    PORTAL_BASE_URL setting, else the path."""
    now = now or timezone.now()
    link = live_link(contact=contact, now=now)
    token = token_for(link) if link is not None else create_link(contact=contact, by=by, now=now)[1]
    prefix = (base if base is not None else getattr(settings, "PORTAL_BASE_URL", "")).rstrip("/")
    return prefix + path_for(token)


def resolve_token(*, token: str, now: datetime, ip: str = "") -> ClientLink:
    """The live link behind `token`, or LinkError; every request counts against the per-address and the per-link
    hourly limits (`portal.link_attempts_per_hour`, TooManyAttempts: 429)."""
    from dispatch.resident.links import check_rate

    check_rate(key=f"portal-ip:{ip or 'unknown'}", now=now, limit_param=ATTEMPTS_PARAM)
    if not token or len(token) > 100:
        raise LinkError()
    link = ClientLink.objects.select_related("contact__client", "contact__site").filter(token_hash=_hash(token)).first()
    if link is None or link.revoked_at is not None:
        raise LinkError()
    if link.expires_at <= now:
        raise LinkError(_("链接已过期。请联系客服部获取新的链接。"))
    check_rate(key=f"portal-link:{link.pk}", now=now, limit_param=ATTEMPTS_PARAM)
    if link.last_opened_at is None or now - link.last_opened_at > timedelta(minutes=5):
        ClientLink.objects.filter(pk=link.pk).update(last_opened_at=now)  # a hint for the desk, not a log
    return link


# ------------------------------------------------------------------------------------------------ the client's acts
def report_fault(*, link: ClientLink, description: str, now: datetime, equipment_id=None, device_text: str = "",
                 preferred_at: datetime | None = None, photo=None) -> IntakeRequest:
    """The client reports a fault: a device of their own (or typed), what is wrong, an optional photo (checked and
    stripped of its metadata by the attachment service's checks) and a preferred time. Waits for the coordinator."""
    from servicedesk.attachments import check_files
    from servicedesk.models.attachments import _stored_name

    contact = link.contact
    description = (description or "").strip()
    device_text = (device_text or "").strip()[:120]
    equipment = None
    eq_id = str(equipment_id or "").strip()
    if eq_id:  # only the client's own equipment (an id of another client's device is refused, never shown)
        equipment = Equipment.objects.filter(pk=int(eq_id), client_id=contact.client_id).first() if eq_id.isdigit() else None
        if equipment is None:
            raise DomainError(_("请从列表中选择您的设备,或直接填写设备名称。"), field="equipment")
    if equipment is None and not device_text:
        raise DomainError(_("请选择设备,或填写设备名称型号。"), field="device")
    if not description:
        raise DomainError(_("请描述故障情况。"), field="description")
    if len(description) > 4000:
        raise DomainError(_("故障描述太长,请控制在 4000 字以内。"), field="description")
    if preferred_at is not None and preferred_at < now - timedelta(minutes=15):
        raise DomainError(_("希望上门时间已经过去,请选择现在或以后的时间。"), field="preferred_at")
    cleaned = check_files([photo], field="photo")[0] if photo else None
    if cleaned is not None and cleaned.kind != "photo":
        raise DomainError(_("请上传照片(JPG、PNG、WEBP)。"), field="photo")
    stored = ""
    try:
        with transaction.atomic():
            req = IntakeRequest(
                link=link, contact=contact, client_id=contact.client_id,
                site=(equipment.site if equipment is not None and equipment.site_id else contact.site),
                equipment=equipment, device_text=device_text, description=description, preferred_at=preferred_at,
                created_at=now,
            )
            if cleaned is not None:
                req.photo.save(_stored_name("portal/intake", cleaned.ext), ContentFile(cleaned.data), save=False)
                stored = req.photo.name
                req.photo_name = cleaned.original_name
            req.save()
    except BaseException:
        if stored:
            from django.core.files.storage import default_storage

            default_storage.delete(stored)
        raise
    _announce_intake(req, now=now)
    return req


def _announce_intake(req: IntakeRequest, *, now: datetime) -> None:
    from django.utils.translation import gettext_noop as N_

    from servicedesk.notifications import notify
    from servicedesk.texts import message

    recipients = list(Staff.objects.active().with_role(Role.COORDINATOR).select_related("user"))
    if recipients:
        notify(recipients=recipients, key=f"portal-intake-{req.pk}",
               message=message(N_("客户自助报修:%(client)s,待确认"), client=req.client.name),
               link=reverse("portal:intake"), now=now)


def _own_callback(link: ClientLink, work_order_id):
    from callbacks.models import Callback

    cb = Callback.objects.select_related("work_order").filter(
        work_order_id=work_order_id, work_order__client_id=link.contact.client_id
    ).first()
    if cb is None:
        raise LinkError(_("没有找到这次服务。"))
    return cb


def rate_visit(*, link: ClientLink, work_order_id, satisfaction: str, comment: str = "", now: datetime):
    """R-K3 item 5 from the client's page: the visit's callback gets the client's satisfaction (recorded as theirs)."""
    from callbacks.services import rate_by_client

    return rate_by_client(callback=_own_callback(link, work_order_id), satisfaction=satisfaction, comment=comment, now=now)


def complain(*, link: ClientLink, words: str, now: datetime, work_order_id=None):
    """R-K10 from the client's page: owner (the department manager) and reply deadline as any complaint."""
    from callbacks.choices import ComplaintChannel
    from callbacks.complaints import register_complaint

    contact = link.contact
    work_order = None
    wo_id = str(work_order_id or "").strip()
    if wo_id:
        work_order = WorkOrder.objects.filter(pk=int(wo_id), client_id=contact.client_id).first() if wo_id.isdigit() else None
        if work_order is None:
            raise DomainError(_("没有找到这张工单。"), field="work_order")
    words = (words or "").strip()
    if not words:
        raise DomainError(_("请写下您要投诉的内容。"), field="words")
    return register_complaint(
        channel=ComplaintChannel.SIGNED_LINK, client=contact.client, work_order=work_order, by=None, now=now,
        words=f"{words[:4000]}\n— {contact.name} {contact.phone}",
    )


# ------------------------------------------------------------------------------------------------ the desk
def duplicates_of(req: IntakeRequest):
    """R-W1: the client's open orders for the same device — the coordinator's intake warning, reused."""
    from dispatch.selectors import open_orders_for_device

    return open_orders_for_device(client=req.client, equipment=req.equipment,
                                  serial="" if req.equipment_id else req.device_text)


def confirm_intake(*, request: IntakeRequest, by: Staff, now: datetime, confirm_duplicate: bool = False,
                   content: str = ServiceContent.REPAIR) -> WorkOrder:
    """One click: the request becomes a work order (the core's intake service, R-W1) with the client's photo
    attached (the attachment service). An open order for the same device stops it once (DuplicateWarning)."""
    from servicedesk.attachments import attach
    from servicedesk.services import create_work_order

    _require_desk(by)
    with transaction.atomic():
        req = IntakeRequest.objects.select_for_update(of=("self",)).select_related(
            "client", "site", "contact__site", "equipment").get(pk=request.pk)
        if req.status != IntakeStatus.PENDING:
            raise ConflictError(_("该申请已处理(%(s)s)。") % {"s": req.get_status_display()})
        if not confirm_duplicate:
            dup = list(duplicates_of(req))
            if dup:
                raise DuplicateWarning(dup)
        site = req.site or req.contact.site or req.client.sites.order_by("pk").first()
        if site is None:
            raise DomainError(_("客户 %(c)s 还没有网点,请先在主数据中添加网点。") % {"c": req.client.name}, field="site")
        required_at = req.preferred_at if req.preferred_at and req.preferred_at > now else None
        fields = dict(
            client=req.client, site=site, contact_name=req.contact.name, contact_phone=req.contact.phone,
            equipment=req.equipment, content=content,
            service_mode=ServiceMode.RESIDENT if site.resident else ServiceMode.MOBILE,
            description=req.description if req.equipment_id else f"{req.device_text}:{req.description}",
            required_at=required_at,
        )
        if req.equipment_id is None:
            fields["equipment_model"] = req.device_text[:80]
        wo = create_work_order(by=by, now=now, **fields)
        if req.photo:
            with req.photo.open("rb") as fh:
                upload = ContentFile(fh.read(), name=req.photo_name or "photo.jpg")
            attach(work_order=wo, files=[upload], by=by, now=now, caption=_("客户报修照片"), field="photo")
        req.status, req.decided_by, req.decided_at, req.work_order = IntakeStatus.CONFIRMED, by, now, wo
        req.save(update_fields=["status", "decided_by", "decided_at", "work_order"])
    return wo


def decline_intake(*, request: IntakeRequest, by: Staff, now: datetime, reason: str) -> IntakeRequest:
    """Not taken (a duplicate the phone already took, not our equipment…): who, when and why, shown to the client."""
    _require_desk(by)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写未受理的原因,客户会在自己的页面看到。"), field="reason")
    with transaction.atomic():
        req = IntakeRequest.objects.select_for_update().get(pk=request.pk)
        if req.status != IntakeStatus.PENDING:
            raise ConflictError(_("该申请已处理(%(s)s)。") % {"s": req.get_status_display()})
        req.status, req.decided_by, req.decided_at, req.decline_reason = IntakeStatus.DECLINED, by, now, reason[:200]
        req.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    return req
