"""Who may see and do what (docs/developers.md rule 6, SPEC §1). Enforced server-side for the API and the pages."""
from django.core.exceptions import PermissionDenied
from django.http import Http404
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
# `action_roles = {"action": ANY_STAFF}`: any active staff member; the service decides the rest.
ANY_STAFF = object()


def staff_of(user):
    """The Staff profile of a user, or None (anonymous users and users without a profile)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.staff
    except Exception:  # RelatedObjectDoesNotExist
        return None


def require_staff(user, *, hide: bool = False):
    """The Staff profile of `user`, for a page that acts as (or about) that person. Without one: PermissionDenied
    with the reason, or Http404 with `hide=True` (a personal page: "my month", "my record" — nothing to show)."""
    staff = staff_of(user)
    if staff is None:
        if hide:
            raise Http404
        raise PermissionDenied(_("您的账号没有员工档案,请联系管理员。"))
    return staff


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
    optionally `action_roles = {"action": {roles}}` (or ANY_STAFF) for custom actions."""

    message = _("您的角色无权执行此操作。")

    def has_permission(self, request, view):
        user = request.user
        if user.is_superuser:
            return True
        staff = staff_of(user)
        if staff is None or not staff.active:
            return False
        roles = getattr(view, "action_roles", {}).get(getattr(view, "action", None))
        if roles is ANY_STAFF:
            return True
        if roles is None:
            roles = getattr(view, "read_roles", None) if request.method in SAFE_METHODS else getattr(view, "write_roles", ())
        return roles is None or staff.has_role(*roles)


# --------------------------------------------------------------------------- role grants (docs/rules.md §1)
# Who may grant (and revoke) each role: someone holding a higher authority than the role. The department
# manager appoints the roles below them in the department; every other role — the manager's own, the
# other departments', GM office — is granted by admin (行政部); the admin role only by a superuser.
# Nobody ever changes their own roles.
ROLE_GRANTORS: dict[str, frozenset] = {
    Role.TECHNICIAN: frozenset({Role.MANAGER, Role.ADMIN}),
    Role.TEAM_LEAD: frozenset({Role.MANAGER, Role.ADMIN}),
    Role.COORDINATOR: frozenset({Role.MANAGER, Role.ADMIN}),
    Role.SUPERVISOR: frozenset({Role.ADMIN}),
    Role.FINANCE: frozenset({Role.ADMIN}),
    Role.SALES: frozenset({Role.ADMIN}),
    Role.MANAGER: frozenset({Role.ADMIN}),
    Role.GM_OFFICE: frozenset({Role.ADMIN}),
    Role.ADMIN: frozenset(),  # superuser only
}


def may_grant(user, role: str) -> bool:
    """May `user` grant or revoke `role` (to someone else)?"""
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_of(user)
    return bool(staff and staff.active and staff.has_role(*ROLE_GRANTORS.get(role, ())))


def check_role_change(user, *, staff, old_roles, new_roles) -> None:
    """Refuse (PermissionDenied, translated) a change of `staff`'s roles that `user` may not make.

    `staff` is None for a new account. Unchanged roles need no authority."""
    old, new = set(old_roles or ()), set(new_roles or ())
    if old == new:
        return
    me = staff_of(user)
    if staff is not None and (
        (me is not None and me.pk == staff.pk) or staff.user_id == getattr(user, "pk", None)
    ):
        raise PermissionDenied(_("不能变更自己的角色,请由有权限的其他人办理。"))
    refused = sorted(old ^ new, key=lambda r: list(Role.values).index(r) if r in Role.values else 99)
    refused = [r for r in refused if not may_grant(user, r)]
    if refused:
        labels = "、".join(str(Role(r).label) if r in Role.values else r for r in refused)
        raise PermissionDenied(
            _("您无权授予或撤销以下角色:%(roles)s。部门经理只能任命技术员、技术组长和协调员;其他角色由行政部授予,行政部角色由系统管理员授予。")
            % {"roles": labels}
        )


def check_staff_edit(user, *, staff) -> None:
    """Editing another person's account needs authority over every role they hold (a manager cannot
    rename, deactivate or reset the password of an admin or another manager)."""
    me = staff_of(user)
    if getattr(user, "is_superuser", False) or (me is not None and me.pk == staff.pk):
        return
    if staff.user.is_superuser:
        raise PermissionDenied(_("您无权修改该账号。"))
    above = [r for r in staff.roles if not may_grant(user, r)]
    if above:
        labels = "、".join(str(Role(r).label) for r in above)
        raise PermissionDenied(_("您无权修改担任以下角色的员工账号:%(roles)s。") % {"roles": labels})


def grantor_conflict(*, decider, person, on) -> bool:
    """R-N1 Decision: was `decider`'s account created, or given a role, by `person` within
    `security.grantor_conflict_days` before `on`? Such an account may not decide `person`'s penalties."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import RoleChange
    from .params import param

    if decider is None or person is None or decider.user.is_superuser:
        return False
    on_date = timezone.localdate(on) if hasattr(on, "hour") else on
    days = int(param("security.grantor_conflict_days", on=on_date))
    since = on - timedelta(days=days) if hasattr(on, "hour") else None
    rows = RoleChange.objects.filter(staff=decider, by_id=person.user_id)
    rows = rows.filter(at__gte=since) if since is not None else rows.filter(at__date__gte=on_date - timedelta(days=days))
    return any(row.kind == RoleChange.Kind.CREATED or row.granted for row in rows.only("kind", "old_roles", "new_roles"))
