"""Role changes made in Django's admin follow the product's rules and land in the role-change audit
(docs/rules.md §1, Decision (granting roles))."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from servicedesk.choices import Role
from servicedesk.models import RoleChange
from tests.factories import staff_with

pytestmark = pytest.mark.django_db


def _post_groups(client, user, roles):
    """Submit the admin's change form of `user` as shown, with the role groups replaced."""
    url = f"/admin/auth/user/{user.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("password", "usable_password") or value is None:
            continue
        widget_name = form.add_prefix(name)
        if name == "groups":
            data[widget_name] = [g.pk for g in Group.objects.filter(name__in=roles)]
        elif name == "user_permissions":
            data[widget_name] = [p.pk for p in value]
        elif hasattr(value, "date"):  # split date / time widgets of the admin
            data[f"{widget_name}_0"], data[f"{widget_name}_1"] = value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")
        elif isinstance(value, bool):
            if value:
                data[widget_name] = "on"
        else:
            data[widget_name] = value
    return client.post(url, data)


def _superuser(with_profile=False):
    if with_profile:
        staff = staff_with(Role.ADMIN, name="系统管理员")
        user = staff.user
    else:
        user = get_user_model().objects.create_user("root", password="x-long-enough-123")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


def test_a_promotion_in_the_admin_is_audited_with_who_made_it(client, technician):
    root = _superuser()
    client.force_login(root)
    response = _post_groups(client, technician.user, [Role.TECHNICIAN, Role.TEAM_LEAD])
    assert response.status_code == 302, response.content[:500]
    technician.refresh_from_db()
    assert set(technician.user.groups.values_list("name", flat=True)) == {Role.TECHNICIAN, Role.TEAM_LEAD}
    change = RoleChange.objects.get(staff=technician, kind=RoleChange.Kind.CHANGED)
    assert change.by == root and change.granted == [Role.TEAM_LEAD] and change.revoked == []


def test_nobody_changes_their_own_roles_in_the_admin_either(client):
    root = _superuser(with_profile=True)
    client.force_login(root)
    response = _post_groups(client, root, [Role.ADMIN, Role.MANAGER])
    assert response.status_code == 403
    assert set(root.groups.values_list("name", flat=True)) == {Role.ADMIN}
    assert not RoleChange.objects.filter(staff=root.staff, kind=RoleChange.Kind.CHANGED).exists()


def test_saving_the_form_without_a_role_change_writes_no_audit_row(client, technician):
    client.force_login(_superuser())
    assert _post_groups(client, technician.user, [Role.TECHNICIAN]).status_code == 302
    assert not RoleChange.objects.filter(staff=technician, kind=RoleChange.Kind.CHANGED).exists()


def test_the_audit_is_readable_in_the_admin_and_cannot_be_edited_or_deleted(client, technician):
    root = _superuser()
    client.force_login(root)
    _post_groups(client, technician.user, [Role.TECHNICIAN, Role.TEAM_LEAD])
    change = RoleChange.objects.get(staff=technician, kind=RoleChange.Kind.CHANGED)
    listing = client.get("/admin/servicedesk/rolechange/")
    assert listing.status_code == 200 and technician.name in listing.content.decode()
    assert client.post(f"/admin/servicedesk/rolechange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert RoleChange.objects.filter(pk=change.pk).exists()


def test_every_admin_list_opens_and_service_written_records_cannot_be_added_there(client):
    """Each model's admin list opens for a superuser; the read-only ones (audit, history, compiled results) offer
    no "add" — they are written by the services only."""
    from django.contrib import admin

    from servicedesk.admin_base import ReadOnlyAdmin

    client.force_login(_superuser())
    read_only = []
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url
        if isinstance(model_admin, ReadOnlyAdmin):
            read_only.append(model._meta.label)
            assert client.get(url + "add/").status_code == 403, url
    assert {"servicedesk.RoleChange", "dispatch.Deadline", "penalties.PenaltyDecision", "reports.MonthlyReport"} <= set(read_only)
