from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_PERMISSIONS


class ServicedeskConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "servicedesk"
    verbose_name = _("客服部基础数据")
    role_permissions = ROLE_PERMISSIONS  # servicedesk/hooks.py

    def ready(self):
        from . import auth  # noqa: F401  (connects token revocation on logout)
        from django.contrib.auth.signals import user_logged_in

        from . import hooks
        from .language import remember_on_login
        from .roles import ensure_role_groups

        hooks.collect()  # the panels and action names the apps declare for the work-order page
        user_logged_in.connect(remember_on_login, dispatch_uid="servicedesk.remember_language")
        from .auth.sessions import start_session

        user_logged_in.connect(start_session, dispatch_uid="servicedesk.start_session")
        post_migrate.connect(ensure_role_groups, dispatch_uid="servicedesk.ensure_role_groups")
