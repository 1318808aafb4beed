from datetime import timedelta

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _last_month(now):
    return (timezone.localdate(now).replace(day=1) - timedelta(days=1)).replace(day=1)


def _draft_statements_last_month(viewer, now):
    """R-M9: last month's statements the manager has not approved yet (one query)."""
    from .choices import StatementStatus
    from .models import Statement

    return Statement.objects.filter(month=_last_month(now), status=StatementStatus.DRAFT).count()


def _statements_to_archive(viewer, now):
    """R-M9: approved statements (any month) waiting for admin to archive them (one query)."""
    from .choices import StatementStatus
    from .models import Statement

    return Statement.objects.filter(status=StatementStatus.APPROVED).count()


class BonusesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bonuses"
    verbose_name = _("奖金与罚款")

    def ready(self):
        from servicedesk.choices import Role
        from servicedesk.context_processors import register_nav
        from servicedesk.todos import register_todo

        register_todo({Role.MANAGER}, _("上月未审批的月度结算单"), "bonuses:month", _draft_statements_last_month,
                      key="draft_statements_last_month")
        register_todo({Role.ADMIN}, _("待归档的已审批结算单"), "bonuses:archive", _statements_to_archive,
                      key="statements_to_archive")

        register_nav("bonuses:month", _("月度奖罚"), {Role.MANAGER, Role.FINANCE, Role.ADMIN})
        register_nav("bonuses:archive", _("结算单归档"), {Role.ADMIN})
        register_nav("bonuses:mine", _("我的月度奖罚"), None)
        register_nav("penalties:offence_new", _("记录违规"), {Role.MANAGER, Role.SUPERVISOR, Role.TEAM_LEAD, Role.COORDINATOR})
        register_nav("callbacks:complaint_new", _("登记投诉"), {Role.COORDINATOR, Role.MANAGER})

        # R-M6..R-M8: a completed project's pool becomes its people's shares, in the completion's transaction.
        from dispatch.projects.signals import project_completed

        from .services import on_project_completed

        project_completed.connect(on_project_completed, dispatch_uid="bonuses.project_completed")
