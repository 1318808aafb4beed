"""Uploaded files: images are checked by decoding them and stored without their metadata; stored uploads are served
only through views that check the viewer's permission (never a public /media/ URL).

`clean_image(upload, field=…, label=…)` decodes the upload with Pillow: a file that is not a JPEG, PNG or WEBP
image (whatever its name says) is refused with a translated message naming the field; an image is re-encoded in its
own format, turned upright by its EXIF orientation, so EXIF (GPS position, device, owner) and every other metadata
block are dropped.

`clean_attachment(upload, …)` checks a file attached to a work order: a photo (decoded like clean_image, then
downscaled to `max_side` pixels on its longest side, with a JPEG thumbnail) or a PDF (its magic, its header and its
page count read by pypdf — never rendered); anything else is refused with a translated message naming the file.

`protected_file(field_file)` answers with the file: behind nginx (`MEDIA_X_ACCEL_REDIRECT` set, e.g.
"/protected-media/") an empty response whose X-Accel-Redirect header has nginx send the file from an `internal`
location; otherwise (development, the embedded demo) a streamed FileResponse.
"""
from __future__ import annotations

import io
import mimetypes
import os
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from .errors import DomainError

IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; larger is refused before it is decoded (decompression bombs)


def _decoded(data: bytes, *, refused: DomainError, too_large: DomainError, at_least: int | None = None):
    """(format, the upright fully decoded image) of `data`, or a refusal: not a JPEG/PNG/WEBP, forged or truncated,
    or more pixels than MAX_PIXELS (checked from the header, before a pixel is decoded: decompression bombs). With
    `at_least` (the longest side it will be downscaled to), a JPEG is decoded at the smallest 1/2, 1/4 or 1/8 scale
    still that large (libjpeg's draft mode: a 4000×3000 phone photo takes a quarter of the memory and time)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in IMAGE_FORMATS:
                raise refused
            if probe.width * probe.height > MAX_PIXELS:
                raise too_large
            probe.verify()  # structure and checksums
        image = Image.open(io.BytesIO(data))
        longest = max(image.size)
        if at_least and fmt == "JPEG" and longest > at_least:
            # the size the downscale will produce: libjpeg decodes at the largest 1/2, 1/4, 1/8 scale not below it
            image.draft(image.mode, (-(-image.width * at_least // longest), -(-image.height * at_least // longest)))
        image.load()  # decode every pixel: a truncated or forged file fails here
        return fmt, ImageOps.exif_transpose(image)
    except DomainError:
        raise
    except Image.DecompressionBombError:
        raise too_large from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise refused from None


def _encoded(image, fmt: str) -> bytes:
    """`image` saved in `fmt` with no exif=, icc or xmp: the metadata (GPS position, device, owner) stays behind."""
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 90, "optimize": True} if fmt == "JPEG" else ({"quality": 90} if fmt == "WEBP" else {"optimize": True})
    image.save(out, format=fmt, **options)
    return out.getvalue()


def _stem(upload, default: str = "photo") -> str:
    return os.path.splitext(os.path.basename(getattr(upload, "name", "") or default))[0][:80] or default


def clean_image(upload, *, field: str, label: str) -> SimpleUploadedFile:
    """The upload as a clean image file (same format, metadata stripped), or DomainError on `field`."""
    refused = DomainError(
        _("%(label)s:文件不是可识别的图片(只接受 JPG、PNG、WEBP)。") % {"label": label}, field=field, code="not_an_image"
    )
    too_large = DomainError(_("%(label)s:图片太大(像素过多)。") % {"label": label}, field=field, code="image_too_large")
    upload.seek(0)
    fmt, image = _decoded(upload.read(), refused=refused, too_large=too_large)
    ext, content_type = IMAGE_FORMATS[fmt]
    return SimpleUploadedFile(f"{_stem(upload)}.{ext}", _encoded(image, fmt), content_type=content_type)


@dataclass
class CleanFile:
    """A checked attachment, ready to store: `data` (and a photo's `thumbnail`) are what is kept, never the upload."""

    original_name: str
    kind: str  # "photo" | "document"
    ext: str
    content_type: str
    data: bytes
    original_size: int
    width: int | None = None
    height: int | None = None
    pages: int | None = None
    thumbnail: bytes = b""


def _upload_name(upload) -> str:
    return os.path.basename(getattr(upload, "name", "") or "")[:120] or _("(未命名文件)")


def clean_attachment(upload, *, field: str, max_bytes: int, max_side: int, thumb_side: int, max_pages: int) -> CleanFile:
    """A photo or a PDF attached to a work order, checked by its content (never its name or the browser's type), or a
    DomainError on `field` naming the file."""
    name = _upload_name(upload)
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise DomainError(
            _("%(name)s:文件太大(%(size)s MB),每个文件不能超过 %(cap)s MB。")
            % {"name": name, "size": _megabytes(size or 0), "cap": _megabytes(max_bytes)},
            field=field, code="file_too_large",
        )
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # the size the client declared was wrong
        raise DomainError(_("%(name)s:文件太大,每个文件不能超过 %(cap)s MB。") % {"name": name, "cap": _megabytes(max_bytes)}, field=field)
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return _clean_pdf(data, name=name, field=field, max_pages=max_pages)
    refused = DomainError(
        _("%(name)s:既不是可识别的图片(JPG、PNG、WEBP),也不是 PDF 文件,未保存。") % {"name": name}, field=field, code="not_accepted"
    )
    too_large = DomainError(_("%(name)s:图片像素过多(超过 %(mp)s 百万像素),未保存。") % {"name": name, "mp": MAX_PIXELS // 1_000_000},
                            field=field, code="image_too_large")
    fmt, image = _decoded(data, refused=refused, too_large=too_large, at_least=max_side)
    from PIL import Image

    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)  # keeps the aspect ratio; never enlarges
    ext, content_type = IMAGE_FORMATS[fmt]
    thumb = image.copy()
    thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
    if thumb.mode not in ("RGB", "L"):  # a transparent PNG: on white
        background = Image.new("RGB", thumb.size, (255, 255, 255))
        background.paste(thumb.convert("RGBA"), mask=thumb.convert("RGBA").getchannel("A"))
        thumb = background
    return CleanFile(
        original_name=name, kind="photo", ext=ext, content_type=content_type, data=_encoded(image, fmt),
        original_size=len(data), width=image.width, height=image.height, thumbnail=_encoded(thumb, "JPEG"),
    )


def _clean_pdf(data: bytes, *, name: str, field: str, max_pages: int) -> CleanFile:
    """A PDF checked without rendering: pypdf reads the header, the cross-reference table and the page tree; a
    forged, truncated, encrypted or over-long document is refused. The file is kept byte for byte."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    refused = DomainError(_("%(name)s:不是有效的 PDF 文件(无法读取),未保存。") % {"name": name}, field=field, code="not_a_pdf")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DomainError(_("%(name)s:PDF 已加密,无法检查,请上传未加密的文件。") % {"name": name}, field=field, code="pdf_encrypted")
        pages = len(reader.pages)
    except DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError):
        raise refused from None
    if pages < 1:
        raise refused
    if pages > max_pages:
        raise DomainError(_("%(name)s:PDF 共 %(pages)s 页,超过 %(cap)s 页的上限,未保存。") % {"name": name, "pages": pages, "cap": max_pages},
                          field=field, code="pdf_too_long")
    return CleanFile(original_name=name, kind="document", ext="pdf", content_type="application/pdf", data=data,
                     original_size=len(data), pages=pages)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0")


def protected_file(field_file, *, download_name: str = "") -> HttpResponse:
    """The stored file of `field_file` for a viewer the calling view has already checked."""
    if not field_file:
        raise Http404(_("没有文件。"))
    name = field_file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = getattr(settings, "MEDIA_X_ACCEL_REDIRECT", "")
    if getattr(settings, "MEDIA_SIGNED_REDIRECT", False):
        # an S3-compatible store (docs/scaling.md): a redirect to a short-lived signed URL of this one file
        response = HttpResponseRedirect(field_file.storage.url(name))
        response["Cache-Control"] = "private, no-store"
        return response
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
