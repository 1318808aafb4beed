from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top floor (docs/developers.md): the demo department (`department.build`), written through every app's
    services, and the `seed_demo` / `rundemo` commands. No app below knows it."""

    name = "demo"
    verbose_name = _("演示部门")
