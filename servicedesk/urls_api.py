from django.urls import include, path

from . import api, attachment_api
from .auth import views as auth
from .routers import Router

router = Router(root=True)
router.register("clients", api.ClientViewSet, basename="client")
router.register("sites", api.SiteViewSet, basename="site")
router.register("equipment", api.EquipmentViewSet, basename="equipment")
router.register("staff", api.StaffViewSet, basename="staff")
router.register("work-orders", api.WorkOrderViewSet, basename="workorder")
router.register("parameters", api.RuleParameterViewSet, basename="ruleparameter")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-logout"),
    path("work-orders/<int:pk>/attachments/", attachment_api.WorkOrderAttachmentsView.as_view(), name="workorder-attachments"),
    path("attachments/<int:pk>/remove/", attachment_api.AttachmentRemoveView.as_view(), name="attachment-remove"),
    path("", include(router.urls)),
]
