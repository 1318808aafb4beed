"""Writes of the outbox (docs/developers.md rule 4): enqueue in the caller's transaction, the sender, the channels
people choose and the manager's wording of the templates."""
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from servicedesk.choices import Role
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Contact, Staff

from .catalogue import TEMPLATES
from .channels import ChannelError, get_channel
from .choices import ChannelKind, OutboxState, StaffChannelChoice
from .models import ContactChannel, MessageTemplate, OutboxMessage, StaffChannel
from .rendering import check_text, render_message

log = logging.getLogger(__name__)


def _kick() -> None:
    """After commit: ask a worker to send now. If Redis is down the row waits for the beat (rule 3), never lost."""
    from .tasks import send_due_messages

    try:
        send_due_messages.delay()
    except Exception:  # the broker is down: the beat's next tick sends it
        log.warning("outbox: could not queue the send task; the beat will send the message", exc_info=True)


def enqueue(*, channel: str, address: str, template_key: str, params: dict | None = None, links: dict | None = None,
            language: str = settings.LANGUAGE_CODE, idempotency_key: str, now: datetime, staff: Staff | None = None,
            contact: Contact | None = None) -> OutboxMessage:
    """Write one message to the outbox in the caller's transaction; on commit a worker is asked to send it.

    `params` are stored as servicedesk.texts encodes them (wrap dates and money: Date, Money), so the message reads
    in `language` when it is sent. The same `idempotency_key` (per event and recipient) twice gives back the row
    already written: one event, one message."""
    if channel not in ChannelKind.values:
        raise DomainError(_("未知的消息渠道。"), field="channel")
    if template_key not in TEMPLATES:
        raise DomainError(_("未知的消息模板。"), field="template_key")
    if not address:
        raise DomainError(_("请填写收件地址。"), field="address")
    from servicedesk.texts import message

    encoded = message("", **(params or {}))["params"]
    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = OutboxMessage.objects.create(
                channel=channel, address=address[:200], staff=staff, contact=contact, template_key=template_key,
                language=language, params=encoded, links=links or {}, state=OutboxState.PENDING,
                next_attempt_at=now, created_at=now, idempotency_key=idempotency_key[:200],
            )
    except IntegrityError:  # written by a concurrent call with the same key
        return OutboxMessage.objects.get(idempotency_key=idempotency_key[:200])
    transaction.on_commit(_kick)
    return row


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: base × 2^(n−1), at most the cap (1, 2, 4 … 60 minutes by default)."""
    seconds = settings.MESSAGING_BACKOFF_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, settings.MESSAGING_BACKOFF_MAX_SECONDS))


def _rate_exceeded(channel: str, now: datetime) -> bool:
    limit = settings.MESSAGING_RATE_PER_MINUTE.get(channel)
    if not limit:
        return False
    sent = OutboxMessage.objects.filter(channel=channel, state=OutboxState.SENT,
                                        sent_at__gt=now - timedelta(seconds=60), sent_at__lte=now).count()
    return sent >= limit


def _subject(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:80]


def _values(row: OutboxMessage) -> dict:
    """The parameters as text in the row's language (SMS TemplateParam)."""
    from servicedesk.texts import render

    with translation.override(row.language):
        return {k: render({"id": "%(v)s", "params": {"v": v}}) for k, v in row.params.items()}


def _send_one(row: OutboxMessage, *, now: datetime) -> str:
    """Send a locked pending row and record the outcome on it. Returns the new state."""
    try:
        body = render_message(key=row.template_key, params=row.params, links=row.links, language=row.language)
    except (KeyError, ValueError, TypeError) as exc:
        row.attempts += 1
        row.state, row.last_error = OutboxState.FAILED, f"template error: {exc}"[:500]
        row.save(update_fields=["attempts", "state", "last_error"])
        return row.state
    row.body = body
    row.attempts += 1
    try:
        get_channel(row.channel).send(address=row.address, text=body, subject=_subject(body),
                                      template_key=row.template_key, values=_values(row))
    except ChannelError as exc:
        row.last_error = exc.reason[:500]
        if not exc.retry or row.attempts >= settings.MESSAGING_MAX_ATTEMPTS:
            row.state = OutboxState.FAILED
        else:
            row.next_attempt_at = now + backoff(row.attempts)
    else:
        row.state, row.sent_at, row.last_error = OutboxState.SENT, now, ""
    row.save(update_fields=["body", "attempts", "last_error", "state", "next_attempt_at", "sent_at"])
    return row.state


