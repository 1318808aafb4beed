"""The outbox's client messages carry links into the recipient contact's own page (portal/links.py registered with
messaging.links): a "done" message for a contact links that contact's page — the visit's rating form and the
service form PDF — and the link opens that client's page; no contact, or another client's record, gives no link."""
import pytest

from dispatch import services as dispatch_services
from messaging import links
from messaging.models import OutboxMessage
from messaging.rendering import render_message
from messaging.services import set_contact_channel
from portal import services
from servicedesk.models import Contact
from servicedesk.services import create_work_order
from tests.dispatch.helpers import close_out_fields, drive

pytestmark = pytest.mark.django_db

BASE = "https://desk.example.cn"


def _resolve_a_visit(party, *, coordinator, technician, now):
    wo = create_work_order(by=coordinator, now=now, client=party.client, site=party.site, contact_name=party.contact.name,
                           contact_phone=party.contact.phone, equipment=party.equipment, content="repair",
                           description="不进纸")
    arrived = drive(wo, to="on_site", coordinator=coordinator, technician=technician, now=now)
    fields = close_out_fields(arrived)
    dispatch_services.resolve(work_order=wo, by=technician, now=fields["completed_at"], **fields)
    return wo


def test_a_done_message_links_each_contacts_own_page(client, settings, parties, coordinator, manager, technician, now):
    settings.SITE_URL = BASE
    mine, theirs = parties
    colleague = Contact.objects.create(client=mine.client, site=mine.site, name="李会计", phone="13900001111")
    set_contact_channel(contact=mine.contact, channel="sms", by=manager, now=now)
    set_contact_channel(contact=colleague, channel="wecom", language="en", by=manager, now=now)
    set_contact_channel(contact=theirs.contact, channel="sms", by=manager, now=now)
    wo = _resolve_a_visit(mine, coordinator=coordinator, technician=technician, now=now)

    rows = list(OutboxMessage.objects.filter(template_key="done").order_by("contact_id"))
    assert [r.contact_id for r in rows] == [mine.contact.pk, colleague.pk], "the other client's contact hears nothing"
    assert rows[0].links == {"service_form": {"work_order_id": wo.pk, "contact_id": mine.contact.pk},
                             "rating": {"work_order_id": wo.pk, "contact_id": mine.contact.pk}}
    zh = render_message(key="done", params=rows[0].params, links=rows[0].links, language="zh-hans")
    en = render_message(key="done", params=rows[1].params, links=rows[1].links, language="en")
    # rendering made each contact a live link (by the system); the message carries that contact's token
    mine_page = f"{BASE}/c/{services.token_for(services.live_link(contact=mine.contact, now=now))}/"
    colleague_page = f"{BASE}/c/{services.token_for(services.live_link(contact=colleague, now=now))}/"
    assert mine_page != colleague_page
    assert zh == (f"【客服部】工单 {wo.number} 已完成服务(技术员 {technician.name})。\n"
                  f"服务单 PDF:{mine_page}visits/{wo.pk}/service-form.pdf\n"
                  f"评价本次服务:{mine_page}#visit-{wo.pk}")
    assert en.endswith(f"\nService form (PDF): {colleague_page}visits/{wo.pk}/service-form.pdf\n"
                       f"Rate this visit: {colleague_page}#visit-{wo.pk}")

    # the rating link opens this client's page with the visit's rating form; the service form is the visit's PDF
    page = client.get(mine_page.removeprefix(BASE))
    html = page.content.decode()
    assert page.status_code == 200 and mine.client.name in html and theirs.client.name not in html
    assert f'id="visit-{wo.pk}"' in html and f'name="work_order" value="{wo.pk}"' in html
    pdf = client.get(f"{mine_page}visits/{wo.pk}/service-form.pdf".removeprefix(BASE))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_no_contact_or_another_clients_record_gives_no_link(settings, parties, now):
    settings.SITE_URL = BASE
    mine, theirs = parties
    assert links.url("rating", work_order_id=mine.visit.pk) is None
    assert links.url("service_form", work_order_id=mine.visit.pk, contact_id=None) is None
    assert links.url("statement", statement_id=mine.statement.pk) is None
    assert links.url("rating", work_order_id=theirs.visit.pk, contact_id=mine.contact.pk) is None
    assert links.url("statement", statement_id=theirs.statement.pk, contact_id=mine.contact.pk) is None
    statement = links.url("statement", statement_id=mine.statement.pk, contact_id=mine.contact.pk)
    assert statement.startswith(f"{BASE}/c/") and statement.endswith(f"/statements/{mine.statement.pk}.pdf")


def test_portal_base_url_wins_over_site_url(client, settings, parties, now):
    settings.SITE_URL = "https://desk.example.cn"
    settings.PORTAL_BASE_URL = "https://kehu.example.cn/"
    mine, _ = parties
    url = links.url("statement", statement_id=mine.statement.pk, contact_id=mine.contact.pk)
    assert url.startswith("https://kehu.example.cn/c/")
    pdf = client.get(url.removeprefix("https://kehu.example.cn"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_managers_preview_shows_where_the_link_goes_but_makes_none(client, settings, parties, coordinator, manager,
                                                                       technician, now):
    """The preview reads the latest "done" message's links (real data), but a preview never makes a client's link:
    a live address on a staff page would open the client's own page to whoever reads it."""
    from portal.models import ClientLink

    settings.SITE_URL = BASE
    mine, _theirs = parties
    set_contact_channel(contact=mine.contact, channel="sms", by=manager, now=now)
    wo = _resolve_a_visit(mine, coordinator=coordinator, technician=technician, now=now)
    links_before = ClientLink.objects.count()
    client.force_login(manager.user)

    shown = client.get("/messaging/templates/done/").content.decode()
    previewed = client.post("/messaging/templates/done/", {
        "text_zh": "工单 %(number)s 已完成。%(links)s", "text_en": "", "preview": "1"}).content.decode()

    assert f"工单 {wo.number} 已完成。\n服务单 PDF:(发送时为收件人生成的专属链接)\n评价本次服务:(发送时为收件人生成的专属链接)" in previewed
    assert "Rate this visit: (the recipient&#x27;s own link, made when the message is sent)" in shown
    assert "/c/" not in shown and "/c/" not in previewed
    assert ClientLink.objects.count() == links_before, "a preview makes no link"
