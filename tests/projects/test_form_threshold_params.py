"""R-R5: the new-project form states the team-service threshold from the team.* parameters, not fixed numbers."""
import pytest
from django.urls import reverse

from servicedesk.models import RuleParameter

pytestmark = pytest.mark.django_db


def test_project_form_shows_the_team_parameters(client, manager):
    client.force_login(manager.user)
    html = client.get(reverse("dispatch:projects:create")).content.decode()
    assert "预计 10 人天以上(4 人以上、2 个工作日以上)" in html
    RuleParameter.objects.filter(name="team.min_person_days").update(value=12)
    RuleParameter.objects.filter(name="team.min_technicians").update(value=5)
    RuleParameter.objects.filter(name="team.min_working_days").update(value=3)
    html = client.get(reverse("dispatch:projects:create")).content.decode()
    assert "预计 12 人天以上(5 人以上、3 个工作日以上)" in html
