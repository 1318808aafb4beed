from django.urls import path
from servicedesk.routers import Router

from .api import QuotePreviewView, RepairPlanViewSet, VisitChargeViewSet

router = Router()
router.register("billing/charges", VisitChargeViewSet, basename="billing-charge")
router.register("billing/repair-plans", RepairPlanViewSet, basename="billing-repair-plan")

urlpatterns = [
    path("billing/quote-preview/", QuotePreviewView.as_view(), name="billing-quote-preview"),
    *router.urls,
]
