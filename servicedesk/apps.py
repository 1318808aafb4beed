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

        from django.core import checks

        from .cache import check_shared_cache

        checks.register(check_shared_cache, checks.Tags.security, deploy=True)
        hooks.collect()  # the panels and action names the apps declare for the work-order page
        user_logged_in.connect(remember_on_login, dispatch_uid="servicedesk.remember_language")
        from .auth.sessions import start_session

        user_logged_in.connect(start_session, dispatch_uid="servicedesk.start_session")
        post_migrate.connect(ensure_role_groups, dispatch_uid="servicedesk.ensure_role_groups")
        from django.db.models.signals import pre_save

        from .validators import refuse_long_free_text

        # the one limit of free text holds on every door (pages, API, services, admin), not only where a form checks
        pre_save.connect(refuse_long_free_text, dispatch_uid="servicedesk.free_text_limit")
        # a parameter written in the admin (or anywhere) is never read from the request's memo afterwards
        from django.db.models.signals import post_delete, post_save

        from .models import RuleParameter
        from .params import forget_on_write

        post_save.connect(forget_on_write, sender=RuleParameter, dispatch_uid="servicedesk.params_forget_saved")
        post_delete.connect(forget_on_write, sender=RuleParameter, dispatch_uid="servicedesk.params_forget_deleted")
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from .memo import forget_roles

        m2m_changed.connect(forget_roles, sender=get_user_model().groups.through, dispatch_uid="servicedesk.forget_roles")
