"""Query parameters of the projects API (servicedesk.filters: a bad value is a 400 naming the parameter)."""
from servicedesk.filters import FilterSet, StatusFilter

from .choices import ProjectStatus
from .models import Project


class ProjectFilter(FilterSet):
    status = StatusFilter(ProjectStatus.choices)

    class Meta:
        model = Project
        fields = ["status"]
