"""Background jobs with progress: the ledger export (R-S8) and the large Excel imports (R-S8:
size limits are parameters, so an upload never exhausts the server).

A job is a database row first and a Celery message second: the message is sent on commit; if the broker
cannot take it (Redis down) the job runs inline at once, and the beat's `requeue_stale_jobs` runs any job
still queued after a few minutes — a job never stays "queued" forever. With no REDIS_URL Celery is eager.
"""
import logging
import os
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from servicedesk.texts import Money, as_text
from servicedesk.texts import message as message_of
from servicedesk.choices import Role

from ..choices import ExportStatus
from ..models import ExportJob, ImportJob
from .common import require

log = logging.getLogger(__name__)

EXPORT_SUBDIR = "receivables/exports"
IMPORT_SUBDIR = "receivables/imports"
STALE_AFTER = timedelta(minutes=5)


def _enqueue(task, job_id: int, inline) -> None:
    try:
        task.delay(job_id)
    except Exception:  # broker unreachable (kombu OperationalError and friends): do the work now
        log.warning("broker unavailable; running %s(%s) inline", task.name, job_id, exc_info=True)
        inline(job_id=job_id)


# --------------------------------------------------------------------------- ledger export (R-S8)


def _requester_language(language: str | None) -> str:
    return language or get_language() or settings.LANGUAGE_CODE


def _in_language_of(model, job_id: int):
    """The job's requester's language (rule 7: exports and their messages follow the person who asked)."""
    language = model.objects.filter(pk=job_id).values_list("language", flat=True).first()
    return override(language or settings.LANGUAGE_CODE)


def start_export_job(*, filters: dict, as_of: date, by, now: datetime, language: str | None = None) -> ExportJob:
    """Queue a ledger export; the Celery task writes the workbook to MEDIA_ROOT (enqueued on commit), in
    `language` (default: the one active now, the requester's)."""
    from ..selectors import LedgerFilters
    from ..tasks import export_ledger_task

    require(by, Role.FINANCE, Role.MANAGER)
    parsed = LedgerFilters.from_dict(filters)  # bad filters are refused now, not in the worker
    with transaction.atomic():
        job = ExportJob.objects.create(requested_by=by, filters=parsed.as_dict(), as_of=as_of, created_at=now,
                                       language=_requester_language(language))
        transaction.on_commit(lambda: _enqueue(export_ledger_task, job.pk, run_export_job))
    return job


def run_export_job(*, job_id: int) -> ExportJob:
    with _in_language_of(ExportJob, job_id):
        return _run_export_job(job_id=job_id)


