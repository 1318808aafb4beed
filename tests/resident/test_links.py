"""R-R3: the client rates through a signed, expiring, one-use, rate-limited link without an account."""
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache

from dispatch.resident import services
from dispatch.resident.choices import ReportStatus
from dispatch.resident.models import ClientLink, ResidentReport
from servicedesk.errors import ConflictError
from servicedesk.models import RuleParameter

from .conftest import at
from .helpers import filled_report, stamped_report, token_of

pytestmark = pytest.mark.django_db

STAMPED_AT = at(12, 2, 9)


@pytest.fixture(autouse=True)
def clean_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stamped(resident, post, supervisor, manager, gm):
    with time_machine.travel(STAMPED_AT, tick=False):
        return stamped_report(resident, supervisor=supervisor, manager=manager, gm=gm, now=STAMPED_AT)


def test_r_r3_the_client_sees_the_report_and_rates_it_once(client, stamped, resident2, manager):
    other = filled_report(resident2)
    token = token_of(stamped)
    with time_machine.travel(STAMPED_AT + timedelta(days=1), tick=False):
        page = client.get(f"/r/{token}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "驻点技术员甲" in html and "巡检打印机 40 台" in html and "很好" in html and "较差" in html
        assert "驻点技术员乙" not in html and f"/dispatch/resident/{other.pk}/" not in html  # never reveals other records
        assert 'name="viewport"' in html  # mobile-friendly
        res = client.post(f"/r/{token}/", {"rating": "good", "comment": "响应及时", "client_name": "王处长"})
        assert res.status_code == 200 and "感谢" in res.content.decode()
        report = ResidentReport.objects.get(pk=stamped.pk)
        assert (report.status, report.client_rating, report.client_comment, report.client_name) == ("client_rated", "good", "响应及时", "王处长")
        assert ClientLink.objects.get(token=token).used_at is not None
        second = client.post(f"/r/{token}/", {"rating": "bad"})
        assert second.status_code == 409 and "只能评价一次" in second.content.decode()
        assert ResidentReport.objects.get(pk=stamped.pk).client_rating == "good"
        assert client.get(f"/r/{token}/").status_code == 409


def test_r_r3_a_tampered_or_unknown_link_is_refused(client, stamped):
    token = token_of(stamped)
    with time_machine.travel(STAMPED_AT + timedelta(hours=1), tick=False):
        for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "abc", token.replace(":", ":x", 1)):
            res = client.post(f"/r/{bad}/", {"rating": "very_good"})
            assert res.status_code == 404 and "链接无效" in res.content.decode()
    assert ResidentReport.objects.get(pk=stamped.pk).status == ReportStatus.STAMPED


def test_r_r3_an_expired_link_is_refused_and_the_validity_is_a_parameter(client, stamped):
    token = token_of(stamped)
    with time_machine.travel(STAMPED_AT + timedelta(days=15), tick=False):
        res = client.post(f"/r/{token}/", {"rating": "very_good"})
        assert res.status_code == 404 and "过期" in res.content.decode()
    assert ResidentReport.objects.get(pk=stamped.pk).client_rating == ""
    # a manager lengthens the validity to 30 days: the same link works on day 15
    RuleParameter.objects.filter(name="resident.link_valid_days").update(value=30)
    with time_machine.travel(STAMPED_AT + timedelta(days=15), tick=False):
        assert client.post(f"/r/{token}/", {"rating": "very_good"}).status_code == 200
    assert ResidentReport.objects.get(pk=stamped.pk).client_rating == "very_good"


def test_r_r3_a_rating_on_a_report_not_at_the_clients_step_is_refused(resident, post, supervisor):
    from dispatch.resident.choices import LinkPurpose
    from dispatch.resident.links import issue_link

    report = filled_report(resident)
    services.submit_report(report=report, by=resident, now=STAMPED_AT)
    link = issue_link(purpose=LinkPurpose.RESIDENT_RATING, object_id=report.pk, by=supervisor, now=STAMPED_AT)
    with time_machine.travel(STAMPED_AT, tick=False), pytest.raises(ConflictError, match="不在客户评价步骤"):
        services.rate_report(token=link.token, rating="good", now=STAMPED_AT)
    report.refresh_from_db()
    assert (report.status, report.client_rating) == ("submitted", "")
    assert ClientLink.objects.get(pk=link.pk).used_at is None


def test_r_r3_a_returned_report_voids_its_link(client, stamped, supervisor):
    token = token_of(stamped)
    with time_machine.travel(STAMPED_AT, tick=False):
        services.return_report(report=stamped, by=supervisor, reason="客户名称写错", now=STAMPED_AT)
        assert client.post(f"/r/{token}/", {"rating": "good"}).status_code == 404


