from rest_framework.routers import SimpleRouter

from .api import CallbackViewSet

router = SimpleRouter()
router.register("callbacks", CallbackViewSet, basename="callback")
urlpatterns = router.urls
