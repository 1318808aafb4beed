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
    for username, channel in (("tech1", "wecom"), ("tech2", "sms"), ("tech3", "dingtalk"), ("manager", "dingtalk")):
        if username in demo.staff:
            set_staff_channel(staff=demo.staff[username], channel=channel, now=now)
    demo.log(f"{made} contacts with a message channel")
