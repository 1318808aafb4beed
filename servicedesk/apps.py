from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "servicedesk"
    verbose_name = _("客服部基础数据")

    def ready(self):
        from . import auth  # noqa: F401  (connects token revocation on logout)
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, dispatch_uid="servicedesk.ensure_role_groups")
