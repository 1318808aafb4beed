"""Uploaded files: images are checked by decoding them and stored without their metadata; stored uploads are served
only through views that check the viewer's permission (never a public /media/ URL).

`clean_image(upload, field=…, label=…)` decodes the upload with Pillow: a file that is not a JPEG, PNG or WEBP
image (whatever its name says) is refused with a translated message naming the field; an image is re-encoded in its
own format, turned upright by its EXIF orientation, so EXIF (GPS position, device, owner) and every other metadata
block are dropped.

`protected_file(field_file)` answers with the file: behind nginx (`MEDIA_X_ACCEL_REDIRECT` set, e.g.
"/protected-media/") an empty response whose X-Accel-Redirect header has nginx send the file from an `internal`
location; otherwise (development, the embedded demo) a streamed FileResponse.
"""
from __future__ import annotations

import io
import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from .errors import DomainError

IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; larger is refused before it is decoded (decompression bombs)


def clean_image(upload, *, field: str, label: str) -> SimpleUploadedFile:
    """The upload as a clean image file (same format, metadata stripped), or DomainError on `field`."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    refused = DomainError(
        _("%(label)s:文件不是可识别的图片(只接受 JPG、PNG、WEBP)。") % {"label": label}, field=field, code="not_an_image"
    )
    try:
        upload.seek(0)
        data = upload.read()
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                raise refused
            if probe.width * probe.height > MAX_PIXELS:
                raise DomainError(_("%(label)s:图片太大(像素过多)。") % {"label": label}, field=field, code="image_too_large")
            probe.verify()  # structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decode every pixel: a truncated or forged file fails here
            clean = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 90, "optimize": True} if fmt == "JPEG" else ({"quality": 90} if fmt == "WEBP" else {"optimize": True})
            clean.save(out, format=fmt, **options)  # no exif=, no icc/xmp: the metadata stays behind
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise refused from None
    ext, content_type = IMAGE_FORMATS[fmt]
    stem = os.path.splitext(os.path.basename(getattr(upload, "name", "") or "photo"))[0][:80] or "photo"
    return SimpleUploadedFile(f"{stem}.{ext}", out.getvalue(), content_type=content_type)


def protected_file(field_file, *, download_name: str = "") -> HttpResponse:
    """The stored file of `field_file` for a viewer the calling view has already checked."""
    if not field_file:
        raise Http404(_("没有文件。"))
    name = field_file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = getattr(settings, "MEDIA_X_ACCEL_REDIRECT", "")
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError:
            raise Http404(_("文件不存在。")) from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(download_name or os.path.basename(name))}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
