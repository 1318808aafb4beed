"""The shared cache (Redis) down: nothing answers 500. Reads and limits fail open, the token login refuses with a
clear message, the page login (lockout counted in the database) still works. The cache here points at a port
where nothing listens, so every call to it fails the way a stopped Redis does."""
import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from rest_framework.test import APIClient

from servicedesk.auth import issue_token
from servicedesk.cache import CacheUnavailable, DegradingRedisCache
from servicedesk.choices import Role
from tests.factories import staff_with

pytestmark = pytest.mark.django_db
PASSWORD = "Kq7#vT2m!pLx"
DEAD_REDIS = {
    "default": {
        "BACKEND": "servicedesk.cache.DegradingRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


@pytest.fixture
def person(db):
    staff = staff_with(Role.TECHNICIAN, name="王技术")
    staff.user.set_password(PASSWORD)
    staff.user.save()
    return staff


@override_settings(CACHES=DEAD_REDIS)
def test_the_cache_itself_misses_and_ignores_writes_but_a_counter_says_it_is_down():
    assert isinstance(caches["default"], DegradingRedisCache)
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 0, timeout=10) is False
    assert cache.set("k", 1) is None
    assert cache.has_key("k") is False
    with pytest.raises(CacheUnavailable):
        cache.incr("k")
    with pytest.raises(CacheUnavailable):
        cache.get_strict("k")


@override_settings(CACHES=DEAD_REDIS)
def test_token_login_is_refused_with_a_clear_message_not_a_500(person):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    r = client.post("/api/auth/token/", {"username": person.user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 503
    assert r.json()["detail"] == "暂时无法登录,请稍后再试。" and r.json()["code"] == "login_unavailable"
    english = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    r = english.post("/api/auth/token/", {"username": person.user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 503 and r.json()["code"] == "login_unavailable"


@override_settings(CACHES=DEAD_REDIS, API_THROTTLE_RATES={"anon": "2/min", "user": "2/min", "login": "30/min"})
def test_token_api_calls_and_the_schema_are_served_with_throttles_open(person):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user=person.user).key}")
    # three calls over a limit of two: the count cannot be kept, the reads are served (fail open)
    assert [client.get("/api/work-orders/").status_code for _ in range(3)] == [200, 200, 200]
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi" in schema.content


@override_settings(CACHES=DEAD_REDIS)
def test_page_login_still_works_its_lockout_is_counted_in_the_database(client, person):
    r = client.post("/accounts/login/", {"username": person.user.username, "password": PASSWORD})
    assert r.status_code == 302 and client.session["_auth_user_id"] == str(person.user.pk)


@override_settings(CACHES=DEAD_REDIS)
def test_after_a_failure_redis_is_left_alone_for_a_while(monkeypatch):
    backend = caches["default"]
    tries = []
    real = backend._cache.get_client

    def counting(*args, **kwargs):
        tries.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(backend._cache, "get_client", counting)
    assert backend.get("a", 1) == 1
    assert len(tries) == 1
    # the next calls within RETRY_AFTER_SECONDS do not wait on a dead Redis again
    assert [backend.get("b", 2), backend.add("c", 0), backend.has_key("d")] == [2, False, False]
    with pytest.raises(CacheUnavailable):
        backend.incr("c")
    assert len(tries) == 1
