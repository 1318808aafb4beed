from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("clients", api.ClientViewSet, basename="client")
router.register("sites", api.SiteViewSet, basename="site")
router.register("equipment", api.EquipmentViewSet, basename="equipment")
router.register("staff", api.StaffViewSet, basename="staff")
router.register("work-orders", api.WorkOrderViewSet, basename="workorder")

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("", include(router.urls)),
]
