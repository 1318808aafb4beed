"""The client's link: signed (only its hash is stored), revocable, expiring after `portal.link_valid_days` (the
version in force when it was made), rate-limited per link and per address (`portal.link_attempts_per_hour`), and
managed from /portal/links/ by the coordinator and the manager only."""
import hashlib
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from portal import services
from portal.models import ClientLink
from servicedesk.models import RuleParameter
from servicedesk.params import schedule_param
from tests.factories import staff_with

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_link_stores_only_the_hash_and_opens_the_contacts_page(client, parties, coordinator, now):
    mine, _theirs = parties
    link, token = services.create_link(contact=mine.contact, by=coordinator, now=now)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ClientLink.objects.filter(pk=link.pk).values().first())  # no column holds the token
    assert link.expires_at == now + timedelta(days=365) and link.valid_days["value"] == "365"
    page = client.get(f"/c/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "深圳市华强电子" in html and "陈主任" in html and "南山科技园物业" not in html
    assert page["Referrer-Policy"] == "same-origin"
    # a token one character off is not a page (and does not say whose it would be)
    wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
    refused = client.get(f"/c/{wrong}/")
    assert refused.status_code == 404 and "深圳市华强电子" not in refused.content.decode()


def test_a_new_link_replaces_the_old_and_revoking_closes_it(client, parties, coordinator, now):
    mine, _ = parties
    _old, old_token = services.create_link(contact=mine.contact, by=coordinator, now=now)
    link, token = services.create_link(contact=mine.contact, by=coordinator, now=now + timedelta(minutes=1))
    assert client.get(f"/c/{old_token}/").status_code == 404
    assert client.get(f"/c/{token}/").status_code == 200
    services.revoke_link(link=link, by=coordinator, now=now + timedelta(minutes=2))
    assert client.get(f"/c/{token}/").status_code == 404


def test_link_url_gives_the_live_link_or_makes_one(parties, coordinator, now):
    mine, _ = parties
    first = services.link_url(contact=mine.contact, now=now, base="https://desk.example.cn")
    assert first.startswith("https://desk.example.cn/c/") and ClientLink.objects.filter(contact=mine.contact).count() == 1
    assert services.link_url(contact=mine.contact, now=now + timedelta(hours=1), base="https://desk.example.cn") == first
    link = ClientLink.objects.get(contact=mine.contact)
    assert link.created_by is None  # made for a message by the system
    services.revoke_link(link=link, by=coordinator, now=now + timedelta(hours=2))
    assert services.link_url(contact=mine.contact, now=now + timedelta(hours=3), base="") != first


def test_portal_link_valid_days_is_read_on_the_day_the_link_is_made(client, parties, coordinator, manager):
    mine, theirs = parties
    schedule_param(name="portal.link_valid_days", value=30, effective_from=date(2026, 12, 5), today=date(2026, 12, 3),
                   by=manager, note="test")
    before, before_token = services.create_link(contact=mine.contact, by=coordinator, now=at(12, 4, 9))
    after, _ = services.create_link(contact=theirs.contact, by=coordinator, now=at(12, 5, 9))
    assert before.expires_at == at(12, 4, 9) + timedelta(days=365)
    assert after.expires_at == at(12, 5, 9) + timedelta(days=30)
    with time_machine.travel(at(12, 4, 9) + timedelta(days=364), tick=False):
        assert client.get(f"/c/{before_token}/").status_code == 200
    with time_machine.travel(at(12, 4, 9) + timedelta(days=365, minutes=1), tick=False):
        expired = client.get(f"/c/{before_token}/")
        assert expired.status_code == 404 and "已过期" in expired.content.decode()


def test_portal_link_attempts_per_hour_limits_each_link_and_each_address(client, parties, coordinator, now):
    mine, theirs = parties
    RuleParameter.objects.filter(name="portal.link_attempts_per_hour").update(value=3)
    _l, token = services.create_link(contact=mine.contact, by=coordinator, now=now)
    _l2, token2 = services.create_link(contact=theirs.contact, by=coordinator, now=now)
    assert [client.get(f"/c/{token}/", REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(f"/c/{token}/", REMOTE_ADDR="10.0.0.1").status_code == 429  # this address, this hour
    # the same link from other addresses: the link's own count is spent too
    assert client.get(f"/c/{token}/", REMOTE_ADDR="10.0.0.2").status_code == 429
    # another link from a fresh address still opens; guessing tokens from one address is stopped
    assert client.get(f"/c/{token2}/", REMOTE_ADDR="10.0.0.3").status_code == 200
    assert [client.get(f"/c/guess{n}/", REMOTE_ADDR="10.0.0.9").status_code for n in range(4)] == [404, 404, 404, 429]


@pytest.mark.parametrize("role, allowed", [
    ("coordinator", True), ("manager", True), ("technician", False), ("finance", False), ("supervisor", False),
    ("sales", False),
])
def test_only_the_desk_creates_and_revokes_links(client, parties, role, allowed, now):
    mine, _ = parties
    person = staff_with(role, name=f"{role}甲")
    client.force_login(person.user)
    page = client.get(reverse("portal:links"))
    assert page.status_code == (200 if allowed else 403)
    made = client.post(reverse("portal:links"), {"action": "create", "contact": mine.contact.pk})
    assert made.status_code == (200 if allowed else 403)
    assert ClientLink.objects.filter(contact=mine.contact).exists() is allowed
    if allowed:
        html = made.content.decode()
        assert "/c/" in html and "陈主任" in html
        link = ClientLink.objects.get(contact=mine.contact)
        client.post(reverse("portal:links"), {"action": "revoke", "link": link.pk})
        assert ClientLink.objects.get(pk=link.pk).revoked_at is not None
    else:
        other, _t = services.create_link(contact=mine.contact, by=None, now=now)
        assert client.post(reverse("portal:links"), {"action": "revoke", "link": other.pk}).status_code == 403
        assert ClientLink.objects.get(pk=other.pk).revoked_at is None


def test_a_technician_cannot_make_a_link_through_the_service(parties, technician, now):
    from django.core.exceptions import PermissionDenied

    mine, _ = parties
    with pytest.raises(PermissionDenied):
        services.create_link(contact=mine.contact, by=technician, now=now)
    assert not ClientLink.objects.exists()


def test_the_demo_gives_a_contact_a_link_that_opens_their_page(client, parties, coordinator, now):
    import random

    from demo.department import Demo
    from demo.portal import build_portal, demo_link_url

    demo = Demo(now=now, rnd=random.Random(1))
    demo.staff["coord1"] = coordinator
    build_portal(demo)
    url = demo_link_url(base="http://127.0.0.1:8000")
    assert url.startswith("http://127.0.0.1:8000/c/")
    link = ClientLink.objects.get()
    assert (link.contact.name, link.created_by) == ("陈主任", coordinator)
    page = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and link.contact.client.name in page.content.decode()


@pytest.fixture
def fake_provider(settings):
    from tests.messaging.fakes import FakeProvider

    fake = FakeProvider().start()
    fake.settings(settings)
    yield fake
    fake.stop()


def test_a_new_link_goes_out_on_the_contacts_channel(client, settings, parties, coordinator, manager, fake_provider, now):
    from django.utils import timezone

    from messaging.models import OutboxMessage
    from messaging.services import send_due, set_contact_channel

    settings.SITE_URL = "https://desk.example.cn"
    mine, _ = parties
    set_contact_channel(contact=mine.contact, channel="wecom", by=manager, now=now)
    client.force_login(coordinator.user)
    made = client.post(reverse("portal:links"), {"action": "create", "contact": mine.contact.pk})
    html = made.content.decode()
    assert made.status_code == 200 and 'id="link-sent"' in html and "企业微信" in html
    assert 'id="link-url"' not in html and "/c/" not in html, "sent, not shown to copy"
    row = OutboxMessage.objects.get(template_key="portal_link")
    assert (row.contact_id, row.channel, row.address, row.state) == (mine.contact.pk, "wecom", "13812345678", "pending")
    assert row.links == {"portal": {"contact_id": mine.contact.pk}}
    link = ClientLink.objects.get(contact=mine.contact)
    assert services.token_for(link) not in str(row.params), "the token is made when sent, never stored as a parameter"

    assert send_due(now=timezone.now())["sent"] == 1  # the page's clock ticks on from the test's moment
    url = f"https://desk.example.cn/c/{services.token_for(link)}/"
    [(provider, payload)] = fake_provider.received
    assert provider == "wecom" and payload["text"]["content"] == (
        "【客服部】陈主任 您好,这是您的专属服务页面(无需登录):报修、查看工单进度和服务单、评价服务。\n"
        f"您的页面:{url}")
    assert ClientLink.objects.filter(contact=mine.contact).count() == 1, "the message carries the link just made"
    page = client.get(url.removeprefix("https://desk.example.cn"))
    assert page.status_code == 200 and "深圳市华强电子" in page.content.decode()


def test_an_opted_out_contact_gets_the_link_shown_to_copy_and_no_message(client, parties, coordinator, manager, now):
    from messaging.models import OutboxMessage
    from messaging.services import set_contact_channel

    mine, theirs = parties
    set_contact_channel(contact=mine.contact, channel="sms", opted_out=True, by=manager, now=now)
    client.force_login(coordinator.user)
    for contact in (mine.contact, theirs.contact):  # opted out; no channel at all
        html = client.post(reverse("portal:links"), {"action": "create", "contact": contact.pk}).content.decode()
        link = ClientLink.objects.get(contact=contact)
        assert 'id="link-url"' in html and f"/c/{services.token_for(link)}/" in html and 'id="link-sent"' not in html
    assert not OutboxMessage.objects.filter(template_key="portal_link").exists()


def test_revoking_a_link_cancels_its_message_still_waiting(parties, coordinator, manager, now):
    from messaging.models import OutboxMessage
    from messaging.services import set_contact_channel

    mine, _ = parties
    set_contact_channel(contact=mine.contact, channel="sms", by=manager, now=now)
    link, _token, row = services.send_link(contact=mine.contact, by=coordinator, now=now)
    services.revoke_link(link=link, by=coordinator, now=now + timedelta(minutes=1))
    row.refresh_from_db()
    assert (row.state, row.last_error) == ("cancelled", "link revoked")
