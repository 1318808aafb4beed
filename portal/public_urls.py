"""The client's own page (a signed, revocable link; no account), mounted at the site root: /c/<token>/."""
from django.urls import path

from . import views

urlpatterns = [
    path("c/<str:token>/", views.client_page, name="portal_client"),
    path("c/<str:token>/visits/<int:pk>/service-form.pdf", views.service_form_pdf, name="portal_service_form_pdf"),
    path("c/<str:token>/confirmations/<int:pk>.pdf", views.confirmation_pdf, name="portal_confirmation_pdf"),
    path("c/<str:token>/statements/<int:pk>.pdf", views.statement_pdf, name="portal_statement_pdf"),
]
