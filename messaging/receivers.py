"""Events of the higher apps (servicedesk.events) become outbox rows, in the event's own transaction."""
from django.db.models import Q


from .catalogue import TEMPLATES, staff_template_for
from .choices import Audience, StaffChannelChoice
from .models import ContactChannel, StaffChannel
from .services import enqueue


def contacts_for(*, client, site=None):
    """The client's contacts who want messages, not opted out: for a site's event (a visit) the site's contacts and
    the client-wide ones; for the client's own (a statement, a payment) every contact of the client."""
    where = Q(contact__client=client, opted_out=False)
    if site is not None:
        where &= Q(contact__site__isnull=True) | Q(contact__site=site)
    return list(ContactChannel.objects.filter(where).select_related("contact").order_by("contact_id"))


def on_client_event(sender, *, kind, client, site=None, event_key, params=None, links=None, now, **kwargs):
    if kind not in TEMPLATES or TEMPLATES[kind].audience != Audience.CLIENT:
        raise ValueError(f"not a client message template: {kind}")
    for choice in contacts_for(client=client, site=site):
        # each recipient's links are their own: the provider builds that contact's page (messaging.links)
        own_links = {k: {**(kw or {}), "contact_id": choice.contact_id} for k, kw in (links or {}).items()}
        enqueue(channel=choice.channel, address=choice.target, template_key=kind, params=params or {},
                links=own_links, language=choice.language, contact=choice.contact,
                idempotency_key=f"{event_key}:contact={choice.contact_id}", now=now)


def on_staff_alerted(sender, *, notifications, now, **kwargs):
    wanted = [(n, staff_template_for(n.key)) for n in notifications]
    wanted = [(n, key) for n, key in wanted if key]
    if not wanted:
        return
    choices = {c.staff_id: c.channel for c in StaffChannel.objects.filter(
        staff_id__in={n.recipient_id for n, _k in wanted}).exclude(channel=StaffChannelChoice.IN_APP)}
    for note, key in wanted:
        channel = choices.get(note.recipient_id)
        person = note.recipient
        if not channel or not person.phone or not person.active:
            continue
        enqueue(channel=channel, address=person.phone, template_key=key,
                params={"alert": note.message if note.message else note.text, "link": _absolute(note.link)},
                language=person.language, staff=person, idempotency_key=f"alert:{note.pk}", now=now)


def _absolute(link: str) -> str:
    from django.conf import settings

    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if link and base else (link or "")
