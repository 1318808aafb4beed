"""The confirmed import runs as a background job (a row first, a Celery task second): it runs once, reports its
progress every few hundred rows, keeps its result as a message read in the reader's language, and only the admin
who confirmed it sees it."""
import io
import os
import re

import pytest
from django.core.cache import cache
from django.utils import translation

from servicedesk.choices import Role
from servicedesk.masterdata import jobs, resources
from servicedesk.models import Client, Equipment, JobStatus, MasterDataImportJob, Site
from servicedesk.tasks import masterdata_import_task
from servicedesk.texts import render
from tests.factories import staff_with

from .workbook import department_rows, workbook

pytestmark = pytest.mark.django_db

CLIENT = ["华强电子", "投标部", "零散客户", "0755-83330001", None, None, None, None]
SITE = ["华强电子", "总部", "深圳市福田区华强北 1 号", "福田区", "李经理", "13900000002", "否"]
DEVICE = ["华强电子", "总部", "HP LaserJet 1020", "SN-A-1", "HP", 1, "2026-01-10", "2027-01-09", "2028-01-09"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    os.makedirs(tmp_path / jobs.FOLDER)
    return tmp_path


@pytest.fixture
def admin():
    return staff_with(Role.ADMIN, name="行政甲").user


def stored(media, content: bytes, name="f.xlsx") -> str:
    (media / jobs.FOLDER / name).write_bytes(content)
    return name


def small_book() -> bytes:
    return workbook({"客户": [CLIENT], "网点": [SITE], "设备": [DEVICE]}).getvalue()


def preview_token(client, content: bytes, name="dept.xlsx") -> str:
    f = io.BytesIO(content)
    f.name = name
    response = client.post("/core/masterdata/", {"file": f})
    assert response.status_code == 200, response.content.decode()[-2000:]
    return response.context["token"]


def test_a_job_runs_once_and_keeps_its_result_as_a_message(admin, media, fixed_now):
    job = jobs.start_import_job(file=stored(media, small_book()), original_name="dept.xlsx", by=admin, now=fixed_now)
    assert job.status == JobStatus.QUEUED and not Client.objects.exists()  # queued: nothing imported yet

    result = masterdata_import_task(job.pk)
    assert result == {"job": job.pk, "status": "done", "rows": 3}
    job.refresh_from_db()
    assert (job.status, job.total, job.done, job.progress) == (JobStatus.DONE, 3, 3, 100)
    assert render(job.message) == "已导入“dept.xlsx”:新增 3 行,修改 0 行,未变 0 行。"
    with translation.override("en"):
        assert "dept.xlsx" in render(job.message) and "已导入" not in render(job.message)
    assert Equipment.objects.get().serial == "SN-A-1"
    assert not (media / jobs.FOLDER / job.file).exists()  # the upload is not kept once read

    # a re-sent message does nothing: the state is checked under select_for_update
    finished_at = job.finished_at
    assert masterdata_import_task(job.pk)["status"] == "done"
    job.refresh_from_db()
    assert job.finished_at == finished_at and Client.objects.count() == 1 and Equipment.objects.count() == 1


def test_a_running_job_is_not_run_again(admin, media, fixed_now):
    job = jobs.start_import_job(file=stored(media, small_book()), original_name="dept.xlsx", by=admin, now=fixed_now)
    MasterDataImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    assert jobs.run_import_job(job_id=job.pk).status == JobStatus.RUNNING
    assert not Client.objects.exists() and (media / jobs.FOLDER / job.file).exists()


def test_progress_is_reported_every_few_hundred_rows_while_the_transaction_runs(admin, media, fixed_now, monkeypatch):
    monkeypatch.setattr(resources, "PROGRESS_EVERY", 100)
    rows = department_rows(150, 2)  # 150 clients, 150 sites, 300 devices = 600 rows
    job = jobs.start_import_job(file=stored(media, workbook(rows).getvalue()), original_name="big.xlsx", by=admin, now=fixed_now)
    seen = []
    real_set = cache.set

    def watch(key, value, *args, **kwargs):
        real_set(key, value, *args, **kwargs)
        if key == jobs._progress_key(job.pk):
            live = MasterDataImportJob.objects.get(pk=job.pk)
            seen.append((value, live.status, live.total, jobs.live_done(live)))

    monkeypatch.setattr(cache, "set", watch)
    jobs.run_import_job(job_id=job.pk)
    # clients 100, 150 (sheet done), sites 150+100, 300, devices 300+100, +200, +300 = 600
    assert [v for v, *_ in seen] == [100, 150, 250, 300, 400, 500, 600, 600]
    assert all(status == JobStatus.RUNNING and total == 600 for _v, status, total, _d in seen)
    assert [d for *_, d in seen] == [100, 150, 250, 300, 400, 500, 600, 600]  # what the page reads while it runs
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 600, 600)
    assert (Client.objects.count(), Site.objects.count(), Equipment.objects.count()) == (150, 150, 300)
    assert cache.get(jobs._progress_key(job.pk)) is None


