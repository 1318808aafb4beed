from servicedesk.routers import Router

from .api import CallbackViewSet
from .complaint_api import ComplaintViewSet

router = Router()
router.register("callbacks/complaints", ComplaintViewSet, basename="complaint")  # R-K10, before the callback ids
router.register("callbacks", CallbackViewSet, basename="callback")
urlpatterns = router.urls
