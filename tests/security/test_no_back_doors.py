"""No back doors: the rules hold on every path (docs/developers.md rules 4 and 6). The Django admin changes a record
only through the service the pages and the API use (or not at all); a safeguard is not a rule the person it guards
can tune; a deactivated account is signed out everywhere."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import Client as Browser, RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from penalties import services as penalties
from penalties.choices import PenaltyStatus
from servicedesk import services
from servicedesk.choices import Role, ServiceContent, WorkOrderStatus
from servicedesk.models import RoleChange, RuleParameter, Staff, WorkOrder, WorkOrderEvent
from servicedesk.params import param, schedule_param
from tests.factories import WorkOrderFactory, staff_with

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
STRONG = "Kq7#vT2m!pLx"


def _admin_user(staff):
    """A person who may open the Django admin (is_staff), with nothing but their role's permissions."""
    staff.user.is_staff = True
    staff.user.save(update_fields=["is_staff"])
    return staff


def _browser(staff):
    b = Browser(HTTP_ACCEPT_LANGUAGE="zh-hans")
    b.force_login(staff.user)
    return b


def _staff_form(staff, **changes):
    data = {
        "name": staff.name, "phone": staff.phone, "area": staff.area, "team": staff.team,
        "team_lead": staff.team_lead_id or "", "resident_site": staff.resident_site_id or "", "language": staff.language,
    }
    if staff.active:
        data["active"] = "on"
    data.update(changes)
    if data.get("active") is False:
        del data["active"]
    return data


# --------------------------------------------------------------------------- 1. staff in the admin = PATCH /api/staff/
def test_a_manager_cannot_deactivate_or_rename_the_gm_office_in_the_admin_as_in_the_api(manager):
    _admin_user(manager)
    gm = staff_with(Role.GM_OFFICE, name="总经办")
    api = APIClient()
    api.force_authenticate(manager.user)
    assert api.patch(f"/api/staff/{gm.pk}/", {"active": False}, format="json").status_code == 403

    b = _browser(manager)
    url = f"/admin/servicedesk/staff/{gm.pk}/change/"
    page = b.get(url)
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()  # shown, not editable
    assert b.post(url, _staff_form(gm, name="改名", active=False)).status_code == 403
    gm.refresh_from_db()
    assert (gm.name, gm.active) == ("总经办", True)


def test_a_managers_change_of_a_technician_in_the_admin_goes_through_the_service(manager, technician):
    _admin_user(manager)
    Token.objects.create(user=technician.user)
    response = _browser(manager).post(
        f"/admin/servicedesk/staff/{technician.pk}/change/", _staff_form(technician, team="二组", active=False)
    )
    assert response.status_code == 302
    technician.refresh_from_db()
    assert (technician.team, technician.active) == ("二组", False)
    assert not Token.objects.filter(user=technician.user).exists()  # update_staff: a deactivated account keeps no token


def test_an_account_added_in_the_admin_is_made_by_the_service_with_its_rules(manager):
    _admin_user(manager)
    form = {"username": "t-new", "password": STRONG, "roles": [Role.TECHNICIAN], "name": "新技术员", "phone": "",
            "area": "南山区", "team": "", "team_lead": "", "resident_site": "", "language": "zh-hans"}
    b = _browser(manager)
    assert b.post("/admin/servicedesk/staff/add/", form).status_code == 302
    new = Staff.objects.get(user__username="t-new")
    assert (new.roles, new.area, new.user.check_password(STRONG)) == ([Role.TECHNICIAN], "南山区", True)
    audit = RoleChange.objects.get(staff=new)
    assert (audit.kind, audit.by, audit.new_roles) == ("created", manager.user, [Role.TECHNICIAN])
    # a second manager is beyond a manager's authority, a weak password beyond Django's validators: nothing saved
    page = b.post("/admin/servicedesk/staff/add/", {**form, "username": "m-new", "roles": [Role.MANAGER]})
    assert page.status_code == 200 and "部门经理只能任命" in page.content.decode()
    page = b.post("/admin/servicedesk/staff/add/", {**form, "username": "weak", "password": "1"})
    assert page.status_code == 200 and page.context["adminform"].form.errors["password"]
    assert not get_user_model().objects.filter(username__in=["m-new", "weak"]).exists()


