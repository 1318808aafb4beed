"""Role groups and their Django permissions (SPEC §1), kept in step after every migrate.

Each app declares the model-level permissions (app_label.codename) its models give each role as
`role_permissions` on its own AppConfig (servicedesk/hooks.py); page/API rules live in permissions.py.
"""
from .choices import Role

# the core's own models (ServicedeskConfig.role_permissions)
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


def role_permissions() -> dict[str, list[str]]:
    """Every installed app's declared permissions per role, merged (INSTALLED_APPS order, no duplicates)."""
    from .hooks import declared

    merged: dict[str, list[str]] = {}
    for _label, table in declared("role_permissions"):
        for role, perms in table.items():
            wanted = merged.setdefault(role, [])
            wanted.extend(p for p in perms if p not in wanted)
    return merged


def ensure_role_groups(**kwargs) -> None:
    """Create one group per role and grant its permissions (idempotent; connected to post_migrate)."""
    from django.contrib.auth.models import Group, Permission  # here: apps.py reads this module before the models load

    table = role_permissions()
    perms = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    for role in Role.values:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = [perms[p] for p in table.get(role, []) if p in perms]
        group.permissions.add(*wanted)
