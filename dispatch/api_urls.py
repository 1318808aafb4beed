"""Mounted under /api/. Only detail actions on work-orders: the core's list/retrieve routes stay intact."""
from django.urls import include, path
from servicedesk.routers import Router

from . import api

router = Router()
router.register("work-orders", api.WorkOrderActionViewSet, basename="workorder-actions")
router.register("refusals", api.RefusalViewSet, basename="refusal")
# R-R1…R-R6: resident service, team projects, maintenance contracts
from .contracts.api import ContractViewSet  # noqa: E402
from .projects.api import ProjectViewSet  # noqa: E402
from .resident.api import ResidentReportViewSet  # noqa: E402

router.register("resident-reports", ResidentReportViewSet, basename="resident-report")
router.register("projects", ProjectViewSet, basename="project")
router.register("maintenance-contracts", ContractViewSet, basename="maintenance-contract")

urlpatterns = [path("", include(router.urls))]
