"""The client in the loop, across the outbox and the client's page (phone 375×812 and desk 1366×900): the
coordinator sends the contact their link (it goes out by WeCom); the client opens it, reports a fault with a photo
and a preferred time; the coordinator confirms it on /portal/intake/ and dispatches it from the board; the sender
runs and the fake WeCom robot and SMS gateway receive "已接单" with the arrival time; the visit is resolved; the
sender runs and the "done" message carries the service form and rating links; the client opens the rating link
and rates; the rating is on the callback, as the client's. Every message goes out once."""
import re
from datetime import timedelta

from PIL import Image

from callbacks.models import Callback
from dispatch import services as dispatch_services
from messaging import services as messaging
from messaging.models import OutboxMessage
from messaging.tasks import send_due_messages
from portal.models import IntakeRequest
from servicedesk.choices import Role
from servicedesk.models import Contact, WorkOrder, WorkOrderAttachment
from servicedesk.services import save_record
from tests.messaging.fakes import FakeProvider

from .builders import client_with_device, person
from .helpers import JOURNEY_NOW, login, screen, submit, text, visit
from .reference import reference_data  # noqa: F401  (the parameters every page reads)

URL = re.compile(r"https?://\S+")


def _wecom_texts(provider):
    return [p["text"]["content"] for kind, p in provider.received if kind == "wecom"]


