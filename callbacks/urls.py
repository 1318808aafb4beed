from django.urls import path

from . import complaint_views, views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.call, name="call"),
    path("mine/", views.mine, name="mine"),
    path("figures/", views.figures, name="figures"),
    path("complaints/", views.complaints, name="complaints"),
    # R-K10 complaints from any channel
    path("complaints/new/", complaint_views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint_detail"),
]
