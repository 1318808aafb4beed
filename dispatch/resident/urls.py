"""Pages of resident service, mounted at /dispatch/resident/ (namespace "dispatch:resident")."""
from django.urls import path

from . import views

app_name = "resident"
urlpatterns = [
    path("", views.reports, name="reports"),
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/print/", views.print_report, name="print"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("my/", views.my_reports, name="my"),
    path("my/<str:month>/", views.my_report, name="my_report"),
    path("attendance/", views.attendance, name="attendance"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("documents/", views.documents, name="documents"),
]