def test_the_client_reports_is_dispatched_hears_of_it_and_rates_from_the_link(
        reference_data, pages, live_server, journey_clock, journey_now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_X_ACCEL_REDIRECT = ""
    settings.SITE_URL = live_server.url  # the messages' links open the page on this server
    provider = FakeProvider().start()
    provider.settings(settings)  # WeCom's robot and Alibaba Cloud's SMS API, on 127.0.0.1
    try:
        _journey(provider, pages, journey_clock, journey_now, tmp_path, base=live_server.url)
    finally:
        provider.stop()


def _journey(provider, pages, journey_clock, now, tmp_path, *, base):
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    manager = person("boss", "李经理", Role.MANAGER, now=now)
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now, area="福田区")
    client, site, device = client_with_device("深圳市福田会展物业", serial="SN-FT-0009")
    chen = save_record(Contact(client=client, site=site), name="陈主任", phone="13812345678")
    liu = save_record(Contact(client=client), name="财务刘", phone="13900000003")  # client-wide, reads SMS
    messaging.set_contact_channel(contact=chen, channel="wecom", by=manager, now=now)
    messaging.set_contact_channel(contact=liu, channel="sms", by=manager, now=now)

    # --- the coordinator sends 陈主任 their link: the outbox sends it by WeCom
    desk = pages.desk("coordinator")
    login(desk, "coord")
    visit(desk, "/portal/links/?q=陈主任")
    submit(desk, f"[data-contact='{chen.pk}'] button[name=action][value=create]")
    assert "企业微信" in text(desk, "#link-sent") and not desk.locator("#link-url").count()
    send_due_messages()
    [sent_link] = _wecom_texts(provider)
    assert sent_link.startswith("【客服部】陈主任 您好,这是您的专属服务页面")
    page_url = URL.search(sent_link).group(0)
    assert page_url.startswith(f"{base}/c/")

    # --- the client opens it on the phone and reports a fault: their device, a photo, 14:30 today
    photo = tmp_path / "fault.jpg"
    Image.new("RGB", (1200, 900), (180, 40, 40)).save(photo, format="JPEG")
    phone = pages.phone("client")
    visit(phone, page_url)
    assert "深圳市福田会展物业" in text(phone)
    phone.select_option("#equipment", str(device.pk))
    phone.fill("#description", "打印出来整页发灰")
    phone.set_input_files("#photo", str(photo))
    phone.fill("#preferred_at", "2026-12-03T14:30")
    submit(phone, "#report-form button[name=action][value=report]")
    assert "已收到您的报修" in text(phone)
    req = IntakeRequest.objects.get()

    # --- the coordinator confirms it on /portal/intake/ and dispatches it from the board
    visit(desk, "/portal/intake/")
    submit(desk, f"[data-request='{req.pk}'] button[name=action][value=confirm]")
    assert "已受理工单" in text(desk)
    req.refresh_from_db()
    order = WorkOrder.objects.get(pk=req.work_order_id)
    assert WorkOrderAttachment.objects.filter(work_order=order, kind="photo").count() == 1
    visit(desk, "/dispatch/board/")
    row = desk.locator("#board tr", has_text=order.number)
    row.locator("select[name=technician]").select_option(str(tech.pk))
    submit(desk, f"form[action='/dispatch/board/{order.pk}/assign/'] button[type=submit]")
    assert f"工单 {order.number} 已派给 王技术" in desk.inner_text("main")
    screen(desk, "client-loop-dispatched")

    # --- the sender runs: "已接单" with the arrival time. By hand: dispatched at about 10:00 for a mobile visit the
    # client wants at 14:30 — later than dispatch + sla.mobile_depart_minutes (10) + sla.travel_allowance_minutes
    # (30) ≈ 10:40, so the visit is booked (R-W4 decision) and the client is told the booked time, 14:30.
    send_due_messages()
    send_due_messages()  # run twice: nothing twice
    dispatched = [t for t in _wecom_texts(provider) if "已接单" in t]
    assert dispatched == [f"【客服部】技术员 王技术 已接单,预计 14:30 到达(工单 {order.number})。"]
    sms = [p for kind, p in provider.received if kind == "sms"]
    assert [(p["PhoneNumbers"], p["TemplateCode"]) for p in sms] == [("13900000003", "SMS_100")]
    assert '"arrival": "14:30"' in sms[0]["TemplateParam"]

    # --- the visit (through the technician's services), resolved at 14:55
    at = JOURNEY_NOW.replace(hour=13, minute=40)
    journey_clock.move_to(at)
    dispatch_services.accept(work_order=order, by=tech, now=at)
    dispatch_services.contact(work_order=order, by=tech, promised_at=at.replace(hour=14, minute=30), now=at)
    dispatch_services.depart(work_order=order, by=tech, now=at + timedelta(minutes=5))
    dispatch_services.arrive(work_order=order, by=tech, now=at + timedelta(minutes=45))
    done_at = at + timedelta(hours=1, minutes=15)
    dispatch_services.resolve(
        work_order=order, by=tech, now=done_at, work_done="更换硒鼓,清洁定影组件", fault_cause="硒鼓老化", advice="使用原装耗材",
        lines=[{"kind": "repair", "item": "other", "description": "清洁", "cost": "0", "quantity": 1}],
        started_at=at + timedelta(minutes=47), ended_at=done_at, signature_name="陈主任", completed_at=done_at,
    )
    journey_clock.move_to(done_at + timedelta(minutes=1))
    send_due_messages()
    [done] = [t for t in _wecom_texts(provider) if "已完成服务" in t]
    form_url = next(u for u in URL.findall(done) if u.endswith(f"/visits/{order.pk}/service-form.pdf"))
    rate_url = next(u for u in URL.findall(done) if u.endswith(f"#visit-{order.pk}"))
    assert done == (f"【客服部】工单 {order.number} 已完成服务(技术员 王技术)。\n"
                    f"服务单 PDF:{form_url}\n评价本次服务:{rate_url}")
    assert form_url.startswith(page_url) and rate_url.startswith(page_url), "陈主任's own page"
    assert OutboxMessage.objects.filter(state="sent").count() == OutboxMessage.objects.count()

    # --- the client downloads the service form and rates the visit from the link
    pdf = phone.request.get(form_url)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    visit(phone, rate_url)
    form = phone.locator(f"#visit-{order.pk} form.rate")
    form.locator("label.choice", has_text="很满意").click()
    form.locator("textarea").fill("王师傅很专业")
    submit(phone, f"#visit-{order.pk} form.rate button[type=submit]")
    assert "评价已提交" in text(phone)
    screen(phone, "client-loop-rated")
    cb = Callback.objects.get(work_order=order)
    assert (cb.satisfaction, cb.satisfaction_source, cb.complaint) == ("very_satisfied", "client", "王师傅很专业")
