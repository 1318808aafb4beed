"""The supervisor on a phone (375×812, touch) records an offence seen on a round, with a photo (R-N5): a text file
named .jpg is refused at the photo field and nothing is saved; a real photo is kept without its metadata, the
proposal waits for the manager, and 查看照片 shows the photo to the supervisor (and to no one else)."""
import io
from datetime import timedelta

from PIL import Image

from penalties.models import Penalty, RecordedOffence
from servicedesk.choices import Role

from .builders import person
from .helpers import login, screen, submit, text
from .reference import reference_data  # noqa: F401  (the parameters every page reads)


def _photo(tmp_path):
    path = tmp_path / "desk.jpg"
    image = Image.new("RGB", (64, 48), (200, 180, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    image.save(path, format="JPEG", exif=exif.tobytes())
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a picture, only text\n")
    return path, fake


def test_supervisor_records_an_offence_with_a_photo(reference_data, pages, journey_now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_X_ACCEL_REDIRECT = ""
    now = journey_now
    person("sup", "孙监督", Role.SUPERVISOR, now=now)
    tech = person("tech", "赵技术", Role.TECHNICIAN, now=now)
    person("other", "吴技术", Role.TECHNICIAN, now=now)
    photo, fake = _photo(tmp_path)

    page = pages.phone("supervisor")
    login(page, "sup")
    page.goto("/penalties/offences/new/")
    screen(page, "supervisor-offence-form")
    page.select_option("select[name=person]", str(tech.pk))
    page.select_option("select[name=rule]", "P5")
    page.fill("input[name=occurred_at]", (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=observed]", "工作台上堆满拆下的旧硒鼓")
    page.set_input_files("input[name=photo]", str(fake))
    submit(page, "form.card button[type=submit]")
    error = page.locator("input[name=photo] ~ .error, .field:has(input[name=photo]) .error")
    assert "文件不是可识别的图片" in error.first.inner_text()
    assert not RecordedOffence.objects.exists()  # nothing half-saved
    screen(page, "supervisor-offence-refused")
    # the form keeps what was typed; the photo is chosen again (browsers never keep a file input)
    assert page.input_value("textarea[name=observed]") == "工作台上堆满拆下的旧硒鼓"
    page.set_input_files("input[name=photo]", str(photo))
    submit(page, "form.card button[type=submit]")
    assert "已记录,等待部门经理确认" in text(page)
    record = RecordedOffence.objects.get()
    pen = Penalty.objects.get(source_id=record.pk, rule="P5")
    assert pen.status == "pending" and pen.person == tech and record.photo.name.endswith(".jpg")
    assert b"PhoneMaker" not in record.photo.read()

    page.click(f"a[href='/penalties/offences/{record.pk}/']")
    page.wait_for_url(f"**/penalties/offences/{record.pk}/")
    screen(page, "supervisor-offence-detail")
    link = page.locator("a", has_text="查看照片")
    assert link.get_attribute("href") == f"/penalties/offences/{record.pk}/photo/"
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.body()[:3] == b"\xff\xd8\xff"
    img = Image.open(io.BytesIO(response.body()))
    assert img.size == (64, 48) and dict(img.getexif()) == {}

    other = pages.phone("someone else")
    login(other, "other")
    other.guard.expect(r"status of 404")
    assert other.request.get(f"/penalties/offences/{record.pk}/photo/").status == 404  # another's record: not revealed
