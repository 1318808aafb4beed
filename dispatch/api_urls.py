"""Mounted under /api/. Only detail actions on work-orders: the core's list/retrieve routes stay intact."""
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("work-orders", api.WorkOrderActionViewSet, basename="workorder-actions")
router.register("refusals", api.RefusalViewSet, basename="refusal")

urlpatterns = [path("", include(router.urls))]
