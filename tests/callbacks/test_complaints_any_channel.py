"""R-K10 complaints from any channel: owner, 24 h reply deadline (a scanned row), reply, client confirmation,
GM office for serious ones, P8 proposal and the R-M2 fine of the month."""
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from bonuses import selectors as bonus_selectors
from callbacks import complaints
from callbacks.choices import CallbackStatus, ComplaintChannel, ComplaintStatus, WindowRule
from callbacks.models import Callback, Complaint
from callbacks.services import record_call
from penalties.models import Penalty
from servicedesk.choices import Role, WorkOrderStatus
from servicedesk.errors import ConflictError, DomainError
from servicedesk.models import Notification, RuleParameter
from tests.factories import WorkOrderFactory, staff_with

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 10, 12, 10, 0, tzinfo=TZ)


@pytest.fixture
def visit(db, technician):
    return WorkOrderFactory(technician=technician, status=WorkOrderStatus.RESOLVED)


@pytest.fixture
def page(client):
    def login(staff):
        client.force_login(staff.user)
        return client

    return login


def take(by, visit, **kw):
    return complaints.register_complaint(
        channel=kw.pop("channel", ComplaintChannel.PHONE), client=kw.pop("client", visit.client),
        words=kw.pop("words", "打印机修好第二天又卡纸"), by=by, now=kw.pop("now", NOW), work_order=visit, **kw,
    )


def test_phoned_complaint_owner_deadline_overdue_alert_then_decided_own_work_p8_and_fine(coordinator, manager, technician, visit):
    c = take(coordinator, visit)
    # owner and a 24 h reply deadline with its explanation; the visit's technician is named, not blamed
    assert c.owner == manager and c.channel == "phone" and c.technician == technician
    assert c.reply_due_at == NOW + timedelta(hours=24)
    assert c.reply_explanation["params"][0]["name"] == "complaint.reply_hours"
    # R-K10 Decision: taking it proposes nothing and counts for nobody until the manager decides
    assert not Penalty.objects.filter(rule="P8").exists()
    [row] = [r for r in bonus_selectors.ranking(date(2026, 10, 1)) if r["person_id"] == technician.pk]
    assert row["complaints"] == 0
    # before the deadline nothing is overdue; after it the owner and managers are alerted once
    assert complaints.scan_complaints(now=NOW + timedelta(hours=23)) == 0
    assert complaints.scan_complaints(now=NOW + timedelta(hours=25)) == 1
    assert complaints.scan_complaints(now=NOW + timedelta(hours=26)) == 0
    c.refresh_from_db()
    assert c.is_reply_overdue
    assert Notification.objects.filter(recipient=manager, key=f"complaint-overdue-{c.pk}").count() == 1
    # decided "the person's own work": P8 proposed to the person responsible …
    complaints.decide(complaint=c, by=manager, now=NOW + timedelta(hours=27), outcome="own_work", responsible=technician,
                      reason="未按约定复查")
    pen = Penalty.objects.get(rule="P8", person=technician)
    assert pen.status == "pending" and pen.source == c and pen.occurred_on == date(2026, 10, 12)
    # … and counts for R-M2: 1 complaint ≥ bonus.mobile_fine_complaints (1) → the ¥100 fine of the month
    [row] = [r for r in bonus_selectors.ranking(date(2026, 10, 1)) if r["person_id"] == technician.pk]
    assert row["complaints"] == 1 and row["fine"] == Decimal("100.00")
    assert Notification.objects.filter(recipient=technician, key__startswith=f"penalty-{pen.pk}-propose").exists()


def test_reply_deadline_is_a_parameter(coordinator, visit):
    RuleParameter.objects.create(name="complaint.reply_hours", effective_from=date(2026, 10, 1), kind="integer", value=8,
                                 unit="小时", rule="R-K10", description="x")
    c = take(coordinator, visit)
    assert c.reply_due_at == NOW + timedelta(hours=8)


def test_reply_then_client_confirmation(coordinator, manager, visit):
    c = take(coordinator, visit)
    with pytest.raises(ConflictError):
        complaints.confirm_by_client(complaint=c, by=manager, now=NOW, confirmation="满意")
    c = complaints.reply(complaint=c, by=manager, now=NOW + timedelta(hours=3), root_cause="搓纸轮磨损未更换",
                         agreed_fix="免费更换搓纸轮", fix_due_on=date(2026, 10, 14))
    assert c.status == ComplaintStatus.REPLIED and c.replied_at == NOW + timedelta(hours=3)
    assert complaints.scan_complaints(now=NOW + timedelta(days=2)) == 0  # replied in time: no alert
    c = complaints.confirm_by_client(complaint=c, by=manager, now=NOW + timedelta(days=2), confirmation="已解决,满意")
    assert c.status == ComplaintStatus.CONFIRMED and c.client_confirmation == "已解决,满意"


