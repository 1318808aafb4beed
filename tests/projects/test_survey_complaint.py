"""R-K10 channel "signed link": the client complains through the project survey link."""
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache

from callbacks.models import Complaint
from dispatch.projects.models import ProjectSurvey
from dispatch.resident import links
from dispatch.resident.choices import LinkPurpose

from .conftest import TZ

pytestmark = pytest.mark.django_db


def test_a_complaint_through_the_survey_link_gets_an_owner_and_a_deadline_once(client, make_project, manager):
    cache.clear()
    project = make_project()
    now = datetime(2026, 11, 14, 10, tzinfo=TZ)
    with time_machine.travel(now, tick=False):
        token = links.issue_link(purpose=LinkPurpose.PROJECT_SURVEY, object_id=project.pk, by=manager, now=now).token
        assert "提出投诉" in client.get(f"/s/{token}/").content.decode()
        res = client.post(f"/s/{token}/", {"action": "complain", "words": "布线不整齐"})
        assert res.status_code == 200 and "投诉已收到" in res.content.decode()
        c = Complaint.objects.get()
        assert (c.channel, c.owner, c.client, c.technician) == ("signed_link", manager, project.client, None)
        assert c.reply_due_at == now + timedelta(hours=24)
        assert client.post(f"/s/{token}/", {"action": "complain", "words": "再来一次"}).status_code == 409
        assert client.post(f"/s/{token}/", {"satisfaction": "satisfied"}).status_code == 409
    assert Complaint.objects.count() == 1 and not ProjectSurvey.objects.exists()


def test_the_survey_link_limit_counts_each_client_behind_nginx(client, make_project, manager):
    from django.test import override_settings

    from servicedesk.models import RuleParameter

    cache.clear()
    RuleParameter.objects.filter(name="resident.link_attempts_per_hour").update(value=2)
    project = make_project()
    now = datetime(2026, 11, 14, 10, tzinfo=TZ)
    nginx = {"REMOTE_ADDR": "127.0.0.1"}
    with override_settings(TRUSTED_PROXIES=["127.0.0.1"]), time_machine.travel(now, tick=False):
        token = links.issue_link(purpose=LinkPurpose.PROJECT_SURVEY, object_id=project.pk, by=manager, now=now).token
        guesses = [client.get(f"/s/guess-{i}/", HTTP_X_FORWARDED_FOR="203.0.113.5", **nginx).status_code for i in range(3)]
        other = client.get(f"/s/{token}/", HTTP_X_FORWARDED_FOR="198.51.100.9", **nginx).status_code
    cache.clear()
    assert guesses == [404, 404, 429] and other == 200
