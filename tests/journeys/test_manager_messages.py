"""The manager and the department's messages (desk, 1366×900): the client's contact hears of a visit by WeCom; the
robot is not configured yet, so the messages fail — the manager rewords the "dispatched" message, previews it
with the visit's real data in both languages, saves it, then finds the failed messages and their reason in the
outbox and sends one again."""
from datetime import timedelta

from messaging import services as messaging
from messaging.models import MessageTemplate, OutboxMessage
from servicedesk.choices import Role
from servicedesk.models import Contact
from servicedesk.services import save_record
from tests.messaging.fakes import FakeProvider

from .builders import client_with_device, order_for, person, resolved
from .helpers import login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)


def test_manager_rewords_a_message_and_finds_why_messages_failed(reference_data, pages, journey_now, settings):
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    manager = person("boss", "李经理", Role.MANAGER, now=now)
    wang = person("tech-wang", "王技术", Role.TECHNICIAN, now=now)
    client, site, device = client_with_device("深圳市消息测试有限公司")
    contact = save_record(Contact(client=client, site=site, name="王经理", phone="13900000001"))
    messaging.set_contact_channel(contact=contact, channel="wecom", by=manager, now=now)
    order = order_for(device, by=coordinator, now=now - timedelta(hours=3), required_at=now - timedelta(hours=1))
    resolved(order, technician=wang, coordinator=coordinator, now=now - timedelta(hours=2))
    messaging.send_due(now=now)  # no WeCom robot in the settings: every message fails, with the reason
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"failed"}

    page = pages.desk("manager")
    login(page, "boss")
    visit(page, "/messaging/templates/")
    assert "技术员 %(technician)s 已接单" in text(page)
    screen(page, "manager-message-templates")
    page.click("tr[data-row=dispatched] a")
    page.fill("#id_text_zh", "【客服部】%(technician)s 师傅已接单,约 %(arrival)s 上门,工单 %(number)s。")
    page.fill("#id_text_en", "[Service desk] %(technician)s is coming at about %(arrival)s (order %(number)s).")
    submit(page, "button[name=preview]")
    previews = text(page, "[data-list=previews]")
    # the visit's real data: its technician and the booked time (09:00 on the journey's day)
    assert f"王技术 师傅已接单,约 09:00 上门,工单 {order.number}。" in previews
    assert f"王技术 is coming at about 09:00 (order {order.number})." in previews
    assert not MessageTemplate.objects.exists(), "a preview saves nothing"
    screen(page, "manager-message-preview")
    submit(page, "button[name=save]")
    assert MessageTemplate.objects.get(key="dispatched").updated_by == manager
    visit(page, "/messaging/templates/")
    assert "已修改" in text(page, "tr[data-row=dispatched]")

    visit(page, "/messaging/outbox/")
    page.click("a[data-state=failed]")
    page.wait_for_url("**state=failed")
    rows = page.locator("table[data-list=outbox] tbody tr")
    assert rows.count() == OutboxMessage.objects.count() == 4  # dispatched, on the way, done, callback
    assert "channel not configured (no webhook URL in settings)" in text(page, "table[data-list=outbox]")
    assert "深圳市消息测试有限公司 · 王经理" in text(page, "table[data-list=outbox]")
    screen(page, "manager-outbox-failed")
    # the administrator configures the robot; the manager sends the "dispatched" message again: it goes out once,
    # in the new words
    provider = FakeProvider().start()
    try:
        provider.settings(settings)
        dispatched = OutboxMessage.objects.get(template_key="dispatched")
        submit(page, f"tr[data-row='{dispatched.pk}'] button[value=retry]")
        dispatched.refresh_from_db()
        assert (dispatched.state, dispatched.attempts, dispatched.last_error) == ("sent", 1, "")
        assert [p["text"]["content"] for _kind, p in provider.received] == [
            f"【客服部】王技术 师傅已接单,约 09:00 上门,工单 {order.number}。"]
    finally:
        provider.stop()
    assert page.locator("table[data-list=outbox] tbody tr").count() == 3
    visit(page, "/messaging/outbox/?state=sent")
    assert f"王技术 师傅已接单,约 09:00 上门,工单 {order.number}" in text(page, "table[data-list=outbox]")
