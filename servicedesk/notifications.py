"""notify(): in-app alert plus e-mail through Django's mail backend, once per (key, recipient)."""
import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .choices import Role
from .models import Notification, Staff

log = logging.getLogger(__name__)


def department_heads() -> list[Staff]:
    """Active coordinators and managers: who is alerted about overdue callbacks and deadlines (R-K7)."""
    return list(
        Staff.objects.active()
        .filter(user__groups__name__in=[Role.COORDINATOR, Role.MANAGER])
        .select_related("user")
        .prefetch_related("user__groups")
        .distinct()
    )


def notify(*, recipients, key: str, text: str, link: str = "", now: datetime) -> list[Notification]:
    """Create the alert for each recipient who has not had it yet; e-mail those with an address. Idempotent."""
    return notify_many(alerts=[(recipients, key, text, link)], now=now)


def notify_many(*, alerts, now: datetime) -> list[Notification]:
    """Many alerts at once — `alerts` is an iterable of (recipients, key, text, link) — in a fixed number
    of queries whatever their number (the beat scans, rule 3). Idempotent per (key, recipient)."""
    wanted: dict[tuple[str, int], Notification] = {}
    for recipients, key, text, link in alerts:
        for staff in recipients:
            wanted.setdefault(
                (key, staff.pk),
                Notification(key=key, recipient=staff, text=text[:300], link=(link or "")[:200], created_at=now),
            )
    if not wanted:
        return []
    keys = {k for k, _pk in wanted}
    with transaction.atomic():
        existing = set(
            Notification.objects.filter(key__in=keys, recipient_id__in={pk for _k, pk in wanted}).values_list("key", "recipient_id")
        )
        fresh = [n for pair, n in wanted.items() if pair not in existing]
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        # ignore_conflicts gives no ids: read back the rows this call created (a concurrent run may have won some).
        created = list(
            Notification.objects.filter(key__in={n.key for n in fresh}, created_at=now, emailed=False)
            .filter(recipient_id__in={n.recipient_id for n in fresh})
            .select_related("recipient__user")
        ) if fresh else []
        fresh_pairs = {(n.key, n.recipient_id) for n in fresh}
        created = [n for n in created if (n.key, n.recipient_id) in fresh_pairs]
    emails = [(n, n.recipient.user.email) for n in created if n.recipient.user.email]
    if emails:

        def _send():
            for note, address in emails:
                try:
                    send_mail(note.text[:120], f"{note.text}\n{note.link}", settings.DEFAULT_FROM_EMAIL, [address])
                    Notification.objects.filter(pk=note.pk).update(emailed=True)
                except Exception:  # mail trouble never loses the in-app alert
                    log.exception("could not e-mail notification %s", note.pk)

        transaction.on_commit(_send)
    return created
