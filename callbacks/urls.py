from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.call, name="call"),
    path("figures/", views.figures, name="figures"),
    path("complaints/", views.complaints, name="complaints"),
]