def test_a_manager_cannot_deactivate_himself_anywhere(manager):
    _admin_user(manager)
    api = APIClient()
    api.force_authenticate(manager.user)
    r = api.patch(f"/api/staff/{manager.pk}/", {"active": False}, format="json")
    assert r.status_code == 403 and "不能停用自己的账号" in r.json()["detail"]
    assert _browser(manager).post(f"/admin/servicedesk/staff/{manager.pk}/change/", _staff_form(manager, active=False)).status_code == 403
    assert Staff.objects.get(pk=manager.pk).active
    with pytest.raises(PermissionDenied):
        services.update_staff(staff=manager, active=False, by=manager.user)


# --------------------------------------------------------------------------- 2. parameters in the admin = the service
def test_the_admin_refuses_a_back_dated_out_of_range_parameter_like_the_api(manager, fixed_now):
    _admin_user(manager)
    today = fixed_now.date()
    before = RuleParameter.objects.filter(name="billing.consumable_markup").count()
    page = _browser(manager).post("/admin/servicedesk/ruleparameter/add/", {
        "name": "billing.consumable_markup", "value": "-50", "effective_from": (today - timedelta(days=30)).isoformat(),
        "note": "试试",
    })
    assert page.status_code == 200  # the form again, with the service's reason
    assert "生效日期不能早于今天" in page.content.decode()
    page = _browser(manager).post("/admin/servicedesk/ruleparameter/add/", {
        "name": "billing.consumable_markup", "value": "-50", "effective_from": today.isoformat(), "note": "试试",
    })
    assert page.status_code == 200 and "billing.consumable_markup" in page.content.decode()
    assert page.context["adminform"].form.errors["value"]
    assert RuleParameter.objects.filter(name="billing.consumable_markup").count() == before


def test_a_parameter_scheduled_in_the_admin_is_a_new_audited_version(manager, fixed_now):
    _admin_user(manager)
    tomorrow = fixed_now.date() + timedelta(days=1)
    response = _browser(manager).post("/admin/servicedesk/ruleparameter/add/", {
        "name": "billing.consumable_markup", "value": "5", "effective_from": tomorrow.isoformat(), "note": "调价",
    })
    assert response.status_code == 302
    row = RuleParameter.objects.get(name="billing.consumable_markup", effective_from=tomorrow)
    assert (row.created_by, row.note) == (manager.user, "调价")
    assert param("billing.consumable_markup", on=tomorrow) == 5
    # versions are history: neither changed nor deleted in the admin
    b = _browser(manager)
    assert b.post(f"/admin/servicedesk/ruleparameter/{row.pk}/change/", {"value": "9"}).status_code == 403
    assert b.post(f"/admin/servicedesk/ruleparameter/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    history = row.history.first()
    assert b.post(f"/admin/servicedesk/ruleparameter/{row.pk}/history/{history.pk}/", {"value": "9"}).status_code == 403
    assert param("billing.consumable_markup", on=tomorrow) == 5


# --------------------------------------------------------------------------- 3. security.* is admin's, never retroactive
def test_a_manager_cannot_lower_a_safeguard_on_any_path(manager, fixed_now):
    _admin_user(manager)
    today = fixed_now.date()
    api = APIClient()
    api.force_authenticate(manager.user)
    data = {"name": "security.grantor_conflict_days", "value": "0", "effective_from": today.isoformat(), "note": "放宽"}
    r = api.post("/api/parameters/", data, format="json")
    assert r.status_code == 403 and "行政部" in r.json()["detail"]
    assert _browser(manager).post("/core/parameters/", data).status_code == 403
    page = _browser(manager).post("/admin/servicedesk/ruleparameter/add/", data)
    assert page.status_code == 200 and "安全参数" in page.content.decode()
    assert param("security.grantor_conflict_days", on=today + timedelta(days=400)) == 31
    # the parameters page shows the safeguard to the manager, with no form for it
    html = _browser(manager).get("/core/parameters/").content.decode()
    assert 'value="security.grantor_conflict_days"' not in html and 'value="billing.consumable_markup"' in html


def test_admin_changes_a_safeguard_audited_and_never_back_dated(admin_staff, fixed_now):
    today = fixed_now.date()
    api = APIClient()
    api.force_authenticate(admin_staff.user)
    back = {"name": "security.grantor_conflict_days", "value": "60", "effective_from": (today - timedelta(days=1)).isoformat(), "note": "加严"}
    assert api.post("/api/parameters/", back, format="json").status_code == 400
    r = api.post("/api/parameters/", {**back, "effective_from": today.isoformat()}, format="json")
    assert r.status_code == 201, r.json()
    row = RuleParameter.objects.get(pk=r.json()["id"])
    assert (row.created_by, row.note, row.history.count()) == (admin_staff.user, "加严", 1)
    # …and admin does not tune the manager's rules
    r = api.post("/api/parameters/", {"name": "billing.consumable_markup", "value": "5", "effective_from": today.isoformat(), "note": "x"}, format="json")
    assert r.status_code == 403


def test_lowering_the_safeguard_never_releases_a_conflict_that_already_existed(admin_staff):
    """An admin creates a manager account, then gets a penalty; even if the window is later set to 0 the new
    manager still cannot reject it within the window in force when he was appointed (31 days)."""
    t0 = datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)
    boss = admin_staff
    appointee = services.create_staff(username="appointee", name="新经理", roles=["manager"], by=boss.user, now=t0)
    other_admin = staff_with(Role.ADMIN, name="另一行政")
    schedule_param(name="security.grantor_conflict_days", value="0", effective_from=date(2026, 11, 3),
                   today=date(2026, 11, 3), by=other_admin.user, note="试行")
    pen = penalties.propose(person=boss, rule="P9", source=WorkOrderFactory(), reason="质量问题", on=date(2026, 11, 4),
                            now=t0 + timedelta(days=2))
    with pytest.raises(PermissionDenied):
        penalties.reject(penalty=pen, by=appointee, now=t0 + timedelta(days=5), reason="不认")
    assert pen.__class__.objects.get(pk=pen.pk).status == PenaltyStatus.PENDING
    # a grant made under the new (0-day) window is no conflict the next day
    later = services.create_staff(username="later", name="后任", roles=["manager"], by=boss.user, now=t0 + timedelta(days=3))
    assert penalties.reject(penalty=pen, by=later, now=t0 + timedelta(days=5), reason="不成立").status == "rejected"


