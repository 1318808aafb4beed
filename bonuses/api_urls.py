from django.urls import path
from servicedesk.routers import Router

from .api import AwardViewSet, MonthCompileView, RankingView, StatementViewSet

router = Router()
router.register("bonuses/awards", AwardViewSet, basename="bonus-award")
router.register("bonuses/statements", StatementViewSet, basename="bonus-statement")
urlpatterns = [
    path("bonuses/months/<str:month>/compile/", MonthCompileView.as_view(), name="bonus-month-compile"),
    path("bonuses/ranking/", RankingView.as_view(), name="bonus-ranking"),
] + router.urls
