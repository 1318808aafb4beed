"""Signed links for clients without an account (R-R3 rating, R-R5 survey).

`TimestampSigner` with a `max_age` (parameter `resident.link_valid_days`); the nonce it signs names
one `ClientLink` row, whose `used_at` records the single use. Opening and posting are rate-limited
per source address (`resident.link_attempts_per_hour`). A refused link never says which record it
would have shown.
"""
import secrets
from datetime import datetime, timedelta

from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from servicedesk.cache import CacheUnavailable
from servicedesk.errors import DomainError
from servicedesk.params import param

from .models import ClientLink

SALT = "servicedesk.client-link"


class LinkError(DomainError):
    """Expired, tampered, unknown, revoked or used link: one message, nothing about the record."""

    status_code = 404
    default_message = _("链接无效或已过期。请联系客服部重新获取评价链接。")


class LinkUsed(DomainError):
    status_code = 409
    default_message = _("此链接已经使用过,每份报告只能评价一次。感谢您的反馈!")


class TooManyAttempts(DomainError):
    status_code = 429
    default_message = _("尝试次数过多,请稍后再试。")


class ClockSigner(signing.TimestampSigner):
    """Django's TimestampSigner on an explicit clock: the link is stamped with, and aged against, the
    service's `now` (not the wall clock), so scheduled jobs and tests with a pinned clock agree."""

    def __init__(self, *, clock: datetime, **kwargs):
        super().__init__(**kwargs)
        self.clock = clock

    def timestamp(self):
        return signing.b62_encode(int(self.clock.timestamp()))

    def unsign(self, value, max_age=None):
        value, stamp = signing.Signer.unsign(self, value).rsplit(self.sep, 1)
        if max_age is not None:
            if isinstance(max_age, timedelta):
                max_age = max_age.total_seconds()
            age = self.clock.timestamp() - signing.b62_decode(stamp)
            if age > max_age:
                raise signing.SignatureExpired(f"Signature age {age} > {max_age} seconds")
        return value


def _signer(now: datetime) -> ClockSigner:
    return ClockSigner(clock=now, salt=SALT)


def issue_link(*, purpose: str, object_id: int, by, now: datetime) -> ClientLink:
    """A fresh link for the record; earlier unused links of the same record are revoked (one live link)."""
    with transaction.atomic():
        ClientLink.objects.filter(purpose=purpose, object_id=object_id, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        nonce = secrets.token_urlsafe(18)
        token = _signer(now).sign(nonce)
        return ClientLink.objects.create(purpose=purpose, object_id=object_id, nonce=nonce, token=token, created_at=now, created_by=by)


def live_link(*, purpose: str, object_id: int) -> ClientLink | None:
    return (
        ClientLink.objects.filter(purpose=purpose, object_id=object_id, used_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def check_rate(*, key: str, now: datetime, limit_param: str = "resident.link_attempts_per_hour") -> None:
    """Count one attempt from `key` (the client's address, `servicedesk.network.client_ip`, or one link) in the
    current hour; refuse past the limit read from `limit_param` (the client portal's links use their own,
    `portal.link_attempts_per_hour`)."""
    limit = param(limit_param, on=now.date())
    bucket = f"client-link:{key}:{now:%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3700)
    try:
        n = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, timeout=3700)
        n = 1
    except CacheUnavailable:  # the shared cache is down: the counter fails open (the token is still signed and single-use)
        return
    if n > limit:
        raise TooManyAttempts()


def resolve_link(*, token: str, purpose: str, now: datetime, for_update: bool = False) -> ClientLink:
    """The link behind a token, or LinkError. Expiry is checked against `now` (explicit clock)."""
    days = param("resident.link_valid_days", on=now.date())
    try:
        nonce = _signer(now).unsign(token, max_age=timedelta(days=days))
    except signing.SignatureExpired:
        raise LinkError(_("链接已过期。请联系客服部重新获取评价链接。")) from None
    except (signing.BadSignature, ValueError):
        raise LinkError() from None
    qs = ClientLink.objects.select_for_update() if for_update else ClientLink.objects
    link = qs.filter(nonce=nonce, purpose=purpose).first()
    if link is None or link.revoked_at is not None:
        raise LinkError()
    if link.used_at is not None:
        raise LinkUsed()
    return link


def complain_through_link(*, token: str, purpose: str, words: str, client_name: str = "", now: datetime, subject):
    """R-K10 channel "signed link": the client's complaint through their rating/survey link, registered by
    callbacks' service without a staff member (owner = the department manager, reply deadline from
    complaint.reply_hours). Uses the link up: a second submission is refused (LinkUsed).
    `subject(object_id)` → (client, technician or None) of the record behind the link."""
    from callbacks.choices import ComplaintChannel
    from callbacks.complaints import register_complaint

    words = (words or "").strip()
    if not words:
        raise DomainError(_("请写下您要投诉的内容。"), field="words")
    name = (client_name or "").strip()[:40]
    with transaction.atomic():
        link = resolve_link(token=token, purpose=purpose, now=now, for_update=True)
        client, technician = subject(link.object_id)
        complaint = register_complaint(
            channel=ComplaintChannel.SIGNED_LINK, client=client, technician=technician, by=None, now=now,
            words=f"{words[:4000]}\n— {name}" if name else words[:4000],
        )
        link.used_at = now
        link.save(update_fields=["used_at"])
    return complaint
