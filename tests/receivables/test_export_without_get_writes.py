"""The ledger's exports: the background job is started by POST and answered with a redirect whose address holds
the filters but never the CSRF token; a GET never starts anything (too many rows → a message pointing to the
background export). And no form in the templates that is sent by GET carries a CSRF token."""
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from receivables.models import ExportJob

from .test_api_and_pages import confirmation

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_the_background_export_redirects_to_the_filters_without_the_token(client, finance, technician, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    confirmation(technician=technician, sold_on=date(2026, 9, 30))
    client.force_login(finance.user)
    with django_capture_on_commit_callbacks(execute=True):
        res = client.post(
            reverse("receivables:export") + "?as_of=2026-12-10",
            {"csrfmiddlewaretoken": "a-token-from-the-page", "technician": technician.pk, "status": ""},
        )
    assert res.status_code == 302
    where = urlsplit(res["Location"])
    assert where.path == reverse("receivables:ledger") and "csrfmiddlewaretoken" not in res["Location"]
    assert parse_qs(where.query) == {"technician": [str(technician.pk)], "as_of": ["2026-12-10"]}
    assert where.fragment == f"job-{ExportJob.objects.get().pk}"


def test_a_get_export_over_the_limit_starts_no_job(client, finance, technician, monkeypatch):
    from receivables.views import finance as views

    monkeypatch.setattr(views, "SYNC_EXPORT_LIMIT", 0)
    confirmation(technician=technician, sold_on=date(2026, 9, 30))
    client.force_login(finance.user)
    res = client.get(reverse("receivables:export"), {"as_of": "2026-12-10"}, follow=True)
    assert not ExportJob.objects.exists()
    assert "超过即时导出的上限 0 行" in res.content.decode() and "后台导出" in res.content.decode()


def test_no_form_sent_by_get_carries_a_csrf_token():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for form in re.findall(r"<form\b.*?</form>", path.read_text(encoding="utf-8"), flags=re.S):
            head = form[: form.index(">") + 1]
            if not re.search(r'method=["\']?post', head, flags=re.I) and "csrf_token" in form:
                offenders.append(f"{path.relative_to(TEMPLATES)}: {head}")
    assert offenders == []
