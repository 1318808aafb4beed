"""Writes of the core (clients, sites, equipment, staff, work-order intake).

Each function validates with the model's rules (field-named errors), writes in
one transaction and returns the object.
"""
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
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
    *, username: str, name: str, roles: list[str], password: str | None = None, **profile
) -> Staff:
    """A user with a staff profile and role groups. Unknown roles are refused by name."""
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise ValidationError({"roles": _("未知的角色:%(roles)s") % {"roles": ", ".join(unknown)}})
    User = get_user_model()
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ValidationError({"username": _("用户名 %(u)s 已存在。") % {"u": username}})
        user = User(username=username, first_name=name)
        user.full_clean(exclude=["password"])
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        staff = Staff(user=user, name=name, **profile)
        staff.full_clean()
        staff.save()
        user.groups.set(Group.objects.filter(name__in=roles))
    return staff


def update_staff(*, staff: Staff, roles: list[str] | None = None, **fields) -> Staff:
    if roles is not None:
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            raise ValidationError({"roles": _("未知的角色:%(roles)s") % {"roles": ", ".join(unknown)}})
    with transaction.atomic():
        for name, value in fields.items():
            setattr(staff, name, value)
        staff.full_clean()
        staff.save()
        if roles is not None:
            staff.user.groups.set(Group.objects.filter(name__in=roles))
            staff.__dict__.pop("roles", None)
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
