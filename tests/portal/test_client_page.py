"""The client's page through their link: only their records (every other client's id is a 404), reporting a fault
with a photo that the coordinator confirms into a work order (duplicate warning included), the rating recorded
on the callback as the client's, and a complaint with its owner and 24 h deadline."""
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from callbacks.models import Callback, Complaint
from dispatch import services as dispatch_services
from portal import services
from portal.models import IntakeRequest
from servicedesk.models import WorkOrder, WorkOrderAttachment
from servicedesk.services import create_work_order
from tests.factories import staff_with

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(parties, coordinator, now):
    party = parties[0]
    party.token = services.create_link(contact=party.contact, by=coordinator, now=now - timedelta(days=1))[1]
    return party


@pytest.fixture
def theirs(parties):
    return parties[1]


def photo_with_exif(name="fault.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:12:03 09:30:00"  # DateTime: when it was taken
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def test_the_page_shows_only_the_clients_own_records(client, mine, theirs):
    html = client.get(f"/c/{mine.token}/").content.decode()
    assert mine.visit.number in html and mine.confirmation.number in html and mine.statement.number in html
    assert mine.equipment.serial in html
    for other in (theirs.visit.number, theirs.confirmation.number, theirs.statement.number, theirs.equipment.serial, theirs.client.name):
        assert other not in html
    assert 'name="viewport"' in html and 'name="language"' in html  # a phone page with the language picker


@pytest.mark.parametrize("route, attr", [
    ("portal_service_form_pdf", "visit"), ("portal_confirmation_pdf", "confirmation"), ("portal_statement_pdf", "statement"),
])
def test_every_other_clients_document_is_not_found(client, mine, theirs, route, attr):
    own = client.get(reverse(route, args=[mine.token, getattr(mine, attr).pk]))
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf" and own.content.startswith(b"%PDF")
    other = client.get(reverse(route, args=[mine.token, getattr(theirs, attr).pk]))
    assert other.status_code == 404
    assert client.get(reverse(route, args=[mine.token, 999999])).status_code == 404


def test_a_statement_not_yet_sent_is_not_shown(client, mine, manager, now):
    from receivables.models import MonthlyStatement

    MonthlyStatement.objects.filter(pk=mine.statement.pk).update(status="checked")
    assert mine.statement.number not in client.get(f"/c/{mine.token}/").content.decode()
    assert client.get(reverse("portal_statement_pdf", args=[mine.token, mine.statement.pk])).status_code == 404


def test_other_clients_ids_cannot_be_rated_complained_about_or_reported(client, mine, theirs):
    page = f"/c/{mine.token}/"
    rated = client.post(page, {"action": "rate", "work_order": theirs.visit.pk, "satisfaction": "dissatisfied"})
    assert rated.status_code == 404
    assert Callback.objects.get(work_order=theirs.visit).satisfaction == ""
    complained = client.post(page, {"action": "complain", "work_order": theirs.visit.pk, "words": "态度差"})
    assert complained.status_code == 400 and not Complaint.objects.exists()
    reported = client.post(page, {"action": "report", "equipment": theirs.equipment.pk, "description": "不开机"})
    assert reported.status_code == 400 and not IntakeRequest.objects.exists()


def test_follow_an_open_order_dispatched_on_the_way_with_the_promised_arrival(client, mine, coordinator, technician):
    wo = create_work_order(by=coordinator, now=at(12, 3, 8), client=mine.client, site=mine.site, contact_name="陈主任",
                           contact_phone="13812345678", equipment=mine.equipment, content="repair", description="不开机")
    dispatch_services.dispatch_work_order(work_order=wo, technician=technician, by=coordinator, now=at(12, 3, 8, 5))
    html = client.get(f"/c/{mine.token}/").content.decode()
    assert f"已派给技术员 {technician.name}" in html
    dispatch_services.accept(work_order=wo, by=technician, now=at(12, 3, 8, 10))
    dispatch_services.contact(work_order=wo, by=technician, promised_at=at(12, 3, 9, 40), now=at(12, 3, 8, 15))
    dispatch_services.depart(work_order=wo, by=technician, now=at(12, 3, 8, 20))
    html = client.get(f"/c/{mine.token}/").content.decode()
    assert f"技术员 {technician.name} 已出发,预计 12-03 09:40 到达" in html
    dispatch_services.arrive(work_order=wo, by=technician, now=at(12, 3, 9, 35))
    assert f"技术员 {technician.name} 已到达现场" in client.get(f"/c/{mine.token}/").content.decode()


def test_report_with_a_photo_then_the_coordinator_confirms_it_in_one_click(client, mine, coordinator):
    page = f"/c/{mine.token}/"
    sent = client.post(page, {"action": "report", "equipment": "", "device": "佳能 iR2625 复印机", "description": "复印有黑条",
                              "preferred_at": "2026-12-04T14:00", "photo": photo_with_exif()})
    assert sent.status_code == 302 and sent["Location"].endswith("?done=report")
    req = IntakeRequest.objects.get()
    assert (req.client, req.contact, req.device_text, req.status) == (mine.client, mine.contact, "佳能 iR2625 复印机", "pending")
    with req.photo.open("rb") as fh:
        stored = Image.open(io.BytesIO(fh.read()))
        assert dict(stored.getexif()) == {}  # the phone's make and the time it was taken are gone
    assert "待确认" in client.get(page).content.decode()

    client.force_login(coordinator.user)
    queue = client.get(reverse("portal:intake")).content.decode()
    assert "复印有黑条" in queue and "data-duplicates" not in queue
    assert client.post(reverse("portal:intake"), {"request": req.pk, "action": "confirm"}).status_code == 302
    req.refresh_from_db()
    wo = req.work_order
    assert req.status == "confirmed" and req.decided_by == coordinator
    assert (wo.client, wo.site, wo.contact_name, wo.equipment_model, wo.status) == (mine.client, mine.site, "陈主任", "佳能 iR2625 复印机", "new")
    assert wo.required_at == at(12, 4, 14) and "复印有黑条" in wo.description
    photo = WorkOrderAttachment.objects.get(work_order=wo)
    assert photo.kind == "photo" and photo.uploaded_by == coordinator


def test_a_report_on_a_device_with_an_open_order_warns_before_a_second_one(client, mine, coordinator, now):
    open_order = create_work_order(by=coordinator, now=at(12, 3, 8), client=mine.client, site=mine.site, contact_name="陈主任",
                                   contact_phone="13812345678", equipment=mine.equipment, content="repair", description="卡纸")
    req = services.report_fault(link=services.resolve_token(token=mine.token, now=now), equipment_id=mine.equipment.pk,
                                description="又卡纸了", now=now)
    with pytest.raises(services.DuplicateWarning) as warned:
        services.confirm_intake(request=req, by=coordinator, now=now)
    assert [o.pk for o in warned.value.orders] == [open_order.pk]
    assert WorkOrder.objects.filter(client=mine.client, status="new").count() == 1
    client.force_login(coordinator.user)
    queue = client.get(reverse("portal:intake")).content.decode()
    assert "data-duplicates" in queue and open_order.number in queue and "仍然受理为工单" in queue
    client.post(reverse("portal:intake"), {"request": req.pk, "action": "confirm", "confirm_duplicate": "1"})
    assert WorkOrder.objects.filter(client=mine.client, status="new").count() == 2


def test_declined_request_shows_the_reason_to_the_client(client, mine, coordinator, now):
    req = services.report_fault(link=services.resolve_token(token=mine.token, now=now), device_text="空调",
                                description="不制冷", now=now)
    services.decline_intake(request=req, by=coordinator, now=now, reason="空调不在我公司服务范围")
    html = client.get(f"/c/{mine.token}/").content.decode()
    assert "未受理" in html and "空调不在我公司服务范围" in html


@pytest.mark.parametrize("role, allowed", [
    ("coordinator", True), ("manager", True), ("technician", False), ("finance", False), ("supervisor", False),
])
def test_only_the_desk_confirms_the_clients_reports(client, mine, role, allowed, now):
    req = services.report_fault(link=services.resolve_token(token=mine.token, now=now), device_text="打印机",
                                description="不出纸", now=now)
    client.force_login(staff_with(role, name=f"{role}乙").user)
    assert client.get(reverse("portal:intake")).status_code == (200 if allowed else 403)
    client.post(reverse("portal:intake"), {"request": req.pk, "action": "confirm"})
    req.refresh_from_db()
    assert (req.status == "confirmed") is allowed


def test_the_client_rates_the_visit_and_it_lands_on_the_callback_as_theirs(client, mine, now):
    page = f"/c/{mine.token}/"
    assert "您对这次服务满意吗" in client.get(page).content.decode()
    done = client.post(page, {"action": "rate", "work_order": mine.visit.pk, "satisfaction": "very_satisfied", "comment": "很专业"})
    assert done.status_code == 302
    cb = Callback.objects.get(work_order=mine.visit)
    assert (cb.satisfaction, cb.satisfaction_source, cb.complaint) == ("very_satisfied", "client", "很专业")
    assert abs(cb.client_rated_at - now) < timedelta(minutes=5)  # the page's clock (it ticks from the test's moment)
    assert cb.status in ("pending", "due")  # the call still asks items 1–4 (R-K4)
    assert not Complaint.objects.exists()
    again = client.post(page, {"action": "rate", "work_order": mine.visit.pk, "satisfaction": "dissatisfied"})
    assert again.status_code == 400 and "已经评价过" in again.content.decode()
    assert Callback.objects.get(pk=cb.pk).satisfaction == "very_satisfied"


def test_a_dissatisfied_rating_opens_a_complaint_with_owner_and_deadline(client, mine, manager, now):
    client.post(f"/c/{mine.token}/", {"action": "rate", "work_order": mine.visit.pk, "satisfaction": "dissatisfied", "comment": "来晚了"})
    c = Complaint.objects.get()
    assert (c.client, c.work_order, c.channel, c.created_by, c.owner) == (mine.client, mine.visit, "signed_link", None, manager)
    assert c.reply_due_at - c.created_at == timedelta(hours=24) and c.words == "来晚了"


def test_the_call_after_a_client_rating_keeps_the_clients_answer(mine, coordinator, now):
    from callbacks.services import rate_by_client, record_call

    cb = Callback.objects.get(work_order=mine.visit)
    rate_by_client(callback=cb, satisfaction="satisfied", now=now)
    cb.refresh_from_db()
    cb = record_call(callback=cb, by=coordinator, now=now + timedelta(hours=1), badge=True, explained=True, cleaned=True,
                     signed=True, satisfaction="")
    assert (cb.status, cb.satisfaction, cb.satisfaction_source) == ("done", "satisfied", "client")


def test_a_complaint_from_the_page_has_the_manager_as_owner_and_24_hours(client, mine, manager, now):
    done = client.post(f"/c/{mine.token}/", {"action": "complain", "work_order": mine.visit.pk, "words": "发票一直没寄到"})
    assert done.status_code == 302
    c = Complaint.objects.get()
    assert (c.client, c.work_order, c.channel, c.created_by, c.owner) == (mine.client, mine.visit, "signed_link", None, manager)
    assert c.reply_due_at - c.created_at == timedelta(hours=24) and c.words.startswith("发票一直没寄到")


def test_the_call_page_shows_the_clients_rating_and_may_keep_it(client, mine, coordinator, now):
    from callbacks.services import rate_by_client

    cb = Callback.objects.get(work_order=mine.visit)
    rate_by_client(callback=cb, satisfaction="satisfied", comment="很准时", now=now)
    client.force_login(coordinator.user)
    page = client.get(reverse("callbacks:call", args=[cb.pk])).content.decode()
    assert "data-client-rating" in page and "客户已通过链接自评:满意" in page and "很准时" in page
    done = client.post(reverse("callbacks:call", args=[cb.pk]), {"badge": "yes", "explained": "yes", "cleaned": "yes", "signed": "yes"})
    assert done.status_code == 302
    cb.refresh_from_db()
    assert (cb.status, cb.satisfaction, cb.satisfaction_source, cb.complaint) == ("done", "satisfied", "client", "很准时")
