from django.urls import path

from . import views

urlpatterns = [
    path("", views.month, name="month"),
    path("mine/", views.mine, name="mine"),
    path("archive/", views.archive, name="archive"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("<str:month>/export.xlsx", views.export, name="export"),
]
