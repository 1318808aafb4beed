"""The granting-roles Decision (docs/rules.md §1) and R-N1 Decision: roles are granted only with authority over
them, never to oneself, every change audited;
the penalty of a person is not decided by an account they created or promoted recently; passwords."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from penalties import services as penalties
from penalties.choices import PenaltyStatus
from servicedesk import services
from servicedesk.choices import Role
from servicedesk.models import RoleChange, Staff
from servicedesk.params import schedule_param
from tests.factories import WorkOrderFactory, staff_with

pytestmark = pytest.mark.django_db
STRONG = "Kq7#vT2m!pLx"
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday: the services below take it as `now`


def roles_of(staff):
    return Staff.objects.get(pk=staff.pk).roles


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_nobody_changes_their_own_roles(api, role):
    me = staff_with(role, name="自己")
    r = api(me).patch(f"/api/staff/{me.pk}/", {"roles": [role, Role.GM_OFFICE, Role.FINANCE]}, format="json")
    assert r.status_code == 403
    assert "不能变更自己的角色" in r.json()["detail"]
    assert roles_of(me) == [role]
    assert not RoleChange.objects.filter(staff=me).exists()


def test_unchanged_roles_in_a_full_update_of_oneself_are_fine(api, manager):
    r = api(manager).patch(f"/api/staff/{manager.pk}/", {"roles": ["manager"], "phone": "13812345678"}, format="json")
    assert r.status_code == 200 and r.json()["phone"] == "13812345678"


def test_manager_cannot_create_a_second_manager(api, manager):
    r = api(manager).post(
        "/api/staff/", {"username": "m2", "name": "二号经理", "roles": ["manager"], "password": STRONG}, format="json"
    )
    assert r.status_code == 403
    assert "部门经理" in r.json()["detail"]
    assert not get_user_model().objects.filter(username="m2").exists()


def test_manager_appoints_department_roles_and_every_grant_is_audited(api, manager):
    r = api(manager).post("/api/staff/", {"username": "t9", "name": "新技术员", "roles": ["technician"]}, format="json")
    assert r.status_code == 201, r.json()
    new = Staff.objects.get(pk=r.json()["id"])
    created = RoleChange.objects.get(staff=new)
    assert (created.kind, created.by, created.old_roles, created.new_roles) == ("created", manager.user, [], ["technician"])

    r = api(manager).patch(f"/api/staff/{new.pk}/", {"roles": ["technician", "team_lead"]}, format="json")
    assert r.status_code == 200 and r.json()["roles"] == ["technician", "team_lead"]
    change = RoleChange.objects.filter(staff=new, kind="changed").get()
    assert change.by == manager.user and change.old_roles == ["technician"] and change.granted == ["team_lead"]

    r = api(manager).patch(f"/api/staff/{new.pk}/", {"roles": ["technician"]}, format="json")
    assert r.status_code == 200
    assert RoleChange.objects.filter(staff=new, kind="changed").first().revoked == ["team_lead"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.MANAGER, Role.FINANCE, Role.GM_OFFICE])
def test_manager_cannot_grant_roles_above_the_department(api, manager, technician, role):
    r = api(manager).patch(f"/api/staff/{technician.pk}/", {"roles": ["technician", role]}, format="json")
    assert r.status_code == 403 and str(Role(role).label) in r.json()["detail"]
    assert roles_of(technician) == ["technician"]


def test_manager_cannot_edit_an_account_above_them(api, manager, admin_staff):
    other_manager = staff_with(Role.MANAGER, name="另一经理")
    for target in (admin_staff, other_manager):
        r = api(manager).patch(f"/api/staff/{target.pk}/", {"active": False}, format="json")
        assert r.status_code == 403
        assert Staff.objects.get(pk=target.pk).active


def test_admin_grants_manager_but_admin_role_only_by_a_superuser(api, admin_staff, technician):
    r = api(admin_staff).patch(f"/api/staff/{technician.pk}/", {"roles": ["technician", "manager"]}, format="json")
    assert r.status_code == 200
    assert RoleChange.objects.get(staff=technician).by == admin_staff.user
    r = api(admin_staff).patch(f"/api/staff/{technician.pk}/", {"roles": ["admin"]}, format="json")
    assert r.status_code == 403 and "行政部" in r.json()["detail"]


# --------------------------------------------------------------------------- the penalty hole (R-N1 decision)
def _penalty_of(person, on):
    return penalties.propose(person=person, rule="P9", source=WorkOrderFactory(), reason="质量问题", on=on.date(), now=on)


def test_account_created_by_the_person_concerned_cannot_decide_their_penalty(admin_staff):
    # an admin-department person creates a manager account, then gets a penalty
    t0 = T0
    crony = services.create_staff(username="crony", name="新经理", roles=["manager"], by=admin_staff.user, now=t0)
    pen = _penalty_of(admin_staff, t0 + timedelta(days=2))
    with pytest.raises(PermissionDenied) as exc:
        penalties.reject(penalty=pen, by=crony, now=t0 + timedelta(days=3), reason="不认")
    assert "当事人创建或授予角色" in str(exc.value)
    assert pen.__class__.objects.get(pk=pen.pk).status == PenaltyStatus.PENDING
    # an independent manager decides it
    other = staff_with(Role.MANAGER, name="独立经理")
    assert penalties.reject(penalty=pen, by=other, now=t0 + timedelta(days=3), reason="不成立").status == "rejected"


def test_promotion_by_the_person_concerned_counts_too_and_expires_with_the_parameter(admin_staff, technician):
    t0 = T0
    services.update_staff(staff=technician, roles=["technician", "manager"], by=admin_staff.user, now=t0)
    promoted = Staff.objects.get(pk=technician.pk)
    pen = _penalty_of(admin_staff, t0 + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        penalties.confirm(penalty=pen, by=promoted, now=t0 + timedelta(days=20))
    # default 31 days: after that the promotion no longer bars the decision …
    later = t0 + timedelta(days=40)
    assert penalties.confirm(penalty=pen, by=promoted, now=later).status == "confirmed"
    # … unless the parameter says longer
    pen2 = _penalty_of(admin_staff, later)
    schedule_param(name="security.grantor_conflict_days", value="90", effective_from=t0.date() - timedelta(days=1),
                   today=t0.date() - timedelta(days=2), note="测试")
    with pytest.raises(PermissionDenied):
        penalties.confirm(penalty=pen2, by=promoted, now=later)


# --------------------------------------------------------------------------- passwords (Django's validators)
def test_weak_password_on_create_is_refused_by_the_validators(api, manager):
    r = api(manager).post(
        "/api/staff/", {"username": "weak", "name": "弱口令", "roles": ["technician"], "password": "1"}, format="json"
    )
    assert r.status_code == 400 and r.json()["password"]
    assert not get_user_model().objects.filter(username="weak").exists()


def test_password_in_patch_is_refused_not_ignored(api, manager, technician):
    before = get_user_model().objects.get(pk=technician.user_id).password
    r = api(manager).patch(f"/api/staff/{technician.pk}/", {"password": STRONG}, format="json")
    assert r.status_code == 400 and "set-password" in r.json()["password"][0]
    assert get_user_model().objects.get(pk=technician.user_id).password == before


def test_set_password_endpoint(api, manager, technician, other_technician):
    Token.objects.create(user=technician.user)
    url = f"/api/staff/{technician.pk}/set-password/"
    # oneself: the current password is needed, and the validators run
    technician.user.set_password("Old-pass-2026!")
    technician.user.save()
    assert api(technician).post(url, {"password": STRONG}, format="json").status_code == 400
    r = api(technician).post(url, {"password": "12345678", "current_password": "Old-pass-2026!"}, format="json")
    assert r.status_code == 400 and r.json()["password"]
    r = api(technician).post(url, {"password": STRONG, "current_password": "Old-pass-2026!"}, format="json")
    assert r.status_code == 204
    user = get_user_model().objects.get(pk=technician.user_id)
    assert user.check_password(STRONG) and not Token.objects.filter(user=user).exists()
    # someone else's: only with authority over them
    assert api(other_technician).post(url, {"password": "An0ther#Pass"}, format="json").status_code == 403
    assert api(manager).post(url, {"password": "An0ther#Pass"}, format="json").status_code == 204
    assert get_user_model().objects.get(pk=technician.user_id).check_password("An0ther#Pass")