def _run_export_job(*, job_id: int) -> ExportJob:
    from .. import ledger_export
    from ..selectors import LedgerFilters, ledger

    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("requested_by__user").get(pk=job_id)
        if job.status in (ExportStatus.DONE, ExportStatus.RUNNING):
            return job  # idempotent: a re-sent message or a catch-up run does not export twice
        filters = LedgerFilters.from_dict(job.filters)
        job.status = ExportStatus.RUNNING
        job.total = ledger(as_of=job.as_of, filters=filters, viewer=job.requested_by).count()
        job.save(update_fields=["status", "total"])
    name = f"{EXPORT_SUBDIR}/{job.pk}/{ledger_export.file_name(as_of=job.as_of, filters=filters)}"
    path = os.path.join(settings.MEDIA_ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)

    def progress(done):
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        result = ledger_export.export_ledger(out=path, as_of=job.as_of, filters=filters, viewer=job.requested_by, progress=progress)
    except Exception:  # recorded for the page; the worker log has the traceback
        log.exception("ledger export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=_("导出失败,请重试或联系管理员。"), finished_at=timezone.now())
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE, done=result.rows, total=result.rows, file=name, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


# --------------------------------------------------------------------------- Excel imports (R-S8)


def start_import(*, kind: str, file, by, now: datetime, language: str | None = None):
    """Check the upload (size, zip bomb) and either import it now (small files: returns the result) or
    store it and queue a background job with progress (returns the ImportJob), whose result and errors are
    written in `language` (default: the one active now, the requester's)."""
    from .. import imports
    from ..tasks import import_task

    require(by, Role.FINANCE)
    if kind not in ImportJob.Kind.values:
        raise ValueError(kind)
    lim = imports.check_upload(file, on=now.date())
    rows = imports.count_rows(file, on=now.date())
    if rows <= lim["inline_rows"]:
        fn = imports.import_confirmations if kind == ImportJob.Kind.CONFIRMATIONS else imports.import_payments
        return fn(file=file, by=by, now=now)
    name = f"{IMPORT_SUBDIR}/{uuid.uuid4().hex}.xlsx"
    path = os.path.join(settings.MEDIA_ROOT, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    file.seek(0)
    with open(path, "wb") as out:
        for chunk in (file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")):
            out.write(chunk)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind, requested_by=by, file=name, original_name=str(getattr(file, "name", ""))[:200], total=rows, created_at=now,
            language=_requester_language(language),
        )
        transaction.on_commit(lambda: _enqueue(import_task, job.pk, run_import_job))
    return job


def run_import_job(*, job_id: int) -> ImportJob:
    with _in_language_of(ImportJob, job_id):
        return _run_import_job(job_id=job_id)


def _run_import_job(*, job_id: int) -> ImportJob:
    from .. import imports

    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("requested_by__user").get(pk=job_id)
        if job.status in (ExportStatus.DONE, ExportStatus.RUNNING, ExportStatus.FAILED):
            return job
        job.status = ExportStatus.RUNNING
        job.save(update_fields=["status"])

    def progress(done):
        ImportJob.objects.filter(pk=job.pk).update(done=done)

    path = os.path.join(settings.MEDIA_ROOT, job.file)
    fn = imports.import_confirmations if job.kind == ImportJob.Kind.CONFIRMATIONS else imports.import_payments
    try:
        with open(path, "rb") as fh:
            result = fn(file=fh, by=job.requested_by, now=timezone.now(), progress=progress)
    except imports.ImportRejected as exc:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, message=str(exc.message), errors=[e.as_dict() for e in exc.errors[:500]], finished_at=timezone.now()
        )
    except Exception as exc:  # DomainError (file refused) carries a translated message; others are logged
        from servicedesk.errors import DomainError

        if not isinstance(exc, DomainError):
            log.exception("import %s failed", job.pk)
        message = str(exc.message) if isinstance(exc, DomainError) else _("导入失败,请重试或联系管理员。")
        ImportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, message=message, finished_at=timezone.now())
    else:
        if job.kind == ImportJob.Kind.CONFIRMATIONS:
            message = as_text(message_of(N_("已导入 %(n)s 张确认书(其中 %(p)s 笔期初收款)。"), n=result.created, p=result.payments))
        else:
            message = as_text(message_of(N_("已导入 %(n)s 笔收款,合计 %(t)s。"), n=result.payments, t=Money(result.total)))
        ImportJob.objects.filter(pk=job.pk).update(status=ExportStatus.DONE, done=job.total, message=message, finished_at=timezone.now())
    finally:
        try:
            os.remove(path)  # the upload is not kept once read
        except OSError:
            pass
    job.refresh_from_db()
    return job


def requeue_stale_jobs(*, now: datetime) -> dict:
    """Beat catch-up: a job still queued after a few minutes (its message lost while Redis was down) runs now."""
    cutoff = now - STALE_AFTER
    exports = list(ExportJob.objects.filter(status=ExportStatus.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True))
    imports_ = list(ImportJob.objects.filter(status=ExportStatus.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True))
    for pk in exports:
        run_export_job(job_id=pk)
    for pk in imports_:
        run_import_job(job_id=pk)
    return {"exports": exports, "imports": imports_}
