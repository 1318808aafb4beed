"""Events of the work order reach the client's contacts and the technician through the outbox, written in the
event's transaction, in the recipient's language, with the links a higher app registers."""
from datetime import timedelta

import pytest

from messaging import links
from messaging.models import OutboxMessage
from messaging.rendering import render_message
from messaging.services import set_contact_channel, set_staff_channel
from servicedesk.choices import Role
from servicedesk.models import Contact
from servicedesk.notifications import notify
from servicedesk.services import save_record
from tests.journeys.builders import advance, client_with_device, order_for, person, resolved

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(fixed_now):
    coord = person("c1", "张协调", Role.COORDINATOR, now=fixed_now)
    manager = person("m1", "李经理", Role.MANAGER, now=fixed_now)
    tech = person("t1", "王技术", Role.TECHNICIAN, now=fixed_now, phone="13800000009", area="福田区")
    client, site, device = client_with_device("深圳市测试公司")
    other_site = save_record(client.sites.model(client=client), name="分部", address="深圳市南山区 2 号", area="南山区",
                             contact_name="陈先生", phone="13900000002")
    on_site = save_record(Contact(client=client, site=site, name="王经理", phone="13900000001"))
    elsewhere = save_record(Contact(client=client, site=other_site, name="陈先生", phone="13900000002"))
    head_office = save_record(Contact(client=client, name="财务刘", phone="13900000003"))
    set_contact_channel(contact=on_site, channel="sms", by=manager, now=fixed_now)
    set_contact_channel(contact=elsewhere, channel="wecom", by=manager, now=fixed_now)
    set_contact_channel(contact=head_office, channel="email", address="liu@client.example.com", language="en",
                        by=manager, now=fixed_now)
    return {"coord": coord, "manager": manager, "tech": tech, "client": client, "device": device,
            "on_site": on_site, "elsewhere": elsewhere, "head_office": head_office}


def _rows(key):
    return list(OutboxMessage.objects.filter(template_key=key).order_by("pk"))


def test_dispatch_tells_the_sites_contacts_and_client_wide_ones_with_the_arrival(scene, fixed_now):
    order = order_for(scene["device"], by=scene["coord"], now=fixed_now, required_at=fixed_now + timedelta(hours=4))
    advance(order, to="dispatched", technician=scene["tech"], coordinator=scene["coord"], now=fixed_now)
    rows = _rows("dispatched")
    assert [(r.contact_id, r.channel, r.address, r.language) for r in rows] == [
        (scene["on_site"].pk, "sms", "13900000001", "zh-hans"),
        (scene["head_office"].pk, "email", "liu@client.example.com", "en"),
    ], "the other site's contact hears nothing of this order"
    # required at 14:00 Shanghai: the booked time is what the client expects
    assert render_message(key="dispatched", params=rows[0].params, links={}, language="zh-hans") == (
        f"【客服部】技术员 王技术 已接单,预计 14:00 到达(工单 {order.number})。")
    assert render_message(key="dispatched", params=rows[1].params, links={}, language="en") == (
        f"[Service desk] Technician 王技术 has taken your request and expects to arrive at 14:00 (work order {order.number}).")


def test_on_the_way_carries_the_promised_arrival_and_done_the_links(scene, fixed_now):
    order = order_for(scene["device"], by=scene["coord"], now=fixed_now)
    resolved(order, technician=scene["tech"], coordinator=scene["coord"], now=fixed_now)
    way = _rows("on_the_way")[0]
    # contacted at 10:10 promising 11:10 (builders.advance), departed at 10:15
    assert render_message(key="on_the_way", params=way.params, links={}, language="zh-hans") == (
        f"【客服部】技术员 王技术 已出发,预计 11:10 到达(工单 {order.number})。")
    done = _rows("done")[0]
    # each recipient's links name them, so the page provider can build that contact's own link
    assert done.links == {"service_form": {"work_order_id": order.pk, "contact_id": done.contact_id},
                          "rating": {"work_order_id": order.pk, "contact_id": done.contact_id}}
    saved = dict(links._providers)  # the portal registers real pages: try the registry's own behaviour alone
    links._providers.clear()
    try:
        plain = render_message(key="done", params=done.params, links=done.links, language="zh-hans")
        links.register("rating", lambda *, work_order_id, contact_id: f"https://desk.example.com/c/{contact_id}/#visit-{work_order_id}")
        body = render_message(key="done", params=done.params, links=done.links, language="en")
    finally:
        links._providers.clear()
        links._providers.update(saved)
    assert plain == f"【客服部】工单 {order.number} 已完成服务(技术员 王技术)。", "no page registered: no links"
    assert body.endswith(f"\nRate this visit: https://desk.example.com/c/{done.contact_id}/#visit-{order.pk}")
    assert "Service form" not in body, "only the registered link is shown"
    callback = _rows("callback_scheduled")[0]
    assert "前回访工单" in render_message(key="callback_scheduled", params=callback.params, links={}, language="zh-hans")


