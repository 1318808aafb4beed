"""The client's own page on a phone (375×812, touch, no account): the client opens the link the coordinator made,
reports a fault with a photo from the phone, the coordinator confirms it at the desk on /portal/intake/ in one
click and the work order exists; the client rates the last visit from the same link and the rating is on the
callback, recorded as the client's. No page scrolls sideways; the language picker switches the page to English."""
from datetime import timedelta

from PIL import Image

from callbacks.models import Callback
from portal import services as portal_services
from portal.models import IntakeRequest
from servicedesk.choices import Role
from servicedesk.models import Contact, WorkOrder, WorkOrderAttachment
from servicedesk.services import save_record

from .builders import client_with_device, order_for, person, resolved
from .helpers import login, screen, submit, text, visit


def test_client_reports_a_fault_the_coordinator_confirms_it_and_the_client_rates_a_visit(pages, journey_now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_X_ACCEL_REDIRECT = ""
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    person("boss", "李经理", Role.MANAGER, now=now)
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now, area="福田区")
    client, site, device = client_with_device("深圳市福田会展物业", serial="SN-FT-0009")
    contact = save_record(Contact(client=client, site=site), name="陈主任", phone="13812345678")
    visit_done = resolved(order_for(device, by=coordinator, now=now - timedelta(days=1, hours=2)), technician=tech,
                          coordinator=coordinator, now=now - timedelta(days=1, hours=1))
    _link, token = portal_services.create_link(contact=contact, by=coordinator, now=now - timedelta(hours=1))
    photo = tmp_path / "fault.jpg"
    Image.new("RGB", (1200, 900), (180, 40, 40)).save(photo, format="JPEG")

    phone = pages.phone("client")
    visit(phone, f"/c/{token}/")
    assert "深圳市福田会展物业" in text(phone) and visit_done.number in text(phone)
    screen(phone, "portal-client")
    # --- report a fault: the device from their own list, what is wrong, a photo, a preferred time
    phone.select_option("#equipment", str(device.pk))
    phone.fill("#description", "打印出来整页发灰")
    phone.set_input_files("#photo", str(photo))
    phone.fill("#preferred_at", "2026-12-04T09:30")
    submit(phone, "#report-form button[name=action][value=report]")
    assert "已收到您的报修" in text(phone)
    screen(phone, "portal-client-reported")
    req = IntakeRequest.objects.get()
    assert (req.equipment_id, req.description, bool(req.photo)) == (device.pk, "打印出来整页发灰", True)

    # --- the coordinator confirms it at the desk in one click
    desk = pages.desk("coordinator")
    login(desk, "coord")
    visit(desk, "/portal/intake/")
    assert "打印出来整页发灰" in text(desk) and "陈主任" in text(desk)
    submit(desk, f"[data-request='{req.pk}'] button[name=action][value=confirm]")
    assert "已受理工单" in text(desk)
    req.refresh_from_db()
    order = WorkOrder.objects.get(pk=req.work_order_id)
    assert (order.client_id, order.equipment_id, order.contact_name, order.status) == (client.pk, device.pk, "陈主任", "new")
    assert WorkOrderAttachment.objects.filter(work_order=order, kind="photo").count() == 1

    # --- back on the phone: the new order is followed; the last visit is rated from the link
    visit(phone, f"/c/{token}/")
    assert order.number in text(phone) and "正在安排技术员" in text(phone)
    form = phone.locator(f"#visit-{visit_done.pk} form.rate")
    form.locator("label.choice", has_text="很满意").click()
    form.locator("textarea").fill("王师傅很专业")
    submit(phone, f"#visit-{visit_done.pk} form.rate button[type=submit]")
    assert "评价已提交" in text(phone) and "已评价" in text(phone)
    screen(phone, "portal-client-rated")
    cb = Callback.objects.get(work_order=visit_done)
    assert (cb.satisfaction, cb.satisfaction_source, cb.complaint) == ("very_satisfied", "client", "王师傅很专业")

    # --- the language picker: the page reads in English from now on
    phone.select_option("footer select[name=language]", "en")
    submit(phone, "footer form.lang button[type=submit]")
    assert phone.evaluate("() => document.documentElement.lang") == "en"
    screen(phone, "portal-client-english")
