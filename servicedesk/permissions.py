"""Who may see and do what (DEVELOPERS.md rule 6, SPEC §1). Enforced server-side for the API and the pages."""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .choices import Role

# Roles that see the whole department's work orders; everyone else sees only their own.
DEPARTMENT_WIDE = frozenset(
    {Role.COORDINATOR, Role.MANAGER, Role.GM_OFFICE, Role.ADMIN, Role.FINANCE, Role.SALES, Role.SUPERVISOR}
)
MASTER_DATA_EDITORS = frozenset({Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
STAFF_EDITORS = frozenset({Role.MANAGER, Role.ADMIN})
INTAKE = frozenset({Role.COORDINATOR, Role.MANAGER})


def staff_of(user):
    """The Staff profile of a user, or None (anonymous users and users without a profile)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Exception:  # RelatedObjectDoesNotExist
        return None


def has_role(user, *roles) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_of(user)
    return bool(staff and staff.active and staff.has_role(*roles))


def sees_all_work_orders(staff) -> bool:
    return staff.user.is_superuser or staff.has_role(*DEPARTMENT_WIDE)


def require_role(user, *roles):
    if not has_role(user, *roles):
        raise PermissionDenied


class RolePermission(BasePermission):
    """Views declare `read_roles` / `write_roles` (None = any active staff member) and
    optionally `action_roles = {"action": {roles}}` for custom actions."""

    message = _("您的角色无权执行此操作。")

    def has_permission(self, request, view):
        user = request.user
        if user.is_superuser:
            return True
        staff = staff_of(user)
        if staff is None or not staff.active:
            return False
        roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if roles is None:
            roles = getattr(view, "read_roles", None) if request.method in SAFE_METHODS else getattr(view, "write_roles", ())
        return roles is None or staff.has_role(*roles)