def send_due(*, now: datetime, limit: int = 200) -> dict:
    """Send every message due by `now`, one row per transaction: the row is locked (SKIP LOCKED, so two senders
    share the work and never take the same row), its state checked again under the lock, sent, and its outcome
    written before the lock is released. A channel over its rate limit waits for the next minute."""
    counts = {"sent": 0, "failed": 0, "retry": 0, "throttled": 0}
    throttled: set[str] = set()
    skip: set[int] = set()
    for _i in range(limit):
        with transaction.atomic():
            qs = (OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
                  .exclude(channel__in=throttled).exclude(pk__in=skip).order_by("next_attempt_at", "pk"))
            row = qs.select_for_update(skip_locked=True).first()
            if row is None:
                break
            if row.state != OutboxState.PENDING:  # sent by another sender meanwhile
                continue
            if _rate_exceeded(row.channel, now):
                throttled.add(row.channel)
                counts["throttled"] += 1
                continue
            state = _send_one(row, now=now)
            skip.add(row.pk)
        counts[{"sent": "sent", "failed": "failed"}.get(state, "retry")] += 1
    return counts


def retry_message(*, message: OutboxMessage, by: Staff, now: datetime) -> OutboxMessage:
    """The manager sends a failed message again (a fresh set of attempts)."""
    if not by.has_role(Role.MANAGER):
        raise PermissionDenied(_("只有部门经理可以重发消息。"))
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if row.state != OutboxState.FAILED:
            raise ConflictError(_("只有发送失败的消息可以重发。"))
        row.state, row.attempts, row.next_attempt_at = OutboxState.PENDING, 0, now
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        transaction.on_commit(_kick)
    return row


def cancel_message(*, message: OutboxMessage, by: Staff, now: datetime) -> OutboxMessage:
    if not by.has_role(Role.MANAGER):
        raise PermissionDenied(_("只有部门经理可以取消消息。"))
    with transaction.atomic():
        row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if row.state != OutboxState.PENDING:
            raise ConflictError(_("只有待发送的消息可以取消。"))
        row.state, row.last_error = OutboxState.CANCELLED, ""
        row.save(update_fields=["state", "last_error"])
    return row


def save_template(*, key: str, text_zh: str, text_en: str, by: Staff, now: datetime) -> MessageTemplate:
    """The manager's wording of a message in both languages (blank: the default text)."""
    if not by.has_role(Role.MANAGER):
        raise PermissionDenied(_("只有部门经理可以修改消息模板。"))
    if key not in TEMPLATES:
        raise DomainError(_("未知的消息模板。"), field="key")
    text_zh, text_en = (text_zh or "").strip(), (text_en or "").strip()
    check_text(key, text_zh, field="text_zh")
    check_text(key, text_en, field="text_en")
    with transaction.atomic():
        row, _created = MessageTemplate.objects.select_for_update().get_or_create(key=key)
        row.text_zh, row.text_en, row.updated_at, row.updated_by = text_zh, text_en, now, by
        row.save()
    return row


def set_contact_channel(*, contact: Contact, channel: str, address: str = "", language: str = settings.LANGUAGE_CODE,
                        opted_out: bool = False, by: Staff | None, now: datetime) -> ContactChannel:
    """How a client's contact hears from the department; `opted_out` stops every message to them (and cancels
    the ones not yet sent)."""
    if by is not None and not by.has_role(Role.COORDINATOR, Role.MANAGER):
        raise PermissionDenied(_("只有协调员或部门经理可以设置客户的消息渠道。"))
    if channel not in ChannelKind.values:
        raise DomainError(_("未知的消息渠道。"), field="channel")
    address = (address or "").strip()
    if channel == ChannelKind.EMAIL and "@" not in address:
        raise DomainError(_("电子邮件渠道请填写邮箱地址。"), field="address")
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("未知的语言。"), field="language")
    with transaction.atomic():
        row = ContactChannel.objects.select_for_update().filter(contact=contact).first() or ContactChannel(contact=contact)
        was_out = row.opted_out
        row.channel, row.address, row.language, row.updated_at = channel, address, language, now
        row.opted_out = opted_out
        if opted_out and not was_out:
            row.opted_out_at = now
            OutboxMessage.objects.filter(contact=contact, state=OutboxState.PENDING).update(
                state=OutboxState.CANCELLED, last_error="opted out")
        elif not opted_out:
            row.opted_out_at = None
        row.save()
    return row


def set_staff_channel(*, staff: Staff, channel: str, now: datetime) -> StaffChannel:
    """A person's own choice ("my channel"): in-app only, or also WeCom, DingTalk or SMS to their mobile."""
    if channel not in StaffChannelChoice.values:
        raise DomainError(_("未知的消息渠道。"), field="channel")
    if channel != StaffChannelChoice.IN_APP and not staff.phone:
        raise DomainError(_("请先在员工档案中填写手机号。"), field="channel")
    with transaction.atomic():
        row, _created = StaffChannel.objects.select_for_update().get_or_create(
            staff=staff, defaults={"channel": channel, "updated_at": now})
        row.channel, row.updated_at = channel, now
        row.save()
    return row