def test_rows_that_became_bad_since_the_preview_fail_the_job_and_are_named(admin, media, fixed_now):
    bad_device = DEVICE[:6] + ["2026.01.10"] + DEVICE[7:]
    content = workbook({"客户": [CLIENT], "网点": [SITE], "设备": [bad_device]}).getvalue()
    job = jobs.run_import_job(job_id=jobs.start_import_job(file=stored(media, content), original_name="dept.xlsx", by=admin, now=fixed_now).pk)
    assert job.status == JobStatus.FAILED and job.done == 0
    assert render(job.message) == "“dept.xlsx”未导入:有 1 处错误,请修改后重新上传。"
    assert [(e["sheet"], e["row"], e["column"]) for e in job.errors] == [("设备", 2, "安装验收日期")]
    assert not Client.objects.exists()  # all rows or nothing


def test_a_file_gone_before_the_job_runs_fails_it_with_a_reason(admin, media, fixed_now):
    job = jobs.start_import_job(file=stored(media, small_book()), original_name="dept.xlsx", by=admin, now=fixed_now)
    os.remove(media / jobs.FOLDER / job.file)
    job = jobs.run_import_job(job_id=job.pk)
    assert job.status == JobStatus.FAILED and render(job.message) == "预览已过期或文件不存在,请重新上传。"


def test_confirm_queues_the_job_and_the_page_shows_its_progress_then_its_result(admin, media, client, fixed_now,
                                                                                django_capture_on_commit_callbacks):
    client.force_login(admin)
    token = preview_token(client, small_book())
    response = client.post("/core/masterdata/confirm/", {"token": token})  # no commit in the test: still queued
    job = MasterDataImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/core/masterdata/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'hx-get="/core/masterdata/jobs/%d/status/"' % job.pk in page and "排队中" in page and "<script>" not in page
    assert "已处理" not in page  # the rows are counted once the worker has read the file

    # while it runs the fragment shows the rows its transaction reported
    MasterDataImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, total=3)
    cache.set(jobs._progress_key(job.pk), 2)
    fragment = client.get(f"/core/masterdata/jobs/{job.pk}/status/").content.decode()
    assert "已处理 2 / 3 行" in fragment and 'hx-trigger="every 2s"' in fragment

    MasterDataImportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, total=0)
    jobs.run_import_job(job_id=job.pk)
    fragment = client.get(f"/core/masterdata/jobs/{job.pk}/status/").content.decode()
    assert '<span data-user-text>dept.xlsx</span>”:新增' in fragment  # the typed file name is marked as typed
    assert "已导入“dept.xlsx”:新增 3 行,修改 0 行,未变 0 行。" in re.sub(r"<[^>]+>", "", fragment) and "hx-get" not in fragment
    assert "已处理 3 / 3 行" in fragment


@pytest.mark.parametrize("role", [Role.MANAGER, Role.FINANCE, Role.COORDINATOR, Role.TECHNICIAN, Role.GM_OFFICE, Role.SALES])
def test_other_roles_can_neither_confirm_nor_see_a_job(admin, media, client, fixed_now, role):
    job = jobs.start_import_job(file=stored(media, small_book()), original_name="dept.xlsx", by=admin, now=fixed_now)
    client.force_login(staff_with(role, name="他人").user)
    assert client.get(f"/core/masterdata/jobs/{job.pk}/").status_code == 403
    assert client.get(f"/core/masterdata/jobs/{job.pk}/status/").status_code == 403
    assert client.post("/core/masterdata/confirm/", {"token": "x"}).status_code == 403


def test_another_admin_does_not_see_the_job(admin, media, client, fixed_now):
    job = jobs.start_import_job(file=stored(media, small_book()), original_name="dept.xlsx", by=admin, now=fixed_now)
    client.force_login(staff_with(Role.ADMIN, name="行政丙").user)
    assert client.get(f"/core/masterdata/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/core/masterdata/jobs/{job.pk}/status/").status_code == 404
    assert f"/core/masterdata/jobs/{job.pk}/" not in client.get("/core/masterdata/").content.decode()
    client.force_login(admin)
    assert client.get(f"/core/masterdata/jobs/{job.pk}/").status_code == 200
    assert f'<a href="/core/masterdata/jobs/{job.pk}/">#{job.pk} · <span data-user-text>dept.xlsx</span></a> · 排队中' in client.get("/core/masterdata/").content.decode()


def test_only_the_admin_role_may_queue_a_job(media, fixed_now):
    from django.core.exceptions import PermissionDenied

    manager = staff_with(Role.MANAGER, name="经理乙").user
    with pytest.raises(PermissionDenied):
        jobs.start_import_job(file=stored(media, small_book()), original_name="dept.xlsx", by=manager, now=fixed_now)
    assert not MasterDataImportJob.objects.exists()


def test_a_job_whose_message_was_lost_is_caught_up_by_the_beat(admin, media, fixed_now):
    from datetime import timedelta

    from servicedesk.beat import BEAT_SCHEDULE

    old = jobs.start_import_job(file=stored(media, small_book(), "old.xlsx"), original_name="old.xlsx", by=admin,
                                now=fixed_now - timedelta(minutes=6))
    fresh = jobs.start_import_job(file=stored(media, small_book(), "new.xlsx"), original_name="new.xlsx", by=admin,
                                  now=fixed_now - timedelta(minutes=2))
    assert jobs.requeue_stale(now=fixed_now) == [old.pk]
    old.refresh_from_db(), fresh.refresh_from_db()
    assert (old.status, fresh.status) == (JobStatus.DONE, JobStatus.QUEUED)
    assert jobs.requeue_stale(now=fixed_now) == []  # done jobs are not run again
    assert BEAT_SCHEDULE["masterdata-requeue-stale-imports"]["task"] == "servicedesk.tasks.masterdata_requeue_stale_task"
