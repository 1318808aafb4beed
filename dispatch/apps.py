from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from servicedesk.choices import Role

_VIEW = [f"dispatch.view_{m}" for m in ("assignment", "deadline", "refusal", "handover", "closeout", "carryinrepair", "clientchase")]


class DispatchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dispatch"
    verbose_name = _("派单")
    # servicedesk/hooks.py: dispatch's permissions, its panel on the work-order page and the names of the event
    # actions it stamps (R-W3); its to-dos and menu entries: todos.py, menu.py (read by the workspace)
    role_permissions = {role: _VIEW for role in (Role.COORDINATOR, Role.MANAGER, Role.SUPERVISOR, Role.GM_OFFICE)}
    work_order_panels = [("dispatch/panel.html", "dispatch.views.work_order_panel")]
    work_order_actions = "dispatch.services.ACTION_LABELS"

    def ready(self):
        from servicedesk.events import calendar_year_loaded

        from .resident.services import on_calendar_year_loaded

        # SPEC §11 / R-R4: a calendar year loaded recomputes the provisional documents-due days
        calendar_year_loaded.connect(on_calendar_year_loaded, dispatch_uid="dispatch.resident.calendar_year_loaded")
        _load_subpackage_modules()


def _load_subpackage_modules():
    """The resident service and the maintenance contracts (R-R1…R-R6) live in sub-packages, which Django's admin and
    Celery's autodiscovery do not search: import their admin registrations and their beat tasks."""
    from .contracts import tasks as _contract_tasks  # noqa: F401  (R-R6: inspection work orders ahead, renewals)
    from .resident import admin as _resident_admin  # noqa: F401
    from .resident import tasks as _resident_tasks  # noqa: F401  (R-R4: the documents due)
