"""R-N5 photos: a photo is an image because it decodes as one (a text file named .jpg is refused, naming the field),
it is stored without its metadata, and it is served only to those who may see the record — streamed by the
application in development, handed to nginx's internal location (X-Accel-Redirect) when the setting says so."""
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from penalties import offences
from servicedesk.choices import Role
from servicedesk.errors import DomainError
from tests.factories import staff_with

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_X_ACCEL_REDIRECT = ""


@pytest.fixture
def people():
    return (staff_with(Role.TECHNICIAN, name="赵技术"), staff_with(Role.SUPERVISOR, name="孙监督"),
            staff_with(Role.MANAGER, name="周经理"), staff_with(Role.TECHNICIAN, name="吴技术"))


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (16, 12), "blue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "CameraApp 1.0"  # Software
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def record(by, person, photo):
    return offences.record_offence(person=person, rule="P5", occurred_at=NOW - timedelta(hours=1), observed="工作台杂乱",
                                   by=by, now=NOW, photo=photo)


def test_a_text_file_named_jpg_is_refused_naming_the_field(people):
    tech, supervisor, _m, _o = people
    with pytest.raises(DomainError) as exc:
        record(supervisor, tech, SimpleUploadedFile("desk.jpg", b"this is not a picture\n", content_type="image/jpeg"))
    assert exc.value.field == "photo" and "照片" in str(exc.value.message) and "图片" in str(exc.value.message)


def test_the_offence_form_shows_the_refusal_at_the_photo_field(client, people):
    tech, supervisor, _m, _o = people
    client.force_login(supervisor.user)
    r = client.post(reverse("penalties:offence_new"), {
        "person": tech.pk, "rule": "P5", "occurred_at": "2026-11-20T09:00", "observed": "工作台杂乱",
        "photo": SimpleUploadedFile("desk.jpg", b"plain text", content_type="image/jpeg"),
    })
    html = r.content.decode()
    assert r.status_code == 200 and "文件不是可识别的图片" in html
    from penalties.models import RecordedOffence

    assert not RecordedOffence.objects.exists()  # nothing half-saved


def test_a_photo_is_stored_without_its_metadata(people):
    tech, supervisor, _m, _o = people
    pen = record(supervisor, tech, SimpleUploadedFile("desk.jpg", jpeg_with_gps(), content_type="image/jpeg"))
    with Image.open(pen.source.photo.path) as stored:
        assert stored.format == "JPEG" and stored.size == (16, 12)
        assert dict(stored.getexif()) == {}
    assert b"PhoneMaker" not in open(pen.source.photo.path, "rb").read()


def test_the_photo_opens_for_the_record_s_people_only(client, people):
    tech, supervisor, manager, other = people
    pen = record(supervisor, tech, SimpleUploadedFile("desk.png", _png(), content_type="image/png"))
    url = reverse("penalties:offence_photo", args=[pen.source_id])
    for who in (manager, supervisor, tech):
        client.force_login(who.user)
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"] == "image/png", who.name
        assert b"".join(r.streaming_content).startswith(b"\x89PNG")
    client.force_login(other.user)
    assert client.get(url).status_code == 404  # another person's offence: not revealed
    client.force_login(manager.user)
    html = client.get(reverse("penalties:offence_detail", args=[pen.source_id])).content.decode()
    assert url in html and "/media/" not in html


def test_behind_nginx_the_file_goes_through_the_internal_location(client, people, settings):
    tech, supervisor, manager, _o = people
    pen = record(supervisor, tech, SimpleUploadedFile("desk.png", _png(), content_type="image/png"))
    settings.MEDIA_X_ACCEL_REDIRECT = "/protected-media/"
    client.force_login(manager.user)
    r = client.get(reverse("penalties:offence_photo", args=[pen.source_id]))
    assert r.status_code == 200 and r["X-Accel-Redirect"] == f"/protected-media/{pen.source.photo.name}" and r.content == b""


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buf, format="PNG")
    return buf.getvalue()