@pytest.mark.parametrize("field,kwargs", [
    ("root_cause", {"root_cause": "", "agreed_fix": "x", "fix_due_on": date(2026, 10, 14)}),
    ("agreed_fix", {"root_cause": "x", "agreed_fix": " ", "fix_due_on": date(2026, 10, 14)}),
    ("fix_due_on", {"root_cause": "x", "agreed_fix": "x", "fix_due_on": None}),
    ("fix_due_on", {"root_cause": "x", "agreed_fix": "x", "fix_due_on": date(2026, 10, 1)}),
])
def test_reply_bad_input_names_the_field(coordinator, manager, visit, field, kwargs):
    c = take(coordinator, visit)
    with pytest.raises(DomainError) as exc:
        complaints.reply(complaint=c, by=manager, now=NOW, **kwargs)
    assert exc.value.field == field
    c.refresh_from_db()
    assert c.replied_at is None and c.status == ComplaintStatus.OPEN


def test_only_owner_or_manager_replies(coordinator, visit, technician):
    c = take(coordinator, visit)
    with pytest.raises(PermissionDenied):
        complaints.reply(complaint=c, by=technician, now=NOW, root_cause="x", agreed_fix="x", fix_due_on=date(2026, 10, 14))


def test_serious_complaint_reported_to_gm_office(coordinator, visit):
    gm = staff_with(Role.GM_OFFICE, name="总经办")
    c = take(coordinator, visit, serious=True)
    assert c.gm_reported_at == NOW
    assert Notification.objects.filter(recipient=gm, key=f"complaint-serious-{c.pk}").exists()


def test_complaint_not_about_a_person_proposes_nothing_and_fines_nobody(coordinator, visit, technician):
    c = complaints.register_complaint(channel=ComplaintChannel.WALK_IN, client=visit.client, words="前台态度冷淡",
                                      by=coordinator, now=NOW)
    assert c.technician is None and not Penalty.objects.exists()
    assert all(r["complaints"] == 0 for r in bonus_selectors.ranking(date(2026, 10, 1)))


@pytest.mark.parametrize("kw,field", [
    ({"channel": "fax"}, "channel"),
    ({"words": "   "}, "words"),
])
def test_bad_input_refused_nothing_saved(coordinator, visit, kw, field):
    with pytest.raises(DomainError) as exc:
        take(coordinator, visit, **kw)
    assert exc.value.field == field
    assert not Complaint.objects.exists() and not Penalty.objects.exists()


def test_work_order_of_another_client_refused(coordinator, visit):
    other = WorkOrderFactory()
    with pytest.raises(DomainError) as exc:
        take(coordinator, other, client=visit.client)
    assert exc.value.field == "work_order"


def test_technicians_cannot_take_complaints(technician, visit):
    with pytest.raises(PermissionDenied):
        take(technician, visit)


def test_callback_complaint_gets_owner_and_deadline(coordinator, manager, technician, visit):
    cb = Callback.objects.create(
        work_order=visit, client=visit.client, technician=technician, completed_at=NOW - timedelta(hours=30),
        window_opens_at=NOW - timedelta(hours=6), due_at=NOW + timedelta(hours=42), window_rule=WindowRule.FIRST_SERVICE,
        status=CallbackStatus.DUE,
    )
    record_call(callback=cb, by=coordinator, now=NOW, badge=True, explained=True, cleaned=True, signed=True,
                satisfaction="dissatisfied", complaint="响应太慢")
    c = Complaint.objects.get(callback=cb)
    assert c.channel == "callback" and c.owner == manager and c.reply_due_at == NOW + timedelta(hours=24)


def test_api_and_pages(coordinator, manager, technician, visit, api, page):
    r = api(coordinator).post("/api/callbacks/complaints/", {
        "channel": "phone", "client": visit.client.pk, "work_order": visit.pk, "words": "又坏了"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner"] == manager.pk and body["reply_due_at"] and body["status"] == "open"
    assert api(technician).post("/api/callbacks/complaints/", {
        "channel": "phone", "client": visit.client.pk, "words": "x"}, format="json").status_code == 403
    r = api(manager).post(f"/api/callbacks/complaints/{body['id']}/reply/", {
        "root_cause": "配件老化", "agreed_fix": "更换", "fix_due_on": "2099-01-01"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "replied"
    client = page(coordinator)
    assert client.get("/callbacks/complaints/new/").status_code == 200
    r = client.post("/callbacks/complaints/new/", {"channel": "walk_in", "client": visit.client.pk,
                                                   "work_order": visit.number, "words": "来访投诉"}, follow=True)
    assert r.status_code == 200 and Complaint.objects.count() == 2
    c = Complaint.objects.order_by("-pk").first()
    assert "来访投诉" in page(manager).get(f"/callbacks/complaints/{c.pk}/").content.decode()
    assert page(technician).get(f"/callbacks/complaints/{c.pk}/").status_code == 403