# --------------------------------------------------------------------------- 4. closed work orders are not rewritten
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MANAGER])
def test_a_closed_work_order_cannot_be_rewritten_in_the_admin(role):
    person = _admin_user(staff_with(role))
    order = WorkOrderFactory(status=WorkOrderStatus.CLOSED, content=ServiceContent.REPAIR)
    version, events = order.version, WorkOrderEvent.objects.filter(work_order=order).count()
    b = _browser(person)
    url = f"/admin/servicedesk/workorder/{order.pk}/change/"
    assert b.get(url).status_code == 200  # readable
    assert b.post(url, {"content": ServiceContent.INSTALL, "client": order.client_id}).status_code == 403
    assert b.get("/admin/servicedesk/workorder/add/").status_code == 403
    order.refresh_from_db()
    assert (order.content, order.version) == (ServiceContent.REPAIR, version)
    assert WorkOrderEvent.objects.filter(work_order=order).count() == events


# --------------------------------------------------------------------------- 4. every admin model × role
# What the admin may write, and only through the service (docs/developers.md rule 4); everything else is read-only
# for every role and for the superuser. (model label → the permissions a role may hold there)
SERVICE_WRITTEN = {
    "servicedesk.Client": {"add", "change"},  # services.save_record
    "servicedesk.Site": {"add", "change"},
    "servicedesk.Contact": {"add", "change"},
    "servicedesk.Equipment": {"add", "change"},
    "servicedesk.Staff": {"add", "change"},  # services.create_staff / update_staff (authority per role and person)
    "servicedesk.RuleParameter": {"add"},  # params.schedule_param (authority checked per name)
    "auth.User": {"add", "change"},  # Django's user admin; role groups through services.update_staff
}
# The site's machinery, a superuser's alone (unlocking a login, revoking a token, the beat's schedule): no role writes there.
SUPERUSER_ONLY = {
    "authtoken.TokenProxy": {"add", "change", "delete"},
    **{f"axes.{m}": {"add", "change", "delete"} for m in ("AccessAttempt", "AccessFailureLog", "AccessLog")},
    **{f"django_celery_beat.{m}": {"add", "change", "delete"}
       for m in ("ClockedSchedule", "CrontabSchedule", "IntervalSchedule", "PeriodicTask", "SolarSchedule")},
}
ROLES_WITH_ADMIN = [Role.COORDINATOR, Role.MANAGER, Role.ADMIN, Role.SUPERVISOR, Role.GM_OFFICE, Role.FINANCE,
                    Role.SALES, Role.TECHNICIAN, Role.TEAM_LEAD]


