"""The desk's pages of the client portal (namespace "portal"): the links and the clients' reports."""
from django.urls import path

from . import views

urlpatterns = [
    path("links/", views.links, name="links"),
    path("intake/", views.intake, name="intake"),
    path("intake/<int:pk>/photo/", views.intake_photo, name="intake_photo"),
]