def test_r_r3_a_poor_rating_notifies_the_manager_at_once(client, stamped, manager):
    with time_machine.travel(STAMPED_AT, tick=False):
        client.post(f"/r/{token_of(stamped)}/", {"rating": "poor", "comment": "经常找不到人"})
    note = manager.notifications.get()
    assert "较差" in note.text and "经常找不到人" in note.text


def test_r_r3_a_rating_must_be_on_the_scale(client, stamped):
    with time_machine.travel(STAMPED_AT, tick=False):
        res = client.post(f"/r/{token_of(stamped)}/", {"rating": "excellent"})
    assert res.status_code == 400 and "很好、好、一般、较差或差" in res.content.decode()
    assert ResidentReport.objects.get(pk=stamped.pk).status == "stamped"


def test_r_r3_the_client_can_return_the_report_with_a_reason(client, stamped, resident):
    with time_machine.travel(STAMPED_AT, tick=False):
        res = client.post(f"/r/{token_of(stamped)}/", {"action": "return", "reason": "服务次数不对"})
    assert res.status_code == 200
    report = ResidentReport.objects.get(pk=stamped.pk)
    assert report.status == "returned" and report.returned_reason == "服务次数不对"
    assert report.steps.last().by is None and report.steps.last().by_client


def test_r_r3_links_are_rate_limited_per_address(client, stamped):
    RuleParameter.objects.filter(name="resident.link_attempts_per_hour").update(value=3)
    token = token_of(stamped)
    with time_machine.travel(STAMPED_AT, tick=False):
        codes = [client.get(f"/r/{token}/").status_code for _ in range(3)] + [client.get("/r/guess/").status_code]
    assert codes == [200, 200, 200, 429]
    with time_machine.travel(STAMPED_AT + timedelta(hours=1), tick=False):
        assert client.get(f"/r/{token}/").status_code == 200


def test_a_survey_link_does_not_open_a_rating(client, stamped, supervisor):
    from dispatch.resident.choices import LinkPurpose
    from dispatch.resident.links import issue_link

    survey_link = issue_link(purpose=LinkPurpose.PROJECT_SURVEY, object_id=stamped.pk, by=supervisor, now=STAMPED_AT)
    with time_machine.travel(STAMPED_AT, tick=False):
        assert client.get(f"/r/{survey_link.token}/").status_code == 404


def test_a_fresh_link_revokes_the_old_one(api, client, stamped, supervisor):
    old = token_of(stamped)
    with time_machine.travel(STAMPED_AT, tick=False):
        res = api(supervisor).post(f"/api/resident-reports/{stamped.pk}/rating-link/")
        assert res.status_code == 200
        new = res.json()["url"].rstrip("/").rsplit("/", 1)[1]
        assert new != old
        assert client.get(f"/r/{old}/").status_code == 404
        assert client.get(f"/r/{new}/").status_code == 200


def test_r_r3_with_the_shared_cache_down_the_link_opens_and_its_counter_fails_open(client, stamped):
    from django.test import override_settings

    RuleParameter.objects.filter(name="resident.link_attempts_per_hour").update(value=1)
    dead = {"default": {"BACKEND": "servicedesk.cache.DegradingRedisCache", "LOCATION": "redis://127.0.0.1:1/0",
                        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    with override_settings(CACHES=dead), time_machine.travel(STAMPED_AT, tick=False):
        codes = [client.get(f"/r/{token_of(stamped)}/").status_code for _ in range(3)]
        rated = client.post(f"/r/{token_of(stamped)}/", {"rating": "good", "comment": ""})
    assert codes == [200, 200, 200]  # over the limit of 1: not counted while Redis is down, never a 500
    assert rated.status_code == 200 and ResidentReport.objects.get(pk=stamped.pk).client_rating == "good"


def test_r_r3_the_link_limit_counts_each_client_behind_nginx_not_the_proxy(client, stamped):
    from django.test import override_settings

    RuleParameter.objects.filter(name="resident.link_attempts_per_hour").update(value=3)
    token = token_of(stamped)
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]), time_machine.travel(STAMPED_AT, tick=False):
        guesses = [client.get(f"/r/guess-{i}/", HTTP_X_FORWARDED_FOR="203.0.113.5", **nginx).status_code for i in range(4)]
        other_client = client.get(f"/r/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.9", **nginx).status_code
        spoofing = client.get(f"/r/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.5", **nginx).status_code
    assert guesses == [404, 404, 404, 429]
    assert other_client == 200  # one client's bad tries do not lock out everyone behind the proxy
    assert spoofing == 429  # the guesser cannot borrow another address by writing it on the left
