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
    `security.grantor_conflict_days` before `on`? Such an account may not decide `person`'s penalties.

    The window is the longer of the one in force on the day of the grant and the one in force on `on`: a later
    version (admin only, never back-dated) can widen the safeguard but never release a conflict that already
    existed when the role was given."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import RoleChange, RuleParameter
    from .params import param

    if decider is None or person is None or decider.user.is_superuser:
        return False
    at = on if hasattr(on, "hour") else None
    on_date = timezone.localdate(on) if at is not None else on
    name = "security.grantor_conflict_days"
    days_now = int(param(name, on=on_date))
    widest = max([days_now, *(int(v) for v in RuleParameter.objects.filter(name=name, effective_from__lte=on_date).values_list("value", flat=True))])
    rows = RoleChange.objects.filter(staff=decider, by_id=person.user_id, at__date__gte=on_date - timedelta(days=widest + 1))
    if at is not None:
        rows = rows.filter(at__lte=at)
    for row in rows.only("kind", "old_roles", "new_roles", "at"):
        if not (row.kind == RoleChange.Kind.CREATED or row.granted):
            continue
        days = max(days_now, int(param(name, on=timezone.localdate(row.at))))
        if (at - row.at if at is not None else timedelta(days=(on_date - timezone.localdate(row.at)).days)) <= timedelta(days=days):
            return True
    return False


# --------------------------------------------------------------------------- active accounts
def account_active(user) -> bool:
    """Is `user` allowed in at all? A deactivated Staff profile is a deactivated account: it signs in nowhere —
    not the pages, not the API, not the admin, not a link — and an open session or token stops working at the
    next request (the one check: servicedesk.auth.ActiveStaffBackend for sessions, ExpiringTokenAuthentication
    for tokens). Users without a profile are ruled by Django's own `is_active`."""
    if not getattr(user, "is_active", False):
        return False
    staff = staff_of(user)
    return staff is None or staff.active


# --------------------------------------------------------------------------- rule parameters (docs/developers.md rule 2)
# Safeguards against the people they guard are not rules a manager tunes (rule 6 of the house: nobody decides their
# own case): the `security.*` parameters are changed only by admin (行政部) or a superuser, audited like every
# version (who, when, why, simple_history) and never back-dated; every other parameter is the manager's.
SECURITY_PARAMETER_PREFIX = "security."


def may_change_parameter(user, name: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    staff = staff_of(user)
    if staff is None or not staff.active:
        return False
    if name.startswith(SECURITY_PARAMETER_PREFIX):
        return staff.has_role(Role.ADMIN)
    return staff.has_role(Role.MANAGER)


def check_parameter_change(user, name: str) -> None:
    """Refuse (PermissionDenied, translated) a new version of `name` that `user` may not schedule."""
    if may_change_parameter(user, name):
        return
    if name.startswith(SECURITY_PARAMETER_PREFIX):
        raise PermissionDenied(_("安全参数(%(name)s)只能由行政部或系统管理员调整。") % {"name": name})
    raise PermissionDenied(_("规则参数只能由部门经理调整。"))
