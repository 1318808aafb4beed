"""The confirmed master-data import as a background job with progress (docs/developers.md rule 3: a job is a
database row first and a Celery message second).

    job = start_import_job(file=name, original_name="dept.xlsx", by=user, now=now)  # queued; the task sent on commit
    run_import_job(job_id=job.pk)                                                  # the Celery task's body

Without REDIS_URL Celery is eager, so the job runs in the confirming request itself (embedded mode) and the
page shows it done. With a broker that cannot take the message the job runs inline at once; a message lost
after that is caught up by the beat (`requeue_stale`, every 5 minutes).

The job runs once: its state is checked and set under select_for_update, so a re-sent message does nothing.
Progress: the import is one transaction (all rows or nothing), so rows done inside it go to the shared cache
(`live_done`), which the page reads while the job runs; the job row gets the total before and the count after.
"""
import logging
import os
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from ..choices import Role
from ..errors import DomainError
from ..models import JobStatus, MasterDataImportJob
from ..permissions import require_role
from ..texts import as_text, message
from . import services
from .reading import ImportRejected, read_upload

log = logging.getLogger(__name__)

FOLDER = "masterdata-imports"
SHOWN_ERRORS = 500
PROGRESS_SECONDS = 6 * 3600
STALE_AFTER = timedelta(minutes=5)


def stored_path(name: str) -> str:
    return os.path.join(settings.MEDIA_ROOT, FOLDER, name)


def _progress_key(job_id: int) -> str:
    return f"servicedesk:masterdata-import:{job_id}:done"


def live_done(job: MasterDataImportJob) -> int:
    """Rows done so far: the row's count, or while the job runs, what its transaction reported to the cache."""
    if job.status != JobStatus.RUNNING:
        return job.done
    return max(job.done, cache.get(_progress_key(job.pk)) or 0)


def _enqueue(job_id: int) -> None:
    from ..tasks import masterdata_import_task

    try:
        masterdata_import_task.delay(job_id)
    except Exception:  # broker unreachable (kombu OperationalError and friends): do the work now
        log.warning("broker unavailable; running the master-data import %s inline", job_id, exc_info=True)
        run_import_job(job_id=job_id)


def start_import_job(*, file: str, original_name: str, by, now, language: str | None = None) -> MasterDataImportJob:
    """Queue the import of a previewed file (`file`: its stored name); the task is sent once this commits."""
    require_role(by, Role.ADMIN)
    if "/" in file or "\\" in file or not os.path.exists(stored_path(file)):
        raise DomainError(_("预览已过期或文件不存在,请重新上传。"))
    with transaction.atomic():
        job = MasterDataImportJob.objects.create(
            created_by=by, file=file, original_name=original_name[:200], created_at=now,
            language=language or get_language() or settings.LANGUAGE_CODE,
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def run_import_job(*, job_id: int) -> MasterDataImportJob:
    language = MasterDataImportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
    with override(language or settings.LANGUAGE_CODE):
        return _run(job_id)


def _finish(job, **fields) -> MasterDataImportJob:
    MasterDataImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)
    cache.delete(_progress_key(job.pk))
    job.refresh_from_db()
    return job


def _run(job_id: int) -> MasterDataImportJob:
    with transaction.atomic():
        job = MasterDataImportJob.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return job  # idempotent: a re-sent message or a second worker does not import twice
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status"])
    path = stored_path(job.file)
    try:
        try:
            with open(path, "rb") as stored:
                sheets = read_upload(_named(stored, job.original_name or job.file))
        except FileNotFoundError:
            return _finish(job, status=JobStatus.FAILED, message=as_text(message(N_("预览已过期或文件不存在,请重新上传。"))))
        total = services.count_rows(sheets)
        MasterDataImportJob.objects.filter(pk=job.pk).update(total=total)
        report = services.import_file(sheets=sheets, by=job.created_by, now=timezone.now(),
                                      progress=lambda n: cache.set(_progress_key(job.pk), n, PROGRESS_SECONDS))
    except ImportRejected as exc:  # the data changed since the preview: every bad row named, nothing saved
        errors = [{k: str(v) if k != "row" else v for k, v in e.as_dict().items()} for e in exc.errors[:SHOWN_ERRORS]]
        return _finish(job, status=JobStatus.FAILED, done=0, errors=errors,
                       message=as_text(message(N_("“%(f)s”未导入:有 %(n)s 处错误,请修改后重新上传。"), f=job.original_name, n=len(exc.errors))))
    except DomainError as exc:  # the file cannot be read: its reason, translated for the requester (rule 7)
        return _finish(job, status=JobStatus.FAILED, done=0, message=str(exc.message))
    except Exception:  # recorded for the page; the worker log has the traceback
        log.exception("master-data import %s failed", job.pk)
        return _finish(job, status=JobStatus.FAILED, done=0, message=as_text(message(N_("导入失败,请重试或联系管理员。"))))
    finally:
        try:
            os.remove(path)  # the upload is not kept once read
        except OSError:
            pass
    t = report.totals
    return _finish(job, status=JobStatus.DONE, done=total, message=as_text(message(
        N_("已导入“%(f)s”:新增 %(new)s 行,修改 %(changed)s 行,未变 %(same)s 行。"),
        f=job.original_name, new=t["new"], changed=t["changed"], same=t["unchanged"])))


def requeue_stale(*, now) -> list[int]:
    """Beat catch-up: a job still queued after a few minutes (its message lost while Redis was down) runs now —
    a job never stays "queued" forever (rule 3)."""
    stale = list(MasterDataImportJob.objects.filter(status=JobStatus.QUEUED, created_at__lt=now - STALE_AFTER)
                 .order_by("pk").values_list("pk", flat=True))
    for pk in stale:
        run_import_job(job_id=pk)
    return stale


def _named(stored, name: str):
    import io

    f = io.BytesIO(stored.read())  # at most the upload limit (reading.MAX_UPLOAD_BYTES)
    f.name = name
    return f
