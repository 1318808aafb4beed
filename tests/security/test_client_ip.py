"""The client's address behind nginx (servicedesk/network.py): X-Forwarded-For is believed only from a trusted
proxy (TRUSTED_PROXIES), read from the right; the lockout, the API throttles and the client links all use it."""
import pytest
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from servicedesk.choices import Role
from servicedesk.network import client_ip
from tests.factories import staff_with

PASSWORD = "Kq7#vT2m!pLx"
TOKEN_URL = "/api/auth/token/"
NGINX = "127.0.0.1"  # the shipped nginx, on the same host


def _ip(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@override_settings(TRUSTED_PROXIES=[])
def test_without_a_trusted_proxy_the_header_is_ignored():
    assert _ip("198.51.100.7", "1.2.3.4") == "198.51.100.7"
    assert _ip("127.0.0.1", "1.2.3.4") == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "::1", "10.0.0.0/8"])
def test_behind_trusted_proxies_the_right_most_untrusted_address_is_the_client():
    # nginx appends the address it saw: what the client wrote on the left is not believed
    assert _ip(NGINX, "203.0.113.5") == "203.0.113.5"
    assert _ip(NGINX, "6.6.6.6, 203.0.113.5") == "203.0.113.5"
    # a load balancer in 10/8 in front of nginx: both trusted, the client is the next one left
    assert _ip(NGINX, "6.6.6.6, 203.0.113.5, 10.1.2.3") == "203.0.113.5"
    # a request that reaches gunicorn directly from elsewhere: its header is ignored
    assert _ip("198.51.100.7", "203.0.113.5") == "198.51.100.7"
    # no header, or garbage right of the first trusted hop: the proxy itself is all that is known
    assert _ip(NGINX) == "127.0.0.1"
    assert _ip(NGINX, "not-an-ip") == "127.0.0.1"
    assert _ip("::1", "2001:db8::5") == "2001:db8::5"
    assert _ip(NGINX, "203.0.113.5:51234") == "203.0.113.5"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[], API_THROTTLE_RATES={"anon": "5/min", "user": "1000/min", "login": "1000/min"})
def test_throttles_do_not_believe_an_invented_header():
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    codes = [
        client.post(TOKEN_URL, {"username": f"nobody{i}", "password": "y"}, format="json", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}").status_code
        for i in range(40)
    ]
    assert codes[:5] == [400] * 5 and set(codes[5:]) == {429}


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[NGINX], API_THROTTLE_RATES={"anon": "5/min", "user": "1000/min", "login": "1000/min"})
def test_throttles_count_each_client_behind_nginx_separately():
    behind_nginx = APIClient(REMOTE_ADDR=NGINX)
    post = lambda forwarded, i=0: behind_nginx.post(  # noqa: E731
        TOKEN_URL, {"username": f"nobody{i}", "password": "y"}, format="json", HTTP_X_FORWARDED_FOR=forwarded).status_code
    assert [post("203.0.113.5", i) for i in range(6)] == [400] * 5 + [429]
    # the same client inventing a left part is still the same client
    assert post("9.9.9.9, 203.0.113.5") == 429
    # another client behind the same nginx is not locked out by the first
    assert post("198.51.100.9") == 400


@pytest.fixture
def person(db):
    staff = staff_with(Role.TECHNICIAN, name="王技术")
    staff.user.set_password(PASSWORD)
    staff.user.save()
    return staff


@override_settings(TRUSTED_PROXIES=[NGINX], AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_client_behind_nginx(person):
    from axes.models import AccessAttempt

    behind_nginx = APIClient(REMOTE_ADDR=NGINX)
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for i in range(3):
        behind_nginx.post(TOKEN_URL, {"username": person.user.username, "password": f"wrong-{i}"}, format="json", **attacker)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    r = behind_nginx.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json", **attacker)
    assert r.status_code == 403 and r.json()["code"] == "locked_out"
    # the owner of the account, from her own address through the same nginx, still signs in
    r = behind_nginx.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json",
                          HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert r.status_code == 200 and r.json()["token"]


@override_settings(TRUSTED_PROXIES=[], AXES_FAILURE_LIMIT=3)
def test_lockout_cannot_be_escaped_by_inventing_a_header(person):
    direct = APIClient(REMOTE_ADDR="203.0.113.5")
    for i in range(3):
        direct.post(TOKEN_URL, {"username": person.user.username, "password": f"wrong-{i}"}, format="json",
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    r = direct.post(TOKEN_URL, {"username": person.user.username, "password": PASSWORD}, format="json",
                    HTTP_X_FORWARDED_FOR="10.0.0.99")
    assert r.status_code == 403 and r.json()["code"] == "locked_out"


def test_a_request_without_an_address_is_unknown_to_the_limits_and_none_to_axes():
    from servicedesk.network import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="")
    assert client_ip(request) == "unknown" and client_address(request) is None
