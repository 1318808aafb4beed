"""The back office's read-only view of the portal's links and the clients' reports (writes go through the
services: the desk pages /portal/links/ and /portal/intake/)."""
from django.contrib import admin

from servicedesk.admin_base import ReadOnlyAdmin

from .models import ClientLink, IntakeRequest


@admin.register(ClientLink)
class ClientLinkAdmin(ReadOnlyAdmin):
    list_display = ["contact", "created_at", "expires_at", "revoked_at", "last_opened_at"]
    list_filter = ["revoked_at"]
    search_fields = ["contact__name", "contact__client__name"]
    exclude = ["nonce", "token_hash"]


@admin.register(IntakeRequest)
class IntakeRequestAdmin(ReadOnlyAdmin):
    list_display = ["client", "contact", "created_at", "status", "work_order"]
    list_filter = ["status"]
    search_fields = ["client__name", "description"]
