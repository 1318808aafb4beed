"""The client's own page in the demo: a site contact of the client with the most visits gets a link (through the
portal's services, sent to them through the outbox), so a first look can open /c/<token>/ on a phone. `rundemo`
prints the link with the logins."""
from django.db.models import Count

from servicedesk.models import Client, Contact
from servicedesk.services import save_record

DEMO_CONTACT = {"name": "陈主任", "phone": "13800138000", "title": "行政主管"}


def build_portal(demo) -> None:
    from messaging.services import set_contact_channel
    from portal import services

    client = (Client.objects.annotate(n=Count("work_orders")).filter(n__gt=0, sites__isnull=False)
              .order_by("-n", "pk").first())
    if client is None:
        return
    site = client.sites.order_by("pk").first()
    contact = save_record(Contact(client=client, site=site), **DEMO_CONTACT)
    # the contact reads WeCom: the coordinator's link goes out through the outbox (the "portal_link" message)
    set_contact_channel(contact=contact, channel="wecom", by=demo.staff["coord1"], now=demo.now)
    services.send_link(contact=contact, by=demo.staff["coord1"], now=demo.now)
    demo.count("portal links")


def demo_link_url(*, base: str) -> str:
    """The demo contact's live link (made anew if it was revoked or has expired), absolute under `base`."""
    from django.utils import timezone

    from portal import services

    contact = Contact.objects.filter(**{k: DEMO_CONTACT[k] for k in ("name", "phone")}).order_by("pk").first()
    if contact is None:
        return ""
    return services.link_url(contact=contact, now=timezone.now(), base=base)
