from servicedesk.routers import Router

from .api import DismissalFlagViewSet, PenaltyViewSet
from .offence_api import OffenceViewSet

router = Router()
# registered first so "dismissal-flags" is not read as a penalty id
router.register("penalties/offences", OffenceViewSet, basename="penalty-offence")  # R-N5
router.register("penalties/dismissal-flags", DismissalFlagViewSet, basename="penalty-dismissal-flag")
router.register("penalties", PenaltyViewSet, basename="penalty")
urlpatterns = router.urls
