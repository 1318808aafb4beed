from django.urls import path

from . import views

urlpatterns = [
    path("", views.monthly, name="monthly"),
    path("compile/", views.compile_view, name="compile"),
    path("approve/", views.approve_view, name="approve"),
    path("export/<str:month>/", views.export, name="export"),
    path("archive/", views.archive, name="archive"),
    path("archive/<str:month>/", views.archived, name="archived"),
    path("my/", views.my_report, name="my"),
]
