"""notify(): in-app alert plus e-mail through Django's mail backend, once per (key, recipient).

Rule 7: an alert's words are best given as a message (servicedesk.texts.message): the page shows it in the
reader's language and the e-mail is written in the recipient's preferred language (Staff.language). Finished
text is still accepted and reads as written.
"""
import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from .choices import Role
from .events import staff_alerted
from .language import language_of
from .models import Notification, Staff
from .texts import is_message, render

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


def notify(*, recipients, key: str, text: str = "", message: dict | None = None, link: str = "",
           now: datetime) -> list[Notification]:
    """Create the alert for each recipient who has not had it yet; e-mail those with an address. Idempotent.
    `message` (servicedesk.texts.message) is read in each reader's language; `text` is finished words."""
    return notify_many(alerts=[(recipients, key, message if message is not None else text, link)], now=now)


def _stored(words) -> tuple[str, dict | None]:
    """(text in the site's language, message or None) for a finished text or a message."""
    if is_message(words):
        return render(words, language=settings.LANGUAGE_CODE)[:300], words
    return str(words)[:300], None


def notify_many(*, alerts, now: datetime) -> list[Notification]:
    """Many alerts at once — `alerts` is an iterable of (recipients, key, text or message, link) — in a fixed
    number of queries whatever their number (the beat scans, rule 3). Idempotent per (key, recipient)."""
    wanted: dict[tuple[str, int], Notification] = {}
    for recipients, key, words, link in alerts:
        text, message = _stored(words)
        for staff in recipients:
            wanted.setdefault(
                (key, staff.pk),
                Notification(key=key, recipient=staff, text=text, message=message, link=(link or "")[:200],
                             created_at=now),
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
        if created:
            # the person's chosen channel (messaging) is written in this transaction, so it never outlives a rollback
            staff_alerted.send(sender=Notification, notifications=created, now=now)
    emails = [(n, n.recipient.user.email) for n in created if n.recipient.user.email]
    if emails:

        def _send():
            for note, address in emails:
                try:
                    with translation.override(language_of(note.recipient)):  # rule 7: the recipient's language
                        body = note.body
                    send_mail(body[:120], f"{body}\n{note.link}", settings.DEFAULT_FROM_EMAIL, [address])
                    Notification.objects.filter(pk=note.pk).update(emailed=True)
                except Exception:  # mail trouble never loses the in-app alert
                    log.exception("could not e-mail notification %s", note.pk)

        transaction.on_commit(_send)
    return created
