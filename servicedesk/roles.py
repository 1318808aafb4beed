"""Role groups and their Django permissions (SPEC §1), kept in step after every migrate."""
from django.contrib.auth.models import Group, Permission

from .choices import Role

# model-level permissions (app_label.codename) per role; page/API rules live in permissions.py.
_MASTER = [f"servicedesk.{a}_{m}" for m in ("client", "site", "contact", "equipment") for a in ("add", "change", "view")]
_VIEW_CORE = [f"servicedesk.view_{m}" for m in ("client", "site", "contact", "equipment", "staff", "workorder", "workorderevent")]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COORDINATOR: _MASTER + _VIEW_CORE + ["servicedesk.add_workorder", "servicedesk.change_workorder"],
    Role.TECHNICIAN: [],
    Role.TEAM_LEAD: [],
    Role.SUPERVISOR: _VIEW_CORE,
    Role.MANAGER: _MASTER
    + _VIEW_CORE
    + [
        "servicedesk.add_workorder",
        "servicedesk.change_workorder",
        "servicedesk.add_staff",
        "servicedesk.change_staff",
        "servicedesk.view_ruleparameter",
        "servicedesk.add_ruleparameter",
        "servicedesk.change_ruleparameter",
        "servicedesk.manage_rule_parameters",
        "servicedesk.view_calendaryear",
        "servicedesk.view_calendarday",
    ],
    Role.GM_OFFICE: _VIEW_CORE,
    Role.ADMIN: _VIEW_CORE
    + [
        "servicedesk.add_staff",
        "servicedesk.change_staff",
        "servicedesk.view_ruleparameter",
        "servicedesk.view_calendaryear",
        "servicedesk.add_calendaryear",
        "servicedesk.change_calendaryear",
        "servicedesk.view_calendarday",
        "servicedesk.change_calendarday",
    ],
    Role.FINANCE: _VIEW_CORE,
    Role.SALES: _VIEW_CORE,
}


def ensure_role_groups(**kwargs) -> None:
    """Create one group per role and grant its permissions (idempotent; connected to post_migrate).

    Other apps extend ROLE_PERMISSIONS from their AppConfig.ready() before migrate finishes.
    """
    perms = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    for role in Role.values:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [perms[p] for p in ROLE_PERMISSIONS.get(role, []) if p in perms]
        group.permissions.add(*wanted)
