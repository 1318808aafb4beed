from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "messaging"
    verbose_name = _("消息")

    def ready(self):
        # Higher apps tell us about events through the core's signals (servicedesk/events.py), never an import.
        from servicedesk.events import client_event, staff_alerted

        from . import receivers

        client_event.connect(receivers.on_client_event, dispatch_uid="messaging.client_event")
        staff_alerted.connect(receivers.on_staff_alerted, dispatch_uid="messaging.staff_alerted")
