from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import QuotePreviewView, RepairPlanViewSet, VisitChargeViewSet

router = SimpleRouter()
router.register("billing/charges", VisitChargeViewSet, basename="billing-charge")
router.register("billing/repair-plans", RepairPlanViewSet, basename="billing-repair-plan")

urlpatterns = [
    path("billing/quote-preview/", QuotePreviewView.as_view(), name="billing-quote-preview"),
    *router.urls,
]
