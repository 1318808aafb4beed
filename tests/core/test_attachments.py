"""Photos and documents on a work order (servicedesk/attachments.py, uploads.clean_attachment): checked by their
content, photos downscaled to 2000 px without their metadata and with a thumbnail, PDFs parsed (never rendered),
caps per file and per order, all or nothing, served only to people who may see the order, removal is a flag."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from servicedesk import attachments
from servicedesk.errors import DomainError
from servicedesk.models import WorkOrderAttachment, WorkOrderEvent
from tests.factories import WorkOrderFactory, staff_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_X_ACCEL_REDIRECT = ""
    return settings.MEDIA_ROOT


def jpeg(name="photo.jpg", size=(64, 48), *, gps=False, noise=False) -> SimpleUploadedFile:
    if noise:
        import os

        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[0x8825] = {1: "N", 2: (22.0, 32.0, 10.0), 3: "E", 4: (114.0, 3.0, 25.0)}  # GPSInfo: Shenzhen
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(pages=2, name="配合单.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def stored_files(media) -> list:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


@pytest.fixture
def job(fixed_now):
    tech = staff_with("technician", name="王技术")
    return WorkOrderFactory(technician=tech, status="on_site"), tech


def test_a_photo_is_kept_downscaled_to_2000_px_with_a_thumbnail_and_without_exif(job, fixed_now):
    wo, tech = job
    [row] = attachments.attach(work_order=wo, files=[jpeg("铭牌.jpg", (3000, 1500), gps=True)], by=tech, now=fixed_now)
    assert (row.kind, row.width, row.height, row.step, row.original_name) == ("photo", 2000, 1000, "on_site", "铭牌.jpg")
    kept = Image.open(row.file.open("rb"))
    assert kept.size == (2000, 1000) and kept.format == "JPEG"
    assert dict(kept.getexif()) == {} and "exif" not in kept.info
    thumb = Image.open(row.thumbnail.open("rb"))
    assert thumb.size == (320, 160) and thumb.format == "JPEG"
    assert row.size == row.file.size + row.thumbnail.size
    assert row.file.name.startswith("work-orders/") and "铭牌" not in row.file.name  # a random name, says nothing
    event = WorkOrderEvent.objects.get(work_order=wo, action="attach")
    assert event.by == tech and event.data == {"attachments": [row.pk]}


def test_a_small_photo_is_not_enlarged(job, fixed_now):
    wo, tech = job
    [row] = attachments.attach(work_order=wo, files=[jpeg(size=(800, 600))], by=tech, now=fixed_now)
    assert (row.width, row.height) == (800, 600)
    assert Image.open(row.thumbnail.open("rb")).size == (320, 240)


def test_a_text_file_named_jpg_is_refused_naming_it_and_nothing_of_the_batch_is_kept(job, fixed_now, media):
    wo, tech = job
    fake = SimpleUploadedFile("故障.jpg", b"just some text, not a picture\n", content_type="image/jpeg")
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[jpeg("ok.jpg"), fake], by=tech, now=fixed_now)
    assert str(refused.value.message) == "故障.jpg:既不是可识别的图片(JPG、PNG、WEBP),也不是 PDF 文件,未保存。"
    assert refused.value.field == "files"
    assert not WorkOrderAttachment.objects.exists() and stored_files(media) == []


def test_an_oversized_file_is_refused_before_it_is_decoded(job, fixed_now, settings, media):
    settings.ATTACHMENT_MAX_FILE_MB = 1
    wo, tech = job
    big = jpeg("大图.jpg", (1200, 1000), noise=True)
    assert big.size > 1024 * 1024
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[big], by=tech, now=fixed_now)
    assert refused.value.code == "file_too_large"
    assert str(refused.value.message).startswith("大图.jpg:文件太大(") and str(refused.value.message).endswith("每个文件不能超过 1 MB。")
    assert stored_files(media) == []


def test_a_decompression_bomb_is_refused_from_its_header(job, fixed_now):
    wo, tech = job
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")  # 48 megapixels in a few kilobytes
    bomb = SimpleUploadedFile("bomb.png", out.getvalue(), content_type="image/png")
    assert bomb.size < 100_000
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[bomb], by=tech, now=fixed_now)
    assert str(refused.value.message) == "bomb.png:图片像素过多(超过 40 百万像素),未保存。"


def test_a_pdf_is_kept_as_it_is_with_its_page_count_and_no_thumbnail(job, fixed_now):
    wo, tech = job
    upload = pdf(pages=3)
    [row] = attachments.attach(work_order=wo, files=[upload], by=tech, now=fixed_now)
    assert (row.kind, row.pages, row.content_type, row.thumbnail.name) == ("document", 3, "application/pdf", "")
    upload.seek(0)
    assert row.file.open("rb").read() == upload.read()


def test_a_fake_pdf_is_refused(job, fixed_now):
    wo, tech = job
    fake = SimpleUploadedFile("配合单.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[fake], by=tech, now=fixed_now)
    assert str(refused.value.message) == "配合单.pdf:不是有效的 PDF 文件(无法读取),未保存。"
    exe = SimpleUploadedFile("配合单.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")  # a PDF by name only
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[exe], by=tech, now=fixed_now)
    assert refused.value.code == "not_accepted"


def test_a_pdf_over_the_page_cap_is_refused(job, fixed_now, settings):
    settings.ATTACHMENT_PDF_MAX_PAGES = 2
    wo, tech = job
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[pdf(pages=3, name="long.pdf")], by=tech, now=fixed_now)
    assert str(refused.value.message) == "long.pdf:PDF 共 3 页,超过 2 页的上限,未保存。"


def test_the_per_order_caps_refuse_the_whole_upload(job, fixed_now, settings, media):
    settings.ATTACHMENT_MAX_PER_ORDER = 3
    wo, tech = job
    attachments.attach(work_order=wo, files=[jpeg("a.jpg"), jpeg("b.jpg")], by=tech, now=fixed_now)
    kept = stored_files(media)
    assert len(kept) == 4  # two photos, two thumbnails
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[jpeg("c.jpg"), jpeg("d.jpg")], by=tech, now=fixed_now)
    assert str(refused.value.message) == "每张工单最多 3 个附件:已有 2 个,这次 2 个,未保存。"
    assert WorkOrderAttachment.objects.count() == 2 and stored_files(media) == kept  # the refused files are not left behind
    # a removed attachment no longer counts: room for one more … and only one
    attachments.remove(attachment=WorkOrderAttachment.objects.first(), by=tech, now=fixed_now)
    attachments.attach(work_order=wo, files=[jpeg("c.jpg"), jpeg("d.jpg")], by=tech, now=fixed_now)
    assert WorkOrderAttachment.objects.current().count() == 3


def test_the_per_order_size_cap_counts_the_kept_bytes(job, fixed_now, settings):
    settings.ATTACHMENT_MAX_ORDER_MB = 1
    wo, tech = job
    noisy = jpeg("noise.jpg", (900, 700), noise=True)
    [first] = attachments.attach(work_order=wo, files=[noisy], by=tech, now=fixed_now)
    assert first.size > 512 * 1024  # noise does not compress: two of them are over 1 MB
    with pytest.raises(DomainError) as refused:
        attachments.attach(work_order=wo, files=[jpeg("noise2.jpg", (900, 700), noise=True)], by=tech, now=fixed_now)
    assert refused.value.code == "order_size_cap" and "每张工单的附件合计不能超过 1 MB" in str(refused.value.message)


def test_who_may_attach_and_remove(job, fixed_now):
    wo, tech = job
    other = staff_with("technician", name="吴技术")
    finance = staff_with("finance", name="钱财务")
    coordinator = staff_with("coordinator", name="张协调")
    for outsider in (other, finance):
        with pytest.raises(PermissionDenied):
            attachments.attach(work_order=wo, files=[jpeg()], by=outsider, now=fixed_now)
    [row] = attachments.attach(work_order=wo, files=[jpeg("到货状况.jpg")], by=coordinator, now=fixed_now)  # carry-in reception
    with pytest.raises(PermissionDenied):
        attachments.remove(attachment=row, by=other, now=fixed_now)
    removed = attachments.remove(attachment=row, by=coordinator, now=fixed_now, reason="拍错了")
    assert (removed.removed_by, removed.removed_at, removed.removed_reason) == (coordinator, fixed_now, "拍错了")
    assert WorkOrderAttachment.objects.filter(pk=row.pk).exists() and row.file.storage.exists(row.file.name)  # never deleted
    with pytest.raises(DomainError):
        attachments.remove(attachment=row, by=coordinator, now=fixed_now)


def _client_for(staff):
    from django.test import Client

    client = Client()
    client.force_login(staff.user)
    return client


def test_the_file_is_served_only_to_people_who_may_see_the_order(job, fixed_now, settings):
    wo, tech = job
    [row] = attachments.attach(work_order=wo, files=[jpeg("结果.jpg")], by=tech, now=fixed_now)
    url, thumb = reverse("servicedesk:attachment_file", args=[row.pk]), reverse("servicedesk:attachment_thumbnail", args=[row.pk])
    for viewer in (tech, staff_with("manager"), staff_with("finance")):
        response = _client_for(viewer).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
        assert response["Cache-Control"] == "private, no-store"
    other = _client_for(staff_with("technician"))
    assert other.get(url).status_code == 404 and other.get(thumb).status_code == 404
    # behind nginx: the application answers with the internal location, nginx sends the file
    settings.MEDIA_X_ACCEL_REDIRECT = "/protected-media/"
    response = _client_for(tech).get(thumb)
    assert response["X-Accel-Redirect"] == "/protected-media/" + row.thumbnail.name and response.content == b""


def test_the_pages_upload_and_show_thumbnails(job, fixed_now):
    wo, tech = job
    page = _client_for(tech)
    mobile = reverse("dispatch:mobile_order", args=[wo.pk])
    response = page.post(reverse("servicedesk:attachment_upload", args=[wo.pk]),
                         {"files": [jpeg("a.jpg"), jpeg("b.jpg")], "next": mobile}, follow=True)
    assert response.redirect_chain[-1][0] == mobile
    assert "已上传 2 个附件。" in response.content.decode()
    rows = list(WorkOrderAttachment.objects.order_by("id"))
    html = response.content.decode()
    for row in rows:
        assert reverse("servicedesk:attachment_thumbnail", args=[row.pk]) in html
    assert 'capture="environment"' in html
    desk = _client_for(staff_with("manager")).get(reverse("servicedesk:work_order_detail", args=[wo.pk])).content.decode()
    assert all(reverse("servicedesk:attachment_file", args=[r.pk]) in desk for r in rows)
    # an order the technician does not hold: 404, nothing stored
    foreign = WorkOrderFactory()
    assert page.post(reverse("servicedesk:attachment_upload", args=[foreign.pk]), {"files": [jpeg()]}).status_code == 404
    assert WorkOrderAttachment.objects.count() == 2


def test_the_api_lists_and_uploads(job, fixed_now):
    wo, tech = job
    api = APIClient()
    api.force_authenticate(tech.user)
    url = f"/api/work-orders/{wo.pk}/attachments/"
    created = api.post(url, {"files": [jpeg("nameplate.jpg"), pdf()], "caption": "铭牌"}, format="multipart")
    assert created.status_code == 201, created.content
    assert [(r["kind"], r["original_name"], r["caption"]) for r in created.json()] == [("photo", "nameplate.jpg", "铭牌"), ("document", "配合单.pdf", "铭牌")]
    assert created.json()[0]["url"] == f"/core/attachments/{created.json()[0]['id']}/"
    assert created.json()[1]["thumbnail_url"] is None and created.json()[1]["pages"] == 2
    listed = api.get(url)
    assert [r["id"] for r in listed.json()] == [r["id"] for r in created.json()]
    bad = api.post(url, {"files": [SimpleUploadedFile("x.jpg", b"text")]}, format="multipart")
    assert bad.status_code == 400 and bad.json()["code"] == "not_accepted"
    assert bad.json()["files"] == ["x.jpg:既不是可识别的图片(JPG、PNG、WEBP),也不是 PDF 文件,未保存。"]
    other = APIClient()
    other.force_authenticate(staff_with("technician").user)
    assert other.get(url).status_code == 404
    assert other.post(url, {"files": [jpeg()]}, format="multipart").status_code == 404
    removed = api.post(f"/api/attachments/{created.json()[0]['id']}/remove/", {"reason": "重复"})
    assert removed.status_code == 200 and removed.json()["removed_reason"] == "重复"
    assert len(api.get(url).json()) == 1 and len(api.get(url + "?removed=1").json()) == 2


def test_the_admin_lists_attachments_read_only_through_the_checked_page(job, fixed_now, admin_client):
    wo, tech = job
    [row] = attachments.attach(work_order=wo, files=[jpeg("铭牌.jpg")], by=tech, now=fixed_now)
    page = admin_client.get(reverse("admin:servicedesk_workorder_change", args=[wo.pk])).content.decode()
    assert f'href="/core/attachments/{row.pk}/"' in page and "铭牌.jpg" in page
    assert "/media/" not in page and row.file.name not in page


def test_a_large_phone_photo_is_decoded_at_a_reduced_scale_and_kept_at_2000_px(job, fixed_now):
    wo, tech = job
    [row] = attachments.attach(work_order=wo, files=[jpeg("4000x3000.jpg", (4000, 3000))], by=tech, now=fixed_now)
    assert (row.width, row.height) == (2000, 1500)
    assert Image.open(row.file.open("rb")).size == (2000, 1500)
