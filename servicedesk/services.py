"""Writes of the core (clients, sites, equipment, staff, work-order intake).

Each function validates with the model's rules (field-named errors), writes in
one transaction and returns the object.
"""
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import Role, WorkOrderStatus
from .models import Staff, WorkOrder, WorkOrderEvent
from .numbering import next_number


def save_record(instance, **fields):
    """Create or update a master-data record (client, site, contact, equipment) after full validation."""
    for name, value in fields.items():
        setattr(instance, name, value)
    with transaction.atomic():
        instance.full_clean()
        instance.save()
    return instance


def create_staff(
    *, username: str, name: str, roles: list[str], password: str | None = None, by=None, now=None, **profile
) -> Staff:
    """A user with a staff profile and role groups. Unknown roles are refused by name.

    `by` (a User; None = the system) must hold the authority to grant every role (docs/rules.md §1,
    Decision (granting roles); permissions.check_role_change); the password goes through Django's validators;
    the grant is audited."""
    from django.contrib.auth import password_validation

    from .models import RoleChange
    from .permissions import check_role_change

    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": _("未知的角色:%(roles)s") % {"roles": ", ".join(unknown)}})
    if by is not None:
        check_role_change(by, staff=None, old_roles=[], new_roles=roles)
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError({"username": _("用户名 %(u)s 已存在。") % {"u": username}})
        user = User(username=username, first_name=name)
        user.full_clean(exclude=["password"])
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages})
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        staff = Staff(user=user, name=name, **profile)
        staff.full_clean()
        staff.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        RoleChange.objects.create(
            at=now or timezone.now(), by=by, staff=staff, kind=RoleChange.Kind.CREATED,
            old_roles=[], new_roles=[r for r in Role.values if r in roles],
        )
    return staff


def update_staff(*, staff: Staff, roles: list[str] | None = None, by=None, now=None, **fields) -> Staff:
    """Change a profile and/or roles. `by` (a User; None = the system) needs authority over the person and
    over every role granted or revoked, never their own roles (docs/rules.md §1, Decision (granting roles): no
    privilege escalation); role changes are audited."""
    from .models import RoleChange
    from .permissions import check_role_change, check_staff_edit

    if roles is not None:
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            raise ValidationError({"roles": _("未知的角色:%(roles)s") % {"roles": ", ".join(unknown)}})
    with transaction.atomic():
        stored = Staff.objects.select_related("user").get(pk=staff.pk) if staff.pk else None
        old_roles = list(stored.roles) if stored is not None else []
        was_active = stored.active if stored is not None else True
        if by is not None:
            check_staff_edit(by, staff=stored or staff)
            if was_active and fields.get("active") is False and staff.user_id == getattr(by, "pk", None):
                # nobody decides their own case (rule 6 of the house): a deactivation is someone else's act
                raise PermissionDenied(_("不能停用自己的账号,请由有权限的其他人办理。"))
            if roles is not None:
                check_role_change(by, staff=staff, old_roles=old_roles, new_roles=roles)
        for name, value in fields.items():
            setattr(staff, name, value)
        staff.full_clean()
        staff.save()
        if was_active and not staff.active:
            from rest_framework.authtoken.models import Token

            Token.objects.filter(user_id=staff.user_id).delete()  # a deactivated account keeps no API token
        if roles is not None:
            staff.user.groups.set(Group.objects.filter(name__in=roles))
            staff.__dict__.pop("roles", None)
            new_roles = [r for r in Role.values if r in roles]
            if set(new_roles) != set(old_roles):
                RoleChange.objects.create(
                    at=now or timezone.now(), by=by, staff=staff, kind=RoleChange.Kind.CHANGED,
                    old_roles=old_roles, new_roles=new_roles,
                )
    return staff


def set_password(*, staff: Staff, password: str, by, current_password: str | None = None) -> Staff:
    """Set a person's password through Django's validators (no weak passwords). Changing one's own password
    needs the current one; someone else's needs authority over the person. Their API tokens are revoked."""
    from django.contrib.auth import password_validation
    from rest_framework.authtoken.models import Token

    from .permissions import check_staff_edit

    user = staff.user
    if by is not None:
        if by.pk == user.pk:
            if not current_password or not user.check_password(current_password):
                raise ValidationError({"current_password": _("当前密码不正确。")})
        else:
            check_staff_edit(by, staff=staff)
    if not password:
        raise ValidationError({"password": _("请填写新密码。")})
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages})
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()
    return staff


def create_work_order(*, by: Staff | None, now: datetime | None = None, **fields) -> WorkOrder:
    """R-W1 intake: validate, number the order, stamp the first history row."""
    now = now or timezone.now()
    with transaction.atomic():
        wo = WorkOrder(created_by=by, created_at=now, status=WorkOrderStatus.NEW, **fields)
        if wo.equipment_id and not wo.equipment_model:
            wo.equipment_model = wo.equipment.model
            wo.equipment_serial = wo.equipment.serial
        wo.number = next_number("WO", timezone.localtime(now).date())
        wo.full_clean()
        wo.save()
        WorkOrderEvent.objects.create(
            work_order=wo, at=now, by=by, action="created", to_status=wo.status, note=wo.description[:200]
        )
    return wo


def set_preferred_language(*, staff: Staff, language: str) -> Staff:
    """Rule 7: the language this person reads in (e-mails, exports, pages in a browser with no picked language).
    An unknown code is ignored (the picker already refused it)."""
    from django.conf import settings

    if language not in {code for code, _name in settings.LANGUAGES} or staff.language == language:
        return staff
    with transaction.atomic():
        staff.language = language
        staff.save(update_fields=["language"])
    return staff


def can_sign_out(by: Staff | None, staff: Staff) -> bool:
    """Who may end a person's sessions everywhere: the person themselves; a department manager (or a superuser)
    for a technician (a lost or handed-on phone)."""
    if by is None or not by.active:
        return False
    if by.pk == staff.pk:
        return True
    if staff.user.is_superuser:
        return False
    return (by.user.is_superuser or by.has_role(Role.MANAGER)) and staff.has_role(Role.TECHNICIAN)


def sign_out_everywhere(*, staff: Staff, by: Staff | None, now: datetime) -> Staff:
    """End every page session of `staff` (each is logged out on its next request: servicedesk.auth.sessions) and
    delete their API tokens. Refused unless `can_sign_out`."""
    from rest_framework.authtoken.models import Token

    if not can_sign_out(by, staff):
        raise PermissionDenied(_("只有本人或部门经理(对技术员)可以让其在所有设备上退出。"))
    with transaction.atomic():
        staff.sessions_revoked_at = now
        staff.save(update_fields=["sessions_revoked_at"])
        Token.objects.filter(user=staff.user).delete()
    return staff
