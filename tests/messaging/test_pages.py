"""The manager's outbox and templates pages, everyone's "my channel", the contacts' channels: permissions enforced
server-side and tested per role (rule 6); the preview uses real data; failures show their reason."""
import pytest
from django.test import Client as Browser

from messaging import services
from messaging.models import MessageTemplate, OutboxMessage, StaffChannel
from servicedesk.choices import Role
from servicedesk.models import Contact
from tests.factories import staff_with
from tests.journeys.builders import client_with_device

pytestmark = pytest.mark.django_db

MANAGER_ONLY = ["/messaging/outbox/", "/messaging/templates/", "/messaging/templates/dispatched/"]
DESK = ["/messaging/contacts/"]


def login(staff):
    browser = Browser()
    browser.force_login(staff.user)
    return browser


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TECHNICIAN, Role.FINANCE, Role.TEAM_LEAD, Role.ADMIN,
                                  Role.SALES, Role.SUPERVISOR, Role.GM_OFFICE])
def test_only_the_manager_opens_the_outbox_and_templates(role):
    browser = login(staff_with(role, name="某人"))
    for url in MANAGER_ONLY:
        assert browser.get(url).status_code == 403, url
    assert browser.post("/messaging/templates/dispatched/", {"text_zh": "x", "save": "1"}).status_code == 403
    assert not MessageTemplate.objects.exists()
    assert browser.get("/messaging/contacts/").status_code == (200 if role == Role.COORDINATOR else 403)
    assert browser.get("/messaging/my-channel/").status_code == 200


def test_anonymous_is_sent_to_sign_in():
    for url in MANAGER_ONLY + DESK + ["/messaging/my-channel/"]:
        assert Browser().get(url).status_code == 302


def test_outbox_shows_failed_messages_with_their_reason_filtered_by_state(manager, fixed_now):
    for i in range(3):
        services.enqueue(channel="wecom", address=f"1380000000{i}", template_key="done", idempotency_key=f"k{i}",
                         params={"number": f"WO-{i}", "technician": "王技术"}, now=fixed_now)
    services.send_due(now=fixed_now)  # no robot configured: failed, with the reason
    services.enqueue(channel="sms", address="13800000009", template_key="done", idempotency_key="k9",
                     params={"number": "WO-9", "technician": "王技术"}, now=fixed_now)
    browser = login(manager)
    page = browser.get("/messaging/outbox/?state=failed").content.decode()
    assert page.count('" data-state="failed">') == 3 and "channel not configured (no webhook URL in settings)" in page
    assert "WO-9" not in page
    pending = browser.get("/messaging/outbox/?state=pending").content.decode()
    assert pending.count('<tr data-row=') == 1
    failed = OutboxMessage.objects.filter(state="failed").first()
    assert browser.post("/messaging/outbox/?state=failed", {"message": failed.pk, "action": "retry"}).status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)


def test_outbox_is_paged(manager, fixed_now):
    for i in range(30):
        services.enqueue(channel="sms", address="13800000009", template_key="done", idempotency_key=f"p{i}",
                         params={"number": f"WO-{i}", "technician": "王技术"}, now=fixed_now)
    page = login(manager).get("/messaging/outbox/").content.decode()
    assert page.count("<tr data-row=") == 25
    assert login(manager).get("/messaging/outbox/?page=2").content.decode().count("<tr data-row=") == 5


def test_manager_edits_and_previews_a_template_with_real_data(manager, fixed_now):
    services.enqueue(channel="sms", address="13800000009", template_key="dispatched", idempotency_key="real",
                     params={"technician": "刘技术", "arrival": "15:45", "number": "WO-2026-12-0042"}, now=fixed_now)
    browser = login(manager)
    preview = browser.post("/messaging/templates/dispatched/", {
        "text_zh": "师傅 %(technician)s 约 %(arrival)s 上门(%(number)s)", "text_en": "", "preview": "1"}).content.decode()
    assert "师傅 刘技术 约 15:45 上门(WO-2026-12-0042)" in preview
    assert "Technician 刘技术 has taken your request and expects to arrive at 15:45" in preview
    assert not MessageTemplate.objects.exists(), "a preview saves nothing"
    bad = browser.post("/messaging/templates/dispatched/", {"text_zh": "到达 %(when)s", "text_en": "", "save": "1"})
    assert bad.status_code == 200 and "“when”不是此模板的参数" in bad.content.decode()
    assert browser.post("/messaging/templates/dispatched/", {
        "text_zh": "师傅 %(technician)s 约 %(arrival)s 上门(%(number)s)", "text_en": "", "save": "1"}).status_code == 302
    from messaging.rendering import render_message

    row = OutboxMessage.objects.get()
    assert render_message(key="dispatched", params=row.params, links={}, language="zh-hans") == (
        "师傅 刘技术 约 15:45 上门(WO-2026-12-0042)"), "pending messages read the new words when sent"


def test_my_channel_is_each_persons_own(technician, fixed_now):
    technician.phone = "13800000009"
    technician.save()
    browser = login(technician)
    assert browser.post("/messaging/my-channel/", {"channel": "wecom"}).status_code == 302
    assert StaffChannel.objects.get(staff=technician).channel == "wecom"


def test_my_channel_needs_a_mobile(technician):
    technician.phone = ""
    technician.save()
    response = login(technician).post("/messaging/my-channel/", {"channel": "sms"})
    assert "请先在员工档案中填写手机号" in response.content.decode()
    assert not StaffChannel.objects.exists()


def test_coordinator_sets_a_contacts_channel_and_opt_out(coordinator):
    client, site, _device = client_with_device("深圳市测试公司")
    contact = Contact.objects.create(client=client, site=site, name="王经理", phone="13900000001")
    browser = login(coordinator)
    response = browser.post(f"/messaging/contacts/{contact.pk}/", {"channel": "email", "address": "", "language": "en"})
    assert "电子邮件渠道请填写邮箱地址" in response.content.decode()
    assert browser.post(f"/messaging/contacts/{contact.pk}/", {
        "channel": "dingtalk", "address": "", "language": "en", "opted_out": "on"}).status_code == 302
    row = contact.message_channel
    assert (row.channel, row.language, row.opted_out) == ("dingtalk", "en", True)
    assert "王经理" in browser.get("/messaging/contacts/").content.decode()
