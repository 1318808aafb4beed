from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("parameters/", views.price_parameters, name="parameters"),
    path("charges/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("charges/<int:pk>/decide/", views.decide, name="decide"),
    path("repair-plans/<int:pk>/decide/", views.decide_plan, name="decide_plan"),
]
