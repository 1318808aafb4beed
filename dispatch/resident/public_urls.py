"""The clients' signed links (no account), mounted at the site root: /r/<token>/ (resident report rating,
R-R3) and /s/<token>/ (project satisfaction survey, R-R5)."""
from django.urls import path

from ..projects.views import public_survey
from .views import public_rating

urlpatterns = [
    path("r/<str:token>/", public_rating, name="resident_rating"),
    path("s/<str:token>/", public_survey, name="project_survey"),
]
