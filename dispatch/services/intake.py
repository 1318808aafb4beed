"""Intake of a caller who is not yet a client (R-W1): the client, its first site and the work order together."""
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from servicedesk.models import Staff, WorkOrder

from .common import _require_desk


NEW_SITE_FIELDS = {"name": "site_name", "address": "address", "area": "area", "contact_name": "site_contact", "phone": "site_phone"}


def check_new_client(*, client_fields: dict, site_fields: dict) -> None:
    """R-W1 intake of a caller who is not yet a client: the client's and its first site's fields validated together,
    so every mistake is named at once (site fields by the names the intake page gives them)."""
    from servicedesk.models import Client, Site

    errors = {}
    client = Client(**client_fields)
    try:
        client.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        Site(client=client, **site_fields).full_clean(exclude=["client"], validate_unique=False)
    except ValidationError as exc:
        errors.update({NEW_SITE_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)


def intake_new_client(*, client_fields: dict, site_fields: dict, order_fields: dict, by: Staff, now: datetime) -> WorkOrder:
    """R-W1: a caller who is not yet a client — the coordinator creates the client, its first
    site and the work order in one transaction; any invalid field rolls all three back (all named at once)."""
    from servicedesk.models import Client, Site
    from servicedesk.services import create_work_order, save_record

    _require_desk(by)
    check_new_client(client_fields=client_fields, site_fields=site_fields)
    with transaction.atomic():
        client = save_record(Client(), **client_fields)
        try:
            site = save_record(Site(client=client), **site_fields)
        except ValidationError as exc:  # named as the intake page names them
            raise ValidationError({NEW_SITE_FIELDS.get(k, k): v for k, v in exc.message_dict.items()})
        fields = {k: v for k, v in order_fields.items() if k not in ("client", "site", "equipment")}
        if not fields.get("contact_name"):
            fields["contact_name"] = site.contact_name
        if not fields.get("contact_phone"):
            fields["contact_phone"] = site.phone
        return create_work_order(by=by, now=now, client=client, site=site, **fields)
