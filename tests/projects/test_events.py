"""`dispatch.projects.signals.project_completed`: sent inside the completion's transaction; bonuses writes the
shares (R-M6..R-M8) there, and a failing receiver leaves the project as it was."""
import pytest

from dispatch.projects import services
from dispatch.projects.choices import ProjectStatus
from dispatch.projects.models import Project, ProjectShare
from dispatch.projects.signals import project_completed

from .conftest import DONE, DUE

pytestmark = pytest.mark.django_db


def _complete(project, manager, **kw):
    data = dict(contract_fulfilled=True, client_satisfied=True, documents_complete_on=DUE)
    data.update(kw)
    return services.complete_project(project=project, by=manager, now=DONE, **data)


def test_bonuses_is_connected_to_project_completed():
    assert "bonuses.project_completed" in {key[0] for key, *_rest in project_completed.receivers}  # connected by its dispatch_uid


def test_the_event_carries_the_pool_paid_or_none(make_project, manager):
    seen = []

    def spy(sender, **kwargs):
        seen.append(kwargs)

    project_completed.connect(spy, dispatch_uid="test-spy")
    try:
        paid = _complete(make_project(), manager)
        unpaid = _complete(make_project(), manager, client_satisfied=False)
    finally:
        project_completed.disconnect(dispatch_uid="test-spy")
    assert [kw["project"] for kw in seen] == [paid, unpaid]
    assert seen[0]["pool"].pool == paid.pool and seen[1]["pool"] is None
    assert ProjectShare.objects.filter(project=paid).exists() and not ProjectShare.objects.filter(project=unpaid).exists()


def test_a_failing_receiver_rolls_the_completion_back(make_project, manager):
    project = make_project()

    def boom(sender, **kwargs):
        raise RuntimeError("receiver failed")

    project_completed.connect(boom, dispatch_uid="test-boom")
    try:
        with pytest.raises(RuntimeError):
            _complete(project, manager)
    finally:
        project_completed.disconnect(dispatch_uid="test-boom")
    assert Project.objects.get(pk=project.pk).status != ProjectStatus.COMPLETED
    assert not ProjectShare.objects.filter(project=project).exists()
