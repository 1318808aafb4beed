"""The links the outbox's client messages carry (messaging.links, registered in apps.py): each points into the
recipient contact's own page (/c/<token>/), made when the message is sent. No contact, or a record that is not
that contact's client's, gives no link (the message goes without it) — a message never opens another client's page."""
from django.conf import settings
from django.utils import timezone

from servicedesk.models import Contact, WorkOrder


def base_url() -> str:
    """Where the client's page lives: PORTAL_BASE_URL, else the desk's SITE_URL (messages need absolute links)."""
    return (getattr(settings, "PORTAL_BASE_URL", "") or getattr(settings, "SITE_URL", "") or "").rstrip("/")


def _contact(contact_id):
    if not contact_id:
        return None
    return Contact.objects.select_related("client").filter(pk=contact_id).first()


def _page(contact) -> str:
    from .services import link_url

    return link_url(contact=contact, now=timezone.now(), base=base_url())


def page(*, contact_id=None, **_kw) -> str | None:
    """The contact's page itself (the "portal_link" message)."""
    contact = _contact(contact_id)
    return _page(contact) if contact is not None else None


def _own_visit(contact_id, work_order_id):
    contact = _contact(contact_id)
    if contact is None or not WorkOrder.objects.filter(pk=work_order_id, client_id=contact.client_id).exists():
        return None
    return contact


def rating(*, work_order_id, contact_id=None, **_kw) -> str | None:
    """The visit on the contact's page, where its rating form is (templates/portal/client.html #visit-<id>)."""
    contact = _own_visit(contact_id, work_order_id)
    return f"{_page(contact)}#visit-{work_order_id}" if contact is not None else None


def service_form(*, work_order_id, contact_id=None, **_kw) -> str | None:
    contact = _own_visit(contact_id, work_order_id)
    return f"{_page(contact)}visits/{work_order_id}/service-form.pdf" if contact is not None else None


def statement(*, statement_id, contact_id=None, **_kw) -> str | None:
    from receivables.models import MonthlyStatement

    contact = _contact(contact_id)
    if contact is None or not MonthlyStatement.objects.filter(pk=statement_id, client_id=contact.client_id).exists():
        return None
    return f"{_page(contact)}statements/{statement_id}.pdf"


def register_all() -> None:
    from messaging import links

    links.register("portal", page)
    links.register("rating", rating)
    links.register("service_form", service_form)
    links.register("statement", statement)
