"""Apps declare their own to-dos, menu entries and role permissions; the core and the workspace only collect them
(docs/developers.md: apps depend one way, no app edits another app's tables)."""
import pytest
from django.contrib.auth.models import Group

from servicedesk.choices import Role
from servicedesk.roles import role_permissions
from workspace import context_processors, todos

pytestmark = pytest.mark.django_db

BILLING_VIEW = "billing.view_chargeline"
DISPATCH_VIEW = "dispatch.view_assignment"


@pytest.mark.parametrize("role, billing, dispatch", [
    (Role.MANAGER, True, True),
    (Role.FINANCE, True, False),
    (Role.SALES, True, False),
    (Role.COORDINATOR, False, True),
    (Role.SUPERVISOR, False, True),
    (Role.GM_OFFICE, False, True),
    (Role.TECHNICIAN, False, False),
])
def test_each_role_group_gets_what_the_apps_declare_for_that_role_only(role, billing, dispatch):
    """One app's grant to a role never reaches another role (the roles share no list)."""
    table = role_permissions()
    assert (BILLING_VIEW in table.get(role, [])) is billing
    assert (DISPATCH_VIEW in table.get(role, [])) is dispatch
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}
    assert (BILLING_VIEW in granted) is billing and (DISPATCH_VIEW in granted) is dispatch


def test_the_workspace_places_every_declared_to_do_and_menu_entry():
    """The workspace's order names what the apps declare, and nothing they do not (no stale or misspelt key)."""
    assert sorted(todos.ORDER) == sorted(t.key for t in todos.DECLARED)
    assert sorted(context_processors.ORDER) == sorted(e.url_name for e in context_processors.DECLARED)
