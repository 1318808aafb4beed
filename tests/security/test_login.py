"""Login lockout (django-axes) on the token endpoint and the login page, throttles,
token expiry, revocation on logout (API and page)."""
from datetime import timedelta

import pytest
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from servicedesk.choices import Role
from tests.factories import staff_with

pytestmark = pytest.mark.django_db
PASSWORD = "Kq7#vT2m!pLx"
TOKEN_URL = "/api/auth/token/"


@pytest.fixture
def person(db):
    staff = staff_with(Role.TECHNICIAN, name="王技术")
    staff.user.set_password(PASSWORD)
    staff.user.save()
    return staff


def test_sixty_wrong_token_requests_then_the_right_one_is_refused_locked(person):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    statuses = [
        client.post(TOKEN_URL, {"username": person.user.username, "password": f"wrong-{i}"}, format="json").status_code
        for i in range(60)
    ]
    assert statuses[:4] == [400] * 4 and set(statuses[5:]) == {403}
    r = client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 403
    assert "锁定" in r.json()["detail"] and r.json()["code"] == "locked_out"
    assert not Token.objects.filter(user=person.user).exists()


def test_right_password_before_the_limit_works_and_resets_the_count(person):
    client = APIClient()
    for i in range(4):
        client.post(TOKEN_URL, {"username": person.user.username, "password": f"wrong-{i}"}, format="json")
    r = client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 200 and r.json()["token"]
    for i in range(4):  # the success reset the count: four more failures still do not lock
        client.post(TOKEN_URL, {"username": person.user.username, "password": f"wrong-{i}"}, format="json")
    assert client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=2)
def test_lockout_limit_is_a_setting(person):
    client = APIClient()
    for i in range(2):
        client.post(TOKEN_URL, {"username": person.user.username, "password": "nope"}, format="json")
    assert client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json").status_code == 403


def test_login_page_locks_out_too(client, person):
    for i in range(5):
        r = client.post("/accounts/login/", {"username": person.user.username, "password": f"wrong-{i}"})
    assert r.status_code == 403 and "登录已锁定" in r.content.decode()
    r = client.post("/accounts/login/", {"username": person.user.username, "password": PASSWORD})
    assert r.status_code == 403 and "锁定" in r.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(API_THROTTLE_RATES={"anon": "3/min", "user": "5/min", "login": "30/min"})
def test_throttles_answer_429(api, technician):
    anon = api()  # anonymous requests reach the throttle only where anonymous access is allowed
    codes = [anon.post(TOKEN_URL, {"username": "x", "password": "y"}, format="json").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    user = api(technician)
    codes = [user.get("/api/work-orders/").status_code for _ in range(6)]
    assert codes[:5] == [200] * 5 and codes[5] == 429


@override_settings(API_THROTTLE_RATES={"anon": "1000/min", "user": "1000/min", "login": "3/min"})
def test_token_endpoint_is_throttled_per_address(person):
    client = APIClient()
    other = staff_with(Role.TECHNICIAN, name="另一人")
    codes = [client.post(TOKEN_URL, {"username": f"nobody{i}", "password": "x"}, format="json").status_code for i in range(3)]
    assert codes == [400, 400, 400]
    assert client.post(TOKEN_URL, {"username": other.user.username, "password": "x"}, format="json").status_code == 429


def test_expired_token_is_refused_and_a_new_one_issued(person, fixed_now):
    client = APIClient()
    token = client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/work-orders/").status_code == 200
    Token.objects.filter(key=token).update(created=fixed_now - timedelta(days=8))  # the API judges the age on the test clock
    r = client.get("/api/work-orders/")
    assert r.status_code == 401 and "过期" in r.json()["detail"]
    client.credentials()
    fresh = client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json").json()["token"]
    assert fresh != token


@override_settings(API_TOKEN_TTL=timedelta(hours=1))
def test_token_lifetime_is_a_setting(person, fixed_now):
    token = Token.objects.create(user=person.user)
    Token.objects.filter(pk=token.pk).update(created=fixed_now - timedelta(hours=2))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/work-orders/").status_code == 401


def test_api_logout_revokes_the_token(person):
    client = APIClient()
    token = client.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/work-orders/").status_code == 401
    assert not Token.objects.filter(key=token).exists()


def test_page_logout_revokes_the_token_too(client, person):
    token = Token.objects.create(user=person.user)
    assert client.post("/accounts/login/", {"username": person.user.username, "password": PASSWORD}).status_code == 302
    client.post("/accounts/logout/")
    assert not Token.objects.filter(pk=token.pk).exists()
