from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "receivables"
    verbose_name = _("销售回款")
    # its to-dos and menu entries: todos.py, menu.py (read by the workspace)

    def ready(self):
        from billing.signals import charge_decided
        from servicedesk.events import calendar_year_loaded

        from .services.calendar import on_calendar_year_loaded
        from .services.visits import on_charge_decided

        # SPEC §11: a calendar year loaded recomputes the provisional due dates
        calendar_year_loaded.connect(on_calendar_year_loaded, dispatch_uid="receivables.calendar_year_loaded")
        # R-S1: a charge decided in billing (R-B9, R-B6/R-B7) moves the visit's sales confirmation, in billing's transaction.
        charge_decided.connect(on_charge_decided, dispatch_uid="receivables.charge_decided")
