"""Photos on the job, in Chromium: the technician on a phone (375×812, touch) tries a text file named .jpg (refused,
named, nothing kept), attaches two photos from the camera input on the job page — one carries a GPS position in its
EXIF — and closes the job with a third photo on the close-out; the stored photos carry no EXIF. The manager opens
the order at the desk and sees the thumbnails; tapping one opens the image. Another technician gets 404 for the
image's URL. No page scrolls sideways."""
import io
from datetime import timedelta

from PIL import Image

from dispatch.models import CloseOut
from servicedesk.choices import Role, WorkOrderStatus
from servicedesk.models import WorkOrderAttachment

from .builders import advance, client_with_device, order_for, person
from .helpers import login, screen, submit, text, visit


def _photo(path, size, colour, *, gps=False):
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (114.0, 3.0, 25.0)}  # GPSInfo: a street in Shenzhen
    image.save(path, format="JPEG", exif=exif.tobytes())
    assert Image.open(path).getexif().get_ifd(0x8825)  # the test photo really carries a position
    return str(path)


def test_technician_attaches_photos_and_the_manager_opens_them(pages, journey_now, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_X_ACCEL_REDIRECT = ""
    now = journey_now
    coordinator = person("coord", "张协调", Role.COORDINATOR, now=now)
    person("boss", "李经理", Role.MANAGER, now=now)
    tech = person("tech", "王技术", Role.TECHNICIAN, now=now, area="福田区")
    person("other", "吴技术", Role.TECHNICIAN, now=now, area="福田区")
    _c, _s, device = client_with_device("深圳市罗湖贸易有限公司", serial="SN-LH-0001")
    job = advance(order_for(device, by=coordinator, now=now - timedelta(hours=1)), to="arrived", technician=tech,
                  coordinator=coordinator, now=now - timedelta(minutes=50))
    nameplate = _photo(tmp_path / "IMG_0001.jpg", (3000, 2000), (30, 90, 160), gps=True)
    fault = _photo(tmp_path / "IMG_0002.jpg", (1200, 1600), (180, 60, 40), gps=True)
    result = _photo(tmp_path / "IMG_0003.jpg", (1600, 1200), (40, 160, 80), gps=True)
    fake = tmp_path / "IMG_0004.jpg"
    fake.write_text("not a picture, only text\n")

    page = pages.phone("technician")
    login(page, "tech")
    visit(page, f"/dispatch/my/{job.pk}/")
    camera = page.locator("#attach-files")
    assert camera.get_attribute("capture") == "environment" and camera.get_attribute("accept") == "image/*"
    assert camera.get_attribute("multiple") is not None

    # a text file named .jpg: refused with its name, nothing kept
    page.set_input_files("#attach-files", str(fake))
    submit(page, "#attach-submit")
    assert "IMG_0004.jpg:既不是可识别的图片(JPG、PNG、WEBP),也不是 PDF 文件,未保存。" in text(page)
    assert not WorkOrderAttachment.objects.exists()

    # two photos at once from the camera input
    page.set_input_files("#attach-files", [nameplate, fault])
    submit(page, "#attach-submit")
    assert "已上传 2 个附件。" in text(page)
    thumbs = page.locator(".attachments ul.thumbs img")
    assert thumbs.count() == 2
    page.wait_for_function("() => [...document.querySelectorAll('.attachments ul.thumbs img')].every(i => i.complete && i.naturalWidth > 0)")
    page.locator(".attachments").scroll_into_view_if_needed()
    screen(page, "technician-photos-375")
    box = page.locator(".attachments ul.thumbs a").first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb is a big enough tap target

    # close the job, with the result photo on the close-out
    page.click("text=填写服务单并完成")
    page.wait_for_url(f"**/dispatch/my/{job.pk}/close-out/")
    page.fill("[name=work_done]", "更换搓纸轮")
    page.fill("[name=fault_cause]", "搓纸轮磨损")
    page.fill("[name=advice]", "定期清洁进纸通道")
    page.fill("[name=signature_name]", "王经理")
    page.set_input_files("#close-out-photos", result)
    screen(page, "technician-close-out-photos-375")
    submit(page, "#submit-close-out")
    page.wait_for_url(f"**/dispatch/work-orders/{job.pk}/service-form/")
    job.refresh_from_db()
    assert job.status == WorkOrderStatus.RESOLVED and CloseOut.objects.filter(work_order=job).exists()

    rows = list(WorkOrderAttachment.objects.filter(work_order=job).order_by("id"))
    assert [(r.original_name, r.step, r.uploaded_by) for r in rows] == [
        ("IMG_0001.jpg", "on_site", tech), ("IMG_0002.jpg", "on_site", tech), ("IMG_0003.jpg", "close_out", tech),
    ]
    for row in rows:  # the stored photo: no EXIF (no position, no phone), at most 2000 px
        stored = Image.open(row.file.open("rb"))
        assert dict(stored.getexif()) == {} and "exif" not in stored.info
        assert max(stored.size) <= 2000
    assert (rows[0].width, rows[0].height) == (2000, 1333)

    # the manager at the desk: thumbnails on the order's page, tapping one opens the image
    desk = pages.desk("manager")
    login(desk, "boss")
    visit(desk, f"/core/work-orders/{job.pk}/")
    desk.wait_for_function("() => document.querySelectorAll('.attachments ul.thumbs img').length === 3 && [...document.querySelectorAll('.attachments ul.thumbs img')].every(i => i.complete && i.naturalWidth > 0)")
    screen(desk, "manager-order-photos")
    with desk.context.expect_page() as opened:
        desk.locator(".attachments ul.thumbs a").first.click()
    image_page = opened.value
    image_page.wait_for_load_state()
    assert image_page.url.endswith(f"/core/attachments/{rows[0].pk}/")
    response = desk.request.get(f"/core/attachments/{rows[0].pk}/")
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    served = Image.open(io.BytesIO(response.body()))
    assert served.size == (2000, 1333) and dict(served.getexif()) == {}

    # another technician: the image's URL answers 404 (the order is not theirs: not revealed)
    other = pages.phone("another technician")
    login(other, "other")
    assert other.request.get(f"/core/attachments/{rows[0].pk}/").status == 404
    assert other.request.get(f"/core/attachments/{rows[0].pk}/thumbnail/").status == 404
