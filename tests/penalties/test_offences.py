"""R-N5 recorded offences: who records, the points range, the manager's decision, the second P3, notifications."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from penalties import offences
from penalties.choices import PenaltyStatus
from penalties.models import DismissalFlag, Penalty, RecordedOffence
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from servicedesk.models import Notification, RuleParameter
from tests.factories import staff_with

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=TZ)


@pytest.fixture
def tech(db):
    t = staff_with(Role.TECHNICIAN, name="王技术")
    t.user.email = "wang@example.com"
    t.user.save()
    return t


def record(by, person, rule="P3", points=None, **kw):
    return offences.record_offence(
        person=person, rule=rule, occurred_at=kw.pop("occurred_at", NOW - timedelta(hours=2)),
        observed=kw.pop("observed", "服务单写更换硒鼓,现场未更换"), by=by, now=kw.pop("now", NOW), points=points, **kw,
    )


def test_supervisor_records_p3_twice_manager_confirms_both_dismissal_flag_and_person_told_each_step(
    tech, supervisor, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = record(supervisor, tech)
    assert first.status == PenaltyStatus.PENDING and first.rule == "P3" and first.suggested_points == 10
    assert isinstance(first.source, RecordedOffence) and first.source.recorded_by == supervisor
    with django_capture_on_commit_callbacks(execute=True):
        offences.decide(penalty=first, action="confirm", by=manager, now=NOW + timedelta(hours=1))
    assert not DismissalFlag.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = record(supervisor, tech, occurred_at=NOW - timedelta(hours=1), observed="第二次:服务单与实际不符")
    with django_capture_on_commit_callbacks(execute=True):
        offences.decide(penalty=second, action="confirm", by=manager, now=NOW + timedelta(hours=2))
    flag = DismissalFlag.objects.get(person=tech)
    assert flag.penalty == second and flag.status == "open"
    notes = list(Notification.objects.filter(recipient=tech).order_by("pk").values_list("text", flat=True))
    assert len(notes) == 4  # proposal, confirmation, proposal, confirmation
    assert "建议" in notes[0] and "已确认" in notes[1] and "建议" in notes[2] and "已确认" in notes[3]
    assert len([m for m in mail.outbox if "wang@example.com" in m.to]) == 4


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR, Role.TEAM_LEAD, Role.COORDINATOR])
def test_recorders(role, tech):
    pen = record(staff_with(role), tech, rule="P5")
    assert pen.status == PenaltyStatus.PENDING


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.FINANCE, Role.SALES, Role.ADMIN])
def test_others_cannot_record(role, tech):
    with pytest.raises(PermissionDenied):
        record(staff_with(role), tech)
    assert not RecordedOffence.objects.exists() and not Penalty.objects.exists()


@pytest.mark.parametrize("points", [4, 21])
def test_points_outside_the_range_refused_and_nothing_saved(tech, supervisor, points):
    with pytest.raises(DomainError) as exc:
        record(supervisor, tech, rule="P1", points=points)
    assert exc.value.field == "points" and "5–20" in str(exc.value.message)
    assert not RecordedOffence.objects.exists() and not Penalty.objects.exists()
    assert not Notification.objects.exists()


def test_points_within_range_and_range_follows_the_parameter(tech, supervisor):
    assert record(supervisor, tech, rule="P1", points=15).suggested_points == 15
    RuleParameter.objects.create(name="penalty.P1", effective_from=NOW.date() - timedelta(days=1), kind="table",
                                 value={"min": 8, "max": 12, "dismissal": "never", "offence": "不服从协调员派单"},
                                 unit="分", rule="P1", description="x")
    with pytest.raises(DomainError):
        record(supervisor, tech, rule="P1", points=15, observed="又一次")


@pytest.mark.parametrize("rule", ["P7", "P8", "P6"])
def test_event_rules_cannot_be_recorded_by_hand(tech, supervisor, rule):
    with pytest.raises(DomainError) as exc:
        record(supervisor, tech, rule=rule)
    assert exc.value.field == "rule"


def test_future_time_and_empty_observation_refused(tech, supervisor):
    with pytest.raises(DomainError) as exc:
        record(supervisor, tech, occurred_at=NOW + timedelta(hours=1))
    assert exc.value.field == "occurred_at"
    with pytest.raises(DomainError) as exc:
        record(supervisor, tech, observed="  ")
    assert exc.value.field == "observed"


def test_manager_changes_within_range_or_rejects_and_person_is_told(tech, team_lead, manager):
    pen = record(team_lead, tech, rule="P1", points=10)
    offences.decide(penalty=pen, action="change", by=manager, now=NOW, points=18, reason="情节较重")
    pen.refresh_from_db()
    assert pen.suggested_points == 18
    with pytest.raises(DomainError):
        offences.decide(penalty=pen, action="change", by=manager, now=NOW, points=30, reason="x")
    offences.decide(penalty=pen, action="reject", by=manager, now=NOW, reason="核实后不成立")
    pen.refresh_from_db()
    assert pen.status == PenaltyStatus.REJECTED
    texts = list(Notification.objects.filter(recipient=tech).values_list("text", flat=True))
    assert any("18" in t for t in texts) and any("驳回" in t for t in texts)


def test_photo_is_kept_and_wrong_type_refused(tech, supervisor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="JPEG")  # a real photo: the file is decoded, not trusted by name
    pen = record(supervisor, tech, rule="P5", photo=SimpleUploadedFile("desk.jpg", buf.getvalue(), content_type="image/jpeg"))
    assert pen.source.photo.name.endswith(".jpg")
    with pytest.raises(DomainError) as exc:
        record(supervisor, tech, rule="P5", photo=SimpleUploadedFile("x.exe", b"MZ"), observed="再次")
    assert exc.value.field == "photo"


# --------------------------------------------------------------------------- API and pages
def test_api_records_and_lists_per_role(tech, supervisor, manager, api, other_technician):
    r = api(supervisor).post("/api/penalties/offences/", {
        "person": tech.pk, "rule": "P2", "occurred_at": "2026-11-20T09:00:00+08:00", "observed": "与客户争执"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["penalty"]["status"] == "pending" and r.json()["penalty"]["suggested_points"] == 10
    r = api(supervisor).post("/api/penalties/offences/", {
        "person": tech.pk, "rule": "P1", "points": 40, "occurred_at": "2026-11-20T09:00:00+08:00", "observed": "x"},
        format="json")
    assert r.status_code == 400 and "points" in r.json()
    assert api(other_technician).post("/api/penalties/offences/", {
        "person": tech.pk, "rule": "P2", "occurred_at": "2026-11-20T09:00:00+08:00", "observed": "x"}, format="json"
    ).status_code == 403
    assert api(tech).get("/api/penalties/offences/").json()["count"] == 1
    assert api(other_technician).get("/api/penalties/offences/").json()["count"] == 0
    assert api(manager).get("/api/penalties/offences/").json()["count"] == 1


def test_pages_record_decide_and_my_record(tech, supervisor, manager, page, other_technician):
    client = page(supervisor)
    r = client.get("/penalties/offences/new/")
    assert r.status_code == 200
    r = client.post("/penalties/offences/new/", {
        "person": tech.pk, "rule": "P3", "occurred_at": "2026-11-20T09:00", "observed": "服务单与实际不符"}, follow=True)
    assert r.status_code == 200 and RecordedOffence.objects.count() == 1
    rec = RecordedOffence.objects.get()
    r = page(manager).post(f"/penalties/offences/{rec.pk}/", {"action": "confirm"}, follow=True)
    assert Penalty.objects.get().status == PenaltyStatus.CONFIRMED
    r = page(tech).get("/penalties/offences/mine/")
    assert r.status_code == 200 and "P3" in r.content.decode()
    assert page(other_technician).get(f"/penalties/offences/{rec.pk}/").status_code == 404  # not revealed
    assert page(other_technician).get("/penalties/offences/new/").status_code == 403
