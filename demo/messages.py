"""The demo's message channels, set through the services: each site's contact hears by a channel of their own
(SMS, WeCom, DingTalk, e-mail; one reads English, one has opted out), and some staff chose a channel for their
alerts. Built before the field work, so the demo's events fill the outbox as they would in production."""
from servicedesk import services
from servicedesk.models import Contact

from messaging.services import set_contact_channel, set_staff_channel

CHANNELS = ["sms", "wecom", "dingtalk", "sms", "email"]


def build_channels(demo) -> None:
    now = demo.now
    manager = demo.staff["manager"]
    made = 0
    for i, site in enumerate(demo.sites):
        contact = services.save_record(Contact(client=site.client, site=site, name=site.contact_name, title="",
                                               phone=site.phone))
        channel = CHANNELS[i % len(CHANNELS)]
        set_contact_channel(
            contact=contact, channel=channel,
            address=f"contact{i}@client.example.com" if channel == "email" else "",
            language="en" if i % 7 == 3 else "zh-hans", opted_out=(i % 11 == 10), by=manager, now=now,
        )
        made += 1
    chosen = [(f"tech{i}", ("wecom", "sms", "dingtalk")[i % 3]) for i in range(1, 9) if i != 6]  # tech6: in-app only
    for username, channel in chosen + [("manager", "dingtalk")]:
        if username in demo.staff:
            set_staff_channel(staff=demo.staff[username], channel=channel, now=now)
    demo.log(f"{made} contacts with a message channel")


def beat_now(demo) -> None:
    """A visit booked for ten minutes from the demo's moment, dispatched a quarter of an hour ago, and the beat's
    tick now: its arrival deadline is about to be missed, so the technician is warned (in-app and on their chosen
    channel) — the manager sees the warning in the outbox."""
    from datetime import timedelta

    from dispatch.services import dispatch_work_order
    from dispatch.services.scans import warn_before_breach
    from servicedesk.choices import ServiceContent, ServiceMode
    from servicedesk.services import create_work_order

    now = demo.now
    device = next(e for e in demo.equipment if e.site_id and not e.site.resident)
    coordinator = demo.staff["coord1"]
    order = create_work_order(
        by=coordinator, now=now - timedelta(minutes=25), client=device.client, site=device.site, equipment=device,
        contact_name=device.site.contact_name, contact_phone=device.site.phone, content=ServiceContent.REPAIR,
        service_mode=ServiceMode.MOBILE, description="客户预约:打印机卡纸", required_at=now + timedelta(minutes=10),
    )
    dispatch_work_order(work_order=order, technician=demo.staff["tech2"], by=coordinator,
                        now=now - timedelta(minutes=15), force=True)
    demo.count("SLA warnings", len(warn_before_breach(now=now)))