def test_every_admin_model_and_role_writes_only_what_a_service_would(db):
    people = {role: _admin_user(staff_with(role)).user for role in ROLES_WITH_ADMIN}
    root = get_user_model().objects.create_superuser("root", password=STRONG)
    people["superuser"] = root
    factory = RequestFactory()
    wrong = []
    for model, model_admin in admin.site._registry.items():
        for who, user in people.items():
            allowed = SERVICE_WRITTEN.get(model._meta.label, set())
            if who == "superuser":
                allowed = allowed | SUPERUSER_ONLY.get(model._meta.label, set())
            request = factory.get("/admin/")
            request.user = get_user_model().objects.get(pk=user.pk)
            can = {
                "add": model_admin.has_add_permission(request),
                "change": model_admin.has_change_permission(request),
                "delete": model_admin.has_delete_permission(request),
            }
            for action, granted in can.items():
                if granted and action not in allowed:
                    wrong.append(f"{model._meta.label}: {who} may {action}")
            for inline in model_admin.get_inline_instances(request):
                if model._meta.label not in SERVICE_WRITTEN and not (who == "superuser" and model._meta.label in SUPERUSER_ONLY) and (
                    inline.has_add_permission(request, None) or inline.has_change_permission(request) or inline.has_delete_permission(request)
                ):
                    wrong.append(f"{model._meta.label} inline {inline.model._meta.label}: {who} may write")
    assert not wrong, wrong
    assert "servicedesk.WorkOrder" not in SERVICE_WRITTEN and admin.site.is_registered(WorkOrder)


# --------------------------------------------------------------------------- 5. a deactivated account is signed out
def test_a_deactivated_technician_is_signed_out_of_every_page_and_the_api(manager, technician):
    order = WorkOrderFactory(technician=technician, status=WorkOrderStatus.DISPATCHED, contact_phone="13912345678")
    technician.user.set_password(STRONG)
    technician.user.save()
    token = Token.objects.create(user=technician.user).key
    b = _browser(technician)
    assert "13912345678" in b.get(f"/dispatch/my/{order.pk}/").content.decode()

    services.update_staff(staff=technician, active=False, by=manager.user)
    response = b.get(f"/dispatch/my/{order.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert b.get("/").status_code == 302
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/work-orders/").status_code == 401

    # the login page and the token endpoint say why instead of "wrong password"
    page = Browser(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/accounts/login/", {"username": technician.user.username, "password": STRONG})
    assert page.status_code == 200 and "该账号已停用" in page.content.decode()
    assert "_auth_user_id" not in page.wsgi_request.session
    r = APIClient().post("/api/auth/token/", {"username": technician.user.username, "password": STRONG}, format="json")
    assert r.status_code == 400 and "该账号已停用" in str(r.json())
    # a wrong password of a deactivated account says nothing more than "wrong password"
    page = Browser(HTTP_ACCEPT_LANGUAGE="zh-hans").post("/accounts/login/", {"username": technician.user.username, "password": "nope"})
    assert "该账号已停用" not in page.content.decode()


def test_a_token_of_a_deactivated_person_is_refused_even_if_left_behind(technician):
    token = Token.objects.create(user=technician.user).key
    Staff.objects.filter(pk=technician.pk).update(active=False)  # as if deactivated before tokens were revoked
    r = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/work-orders/")
    assert r.status_code == 401 and "停用" in r.json()["detail"]


# --------------------------------------------------------------------------- 13. another person's record: 404, not 403
def test_another_persons_history_is_not_found_rather_than_forbidden(technician, other_technician, manager):
    b = _browser(technician)
    assert b.get(f"/penalties/people/{other_technician.pk}/").status_code == 404  # exists, but that is not said
    assert b.get("/penalties/people/999999/").status_code == 404
    assert _browser(manager).get(f"/penalties/people/{other_technician.pk}/").status_code == 200


@pytest.mark.django_db
def test_a_token_request_with_a_nul_in_the_username_is_a_400_not_a_500(client):
    # the deactivated-account check must not send a NUL to PostgreSQL (schemathesis found it)
    r = client.post("/api/auth/token/", {"username": "\x00a", "password": "x"}, content_type="application/json")
    assert r.status_code == 400 and "username" in r.json()
