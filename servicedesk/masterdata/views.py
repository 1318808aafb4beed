"""The admin role's master-data page (thin: services.py does the work): upload → a dry-run preview (new /
changed / unchanged counted and listed, every bad row named) → confirm → all rows or nothing.

The uploaded file is kept between the preview and the confirmation under MEDIA_ROOT/masterdata-imports/, named by
a random id the page carries signed with the uploader's account (nobody confirms another person's file); the
confirmation imports that same file.
"""
import io
import os
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..choices import Role
from ..errors import DomainError
from ..permissions import require_role
from ..models import MasterDataImportJob
from . import exporting, jobs, services
from .columns import SHEET_ORDER
from .reading import ImportRejected

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "servicedesk.masterdata.upload"
KEEP_SECONDS = 6 * 3600
SHOWN_ERRORS = 500


def _store(upload) -> str:
    """Keep the upload for its confirmation; previews never confirmed are removed once they expire."""
    folder = os.path.join(settings.MEDIA_ROOT, jobs.FOLDER)
    os.makedirs(folder, exist_ok=True)
    expired = time.time() - KEEP_SECONDS
    for old in os.scandir(folder):
        if old.is_file() and old.stat().st_mtime < expired:
            os.remove(old.path)
    ext = ".csv" if (upload.name or "").lower().endswith(".csv") else ".xlsx"
    name = uuid.uuid4().hex + ext
    with open(os.path.join(folder, name), "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def _token(token: str, user) -> dict | None:
    """What a preview's token says (stored file name, original name) when it is this user's and not expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk or "/" in data.get("f", "") or "\\" in data.get("f", ""):
        return None
    return data


def _stored(token: str, user):
    """The file a preview stored for this user, opened; None when the token is unknown, expired or someone else's."""
    data = _token(token, user)
    if data is None:
        return None, ""
    path = jobs.stored_path(data["f"])
    if not os.path.exists(path):
        return None, ""
    with open(path, "rb") as stored:  # at most the upload limit (reading.MAX_UPLOAD_BYTES)
        f = io.BytesIO(stored.read())
    f.name = data.get("n") or data["f"]
    return f, path


def _page(request, *, report=None, refused=None, token="", file_name="", status=200):
    return render(request, "servicedesk/masterdata.html", {
        "lists": SHEET_ORDER, "report": report, "refused": refused, "token": token, "file_name": file_name,
        "errors": (report.errors if report else (refused or {}).get("errors", []))[:SHOWN_ERRORS],
        "jobs": MasterDataImportJob.objects.filter(created_by=request.user).order_by("-created_at")[:5],
    }, status=status)


def _refusal(exc) -> dict:
    return {"message": str(exc.message), "errors": getattr(exc, "errors", [])}


@login_required
def masterdata(request):
    """Upload a workbook (or a CSV of one list): the preview shows what would happen; nothing is saved yet."""
    require_role(request.user, Role.ADMIN)
    if request.method != "POST":
        return _page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, refused={"message": _("请选择要导入的 Excel (.xlsx) 或 CSV 文件。"), "errors": []}, status=400)
    token = signing.dumps({"f": _store(upload), "u": request.user.pk, "n": upload.name}, salt=SALT)
    stored, path = _stored(token, request.user)
    try:
        report = services.preview(file=stored, by=request.user, now=timezone.now())
    except DomainError as exc:
        stored.close()
        os.remove(path)
        return _page(request, refused=_refusal(exc), file_name=upload.name, status=400)
    stored.close()
    if report.errors:
        os.remove(path)
        return _page(request, report=report, file_name=upload.name, status=400)
    return _page(request, report=report, token=token, file_name=upload.name)


@login_required
def masterdata_confirm(request):
    """Queue the import of the previewed file (all rows or nothing) and show its progress page."""
    require_role(request.user, Role.ADMIN)
    if request.method != "POST":
        return redirect("servicedesk:masterdata")
    data = _token(request.POST.get("token", ""), request.user)
    try:
        if data is None:
            raise DomainError(_("预览已过期或文件不存在,请重新上传。"))
        job = jobs.start_import_job(file=data["f"], original_name=data.get("n") or data["f"], by=request.user, now=timezone.now())
    except DomainError as exc:
        return _page(request, refused=_refusal(exc), status=400)
    return redirect("servicedesk:masterdata_job", pk=job.pk)


def _own_job(request, pk):
    """Only the admin role, and only the person who confirmed the import, sees a job (others: 404)."""
    require_role(request.user, Role.ADMIN)
    return get_object_or_404(MasterDataImportJob, pk=pk, created_by=request.user)


def _job_context(job) -> dict:
    return {"job": job, "done": jobs.live_done(job)}


@require_safe
@login_required
def masterdata_job(request, pk):
    """The import's progress (the card polls its fragment until the job is done) and its result."""
    return render(request, "servicedesk/masterdata_job.html", _job_context(_own_job(request, pk)))


@require_safe
@login_required
def masterdata_job_status(request, pk):
    """The htmx fragment the progress page polls."""
    return render(request, "servicedesk/_masterdata_job.html", _job_context(_own_job(request, pk)))


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _language(request) -> str:
    wanted = request.GET.get("lang", "")
    return wanted if wanted in dict(settings.LANGUAGES) else (get_language() or settings.LANGUAGE_CODE)


@require_safe
@login_required
def masterdata_template(request):
    """The empty lists with an example row, headers in the asked language (?lang=en / zh-hans) or the reader's."""
    require_role(request.user, Role.ADMIN)
    language = _language(request)
    return _xlsx(exporting.template(language=language), f"masterdata-template-{language}.xlsx")


@require_safe
@login_required
def masterdata_export(request):
    """Clients, sites, equipment and staff as they are now (the same columns the import reads)."""
    require_role(request.user, Role.ADMIN)
    language = _language(request)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _xlsx(exporting.export_lists(language=language), f"masterdata-{stamp}.xlsx")