def test_an_opted_out_contact_hears_nothing_and_loses_what_was_pending(scene, fixed_now):
    order = order_for(scene["device"], by=scene["coord"], now=fixed_now, required_at=fixed_now + timedelta(hours=4))
    advance(order, to="dispatched", technician=scene["tech"], coordinator=scene["coord"], now=fixed_now)
    set_contact_channel(contact=scene["on_site"], channel="sms", opted_out=True, by=scene["manager"], now=fixed_now)
    assert OutboxMessage.objects.get(contact=scene["on_site"]).state == "cancelled"
    from dispatch import services

    services.accept(work_order=order, by=scene["tech"], now=fixed_now + timedelta(minutes=5))
    services.contact(work_order=order, by=scene["tech"], promised_at=fixed_now + timedelta(hours=1),
                     now=fixed_now + timedelta(minutes=7))
    services.depart(work_order=order, by=scene["tech"], now=fixed_now + timedelta(minutes=10))
    assert [r.contact_id for r in _rows("on_the_way")] == [scene["head_office"].pk]


def test_the_technician_hears_of_a_new_dispatch_on_the_chosen_channel(scene, fixed_now):
    set_staff_channel(staff=scene["tech"], channel="wecom", now=fixed_now)
    order = order_for(scene["device"], by=scene["coord"], now=fixed_now)
    advance(order, to="dispatched", technician=scene["tech"], coordinator=scene["coord"], now=fixed_now)
    row = _rows("staff_dispatch")[0]
    assert (row.staff_id, row.channel, row.address) == (scene["tech"].pk, "wecom", "13800000009")
    assert render_message(key="staff_dispatch", params=row.params, links={}, language="zh-hans") == (
        f"【客服部】新派单:新派单:工单 {order.number},深圳市测试公司 · 总部 /core/work-orders/{order.pk}/")
    from servicedesk.models import Notification

    assert Notification.objects.filter(recipient=scene["tech"], key__startswith="dispatch.new.").count() == 1


def test_in_app_only_sends_nothing_more(scene, fixed_now):
    order = order_for(scene["device"], by=scene["coord"], now=fixed_now)
    advance(order, to="dispatched", technician=scene["tech"], coordinator=scene["coord"], now=fixed_now)
    assert _rows("staff_dispatch") == []


def test_sla_about_to_be_missed_warns_the_technician_once(scene, fixed_now, settings):
    from dispatch.models import Deadline
    from dispatch.services.scans import warn_before_breach

    set_staff_channel(staff=scene["tech"], channel="sms", now=fixed_now)
    order = order_for(scene["device"], by=scene["coord"], now=fixed_now)
    advance(order, to="dispatched", technician=scene["tech"], coordinator=scene["coord"], now=fixed_now)
    first_due = Deadline.objects.open().filter(work_order=order).order_by("due_at").first()
    settings.SLA_WARNING_MINUTES = 15
    assert warn_before_breach(now=first_due.due_at - timedelta(minutes=16)) == []
    warned = warn_before_breach(now=first_due.due_at - timedelta(minutes=10))
    at = first_due.due_at - timedelta(minutes=10)
    due_then = Deadline.objects.open().filter(work_order=order, due_at__gte=at, due_at__lte=at + timedelta(minutes=15))
    assert sorted(d.pk for d in warned) == sorted(d.pk for d in due_then) and warned
    assert warn_before_breach(now=first_due.due_at - timedelta(minutes=5)) == []
    assert len(_rows("staff_sla")) == len(warned), "one message per deadline, none on the later tick"
    row = _rows("staff_sla")[0]
    assert (row.channel, row.address) == ("sms", "13800000009")
    assert order.number in render_message(key="staff_sla", params=row.params, links={}, language="zh-hans")


def test_penalty_and_complaint_alerts_go_to_the_chosen_channel_in_the_persons_language(scene, fixed_now):
    from servicedesk.texts import message

    scene["tech"].language = "en"
    scene["tech"].save()
    set_staff_channel(staff=scene["tech"], channel="dingtalk", now=fixed_now)
    notify(recipients=[scene["tech"]], key="penalty-5-propose-9", message=message("%(x)s", x="P7"), now=fixed_now)
    notify(recipients=[scene["tech"]], key="complaint-new-3", text="投诉", now=fixed_now)
    notify(recipients=[scene["tech"]], key="calendar-reminder-2027", text="日历", now=fixed_now)
    assert [(r.template_key, r.language) for r in OutboxMessage.objects.order_by("pk")] == [
        ("staff_penalty", "en"), ("staff_complaint", "en")], "only the four kinds of alert go out"
