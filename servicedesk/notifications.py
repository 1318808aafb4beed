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
        .distinct()
    )


def notify(*, recipients, key: str, text: str, link: str = "", now: datetime) -> list[Notification]:
    """Create the alert for each recipient who has not had it yet; e-mail those with an address. Idempotent."""
    created = []
    with transaction.atomic():
        for staff in recipients:
            note, was_new = Notification.objects.get_or_create(
                key=key, recipient=staff, defaults={"text": text[:300], "link": link, "created_at": now}
            )
            if was_new:
                created.append(note)
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
